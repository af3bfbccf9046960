# SPDX-License-Identifier: BSD-3-Clause
"""The API side of the emulator: minting API keys, the account document,
organizations and their repo tokens, and the conda channel that checks
the credentials conda sends."""
import json

from server import api_error, json_response, Response

SUBDIR_RE = r"(?P<subdir>[a-z0-9_]+(?:-[a-z0-9_]+)*)"
CHANNEL_RE = r"(?P<channel>[A-Za-z0-9._-]+)"
REPODATA_FILES = ("repodata.json", "current_repodata.json")


def _auth_failure(req, state_word):
    if not req.auth_cred:
        return api_error(401, "auth_required",
                         "You must login before using this API endpoint "
                         "or provide an api_key to your client.")
    if state_word == "revoked":
        return api_error(403, "auth_required",
                         "Your API key has been revoked.")
    return api_error(401, "auth_required",
                     f"Your API key or login token is {state_word}.")


def _api_key_user(state, req):
    """(account, None) for a valid API-key bearer, else (None, error)."""
    cred = req.bearer()
    if not cred:
        return None, _auth_failure(req, "missing")
    status, user = state.key_status(cred)
    if status != "ok":
        return None, _auth_failure(req, status)
    return user, None


# -- API keys -----------------------------------------------------------

def _mint(state, req, disabled_knob):
    if state.knob(disabled_knob):
        return api_error(404, "not_found", "no such endpoint: " + req.path)
    cred = req.bearer()
    user = state.access_token_user(cred) if cred else None
    if user is None and cred:
        # An API key may mint its successor.
        status, user = state.key_status(cred)
        if status != "ok":
            return _auth_failure(req, status)
    if user is None:
        return _auth_failure(req, "invalid" if cred else "missing")
    try:
        body = req.json() if req.body else {}
    except (ValueError, UnicodeError) as e:
        return api_error(400, "invalid_request", f"bad JSON body: {e}")
    if not isinstance(body, dict):
        return api_error(400, "invalid_request", "body must be an object")
    scopes, tags = body.get("scopes"), body.get("tags", [])
    for name, value in (("scopes", scopes), ("tags", tags)):
        if value is not None and (not isinstance(value, list) or not all(
                isinstance(x, str) for x in value)):
            return api_error(422, "invalid_request",
                             name + " must be a list of strings")
    minted = state.mint_key(user["username"], scopes=scopes, tags=tags)
    return json_response(201, minted)


def auth_api_keys(state, req):
    return _mint(state, req, "auth_api_keys_404")


def iam_api_keys(state, req):
    return _mint(state, req, "iam_api_keys_404")


# -- account and organizations -----------------------------------------

def account(state, req):
    user, err = _api_key_user(state, req)
    if err:
        return err
    return json_response(200, {
        "user": {k: user[k] for k in ("id", "email", "username",
                                      "first_name", "last_name")},
        "profile": {"is_confirmed": True, "is_disabled": False,
                    "email_verified": True},
        "subscriptions": [{"org_id": o["id"],
                           "product_code": o["product_code"]}
                          for o in user["orgs"]]})


def my_orgs(state, req):
    user, err = _api_key_user(state, req)
    if err:
        return err
    return json_response(200, [{"id": o["id"], "name": o["name"],
                                "title": o["title"]} for o in user["orgs"]])


def _member_org(user, org):
    for o in user["orgs"]:
        if org in (o["name"], o["id"]):
            return o
    return None


def current_token(state, req, org):
    user, err = _api_key_user(state, req)
    if err:
        return err
    o = _member_org(user, org)
    if o is None:
        return api_error(403, "forbidden",
                         f"you are not a member of organization {org}")
    if req.method == "PUT":
        try:
            body = req.json()
        except (ValueError, UnicodeError):
            body = None
        if not isinstance(body, dict) or body.get("confirm") != "yes":
            return api_error(400, "invalid_request",
                             'reissuing needs the body {"confirm": "yes"}')
        rec = state.issue_repo_token(o["name"])
        return json_response(200, {"token": rec["token"],
                                   "expires_at": rec["expires_at"]})
    with state.lock:
        rec = state.repo_tokens.get(o["name"])
        rec = dict(rec) if rec else None
    if rec is None:
        return api_error(404, "not_found", "no token has been issued")
    return json_response(200, {"id": rec["id"],
                                "expires_at": rec["expires_at"]})


# -- conda channel ------------------------------------------------------

def _repodata(subdir):
    return json.dumps({
        "info": {"subdir": subdir},
        "packages": {},
        "packages.conda": {},
        "removed": [],
        "repodata_version": 1,
    }).encode()


def _channel_allows(state, channel, scheme, cred):
    """None when the credential opens the channel, else an error."""
    if not cred:
        return api_error(401, "auth_required",
                         f"Token not found for channel {channel}")
    if scheme == "bearer":
        status, user = state.key_status(cred)
        if status != "ok":
            return _channel_denied(channel)
        if channel in ("main", "main-x") or _member_org(user, channel):
            return None
        return _channel_denied(channel)
    if scheme == "token" and channel != "main-x":
        org = state.repo_token_org(cred)
        # Any live repo token opens main (it is how tokens are validated).
        if org is not None and channel in ("main", org):
            return None
    return _channel_denied(channel)


def _channel_denied(channel):
    return api_error(403, "forbidden",
                     f"the credential does not grant access to {channel}")


def _serve_repodata(subdir, filename):
    if filename not in REPODATA_FILES:
        return api_error(404, "not_found", filename + " not found")
    return Response(200, _repodata(subdir), "application/json")


def repo(state, req, channel, subdir, filename):
    denied = _channel_allows(state, channel, req.auth_scheme, req.auth_cred)
    return denied or _serve_repodata(subdir, filename)


def repo_legacy(state, req, token, channel, subdir, filename):
    # /t/<token>/repo/...: the binstar-token URL form conda builds itself.
    denied = _channel_allows(state, channel, "token", token)
    return denied or _serve_repodata(subdir, filename)


_FILE = r"(?P<filename>[A-Za-z0-9._-]+)"
ROUTES = [
    (("POST",), r"/api/auth/api-keys", auth_api_keys),
    (("POST",), r"/api/iam/api-keys", iam_api_keys),
    (("GET",), r"/api/account", account),
    (("GET",), r"/api/organizations/my", my_orgs),
    (("GET", "PUT"),
     r"/api/organizations/(?P<org>[A-Za-z0-9._-]+)/ce/current-token",
     current_token),
    (("GET",), rf"/repo/{CHANNEL_RE}/{SUBDIR_RE}/{_FILE}", repo),
    (("GET",), rf"/t/(?P<token>[A-Za-z0-9._-]+)/repo/{CHANNEL_RE}/"
     rf"{SUBDIR_RE}/{_FILE}", repo_legacy),
]
