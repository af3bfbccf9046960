# SPDX-License-Identifier: BSD-3-Clause
"""HTTPS plumbing for the emulator: a TLS handshake per connection, request
parsing, routing to the endpoint modules, fault injection and the request
log. Endpoint behaviour lives in oauth.py, api.py and control.py."""
import errno
import http.server
import json
import os
import re
import socket
import ssl
import sys
import threading
import time
import traceback
import urllib.parse

from model import fingerprint

MAX_BODY = 1 << 20
FORM_TYPE = "application/x-www-form-urlencoded"
CONTROL_PREFIX = "/_emulator/"
# Sent by anaconda-auth 0.15's BaseClient on every request.
CLIENT_HEADERS = ("User-Agent", "X-Client-Hostname")
# Under /api/ but opened by the person's browser, which sends neither.
BROWSER_PAGES = ("/api/auth/oauth2/authorize", "/api/auth/oauth2/consent")


class Request:
    def __init__(self, method, target, headers, body):
        url = urllib.parse.urlsplit(target)
        self.target = target
        self.method = method
        self.path = url.path
        self.query = _flat(urllib.parse.parse_qs(url.query,
                                                 keep_blank_values=True))
        self.headers = headers
        self.body = body
        self.host = headers.get("Host", "")
        ctype = headers.get("Content-Type", "")
        self.content_type = ctype.split(";")[0].strip().lower()
        self.form = None
        if self.content_type == FORM_TYPE:
            self.form = _flat(urllib.parse.parse_qs(
                body.decode("utf-8", "replace"), keep_blank_values=True))
        scheme, _, cred = headers.get("Authorization", "").strip() \
            .partition(" ")
        self.auth_scheme = scheme.lower() or None
        self.auth_cred = cred.strip() or None

    def json(self):
        """The JSON body, or raises ValueError."""
        if self.content_type != "application/json":
            raise ValueError("expected Content-Type: application/json")
        return json.loads(self.body.decode("utf-8"))

    def bearer(self):
        return self.auth_cred if self.auth_scheme == "bearer" else None


def _flat(multi):
    # The last value wins; tests that care about repeats read the raw log.
    return {k: v[-1] for k, v in multi.items()}


