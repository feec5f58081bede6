#!/usr/bin/env bash
# CLI contract of `clinsum redact` and `clinsum eval-redact`: redacted text
# or span JSON on success; a one-line error and non-zero exit on bad input;
# eval-redact's JSON keys on a small annotated set made here.
set -u
bin=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }

printf 'Seen by Dr. Lipper on 03/04/2021. Call (410) 555-1234.\nDaughter Thelma visited.\n' > "$tmp/note.txt"
out=$("$bin" redact "$tmp/note.txt"); rc=$?
check "mask mode exits 0" '[ $rc -eq 0 ]'
check "mask mode removes the name" '! echo "$out" | grep -q Lipper && echo "$out" | grep -q "Dr. \[NAME\]"'
check "mask mode removes date and phone" 'echo "$out" | grep -q "\[DATE\]" && echo "$out" | grep -q "\[PHONE\]"'
out=$("$bin" redact "$tmp/note.txt" --mode pseudonym)
check "pseudonym mode tags people" 'echo "$out" | grep -q "Dr. \[CLINICIAN-1\]"'
out=$("$bin" redact "$tmp/note.txt" --mode surrogate --seed 3)
check "surrogate mode has no tags and no originals" '! echo "$out" | grep -q "\[" && ! echo "$out" | grep -q Lipper && ! echo "$out" | grep -q Thelma'
out=$("$bin" redact "$tmp/note.txt" --keep-dates)
check "--keep-dates keeps the date" 'echo "$out" | grep -q "03/04/2021"'

# spans are byte offsets into the file as given, also past a BOM / CP1252
printf '\xEF\xBB\xBFSeen by Dr. Lipper.\n' > "$tmp/bom.txt"
out=$("$bin" redact "$tmp/bom.txt" --spans)
check "spans JSON" 'echo "$out" | grep -q "^{\"spans\":\[{\"start\":15,\"end\":21,\"category\":\"NAME\""'
printf 'Caf\xe9 visit. Seen by Dr. Lipper.\n' > "$tmp/cp1252.txt"
out=$("$bin" redact "$tmp/cp1252.txt" --spans)
check "spans map back through CP1252 decoding" 'echo "$out" | grep -q "\"start\":24,\"end\":30"'

: > "$tmp/empty.txt"
printf 'SECRETNAME\0\1\2' > "$tmp/bin.dat"
for f in empty.txt bin.dat missing.txt; do
  err=$("$bin" redact "$tmp/$f" 2>&1 >/dev/null); rc=$?
  check "$f exits non-zero" '[ $rc -ne 0 ]'
  check "$f one-line error naming the file" '[ $(echo "$err" | wc -l) -eq 1 ] && echo "$err" | grep -q "$f:"'
  check "$f error has no document text" '! echo "$err" | grep -q SECRETNAME'
done
"$bin" redact "$tmp/note.txt" --mode bogus >/dev/null 2>&1; rc=$?
check "unknown mode is a usage error" '[ $rc -eq 2 ]'

mkdir -p "$tmp/set/a"
cat > "$tmp/set/a/notes.jsonl" <<'J'
{"id": "n1", "text": "Seen by Dr. Lipper on 03/04/2021.", "spans": [{"start": 12, "end": 18, "category": "NAME", "text": "Lipper"}, {"start": 22, "end": 32, "category": "DATE", "text": "03/04/2021"}]}
{"id": "n2", "text": "No identifiers here at all.", "spans": []}
J
out=$("$bin" eval-redact "$tmp/set" --json); rc=$?
check "eval-redact exits 0" '[ $rc -eq 0 ]'
for k in recall precision f1 tokens_gold per_category; do
  check "eval-redact JSON has $k" 'echo "$out" | grep -q "\"$k\""'
