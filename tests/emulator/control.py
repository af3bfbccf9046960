# SPDX-License-Identifier: BSD-3-Clause
"""The /_emulator/ control API the test harness drives: knobs, faults,
minting and revoking keys, repo tokens, device decisions and the request
log. Every call but health needs the X-Emulator-Admin token."""
import secrets

from model import KnobError
from server import Router, api_error, json_response

ADMIN_HEADER = "X-Emulator-Admin"


def _body(req):
    try:
        body = req.json() if req.body else {}
    except (ValueError, UnicodeError) as e:
        raise KnobError(f"bad JSON body: {e}") from None
    if not isinstance(body, dict):
        raise KnobError("body must be a JSON object")
    return body


def admin_only(func):
    def wrapper(state, req, **kw):
        given = req.headers.get(ADMIN_HEADER, "")
        if not secrets.compare_digest(given.encode(),
                                      state.admin_token.encode()):
            return api_error(403, "forbidden", "admin token required")
        try:
            return func(state, req, **kw)
        except KnobError as e:
            return api_error(400, "bad_request", str(e))
    return wrapper


def health(state, req):
    return json_response(200, {"ok": True, "port": state.port})


@admin_only
def reset(state, req):
    state.reset()
    return json_response(200, {"ok": True})


@admin_only
def knobs(state, req):
    if req.method == "GET":
        return json_response(200, state.set_knobs({}))
    return json_response(200, state.set_knobs(_body(req)))


@admin_only
def faults(state, req):
    if req.method == "DELETE":
        state.clear_faults()
        return json_response(200, {"faults": []})
    if req.method == "POST":
        b = _body(req)
        state.add_fault(b.get("prefix"), b.get("kind"), b.get("count"),
                        b.get("seconds"), b.get("status"))
    with state.lock:
        return json_response(200, {"faults": list(state.faults)})


@admin_only
def keys(state, req):
    b = _body(req)
    return json_response(201, state.mint_key(b.get("username"),
                                             scopes=b.get("scopes"),
                                             tags=b.get("tags"),
                                             exp=b.get("exp")))


@admin_only
def revoke(state, req):
    b = _body(req)
    if not state.revoke(b.get("key") or b.get("id") or ""):
        return api_error(404, "not_found", "no such key")
    return json_response(200, {"revoked": True})


@admin_only
def repo_token(state, req):
    b = _body(req)
    if not b.get("org"):
        raise KnobError("org is required")
    return json_response(200, state.issue_repo_token(b["org"]))


@admin_only
def device(state, req):
    if req.method == "GET":
        return json_response(200, {"devices": state.device_list()})
    b = _body(req)
    action = b.get("action")
    if action not in ("approve", "deny"):
        raise KnobError("action must be approve or deny")
    if not state.decide_device(b.get("user_code"), action == "approve",
                               b.get("username")):
        return api_error(404, "not_found",
                         "no pending device code with that user_code")
    return json_response(200, {"ok": True})


@admin_only
def requests_log(state, req):
    if req.method == "DELETE":
        state.clear_log()
        return json_response(200, {"requests": []})
    return json_response(200, {"requests": state.read_log()})


ROUTER = Router([
    (("GET",), r"/_emulator/health", health),
    (("POST",), r"/_emulator/reset", reset),
    (("GET", "POST"), r"/_emulator/knobs", knobs),
    (("GET", "POST", "DELETE"), r"/_emulator/faults", faults),
    (("POST",), r"/_emulator/keys", keys),
    (("POST",), r"/_emulator/revoke", revoke),
    (("POST",), r"/_emulator/repo-token", repo_token),
    (("GET", "POST"), r"/_emulator/device", device),
    (("GET", "DELETE"), r"/_emulator/requests", requests_log),
])
