# SPDX-License-Identifier: BSD-3-Clause
"""A person sends an authenticated request with 'anaconda-auth request', like
curl: the body goes to stdout, failures to stderr with a documented exit code."""
import json

from conftest import make_jwt
from login_env import store


def request(env, em, *args, **extra):
    e = dict(em.env())
    e.update(extra)
    return env.run("anaconda-auth", "request", *args, env=e)


def test_get_with_stored_key(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    r = request(env, emulator, "api/organizations/my")
    assert r.returncode == 0, r
    assert [o["name"] for o in json.loads(r.stdout)] == ["acme", "alice-starter"]
    (q,) = emulator.requests("/api/organizations/my")
    assert q["auth_kind"] == "api_key"


def test_post_json_and_headers(env, emulator, tmp_path):
    store(env, emulator.domain, emulator.mint_key())
    body = tmp_path / "body.json"
    body.write_text('{"scopes": ["cloud:read"], "tags": ["from-request"]}')
    r = request(env, emulator, "-X", "POST", "-d", f"@{body}", "-H", "X-Trace: 42",
                "-H", "User-Agent: not-us", "/api/iam/api-keys")
    assert r.returncode == 0, r
    assert json.loads(r.stdout)["api_key"]
    (q,) = emulator.requests("/api/iam/api-keys")
    assert q["json"] == {"scopes": ["cloud:read"], "tags": ["from-request"]}
    assert q["headers"]["Content-Type"] == "application/json"
    assert q["headers"]["X-Trace"] == "42"
    assert q["user_agent"] == "anaconda-auth-c/0.1.0"


def test_not_found_status_line(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    r = request(env, emulator, "/api/no-such-thing")
    assert r.returncode == 5, r
    assert "HTTP 404 from GET /api/no-such-thing" in r.stderr
    assert r.stdout  # the server's error body, like curl


def test_without_key_login_required(env, emulator):
    r = request(env, emulator, "/api/account")
    assert r.returncode == 3, r
    assert "requires a login (HTTP 401" in r.stderr
    (q,) = emulator.requests("/api/account")
    assert q["auth_scheme"] is None


def test_revoked_key(env, emulator):
    key = emulator.mint_key()
    store(env, emulator.domain, key)
    emulator.revoke(key)
    r = request(env, emulator, "/api/account")
    assert r.returncode == 3, r
    assert "invalid or revoked" in r.stderr


def test_expired_key_exit_4_before_sending(env, emulator):
    store(env, emulator.domain, make_jwt(exp=1000000000))
    r = request(env, emulator, "/api/account")
    assert r.returncode == 4, r
    assert not emulator.requests()


def test_plain_http_refused(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    r = request(env, emulator, "http://" + emulator.domain + "/api/account")
    assert r.returncode == 2, r
    assert "only https:// URLs are allowed" in r.stderr
    assert not emulator.requests()


def test_key_not_sent_to_other_hosts(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    # same server, but named differently than the configured domain
    url = f"https://127.0.0.1:{emulator.port}/api/account"
    r = request(env, emulator, url)
    assert r.returncode == 3, r
    (q,) = emulator.requests("/api/account")
    assert q["auth_scheme"] is None
    # the message says why; "requires a login" would send the person in circles
    assert "is withheld from other hosts" in r.stderr and emulator.domain in r.stderr, r
    assert "requires a login" not in r.stderr


def test_usage_errors(env, emulator):
    r = request(env, emulator)
    assert r.returncode == 2 and "which PATH" in r.stderr
    r = request(env, emulator, "-H", "no-colon", "/x")
    assert r.returncode == 2 and "Name: value" in r.stderr
    r = request(env, emulator, "-d", "@/nonexistent/file", "/x")
    assert r.returncode == 2 and "cannot read /nonexistent/file" in r.stderr


def test_method_with_crlf_refused(env, emulator):
    """Finding 12: -X with CR/LF would write its own request line and headers
    next to the Authorization header; a method is an RFC 9110 token."""
    store(env, emulator.domain, emulator.mint_key())
    for method in ("GET /api/account HTTP/1.1\r\nX-Injected: y\r\n\r\nGET",
                   "GET\r\nX: y", "GET\n", "GE T"):
        r = request(env, emulator, "-X", method, "/api/account")
        assert r.returncode == 2, r
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "HTTP method" in lines[0], r
    assert not emulator.requests()
    r = request(env, emulator, "-X", "GET", "/api/account")
    assert r.returncode == 0, r


def test_env_key_only_to_the_domain(env, emulator, tmp_path):
    """An API key from the environment goes only to the domain's host, like a
    stored one: not to another host, not to the auth domain."""
    import os

    from attacker_server import AttackerServer
    from emulator import certs

    key = emulator.mint_key()
    cert = (os.path.join(emulator.state_dir, certs.CERT_FILE),
            os.path.join(emulator.state_dir, certs.KEY_FILE))
    with AttackerServer(*cert) as attacker:
        for extra in ({}, {"ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE": attacker.host},
                      {"ANACONDA_CLOUD_AUTH_DOMAIN": attacker.host}):
            for var in ("ANACONDA_AUTH_API_KEY", "ANACONDA_CLOUD_API_KEY"):
                r = request(env, emulator, attacker.url + "/steal", **{var: key}, **extra)
                assert r.returncode == 5, r
        assert attacker.requests() and not attacker.saw(key), attacker.requests()
    r = request(env, emulator, "/api/account", ANACONDA_AUTH_API_KEY=key)
    assert r.returncode == 0, r
