#!/usr/bin/env bash
# PHI-free audit: run the pipeline over every PHI-annotated note in
# ../shared/corpus/phi-*/notes.jsonl with an audit log, export the bundle,
# then search the log and every bundle file for every annotated identifier:
# zero hits.  Uses `clinsum summarize FILE --audit LOG` when the CLI has it;
# otherwise tests/tools/audit_pipeline (the parse and redaction steps with
# their events) and says so.  Skips when ../shared is absent.
set -u
bin=$1; src=$2
shared=$src/../shared
tools=$(dirname "$bin")/../tests
notes=$(ls "$shared"/corpus/phi-*/notes.jsonl 2>/dev/null)
if [ -z "$notes" ]; then echo "skip: no PHI-annotated corpus under $shared (users do not have it)"; exit 0; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CLINSUM_KEY_DIR=$tmp/keys
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

# shellcheck disable=SC2086
node "$src/tests/cli/phi_scan.js" extract "$tmp" $notes || exit 1
log=$tmp/audit.jsonl
# The baseline runs the same steps on a note with no patient data, so the
# schema's own words (event types, field names such as n_email, settings)
# and the report template count as vocabulary, not as leaks.
printf 'Assessment: stable.\nPlan: follow up in clinic.\n' > "$tmp/plain.txt"
# CS_PHI_STRIDE=k takes every k-th note (the ASan build sets 10; native runs all).
stride=${CS_PHI_STRIDE:-1}
ls "$tmp"/notes/*.txt | awk -v k="$stride" '(NR - 1) % k == 0' > "$tmp/list"
n=$(wc -l < "$tmp/list")
if "$bin" summarize 2>&1 | grep -q -- '--audit'; then
  echo "pipeline: clinsum summarize FILE --extractive --audit LOG, two processes at a time ($n notes)"
  # Two writers share the log, as a batch script would: flock keeps one chain.
  xargs -P 2 -I{} sh -c '"$1" summarize "$2" --extractive --audit "$3" >/dev/null 2>&1 || echo "$2"' _ "$bin" {} "$log" \
    < "$tmp/list" > "$tmp/failed"
  check "summarize ran on every note" '[ ! -s "$tmp/failed" ]'
  "$bin" summarize "$tmp/plain.txt" --extractive --audit "$tmp/base.jsonl" >/dev/null 2>&1
else
  echo "pipeline: clinsum summarize has no --audit yet; using audit_pipeline (parse + redaction events) ($n notes)"
  xargs "$tools/audit_pipeline" "$log" < "$tmp/list"
  check "every note went through parse and redaction" '[ $? -eq 0 ]'
  "$tools/audit_pipeline" "$tmp/base.jsonl" "$tmp/plain.txt"
fi
check "one document_opened event per note" '[ $(grep -c "\"type\":\"document_opened\"" "$log") -eq $n ]'
check "the log verifies" '"$bin" audit verify "$log" >/dev/null'
"$bin" audit export "$log" --out "$tmp/bundle" >/dev/null
check "the bundle was exported" '[ -s "$tmp/bundle/report.html" ]'

"$bin" audit export "$tmp/base.jsonl" --out "$tmp/baseline" >/dev/null
cp "$tmp/base.jsonl" "$tmp/base.jsonl.seal" "$tmp/baseline/"
out=$(node "$src/tests/cli/phi_scan.js" scan "$tmp/identifiers.json" "$tmp/baseline" "$log" "$log.seal" "$tmp"/bundle/*)
rc=$?
echo "$out" | tail -n 20
check "no annotated identifier in the log or the bundle" '[ $rc -eq 0 ]'
# Control: the scan does find an identifier planted in a copy of the log.
node -e 'const ids = require(process.argv[1]); console.log(ids.find((i) => i.text.length >= 6).text)' \
  "$tmp/identifiers.json" | cat "$log" - > "$tmp/leaky.jsonl"
node "$src/tests/cli/phi_scan.js" scan "$tmp/identifiers.json" "$tmp/baseline" "$tmp/leaky.jsonl" >/dev/null
check "the scan finds an identifier planted in the log" '[ $? -eq 1 ]'
exit $fail
