#!/usr/bin/env bash
# Builds the release page: renders www/index.html from the lessons (the
# text, listings and defaults; see src/site), builds the module into
# www/pkg (wasm-opt -Oz), packs both into the one-file tour
# dist/async-tour.html (it runs from disk; a copy goes into www/ for the
# page's download link), and prints the sizes. The tour with the Python
# interpreter (the `python` feature) goes into www/py-pkg: the page loads
# it when a reader first runs a lesson's Python, the one-file tour carries
# it, and www/py.html (scripts/py.sh) runs files on it. The Python
# editor (editor/editor.js and CodeMirror) is bundled by esbuild into
# www/editor.js, which the page loads when a reader first edits.
# With --bench, also the benchmark page's module (the tour's runtime plus
# src/bench.rs) into www/bench-pkg.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
cargo run -q --bin render -- www
wasm-pack build --release --target web --no-typescript --no-pack --out-dir www/pkg
wasm=www/pkg/async_tour_bg.wasm
wasm_raw=$(wc -c <"$wasm") wasm_gz=$(gzip -9 -c "$wasm" | wc -c)
printf 'wasm: %s bytes, %s gzipped\n' "$wasm_raw" "$wasm_gz"
printf 'page: %s bytes, %s gzipped\n' "$(wc -c <www/index.html)" "$(gzip -9 -c www/index.html | wc -c)"
wasm-pack build --release --target web --no-typescript --no-pack --out-dir www/py-pkg -- --features python
py=www/py-pkg/async_tour_bg.wasm
raw=$(wc -c <"$py") gz=$(gzip -9 -c "$py" | wc -c)
printf 'wasm with the Python interpreter: %s bytes, %s gzipped (+%s, +%s)\n' \
  "$raw" "$gz" "$((raw - wasm_raw))" "$((gz - wasm_gz))"
editor/node_modules/.bin/esbuild editor/editor.js --bundle --minify --format=iife \
  --target=es2020 --legal-comments=none --log-level=warning --outfile=www/editor.js
printf 'editor: %s bytes, %s gzipped\n' "$(wc -c <www/editor.js)" "$(gzip -9 -c www/editor.js | wc -c)"
cargo run -q --bin render -- --one-file dist/async-tour.html >/dev/null
# The served page offers it for download, from beside itself.
cp dist/async-tour.html www/async-tour.html
printf 'one file: %s bytes, %s gzipped\n' "$(wc -c <dist/async-tour.html)" "$(gzip -9 -c dist/async-tour.html | wc -c)"
if [ "${1:-}" = "--bench" ]; then
  wasm-pack build --release --target web --no-typescript --no-pack --out-dir www/bench-pkg -- --features bench
fi
