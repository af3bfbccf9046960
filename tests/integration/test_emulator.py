# SPDX-License-Identifier: BSD-3-Clause
"""Tests of the Anaconda Cloud emulator itself (tests/emulator): the
protocol other tests rely on must be the real one, and strict."""
import base64
import hashlib
import http.server
import json
import os
import secrets
import signal
import ssl
import subprocess
import threading
import time
import urllib.parse

import pytest
import requests

from conftest import make_jwt
from emulator.harness import (FAKE_BROWSER, PUBLIC_CLIENT_ID, PYTHON,
                              EmulatorError, fingerprint)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
REDIRECT = "http://127.0.0.1:8000/auth/oidc"
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
TIMEOUT = 10


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def claims(jwt):
    part = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def pkce():
    verifier = secrets.token_urlsafe(96)[:128]
    return verifier, b64url(hashlib.sha256(verifier.encode()).digest())


class Client:
    """requests against the emulator, trusting only its CA."""

    def __init__(self, em):
        self.em = em
        self.s = requests.Session()
        # Neither REQUESTS_CA_BUNDLE nor a proxy from the environment.
        self.s.trust_env = False
        self.s.verify = em.ca_path
        self.s.headers["User-Agent"] = "anaconda-auth-c/test"
        # the emulator requires what anaconda-auth 0.15 always sends
        self.s.headers["X-Client-Hostname"] = "test-host"

    def url(self, path):
        return path if path.startswith("https://") else self.em.url + path

    def get(self, path, **kw):
        kw.setdefault("allow_redirects", False)
        return self.s.get(self.url(path), timeout=TIMEOUT, **kw)

    def head(self, path, **kw):
        return self.s.head(self.url(path), timeout=TIMEOUT, **kw)

    def post(self, path, **kw):
        kw.setdefault("allow_redirects", False)
        return self.s.post(self.url(path), timeout=TIMEOUT, **kw)

    def put(self, path, **kw):
        return self.s.put(self.url(path), timeout=TIMEOUT, **kw)

    def discovery(self):
        return self.get("/.well-known/openid-configuration").json()

    def authorize(self, challenge, state="st-1", **extra):
        params = {"client_id": PUBLIC_CLIENT_ID, "response_type": "code",
                  "scope": "openid email profile offline_access",
                  "state": state, "redirect_uri": REDIRECT,
                  "code_challenge": challenge,
                  "code_challenge_method": "S256"}
        params.update(extra)
        params = {k: v for k, v in params.items() if v is not None}
        return self.get("/api/auth/oauth2/authorize", params=params)

    def code(self, challenge):
        r = self.authorize(challenge)
        assert r.status_code == 302, r.text
        q = location_query(r)
        assert q["state"] == "st-1"
        return q["code"]

    def token(self, **form):
        return self.post("/api/auth/oauth2/token", data=form)

    def exchange(self, code, verifier, **extra):
        form = {"grant_type": "authorization_code",
                "client_id": PUBLIC_CLIENT_ID, "code": code,
                "redirect_uri": REDIRECT, "code_verifier": verifier}
        form.update(extra)
        return self.token(**{k: v for k, v in form.items() if v is not None})

    def access_token(self):
        verifier, challenge = pkce()
        r = self.exchange(self.code(challenge), verifier)
        assert r.status_code == 200, r.text
        return r.json()["access_token"]

    def device(self):
        r = self.post("/api/auth/oauth2/device/authorize",
                      data={"client_id": PUBLIC_CLIENT_ID, "scope": "openid"})
        assert r.status_code == 200, r.text
        return r.json()

    def poll(self, device_code):
        return self.token(grant_type=DEVICE_GRANT, device_code=device_code,
                          client_id=PUBLIC_CLIENT_ID)

    def mint(self, bearer, path="/api/auth/api-keys", body=None):
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        return self.post(path, json=body if body is not None else {
            "scopes": ["cloud:read", "cloud:write", "repo:read"],
            "tags": ["anaconda-auth-c/test"]}, headers=headers)


