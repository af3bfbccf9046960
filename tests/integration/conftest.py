# SPDX-License-Identifier: BSD-3-Clause
"""Shared fixtures: where the build is, a clean temporary HOME, running our
binaries (optionally under valgrind), and unsigned test JWTs."""
import base64
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("AA_BUILD") or os.path.join(ROOT, "build", "default")
BIN = os.path.join(BUILD, "bin")
sys.path.insert(0, os.path.join(ROOT, "tests"))

# Settings that must never leak from the developer's shell into a test.
_PREFIXES = ("ANACONDA_", "CONDA_", "GIT_", "XDG_", "DBUS_", "NETRC",
             "BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "SSH_")


# Tests that need root (a setuid su, root-owned files, privilege drops)
# skip when run as an ordinary user; CI runs as root.
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (CI runs as root)")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(exp=None, sub="test-user", scopes=("cloud:read", "cloud:write"),
             iat=None, extra=None) -> str:
    """An unsigned-looking HS256 JWT; our code never checks signatures."""
    now = int(time.time())
    payload = {"sub": sub, "scopes": list(scopes), "iat": iat or now,
               "ver": "api:1"}
    payload["exp"] = now + 365 * 86400 if exp is None else exp
    if exp is False:
        del payload["exp"]
    payload.update(extra or {})
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(payload).encode())
    return f"{head}.{body}.{b64url(b'not-a-real-signature')}"


def token_info_b64(domain, api_key, repo_tokens=None, username=None):
    info = {"domain": domain, "api_key": api_key}
    if username:
        info["username"] = username
    info["repo_tokens"] = repo_tokens or []
    info["version"] = 2
    raw = json.dumps(info, separators=(",", ":")).encode()
    return base64.b64encode(raw).decode()


class Result:
    def __init__(self, proc, stdout, stderr):
        self.returncode = proc.returncode
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self):
        return (f"Result(rc={self.returncode}, stdout={self.stdout!r}, "
                f"stderr={self.stderr!r})")


class Env:
    """A clean environment with its own HOME; run() starts our binaries."""

    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.home = tmp_path / "home"
        self.home.mkdir(mode=0o700)
        self.cwd = tmp_path / "cwd"
        self.cwd.mkdir()
        self.vars = {k: v for k, v in os.environ.items()
                     if not k.startswith(_PREFIXES)}
        self.vars["HOME"] = str(self.home)
        self.vars["LC_ALL"] = "C"
        # A secrets directory or $CONDARC of the machine must not steer a test.
        self.vars["ANACONDA_SECRETS_DIR"] = str(tmp_path / "secrets")
        self.vars.pop("CONDARC", None)
        self.vars.pop("PYTHONPATH", None)

    @property
    def keyring(self):
        return self.home / ".anaconda" / "keyring"

    def bin(self, name):
        return os.path.join(BIN, name)

    def run(self, name, *args, input=None, env=None, timeout=60, cwd=None,
            valgrind=None):
        e = dict(self.vars)
        e.update(env or {})
        cmd = [self.bin(name) if not os.path.isabs(name) and
               os.path.exists(self.bin(name)) else name, *map(str, args)]
        if valgrind is None:
            valgrind = os.environ.get("AA_VALGRIND") == "1"
        if os.environ.get("AA_SANITIZE") == "1":
            valgrind = False  # ASan binaries check themselves; valgrind can't run them
        if valgrind and shutil.which("valgrind") and cmd[0].startswith(BIN):
            cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                   "--errors-for-leak-kinds=definite",
                   f"--suppressions={ROOT}/tests/valgrind.supp", *cmd]
        if isinstance(input, str):
            input = input.encode()
        p = subprocess.run(cmd, input=input, capture_output=True, env=e,
                           timeout=timeout, cwd=str(cwd or self.cwd))
        return Result(p, p.stdout.decode(errors="replace"),
                      p.stderr.decode(errors="replace"))

    def read_keyring(self):
        return json.loads(self.keyring.read_text())

    def write_keyring(self, data, mode=0o600):
        self.keyring.parent.mkdir(mode=0o700, exist_ok=True)
        text = data if isinstance(data, str) else json.dumps(data)
        self.keyring.write_text(text)
        os.chmod(self.keyring, mode)

    def stored_info(self, domain):
        raw = self.read_keyring()["Anaconda Cloud"][domain]
        return json.loads(base64.b64decode(raw))


@pytest.fixture
def env(tmp_path):
    return Env(tmp_path)


@pytest.fixture
def jwt():
    return make_jwt
from emulator_fixtures import *  # noqa: F401,F403
