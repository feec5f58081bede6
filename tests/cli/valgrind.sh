#!/usr/bin/env bash
# Runs the CLI's commands on the bundled samples and on bad input under
# valgrind memcheck; any error or definite leak fails.  Commands that this
# build does not have yet are skipped.
set -u
bin=$1; src=$2
command -v valgrind >/dev/null || { echo "skip: valgrind not installed"; exit 0; }
if ldd "$bin" 2>/dev/null | grep -q libasan; then echo "skip: sanitizer build (valgrind runs on the plain build)"; exit 0; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'a\0b' > "$tmp/bin.dat"
have() { "$bin" help 2>/dev/null | grep -q "^  $1 "; }
runs=()
for f in "$src"/samples/*; do
  runs+=("parse $f" "parse $f --json")
  have redact && runs+=("redact $f" "redact $f --spans")
  have summarize && runs+=("summarize $f" "summarize $f --format json")
done
runs+=("parse $tmp/bin.dat" "parse $tmp/missing")
fail=0
for r in "${runs[@]}"; do
  # shellcheck disable=SC2086
  CLINSUM_NO_JIT=1 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    "$bin" $r >/dev/null 2>"$tmp/vg.log"
  if [ $? -eq 99 ]; then echo "FAIL: valgrind: clinsum $r"; cat "$tmp/vg.log"; fail=1
  else echo "ok: valgrind clean: clinsum ${r/#$src\//}"; fi
done
exit $fail
