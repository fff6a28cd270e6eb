#!/usr/bin/env bash
# Builds the release page, then runs the benchmark page (www/bench.html) in
# headless Chromium and prints its table and JSON:
#   scripts/bench.sh [--json FILE] [--quick] [--firefox]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browsers
scripts/build.sh --bench
cargo run -q -p tour-e2e --release --bin bench -- "$@"
