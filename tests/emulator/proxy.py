# SPDX-License-Identifier: BSD-3-Clause
"""A small HTTP CONNECT proxy for the tests, as a corporate network has one:
it tunnels to any host:port by connecting to 127.0.0.1:port (so Anaconda's
names reach the emulator), records every CONNECT target, and can require
Basic Proxy-Authorization. Anything but CONNECT gets 405."""
import base64
import select
import socket
import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def _head(self):
        """The request line and headers, or None when the client left."""
        line = self.rfile.readline(8192).decode("latin-1").strip()
        headers = {}
        while True:
            h = self.rfile.readline(8192).decode("latin-1")
            if h in ("", "\r\n", "\n"):
                break
            name, _, value = h.partition(":")
            headers[name.strip().lower()] = value.strip()
        return (line, headers) if line else None

    def _reply(self, status, extra=""):
        self.wfile.write(f"HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\n\r\n"
                         .encode())

    def handle(self):
        proxy = self.server.proxy
        head = self._head()
        if not head:
            return
        line, headers = head
        method, _, rest = line.partition(" ")
        target = rest.split(" ")[0]
        if method != "CONNECT":
            proxy.record(method, target, headers)
            return self._reply("405 Method Not Allowed")
        if proxy.credentials and headers.get("proxy-authorization") != \
                "Basic " + base64.b64encode(proxy.credentials.encode()).decode():
            proxy.record(method, target, headers, refused=True)
            return self._reply("407 Proxy Authentication Required",
                               'Proxy-Authenticate: Basic realm="test proxy"\r\n')
        proxy.record(method, target, headers)
        port = int(target.rsplit(":", 1)[1])
        try:
            upstream = socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            return self._reply("502 Bad Gateway")
        self._reply("200 Connection established")
        self.wfile.flush()
        self._pipe(self.connection, upstream)

    @staticmethod
    def _pipe(a, b):
        with b:
            socks = [a, b]
            while True:
                ready, _, _ = select.select(socks, [], [], 30)
                if not ready:
                    return
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class ConnectProxy:
    """proxy = ConnectProxy(credentials="user:pass").start(); proxy.url;
    proxy.connects (CONNECT targets, in order); proxy.requests (dicts with
    method, target, proxy_authorization (bool), refused); proxy.stop()."""

    def __init__(self, credentials=None):
        self.credentials = credentials
        self.requests = []
        self._lock = threading.Lock()
        self._server = None

    def record(self, method, target, headers, refused=False):
        with self._lock:
            self.requests.append({
                "method": method, "target": target, "refused": refused,
                "proxy_authorization": "proxy-authorization" in headers})

    @property
    def connects(self):
        with self._lock:
            return [r["target"] for r in self.requests
                    if r["method"] == "CONNECT" and not r["refused"]]

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        cred = self.credentials + "@" if self.credentials else ""
        return f"http://{cred}127.0.0.1:{self.port}"

    def start(self):
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        threading.Thread(target=self._server.serve_forever,
                         kwargs={"poll_interval": 0.2}, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
