# SPDX-License-Identifier: BSD-3-Clause
"""A small HTTPS git server for tests: `git http-backend` run as a CGI
behind a threaded TLS server that demands an Anaconda API key, either as
the password of HTTP Basic (any username) or as a Bearer token. Keys are
checked by a verifier: a fixed set (FixedKeys) or the emulator's
/api/account (EmulatorKeys), so a revoked key gets 401 like the real
service would give. Paths outside `<name>.git/` can be relayed to an
upstream (the emulator), so the same host:port is also the Anaconda
domain a login talks to."""
import base64
import http.server
import os
import shutil
import socketserver
import ssl
import subprocess
import sys
import threading
import urllib.error
import urllib.request

GIT = shutil.which("git") or "/usr/bin/git"
CGI_TIMEOUT = 60
REALM = "Anaconda git test server"
# Per-connection socket timeout, so a stuck client cannot hold a thread.
SOCKET_TIMEOUT = 30

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class FixedKeys:
    """Accept exactly the keys in a set; revoke() removes one."""

    def __init__(self, keys=()):
        self.keys = set(keys)
        self.lock = threading.Lock()

    def add(self, key):
        with self.lock:
            self.keys.add(key)

    def revoke(self, key):
        with self.lock:
            self.keys.discard(key)

    def __call__(self, key):
        with self.lock:
            return key in self.keys


class EmulatorKeys:
    """Ask the emulator whether a key is valid (GET /api/account), on every
    request, so revocation through the emulator takes effect at once."""

    def __init__(self, emulator, timeout=15):
        self.url = emulator.url + "/api/account"
        self.ctx = ssl.create_default_context(cafile=emulator.ca_path)
        self.timeout = timeout

    def __call__(self, key):
        req = urllib.request.Request(
            self.url, headers={"Authorization": "Bearer " + key,
                               # required by the emulator, as 0.15 sends it
                               "X-Client-Hostname": "git-server"})
        try:
            with urllib.request.urlopen(req, context=self.ctx,
                                        timeout=self.timeout) as r:
                return r.status == 200
        except urllib.error.HTTPError:
            return False


def presented_key(header):
    """(scheme, username, key) from an Authorization header, or Nones."""
    if not header or " " not in header:
        return None, None, None
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return "Bearer", None, value
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(value).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return None, None, None
        return "Basic", user, password
    return None, None, None


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "anaconda-git-test/1"

    def log_message(self, fmt, *args):
        self.server.log_lines.append(fmt % args)

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _deny(self, scheme):
        self.server.record(self.command, self.path, scheme, 401)
        body = b"authentication required\n"
        self.send_response(401)
        self.send_header("WWW-Authenticate", f'Basic realm="{REALM}"')
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _cgi(self, user, body):
        path, _, query = self.path.partition("?")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": self.server.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": urllib.request.unquote(path),
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_USER": user or "anaconda",
            "REMOTE_ADDR": self.client_address[0],
            "HOME": self.server.root,
        }
        for name in ("Content-Encoding", "Git-Protocol"):
            if self.headers.get(name):
                env["HTTP_" + name.upper().replace("-", "_")] = \
                    self.headers[name]
        return subprocess.run([GIT, "http-backend"], input=body, env=env,
                              capture_output=True, timeout=CGI_TIMEOUT).stdout

    def _relay(self, out, scheme):
        head, sep, body = out.partition(b"\r\n\r\n")
        if not sep:
            head, _, body = out.partition(b"\n\n")
        status, headers = 200, []
        for line in head.replace(b"\r\n", b"\n").split(b"\n"):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.server.record(self.command, self.path, scheme, status)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _proxy(self, body):
        """Relay a non-git request to the upstream (the emulator), so one
        host:port can be both the git server and the Anaconda domain."""
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "connection", "content-length",
                                        "transfer-encoding")}
        req = urllib.request.Request(self.server.upstream + self.path,
                                     data=body if self.command == "POST" else None,
                                     headers=headers, method=self.command)
        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=self.server.upstream_ctx),
            _NoRedirect())
        try:
            r = opener.open(req, timeout=30)
            status, rheaders, rbody = r.status, r.headers.items(), r.read()
        except urllib.error.HTTPError as e:
            status, rheaders, rbody = e.code, e.headers.items(), e.read()
        self.server.record(self.command, self.path, "proxy", status)
        self.send_response(status)
        for k, v in rheaders:
            if k.lower() not in ("content-length", "connection",
                                 "transfer-encoding", "server", "date"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(rbody)))
        self.end_headers()
        self.wfile.write(rbody)

    def _serve(self):
        body = self._body()
        first = self.path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        if not first.endswith(".git") and self.server.upstream:
            return self._proxy(body)
        scheme, user, key = presented_key(self.headers.get("Authorization"))
        # A public repository answers anyone, as many hosts do: git still
        # approves the credential a URL carried, though nothing checked it.
        if first in self.server.public:
            return self._relay(self._cgi(None, body), scheme)
        if not key or not self.server.verify(key):
            return self._deny(scheme)
        self._relay(self._cgi(user, body), scheme)

    do_GET = _serve
    do_POST = _serve


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _TLSServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def finish_request(self, request, client_address):
        # The handshake runs in the connection's own thread, never in the
        # accept loop, so one silent client cannot stall the others.
        request.settimeout(SOCKET_TIMEOUT)
        try:
            tls = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        self.RequestHandlerClass(tls, client_address, self)


