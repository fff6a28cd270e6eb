# Sourced by the other scripts: puts cargo's and the project's own tools
# first on PATH, so npm's wasm-opt wins over any other, and gives them
# serve_www.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$here/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# serve_www PORT [PATH]: serves www/ on PORT in the background until the
# script exits, and returns once PATH (default /) answers, or after 5 s.
serve_www() {
  python3 "$here/scripts/serve.py" --port "$1" "$here/www" >/dev/null 2>&1 &
  server=$!
  trap 'kill "$server" 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$1${2:-/}" && break
    sleep 0.1
  done
}