class Response:
    def __init__(self, status, body=b"", content_type="application/json",
                 headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode()
        self.content_type = content_type
        self.headers = dict(headers or {})


def json_response(status, obj, headers=None):
    return Response(status, json.dumps(obj).encode(), "application/json",
                    headers)


def html_response(status, text, headers=None):
    return Response(status, text, "text/html; charset=utf-8", headers)


def redirect(location, status=302):
    return Response(status, b"", "text/plain", {"Location": location})


def api_error(status, code, message):
    """The Anaconda API error shape, {"error": {"code", "message"}}."""
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return json_response(status, {"error": {"code": code,
                                            "message": message}}, headers)


class Router:
    def __init__(self, routes):
        self.routes = [(set(m), re.compile(p + r"\Z"), f)
                       for m, p, f in routes]

    def dispatch(self, state, req):
        allowed = set()
        for methods, pattern, func in self.routes:
            m = pattern.match(req.path)
            if not m:
                continue
            method = "GET" if req.method == "HEAD" and "GET" in methods \
                else req.method
            if method not in methods:
                allowed |= methods
                continue
            return func(state, req, **m.groupdict())
        if allowed:
            resp = api_error(405, "method_not_allowed",
                             f"{req.method} is not allowed on {req.path}")
            resp.headers["Allow"] = ", ".join(sorted(allowed))
            return resp
        return api_error(404, "not_found", f"no such endpoint: {req.path}")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "anaconda-cloud-emulator/1"
    timeout = 30  # idle keep-alive connections give their thread back
    # Headers and body leave in one write (flushed per request), so no
    # client waits out a delayed ACK.
    wbufsize = 1 << 16

    def setup(self):
        # Generous: under valgrind a client can take seconds between its
        # connect and its ClientHello, and a cut connection fails the test.
        self.request.settimeout(30)
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        ctx = self.server.mtls_context if self.server.state.knob("mtls") \
            else self.server.ssl_context
        tls = ctx.wrap_socket(self.request, server_side=True,
                              do_handshake_on_connect=False)
        try:
            tls.do_handshake()
        except ssl.SSLError:
            self._close_gently(tls)
            raise
        self.request = tls
        super().setup()

    @staticmethod
    def _close_gently(tls):
        """After a refused handshake (its alert is sent): FIN, then read
        what the client still sends, so no RST destroys the alert before
        the client reads it, as a TLS-terminating proxy behaves."""
        raw = socket.socket(fileno=tls.detach())
        try:
            raw.shutdown(socket.SHUT_WR)
            raw.settimeout(2)
            while raw.recv(65536):
                pass
        except OSError:
            pass
        finally:
            raw.close()

    def handle_expect_100(self):
        ok = super().handle_expect_100()
        self.wfile.flush()  # the client waits for "100 Continue" itself
        return ok

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.request.close()

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("emulator: %s %s\n" % (self.address_string(),
                                                    fmt % args))

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length else b""

    def _read_chunked(self):
        out = b""
        while True:
            size = int(self.rfile.readline(100).split(b";")[0].strip(), 16)
            if size == 0:
                while self.rfile.readline(1000).strip():
                    pass
                return out
            out += self.rfile.read(size)
            self.rfile.readline(10)
            if len(out) > MAX_BODY:
                raise ValueError("request body too large")

    def _dispatch(self):
        state = self.server.state
        try:
            body = self._read_body()
        except ValueError as e:
            self.close_connection = True
            return self._send(json_response(400, {"error": str(e)}))
        req = Request(self.command, self.path, self.headers, body)
        if req.path.startswith(CONTROL_PREFIX):
            return self._send(self._safe_dispatch(self.server.control,
                                                  state, req))
        entry = self._log_entry(req)
        fault = state.take_fault(req.path)
        resp = None
        if fault:
            entry["fault"] = fault["kind"]
            if fault["kind"] == "close":
                # Hang up without a byte of HTTP: the client sees an
                # empty reply.
                self.close_connection = True
                return None
            resp = self._fault_response(fault)
        if resp is None:
            resp = self._host_redirect(state, req)
        if resp is None:
            resp = self._missing_client_headers(state, req)
        if resp is None:
            resp = self._safe_dispatch(self.server.router, state, req)
            if fault and fault["kind"] == "truncated":
                resp.body = resp.body[:max(1, len(resp.body) // 2)]
        min_api = state.knobs.get("min_api_version")
        if min_api is not None:
            resp.headers["Min-Api-Version"] = str(min_api)
        entry["status"] = resp.status
        entry["location"] = resp.headers.get("Location")
        return self._send(resp)

    @staticmethod
    def _host_redirect(state, req):
        """301 for a GET/HEAD to a name knob host_redirects moves
        elsewhere; None otherwise. POSTs (the API) are answered here."""
        if req.method not in ("GET", "HEAD"):
            return None
        name = (req.host or "").rsplit(":", 1)[0].strip("[]").lower()
        to = (state.knob("host_redirects") or {}).get(name)
        if not to:
            return None
        base = to if "://" in to else f"https://{to}:{state.port}"
        return redirect(base + req.target, status=301)

    @staticmethod
    def _missing_client_headers(state, req):
        """400 for a client request lacking a header 0.15 always sends
        (User-Agent, X-Client-Hostname); None when all are there. Pages a
        browser opens (/device, /app/, the authorize page) and the repo
        are exempt: browsers and conda do not send them."""
        if not state.knobs.get("require_client_headers"):
            return None
        if req.path in BROWSER_PAGES or not (
                req.path.startswith("/api/")
                or req.path.startswith("/.well-known/")):
            return None
        missing = [h for h in CLIENT_HEADERS if not req.headers.get(h)]
        if not missing:
            return None
        return api_error(400, "missing_client_headers",
                         "request lacks " + ", ".join(missing)
                         + " (anaconda-auth 0.15 always sends them)")

    @staticmethod
    def _safe_dispatch(router, state, req):
        try:
            return router.dispatch(state, req)
        except Exception:  # an emulator bug: say so loudly, answer 500
            traceback.print_exc(file=sys.stderr)
            sys.stderr.flush()
            return api_error(500, "emulator_bug",
                             "the emulator failed; see emulator.log")

    @staticmethod
    def _fault_response(fault):
        """The response a fault puts in place of the real one, or None when
        the real one is still produced (slow, truncated)."""
        kind = fault["kind"]
        if kind == "slow":
            time.sleep(float(fault["seconds"] or 5))
            return None
        if kind == "500":
            return json_response(500, {"error": {
                "code": "internal_error", "message": "injected fault"}})
        if kind == "status":
            return json_response(int(fault["status"] or 503), {"error": {
                "code": "injected", "message": "injected fault"}})
        if kind == "garbage":
            return Response(200, b"<html><body>Bad Gateway?\x00\xff garbage",
                            "application/json")
        return None

    def _log_entry(self, req):
        headers = {}
        for name, value in req.headers.items():
            if name.lower() == "authorization":
                value = (req.auth_scheme or "") + " [redacted]"
            headers[name] = value
        entry = {"time": time.time(), "method": req.method,
                 "path": req.path, "query": req.query, "host": req.host,
                 "headers": headers, "auth_scheme": req.auth_scheme,
                 "auth_kind": self.server.state.classify(req.auth_scheme,
                                                         req.auth_cred),
                 "auth_sha256": fingerprint(req.auth_cred)
                 if req.auth_cred else None,
                 "user_agent": req.headers.get("User-Agent"),
                 "form": req.form, "json": None, "status": None,
                 "location": None, "fault": None}
        try:
            entry["json"] = req.json()
        except (ValueError, UnicodeError):
            pass
        return self.server.state.append_log(entry)

    def _send(self, resp):
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(resp.body)))
        for name, value in resp.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and resp.body:
            self.wfile.write(resp.body)
        return None

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _dispatch



class EmulatorServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, family, state, ssl_context, router, control,
                 verbose=False):
        self.address_family = family
        self.state = state
        self.ssl_context = ssl_context
        self.router = router
        self.control = control
        self.verbose = verbose
        super().__init__(address, Handler)

    def handle_error(self, request, client_address):
        # Failed handshakes and clients that hang up are normal in the
        # fault tests; one line is enough.
        sys.stderr.write("emulator: connection from %s failed: %r\n"
                         % (client_address[0], sys.exc_info()[1]))
        sys.stderr.flush()


