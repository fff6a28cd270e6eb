#!/usr/bin/env bash
# Runs every test, installing what they need first:
#   formatting and clippy, the host tests (fidelity against CPython), the
#   browser tests in headless Chrome and Firefox, and the end-to-end suite
#   (e2e/, WebDriver from Rust) over the served release page and the
#   one-file tour opened from disk, in Chromium, Firefox and WebKit.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browsers
. scripts/env.sh

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (wasm32 for the tour, the host for e2e/; warnings are errors)"
cargo clippy --target wasm32-unknown-unknown --all-targets --all-features -- -D warnings
cargo clippy -p tour-e2e --all-targets -- -D warnings

step "host tests: lesson data and fidelity against CPython"
cargo test

step "a local server for the network lessons' tests (port 8765)"
serve_www 8765 "/hold?ms=0"

step "browser tests in headless Chrome"
wasm-pack test --headless --chrome

step "browser tests in headless Firefox"
wasm-pack test --headless --firefox

step "release build (the tour, the one-file tour, and the benchmark page's module)"
scripts/build.sh --bench

step "end to end: the served page and the one file, in Chromium, Firefox and WebKit"
# --nocapture: each engine's report (every lesson's time, the one file's
# size) and what an engine lacks (WebKit: no BiDi) show in the output.
cargo test -p tour-e2e -- --nocapture
