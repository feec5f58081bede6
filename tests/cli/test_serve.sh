#!/usr/bin/env bash
# `clinsum serve`: binds 127.0.0.1 only (unless --allow-remote), GET/HEAD
# only, no listing, no path traversal (.., encoded .., symlinks, hidden
# names), MIME types, and the policy headers on every response (the CSP
# equal to the meta tag of ui/index.html, so the two cannot drift apart).
set -u
bin=$1; src=$2
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

root=$tmp/root
mkdir -p "$root/sub" "$root/empty"
echo '<!doctype html><title>t</title>' > "$root/index.html"
echo 'export {};' > "$root/app.js"
echo 'body{}' > "$root/style.css"
printf '\0asm\1\0\0\0' > "$root/m.wasm"
echo 'blob' > "$root/data.bin"
echo 'sub index' > "$root/sub/index.html"
echo 'dotfile' > "$root/.hidden"
echo 'SECRET-OUTSIDE' > "$tmp/secret.txt"
ln -s ../secret.txt "$root/link.txt"

# start ARGS...: runs `clinsum serve ARGS` and sets $url, $pid, $err;
# start_bin BIN ARGS... does the same with another copy of the binary.
start() { start_bin "$bin" "$@"; }
start_bin() {
  local exe=$1; shift
  local out=$tmp/out.$RANDOM; err=$tmp/err.$RANDOM
  "$exe" serve "$@" > "$out" 2> "$err" &
  pid=$!; pids+=("$pid"); url=
  for _ in $(seq 50); do
    url=$(sed -n 's/^clinsum: serving .* at \(http:[^ ]*\)$/\1/p' "$out")
    [ -n "$url" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
# listening ADDR_HEX PORT: is there a listening TCP socket on ADDR:PORT?
listening() { awk -v a="$1:$(printf '%04X' "$2")" '$2 == a && $4 == "0A" {f=1} END {exit !f}' /proc/net/tcp; }
code() { curl -s -o /dev/null -w '%{http_code}' --path-as-is "$@"; }
header() { curl -s -D - -o /dev/null --path-as-is "$2" | tr -d '\r' | sed -n "s/^$1: //Ip" | head -1; }

check "serve starts on a free port (--port 0)" 'start --root "$root" --port 0'
port=${url##*:}; port=${port%/}
check "the URL it prints is on 127.0.0.1" '[[ $url == http://127.0.0.1:* ]]'
check "it listens on 127.0.0.1 only" 'listening 0100007F "$port" && ! listening 00000000 "$port"'

csp=$(sed -n 's/.*http-equiv="Content-Security-Policy" content="\([^"]*\)".*/\1/p' "$src/ui/index.html")
check "ui/index.html carries the CSP as a meta tag" '[[ $csp == *"default-src '"'self'"'"* ]]'
for path in / /index.html /missing.html; do
  h=$(curl -s -D - -o /dev/null "$url${path#/}" | tr -d '\r')
  check "headers on $path: CSP as in the meta tag" 'grep -qxF "Content-Security-Policy: $csp" <<< "$h"'
  check "headers on $path: COOP, COEP, nosniff, no-referrer, Cache-Control" \
    'grep -qx "Cross-Origin-Opener-Policy: same-origin" <<< "$h" && grep -qx "Cross-Origin-Embedder-Policy: require-corp" <<< "$h" &&
     grep -qx "X-Content-Type-Options: nosniff" <<< "$h" && grep -qx "Referrer-Policy: no-referrer" <<< "$h" && grep -qi "^Cache-Control: " <<< "$h"'
done
check "GET / serves index.html" '[ "$(curl -s "$url")" = "$(cat "$root/index.html")" ]'
check "HEAD: 200, a length and no body" '[ "$(curl -s -I -o /dev/null -w "%{http_code} %{size_download}" "$url")" = "200 0" ] && [ -n "$(header Content-Length "${url}app.js")" ]'
check "MIME: .wasm is application/wasm" '[ "$(header Content-Type "${url}m.wasm")" = application/wasm ]'
check "MIME: .js, .css, .html" '[[ $(header Content-Type "${url}app.js") == text/javascript* && $(header Content-Type "${url}style.css") == text/css* && $(header Content-Type "$url") == text/html* ]]'
check "MIME: unknown is application/octet-stream" '[ "$(header Content-Type "${url}data.bin")" = application/octet-stream ]'
check "a missing file is 404" '[ "$(code "${url}nope.js")" = 404 ]'
check "a directory with index.html serves it" '[ "$(curl -s "${url}sub/")" = "sub index" ]'
check "no directory listing" '[ "$(code "${url}empty/")" = 404 ]'
for p in ../secret.txt %2e%2e/secret.txt %2E%2E%2Fsecret.txt sub/../../secret.txt link.txt .hidden sub/..%2f..%2fsecret.txt; do
  check "traversal refused: /$p" '[ "$(code "$url$p")" = 404 ] && ! curl -s --path-as-is "$url$p" | grep -q SECRET'
done
check "POST is 405 with Allow: GET, HEAD" '[ "$(code -X POST -d x=1 "$url")" = 405 ] && [ "$(curl -s -D - -o /dev/null -X POST -d x=1 "$url" | tr -d "\r" | sed -n "s/^Allow: //p")" = "GET, HEAD" ]'
check "PUT and DELETE are 405" '[ "$(code -X PUT -d x "${url}new.txt")" = 405 ] && [ "$(code -X DELETE "${url}index.html")" = 405 ] && [ ! -e "$root/new.txt" ]'
check "a second server on the same port fails with a message" '! "$bin" serve --root "$root" --port "$port" 2>"$tmp/e2" && grep -q "cannot listen" "$tmp/e2"'
kill -TERM "$pid"; wait "$pid"; rc=$?
check "SIGTERM stops it with status 0" '[ $rc -eq 0 ]'

check "--allow-remote listens on every interface" 'start --root "$root" --port 0 --allow-remote'
port=${url##*:}; port=${port%/}
check "--allow-remote says so on stderr" 'grep -q "ALL interfaces" "$err" && listening 00000000 "$port"'
kill -INT "$pid"; wait "$pid"
check "CLINSUM_WEB_ROOT names the default root" 'CLINSUM_WEB_ROOT=$root start --port 0 && [ "$(curl -s "${url}sub/")" = "sub index" ]'
kill "$pid"; wait "$pid" 2>/dev/null
mkdir -p "$tmp/inst/bin/web"
cp "$bin" "$tmp/inst/bin/clinsum" && echo 'beside the exe' > "$tmp/inst/bin/web/index.html"
check "without --root, <exe dir>/web is found" 'CLINSUM_WEB_ROOT= start_bin "$tmp/inst/bin/clinsum" --port 0 && [ "$(curl -s "$url")" = "beside the exe" ]'
kill "$pid"; wait "$pid" 2>/dev/null
rm -r "$tmp/inst/bin/web"
out=$(CLINSUM_WEB_ROOT= "$tmp/inst/bin/clinsum" serve --port 0 2>&1); rc=$?
check "without any web root: exit 1 and how to build it" '[ $rc -eq 1 ] && grep -q "make wasm" <<< "$out"'
out=$(CLINSUM_WEB_ROOT=$tmp/empty-root "$bin" serve --port 0 2>&1); rc=$?
check "a root without the app is refused with a message" '[ $rc -eq 1 ] && grep -q "no index.html" <<< "$out"'
out=$("$bin" serve --root "$root/empty" --port 0 2>&1); rc=$?
check "--root without index.html is refused" '[ $rc -eq 1 ] && grep -q "clinsum: .*empty: no index.html" <<< "$out"'
"$bin" serve --bogus >/dev/null 2>&1; rc=$?
check "unknown option is a usage error" '[ $rc -eq 2 ]'
"$bin" serve --port 70000 >/dev/null 2>&1; rc=$?
check "a port out of range is a usage error" '[ $rc -eq 2 ]'
exit $fail