def plain(method, url, **kw):
    """One request with no environment settings (proxies, CA bundles)."""
    with requests.Session() as s:
        s.trust_env = False
        return s.request(method, url, timeout=TIMEOUT, **kw)


def location_query(resp):
    loc = resp.headers["Location"]
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(loc).query))


def oauth_error(resp):
    body = resp.json()
    assert set(body) >= {"error", "error_description"}
    return body["error"]


@pytest.fixture
def em(emulator_session):
    return emulator_session


@pytest.fixture
def c(em):
    return Client(em)


# -- discovery and TLS --------------------------------------------------

def test_discovery_lists_the_real_endpoint_paths(c, em):
    doc = c.discovery()
    base = em.url
    assert doc["issuer"] == base
    assert doc["authorization_endpoint"] == base + "/api/auth/oauth2/authorize"
    assert doc["token_endpoint"] == base + "/api/auth/oauth2/token"
    assert doc["device_authorization_endpoint"] == \
        base + "/api/auth/oauth2/device/authorize"
    keys = c.get(doc["jwks_uri"]).json()["keys"]
    assert keys[0]["alg"] == "RS256" and keys[0]["kty"] == "RSA"


def test_device_endpoint_can_be_switched_off(c, em):
    em.set(device_endpoint=False)
    assert "device_authorization_endpoint" not in c.discovery()
    r = c.post("/api/auth/oauth2/device/authorize",
               data={"client_id": PUBLIC_CLIENT_ID})
    assert r.status_code == 404


def test_certificate_is_trusted_only_through_the_emulator_ca(em):
    for host in ("localhost", "127.0.0.1"):
        r = plain("GET", f"https://{host}:{em.port}/_emulator/health",
                  verify=em.ca_path)
        assert r.json()["ok"] is True
    with pytest.raises(requests.exceptions.SSLError):
        plain("GET", em.url + "/_emulator/health", verify=True)
    # Plain HTTP is not spoken at all.
    with pytest.raises(requests.exceptions.ConnectionError):
        plain("GET", f"http://127.0.0.1:{em.port}/")


# -- browser flow (authorization code + PKCE) ---------------------------

def test_code_exchange_returns_bearer_tokens(c):
    verifier, challenge = pkce()
    code = c.code(challenge)
    r = c.exchange(code, verifier)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert {"access_token", "refresh_token", "id_token", "scope",
            "expires_in"} <= set(body)
    header = json.loads(base64.urlsafe_b64decode(
        body["access_token"].split(".")[0] + "=="))
    assert header["alg"] == "RS256"
    exp = claims(body["access_token"])["exp"]
    assert time.time() < exp <= time.time() + body["expires_in"] + 5
    assert r.headers["Cache-Control"] == "no-store"


def test_wrong_code_verifier_is_rejected(c):
    _, challenge = pkce()
    other_verifier, _ = pkce()
    r = c.exchange(c.code(challenge), other_verifier)
    assert r.status_code == 400
    assert oauth_error(r) == "invalid_grant"


def test_code_is_single_use_and_replay_revokes_its_token(c):
    verifier, challenge = pkce()
    code = c.code(challenge)
    first = c.exchange(code, verifier)
    assert first.status_code == 200
    again = c.exchange(code, verifier)
    assert again.status_code == 400 and oauth_error(again) == "invalid_grant"
    r = c.mint(first.json()["access_token"])
    assert r.status_code == 401


def test_exchange_requires_client_id_and_matching_redirect_uri(c):
    verifier, challenge = pkce()
    r = c.exchange(c.code(challenge), verifier, client_id="")
    assert r.status_code == 400 and oauth_error(r) == "invalid_request"
    r = c.exchange(c.code(challenge), verifier, client_id="someone-else")
    assert r.status_code == 401 and oauth_error(r) == "invalid_client"
    r = c.exchange(c.code(challenge), verifier,
                   redirect_uri="http://127.0.0.1:9999/auth/oidc")
    assert r.status_code == 400 and oauth_error(r) == "invalid_grant"


