#!/usr/bin/env bash
# Runs a Python file on the tour's interpreter in a real headless browser
# and prints what it printed, as `python3 FILE.py` would (standard output,
# then a traceback on standard error, exit status 1 on an uncaught
# exception):
#   scripts/py.sh FILE.py [--record] [--speed N] [--firefox | --webkit]
# --record also tells what the loop did, in words; --speed N runs it N
# times faster. The first run builds what it needs (a few minutes).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# The file, found from where the command was run (CPython names a script
# by its absolute path in tracebacks, and so does the tour).
args=()
for arg in "$@"; do
  if [ "${arg#-}" = "$arg" ] && [ -f "$arg" ]; then arg="$(realpath -s "$arg")"; fi
  args+=("$arg")
done
set -- "${args[@]}"
cd "$here"
scripts/setup.sh --browsers >&2
. scripts/env.sh
# The runner page's module: the tour's, with the `python` feature (Cargo
# and wasm-opt redo only what changed).
wasm-pack --quiet build --release --target web --no-typescript --no-pack \
  --out-dir www/py-pkg -- --features python >&2
exec cargo run -q -p tour-e2e --release --bin py -- "$@"
