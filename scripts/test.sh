#!/usr/bin/env bash
# Runs every test, installing what they need first:
#   formatting and clippy, the host tests (fidelity against CPython), and
#   the browser tests in headless Chrome and Firefox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browsers
. scripts/env.sh

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (wasm32, warnings are errors)"
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings

step "host tests: lesson data and fidelity against CPython"
cargo test

step "browser tests in headless Chrome"
wasm-pack test --headless --chrome

step "browser tests in headless Firefox"
wasm-pack test --headless --firefox

step "release build"
scripts/build.sh
