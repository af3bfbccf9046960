#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""A stand-in for the person's web browser, usable as $BROWSER: it opens the
URL it is given (the last argument) against the emulator, and either
completes the browser login by visiting the loopback redirect, or
approves/denies a device code. It returns at once and does the work in a
detached child, because the CLI waits on its loopback server meanwhile.

Environment:
  AA_FAKE_BROWSER_MODE  approve (default) | deny | wrong-state |
                        favicon-first | ignore
  AA_FAKE_BROWSER_CA    CA file for the emulator (default:
                        ANACONDA_AUTH_SSL_VERIFY when it is a file)
  AA_FAKE_BROWSER_LOG   where to log (default: fake-browser.log next to
                        the CA file)
  AA_FAKE_BROWSER_ARGV_LOG  append {"argv": [...], "page": {...}} as a JSON
                        line: what it was started with and, for a file://
                        URL, the page's mode, owner and directory mode
  AA_FAKE_BROWSER_GO_FILE   wait until this file exists before delivering
                        the loopback redirect (a test acts meanwhile)

A file:// URL (the CLI's private forwarding page) is read like a browser
would: its meta refresh names the URL to go on to.
"""
import html
import html.parser
import json
import os
import re
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

MODES = ("approve", "deny", "wrong-state", "favicon-first", "ignore")
REQUEST_TIMEOUT = 10
LOOPBACK_RETRY = 5.0   # the CLI may still be binding its loopback port
TOTAL_DEADLINE = 30.0  # the detached child never outlives this


def ca_path():
    ca = os.environ.get("AA_FAKE_BROWSER_CA")
    if ca:
        return ca
    verify = os.environ.get("ANACONDA_AUTH_SSL_VERIFY", "")
    return verify if os.path.isfile(verify) else None


def log_path():
    path = os.environ.get("AA_FAKE_BROWSER_LOG")
    if path:
        return path
    ca = ca_path()
    base = os.path.dirname(ca) if ca else (os.environ.get("TMPDIR")
                                           or "/tmp")
    return os.path.join(base, "fake-browser.log")


def log(msg):
    sys.stderr.write("%.3f fake-browser[%d]: %s\n"
                     % (time.time(), os.getpid(), msg))
    sys.stderr.flush()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # we look at every Location ourselves


class FormParser(html.parser.HTMLParser):
    """Collects the first form's action and hidden/text inputs."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = a.get("action", "")
        elif tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")


class Browser:
    def __init__(self, mode):
        self.mode = mode
        ca = ca_path()
        ctx = ssl.create_default_context(cafile=ca) if ca else \
            ssl.create_default_context()
        # Everything it visits is on loopback: no proxy from the
        # environment.
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), NoRedirect(),
            urllib.request.HTTPSHandler(context=ctx))
        self.deadline = time.monotonic() + TOTAL_DEADLINE

    def fetch(self, url, data=None, retry_refused=False):
        """(status, headers, body) without following redirects."""
        if data is not None:
            data = urllib.parse.urlencode(data).encode()
        until = time.monotonic() + (LOOPBACK_RETRY if retry_refused else 0)
        while True:
            try:
                with self.opener.open(url, data=data,
                                      timeout=REQUEST_TIMEOUT) as r:
                    body = r.read()
                    log(f"{'POST' if data else 'GET'} {url} -> {r.status}")
                    return r.status, r.headers, body
            except urllib.error.HTTPError as e:
                log(f"{'POST' if data else 'GET'} {url} -> {e.code}")
                return e.code, e.headers, e.read()
            except urllib.error.URLError as e:
                refused = isinstance(e.reason, ConnectionRefusedError)
                if not refused or time.monotonic() > min(until,
                                                         self.deadline):
                    raise
                time.sleep(0.1)

    def submit(self, page_url, body, action):
        form = FormParser()
        form.feed(body.decode("utf-8", "replace"))
        fields = dict(form.fields)
        fields["action"] = action
        target = urllib.parse.urljoin(page_url, form.action or page_url)
        return target, self.fetch(target, data=fields)

    # -- flows ------------------------------------------------------------
    def run(self, url):
        log(f"mode={self.mode} url={url}")
        if self.mode == "ignore":
            return
        if url.startswith("file://"):
            url = forward_target(url)
            log(f"the page forwards to {url}")
        path = urllib.parse.urlsplit(url).path
        if path.rstrip("/").endswith("/device"):
            return self.device(url)
        return self.authorize(url)

    def device(self, url):
        status, _, body = self.fetch(url)
        if status != 200:
            return log(f"device page answered {status}")
        action = "deny" if self.mode == "deny" else "approve"
        self.submit(url, body, action)

    def authorize(self, url):
        if self.mode == "deny":
            # Ask for the consent page (OIDC prompt=consent) so the person
            # has something to refuse.
            url += ("&" if "?" in url else "?") + "prompt=consent"
        status, headers, body = self.fetch(url)
        if status == 200 and b"<form" in body:
            action = "deny" if self.mode == "deny" else "approve"
            target, (status, headers, body) = self.submit(url, body, action)
        if status not in (301, 302, 303, 307, 308):
            return log(f"authorize did not redirect (status {status})")
        location = headers.get("Location", "")
        if self.mode == "wrong-state":
            location = replace_param(location, "state", "not-the-state")
        if self.mode == "favicon-first":
            u = urllib.parse.urlsplit(location)
            self.fetch(urllib.parse.urlunsplit(
                (u.scheme, u.netloc, "/favicon.ico", "", "")),
                retry_refused=True)
        wait_for_go(self.deadline)
        status, headers, _ = self.fetch(location, retry_refused=True)
        landing = headers.get("Location") if headers else None
        if landing and landing.startswith("https://"):
            try:
                self.fetch(landing)
            except (urllib.error.URLError, OSError) as e:
                log(f"landing page failed: {e}")


