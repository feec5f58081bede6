#!/usr/bin/env bash
# The browser's audit entry points (app/wasm_web_audit.c) under node, with
# the log and key in MEMFS copied to and from a store directory by
# ui/audit-store.js, as the web worker does with OPFS: a log the WASM code writes verifies with the native
# `clinsum audit verify`, a second session continues the chain, the exported
# ZIP is readable and verifies, no document identifier reaches any file, and
# tampering, a torn tail and a replaced key are handled.
set -u
wasm=$1; native=$2
mod=$wasm/tests/wasm/wasm_web_audit.js
drv=$(dirname "$0")/web_audit.js
clinsum=$native/app/clinsum
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
run() { node --no-experimental-fetch "$drv" "$mod" "$@"; }
# field '["a"]["b"]': a member of the JSON on stdin, printed as Python would
# (True/False, [1, 1]) so the checks read the same with either tool.
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=eval("JSON.parse(s)"+process.argv[1]);
  console.log(v===true?"True":v===false?"False":Array.isArray(v)?"["+v.join(", ")+"]":v)})' "$1"; }
# An independent zip reader: python3's zipfile, else Info-ZIP's unzip.
if python3 -c 'import zipfile' 2>/dev/null; then
  ztest() { python3 -m zipfile -t "$1" >/dev/null; }; zx() { python3 -m zipfile -e "$1" "$2"; }
else
  ztest() { unzip -tq "$1" >/dev/null; }; zx() { unzip -q "$1" -d "$2"; }
fi
s=$tmp/store; pub=$s/audit-ed25519.pub

# A document with identifiers that must never reach the log or the bundle.
printf '<ClinicalDocument><patient>Zebulon Quackenbush</patient><id>MRN 99887766</id>\n<dob>1931-02-17</dob></ClinicalDocument>\n' > "$tmp/doc.xml"

out=$(run "$s" session "$tmp/doc.xml" "$tmp/a.zip"); rc=$?
check "session 1: every entry point returns CS_OK, the zip is built" '[ $rc -eq 0 ]'
check "session 1: the module verifies its own log (intact, signed, sealed)" \
  '[ "$(echo "$out" | field "[\"report\"][\"intact\"]")" = True ] && [ "$(echo "$out" | field "[\"report\"][\"seal\"][\"present\"]")" = True ]'
check "session 1: URLs reduced to origins, non-network URLs skipped" \
  'grep -q "\"origin\":\"https://evil.example.com\",\"action\":\"blocked\"" "$s/audit.jsonl" && grep -q "\"origin\":\"http://\[::1\]:9000\"" "$s/audit.jsonl" && [ "$(echo "$out" | field "[\"network_skipped\"]")" = "[1, 1, 1]" ]'
check "native clinsum verifies the browser-written log against the browser key" \
  '"$clinsum" audit verify "$s/audit.jsonl" --key "$pub" >/dev/null'
last1=$(echo "$out" | field '["last_seq"]')

out=$(run "$s" session "$tmp/doc.xml" "$tmp/b.zip"); rc=$?
first2=$(echo "$out" | field '["first_seq"]')
check "session 2 (a reload) continues the chain at seq $((last1 + 1))" '[ $rc -eq 0 ] && [ "$first2" = $((last1 + 1)) ]'
check "native verifies both sessions as one chain" \
  '"$clinsum" audit verify "$s/audit.jsonl" --key "$pub" | grep -q "intact: $(echo "$out" | field "[\"last_seq\"]") events"'

mkdir "$tmp/z"
check "an independent reader accepts the exported zip" 'ztest "$tmp/b.zip"'
zx "$tmp/b.zip" "$tmp/z"
check "the zipped log verifies natively with the zipped and the browser key" \
  '"$clinsum" audit verify "$tmp/z/audit.jsonl" --key "$tmp/z/audit-ed25519.pub" >/dev/null && "$clinsum" audit verify "$tmp/z/audit.jsonl" --key "$pub" >/dev/null'
