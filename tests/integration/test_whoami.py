# SPDX-License-Identifier: BSD-3-Clause
"""A person asks who they are logged in as: whoami against the emulator,
with a stored key, an environment key, no key, a revoked or expired key."""
import json

from conftest import make_jwt
from login_env import free_port, store


def whoami(env, em, *args, **extra):
    e = dict(em.env())
    e.update(extra)
    return env.run("anaconda-auth", "whoami", *args, env=e)


def test_whoami_with_stored_key(env, emulator):
    key = emulator.mint_key()
    store(env, emulator.domain, key)
    r = whoami(env, emulator)
    assert r.returncode == 0, r
    assert r.stdout.splitlines() == [
        "username: alice", "email:    alice@example.com", "name:     Alice Example",
        "domain:   " + emulator.domain, "key from: " + str(env.keyring)]
    (q,) = emulator.requests("/api/account")
    assert q["auth_kind"] == "api_key" and q["user_agent"] == "anaconda-auth-c/0.1.0"
    assert key not in r.stdout + r.stderr


def test_whoami_json(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    r = whoami(env, emulator, "--json")
    assert r.returncode == 0, r
    doc = json.loads(r.stdout)
    assert doc["user"]["username"] == "alice"
    assert doc["domain"] == emulator.domain


def test_environment_key_wins(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    bob = emulator.mint_key(username="bob")
    r = whoami(env, emulator, ANACONDA_AUTH_API_KEY=bob)
    assert r.returncode == 0, r
    assert "username: bob" in r.stdout


def test_not_logged_in(env, emulator):
    r = whoami(env, emulator)
    assert r.returncode == 3, r
    assert f"not logged in to {emulator.domain}" in r.stderr
    assert not emulator.requests("/api/account")


def test_revoked_key(env, emulator):
    key = emulator.mint_key()
    store(env, emulator.domain, key)
    emulator.revoke(key)
    r = whoami(env, emulator)
    assert r.returncode == 3, r
    assert "invalid or revoked" in r.stderr and "login --force" in r.stderr
    assert key not in r.stderr


def test_expired_key_fails_before_any_request(env, emulator):
    store(env, emulator.domain, make_jwt(exp=1000000000))
    r = whoami(env, emulator)
    assert r.returncode == 4, r
    assert "expired on 2001-09-09" in r.stderr and "anaconda-auth login" in r.stderr
    assert not emulator.requests()


def test_no_ssl_verify_flag(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    r = env.run("anaconda-auth", "whoami", "--no-ssl-verify",
                env={"ANACONDA_AUTH_DOMAIN": emulator.domain})
    assert r.returncode == 0, r
    # without the flag the emulator's private CA is not trusted
    r = env.run("anaconda-auth", "whoami", env={"ANACONDA_AUTH_DOMAIN": emulator.domain})
    assert r.returncode == 5, r
    assert "cannot verify the TLS certificate" in r.stderr


def test_server_error(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    emulator.fault("/api/account", "500")
    r = whoami(env, emulator)
    assert r.returncode == 5, r
    assert "answered HTTP 500" in r.stderr


def test_unreachable(env):
    port = free_port()
    store(env, f"127.0.0.1:{port}", make_jwt())
    r = env.run("anaconda-auth", "whoami", "--domain", f"127.0.0.1:{port}")
    assert r.returncode == 5, r
    assert f"cannot connect to 127.0.0.1:{port}" in r.stderr


def test_escape_sequences_in_account_fields_are_not_printed(env, emulator):
    # a hostile (or compromised) server puts terminal escapes in the account
    emulator.set(first_name="\x1b]0;owned\x07Al\x1b[2Jice", last_name="Ex\u009b31mample",
                 email="alice@example.com\x1b[8m\r\n")
    store(env, emulator.domain, emulator.mint_key())
    r = whoami(env, emulator)
    assert r.returncode == 0, r
    assert r.stdout.splitlines()[1:3] == ["email:    alice@example.com[8m",
                                          "name:     ]0;ownedAl[2Jice Ex31mample"]
    r = whoami(env, emulator, "--json")
    assert r.returncode == 0, r
    assert not any(c in r.stdout for c in "\x1b\x07\r\u009b")
    assert json.loads(r.stdout)["user"]["last_name"] == "Ex31mample"
