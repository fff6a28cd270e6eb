#!/usr/bin/env bash
# Builds the release page into www/pkg (wasm-opt -Oz) and prints its size.
# With --bench, also the benchmark page's module (the tour's runtime plus
# src/bench.rs) into www/bench-pkg.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
wasm-pack build --release --target web --no-typescript --no-pack --out-dir www/pkg
wasm=www/pkg/async_tour_bg.wasm
printf 'wasm: %s bytes, %s gzipped\n' "$(wc -c <"$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"
if [ "${1:-}" = "--bench" ]; then
  wasm-pack build --release --target web --no-typescript --no-pack --out-dir www/bench-pkg -- --features bench
fi
