#!/usr/bin/env bash
# CLI contract of `clinsum parse`: JSON on success; on bad input a one-line
# error naming the file, a non-zero exit, and no document text.
set -u
bin=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }

out=$("$bin" parse "$src/samples/discharge_summary.txt" --json)
check "sample parses to JSON" '[ $? -eq 0 ] && echo "$out" | grep -q "\"format\":\"text\""'
check "sample has discharge medications" 'echo "$out" | grep -q "\"code\":\"10183-2\""'

: > "$tmp/empty.txt"
printf 'SECRETNAME Zyxwv\0\1\2\3' > "$tmp/bin.dat"
printf 'Patient SECRETNAME \xEF\xBB\xBF\xff' > "$tmp/badbom.txt"; printf '\xEF\xBB\xBFSECRETNAME \xff' > "$tmp/badbom.txt"
head -c 2000 /dev/zero | tr '\0' 'a' > "$tmp/big.txt"
for case in "empty.txt:empty" "bin.dat:binary" "badbom.txt:encoding" "missing.txt:input/output" ; do
  f=${case%%:*}; why=${case#*:}
  err=$("$bin" parse "$tmp/$f" 2>&1 >/dev/null); rc=$?
  check "$f exits non-zero" '[ $rc -ne 0 ]'
  check "$f error is one line naming file and reason" '[ $(echo "$err" | wc -l) -eq 1 ] && echo "$err" | grep -q "$f: .*$why"'
  check "$f error has no document text" '! echo "$err" | grep -q SECRETNAME'
done
err=$("$bin" parse "$tmp/big.txt" --max-bytes 1000 2>&1); rc=$?
check "size cap refuses with a clear reason" '[ $rc -ne 0 ] && echo "$err" | grep -q "size limit"'
"$bin" parse >/dev/null 2>&1; rc=$?
check "missing argument is a usage error" '[ $rc -eq 2 ]'
exit $fail
