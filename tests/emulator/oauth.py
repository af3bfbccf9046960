# SPDX-License-Identifier: BSD-3-Clause
"""The identity side of the emulator: OIDC discovery, the authorize
endpoint (PKCE, optional consent page), the token endpoint (authorization
code, device code, refresh token, password), device authorization and its
verification page, JWKS and userinfo."""
import base64
import hashlib
import html
import re
import secrets
import time
import urllib.parse

from model import format_user_code
from server import api_error, html_response, json_response, redirect

AUTHORIZE = "/api/auth/oauth2/authorize"
CONSENT = "/api/auth/oauth2/consent"
TOKEN = "/api/auth/oauth2/token"
DEVICE_AUTHORIZE = "/api/auth/oauth2/device/authorize"
JWKS = "/api/auth/oauth2/jwks"
USERINFO = "/api/auth/oauth2/userinfo"
DEVICE_PAGE = "/device"
GRANT_DEVICE = "urn:ietf:params:oauth:grant-type:device_code"
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")
# Anaconda's names: tests reach us under them through nss_wrapper or a proxy.
ANACONDA_NAMES = ("anaconda.com", "anaconda.cloud")
# RFC 7636 4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~].
VERIFIER_RE = re.compile(r"[A-Za-z0-9\-._~]{43,128}\Z")
CHALLENGE_RE = re.compile(r"[A-Za-z0-9\-_]{43}\Z")
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def base_url(state, req):
    """https://<host> as the client addressed us, so discovery works for
    localhost, 127.0.0.1, [::1] and *.localhost auth domains alike."""
    pinned = state.knob("issuer_host")
    if pinned:
        return "https://" + pinned
    host = req.host.strip()
    name = host.rsplit(":", 1)[0].strip("[]").lower() if host else ""
    if name in LOOPBACK_HOSTS or name.endswith(".localhost") or any(
            name == a or name.endswith("." + a) for a in ANACONDA_NAMES):
        return "https://" + host
    return f"https://localhost:{state.port}"


