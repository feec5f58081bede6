#!/usr/bin/env bash
# CLI contract of `clinsum generate --model M.gguf --greedy -n N --raw FILE`:
# the file's text verbatim in, only the generated text out; errors are one
# line naming the file.  With ../shared present, the micro f16 model (whose
# logits we reproduce bit for bit) must print llama.cpp's greedy text for
# every golden prompt.
set -u
bin=$1; src=$2
shared="$src/../shared"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }

"$bin" generate >/dev/null 2>&1; rc=$?
check "missing arguments are a usage error" '[ $rc -eq 2 ]'
"$bin" generate --model x.gguf --bogus f >/dev/null 2>&1; rc=$?
check "unknown option is a usage error" '[ $rc -eq 2 ]'
"$bin" generate --model x.gguf -n 0 f >/dev/null 2>&1; rc=$?
check "-n 0 is a usage error" '[ $rc -eq 2 ]'

printf 'SECRETNAME' > "$tmp/in.txt"
printf 'GGUF\3\0\0\0SECRETNAME' > "$tmp/bad.gguf"
for f in missing.gguf bad.gguf; do
  out=$("$bin" generate --model "$tmp/$f" --greedy --raw "$tmp/in.txt" 2>"$tmp/err"); rc=$?
  err=$(cat "$tmp/err")
  check "$f exits 1 with nothing on stdout" '[ $rc -eq 1 ] && [ -z "$out" ]'
  check "$f error is one line naming the model" '[ $(echo "$err" | wc -l) -eq 1 ] && echo "$err" | grep -q "^clinsum: .*$f: "'
  check "$f error has no text" '! echo "$err" | grep -q SECRETNAME'
done

if [ ! -d "$shared/models" ]; then echo "skip: $shared absent, no golden comparison"; exit $fail; fi
model="$shared/models/micro-llama-bpe-random-f16.gguf"
err=$("$bin" generate --model "$model" --greedy --raw "$tmp/missing.txt" 2>&1 >/dev/null); rc=$?
check "missing input exits 1 naming it" '[ $rc -eq 1 ] && echo "$err" | grep -q "missing.txt: "'
out=$("$bin" generate --model "$model" --chat "hello" -n 4 --seed 3 2>/dev/null); rc=$?
check "--chat runs and prints text" '[ $rc -eq 0 ] && [ -n "$out" ]'

# prompts.txt escapes \n, \t and \\; gen-*.jsonl line i continues prompt i
golden="$shared/golden/gen-micro-llama-bpe-random-f16.jsonl"
i=0; bad=0
while IFS= read -r line || [ -n "$line" ]; do
  i=$((i + 1))
  printf '%b' "$line" > "$tmp/p.txt"
  sed -n "${i}p" "$golden" > "$tmp/g.json"
  node --no-experimental-fetch -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).greedy_text)' "$tmp/g.json" > "$tmp/want.txt"
  "$bin" generate --model "$model" --greedy -n 32 --raw "$tmp/p.txt" > "$tmp/got.txt" || bad=$((bad + 1))
  cmp -s "$tmp/want.txt" "$tmp/got.txt" || { bad=$((bad + 1)); echo "  prompt $i differs"; }
done < "$shared/golden/prompts.txt"
check "micro f16: all $i prompts continue exactly as llama.cpp's greedy text" '[ $bad -eq 0 ] && [ $i -gt 0 ]'
exit $fail
