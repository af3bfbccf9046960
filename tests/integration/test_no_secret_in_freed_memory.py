# SPDX-License-Identifier: BSD-3-Clause
"""An attacker who can read a process's freed heap (a core dump, a later
allocation in the same process, a bug that reads out of bounds) must find no
API key there: every command that reads or writes the key runs with an
LD_PRELOAD free() scanner (tests/freescan) that reports each block freed
while it still holds the key or the base64 TokenInfo it is stored as.

The scanner cannot share the process with ASan's allocator or run under
valgrind, so these tests skip in those runs."""
import base64
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

from conftest import BIN, ROOT, make_jwt, token_info_b64
from login_env import emulator_env, store
from pam_harness import MODULE, PAM_SUCCESS, PamWorld

SOURCE = os.path.join(ROOT, "tests", "freescan", "freescan.c")
DOMAIN = "anaconda.com"  # the default domain

pytestmark = [
    pytest.mark.skipif(os.environ.get("AA_SANITIZE") == "1",
                       reason="a free() interposer cannot run beside ASan"),
    pytest.mark.skipif(os.environ.get("AA_VALGRIND") == "1",
                       reason="valgrind replaces free() itself"),
    pytest.mark.skipif(not shutil.which("cc"), reason="no C compiler"),
]


@pytest.fixture(scope="session")
def freescan_so(tmp_path_factory):
    out = tmp_path_factory.mktemp("freescan") / "freescan.so"
    subprocess.run(["cc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror",
                    "-fPIC", "-shared", "-o", str(out), SOURCE, "-ldl"],
                   check=True)
    os.chmod(out.parent, 0o755)  # PAM children run as the test user
    return str(out)


NEEDLE = 24


def key_needle(key):
    """The end of the JWT payload: it holds the claims that differ between
    keys (our test keys end with a random jti)."""
    return key[:key.rindex(".")][-NEEDLE:]


def b64_needle(b64, key):
    """The same part of the key as it appears inside the base64 TokenInfo:
    the last whole base64 groups that encode only payload bytes."""
    raw = base64.b64decode(b64).decode()
    k = raw.index(key)
    end = (k + key.rindex(".")) // 3 * 4
    assert end - NEEDLE >= -(-k // 3) * 4
    return b64[end - NEEDLE:end]


class Scanner:
    """Needles (part of the key, and the same part in the base64 TokenInfo
    that encodes it) and the report file; env() preloads the scanner."""

    def __init__(self, so, tmp_path, key, b64=None, others=()):
        b64 = b64 or token_info_b64(DOMAIN, key)
        self.so = so
        self.needles = [key_needle(key), b64_needle(b64, key)]
        for other_key, other_b64 in others:
            self.needles += [key_needle(other_key), b64_needle(other_b64, other_key)]
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="freescan-", dir=tmp_path))
        os.chmod(self.dir, 0o755)  # PAM children run as the test user
        self.needle_file = self.dir / "needles"
        self.needle_file.write_text("".join(n + "\n" for n in self.needles))
        os.chmod(self.needle_file, 0o644)
        self.report = self.dir / "report"

    def env(self, preload_after=""):
        return {"LD_PRELOAD": self.so + (":" + preload_after if preload_after else ""),
                "FREESCAN_NEEDLES": str(self.needle_file),
                "FREESCAN_REPORT": str(self.report)}

    def hits(self):
        if not self.report.exists():
            return []
        return self.report.read_text().splitlines()

    def assert_clean(self, what):
        assert self.hits() == [], (
            f"{what}: freed heap blocks still held the key "
            "(hit <needle: 0 = key, 1 = its base64, 2.. other keys> <size> "
            "<freeing object> <offset>)")


@pytest.fixture
def scanner_for(freescan_so, tmp_path):
    return lambda key, b64=None, others=(): Scanner(freescan_so, tmp_path,
                                                    key, b64, others)


def stored_key(env, key=None):
    key = key or make_jwt(extra={"jti": os.urandom(16).hex()})
    b64 = token_info_b64(DOMAIN, key)
    env.write_keyring({"Anaconda Cloud": {DOMAIN: b64}})
    return key, b64


# -- the scanner itself ---------------------------------------------------------