def oauth_error(status, error, description):
    """RFC 6749 5.2 error body."""
    headers = dict(NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="emulator"'
    return json_response(status, {"error": error,
                                  "error_description": description}, headers)


# -- discovery ----------------------------------------------------------

def discovery(state, req):
    base = base_url(state, req)
    doc = {
        "issuer": base,
        "authorization_endpoint": base + AUTHORIZE,
        "token_endpoint": base + TOKEN,
        "jwks_uri": base + JWKS,
        "userinfo_endpoint": base + USERINFO,
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token",
                                  GRANT_DEVICE, "password"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": ["openid", "email", "profile",
                             "offline_access"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }
    if state.knob("device_endpoint"):
        doc["device_authorization_endpoint"] = base + DEVICE_AUTHORIZE
    doc.update(state.knob("discovery_override") or {})
    return json_response(200, doc)


def jwks(state, req):
    return json_response(200, state.signer.jwks())


# -- authorize ----------------------------------------------------------

def _loopback_redirect_ok(uri):
    try:
        u = urllib.parse.urlsplit(uri)
        port = u.port
    except ValueError:
        return False
    return (u.scheme == "http" and u.hostname in LOOPBACK_HOSTS
            and port is not None and not u.fragment)


def _with_params(uri, params):
    u = urllib.parse.urlsplit(uri)
    query = u.query + ("&" if u.query else "") + urllib.parse.urlencode(
        {k: v for k, v in params.items() if v is not None})
    return urllib.parse.urlunsplit(u._replace(query=query))


def _error_page(status, error, description):
    return html_response(status, (
        "<!doctype html><title>Authorization error</title>"
        f"<h1>{html.escape(error)}</h1><p>{html.escape(description)}</p>"))


def authorize(state, req):
    q = req.query
    client_id = q.get("client_id")
    redirect_uri = q.get("redirect_uri")
    # RFC 6749 4.1.2.1: with a bad client or redirect URI the person is
    # told here and never sent anywhere.
    if not client_id:
        return _error_page(400, "invalid_request", "client_id is missing")
    if client_id != state.knob("client_id"):
        return _error_page(400, "unauthorized_client",
                           "unknown client_id " + client_id)
    if not redirect_uri or not _loopback_redirect_ok(redirect_uri):
        return _error_page(400, "invalid_request",
                           "redirect_uri must be http://<loopback>:<port>/...")
    st = q.get("state")

    def fail(error, description):
        return redirect(_with_params(redirect_uri, {
            "error": error, "error_description": description, "state": st}))

    if q.get("response_type") != "code":
        return fail("unsupported_response_type", "response_type must be code")
    if q.get("code_challenge_method") != "S256":
        return fail("invalid_request", "code_challenge_method=S256 required")
    if not CHALLENGE_RE.match(q.get("code_challenge") or ""):
        return fail("invalid_request", "code_challenge must be a base64url "
                    "SHA-256 (43 characters)")
    params = {"client_id": client_id, "redirect_uri": redirect_uri,
              "state": st, "challenge": q["code_challenge"],
              "scope": q.get("scope") or "openid"}
    if state.knob("consent") or q.get("prompt") == "consent":
        return _consent_page(state, params)
    return _approve(state, params)


def _approve(state, params, username=None):
    code = state.new_code(client_id=params["client_id"],
                          redirect_uri=params["redirect_uri"],
                          challenge=params["challenge"],
                          scope=params["scope"],
                          username=username or state.knob("username"))
    return redirect(_with_params(params["redirect_uri"],
                                 {"code": code, "state": params["state"]}))


def _consent_page(state, params):
    cid = secrets.token_urlsafe(16)
    with state.lock:
        state.consents[cid] = params
    user = html.escape(state.knob("username"))
    return html_response(200, (
        "<!doctype html><title>Sign in to Anaconda (emulator)</title>"
        f"<h1>Allow anaconda-auth to use the account {user}?</h1>"
        f'<form method="post" action="{CONSENT}">'
        f'<input type="hidden" name="consent_id" value="{cid}">'
        '<button name="action" value="approve">Approve</button>'
        '<button name="action" value="deny">Deny</button></form>'))


def consent(state, req):
    form = req.form or {}
    with state.lock:
        params = state.consents.pop(form.get("consent_id", ""), None)
    if params is None:
        return _error_page(400, "invalid_request",
                           "unknown or already used consent_id")
    if form.get("action") == "approve":
        return _approve(state, params)
    return redirect(_with_params(params["redirect_uri"], {
        "error": "access_denied",
        "error_description": "the person denied the request",
        "state": params["state"]}))


# -- token endpoint -----------------------------------------------------

def token(state, req):
    if req.form is None:
        return oauth_error(400, "invalid_request",
                           "the body must be application/x-www-form-"
                           "urlencoded")
    form = req.form
    # The CLI is a public client: a secret means something leaked one.
    if "client_secret" in form or req.auth_scheme == "basic":
        return oauth_error(401, "invalid_client",
                           "public client must not send a client secret")
    grant = form.get("grant_type")
    handler = {"authorization_code": _grant_code,
               GRANT_DEVICE: _grant_device,
               "refresh_token": _grant_refresh,
               "password": _grant_password}.get(grant)
    if not grant:
        return oauth_error(400, "invalid_request", "grant_type is missing")
    if handler is None:
        return oauth_error(400, "unsupported_grant_type",
                           "unsupported grant_type " + grant)
    return handler(state, req, form)


def _check_client(state, form, required=True):
    cid = form.get("client_id")
    if not cid:
        if not required:
            return None
        return oauth_error(400, "invalid_request", "client_id is missing")
    if cid != state.knob("client_id"):
        return oauth_error(401, "invalid_client", "unknown client_id")
    return None


def _tokens(state, req, username, client_id, scope):
    body, jti = state.issue_tokens(username, client_id, scope,
                                   base_url(state, req))
    return json_response(200, body, NO_STORE), jti


def _s256(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _grant_code(state, req, form):
    bad = _check_client(state, form)
    if bad:
        return bad
    for field in ("code", "redirect_uri", "code_verifier"):
        if not form.get(field):
            return oauth_error(400, "invalid_request", field + " is missing")
    verifier = form["code_verifier"]
    if not VERIFIER_RE.match(verifier):
        return oauth_error(400, "invalid_request",
                           "code_verifier must be 43-128 unreserved "
                           "characters")
    with state.lock:
        rec = state.codes.get(form["code"])
        if rec is None:
            return oauth_error(400, "invalid_grant", "unknown code")
        if rec["used"]:
            # RFC 6749 4.1.2: a replayed code revokes what it bought.
            if rec["jti"]:
                state.revoked_jti.add(rec["jti"])
            return oauth_error(400, "invalid_grant",
                               "code was already used")
        rec["used"] = True  # one attempt per code, right or wrong
        if time.time() > rec["expires"]:
            return oauth_error(400, "invalid_grant", "code expired")
        if rec["client_id"] != form["client_id"]:
            return oauth_error(400, "invalid_grant",
                               "code was issued to another client")
        if rec["redirect_uri"] != form["redirect_uri"]:
            return oauth_error(400, "invalid_grant",
                               "redirect_uri does not match the authorize "
                               "request")
        if not secrets.compare_digest(_s256(verifier), rec["challenge"]):
            return oauth_error(400, "invalid_grant",
                               "PKCE verification failed")
        resp, rec["jti"] = _tokens(state, req, rec["username"],
                                   rec["client_id"], rec["scope"])
        return resp


def _grant_device(state, req, form):
    bad = _check_client(state, form)
    if bad:
        return bad
    if not form.get("device_code"):
        return oauth_error(400, "invalid_request", "device_code is missing")
    now = time.time()
    with state.lock:
        rec = state.devices.get(form["device_code"])
        if rec is None or rec["issued"]:
            return oauth_error(400, "invalid_grant", "unknown device_code")
        if rec["client_id"] != form["client_id"]:
            return oauth_error(400, "invalid_grant",
                               "device_code was issued to another client")
        rec["polls"] += 1
        last, rec["last_poll"] = rec["last_poll"], now
        if now > rec["expires"]:
            return oauth_error(400, "expired_token",
                               "the device code has expired")
        # RFC 8628 3.5: polling faster than the interval earns slow_down
        # and a longer interval for every later poll.
        too_fast = last is not None and now - last < rec["interval"] - 0.2
        forced = state.knobs["device_slow_down_once"] and \
            not rec["forced_slow_down"]
        if too_fast or forced:
            rec["forced_slow_down"] = rec["forced_slow_down"] or forced
            rec["interval"] += int(state.knobs["slow_down_increment"])
            return oauth_error(400, "slow_down", "polling too fast; wait "
                               f"{rec['interval']} seconds between polls")
        if rec["status"] == "pending":
            _maybe_auto_decide(state, rec)
        if rec["status"] == "denied":
            return oauth_error(400, "access_denied",
                               "the person denied the request")
        if rec["status"] == "pending":
            rec["pending_replies"] += 1
            return oauth_error(400, "authorization_pending",
                               "waiting for the person to approve")
        rec["issued"] = True
        resp, _ = _tokens(state, req, rec["username"], rec["client_id"],
                          rec["scope"])
        return resp


def _maybe_auto_decide(state, rec):
    k = state.knobs
    if k["device_deny"]:
        rec["status"], rec["username"] = "denied", k["username"]
        return
    after = k["device_auto_approve_after"]
    if after is not None and rec["pending_replies"] >= int(after):
        rec["status"], rec["username"] = "approved", k["username"]


def _grant_refresh(state, req, form):
    bad = _check_client(state, form)
    if bad:
        return bad
    if not form.get("refresh_token"):
        return oauth_error(400, "invalid_request", "refresh_token is missing")
    with state.lock:
        rec = state.refresh.pop(form["refresh_token"], None)  # rotation
        if rec is None or rec["client_id"] != form["client_id"]:
            return oauth_error(400, "invalid_grant", "unknown refresh_token")
        resp, _ = _tokens(state, req, rec["username"], rec["client_id"],
                          rec["scope"])
        return resp


def _grant_password(state, req, form):
    if not state.knob("password_grant"):
        return oauth_error(400, "unauthorized_client",
                           "the password grant is disabled")
    bad = _check_client(state, form, required=False)
    if bad:
        return bad
    for field in ("username", "password"):
        if not form.get(field):
            return oauth_error(400, "invalid_request", field + " is missing")
    with state.lock:
        k = state.knobs
        known = form["username"] in (k["username"], k["email"])
        good = known and secrets.compare_digest(
            form["password"].encode(), k["password"].encode())
        if not good:
            return oauth_error(400, "invalid_grant",
                               "wrong username or password")
        resp, _ = _tokens(state, req, k["username"],
                          form.get("client_id") or k["client_id"],
                          form.get("scope") or "openid")
        return resp


# -- device authorization -----------------------------------------------

def device_authorize(state, req):
    if not state.knob("device_endpoint"):
        return api_error(404, "not_found", "no such endpoint: " + req.path)
    if req.form is None:
        return oauth_error(400, "invalid_request",
                           "the body must be application/x-www-form-"
                           "urlencoded")
    bad = _check_client(state, req.form)
    if bad:
        return bad
    hostile = state.knob("device_reply") or {}
    if "error" in hostile:
        return json_response(400, hostile, NO_STORE)
    device_code, rec = state.new_device(req.form["client_id"],
                                        req.form.get("scope") or "openid")
    user_code = format_user_code(rec["user_code"])
    pinned = state.knob("device_page_host")
    page = ("https://" + pinned if pinned else base_url(state, req)) + DEVICE_PAGE
    body = {
        "device_code": device_code, "user_code": user_code,
        "verification_uri": page,
        "verification_uri_complete": page + "?" + urllib.parse.urlencode(
            {"user_code": user_code}),
        "expires_in": int(rec["expires"] - time.time() + 0.5),
        "interval": rec["interval"]}
    body.update(hostile)
    return json_response(200, body, NO_STORE)


def device_page(state, req):
    if req.method == "POST":
        form = req.form or {}
        action = form.get("action")
        if action not in ("approve", "deny"):
            return html_response(400, "<p>action must be approve or deny</p>")
        ok = state.decide_device(form.get("user_code"), action == "approve")
        if not ok:
            return html_response(400, "<!doctype html><title>Unknown code"
                                 "</title><p>That code is unknown, expired "
                                 "or already used.</p>")
        word = "approved" if action == "approve" else "denied"
        return html_response(200, "<!doctype html><title>Done</title>"
                             f"<p>Device {word}. You may close this window."
                             "</p>")
    code = html.escape(req.query.get("user_code", ""))
    return html_response(200, (
        "<!doctype html><title>Activate a device (emulator)</title>"
        f'<form method="post" action="{DEVICE_PAGE}">'
        f'<input name="user_code" value="{code}">'
        '<button name="action" value="approve">Approve</button>'
        '<button name="action" value="deny">Deny</button></form>'))


# -- userinfo and the landing pages of the loopback redirect ------------

def userinfo(state, req):
    cred = req.bearer()
    user = state.access_token_user(cred) if cred else None
    if user is None and cred:
        status, user = state.key_status(cred)
    if user is None:
        return api_error(401, "auth_required",
                         "a valid access token or API key is required")
    return json_response(200, {
        "sub": user["id"], "email": user["email"],
        "preferred_username": user["username"],
        "organization_features": [{"org": o["name"], "features": []}
                                  for o in user["orgs"]]})


def landing(state, req, which):
    return html_response(200, "<!doctype html><title>Anaconda</title>"
                         f"<p>Login {html.escape(which)}.</p>")


ROUTES = [
    (("GET",), r"/\.well-known/openid-configuration", discovery),
    (("GET",), r"/api/auth/oauth2/\.well-known/openid-configuration",
     discovery),
    (("GET",), JWKS, jwks),
    (("GET",), AUTHORIZE, authorize),
    (("POST",), CONSENT, consent),
    (("POST",), TOKEN, token),
    (("POST",), DEVICE_AUTHORIZE, device_authorize),
    (("GET", "POST"), DEVICE_PAGE, device_page),
    (("GET",), USERINFO, userinfo),
    (("GET",), r"/app/local-login-(?P<which>success|error)", landing),
]
