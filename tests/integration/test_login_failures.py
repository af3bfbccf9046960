# SPDX-License-Identifier: BSD-3-Clause
"""Login when things go wrong: server errors, garbage, slow or dropped
replies, a wrong CA, a missing API-key endpoint. Every failure is bounded,
ends in one clear line, stores nothing and leaves the old key intact."""
import pytest

from login_env import free_port, login, store, stored, stored_key

DISCOVERY = "/.well-known/openid-configuration"


@pytest.fixture
def old_key(env, emulator):
    key = emulator.mint_key()
    store(env, emulator.domain, key)
    return key


def assert_unchanged(env, emulator, old_key, r):
    assert stored_key(env, emulator.domain) == old_key
    assert old_key not in r.stdout + r.stderr
    assert len(r.stderr.strip().splitlines()[-1]) < 400


def test_discovery_server_error(env, emulator, old_key):
    emulator.fault(DISCOVERY, "500")
    r = login(env, emulator, "--force", "--browser", "--timeout", "10")
    assert r.returncode == 5, r
    assert f"cannot read the login configuration at https://{emulator.domain}{DISCOVERY} (HTTP 500)" \
        in r.stderr
    assert_unchanged(env, emulator, old_key, r)


def test_discovery_garbage(env, emulator, old_key):
    emulator.fault(DISCOVERY, "garbage")
    r = login(env, emulator, "--force", "--browser", "--timeout", "10")
    assert r.returncode == 5, r
    assert f"the server at {emulator.domain} sent a reply that is not valid JSON" in r.stderr
    assert_unchanged(env, emulator, old_key, r)


def test_token_reply_cut_off(env, emulator, old_key):
    emulator.fault("/api/auth/oauth2/token", "truncated")
    r = login(env, emulator, "--force", "--browser", "--timeout", "20")
    assert r.returncode == 5, r
    assert "not valid JSON" in r.stderr or "cut off" in r.stderr
    assert_unchanged(env, emulator, old_key, r)


def test_slow_server_hits_the_request_deadline(env, emulator, old_key):
    emulator.fault(DISCOVERY, "slow", seconds=5)
    r = login(env, emulator, "--force", "--browser", "--timeout", "10",
              ANACONDA_AUTH_TIMEOUT="1")
    assert r.returncode == 5, r
    assert f"no complete reply from {emulator.domain} within 1.0 s" in r.stderr
    assert_unchanged(env, emulator, old_key, r)


def test_connection_dropped(env, emulator, old_key):
    emulator.fault("/api/auth/oauth2/device/authorize", "close")
    r = login(env, emulator, "--force", "--device", "--timeout", "10")
    assert r.returncode == 5, r
    assert emulator.domain in r.stderr.splitlines()[-1]
    assert_unchanged(env, emulator, old_key, r)


def test_nothing_listening(env):
    port = free_port()
    r = env.run("anaconda-auth", "login", "--device", "--timeout", "5",
                env={"ANACONDA_AUTH_DOMAIN": f"127.0.0.1:{port}"})
    assert r.returncode == 5, r
    assert f"cannot connect to 127.0.0.1:{port}" in r.stderr


def test_wrong_ca_is_a_tls_failure(env, emulator, old_key):
    r = login(env, emulator, "--force", "--browser", "--timeout", "10",
              ANACONDA_AUTH_SSL_VERIFY="/etc/ssl/certs/ca-certificates.crt")
    assert r.returncode == 5, r
    assert f"cannot verify the TLS certificate of {emulator.domain}" in r.stderr
    assert "ANACONDA_AUTH_SSL_VERIFY" in r.stderr
    assert not emulator.requests()
    assert_unchanged(env, emulator, old_key, r)


def test_api_key_endpoint_fallback(env, emulator):
    emulator.set(auth_api_keys_404=True)
    r = login(env, emulator, "--browser", "--timeout", "20")
    assert r.returncode == 0, r
    (first,) = emulator.requests("/api/auth/api-keys")
    (second,) = emulator.requests("/api/iam/api-keys")
    assert (first["status"], second["status"]) == (404, 201)
    assert second["auth_kind"] == "access_token"
    assert stored_key(env, emulator.domain)


def test_api_key_server_error_falls_back_too(env, emulator):
    emulator.fault("/api/auth/api-keys", "500")
    r = login(env, emulator, "--browser", "--timeout", "20")
    assert r.returncode == 0, r
    assert [q["status"] for q in emulator.requests("/api/iam/api-keys")] == [201]


def test_no_api_key_endpoint_at_all(env, emulator, old_key):
    emulator.set(auth_api_keys_404=True, iam_api_keys_404=True)
    r = login(env, emulator, "--force", "--browser", "--timeout", "20")
    assert r.returncode == 5, r
    assert "answered HTTP 404" in r.stderr
    assert_unchanged(env, emulator, old_key, r)


def test_unknown_client_id(env, emulator):
    r = login(env, emulator, "--device", "--timeout", "10",
              ANACONDA_AUTH_CLIENT_ID="not-registered")
    assert r.returncode == 3, r
    assert "invalid_client" in r.stderr
    assert stored(env, emulator.domain) is None


def test_plain_http_redirect_uri_to_another_host_is_refused(env, emulator):
    r = login(env, emulator, "--browser", "--timeout", "5",
              ANACONDA_AUTH_REDIRECT_URI="http://example.com:8000/auth/oidc")
    assert r.returncode == 2, r
    assert "must name 127.0.0.1, localhost or [::1]" in r.stderr
