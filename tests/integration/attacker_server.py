# SPDX-License-Identifier: BSD-3-Clause
"""A hostile HTTPS server for attack tests: it records every request it gets
(method, path, headers, body) and answers from a small table, so a test can
ask whether a secret ever reached it. It runs in the test process on a free
loopback port, with the certificate it is given (the emulator's, to be
trusted like the real service, or one from another CA, as a man in the
middle would have)."""
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass  # quiet: the record is what matters

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        server = self.server.owner
        with server.lock:
            server.seen.append({"method": self.command, "path": self.path,
                                "headers": dict(self.headers.items()),
                                "raw_headers": str(self.headers),
                                "body": body.decode(errors="replace")})
        status, payload, headers = server.answer(self.command, self.path)
        data = json.dumps(payload).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve


class AttackerServer:
    """routes: {path: (status, json, headers)}; anything else is 404."""

    def __init__(self, cert_path, key_path, routes=None):
        self.routes = dict(routes or {})
        self.seen = []
        self.lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._httpd.daemon_threads = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert_path, key_path)
        self._httpd.socket = ctx.wrap_socket(self._httpd.socket, server_side=True)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def host(self):
        return f"127.0.0.1:{self.port}"

    @property
    def url(self):
        return f"https://{self.host}"

    def answer(self, method, path):
        route = self.routes.get(path.split("?", 1)[0])
        if route is None:
            return 404, {"error": "not found"}, {}
        status, payload, *rest = route
        return status, payload, (rest[0] if rest else {})

    def requests(self):
        with self.lock:
            return list(self.seen)

    def saw(self, secret):
        """Did `secret` reach us anywhere: request line, headers or body?"""
        return any(secret in r["path"] or secret in r["raw_headers"] or secret in r["body"]
                   for r in self.requests())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()