def test_token_endpoint_rejects_bad_grants_and_client_secrets(c):
    r = c.token(grant_type="client_credentials", client_id=PUBLIC_CLIENT_ID)
    assert r.status_code == 400
    assert oauth_error(r) == "unsupported_grant_type"
    r = c.token(client_id=PUBLIC_CLIENT_ID)
    assert r.status_code == 400 and oauth_error(r) == "invalid_request"
    r = c.token(grant_type="authorization_code", client_id=PUBLIC_CLIENT_ID,
                client_secret="s3cret", code="x", redirect_uri=REDIRECT,
                code_verifier="v" * 43)
    assert r.status_code == 401 and oauth_error(r) == "invalid_client"
    r = c.post("/api/auth/oauth2/token",
               json={"grant_type": "authorization_code"})
    assert r.status_code == 400 and oauth_error(r) == "invalid_request"


def test_authorize_refuses_bad_clients_and_redirects(c):
    _, challenge = pkce()
    # Bad client or redirect: an error page, never a redirect.
    r = c.authorize(challenge, client_id=None)
    assert r.status_code == 400 and "Location" not in r.headers
    r = c.authorize(challenge, client_id="not-the-cli")
    assert r.status_code == 400
    r = c.authorize(challenge, redirect_uri="https://evil.example/cb")
    assert r.status_code == 400 and "Location" not in r.headers
    # Anything else goes back to the client with the state.
    r = c.authorize(None)
    assert r.status_code == 302
    assert location_query(r) == {
        "error": "invalid_request", "state": "st-1",
        "error_description": "code_challenge must be a base64url SHA-256 "
                             "(43 characters)"}
    r = c.authorize(challenge, code_challenge_method="plain")
    assert location_query(r)["error"] == "invalid_request"
    r = c.authorize(challenge, response_type="token")
    assert location_query(r)["error"] == "unsupported_response_type"


def test_consent_page_deny_returns_access_denied(c, em):
    em.set(consent=True)
    _, challenge = pkce()
    page = c.authorize(challenge, state="s-9")
    assert page.status_code == 200 and "<form" in page.text
    cid = page.text.split('name="consent_id" value="')[1].split('"')[0]
    r = c.post("/api/auth/oauth2/consent",
               data={"consent_id": cid, "action": "deny"})
    assert r.status_code == 302
    q = location_query(r)
    assert q["error"] == "access_denied" and q["state"] == "s-9"
    assert r.headers["Location"].startswith(REDIRECT + "?")


def test_refresh_and_password_grants(c, em):
    verifier, challenge = pkce()
    refresh = c.exchange(c.code(challenge), verifier).json()["refresh_token"]
    r = c.token(grant_type="refresh_token", refresh_token=refresh,
                client_id=PUBLIC_CLIENT_ID)
    assert r.status_code == 200
    r = c.token(grant_type="refresh_token", refresh_token=refresh,
                client_id=PUBLIC_CLIENT_ID)
    assert r.status_code == 400 and oauth_error(r) == "invalid_grant"
    knobs = em.get_knobs()
    r = c.token(grant_type="password", username=knobs["email"],
                password=knobs["password"])
    assert r.status_code == 200 and r.json()["access_token"]
    r = c.token(grant_type="password", username=knobs["email"],
                password="wrong")
    assert r.status_code == 400 and oauth_error(r) == "invalid_grant"


# -- device flow (RFC 8628) ---------------------------------------------

def test_device_flow_pending_then_approved(c, em):
    em.set(device_interval=0)
    d = c.device()
    assert len(d["user_code"]) == 9 and d["user_code"][4] == "-"
    assert d["verification_uri"] == em.url + "/device"
    assert d["verification_uri_complete"] == \
        em.url + "/device?user_code=" + d["user_code"]
    assert d["interval"] == 0 and d["expires_in"] > 0
    r = c.poll(d["device_code"])
    assert r.status_code == 400
    assert oauth_error(r) == "authorization_pending"
    em.approve_device(d["user_code"])
    r = c.poll(d["device_code"])
    assert r.status_code == 200 and r.json()["token_type"] == "Bearer"
    r = c.poll(d["device_code"])
    assert r.status_code == 400 and oauth_error(r) == "invalid_grant"


