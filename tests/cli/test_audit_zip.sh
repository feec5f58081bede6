#!/usr/bin/env bash
# `clinsum audit export LOG --zip FILE`: one stored ZIP that an independent
# reader (python3's zipfile, unzip) accepts, whose files are exactly the
# --out DIR files, and whose audit.jsonl verifies.
set -u
bin=$1; src=$2
fixture=$(dirname "$bin")/../tests/audit_fixture
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CLINSUM_KEY_DIR=$tmp/keys
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }

readers=()
python3 -c 'import zipfile' 2>/dev/null && readers+=(python3)
command -v unzip >/dev/null && readers+=(unzip)
if [ ${#readers[@]} -eq 0 ]; then echo "skip: neither python3 nor unzip is installed to read the zip"; exit 0; fi
# ztest ZIP / zextract ZIP DIR with each reader found.
ztest() { case $1 in python3) python3 -m zipfile -t "$2" ;; unzip) unzip -tq "$2" ;; esac; }
zextract() { case $1 in python3) python3 -m zipfile -e "$2" "$3" ;; unzip) unzip -q "$2" -d "$3" ;; esac; }

"$fixture" "$tmp/log" 10 4 >/dev/null || { echo "FAIL: fixture"; exit 1; }
out=$("$bin" audit export "$tmp/log" --out "$tmp/dir" --zip "$tmp/b.zip"); rc=$?
check "export --out and --zip together: exit 0" '[ $rc -eq 0 ] && echo "$out" | grep -q "b.zip (zip)"'
for r in "${readers[@]}"; do
  check "$r accepts the zip (CRCs, headers)" 'ztest $r "$tmp/b.zip" >/dev/null 2>&1'
  rm -rf "$tmp/x"; mkdir "$tmp/x"
  check "$r: the zip holds exactly the --out DIR files, byte for byte" \
    'zextract $r "$tmp/b.zip" "$tmp/x" && diff -r "$tmp/dir" "$tmp/x" >/dev/null'
done
check "the zip holds the seven bundle files" \
  '[ $(ls "$tmp/x" | wc -l) -eq 7 ] && [ -f "$tmp/x/audit.jsonl" ] && [ -f "$tmp/x/report.html" ] && [ -f "$tmp/x/egress.json" ]'
check "the zipped log verifies against the key" \
  '"$bin" audit verify "$tmp/x/audit.jsonl" --key "$tmp/keys/audit-ed25519.pub" >/dev/null'
check "the export was recorded in the log" 'tail -n 2 "$tmp/log" | grep -q "\"type\":\"exported\""'

# --zip alone, after the export event: the new zip carries it.
out=$("$bin" audit export "$tmp/log" --zip "$tmp/c.zip"); rc=$?
rm -rf "$tmp/y"; mkdir "$tmp/y"; zextract "${readers[0]}" "$tmp/c.zip" "$tmp/y"
check "--zip alone writes the zip and nothing else" '[ $rc -eq 0 ] && [ -f "$tmp/c.zip" ] && ! echo "$out" | grep -v "(zip)" | grep -q "bundle written"'
check "the second zip's log has the first export in it" 'grep -q "\"what\":\"audit_bundle\"" "$tmp/y/audit.jsonl"'

# A tampered log: the zip is written and documents the failure, exit 1.
sed -i '7s/"sections":5/"sections":9/' "$tmp/log"
"$bin" audit export "$tmp/log" --zip "$tmp/t.zip" >/dev/null 2>"$tmp/err"; rc=$?
rm -rf "$tmp/t"; mkdir "$tmp/t"; zextract "${readers[0]}" "$tmp/t.zip" "$tmp/t"
check "tampered log: exit 1, zip written, verification.json says modified at 7" \
  '[ $rc -eq 1 ] && grep -q "\"problem\":\s*\"modified\"" "$tmp/t/verification.json" && grep -q "\"first_bad_seq\":\s*7" "$tmp/t/verification.json"'

err=$("$bin" audit export "$tmp/log" --zip "$tmp/nodir/b.zip" 2>&1 >/dev/null); rc=$?
check "unwritable zip path: exit 1, one line naming it" '[ $rc -eq 1 ] && [ $(echo "$err" | wc -l) -eq 1 ] && echo "$err" | grep -q "nodir/b.zip"'
"$bin" audit export "$tmp/log" >/dev/null 2>&1; rc=$?
check "neither --out nor --zip is a usage error" '[ $rc -eq 2 ]'
exit $fail
