#!/usr/bin/env bash
# Installs everything clinsum's build and tests need on Debian 12, from
# Debian's packages and the npm registry only. Idempotent: a machine that has
# everything returns at once. Run as root (CI and the dev machines are root).
set -euo pipefail

PKGS=(build-essential cmake pkg-config clang libclang-rt-14-dev
      libxml2-dev libpcre2-dev libcjson-dev libsodium-dev libmicrohttpd-dev
      libcriterion-dev emscripten node-acorn nodejs valgrind dpkg-dev
      wamerican hunspell-en-med autoconf automake libtool chromium unzip)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing packages ${missing[*]}; run as root: sudo $0" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Source packages for the WASM builds of libxml2, PCRE2, cJSON and libsodium
# (whose configure autoreconf regenerates) need a
# deb-src entry; add one mirroring the binary sources if there is none.
if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  if [ "$(id -u)" = 0 ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
      > /etc/apt/sources.list.d/clinsum-src.sources
    apt-get update -qq
  fi
fi
exit 0
