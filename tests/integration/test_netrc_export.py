# SPDX-License-Identifier: BSD-3-Clause
"""conda-credential-anaconda netrc: print .netrc entries for the stored key,
or merge them into $NETRC / ~/.netrc keeping every other byte; the result is
read back by Python's netrc module, requests (what pip and conda use) and
curl --netrc-file against the emulator."""
import base64
import netrc
import os
import shutil
import stat
import subprocess
import time

import pytest
import requests

from conftest import BIN, make_jwt
from emulator.harness import fingerprint

HELPER = os.path.join(BIN, "conda-credential-anaconda")
pytestmark = pytest.mark.skipif(not os.path.exists(HELPER),
                                reason="conda-credential-anaconda not built")

FOREIGN = (
    "# my hand-written netrc\n"
    "machine ftp.example.org login anon password guest@\n"
    "\n"
    "machine   Repo.Anaconda.Cloud\n"
    "    login old-user\n"
    "    password old-key\n"
    "macdef init\n"
    "cd /pub\n"
    "machine repo.anaconda.cloud login in-a-macro password not-an-entry\n"
    "\n"
    "machine git.example.org login me password s3cret # trailing comment\n"
    "default login anonymous password me@example.org\n"
)


def login(env, key, domain=None):
    extra = {"ANACONDA_AUTH_DOMAIN": domain} if domain else None
    r = env.run("anaconda-auth", "login", "--with-api-key", input=key + "\n",
                env=extra)
    assert r.returncode == 0, r
    return key


def test_print_entries(env):
    key = login(env, make_jwt(sub="user-42"))
    r = env.run(HELPER, "netrc")
    assert r.returncode == 0, r
    assert r.stdout == (f"machine repo.anaconda.cloud login user-42 password {key}\n"
                        f"machine anaconda.com login user-42 password {key}\n")
    r = env.run(HELPER, "netrc", "--hosts", "https://Mirror.Example.com:8443/x,b.example",
                "--login", "bob")
    assert r.stdout == (f"machine mirror.example.com login bob password {key}\n"
                        f"machine b.example login bob password {key}\n"), r
    # .netrc has no port: the person is told the entry covers every port
    assert "no scheme or port" in r.stderr and "mirror.example.com" in r.stderr
    assert "b.example" not in r.stderr
    assert not (env.home / ".netrc").exists()


def test_only_the_exact_hosts_are_written(env):
    """The domain's aliases and the rest of its family get no entry: only
    the hosts named (by default the repo host and the domain itself)."""
    key = login(env, make_jwt())
    r = env.run(HELPER, "netrc")
    machines = [ln.split()[1] for ln in r.stdout.splitlines()]
    assert machines == ["repo.anaconda.cloud", "anaconda.com"], r
    assert r.stderr == ""
    r = env.run(HELPER, "netrc", "--hosts", "http://repo.anaconda.cloud/x")
    assert r.stdout == f"machine repo.anaconda.cloud login test-user password {key}\n"
    assert "plain http included" in r.stderr
    r = env.run(HELPER, "netrc", "--hosts", "*.anaconda.cloud")
    assert r.returncode == 2 and r.stdout == "", r


def test_write_keeps_every_other_byte(env):
    key = login(env, make_jwt(sub="alice"))
    path = env.tmp / "my-netrc"
    path.write_text(FOREIGN)
    os.chmod(path, 0o644)
    r = env.run(HELPER, "netrc", "--write", "--hosts", "repo.anaconda.cloud",
                env={"NETRC": str(path)})
    assert r.returncode == 0, r
    assert "0600" in r.stderr  # it was readable by others
    text = path.read_text()
    ours = f"machine repo.anaconda.cloud login alice password {key}\n"
    assert text == FOREIGN.replace(
        "machine   Repo.Anaconda.Cloud\n    login old-user\n    password old-key\n", ours)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key not in r.stdout + r.stderr
    # Python's reader sees our entry, the foreign ones and the macro unchanged
    n = netrc.netrc(str(path))
    assert n.authenticators("repo.anaconda.cloud") == ("alice", "", key)
    assert n.authenticators("ftp.example.org") == ("anon", "", "guest@")
    assert n.authenticators("git.example.org") == ("me", "", "s3cret")
    assert "init" in n.macros
    # a second run changes nothing
    assert env.run(HELPER, "netrc", "--write", "--hosts", "repo.anaconda.cloud",
                   env={"NETRC": str(path)}).returncode == 0
    assert path.read_text() == text


