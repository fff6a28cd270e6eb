#!/usr/bin/env bash
# Scores the served release build with Lighthouse (npm `lighthouse`, mobile
# defaults: a phone's screen, 4x slower CPU, slow 4G) in the installed
# Chromium, and prints the four category scores. Not part of the tests:
# the scores depend on how busy this machine is.
#
#   scripts/lighthouse.sh            the first lesson
#   scripts/lighthouse.sh '#gather'  another one
#
# The full report is left in target/lighthouse.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! .tools/node_modules/.bin/lighthouse --version >/dev/null 2>&1; then
  echo "==> installing lighthouse from npm"
  npm install --prefix .tools --no-audit --no-fund --loglevel=error lighthouse@13.5.0
fi
scripts/build.sh >/dev/null
port=8790
. scripts/env.sh
serve_www "$port"
mkdir -p target
CHROME_PATH="$(command -v chromium)" .tools/node_modules/.bin/lighthouse \
  "http://127.0.0.1:$port/${1:-}" \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
  --output=json --output-path=target/lighthouse.json --quiet
python3 - <<'PY'
import json
report = json.load(open("target/lighthouse.json"))
for key, category in report["categories"].items():
    print(f"{category['title']:<16} {round(category['score'] * 100):>3}")
audits = report["audits"]
for key in ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "max-potential-fid"]:
    print(f"  {audits[key]['title']:<28} {audits[key]['displayValue']}")
failed = [a["title"] for c in report["categories"].values() for r in c["auditRefs"]
          if (a := audits[r["id"]])["score"] is not None and a["score"] < 1 and r["weight"] > 0
          and c["id"] != "performance"]
for title in failed:
    print(f"  failed: {title}")
PY