def test_device_verification_page_approves_and_denies(c, em):
    em.set(device_interval=0)
    d = c.device()
    page = c.get(d["verification_uri_complete"])
    assert page.status_code == 200
    assert f'value="{d["user_code"]}"' in page.text
    r = c.post("/device", data={"user_code": d["user_code"].lower(),
                                "action": "approve"})
    assert r.status_code == 200
    assert c.poll(d["device_code"]).status_code == 200
    d = c.device()
    c.post("/device", data={"user_code": d["user_code"], "action": "deny"})
    r = c.poll(d["device_code"])
    assert r.status_code == 400 and oauth_error(r) == "access_denied"


def test_device_polling_too_fast_gets_slow_down(c, em):
    em.set(device_interval=1, slow_down_increment=2)
    d = c.device()
    assert oauth_error(c.poll(d["device_code"])) == "authorization_pending"
    r = c.poll(d["device_code"])
    assert r.status_code == 400 and oauth_error(r) == "slow_down"
    dev = [x for x in em.devices() if x["user_code"] == d["user_code"]][0]
    assert dev["interval"] == 3


def test_device_knobs_deny_expire_auto_approve_and_slow_down_once(c, em):
    em.set(device_interval=0, device_slow_down_once=True,
           slow_down_increment=0)
    d = c.device()
    assert oauth_error(c.poll(d["device_code"])) == "slow_down"
    assert oauth_error(c.poll(d["device_code"])) == "authorization_pending"
    em.set(device_interval=0, device_slow_down_once=False,
           device_auto_approve_after=2)
    d = c.device()
    assert oauth_error(c.poll(d["device_code"])) == "authorization_pending"
    assert oauth_error(c.poll(d["device_code"])) == "authorization_pending"
    assert c.poll(d["device_code"]).status_code == 200
    em.set(device_auto_approve_after=None, device_deny=True)
    d = c.device()
    assert oauth_error(c.poll(d["device_code"])) == "access_denied"
    em.set(device_deny=False, device_expires_in=0)
    d = c.device()
    time.sleep(0.05)
    assert oauth_error(c.poll(d["device_code"])) == "expired_token"
    with pytest.raises(EmulatorError):
        em.approve_device(d["user_code"])


# -- API keys, account, organizations ------------------------------------

def test_api_key_minting_with_access_token_and_with_a_key(c, em):
    r = c.mint(c.access_token())
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == {"api_key", "expires_at", "id"}
    cl = claims(body["api_key"])
    assert cl["ver"] == "api:1"
    assert cl["scopes"] == ["cloud:read", "cloud:write", "repo:read"]
    assert 364 * 86400 < cl["exp"] - time.time() < 366 * 86400
    assert body["expires_at"].endswith("Z")
    again = c.mint(body["api_key"], body={"scopes": ["cloud:read"]})
    assert again.status_code == 201
    assert claims(again.json()["api_key"])["sub"] == cl["sub"]
    r = c.mint(None)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "auth_required"
    assert c.mint(make_jwt()).status_code == 401
    assert c.mint(body["api_key"], body={"scopes": "x"}).status_code == 422


def test_api_key_fallback_knob(c, em):
    em.set(auth_api_keys_404=True)
    token = c.access_token()
    assert c.mint(token).status_code == 404
    assert c.mint(token, path="/api/iam/api-keys").status_code == 201


