# SPDX-License-Identifier: BSD-3-Clause
"""What goes over the wire, as anaconda-auth 0.15 sends it: X-Client-Hostname
on every request (a BLAKE2b hash of the host name unless hash_hostname is
false), Api-Version when set and the warning for a server's Min-Api-Version,
oidc_request_headers on the login service's requests."""
import base64
import hashlib
import json
import socket
import ssl
import urllib.error
import urllib.request

from login_env import login, store


def host_name():
    name = socket.gethostname()
    return name[:-len(".local")] if name.endswith(".local") else name


def hashed(name):
    digest = hashlib.blake2b(name.encode(), digest_size=16, person=b"hostname").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def whoami(env, em, **extra):
    e = dict(em.env())
    e.update(extra)
    return env.run("anaconda-auth", "whoami", env=e)


def test_every_request_carries_the_hashed_host_name(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    r = whoami(env, emulator)
    assert r.returncode == 0, r
    (q,) = emulator.requests("/api/account")
    assert q["headers"]["X-Client-Hostname"] == hashed(host_name())
    assert q["headers"]["User-Agent"] == "anaconda-auth-c/0.1.0"
    assert "Api-Version" not in q["headers"]


def test_hash_hostname_false_sends_the_name(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    r = whoami(env, emulator, ANACONDA_AUTH_HASH_HOSTNAME="false")
    assert r.returncode == 0, r
    (q,) = emulator.requests("/api/account")
    assert q["headers"]["X-Client-Hostname"] == host_name()


def test_extra_headers_cannot_replace_the_host_header(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    r = whoami(env, emulator, ANACONDA_AUTH_EXTRA_HEADERS='{"X-Client-Hostname": "spoof"}')
    assert r.returncode == 0, r
    (q,) = emulator.requests("/api/account")
    assert q["headers"]["X-Client-Hostname"] == hashed(host_name())


def test_emulator_refuses_a_client_without_the_header(emulator):
    # the stand-in holds clients to 0.15's headers, so the tests above mean something
    ctx = ssl.create_default_context(cafile=emulator.ca_path)
    req = urllib.request.Request(emulator.url + "/api/account",
                                 headers={"User-Agent": "x"})
    try:
        urllib.request.urlopen(req, context=ctx, timeout=10)
        raise AssertionError("the emulator accepted a request without X-Client-Hostname")
    except urllib.error.HTTPError as e:
        assert e.code == 400
        assert json.load(e)["error"]["code"] == "missing_client_headers"


def test_api_version_and_min_api_version_warning(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    emulator.set(min_api_version="2.0.0")
    r = whoami(env, emulator, ANACONDA_AUTH_API_VERSION="1.5.0")
    assert r.returncode == 0, r
    (q,) = emulator.requests("/api/account")
    assert q["headers"]["Api-Version"] == "1.5.0"
    warnings = [line for line in r.stderr.splitlines() if "API version" in line]
    assert warnings == [
        f"anaconda-auth: warning: {emulator.domain} needs API version 2.0.0 or later, but the "
        "api_version setting is 1.5.0; you may need to update your client"], r.stderr


def test_no_warning_when_current_or_unset(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    emulator.set(min_api_version="2.0.0")
    r = whoami(env, emulator, ANACONDA_AUTH_API_VERSION="2.0.0")
    assert r.returncode == 0 and "API version" not in r.stderr, r
    r = whoami(env, emulator)  # no api_version: nothing to compare, as in 0.15
    assert r.returncode == 0 and "API version" not in r.stderr, r
    emulator.set(min_api_version="not-a-version")
    r = whoami(env, emulator, ANACONDA_AUTH_API_VERSION="1.0.0")
    assert r.returncode == 0 and "API version" not in r.stderr, r


def test_login_requests_carry_the_headers(env, emulator):
    r = login(env, emulator, "--device", "--timeout", "30")
    assert r.returncode == 0, r
    log = emulator.requests()
    ours = [q for q in log if q["path"].startswith(("/api/auth/oauth2/token",
                                                   "/api/auth/oauth2/device",
                                                   "/api/auth/api-keys",
                                                   "/.well-known/"))]
    assert len(ours) >= 4
    for q in ours:
        assert q["headers"]["X-Client-Hostname"] == hashed(host_name()), q["path"]
        assert q["headers"]["User-Agent"] == "anaconda-auth-c/0.1.0", q["path"]


def test_oidc_request_headers_go_only_to_the_login_service(env, emulator):
    r = login(env, emulator, "--device", "--timeout", "30",
              ANACONDA_AUTH_OIDC_REQUEST_HEADERS='{"User-Agent": "custom/1", "X-Team": "data"}')
    assert r.returncode == 0, r
    oidc = [q for q in emulator.requests()
            if q["path"].startswith(("/.well-known/", "/api/auth/oauth2/token",
                                     "/api/auth/oauth2/device/authorize"))]
    assert oidc
    for q in oidc:
        assert q["headers"]["User-Agent"] == "custom/1" and q["headers"]["X-Team"] == "data"
        assert q["headers"]["X-Client-Hostname"] == hashed(host_name())
    (mint,) = emulator.requests("/api/auth/api-keys")
    assert mint["headers"]["User-Agent"] == "anaconda-auth-c/0.1.0"
    assert "X-Team" not in mint["headers"]
