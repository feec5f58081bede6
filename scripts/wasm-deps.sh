#!/usr/bin/env bash
# Cross-builds the third-party C libraries clinsum links into its WASM build
# (libxml2, PCRE2 without JIT, cJSON, libsodium without asm/threads) from
# Debian's source packages, with Debian's emscripten.  Results are cached
# outside the clone, keyed by the package versions, emscripten's version and
# this script's hash, so CI builds them once per machine.  Prints the install
# prefix on stdout.
set -euo pipefail
export NODE_PATH=/usr/share/nodejs

cache=${CLINSUM_CACHE:-$HOME/.cache/clinsum}
ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo none; }
emver=$(ver emscripten)
xmlver=$(apt-cache showsrc libxml2 2>/dev/null | awk '/^Version:/{print $2; exit}')
pcrever=$(apt-cache showsrc pcre2 2>/dev/null | awk '/^Version:/{print $2; exit}')
cjsonver=$(apt-cache showsrc cjson 2>/dev/null | awk '/^Version:/{print $2; exit}')
sodiumver=$(apt-cache showsrc libsodium 2>/dev/null | awk '/^Version:/{print $2; exit}')
self=$(sha256sum "$0" | cut -c1-12)
key="em${emver}-xml${xmlver}-pcre${pcrever}-cjson${cjsonver}-sodium${sodiumver}-${self}"
prefix="$cache/wasm-deps/$key"
if [ -f "$prefix/.done" ]; then echo "$prefix"; exit 0; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/clinsum-wasm-deps.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$prefix"/{lib,include,src}
cd "$work"
echo "wasm-deps: fetching Debian sources (libxml2 $xmlver, pcre2 $pcrever, cjson $cjsonver, libsodium $sodiumver)" >&2
# A listed source version may be missing from its mirror (a security update
# whose source was not mirrored): try each listed version, newest first.
fetch_src() {
  for v in $(apt-cache showsrc "$1" 2>/dev/null | awk '/^Version:/{print $2}'); do
    apt-get source --download-only "$1=$v" >/dev/null 2>&1 && return 0
  done
  echo "wasm-deps: cannot fetch the source of $1; run scripts/setup.sh as root first (adds deb-src)" >&2
  exit 1
}
fetch_src libxml2; fetch_src pcre2; fetch_src cjson; fetch_src libsodium
for dsc in *.dsc; do dpkg-source --no-check -x "$dsc" >/dev/null 2>&1; done

echo "wasm-deps: building libxml2" >&2
# dpkg-source leaves the autotools outputs older than their inputs; make them
# newer so make does not try to re-run automake (not installed, not needed).
( cd libxml2-*/ && touch aclocal.m4 && sleep 1 && touch configure config.h.in &&
  find . -name Makefile.in -exec touch {} + && sleep 1 &&
  emconfigure ./configure --host=wasm32 --prefix="$prefix" --disable-shared --enable-static \
    --without-python --without-http --without-ftp --without-lzma --without-zlib \
    --without-threads --without-iconv --without-icu --without-modules >/dev/null 2>&1 &&
  emmake make -j"$(nproc)" libxml2.la >/dev/null 2>&1 &&
  emmake make install-libLTLIBRARIES >/dev/null 2>&1 &&
  emmake make -C include install >/dev/null 2>&1 ) \
  || { echo "wasm-deps: libxml2 build failed" >&2; exit 1; }

echo "wasm-deps: building pcre2" >&2
( mkdir pcre2-build && cd pcre2-build &&
  emcmake cmake ../pcre2-*/ -DCMAKE_BUILD_TYPE=Release -DPCRE2_SUPPORT_JIT=OFF \
    -DBUILD_SHARED_LIBS=OFF -DPCRE2_BUILD_PCRE2GREP=OFF -DPCRE2_BUILD_TESTS=OFF \
    -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null 2>&1 &&
  emmake make -j"$(nproc)" >/dev/null 2>&1 && emmake make install >/dev/null 2>&1 ) \
  || { echo "wasm-deps: pcre2 build failed" >&2; exit 1; }

echo "wasm-deps: building libsodium" >&2
# As libsodium's own dist-build/emscripten.sh: no assembly, no threads, no
# stack protector; randombytes uses the JS crypto of node or the browser.
# Debian's orig tarball is a git snapshot without configure: regenerate it.
( cd libsodium-*/ && autoreconf -fi >/dev/null 2>&1 &&
  emconfigure ./configure --host=wasm32 --prefix="$prefix" --disable-shared --enable-static \
    --disable-asm --disable-ssp --disable-pie --without-pthreads CFLAGS="-O2" >/dev/null 2>&1 &&
  emmake make -j"$(nproc)" >/dev/null 2>&1 && emmake make install >/dev/null 2>&1 ) \
  || { echo "wasm-deps: libsodium build failed" >&2; exit 1; }

mkdir -p "$prefix/include/cjson"
cp cjson-*/cJSON.c "$prefix/src/"
cp cjson-*/cJSON.h "$prefix/include/cjson/"
touch "$prefix/.done"
echo "$prefix"
