#!/usr/bin/env bash
# Parsers under WASM: every synthetic input in tests/data (C-CDA, FHIR,
# HTML, nonXMLBody, mislabelled gzip) and a hostile XXE document must give
# exactly what the native build gives, JSON and exit status alike.
set -uo pipefail
wasm=$1; native=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '<?xml version="1.0"?>\n<!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&x;</title></ClinicalDocument>\n' > "$tmp/xxe.xml"
printf '<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>cut' > "$tmp/truncated.xml"
fail=0
for f in "$src"/tests/data/* "$tmp"/*; do
  [ -f "$f" ] || continue
  a=$(node --no-experimental-fetch "$wasm/tests/wasm/wasm_parse.js" "$f" 2>/dev/null); ra=$?
  b=$("$native/app/clinsum" parse "$f" --json 2>/dev/null); rb=$?
  if [ "$a" == "$b" ] && [ $ra -eq $rb ]; then echo "ok: wasm parse matches native: $(basename "$f") (exit $ra)"
  else echo "FAIL: wasm parse differs from native: $(basename "$f")"; fail=1; fi
done
exit $fail
