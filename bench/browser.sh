#!/usr/bin/env bash
# The browser benchmark (bench/browser.mjs), not part of `make check`:
#   bash bench/browser.sh WASM_BUILD NATIVE_BUILD [MODEL.gguf]
# MODEL defaults to ../shared/models/smollm2-135m-shape-random-q4_k_m.gguf.
# Installs @wllama/wllama (pinned) with npm into ~/.cache/clinsum/npm-bench
# for the comparison; without it the wllama rows are left out.
set -u
wasm=$1; native=$2
src=$(cd "$(dirname "$0")/.." && pwd)
model=${3:-$src/../shared/models/smollm2-135m-shape-random-q4_k_m.gguf}
[ -f "$model" ] || { echo "skip: bench/browser: no model $model"; exit 0; }
prefix=$(bash "$src/scripts/npm-deps.sh") || exit 1
wl=${CLINSUM_CACHE:-$HOME/.cache/clinsum}/npm-bench/wllama-3.13.0
if [ ! -f "$wl/.done" ]; then
  mkdir -p "$wl"
  npm install --prefix "$wl" --no-audit --no-fund --ignore-scripts --no-save @wllama/wllama@3.13.0 >&2 2>/dev/null \
    && touch "$wl/.done" || echo "note: npm could not install @wllama/wllama; wllama is not measured" >&2
fi
wargs=()
[ -f "$wl/.done" ] && wargs=(--wllama "$wl/node_modules/@wllama/wllama")
exec node "$src/bench/browser.mjs" --clinsum "$native/app/clinsum" --web "$wasm/web" --playwright "$prefix" \
  --model "$model" --bench-infer "$native/bench/bench_infer" "${wargs[@]}"