REFRESH_RE = re.compile(r'<meta http-equiv="refresh" content="0;url=([^"]*)"')


def page_path(url):
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path)


def forward_target(url):
    """The URL a forwarding page's meta refresh sends the browser to."""
    with open(page_path(url), encoding="utf-8") as f:
        m = REFRESH_RE.search(f.read())
    if not m:
        raise ValueError("the page has no meta refresh")
    return html.unescape(m.group(1))


def page_facts(url):
    """Mode and owner of a file:// page and its directory, for tests."""
    if not url.startswith("file://"):
        return None
    path = page_path(url)
    try:
        st, dst = os.stat(path), os.stat(os.path.dirname(path))
    except OSError as e:
        return {"path": path, "error": str(e)}
    return {"path": path, "mode": st.st_mode & 0o7777, "uid": st.st_uid,
            "dir_mode": dst.st_mode & 0o7777, "dir_uid": dst.st_uid}


def wait_for_go(deadline):
    go = os.environ.get("AA_FAKE_BROWSER_GO_FILE")
    if not go:
        return
    log(f"waiting for {go}")
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.05)


def record_argv(argv):
    path = os.environ.get("AA_FAKE_BROWSER_ARGV_LOG")
    if path:
        with open(path, "a") as f:
            f.write(json.dumps({"argv": argv, "page": page_facts(argv[-1])})
                    + "\n")


def replace_param(url, name, value):
    u = urllib.parse.urlsplit(url)
    q = [(k, value if k == name else v)
         for k, v in urllib.parse.parse_qsl(u.query, keep_blank_values=True)]
    return urllib.parse.urlunsplit(u._replace(
        query=urllib.parse.urlencode(q)))


def detach(logfile):
    """Fork; the parent returns True and exits, the child carries on
    with no tie to the caller's terminal or pipes."""
    if os.fork() > 0:
        return True
    os.setsid()
    fd = os.open(logfile, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.closerange(3, 1024)  # never hold the CLI's pipes open
    return False


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: fake_browser.py URL\n")
        return 2
    record_argv(argv)
    url = argv[-1]
    mode = os.environ.get("AA_FAKE_BROWSER_MODE", "approve")
    if mode not in MODES:
        sys.stderr.write(f"fake_browser.py: unknown mode {mode!r}\n")
        return 2
    if os.environ.get("AA_FAKE_BROWSER_FOREGROUND") != "1":
        sys.stdout.flush()
        sys.stderr.flush()
        if detach(log_path()):
            os._exit(0)
    try:
        Browser(mode).run(url)
        log("done")
    except Exception as e:  # a log line beats a silent traceback
        log(f"failed: {type(e).__name__}: {e}")
    if os.environ.get("AA_FAKE_BROWSER_FOREGROUND") != "1":
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
