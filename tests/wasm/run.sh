#!/usr/bin/env bash
# Runs the WASM build under node on the bundled samples and checks that it
# produces exactly what the native build produces.
set -euo pipefail
wasm=$1; native=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
fail=0; n=0
for f in "$src"/samples/*; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  a=$(node --no-experimental-fetch "$wasm/tests/wasm/wasm_parse.js" "$f")
  b=$("$native/app/clinsum" parse "$f" --json)
  if [ "$a" == "$b" ]; then echo "ok: wasm parse matches native: $(basename "$f")"
  else echo "FAIL: wasm parse differs from native: $(basename "$f")"; fail=$((fail + 1)); fi
done
# Further checks per module: tests/wasm/<module>.sh WASM_BUILD NATIVE_BUILD,
# each printing "ok:" / "FAIL:" lines and exiting non-zero on failure.
for t in "$(dirname "$0")"/*.sh; do
  [ "$(basename "$t")" = run.sh ] && continue
  n=$((n + 1))
  if bash "$t" "$wasm" "$native"; then :; else fail=$((fail + 1)); echo "FAIL: $(basename "$t")"; fi
done
echo "wasm: $((n - fail)) passed, $fail failed"
exit $((fail > 0))
