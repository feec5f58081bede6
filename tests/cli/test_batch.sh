#!/usr/bin/env bash
# CLI contract of `clinsum batch`: every file summarized atomically, a bad
# file reported without stopping the batch, finished files skipped on a
# second run, a final table, exit 1 when something failed.
set -u
bin=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }
export CLINSUM_MODEL=
mkdir -p "$tmp/w/d"; cd "$tmp/w/d"   # no ../shared/models here
mkdir in
for i in 1 2 3 4 5; do cp "$src/samples/discharge_summary.txt" "in/note$i.txt"; done
printf 'SECRET\0\1' > in/bad.bin
out=$("$bin" batch in --out out --jobs 3 2>/dev/null); rc=$?
check "batch exits 1 when a file failed" '[ $rc -eq 1 ]'
check "all good files summarized" '[ $(ls out/*.md | wc -l) -eq 5 ] && grep -q "## Medications" out/note3.txt.md'
check "table names the failure and its reason" 'echo "$out" | grep -q "bad.bin *FAILED *input is binary"'
check "table counts" 'echo "$out" | grep -q "6 files: 5 summarized, 0 skipped (already done), 1 failed"'
check "no temporary files left" '! ls out | grep -q tmp'
rm in/bad.bin out/note2.txt.md
out=$("$bin" batch in --out out --jobs 2 2>/dev/null); rc=$?
check "resume: only the missing file is redone" '[ $rc -eq 0 ] && echo "$out" | grep -q "5 files: 1 summarized, 4 skipped"'
"$bin" batch in --out out --format json >/dev/null 2>&1
check "json format" '[ $(ls out/*.json | wc -l) -eq 5 ]'
"$bin" batch in >/dev/null 2>&1; rc=$?
check "missing --out is a usage error" '[ $rc -eq 2 ]'
exit $fail
