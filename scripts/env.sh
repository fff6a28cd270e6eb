# Sourced by the other scripts: puts cargo's and the project's own tools
# first on PATH, so npm's wasm-opt wins over any other.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$here/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
