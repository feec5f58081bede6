#!/usr/bin/env bash
# Runs every fuzz target in BUILD_DIR for SECONDS each, seeded from the
# bundled samples, tests/data and fuzz/seeds/<target>/; stops at the first crash.
set -euo pipefail
dir=$(cd "$1" && pwd); secs=$2
src=$(cd "$(dirname "$0")/.." && pwd)
n=0
for t in "$dir"/fuzz/fuzz_*; do
  [ -x "$t" ] || continue
  name=$(basename "$t")
  corpus="$dir/fuzz-corpus/$name"; mkdir -p "$corpus"
  cp -n "$src"/samples/* "$corpus"/ 2>/dev/null || true
  [ -d "$src/fuzz/seeds/$name" ] && cp -n "$src/fuzz/seeds/$name"/* "$corpus"/ 2>/dev/null || true
  [ -d "$src/tests/data" ] && find "$src/tests/data" -maxdepth 1 -type f -size -256k -exec cp -n {} "$corpus"/ \; 2>/dev/null || true
  echo "fuzz: $name for ${secs}s"
  ( cd "$dir" && "$t" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=0 "$corpus" >"$dir/$name.log" 2>&1 ) || {
    echo "fuzz: $name FAILED (log: $dir/$name.log)"; tail -n 40 "$dir/$name.log"; exit 1; }
  n=$((n + 1))
done
echo "fuzz: $n targets ran clean"
