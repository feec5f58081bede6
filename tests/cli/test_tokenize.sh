#!/usr/bin/env bash
# CLI contract of `clinsum tokenize --model M.gguf FILE`: the ids on one
# line (no BOS, special tokens parsed); errors are one line naming the file.
# The golden comparison runs only when ../shared is present.
set -u
bin=$1; src=$2
shared="$src/../shared"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }

"$bin" tokenize >/dev/null 2>&1; rc=$?
check "missing arguments are a usage error" '[ $rc -eq 2 ]'
"$bin" tokenize --model x.gguf --bogus f >/dev/null 2>&1; rc=$?
check "unknown option is a usage error" '[ $rc -eq 2 ]'

printf 'SECRETNAME' > "$tmp/in.txt"
printf 'GGUF\3\0\0\0SECRETNAME' > "$tmp/bad.gguf"
for case in "missing.gguf:cannot open" "bad.gguf:file too short|truncated|header"; do
  f=${case%%:*}; why=${case#*:}
  err=$("$bin" tokenize --model "$tmp/$f" "$tmp/in.txt" 2>&1 >/dev/null); rc=$?
  check "$f exits 1" '[ $rc -eq 1 ]'
  check "$f error is one line naming the model and reason" '[ $(echo "$err" | wc -l) -eq 1 ] && echo "$err" | grep -Eq "^clinsum: .*$f: ($why)"'
  check "$f error has no text" '! echo "$err" | grep -q SECRETNAME'
done

if [ ! -d "$shared/models" ]; then echo "skip: $shared absent, no golden comparison"; exit $fail; fi

model="$shared/models/tiny-llama-bpe-random-q8_0.gguf"
err=$("$bin" tokenize --model "$model" "$tmp/missing.txt" 2>&1 >/dev/null); rc=$?
check "missing input exits 1 naming it" '[ $rc -eq 1 ] && echo "$err" | grep -q "missing.txt: "'

# texts.txt escapes \n, \t and \\; tok-*.jsonl line i holds the ids of text i
for pair in "tok-bpe.jsonl:tiny-llama-bpe-random-q8_0.gguf" "tok-spm.jsonl:tiny-llama-spm-random-q4_k_m.gguf"; do
  golden="$shared/golden/${pair%%:*}"; model="$shared/models/${pair#*:}"
  i=0; bad=0
  while IFS= read -r line || [ -n "$line" ]; do
    i=$((i + 1))
    printf '%b' "$line" > "$tmp/t.txt"
    want=$(sed -n "${i}p" "$golden" | sed 's/.*"ids":\[\([^]]*\)\].*/\1/' | tr ',' ' ')
    got=$("$bin" tokenize --model "$model" "$tmp/t.txt")
    [ "$got" = "$want" ] || { bad=$((bad + 1)); echo "  text $i differs"; }
  done < "$shared/golden/texts.txt"
  check "$(basename "$golden"): all $i texts give llama.cpp's ids" '[ $bad -eq 0 ] && [ $i -gt 0 ]'
done
exit $fail
