#!/usr/bin/env bash
# CLI contract of `clinsum eval-summary DIR --json`: rouge1, rouge2, rougeL
# (F1 in 0..1) and flags_per_summary, on any folder of {id, source,
# reference} .jsonl files; and the figure on the shared ACI-Bench valid set.
set -u
bin=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }
mkdir "$tmp/set"
cat > "$tmp/set/a.jsonl" <<'J'
{"id": "1", "source": "[doctor] what brings you in ?\n[patient] i have a cough for three days .\n[doctor] on exam , lungs are clear . my plan is rest and fluids .", "reference": "CHIEF COMPLAINT\nCough.\nHISTORY OF PRESENT ILLNESS\nThe patient has a cough for three days.\nASSESSMENT AND PLAN\nRest and fluids."}
{"id": "2", "source": "HPI: Cough for three days.\nPLAN: Rest and fluids.", "reference": "Cough for three days. Rest and fluids."}
J
js=$("$bin" eval-summary "$tmp/set" --json); rc=$?
check "json contract" '[ $rc -eq 0 ] && echo "$js" | python3 -c "
import json,sys; o=json.load(sys.stdin)
for k in (\"rouge1\",\"rouge2\",\"rougeL\"): assert 0 < o[k] <= 1, k
assert o[\"flags_per_summary\"] == 0 and o[\"n\"] == 2
"'
out=$("$bin" eval-summary "$tmp/set")
check "table output" 'echo "$out" | grep -q "^a.jsonl *2 "'
"$bin" eval-summary "$tmp/none" >/dev/null 2>&1; rc=$?
check "missing folder fails" '[ $rc -eq 1 ]'

aci="$src/../shared/corpus/summ-aci-bench"
if [ -f "$aci/valid.jsonl" ]; then
  mkdir "$tmp/valid" && cp "$aci/valid.jsonl" "$tmp/valid/"
  js=$("$bin" eval-summary "$tmp/valid" --json)
  check "ACI-Bench valid: extractive ROUGE-1 above the 0.44 retrieval baseline" 'echo "$js" | python3 -c "
import json,sys; o=json.load(sys.stdin); print(\"rouge1\", o[\"rouge1\"]); assert o[\"rouge1\"] > 0.44"'
else
  echo "skip: $aci not present"
fi
exit $fail
