#!/usr/bin/env bash
# Runs the SIMD128-vs-scalar kernel checks under node (WASM_BUILD NATIVE_BUILD).
set -euo pipefail
wasm=$1
node --no-experimental-fetch "$wasm/tests/wasm/wasm_kernels.js"
