#!/usr/bin/env bash
# CLI contract of `clinsum audit verify` and `clinsum audit export`: exit 0
# only for an intact log, otherwise exit 1 naming the first bad event's
# sequence number and what happened there; export writes the bundle and
# records itself in the log.
set -u
bin=$1; src=$2
fixture=$(dirname "$bin")/../tests/audit_fixture
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CLINSUM_KEY_DIR=$tmp/keys
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }

# 10 parsed events and a network one, checkpoints after every 4: seq 1-4,
# ckpt 5, 6-9, ckpt 10, 11-12 parsed, 13 network, closing ckpt 14.
"$fixture" "$tmp/log" 10 4 || { echo "FAIL: fixture"; exit 1; }
pub=$tmp/keys/audit-ed25519.pub

out=$("$bin" audit verify "$tmp/log"); rc=$?
check "intact log verifies" '[ $rc -eq 0 ] && echo "$out" | grep -q "intact: 14 events"'
out=$("$bin" audit verify "$tmp/log" --key "$pub" --json); rc=$?
check "intact log verifies against its key" '[ $rc -eq 0 ] && echo "$out" | grep -q "\"intact\":true"'

# tamper LOG_TRANSFORM PROBLEM SEQ: each tampering fails, naming the event.
tamper() {
  local name=$1 problem=$2 seq=$3; shift 3
  cp "$tmp/log" "$tmp/t"; cp "$tmp/log.seal" "$tmp/t.seal"
  "$@" "$tmp/t"
  out=$("$bin" audit verify "$tmp/t" --key "$pub" 2>"$tmp/err"); rc=$?
  check "$name: exit 1" '[ $rc -eq 1 ]'
  check "$name: names $problem at seq $seq" 'echo "$out" | grep -q "first bad event seq $seq: $problem"'
  check "$name: one-line error with the seq" '[ $(wc -l < "$tmp/err") -eq 1 ] && grep -q "at seq $seq" "$tmp/err"'
}
modify() { sed -i '7s/"sections":5/"sections":9/' "$1"; }
delete() { sed -i '3d' "$1"; }
reorder() { awk 'NR==6{h=$0;next} NR==7{print;print h;next} 1' "$1" > "$1.x" && mv "$1.x" "$1"; }
insert() { sed -i '8{p;}' "$1"; }
truncate_tail() { head -n 10 "$1" > "$1.x" && mv "$1.x" "$1"; }
drop_seal() { rm "$1.seal"; }
tamper "modify" modified 7 modify
tamper "delete" deleted 3 delete
tamper "reorder" reordered 6 reorder
tamper "insert" inserted 8 insert
tamper "truncate" truncated 11 truncate_tail
tamper "seal removed" seal_missing 15 drop_seal

# Key substitution: a whole log re-signed with another key.
CLINSUM_KEY_DIR=$tmp/other "$fixture" "$tmp/forged" 10 4
out=$("$bin" audit verify "$tmp/forged"); rc=$?
check "a re-signed log is self-consistent without --key" '[ $rc -eq 0 ]'
out=$("$bin" audit verify "$tmp/forged" --key "$pub" 2>/dev/null); rc=$?
check "key substitution is caught with --key" '[ $rc -eq 1 ] && echo "$out" | grep -q "seq 5: key_substituted"'

err=$("$bin" audit verify "$tmp/missing" 2>&1 >/dev/null); rc=$?
check "missing log: exit 1, one-line error" '[ $rc -eq 1 ] && [ $(echo "$err" | wc -l) -eq 1 ] && echo "$err" | grep -q "missing: input/output error"'
"$bin" audit verify >/dev/null 2>&1; rc=$?
check "no log is a usage error" '[ $rc -eq 2 ]'
"$bin" audit frobnicate >/dev/null 2>&1; rc=$?
check "unknown audit subcommand is a usage error" '[ $rc -eq 2 ]'

