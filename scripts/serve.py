"""Serves the tour's folder on localhost.

Like `python3 -m http.server`, plus two headers that make the page
cross-origin isolated, so `performance.now()` ticks every 5 microseconds
instead of 100, and no caching, so a rebuild shows on reload.

It also answers `/hold?ms=N`: a reply held N milliseconds (at most 60 s),
readable from any origin; add `&cors=no` to leave out the CORS header.
The tests use it for slow requests, timeouts and CORS refusals, and a
reader can use it to watch the browser's six connections per host.
"""

import argparse
import functools
import http.server
import time
import urllib.parse


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def end_headers(self):
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
            return super().do_GET()
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
    handler = functools.partial(Handler, directory=args.folder)
    with http.server.ThreadingHTTPServer((args.bind, args.port), handler) as server:
        port = server.server_address[1]
        print(f"Serving the tour on http://localhost:{port}/ (Ctrl-C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
