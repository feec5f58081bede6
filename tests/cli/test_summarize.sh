#!/usr/bin/env bash
# CLI contract of `clinsum summarize`: Markdown by default; --format json is
# one object with summary, mode, flags, redaction, timings_ms; FHIR is a
# Composition; --out writes atomically; errors are one line with no text.
set -u
bin=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }
sample="$src/samples/discharge_summary.txt"
export CLINSUM_MODEL=   # no model: the extractive path
mkdir -p "$tmp/w/d"; cd "$tmp/w/d"   # no ./models nor ../shared/models here

out=$("$bin" summarize "$sample" 2>/dev/null); rc=$?
check "markdown summary" '[ $rc -eq 0 ] && echo "$out" | grep -q "^## Medications" && echo "$out" | grep -q "Furosemide 40 mg"'
check "says it used the extractive summarizer and how to add a model" 'echo "$out" | grep -q "extractive summarizer" && echo "$out" | grep -q -- "--model"'

js=$("$bin" summarize "$sample" --format json 2>/dev/null); rc=$?
check "json exits 0" '[ $rc -eq 0 ]'
check "json contract keys" 'echo "$js" | python3 -c "
import json,sys; o=json.load(sys.stdin)
assert isinstance(o[\"summary\"], str) and o[\"summary\"]
assert o[\"mode\"] == \"extractive\"
assert isinstance(o[\"flags\"], list) and isinstance(o[\"redaction\"], dict)
assert all(k in o[\"timings_ms\"] for k in (\"parse\",\"redact\",\"summarize\",\"check\",\"total\"))
assert o[\"sections_used\"]
"'

check "redacted before summarizing: counts per category, no identifiers" 'echo "$js" | python3 -c "
import json,sys; o=json.load(sys.stdin)
assert o[\"redaction_applied\"] and o[\"redaction\"][\"NAME\"] > 0 and o[\"redaction\"][\"PHONE\"] > 0
assert \"Brennigan\" not in o[\"summary\"] and \"555-0198\" not in o[\"summary\"]
"'

mkdir "$tmp/au"; export XDG_DATA_HOME="$tmp/au/xdg"
"$bin" summarize "$sample" --audit "$tmp/au/audit.log" --out "$tmp/au/a.md" 2>/dev/null; rc=$?
check "audit log: opened, parsed, redacted, summary produced" '[ $rc -eq 0 ] && for e in document_opened parsed redacted summary_produced; do grep -q "\"type\":\"$e\"" "$tmp/au/audit.log" || exit 1; done'
check "audit log has hashes and counts, no text" '! grep -qi "brennigan\|furosemide\|shortness" "$tmp/au/audit.log" && grep -q "\"n_name\":[1-9]" "$tmp/au/audit.log"'
check "audit summary hash is the output's" 'grep -q "$(sha256sum "$tmp/au/a.md" | cut -c1-64)" "$tmp/au/audit.log"'
check "audit document hash is the input's" 'grep -q "$(sha256sum "$sample" | cut -c1-64)" "$tmp/au/audit.log"'
rm -rf "$tmp/au"

fh=$("$bin" summarize "$sample" --format fhir --style brief 2>/dev/null)
check "fhir composition" 'echo "$fh" | python3 -c "
import json,sys; o=json.load(sys.stdin)
assert o[\"resourceType\"] == \"Composition\" and o[\"section\"] and o[\"type\"][\"coding\"][0][\"code\"] == \"34133-9\"
"'

mkdir "$tmp/o"
"$bin" summarize "$sample" --out "$tmp/o/s.md" 2>/dev/null; rc=$?
check "--out writes the file and nothing else" '[ $rc -eq 0 ] && grep -q "## Medications" "$tmp/o/s.md" && [ $(ls -A "$tmp/o" | wc -l) -eq 1 ]'

printf '[doctor] hi , how are you ?\n[patient] my knee hurts since i fell .\n[doctor] on exam , there is swelling . my plan is ice and ibuprofen .\n' > "$tmp/t.txt"
out=$("$bin" summarize "$tmp/t.txt" 2>/dev/null)
check "transcript becomes a note" 'echo "$out" | grep -q "History of present illness" && echo "$out" | grep -qi "the patient.s knee hurts"'

out=$("$bin" summarize "$sample" --extractive 2>/dev/null)
check "--extractive never looks for a model" 'echo "$out" | grep -q "as asked with --extractive"'

# The model path with a shared random-weight model: plumbing only.
model="$src/../shared/models/micro-llama-bpe-random-f16.gguf"
if [ -f "$model" ]; then
  js=$("$bin" summarize "$sample" --model "$model" --max-tokens 24 --format json 2>"$tmp/err"); rc=$?
  if grep -q "unsupported" "$tmp/err"; then echo "skip: this build has no inference module"
  else
    check "model mode: JSON says model, redacted, sections sent" '[ $rc -eq 0 ] && echo "$js" | python3 -c "
import json,sys; o=json.load(sys.stdin)
assert o[\"mode\"] == \"model\" and o[\"redaction_applied\"] and o[\"sections_used\"]
assert isinstance(o[\"flags\"], list) and o[\"timings_ms\"][\"summarize\"] > 0
"'
    js=$(CLINSUM_MODEL="$model" "$bin" summarize "$sample" --max-tokens 8 --format json 2>/dev/null)
    check "discovery: CLINSUM_MODEL" 'echo "$js" | grep -q "\"mode\":\"model\""'
    md=$(CLINSUM_MODEL="$model" "$bin" summarize "$sample" --max-tokens 8 2>/dev/null)
    check "a model summary names the model that wrote it" 'echo "$md" | grep -q "Written by the local model micro-llama-bpe-random-f16.gguf"'
    mkdir models && ln -s "$model" models/m.gguf
    js=$("$bin" summarize "$sample" --max-tokens 8 --format json 2>/dev/null)
    check "discovery: ./models/*.gguf" 'echo "$js" | grep -q "\"mode\":\"model\""'
    rm -rf models
    printf 'GGUF but not really' > "$tmp/broken.gguf"
    out=$(CLINSUM_MODEL="$tmp/broken.gguf" "$bin" summarize "$sample" 2>/dev/null); rc=$?
    check "a discovered model that cannot load: extractive, and says why" '[ $rc -eq 0 ] && echo "$out" | grep -q "could not be loaded"'
    rm -f "$tmp/broken.gguf"
    big="$src/../shared/models/smollm2-135m-shape-random-q4_k_m.gguf"
    if [ -f "$big" ]; then
      "$bin" summarize "$sample" --model "$big" --max-tokens 3000 >"$tmp/out" 2>"$tmp/err" & pid=$!
      sleep 3; kill -INT $pid; wait $pid; rc=$?
      check "Ctrl-C cancels generation: error, no summary printed" '[ $rc -eq 1 ] && grep -q "cancelled" "$tmp/err" && [ ! -s "$tmp/out" ]'
      rm -f "$tmp/out"
    fi
  fi
  rm -f "$tmp/err"
else
  echo "skip: $model not present"
fi

printf 'SECRETNAME\0\1\2' > "$tmp/bin.dat"
err=$("$bin" summarize "$tmp/bin.dat" 2>&1 >/dev/null); rc=$?
check "bad file: one line, non-zero, no text" '[ $rc -eq 1 ] && [ $(echo "$err" | wc -l) -eq 1 ] && echo "$err" | grep -q "bin.dat: " && ! echo "$err" | grep -q SECRETNAME'
err=$("$bin" summarize "$sample" --model "$tmp/none.gguf" 2>&1 >/dev/null); rc=$?
check "a named model that is missing is an error" '[ $rc -eq 1 ] && echo "$err" | grep -q "none.gguf"'
"$bin" summarize "$sample" --style poem >/dev/null 2>&1; rc=$?
check "unknown style is a usage error" '[ $rc -eq 2 ]'
"$bin" summarize >/dev/null 2>&1; rc=$?
check "missing file argument is a usage error" '[ $rc -eq 2 ]'
exit $fail
