#!/usr/bin/env bash
# Builds the tour and serves it on http://localhost:${PORT:-8000}/
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec python3 scripts/serve.py --port "${PORT:-8000}" www