class GitServer:
    """Serve the bare repositories under `root` over HTTPS on 127.0.0.1;
    `verify(key) -> bool` decides which keys are accepted; the repositories
    named in `public` are served without asking for any."""

    def __init__(self, root, cert_path, key_path, verify, upstream=None,
                 upstream_ca=None, public=()):
        self.root = str(root)
        self.public = set(public)
        self.upstream = upstream
        self.upstream_ca = upstream_ca
        self.verify = verify
        self.cert_path = str(cert_path)
        self.key_path = str(key_path)
        self.httpd = None
        self.thread = None
        self.requests = []

    def start(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_path, self.key_path)
        httpd = _TLSServer(("127.0.0.1", 0), Handler)
        httpd.ssl_context = ctx
        httpd.root = self.root
        httpd.verify = self.verify
        httpd.public = self.public
        httpd.upstream = self.upstream
        httpd.upstream_ctx = (ssl.create_default_context(cafile=self.upstream_ca)
                              if self.upstream else None)
        httpd.log_lines = []
        httpd.record = lambda m, p, s, st: self.requests.append(
            {"method": m, "path": p, "scheme": s, "status": st})
        self.httpd = httpd
        self.thread = threading.Thread(target=httpd.serve_forever,
                                       kwargs={"poll_interval": 0.1},
                                       daemon=True)
        self.thread.start()
        return self

    @property
    def port(self):
        return self.httpd.server_address[1]

    @property
    def domain(self):
        return f"localhost:{self.port}"

    @property
    def url(self):
        return f"https://{self.domain}"

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join(timeout=10)
            self.httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def make_bare_repo(root, name, env=None):
    """Create root/name (bare) holding one commit with README; returns its
    path. `env` is the environment git runs with (a temp HOME)."""
    root = str(root)
    path = os.path.join(root, name)
    work = os.path.join(root, ".seed-" + name)
    run = lambda *a, cwd=None: subprocess.run(  # noqa: E731
        [GIT, *a], cwd=cwd, env=env, check=True, capture_output=True,
        timeout=60)
    run("init", "-q", "--bare", "-b", "main", path)
    run("init", "-q", "-b", "main", work)
    with open(os.path.join(work, "README"), "w") as f:
        f.write("hello from the test server\n")
    run("-c", "user.name=Seed", "-c", "user.email=seed@example.com",
        "-C", work, "add", "README")
    run("-c", "user.name=Seed", "-c", "user.email=seed@example.com",
        "-C", work, "commit", "-q", "-m", "seed")
    run("-C", work, "push", "-q", path, "main")
    shutil.rmtree(work)
    return path

