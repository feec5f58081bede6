#!/usr/bin/env bash
# The audit log in WASM: appends and verifies a chain under node, and the
# native and WASM builds accept each other's logs (same format, same crypto).
# Also attests the WASM module itself: its import section has no networking.
set -u
wasm=$1; native=$2
tool=$wasm/tests/wasm/wasm_audit.js
run() { node --no-experimental-fetch "$tool" "$@"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

run write "$tmp/w.jsonl" "$tmp/wkeys" 20
check "wasm appends a chain of 20 events" '[ $? -eq 0 ] && [ $(wc -l < "$tmp/w.jsonl") -eq 23 ]'
out=$(run verify "$tmp/w.jsonl" "$tmp/wkeys/audit-ed25519.pub"); rc=$?
check "wasm verifies its own chain" '[ $rc -eq 0 ] && echo "$out" | grep -q "\"intact\":true"'
check "native verifies the wasm chain" '"$native/app/clinsum" audit verify "$tmp/w.jsonl" --key "$tmp/wkeys/audit-ed25519.pub" >/dev/null'
run write "$tmp/w.jsonl" "$tmp/wkeys" 3
check "wasm continues an existing chain" '"$native/app/clinsum" audit verify "$tmp/w.jsonl" >/dev/null && [ $(wc -l < "$tmp/w.jsonl") -eq 27 ]'
sed -i '5s/"size":4/"size":5/' "$tmp/w.jsonl"
out=$(run verify "$tmp/w.jsonl"); rc=$?
check "wasm detects a modified event" '[ $rc -eq 1 ] && echo "$out" | grep -q "\"problem\":\"modified\",\"first_bad_seq\":5"'

CLINSUM_KEY_DIR=$tmp/nkeys "$native/tests/audit_fixture" "$tmp/n.jsonl" 12 5
out=$(run verify "$tmp/n.jsonl" "$tmp/nkeys/audit-ed25519.pub"); rc=$?
check "wasm verifies a native chain" '[ $rc -eq 0 ]'

mod=$wasm/tests/wasm/wasm_audit.wasm
CLINSUM_KEY_DIR=$tmp/nkeys "$native/app/clinsum" audit export "$tmp/n.jsonl" --out "$tmp/bundle" --wasm "$mod" >/dev/null
check "the compiled module imports no network functions" 'grep -q "\"network_imports\":\s*0" "$tmp/bundle/egress.json" && grep -q "\"no_network_capability\":\s*true" "$tmp/bundle/egress.json"'
check "its minified import names were resolved through the JS glue" 'grep -q "\"js_name\":\s*\"_fd_write\"" "$tmp/bundle/egress.json"'
exit $fail
