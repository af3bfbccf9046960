# SPDX-License-Identifier: BSD-3-Clause
"""A person logs in through the browser (authorization code + PKCE, loopback
redirect) against the emulator over HTTPS; $BROWSER is tests/emulator's fake
browser, which follows the URL like a person clicking through."""
import glob
import json
import os
import socket
import subprocess
import time

from login_env import emulator_env, jwt_claims, login, store, stored, stored_key
from conftest import make_jwt


def test_browser_login_stores_a_working_key(env, emulator):
    r = login(env, emulator, "--browser", "--timeout", "20")
    assert r.returncode == 0, r
    key = stored_key(env, emulator.domain)
    assert key and key not in r.stdout + r.stderr
    assert "Logged in to " + emulator.domain in r.stdout
    # the authorize URL is always printed, even when a browser is started
    assert "/api/auth/oauth2/authorize?client_id=" in r.stderr
    assert jwt_claims(key)["scopes"] == ["cloud:read", "cloud:write", "repo:read"]
    assert os.stat(env.keyring).st_mode & 0o077 == 0

    r = env.run("anaconda-auth", "whoami", env=emulator.env())
    assert r.returncode == 0, r
    assert "alice@example.com" in r.stdout


def test_browser_login_speaks_the_protocol(env, emulator):
    r = login(env, emulator, "--browser", "--timeout", "20")
    assert r.returncode == 0, r
    ours = [q for q in emulator.requests() if q["user_agent"].startswith("anaconda-auth-c/")]
    assert {q["user_agent"] for q in ours} == {"anaconda-auth-c/0.1.0"}
    (auth,) = emulator.requests("/api/auth/oauth2/authorize")
    assert auth["query"]["scope"] == "openid email profile offline_access"
    assert auth["query"]["code_challenge_method"] == "S256"
    assert len(auth["query"]["state"]) >= 16
    (tok,) = emulator.requests("/api/auth/oauth2/token")
    form = tok["form"]
    assert form["grant_type"] == "authorization_code"
    assert 43 <= len(form["code_verifier"]) <= 128
    assert "client_secret" not in form and tok["auth_scheme"] is None
    assert form["redirect_uri"] == auth["query"]["redirect_uri"]
    (mint,) = emulator.requests("/api/auth/api-keys")
    assert mint["status"] == 201 and mint["auth_kind"] == "access_token"
    assert mint["json"] == {"scopes": ["cloud:read", "cloud:write", "repo:read"],
                            "tags": ["anaconda-auth-c/v0.1.0"]}
    # discovery and the code exchange never carry a bearer
    for q in emulator.requests("/.well-known") + emulator.requests("/api/auth/oauth2/token"):
        assert q["auth_scheme"] is None


def test_favicon_request_does_not_end_the_wait(env, emulator):
    r = login(env, emulator, "--browser", "--timeout", "20", browser="favicon-first")
    assert r.returncode == 0, r
    assert stored_key(env, emulator.domain)


def test_wrong_state_is_ignored_and_nothing_stored(env, emulator):
    # a redirect with another state is someone else's: 404, and the wait goes on
    r = login(env, emulator, "--browser", "--timeout", "3", browser="wrong-state")
    assert r.returncode == 5, r
    assert "no login arrived" in r.stderr
    with open(emulator.browser_log_path) as f:
        assert "state=not-the-state -> 404" in f.read()
    assert not emulator.requests("/api/auth/oauth2/token")
    assert stored(env, emulator.domain) is None


def test_refusing_consent_in_the_browser(env, emulator):
    r = login(env, emulator, "--browser", "--timeout", "20", browser="deny")
    assert r.returncode == 1, r
    assert "refused in the browser" in r.stderr
    assert stored(env, emulator.domain) is None


def test_no_redirect_times_out_with_the_url_shown(env, emulator):
    r = login(env, emulator, "--browser", "--timeout", "2", browser="ignore")
    assert r.returncode == 5, r
    assert "no login arrived at http://127.0.0.1:" in r.stderr
    assert "within 2 s" in r.stderr and "--device" in r.stderr
    assert "https://" + emulator.domain + "/api/auth/oauth2/authorize?" in r.stderr
    assert stored(env, emulator.domain) is None


