#!/usr/bin/env bash
# The WASM redactor must find exactly the spans the native one finds: on
# the bundled samples and on a note full of identifiers made here.
set -uo pipefail
wasm=$1; native=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/phi.txt" <<'T'
Patient: Mary Johnson   MRN: 12345678   DOB: 03/04/1931
Seen by Dr. Lipper on March 4th, 2021 at Methodist Hospital, 12 Elm Street, Boston, MA 02114.
Daughter Thelma (410) 555-1234, thelma@example.com. A 92 year old woman; CPAP 5/5; pain 8/10.
Jean Hudson, RN
T
fail=0
for f in "$src"/samples/*.txt "$tmp/phi.txt"; do
  [ -f "$f" ] || continue
  a=$(node --no-experimental-fetch "$wasm/tests/wasm/wasm_redact.js" "$f" 2>&1)
  b=$("$native/app/clinsum" redact "$f" --spans 2>&1 | sed 's/{"spans"/{"spans"/')
  if [ "$a" == "$b" ] && [ -n "$a" ]; then echo "ok: wasm redact spans match native: $(basename "$f")"
  else echo "FAIL: wasm redact spans differ from native: $(basename "$f")"; fail=1; fi
done
if [ -n "${CS_WASM_BENCH:-}" ]; then node --no-experimental-fetch "$wasm/tests/wasm/wasm_redact.js" "$CS_WASM_BENCH" --bench 3; fi
exit $fail
