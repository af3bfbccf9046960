"""A person logs in through the browser (authorization code + PKCE, loopback
redirect) against the emulator over HTTPS; $BROWSER is tests/emulator's fake
browser, which follows the URL like a person clicking through."""
import json
import os
import socket

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


def test_wrong_state_is_refused_and_nothing_stored(env, emulator):
    r = login(env, emulator, "--browser", "--timeout", "20", browser="wrong-state")
    assert r.returncode == 3, r
    assert "state mismatch" in r.stderr
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
