# SPDX-License-Identifier: BSD-3-Clause
"""Test-facing handle on the emulator: start it as a subprocess on a free
loopback port, drive its /_emulator/ control API, and stop it (also at
interpreter exit). Only the standard library is used here."""
import atexit
import hashlib
import json
import os
import secrets
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE_BROWSER = os.path.join(HERE, "fake_browser.py")
PUBLIC_CLIENT_ID = "b4ad7f1d-c784-46b5-a9fe-106e50441f5a"
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") \
    else sys.executable
START_TIMEOUT = 30.0
CALL_TIMEOUT = 15.0


class EmulatorError(RuntimeError):
    pass


def fingerprint(secret):
    """The value the request log shows in auth_sha256 for a credential."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


class Emulator:
    """A running emulator. Knobs given here are applied before start()
    returns; see tests/emulator/model.py DEFAULT_KNOBS for the list."""

    def __init__(self, state_dir, **knobs):
        self.state_dir = os.path.abspath(str(state_dir))
        self.initial_knobs = knobs
        self.admin_token = secrets.token_urlsafe(24)
        self.port = None
        self.proc = None
        self._log = None
        self._opener = None
        atexit.register(self.stop)

    # -- lifecycle --------------------------------------------------------
    def start(self, timeout=START_TIMEOUT):
        if self.proc is not None:
            raise EmulatorError("emulator already started")
        os.makedirs(self.state_dir, exist_ok=True)
        ready = os.path.join(self.state_dir, "ready.json")
        if os.path.exists(ready):
            os.unlink(ready)
        self._log = open(self.log_path, "ab")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("PYTHON")}
        env["EMULATOR_ADMIN_TOKEN"] = self.admin_token
        # stdin is the lifeline: if this process dies, the pipe closes and
        # the emulator exits on its own.
        self.proc = subprocess.Popen(
            [PYTHON, HERE, "--port", "0", "--state-dir", self.state_dir,
             "--ready-file", ready, "--exit-on-stdin-eof", "--quiet",
             "--knobs", json.dumps(self.initial_knobs)],
            stdin=subprocess.PIPE, stdout=self._log, stderr=self._log,
            env=env, close_fds=True)
        try:
            self._wait_ready(ready, time.monotonic() + timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, ready, deadline):
        while not os.path.exists(ready):
            if self.proc.poll() is not None:
                raise EmulatorError("emulator exited with status %s:\n%s"
                                    % (self.proc.returncode, self.log_tail()))
            if time.monotonic() > deadline:
                raise EmulatorError("emulator did not start in time:\n"
                                    + self.log_tail())
            time.sleep(0.05)
        with open(ready) as f:
            info = json.load(f)
        self.port = info["port"]
        # Loopback only: never through a proxy from the environment. The
        # client certificate gets the control calls through in mTLS mode.
        ctx = ssl.create_default_context(cafile=self.ca_path)
        ctx.load_cert_chain(os.path.join(self.state_dir, "client.pem"),
                            os.path.join(self.state_dir, "client-key.pem"))
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPSHandler(context=ctx))
        while True:
            try:
                self._call("GET", "/_emulator/health", timeout=2)
                return
            except (EmulatorError, OSError):
                if time.monotonic() > deadline:
                    raise EmulatorError("emulator does not answer:\n"
                                        + self.log_tail()) from None
                time.sleep(0.05)

    def stop(self):
        proc, self.proc = self.proc, None
        if proc is not None:
            try:
                proc.stdin.close()
                proc.wait(timeout=3)
            except (OSError, subprocess.TimeoutExpired):
                proc.terminate()
                try:
                    proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start() if self.proc is None else self

    def __exit__(self, *exc):
        self.stop()

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    # -- where it is ------------------------------------------------------
    @property
    def domain(self):
        return f"localhost:{self.port}"

    @property
    def url(self):
        return f"https://{self.domain}"

    @property
    def ca_path(self):
        return os.path.join(self.state_dir, "ca.pem")

    @property
    def log_path(self):
        return os.path.join(self.state_dir, "emulator.log")

    @property
    def browser_log_path(self):
        return os.path.join(self.state_dir, "fake-browser.log")

    def env(self):
        """What a client needs to talk to this emulator."""
        return {"ANACONDA_AUTH_DOMAIN": self.domain,
                "ANACONDA_AUTH_SSL_VERIFY": self.ca_path}

    def browser_env(self, mode="approve"):
        """Environment that makes fake_browser.py the person's browser."""
        return {"BROWSER": FAKE_BROWSER, "AA_FAKE_BROWSER_MODE": mode,
                "AA_FAKE_BROWSER_CA": self.ca_path,
                "AA_FAKE_BROWSER_LOG": self.browser_log_path}

    def log_tail(self, n=40):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    # -- control API ------------------------------------------------------
    def _call(self, method, path, body=None, timeout=CALL_TIMEOUT):
        if self.port is None:
            raise EmulatorError("emulator is not started")
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"https://127.0.0.1:{self.port}{path}", data=data, method=method,
            headers={"X-Emulator-Admin": self.admin_token,
                     "Content-Type": "application/json"})
        try:
            with self._opener.open(req, timeout=timeout) as r:
                return json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            raise EmulatorError(f"{method} {path}: {e.code} "
                                f"{e.read().decode(errors='replace')}") \
                from None
        except urllib.error.URLError as e:
            raise EmulatorError(f"{method} {path}: {e.reason}") from None

    def reset(self, **knobs):
        """Fresh state without a restart: default knobs (then these),
        no codes, keys, repo tokens or faults, an empty request log."""
        self._call("POST", "/_emulator/reset")
        if knobs:
            self.set(**knobs)

    def set(self, **knobs):
        """Change knobs; returns all knobs. Unknown names raise."""
        return self._call("POST", "/_emulator/knobs", knobs)

    def get_knobs(self):
        return self._call("GET", "/_emulator/knobs")

    def fault(self, path_prefix, kind, count=None, seconds=None,
              status=None):
        """Break requests whose path starts with path_prefix: kind is
        "500", "status" (with status=), "garbage", "truncated", "slow"
        (with seconds=) or "close"; count=None means every time."""
        self._call("POST", "/_emulator/faults",
                   {"prefix": path_prefix, "kind": kind, "count": count,
                    "seconds": seconds, "status": status})

    def clear_faults(self):
        self._call("DELETE", "/_emulator/faults")

    def mint_key_info(self, username=None, exp=None, scopes=None,
                      tags=None):
        """{"api_key", "expires_at", "id"} for a freshly minted key."""
        return self._call("POST", "/_emulator/keys",
                          {"username": username, "exp": exp,
                           "scopes": scopes, "tags": tags})

    def mint_key(self, username=None, exp=None, scopes=None, tags=None):
        """A valid API key (RS256 JWT) for username (default: the test
        account); exp is a unix time (the past gives an expired key)."""
        return self.mint_key_info(username, exp, scopes, tags)["api_key"]

    def revoke(self, key):
        """Revoke an API key (the key itself or its id)."""
        self._call("POST", "/_emulator/revoke", {"key": key})

    def issue_repo_token(self, org):
        """A new repo token for org; the previous one stops working."""
        return self._call("POST", "/_emulator/repo-token",
                          {"org": org})["token"]

    def requests(self, path=None, method=None):
        """The request log (control calls excluded), oldest first;
        optionally only those whose path starts with path."""
        log = self._call("GET", "/_emulator/requests")["requests"]
        return [r for r in log
                if (path is None or r["path"].startswith(path))
                and (method is None or r["method"] == method)]

    def clear_requests(self):
        self._call("DELETE", "/_emulator/requests")

    def devices(self):
        """Device codes so far: [{user_code, status, polls, ...}]."""
        return self._call("GET", "/_emulator/device")["devices"]

    def approve_device(self, user_code, username=None):
        self._call("POST", "/_emulator/device",
                   {"user_code": user_code, "action": "approve",
                    "username": username})

    def deny_device(self, user_code):
        self._call("POST", "/_emulator/device",
                   {"user_code": user_code, "action": "deny"})

    def wait_for_device(self, timeout=10.0):
        """The user_code of the newest pending device code, waiting (at
        most timeout seconds) until a client has asked for one."""
        deadline = time.monotonic() + timeout
        while True:
            pending = [d for d in self.devices() if d["status"] == "pending"]
            if pending:
                return pending[-1]["user_code"]
            if time.monotonic() > deadline:
                raise EmulatorError("no device code was requested in time")
            time.sleep(0.05)