def test_scanner_reports_a_freed_key(scanner_for):
    """The control: a block freed with the key in it is reported, and so is
    the old block of a realloc (glibc may move any block it grows); a block
    wiped before free() is not. The calls go through ctypes, so their
    caller is libffi (python's own copies of its stdin are left out)."""
    key = make_jwt(extra={"jti": os.urandom(16).hex()})
    sc = scanner_for(key)
    prog = ("import ctypes, sys\n"
            "libc = ctypes.CDLL(None)\n"
            "libc.malloc.restype = libc.realloc.restype = ctypes.c_void_p\n"
            "libc.realloc.argtypes = [ctypes.c_void_p, ctypes.c_size_t]\n"
            "libc.free.argtypes = [ctypes.c_void_p]\n"
            "s = sys.stdin.buffer.read()\n"
            "def copy():\n"
            "    p = libc.malloc(len(s))\n"
            "    ctypes.memmove(p, s, len(s))\n"
            "    return p\n"
            "p = libc.realloc(copy(), 4096)\n"   # hit: the old block
            "ctypes.memset(p, 0, len(s))\n"
            "libc.free(p)\n"                     # wiped: no hit
            "libc.free(copy())\n")               # hit
    e = dict(os.environ, **sc.env())
    subprocess.run(["/usr/bin/python3", "-c", prog], input=key.encode(),
                   env=e, check=True)
    ours = [h for h in sc.hits() if "libffi" in h.split()[3]]
    assert len(ours) == 2 and all(h.startswith("hit 0 ") for h in ours), sc.hits()


# -- the command line -----------------------------------------------------------

def test_status_and_api_key(env, scanner_for):
    key, b64 = stored_key(env)
    sc = scanner_for(key, b64)
    r = env.run("anaconda-auth", "status", env=sc.env())
    assert r.returncode == 0, r
    sc.assert_clean("anaconda-auth status")
    r = env.run("anaconda-auth", "status", "--json", env=sc.env())
    assert r.returncode == 0, r
    sc.assert_clean("anaconda-auth status --json")
    r = env.run("anaconda-auth", "api-key", env=sc.env())
    assert r.returncode == 0 and r.stdout.strip() == key, r
    sc.assert_clean("anaconda-auth api-key")


def test_key_from_the_secrets_directory(env, scanner_for):
    """A key read from /run/secrets-style files is wiped like any other:
    the file's text, its trimmed copy and the setting's own buffer."""
    key = make_jwt(extra={"jti": os.urandom(16).hex()})
    sc = scanner_for(key)
    secrets = env.tmp / "secrets"
    secrets.mkdir()
    (secrets / "anaconda_auth_api_key").write_text(key + "\n")
    for args in (("api-key",), ("status",), ("config",), ("config", "--at", DOMAIN)):
        r = env.run("anaconda-auth", *args, env=sc.env())
        assert r.returncode == 0, r
    assert r.stdout.count(key) == 0
    if os.path.exists(os.path.join(BIN, "git-credential-anaconda")):
        r = env.run("git-credential-anaconda", "get", env=sc.env(),
                    input=f"protocol=https\nhost={DOMAIN}\n\n")
        assert key in r.stdout, r
    sc.assert_clean("a key from the secrets directory")


def test_login_and_logout_leave_no_freed_copies(env, scanner_for):
    """Encoding the TokenInfo and rewriting the keyring file next to an
    entry for another domain, then deleting the entry again: the file is
    read, edited and rewritten, and the deleted entry freed."""
    other, other_b64 = stored_key(env)
    env.write_keyring({"Anaconda Cloud": {"example.org": other_b64}})
    key = make_jwt(extra={"jti": os.urandom(16).hex()})
    sc = scanner_for(key, others=[(other, other_b64)])
    r = env.run("anaconda-auth", "login", "--with-api-key", input=key + "\n",
                env=sc.env())
    assert r.returncode == 0, r
    assert env.stored_info(DOMAIN)["api_key"] == key
    sc.assert_clean("anaconda-auth login --with-api-key")
    r = env.run("anaconda-auth", "logout", env=sc.env())
    assert r.returncode == 0, r
    assert set(env.read_keyring()["Anaconda Cloud"]) == {"example.org"}
    sc.assert_clean("anaconda-auth logout (the other domain's key kept)")


def ours(hits):
    """Hits freed by our binary or module, json-c or libc. Commands that
    send the key over the network also leave it in libcurl's and OpenSSL's
    buffers, which free it unwiped where we cannot reach; a PAM host keeps
    the exported entry. Those are not judged."""
    return [h for h in hits
            if h.split()[3] == "main" or
            any(lib in h.split()[3] for lib in ("json-c", "libc.so", "pam_anaconda"))]


