#!/usr/bin/env bash
# The browser app end to end in Debian's chromium (tests/browser/e2e.mjs):
#   bash tests/browser/run.sh WASM_BUILD NATIVE_BUILD
# serves WASM_BUILD/web with NATIVE_BUILD's `clinsum serve`, then checks the
# page on the bundled samples (text, C-CDA, FHIR), an HTML note, a synthetic
# referral whose narrative repeats the patient's name, and one C-CDA document
# of ../shared/corpus (skipped with a message when the corpus is absent).
# Screenshots: WASM_BUILD/browser-artifacts/.  Prints ok:/FAIL:/skip: lines.
set -u
wasm=$1; native=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
web=$wasm/web
if [ ! -f "$web/index.html" ] || [ ! -f "$web/clinsum_web.wasm" ]; then
  echo "FAIL: browser: $web is not built (make wasm)"; exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "FAIL: browser: /usr/bin/chromium is missing (scripts/setup.sh installs Debian's chromium)"; exit 1
fi
prefix=$(bash "$src/scripts/npm-deps.sh") || { echo "FAIL: browser: scripts/npm-deps.sh failed"; exit 1; }
corpus=()
if [ -d "$src/../shared/corpus" ]; then
  corpus=(--corpus "$src/../shared/corpus")
else
  echo "skip: browser: no ../shared/corpus; the C-CDA corpus document is not checked (samples still are)"
fi
# Plain node: playwright-core needs the global fetch classes (the WASM under
# test runs in chromium, not in this node).
node "$src/tests/browser/e2e.mjs" --clinsum "$native/app/clinsum" --web "$web" \
  --artifacts "$wasm/browser-artifacts" --playwright "$prefix" "${corpus[@]}" \
  "$src/samples/discharge_summary.txt" "$src/samples/discharge_summary_ccda.xml" \
  "$src/samples/patient_summary_fhir.json" "$src/tests/data/note.html" \
  "$src/tests/browser/data/referral_ccda.xml"
status=$?
# The audit log in the page (tests/browser/audit.mjs): events, reload,
# export verified natively, storage.
node "$src/tests/browser/audit.mjs" --clinsum "$native/app/clinsum" --web "$web" \
  --artifacts "$wasm/browser-artifacts" --playwright "$prefix" \
  "$src/tests/browser/data/referral_ccda.xml" "$src/samples/discharge_summary.txt" || status=1
# The model in the tab (tests/browser/model.mjs) on the small F16 shared
# model: its summary must equal the native CLI's byte for byte, which holds
# for F16 weights; with quantized weights the SIMD128 and AVX2 kernels round
# differently and greedy continuations can part (see README).
model=$src/../shared/models/micro-llama-bpe-random-f16.gguf
if [ ! -f "$model" ]; then
  echo "skip: browser: no ../shared/models/micro-llama-bpe-random-f16.gguf; the model in the tab is not checked"
else
  node "$src/tests/browser/model.mjs" --clinsum "$native/app/clinsum" --web "$web" \
    --artifacts "$wasm/browser-artifacts" --playwright "$prefix" --model "$model" \
    --doc "$src/samples/discharge_summary.txt" || status=1
fi
exit $status