check "the bundle says intact, key trusted" 'grep -q "\"intact\":\s*true" "$tmp/z/verification.json" && grep -q "trusted key" "$tmp/z/verification.json"'
check "egress: the web module passed in has no network imports, names resolved via its glue" \
  'grep -q "\"network_imports\":\s*0" "$tmp/z/egress.json" && grep -q "\"no_network_capability\":\s*true" "$tmp/z/egress.json" && grep -q "\"js_name\":\s*\"_fd_write\"" "$tmp/z/egress.json"'
check "the exports were recorded in the log (audit_bundle)" '[ $(grep -c "\"what\":\"audit_bundle\"" "$s/audit.jsonl") -eq 2 ]'
leaks=$(grep -rl -e Zebulon -e Quackenbush -e 99887766 -e 1931-02-17 -e Smith -e steal -e "pw@" "$s" "$tmp/z" | wc -l)
check "no identifier or URL path/query/userinfo in the store or the bundle ($leaks files)" '[ "$leaks" -eq 0 ]'

# Crash in the browser mid-write: a torn final line in storage.
cp -r "$s" "$tmp/torn"
torn='{"v":1,"seq":999,"time":"2026-'
printf '%s' "$torn" >> "$tmp/torn/audit.jsonl"
out=$(run "$tmp/torn" session "$tmp/doc.xml" "$tmp/c.zip"); rc=$?
check "a torn tail is cut, recorded as 'recovered', and the chain continues" \
  '[ $rc -eq 0 ] && grep -q "\"type\":\"recovered\",\"fields\":{\"torn_bytes\":${#torn}" "$tmp/torn/audit.jsonl" && "$clinsum" audit verify "$tmp/torn/audit.jsonl" --key "$pub" >/dev/null'

# Someone edits the stored log.
cp -r "$s" "$tmp/edit"
sed -i '2s/"sections":5/"sections":6/' "$tmp/edit/audit.jsonl"
out=$(run "$tmp/edit" verify); rc=$?
check "an edited event: the module reports modified at seq 2" \
  '[ $rc -eq 1 ] && [ "$(echo "$out" | field "[\"report\"][\"problem\"]")" = modified ] && [ "$(echo "$out" | field "[\"report\"][\"first_bad_seq\"]")" = 2 ]'
check "an edited event: native verify fails at seq 2" \
  '! "$clinsum" audit verify "$tmp/edit/audit.jsonl" --key "$pub" 2>/dev/null | grep -q intact && "$clinsum" audit verify "$tmp/edit/audit.jsonl" 2>&1 | grep -q "seq 2: modified"'

# The stored key replaced (or lost): a new key continues the log; the old
# key catches it.
cp -r "$s" "$tmp/rekey"; rm "$tmp/rekey/"audit-ed25519.*
out=$(run "$tmp/rekey" session "$tmp/doc.xml" "$tmp/d.zip")
check "a log continued under a new key fails against the old key (key_substituted)" \
  '"$clinsum" audit verify "$tmp/rekey/audit.jsonl" --key "$pub" 2>/dev/null | grep -q "key_substituted"'

# Two tabs of the page share the store: each operation re-reads what the
# other appended, so the chain stays one chain.
out=$(run "$tmp/tabs" tabs 10); rc=$?
check "two tabs appending in turn keep one chain (native verify, 20 events + checkpoints)" \
  '[ $rc -eq 0 ] && "$clinsum" audit verify "$tmp/tabs/audit.jsonl" --key "$tmp/tabs/audit-ed25519.pub" >/dev/null && [ $(grep -c "\"type\":\"parsed\"" "$tmp/tabs/audit.jsonl") -eq 20 ]'

out=$(run "$tmp/empty" errors); rc=$?
echo "$out"
check "error paths: all checked, driver exit 0" '[ $rc -eq 0 ] && [ $(echo "$out" | grep -c "^ok:") -eq 12 ]'

exit $fail