def test_whoami(env, emulator_session, scanner_for):
    em = emulator_session
    key = em.mint_key()
    store(env, em.domain, key)
    sc = scanner_for(key, token_info_b64(em.domain, key))
    r = env.run("anaconda-auth", "whoami", env=emulator_env(em, **sc.env()))
    assert r.returncode == 0, r
    assert ours(sc.hits()) == [], sc.hits()


# -- the credential helpers -----------------------------------------------------

def test_git_helper_get(env, scanner_for):
    key, b64 = stored_key(env)
    sc = scanner_for(key, b64)
    r = env.run(os.path.join(BIN, "git-credential-anaconda"), "get",
                input=f"protocol=https\nhost={DOMAIN}\n\n", env=sc.env())
    assert r.returncode == 0 and f"password={key}" in r.stdout, r
    sc.assert_clean("git-credential-anaconda get")


def test_git_helper_store(env, scanner_for):
    """git hands the helper a key to keep (nothing stored yet): it is
    encoded into a TokenInfo and written to the keyring file."""
    key = make_jwt(extra={"jti": os.urandom(16).hex()})
    sc = scanner_for(key)
    r = env.run(os.path.join(BIN, "git-credential-anaconda"), "store",
                input=f"protocol=https\nhost={DOMAIN}\nusername=anaconda\n"
                      f"password={key}\n\n", env=sc.env())
    assert r.returncode == 0, r
    assert env.stored_info(DOMAIN)["api_key"] == key
    sc.assert_clean("git-credential-anaconda store")


def test_conda_helper_get(env, scanner_for):
    key, b64 = stored_key(env)
    sc = scanner_for(key, b64)
    r = env.run(os.path.join(BIN, "conda-credential-anaconda"), "get",
                "https://repo.anaconda.com/pkgs/main/noarch/repodata.json",
                env=sc.env())
    assert r.returncode == 0 and key in r.stdout, r
    sc.assert_clean("conda-credential-anaconda get")
    r = env.run(os.path.join(BIN, "conda-credential-anaconda"), "get",
                "--format=json", "https://repo.anaconda.com/pkgs/main",
                env=sc.env())
    assert r.returncode == 0 and json.loads(r.stdout)["value"] == f"Bearer {key}", r
    sc.assert_clean("conda-credential-anaconda get --format=json")


# -- a PAM session --------------------------------------------------------------

@pytest.mark.skipif(not os.path.exists(MODULE), reason="pam_anaconda.so is not built")
@pytest.mark.parametrize("export", [False, True])
def test_pam_session(scanner_for, export):
    """The whole PAM host process (python + libpam + pam_wrapper) is scanned.
    With export=none the key never leaves the module, so any hit is ours;
    when it is exported, libpam and the host hold copies of the environment
    entry by design, and only the module's and json-c's frees are judged."""
    world = PamWorld()
    try:
        key = make_jwt(extra={"jti": os.urandom(16).hex()})
        b64 = token_info_b64(DOMAIN, key)
        world.write_keyring("alice", {DOMAIN: b64})
        world.service("sess", "session required MODULE" +
                      ("" if export else " export=none"))
        sc = scanner_for(key, b64)
        extra = sc.env(preload_after=world.env()["LD_PRELOAD"])
        r = world.pam("sess", "alice", [("open_session", PAM_SUCCESS, 0)],
                      env=extra)
        assert r.rc == PAM_SUCCESS, r
        if export:
            assert r.env.get("ANACONDA_AUTH_API_KEY") == key, r
            assert ours(sc.hits()) == [], sc.hits()
        else:
            sc.assert_clean("pam_anaconda open_session")
    finally:
        world.cleanup()


def test_conda_token_install(env, emulator, scanner_for):
    """Issuing a repo token reads the stored TokenInfo, adds the token and
    writes it back: the API key passes through decode, encode and the
    keyring file in the conda helper."""
    env.vars.update(emulator.env())
    env.vars["CONDA_TOKEN_REPO_URL"] = emulator.url + "/repo/"
    key = emulator.mint_key()
    store(env, emulator.domain, key)
    sc = scanner_for(key, token_info_b64(emulator.domain, key))
    r = env.run(os.path.join(BIN, "conda-credential-anaconda"), "token",
                "install", "--org", "acme", "--yes", env=sc.env())
    assert r.returncode == 0, r
    assert env.stored_info(emulator.domain)["api_key"] == key
    assert ours(sc.hits()) == [], sc.hits()
