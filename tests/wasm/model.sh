#!/usr/bin/env bash
# WASM_BUILD NATIVE_BUILD: a few greedy tokens of the micro f16 model in WASM
# (one thread, SIMD128 kernels) must be the ones the native build and
# llama.cpp produce.  Skips when ../shared is absent.
set -u
wasm=$1; native=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
shared="$src/../shared"
model="$shared/models/micro-llama-bpe-random-f16.gguf"
golden="$shared/golden/gen-micro-llama-bpe-random-f16.jsonl"
if [ ! -f "$model" ] || [ ! -f "$golden" ]; then
  echo "skip: $shared absent, no WASM generation comparison"; exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
files=(); i=0
while IFS= read -r line || [ -n "$line" ]; do
  i=$((i + 1)); [ $i -gt 4 ] && break
  printf '%b' "$line" > "$tmp/p$i.txt"; files+=("$tmp/p$i.txt")
done < "$shared/golden/prompts.txt"
a=$(node --no-experimental-fetch "$wasm/tests/wasm/wasm_generate.js" "$model" 8 "${files[@]}") || { echo "FAIL: wasm generate exited non-zero"; exit 1; }
# llama.cpp's first 8 greedy ids of the same prompts
b=$(head -n ${#files[@]} "$golden" | sed 's/.*"greedy":\[\([^]]*\)\].*/\1/' | tr ',' ' ' | cut -d' ' -f1-8)
if [ -n "$a" ] && [ "$a" == "$b" ]; then echo "ok: wasm greedy generation matches llama.cpp on ${#files[@]} prompts"
else echo "FAIL: wasm greedy generation differs"; echo "$a" | head -2; echo "$b" | head -2; exit 1; fi
