#!/usr/bin/env bash
# WASM_BUILD NATIVE_BUILD: the SIMD128 f16 attention products give the
# native scalar path's bits exactly (tests/wasm/ops_f16_dump.c).
set -u
wasm=$1; native=$2
a=$(node --no-experimental-fetch "$wasm/tests/wasm/wasm_ops_f16.js") || { echo "FAIL: wasm_ops_f16 exited non-zero"; exit 1; }
b=$("$native/tests/ops_f16_dump") || { echo "FAIL: ops_f16_dump exited non-zero"; exit 1; }
n=$(printf '%s\n' "$a" | wc -l)
if [ "$a" == "$b" ] && [ "$n" -gt 20 ]; then echo "ok: wasm f16 attention products equal the scalar ones bit for bit ($n cases)"
else echo "FAIL: wasm f16 attention products differ from the scalar ones"; diff <(echo "$a") <(echo "$b") | head -4; exit 1; fi
