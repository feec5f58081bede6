#!/usr/bin/env bash
# WASM_BUILD NATIVE_BUILD: the WASM tokenizer (model loaded as a stream of
# chunks) must give exactly the native CLI's ids for every golden text.
# Skips when ../shared (models and golden texts) is absent.
set -u
wasm=$1; native=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
shared="$src/../shared"
if [ ! -f "$shared/golden/texts.txt" ] || [ ! -d "$shared/models" ]; then
  echo "skip: $shared absent, no WASM tokenizer comparison"; exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
files=(); i=0
while IFS= read -r line || [ -n "$line" ]; do
  i=$((i + 1)); printf '%b' "$line" > "$tmp/t$i.txt"; files+=("$tmp/t$i.txt")
done < "$shared/golden/texts.txt"
fail=0
for m in tiny-llama-bpe-random-q8_0.gguf tiny-llama-spm-random-q4_k_m.gguf; do
  model="$shared/models/$m"
  a=$(node --no-experimental-fetch "$wasm/tests/wasm/wasm_tokenize.js" "$model" "${files[@]}") || { echo "FAIL: wasm tokenize $m exited non-zero"; fail=1; continue; }
  b=$(for f in "${files[@]}"; do "$native/app/clinsum" tokenize --model "$model" "$f"; done)
  if [ -n "$a" ] && [ "$a" == "$b" ]; then echo "ok: wasm tokenize matches native on ${#files[@]} texts: $m"
  else echo "FAIL: wasm tokenize differs from native: $m"; fail=1; fi
done
exit $fail
