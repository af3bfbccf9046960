# SPDX-License-Identifier: BSD-3-Clause
"""A person mints a new API key with the current one ('api-key --create'),
e.g. to hand to a CI job: only the key goes to stdout."""
from conftest import make_jwt
from login_env import jwt_claims, store, stored_key


def create(env, em, *args, **extra):
    e = dict(em.env())
    e.update(extra)
    return env.run("anaconda-auth", "api-key", "--create", *args, env=e)


def test_create_with_stored_key(env, emulator):
    old = emulator.mint_key()
    store(env, emulator.domain, old)
    r = create(env, emulator)
    assert r.returncode == 0, r
    new = r.stdout.strip()
    assert r.stdout == new + "\n" and new != old
    assert jwt_claims(new)["scopes"] == ["cloud:read", "cloud:write", "repo:read"]
    (q,) = emulator.requests("/api/auth/api-keys")
    assert q["auth_kind"] == "api_key"
    assert q["json"]["tags"] == ["anaconda-auth-c/v0.1.0"]
    assert stored_key(env, emulator.domain) == old  # printed, not stored


def test_scopes_and_tag(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    r = create(env, emulator, "--scopes", "repo:read", "--tag", "ci-job")
    assert r.returncode == 0, r
    (q,) = emulator.requests("/api/auth/api-keys")
    assert q["json"] == {"scopes": ["repo:read"], "tags": ["ci-job"]}
    assert jwt_claims(r.stdout.strip())["scopes"] == ["repo:read"]


def test_not_logged_in(env, emulator):
    r = create(env, emulator)
    assert r.returncode == 3, r
    assert r.stdout == ""
    assert "not logged in" in r.stderr
    assert not emulator.requests()


def test_expired_key(env, emulator):
    store(env, emulator.domain, make_jwt(exp=1000000000))
    r = create(env, emulator)
    assert r.returncode == 4, r
    assert not emulator.requests()


def test_revoked_key(env, emulator):
    key = emulator.mint_key()
    store(env, emulator.domain, key)
    emulator.revoke(key)
    r = create(env, emulator)
    assert r.returncode == 3, r
    assert r.stdout == ""