def test_default_file_and_requests(env):
    key = login(env, make_jwt(sub="alice"))
    r = env.run(HELPER, "netrc", "--write")
    assert r.returncode == 0, r
    path = env.home / ".netrc"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # Python's default-file check (owner and mode) passes
    old = os.environ.get("HOME")
    os.environ["HOME"] = str(env.home)
    try:
        assert netrc.netrc().authenticators("anaconda.com") == ("alice", "", key)
        # what pip and conda do: requests' netrc lookup, host without port
        got = requests.utils.get_netrc_auth("https://repo.anaconda.cloud:443/repo/acme")
        assert got == ("alice", key)
    finally:
        os.environ["HOME"] = old


def test_curl_sends_the_key_to_the_emulator(env, emulator):
    key = emulator.mint_key()
    env.vars.update(emulator.env())
    login(env, key)
    path = env.tmp / "netrc"
    r = env.run(HELPER, "netrc", "--write", "--file", path, "--login", "alice")
    assert r.returncode == 0, r
    # the emulator's domain is localhost:<port>; netrc names the bare host
    assert netrc.netrc(str(path)).authenticators("localhost") == ("alice", "", key)
    curl = shutil.which("curl")
    if not curl:
        pytest.skip("curl not installed")
    url = f"{emulator.url}/repo/acme/noarch/repodata.json"
    p = subprocess.run([curl, "-s", "-o", "/dev/null", "-w", "%{http_code}",
                        "--cacert", emulator.ca_path, "--netrc-file", str(path),
                        "--max-time", "20", url],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stderr
    log = emulator.requests("/repo/acme/noarch/repodata.json")
    assert log, "curl did not reach the emulator"
    basic = base64.b64encode(f"alice:{key}".encode()).decode()
    assert log[-1]["auth_scheme"] == "basic"
    assert log[-1]["auth_sha256"] == fingerprint(basic)
    # The emulator's channel, like the real repo as far as anyone knows
    # (reference: credential-helpers.md 5.5, open question), takes only
    # `token` and `Bearer`: Basic is refused, so the answer is 401/403.
    assert p.stdout in ("200", "401", "403"), p.stdout


def test_refusals(env, tmp_path):
    # nothing stored
    r = env.run(HELPER, "netrc")
    assert r.returncode == 3 and r.stdout == "", r
    # a login .netrc readers would split
    login(env, make_jwt())
    r = env.run(HELPER, "netrc", "--login", "two words")
    assert r.returncode == 2 and r.stdout == "", r
    r = env.run(HELPER, "netrc", "--login", 'q"uote')
    assert r.returncode == 2, r
    # a symlinked file is not replaced
    real = tmp_path / "real-netrc"
    real.write_text(FOREIGN)
    link = env.home / ".netrc"
    link.symlink_to(real)
    r = env.run(HELPER, "netrc", "--write")
    assert r.returncode == 6, r
    assert "symbolic link" in r.stderr
    assert link.is_symlink() and real.read_text() == FOREIGN
    # --file without --write is a usage error
    assert env.run(HELPER, "netrc", "--file", "x").returncode == 2


def test_expired_key_is_not_exported(env):
    login(env, make_jwt())
    data = env.read_keyring()
    info = {"domain": "anaconda.com",
            "api_key": make_jwt(exp=int(time.time()) - 5), "repo_tokens": []}
    import json
    data["Anaconda Cloud"]["anaconda.com"] = base64.b64encode(
        json.dumps(info).encode()).decode()
    env.write_keyring(data)
    r = env.run(HELPER, "netrc", "--write")
    assert r.returncode == 4, r
    assert "anaconda-auth login" in r.stderr
    assert not (env.home / ".netrc").exists()