def make_ssl_context(cert_path, key_path, client_ca=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert_path, key_path)
    if client_ca:
        # mTLS: no certificate from this CA, no connection
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(client_ca)
    return ctx


def _bind(port, make):
    """Servers on 127.0.0.1:port and, when the host has IPv6 loopback,
    ::1:port. With port 0, a port taken on ::1 by someone else means a new
    try: "localhost" may resolve to ::1 first and must reach us."""
    for _ in range(20):
        v4 = make(("127.0.0.1", port), socket.AF_INET)
        chosen = v4.server_address[1]
        if not socket.has_ipv6:
            return [v4], chosen
        try:
            return [v4, make(("::1", chosen), socket.AF_INET6)], chosen
        except OSError as e:
            if e.errno != errno.EADDRINUSE:
                return [v4], chosen  # no IPv6 loopback here
            v4.server_close()
            if port:
                raise
    raise OSError(errno.EADDRINUSE, "no port free on both 127.0.0.1 and ::1")


def serve(state, cert_path, key_path, port, router, control, verbose=False):
    """Bind and start serving on daemon threads; return (servers, port)."""
    ctx = make_ssl_context(cert_path, key_path)
    mtls = make_ssl_context(cert_path, key_path,
                            os.path.join(os.path.dirname(cert_path), "ca.pem"))

    def make(address, family):
        server = EmulatorServer(address, family, state, ctx, router, control,
                                verbose)
        server.mtls_context = mtls
        return server

    servers, port = _bind(port, make)
    for s in servers:
        threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2},
                         daemon=True).start()
    return servers, port
