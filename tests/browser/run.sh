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
rc=$?
# The audit log in the page (tests/browser/audit.mjs): events, reload,
# export verified natively, storage.
node "$src/tests/browser/audit.mjs" --clinsum "$native/app/clinsum" --web "$web" \
  --artifacts "$wasm/browser-artifacts" --playwright "$prefix" \
  "$src/tests/browser/data/referral_ccda.xml" "$src/samples/discharge_summary.txt" || rc=1
exit $rc
