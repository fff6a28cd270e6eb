"""Serves the tour's folder on localhost.

Like `python3 -m http.server`, plus two headers that make the page
cross-origin isolated, so `performance.now()` ticks every 5 microseconds
instead of 100, and no caching, so a rebuild shows on reload.

It serves as a static host would: files compressed (brotli when the
browser asks and Python's `brotli` module is installed, gzip otherwise),
and the headers the build writes in `_headers` (the format several
static hosts read: the page's Content-Security-Policy).

It also answers `/hold?ms=N`: a reply held N milliseconds (at most 60 s),
readable from any origin; add `&cors=no` to leave out the CORS header.
The tests use it for slow requests, timeouts and CORS refusals, and a
reader can use it to watch the browser's six connections per host.
"""

import argparse
import functools
import gzip
import http.server
import os
import time
import urllib.parse

try:
    import brotli
except ImportError:  # gzip alone, then
    brotli = None

COMPRESSED = {".html", ".js", ".css", ".wasm", ".json", ".svg", ".txt"}


def read_headers(folder):
    """The headers `_headers` gives each path: {path: [(name, value)]}.
    Paths are exact, or `/*` for every one."""
    headers, path = {}, None
    try:
        with open(os.path.join(folder, "_headers"), encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line[0].isspace():
                    path = line.strip()
                elif path and ":" in line:
                    name, value = line.strip().split(":", 1)
                    headers.setdefault(path, []).append((name.strip(), value.strip()))
    except FileNotFoundError:
        pass
    return headers


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    # Compressed bodies, by (path, modification time, encoding).
    cache = {}
    site_headers = {}

    def end_headers(self):
        path = urllib.parse.urlsplit(self.path).path
        for name, value in self.site_headers.get("/*", []) + self.site_headers.get(path, []):
            self.send_header(name, value)
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        # `credentialless` (not `require-corp`) still isolates the page, and
        # lets lesson 15 ask other sites in `no-cors` mode to tell a CORS
        # refusal from a network error.
        self.send_header("Cross-Origin-Embedder-Policy", "credentialless")
        # Other isolated pages may embed these files (lesson 17's frame, in
        # the tests, is on another port).
        self.send_header("Cross-Origin-Resource-Policy", "cross-origin")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/hold":
            if not self.send_compressed():
                super().do_GET()
            return
        query = urllib.parse.parse_qs(url.query)
        try:
            ms = min(max(int(query.get("ms", ["0"])[0]), 0), 60_000)
        except ValueError:
            ms = 0
        time.sleep(ms / 1000)
        body = f"held {ms} ms\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if query.get("cors", ["yes"])[0] != "no":
            self.send_header("Access-Control-Allow-Origin", "*")
        try:
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page aborted the request

    def send_compressed(self):
        """Sends the file compressed, if it is of a kind worth it and the
        browser takes an encoding; False leaves it to the plain handler."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return False  # the plain handler redirects
            path = os.path.join(path, "index.html")
        if os.path.splitext(path)[1] not in COMPRESSED or not os.path.isfile(path):
            return False
        accepts = {e.split(";")[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")}
        encoding = "br" if brotli and "br" in accepts else "gzip" if "gzip" in accepts else None
        if encoding is None:
            return False
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, encoding)
        body = self.cache.get(key)
        if body is None:
            with open(path, "rb") as f:
                raw = f.read()
            body = brotli.compress(raw) if encoding == "br" else gzip.compress(raw, 9)
            self.cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
        try:
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return True

    def do_HEAD(self):
        if not self.send_compressed():
            super().do_HEAD()

    def log_message(self, format, *args):
        if self.path.startswith("/hold"):
            return  # tests make hundreds of these
        super().log_message(format, *args)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("folder", nargs="?", default="www")
    args = parser.parse_args()
    Handler.site_headers = read_headers(args.folder)
    handler = functools.partial(Handler, directory=args.folder)
    with http.server.ThreadingHTTPServer((args.bind, args.port), handler) as server:
        port = server.server_address[1]
        print(f"Serving the tour on http://localhost:{port}/ (Ctrl-C stops)", flush=True)
        if brotli is None:
            print("(Python's brotli module is missing: compressing with gzip only)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