done
check "eval-redact finds both gold tokens" 'echo "$out" | grep -q "\"recall\":1.0000" && echo "$out" | grep -q "\"tokens_gold\":4"'
check "eval-redact per category support" 'echo "$out" | grep -q "\"NAME\":{\"recall\":1.0000,\"precision\":1.0000,\"support\":1}"'
out=$("$bin" eval-redact "$tmp/set/a"); rc=$?
check "eval-redact table" '[ $rc -eq 0 ] && echo "$out" | grep -q "^overall"'
echo 'not json' > "$tmp/set/a/notes.jsonl"
"$bin" eval-redact "$tmp/set" --json >/dev/null 2>&1; rc=$?
check "eval-redact bad JSON exits non-zero" '[ $rc -ne 0 ]'
"$bin" eval-redact "$tmp/nothing" >/dev/null 2>&1; rc=$?
check "eval-redact missing dir exits non-zero" '[ $rc -ne 0 ]'
# Structured formats: spans are byte ranges of the file itself.  Each slice,
# markup dropped and references decoded, is the identifier; a name split by
# a tag covers the tag; none starts or ends inside markup.
slice() { tail -c +$(($2 + 1)) "$1" | head -c $(($3 - $2)); }
readable() { sed -e 's/<[^>]*>//g' -e 's/&amp;/\&/g' -e 's/&#x2F;/\//g' -e 's/\\"/"/g'; }
check_slices() { # file: every span slice readable, and the wanted ones present
  local f=$1; shift
  out=$("$bin" redact "$f" --spans); rc=$?
  check "$(basename "$f") --spans exits 0" '[ $rc -eq 0 ]'
  check "$(basename "$f") spans JSON" 'echo "$out" | grep -q "^{\"spans\":\[{\"start\":"'
  got=""; raws=""; bad=0
  for se in $(echo "$out" | grep -o '"start":[0-9]*,"end":[0-9]*' | tr -dc '0-9,\n' | tr ',' ' ' | tr ' ' ':'); do
    s=${se%%:*}; e=${se##*:}
    raw=$(slice "$f" "$s" "$e")
    case "$raw" in "<"*|*">"|" "*|*" ") bad=1 ;; esac
    got="$got|$(printf '%s' "$raw" | readable)"; raws="$raws|$raw"
  done
  check "$(basename "$f") no slice starts or ends in markup or space" '[ $bad -eq 0 ]'
  for w in "$@"; do
    check "$(basename "$f") a span reads '$w'" 'echo "$got|" | grep -qF "$w|"'
  done
}
cat > "$tmp/note.xml" <<'X'
<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
 <recordTarget><patientRole><id extension="48213377" root="1.2.3"/>
  <patient><name><given>Thelma</given><family>Lipper</family></name></patient></patientRole></recordTarget>
 <component><structuredBody><component><section><title>Course</title>
  <text><paragraph>Patient Thelma <content ID="a">Lip</content>per &amp; family.
  Seen on 03/04/2021.</paragraph><table><tr><td>Phone</td><td>(410) 555-1234</td></tr></table></text>
 </section></component></structuredBody></component>
</ClinicalDocument>
X
check_slices "$tmp/note.xml" "Lipper" "03/04/2021" "(410) 555-1234"
check "note.xml the name split by <content> is one range" 'echo "$raws" | grep -qF "Lip</content>per"'
cat > "$tmp/note.json" <<'X'
{"resourceType": "Bundle", "type": "document", "entry": [
 {"resource": {"resourceType": "Composition", "title": "Note", "section": [{"title": "Course",
  "text": {"div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Patient Thelma <b>Lip</b>per\nseen on 03/04/2021 &amp; called (410) 555-1234.</p></div>"}}]}},
 {"resource": {"resourceType": "Patient", "name": [{"family": "Lipper", "given": ["Thelma"]}]}}]}
X
check_slices "$tmp/note.json" "Lipper" "03/04/2021" "(410) 555-1234"
check "note.json the name split by <b> is one range" 'echo "$raws" | grep -qF "Lip</b>per"'
printf '<html><body><h1>Note</h1><p>Seen by Dr.&nbsp;Lipper &amp; co on 03/04/2021. Call (410) 555-1234.</p></body></html>\n' > "$tmp/note.html"
check_slices "$tmp/note.html" "03/04/2021" "(410) 555-1234"

exit $fail