def test_no_browser_only_prints_the_url(env, emulator):
    r = login(env, emulator, "--browser", "--no-browser", "--timeout", "1")
    assert r.returncode == 5, r
    assert "/api/auth/oauth2/authorize?" in r.stderr
    assert not emulator.requests("/api/auth/oauth2/authorize")


def test_busy_redirect_port_is_named(env, emulator):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = env.run("anaconda-auth", "login", "--browser", "--timeout", "5",
                    env=emulator_env(emulator, "approve",
                                     ANACONDA_AUTH_REDIRECT_URI=f"http://127.0.0.1:{port}/auth/oidc"))
    assert r.returncode == 1, r
    assert f"port {port} on 127.0.0.1 is already in use" in r.stderr
    assert stored(env, emulator.domain) is None


def test_valid_key_means_nothing_to_do_unless_forced(env, emulator):
    old = emulator.mint_key()
    store(env, emulator.domain, old)
    r = login(env, emulator, "--browser", "--timeout", "20")
    assert r.returncode == 0, r
    assert "already logged in to " + emulator.domain in r.stderr
    assert "--force" in r.stderr and old not in r.stderr
    assert not emulator.requests("/.well-known")
    assert stored_key(env, emulator.domain) == old

    r = login(env, emulator, "--browser", "--force", "--timeout", "20")
    assert r.returncode == 0, r
    new = stored_key(env, emulator.domain)
    assert new and new != old


def test_expired_key_logs_in_again_and_keeps_repo_tokens(env, emulator):
    expired = make_jwt(exp=1000000000)
    store(env, emulator.domain, expired,
          repo_tokens=[{"org_name": "acme", "token": "repo-secret"}])
    r = login(env, emulator, "--browser", "--timeout", "20")
    assert r.returncode == 0, r
    assert "expired on" in r.stderr
    info = stored(env, emulator.domain)
    assert info["api_key"] != expired
    assert info["repo_tokens"] == [{"org_name": "acme", "token": "repo-secret"}]


def test_env_key_is_reported_as_overriding(env, emulator):
    r = login(env, emulator, "--browser", "--timeout", "20",
              ANACONDA_AUTH_API_KEY=make_jwt())
    assert r.returncode == 0, r
    assert "ANACONDA_AUTH_API_KEY" in r.stderr and "overrides" in r.stderr
    assert stored_key(env, emulator.domain)
    # the environment key is never sent to start a new login
    for q in emulator.requests("/api/auth/oauth2"):
        assert q["auth_scheme"] is None


def test_extra_headers_never_replace_ours(env, emulator):
    headers = {"user-agent": "evil/1", "X-Team": "blue"}
    r = login(env, emulator, "--browser", "--timeout", "20",
              ANACONDA_AUTH_EXTRA_HEADERS=json.dumps(headers))
    assert r.returncode == 0, r
    (disc,) = emulator.requests("/.well-known")
    assert disc["user_agent"] == "anaconda-auth-c/0.1.0"
    assert disc["headers"].get("X-Team") == "blue"


# -- another local user against the browser flow (issue 16, findings 2 and 3) --

def start_login(env, em, tmp_path, *args):
    """Login in the background with the fake browser held before it delivers
    the redirect: it goes on once tmp_path/go exists."""
    e = dict(env.vars)
    e.update(emulator_env(em, "approve",
                          AA_FAKE_BROWSER_ARGV_LOG=str(tmp_path / "argv.jsonl"),
                          AA_FAKE_BROWSER_GO_FILE=str(tmp_path / "go")))
    proc = subprocess.Popen([env.bin("anaconda-auth"), "login", "--browser", *args], env=e,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=str(env.cwd))
    port = int(e["ANACONDA_AUTH_REDIRECT_URI"].split(":")[2].split("/")[0])
    return proc, port


