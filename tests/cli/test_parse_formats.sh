#!/usr/bin/env bash
# CLI contract of `clinsum parse` for C-CDA, FHIR and HTML input: the JSON
# fields other checks rely on, and for every kind of bad input a one-line
# error naming the file and the reason, a non-zero exit, no document text
# (libxml2's own messages, which quote the input, must never reach stderr).
set -u
bin=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }

for s in discharge_summary_ccda.xml:ccda patient_summary_fhir.json:fhir-bundle; do
  f=${s%%:*}; fmt=${s#*:}
  out=$("$bin" parse "$src/samples/$f" --json); rc=$?
  check "$f parses" '[ $rc -eq 0 ]'
  check "$f JSON has the contract fields" 'echo "$out" | python3 -c "
import json, sys
d = json.load(sys.stdin)
assert d[\"format\"] == \"$fmt\" and d[\"kind\"]
for s in d[\"sections\"]:
    assert all(k in s for k in (\"title\", \"code\", \"code_system\", \"text\", \"start\", \"end\"))
assert all(isinstance(d[\"identity\"][k], list) for k in (\"names\", \"identifiers\", \"birth_dates\", \"addresses\", \"telecoms\"))
assert len(d[\"sections\"]) >= 5 and d[\"identity\"][\"names\"]
"'
done

ccda="$src/samples/discharge_summary_ccda.xml"
head -c 3000 "$ccda" | sed 's/Testpatient/SECRETNAME/g' > "$tmp/truncated.xml"
sed 's/Fictionville/SECRETNAME F\xe9\xff/' "$ccda" > "$tmp/badutf8.xml"
printf '<?xml version="1.0"?>\n<note><to>SECRETNAME</to></note>\n' > "$tmp/notccda.xml"
printf '<?xml version="1.0"?>\n<!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>SECRETNAME &x;</title></ClinicalDocument>\n' > "$tmp/xxe.xml"
printf '{"patient": "SECRETNAME", "note": "not FHIR"}\n' > "$tmp/notfhir.json"
printf '{"resourceType": "Bundle", "entry": [{"resource": {"name": "SECRETNAME"' > "$tmp/truncated.json"
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj SECRETNAME\0\0\1 endobj\n' > "$tmp/file.pdf"
for case in "truncated.xml:malformed or truncated XML" "badutf8.xml:encoding" \
            "notccda.xml:not an HL7 ClinicalDocument" "xxe.xml:unsupported" \
            "notfhir.json:not a FHIR" "truncated.json:malformed JSON" "file.pdf:binary"; do
  f=${case%%:*}; why=${case#*:}
  err=$("$bin" parse "$tmp/$f" 2>&1 >/dev/null); rc=$?
  check "$f exits non-zero" '[ $rc -ne 0 ]'
  check "$f error is one line naming file and reason" '[ "$(printf "%s\n" "$err" | wc -l)" -eq 1 ] && echo "$err" | grep -q "$f: .*$why"'
  check "$f error has no document text" '! echo "$err" | grep -q SECRETNAME'
done
out=$("$bin" parse "$tmp/xxe.xml" --json 2>/dev/null)
check "xxe prints no partial document" '[ -z "$out" ]'
err=$("$bin" parse "$ccda" --max-bytes 1000 2>&1 >/dev/null); rc=$?
check "size cap applies to C-CDA" '[ $rc -ne 0 ] && echo "$err" | grep -q "size limit"'
exit $fail