# Export: a tiny module importing only env.fd_write (no network).
printf '\0asm\1\0\0\0\2\20\1\3env\10fd_write\0\0' > "$tmp/clean.wasm"
out=$("$bin" audit export "$tmp/log" --out "$tmp/bundle" --key "$pub" --wasm "$tmp/clean.wasm"); rc=$?
check "export exits 0" '[ $rc -eq 0 ]'
for f in audit.jsonl audit.jsonl.seal audit-ed25519.pub verification.json egress.json report.html manifest.json; do
  check "bundle has $f" '[ -s "$tmp/bundle/$f" ]'
done
check "bundle key is the trusted key" 'cmp -s "$tmp/bundle/audit-ed25519.pub" "$pub"'
check "egress: CSP quoted" 'grep -q "connect-src '"'"'self'"'"'" "$tmp/bundle/egress.json"'
check "egress: module has no network imports" 'grep -q "\"no_network_capability\":\s*true" "$tmp/bundle/egress.json"'
check "egress: one blocked request counted" 'grep -A2 network_events_in_log "$tmp/bundle/egress.json" | grep -q "\"blocked\":\s*1"'
check "report loads nothing external" '! grep -Eiq "(src|href)=|url\(|@import" "$tmp/bundle/report.html"'
check "report says intact" 'grep -q "Log intact" "$tmp/bundle/report.html"'
check "export recorded in the log" 'tail -n 2 "$tmp/log" | grep -q "\"type\":\"exported\""'
check "log still verifies after the export" '"$bin" audit verify "$tmp/log" --key "$pub" >/dev/null'
check "bundle copy verifies on its own" '"$bin" audit verify "$tmp/bundle/audit.jsonl" --key "$tmp/bundle/audit-ed25519.pub" >/dev/null'

printf '\0asm\1\0\0\0\2\30\1\3env\20__syscall_socket\0\0' > "$tmp/net.wasm"
"$bin" audit export "$tmp/log" --out "$tmp/bundle2" --wasm "$tmp/net.wasm" >/dev/null; rc=$?
check "a module importing sockets is flagged" '[ $rc -eq 0 ] && grep -q "\"network_imports\":\s*1" "$tmp/bundle2/egress.json"'

cp "$tmp/log" "$tmp/t"; cp "$tmp/log.seal" "$tmp/t.seal"; sed -i '3d' "$tmp/t"
before=$(wc -l < "$tmp/t")
"$bin" audit export "$tmp/t" --out "$tmp/bundle3" >/dev/null 2>&1; rc=$?
check "exporting a tampered log writes the bundle and exits 1" '[ $rc -eq 1 ] && grep -q "FAILED" "$tmp/bundle3/report.html"'
check "a tampered log gets no export event" '[ $(wc -l < "$tmp/t") -eq $before ]'
# summarize --model --audit records model_loaded: the file's SHA-256, its
# architecture and quantization (never its path).
model=$src/../shared/models/tiny-llama-spm-random-q4_k_m.gguf
if [ -f "$model" ]; then
  sum=$(sha256sum "$model" | cut -d' ' -f1)
  "$bin" summarize "$src/samples/discharge_summary.txt" --model "$model" --max-tokens 4 \
    --audit "$tmp/m.jsonl" >/dev/null 2>&1; rc=$?
  check "summarize --model --audit: exit 0" '[ $rc -eq 0 ]'
  check "model_loaded names the file's SHA-256, arch and quantization" \
    'grep "\"type\":\"model_loaded\"" "$tmp/m.jsonl" | grep -q "\"sha256\":\"$sum\",\"arch\":\"llama\",\"quant\":\"Q4_K_M\""'
  check "model_loaded holds no path" '! grep -q "shared/models" "$tmp/m.jsonl"'
  check "the log with a model verifies" '"$bin" audit verify "$tmp/m.jsonl" >/dev/null'
else
  echo "skip: no ../shared/models/tiny-llama-spm-random-q4_k_m.gguf; model_loaded is not checked"
fi

exit $fail