def test_account_accepts_only_live_keys(c, em):
    key = em.mint_key()
    r = c.get("/api/account", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    doc = r.json()
    knobs = em.get_knobs()
    assert doc["user"]["email"] == knobs["email"]
    assert doc["user"]["username"] == knobs["username"]
    assert {"id", "first_name", "last_name"} <= set(doc["user"])
    assert {s["product_code"] for s in doc["subscriptions"]} == \
        {o["product_code"] for o in knobs["orgs"]}
    expired = em.mint_key(exp=int(time.time()) - 60)
    for bad, status in ((None, 401), (expired, 401), (make_jwt(), 401),
                        ("garbage", 401)):
        headers = {"Authorization": f"Bearer {bad}"} if bad else {}
        r = c.get("/api/account", headers=headers)
        assert r.status_code == status, bad
        assert r.json()["error"]["code"] == "auth_required"
    em.revoke(key)
    r = c.get("/api/account", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "auth_required"


def test_mint_key_for_another_user(c, em):
    key = em.mint_key(username="bob", scopes=["repo:read"])
    assert claims(key)["scopes"] == ["repo:read"]
    doc = c.get("/api/account",
                headers={"Authorization": f"Bearer {key}"}).json()
    assert doc["user"]["username"] == "bob" and doc["subscriptions"] == []


def test_organizations_and_repo_token_reissue(c, em):
    auth = {"Authorization": f"Bearer {em.mint_key()}"}
    orgs = c.get("/api/organizations/my", headers=auth).json()
    assert {o["name"] for o in orgs} >= {"acme"}
    assert set(orgs[0]) == {"id", "name", "title"}
    path = "/api/organizations/acme/ce/current-token"
    assert c.get(path, headers=auth).status_code == 404
    assert c.put(path, json={}, headers=auth).status_code == 400
    r = c.put(path, json={"confirm": "yes"}, headers=auth)
    assert r.status_code == 200
    first = r.json()["token"]
    assert set(c.get(path, headers=auth).json()) == {"id", "expires_at"}
    second = c.put(path, json={"confirm": "yes"}, headers=auth).json()
    assert second["token"] != first
    repodata = "/repo/acme/noarch/repodata.json"
    assert c.get(repodata, headers={
        "Authorization": f"token {first}"}).status_code == 403
    assert c.get(repodata, headers={
        "Authorization": f"token {second['token']}"}).status_code == 200
    r = c.get("/api/organizations/not-mine/ce/current-token", headers=auth)
    assert r.status_code == 403


def test_conda_channel_checks_credentials(c, em):
    token = em.issue_repo_token("acme")
    other = em.issue_repo_token("other-org")
    key = em.mint_key()
    ok = c.get("/repo/acme/linux-64/repodata.json",
               headers={"Authorization": f"token {token}"})
    assert ok.status_code == 200
    data = ok.json()
    assert data["info"]["subdir"] == "linux-64" and "packages" in data
    head = c.head("/repo/acme/noarch/repodata.json",
                  headers={"Authorization": f"token {token}"})
    assert head.status_code == 200 and head.content == b""
    # How a repo token is validated: HEAD on main through /t/<token>/.
    assert c.head(f"/t/{token}/repo/main/noarch/repodata.json"
                  ).status_code == 200
    cases = [
        ("/repo/acme/noarch/repodata.json", None, 401),
        ("/repo/acme/noarch/repodata.json", f"token {other}", 403),
        ("/repo/acme/noarch/repodata.json", "token nope", 403),
        ("/repo/acme/noarch/repodata.json", f"Bearer {key}", 200),
        ("/repo/main-x/noarch/repodata.json", f"Bearer {key}", 200),
        ("/repo/main-x/noarch/repodata.json", f"token {token}", 403),
        ("/repo/main/noarch/repodata.json", f"token {token}", 200),
        (f"/t/{token}/repo/main/noarch/repodata.json", None, 200),
        (f"/t/{token}/repo/acme/osx-arm64/repodata.json", None, 200),
        ("/t/0123abcd/repo/main/noarch/repodata.json", None, 403),
        ("/repo/acme/noarch/not-there.tar.bz2", f"token {token}", 404),
    ]
    for path, auth, status in cases:
        headers = {"Authorization": auth} if auth else {}
        assert c.get(path, headers=headers).status_code == status, \
            (path, auth)
    em.revoke(key)
    assert c.get("/repo/main-x/noarch/repodata.json", headers={
        "Authorization": f"Bearer {key}"}).status_code == 403


# -- request log, faults, control ---------------------------------------

def test_request_log_shows_what_the_client_sent(c, em):
    token = c.access_token()
    c.mint(token)
    log = em.requests()
    exchange = [r for r in log if r["path"] == "/api/auth/oauth2/token"][-1]
    assert exchange["form"]["grant_type"] == "authorization_code"
    assert "client_secret" not in exchange["form"]
    assert exchange["auth_scheme"] is None
    assert exchange["user_agent"] == "anaconda-auth-c/test"
    mint = em.requests(path="/api/auth/api-keys", method="POST")[-1]
    assert mint["auth_scheme"] == "bearer"
    assert mint["auth_kind"] == "access_token"
    assert mint["auth_sha256"] == fingerprint(token)
    assert mint["headers"]["Authorization"] == "bearer [redacted]"
    assert mint["json"]["tags"] == ["anaconda-auth-c/test"]
    assert mint["status"] == 201
    authz = em.requests(path="/api/auth/oauth2/authorize")[-1]
    assert authz["status"] == 302 and authz["location"].startswith(REDIRECT)
    assert not [r for r in log if r["path"].startswith("/_emulator/")]
    em.clear_requests()
    assert em.requests() == []


def test_faults_break_matching_requests(c, em):
    em.fault("/api/account", "500", count=1)
    key = em.mint_key()
    auth = {"Authorization": f"Bearer {key}"}
    assert c.get("/api/account", headers=auth).status_code == 500
    assert c.get("/api/account", headers=auth).status_code == 200
    em.fault("/.well-known/", "garbage", count=1)
    r = c.get("/.well-known/openid-configuration")
    assert r.status_code == 200
    with pytest.raises(ValueError):
        json.loads(r.content)
    em.fault("/api/account", "truncated", count=1)
    r = c.get("/api/account", headers=auth)
    with pytest.raises(ValueError):
        json.loads(r.content)
    em.fault("/api/account", "close", count=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        c.get("/api/account", headers=auth)
    em.fault("/api/account", "status", count=1, status=503)
    assert c.get("/api/account", headers=auth).status_code == 503
    em.fault("/api/account", "slow", seconds=3)
    with pytest.raises(requests.exceptions.ReadTimeout):
        c.s.get(em.url + "/api/account", headers=auth, timeout=0.3)
    em.clear_faults()
    assert c.get("/api/account", headers=auth).status_code == 200
    kinds = [r["fault"] for r in em.requests(path="/api/account")]
    assert kinds[:6] == ["500", None, "truncated", "close", "status",
                         "slow"]


def test_control_api_needs_the_admin_token(em):
    r = plain("POST", em.url + "/_emulator/keys", json={},
              verify=em.ca_path)
    assert r.status_code == 403
    with pytest.raises(EmulatorError):
        em.set(no_such_knob=1)
    with pytest.raises(EmulatorError):
        em.fault("/x", "explode")


def test_reset_forgets_keys_knobs_and_device_codes(c, em):
    key = em.mint_key()
    em.set(consent=True)
    d = c.device()
    assert em.wait_for_device() == d["user_code"]
    em.reset(device_interval=0)
    knobs = em.get_knobs()
    assert knobs["consent"] is False and knobs["device_interval"] == 0
    assert em.devices() == [] and em.requests() == []
    r = c.get("/api/account", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 401
    assert oauth_error(c.poll(d["device_code"])) == "invalid_grant"


# -- fake browser ---------------------------------------------------------

class Loopback:
    """A one-shot stand-in for the CLI's loopback redirect server."""

    def __init__(self, em):
        self.hits = []
        self.done = threading.Event()
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits.append(self.path)
                if self.path.startswith("/auth/oidc"):
                    self.send_response(307)
                    self.send_header("Location",
                                     em.url + "/app/local-login-success")
                    outer.done.set()
                else:
                    self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.srv = http.server.HTTPServer(("127.0.0.1", 0), H)
        self.port = self.srv.server_address[1]
        self.redirect = f"http://127.0.0.1:{self.port}/auth/oidc"
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()

    def query(self):
        path = [h for h in self.hits if h.startswith("/auth/oidc")][-1]
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))


def browser_log(em):
    try:
        with open(em.browser_log_path) as f:
            return f.read()
    except OSError:
        return "(no fake-browser log)"


def run_browser(em, url, mode):
    env = dict(os.environ, **em.browser_env(mode))
    p = subprocess.run([FAKE_BROWSER, url], env=env, timeout=TIMEOUT,
                       capture_output=True)
    assert p.returncode == 0, p.stderr


@pytest.mark.parametrize("mode", ["approve", "approve-consent",
                                  "wrong-state", "deny", "favicon-first"])
def test_fake_browser_drives_the_browser_login(c, em, mode):
    if mode == "approve-consent":
        em.set(consent=True)
        mode = "approve"
    lb = Loopback(em)
    try:
        _, challenge = pkce()
        r = c.authorize(challenge, state="state-42",
                        redirect_uri=lb.redirect)
        url = c.url("/api/auth/oauth2/authorize?") + \
            urllib.parse.urlsplit(r.request.url).query
        run_browser(em, url, mode)
        assert lb.done.wait(TIMEOUT), browser_log(em)
        q = lb.query()
    finally:
        lb.close()
    if mode == "deny":
        assert q["error"] == "access_denied" and q["state"] == "state-42"
        return
    assert q["code"]
    assert q["state"] == ("not-the-state" if mode == "wrong-state"
                          else "state-42")
    assert (lb.hits[0] == "/favicon.ico") == (mode == "favicon-first")


@pytest.mark.parametrize("mode,status", [("approve", "approved"),
                                         ("deny", "denied")])
def test_fake_browser_answers_the_device_page(c, em, mode, status):
    d = c.device()
    run_browser(em, d["verification_uri_complete"], mode)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        dev = [x for x in em.devices() if x["user_code"] == d["user_code"]]
        if dev[0]["status"] != "pending":
            break
        time.sleep(0.05)
    assert dev[0]["status"] == status


# -- lifecycle ------------------------------------------------------------

def _gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


def test_fresh_emulator_fixture_and_stop(emulator):
    assert emulator.running
    assert emulator.env() == {"ANACONDA_AUTH_DOMAIN": emulator.domain,
                              "ANACONDA_AUTH_SSL_VERIFY": emulator.ca_path}
    assert emulator.requests() == []
    pid = emulator.proc.pid
    emulator.stop()
    assert _gone(pid)


def test_emulator_exits_when_its_harness_dies(tmp_path):
    script = (
        "import sys, time; sys.path.insert(0, %r)\n"
        "from emulator.harness import Emulator\n"
        "em = Emulator(%r).start()\n"
        "print(em.proc.pid, flush=True)\n"
        "time.sleep(60)\n" % (os.path.join(ROOT, "tests"),
                              str(tmp_path / "em")))
    p = subprocess.Popen([PYTHON, "-c", script], stdout=subprocess.PIPE)
    try:
        pid = int(p.stdout.readline())
    finally:
        p.kill()
        p.wait(timeout=TIMEOUT)
        p.stdout.close()
    deadline = time.monotonic() + TIMEOUT
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if not _gone(pid):
        os.kill(pid, signal.SIGKILL)
        pytest.fail("emulator outlived its harness")


def test_command_line_prints_what_to_export(tmp_path):
    p = subprocess.Popen([PYTHON, os.path.join(ROOT, "tests", "emulator"),
                          "--port", "0", "--state-dir", str(tmp_path)],
                         stdout=subprocess.PIPE, text=True)
    try:
        lines = [p.stdout.readline() for _ in range(7)]
    finally:
        p.terminate()
        p.wait(timeout=TIMEOUT)
        p.stdout.close()
    text = "".join(lines)
    assert "export ANACONDA_AUTH_DOMAIN=localhost:" in text
    assert f"export ANACONDA_AUTH_SSL_VERIFY={tmp_path}/ca.pem" in text
    assert p.returncode == 0
    ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
