#!/usr/bin/env bash
# The extractive summarizer compiled to WASM gives exactly the native
# summary (the "summary" field of `clinsum summarize --format json`) on the
# bundled sample and on a transcript.
set -uo pipefail
wasm=$1; native=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '[doctor] hi , how are you ?\n[patient] my knee hurts since i fell two days ago .\n[doctor] on exam , there is swelling of the right knee . my plan is ice and ibuprofen 400 mg .\n' > "$tmp/transcript.txt"
fail=0
for f in "$src/samples/discharge_summary.txt" "$tmp/transcript.txt"; do
  a=$(node --no-experimental-fetch "$wasm/tests/wasm/wasm_summarize.js" "$f")
  b=$(CLINSUM_MODEL= "$native/app/clinsum" summarize "$f" --extractive --format json 2>/dev/null |
      python3 -c 'import json,sys; o=json.load(sys.stdin); sys.stdout.write(o["summary"]); print("flags: %d" % len(o["flags"]))')
  if [ -n "$a" ] && [ "$a" == "$b" ]; then echo "ok: wasm summary matches native: $(basename "$f")"
  else echo "FAIL: wasm summary differs from native: $(basename "$f")"; fail=1; fi
done
exit $fail
