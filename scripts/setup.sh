#!/usr/bin/env bash
# Installs what the tour needs on a fresh machine, skipping what is there.
#
#   scripts/setup.sh            the build: wasm target, wasm-pack, the
#                               wasm-bindgen CLI that Cargo.lock names, and
#                               a current wasm-opt (npm's binaryen)
#   scripts/setup.sh --browsers also Chromium, Firefox, WebKit (WebKitGTK's
#                               MiniBrowser, with Xvfb for its window) and
#                               their drivers
#
# Source it (`. scripts/setup.sh`) or read `scripts/env.sh` for the PATH.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
. scripts/env.sh

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (about 3 minutes)"
  cargo install wasm-pack --locked
fi

# The CLI must be the exact version of the wasm-bindgen crate in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (about 4 minutes)"
  # --locked first; when the registry no longer has a locked dependency of
  # the CLI, fall back to the newest compatible ones.
  cargo install wasm-bindgen-cli --version "$want" --locked --force \
    || cargo install wasm-bindgen-cli --version "$want" --force
fi

# Debian's binaryen (version 108) produces a module that fails to load;
# npm's is current. It lives in .tools and comes first on PATH (env.sh).
if ! "$here/.tools/node_modules/.bin/wasm-opt" --version >/dev/null 2>&1; then
  say "installing binaryen (wasm-opt) from npm"
  npm install --prefix "$here/.tools" --no-audit --no-fund --loglevel=error binaryen@132
fi

# The Python editor: CodeMirror 6 and esbuild, the versions
# editor/package-lock.json pins, into editor/node_modules.
if ! [ -x editor/node_modules/.bin/esbuild ] \
  || [ editor/package-lock.json -nt editor/node_modules/.package-lock.json ]; then
  say "installing the editor's packages (CodeMirror 6, esbuild) from npm"
  npm ci --prefix editor --no-audit --no-fund --loglevel=error
fi

# serve.py compresses with brotli when Python has it, with gzip otherwise.
if ! python3 -c 'import brotli' 2>/dev/null; then
  say "installing Python's brotli module (for scripts/serve.py)"
  python3 -m pip install --quiet --disable-pip-version-check brotli 2>/dev/null \
    || echo "no brotli: scripts/serve.py compresses with gzip"
fi

if [ "${1:-}" = "--browsers" ]; then
  # CPython's side of lesson 15's judge: its listing uses httpx.
  if ! python3 -c 'import httpx' 2>/dev/null; then
    say "installing httpx (CPython runs lesson 15's listing in the tests)"
    python3 -m pip install --quiet --disable-pip-version-check httpx
  fi
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v firefox >/dev/null || command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null || missing+=(xvfb)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
  fi
  # The e2e suite injects axe-core into the page to check accessibility.
  if [ ! -f "$here/.tools/node_modules/axe-core/axe.min.js" ]; then
    say "installing axe-core from npm"
    npm install --prefix "$here/.tools" --no-audit --no-fund --loglevel=error axe-core@4.14.1
  fi
  if ! command -v geckodriver >/dev/null; then
    say "installing geckodriver (about 3 minutes)"
    cargo install geckodriver --locked
  fi
fi