def wait_for(check, what, timeout=20):
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def finish(proc, tmp_path, timeout=60):
    (tmp_path / "go").touch()
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


def all_cmdlines():
    """Every process's command line, as any local user can read it."""
    seen = []
    for path in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            with open(path, "rb") as f:
                seen.append(f.read().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            pass
    return seen


def test_no_state_or_challenge_in_any_command_line(env, emulator, tmp_path):
    proc, _ = start_login(env, emulator, tmp_path, "--timeout", "30")
    try:
        # the browser has asked to authorize and now waits: everything is in flight
        wait_for(lambda: emulator.requests("/api/auth/oauth2/authorize"), "the authorize request")
        cmdlines = all_cmdlines()
        (entry,) = [json.loads(line) for line in open(tmp_path / "argv.jsonl")]
        page = entry["page"]
        if os.geteuid() == 0 and page:
            # another user holding the path from the browser's argv cannot read the page
            r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                "cat", page["path"]], capture_output=True, text=True)
            assert r.returncode != 0 and "Permission denied" in r.stderr, r
    finally:
        rc, out, err = finish(proc, tmp_path)
    assert rc == 0, err
    (auth,) = emulator.requests("/api/auth/oauth2/authorize")
    state, challenge = auth["query"]["state"], auth["query"]["code_challenge"]
    # the scan did see the browser, and nothing it saw holds the state or challenge
    assert any("fake_browser.py" in c for c in cmdlines)
    for text in cmdlines + [" ".join(entry["argv"])]:
        assert state not in text and challenge not in text, text
    # the browser got one argument: the private page, 0600 in a 0700 directory of ours
    assert entry["argv"][-1].startswith("file:///") and len(entry["argv"]) == 2
    assert page["mode"] == 0o600 and page["dir_mode"] == 0o700
    assert page["uid"] == page["dir_uid"] == os.geteuid()
    # and the page is gone once the login is over
    assert not os.path.exists(page["path"]) and not os.path.exists(os.path.dirname(page["path"]))
    assert stored_key(env, emulator.domain)


def test_page_is_removed_when_the_login_fails(env, emulator, tmp_path):
    r = login(env, emulator, "--browser", "--timeout", "2", browser="ignore",
              AA_FAKE_BROWSER_ARGV_LOG=str(tmp_path / "argv.jsonl"))
    assert r.returncode == 5, r
    (entry,) = [json.loads(line) for line in open(tmp_path / "argv.jsonl")]
    assert entry["page"]["mode"] == 0o600
    assert not os.path.exists(os.path.dirname(entry["page"]["path"]))


def http_get(port, target):
    """A raw request from another local process; the reply's status line."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET " + target.encode() + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        return s.recv(4096).split(b"\r\n")[0].decode()


def test_stray_local_requests_do_not_end_the_login(env, emulator, tmp_path):
    proc, port = start_login(env, emulator, tmp_path, "--timeout", "30")
    idle = []
    try:
        wait_for(lambda: emulator.requests("/api/auth/oauth2/authorize"), "the authorize request")
        # idle connections, some with half a request line, held open throughout
        for i in range(40):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            if i % 2:
                s.sendall(b"GET /auth/oi")
            idle.append(s)
        for target in ("/auth/oidc?code=attacker-code&state=guess",
                       "/auth/oidc?code=attacker-code",
                       "/auth/oidc?error=access_denied",
                       "/auth/oidc?error=server_error&error_description=x&state=guess",
                       "/favicon.ico",
                       "/?code=attacker-code"):
            assert http_get(port, target) == "HTTP/1.1 404 Not Found", target
        assert proc.poll() is None  # still waiting
    finally:
        rc, out, err = finish(proc, tmp_path)
        for s in idle:
            s.close()
    assert rc == 0, err
    assert "Logged in to " + emulator.domain in out
    (tok,) = emulator.requests("/api/auth/oauth2/token")
    assert tok["form"]["code"] != "attacker-code"
    assert stored_key(env, emulator.domain)
