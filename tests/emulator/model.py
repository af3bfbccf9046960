# SPDX-License-Identifier: BSD-3-Clause
"""The emulator's memory: knobs, the test account, authorization codes,
device codes, tokens, API keys, repo tokens, faults and the request log.
Every method takes the lock, so handler threads can share one State."""
import copy
import datetime
import hashlib
import secrets
import threading
import time
import uuid

from jwtsign import Signer, decode_unverified

PUBLIC_CLIENT_ID = "b4ad7f1d-c784-46b5-a9fe-106e50441f5a"
API_KEY_VER = "api:1"
USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"  # RFC 8628 6.1: no vowels
FAULT_KINDS = ("500", "status", "garbage", "truncated", "slow", "close")
LOG_LIMIT = 5000

DEFAULT_KNOBS = {
    # OAuth client and the account every approval logs in as.
    "client_id": PUBLIC_CLIENT_ID,
    "username": "alice",
    "password": "correct horse battery staple",
    "email": "alice@example.com",
    "first_name": "Alice",
    "last_name": "Example",
    "orgs": [
        {"name": "acme", "title": "Acme Corp",
         "product_code": "commercial_edition"},
        {"name": "alice-starter", "title": "Alice (starter)",
         "product_code": "starter_tier"},
    ],
    # Discovery and browser flow.
    "device_endpoint": True,
    "consent": False,
    "issuer_host": None,          # pin URLs in discovery to this host:port
    "discovery_override": None,   # members replacing discovery's (hostile docs)
    "code_ttl": 300,
    "password_grant": True,
    # Device flow (RFC 8628).
    "device_interval": 1,
    "device_expires_in": 300,
    "device_deny": False,
    "device_auto_approve_after": None,
    "device_slow_down_once": False,
    "slow_down_increment": 5,
    # Members merged into the device authorization reply (a hostile
    # server's verification_uri, user_code...); with "error" in it, the
    # reply is that OAuth error (400) instead.
    "device_reply": None,
    # host[:port] of the verification page (None: the host asked).
    "device_page_host": None,
    # Token and key lifetimes (seconds).
    "access_token_ttl": 600,
    "api_key_ttl": 365 * 86400,
    "repo_token_ttl": 365 * 86400,
    # API-key endpoints.
    "auth_api_keys_404": False,
    "iam_api_keys_404": False,
    # Request headers anaconda-auth 0.15 sends on every request: refuse
    # /api/ and /.well-known/ requests without them (400).
    "require_client_headers": True,
    # A Min-Api-Version reply header on every answer (None: not sent).
    "min_api_version": None,
    # GET/HEAD to one host name answer 301 to another: {"from name": "to"},
    # "to" a name (https, our port) or a base URL ("http://x", "https://x:1").
    # anaconda.cloud's pages moved to anaconda.com; its API stays (POSTs).
    "host_redirects": {"anaconda.cloud": "anaconda.com"},
    # TLS client authentication: a certificate from the test CA is required
    # on every new connection (certs.py writes client.pem / client-key.pem).
    "mtls": False,
}


def rfc3339(ts):
    return datetime.datetime.fromtimestamp(
        int(ts), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def fingerprint(secret):
    """What the log shows instead of a credential: sha256 hex, 16 chars."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def normalize_user_code(code):
    return "".join(c for c in (code or "").upper() if c.isalnum())


class KnobError(ValueError):
    pass


class State:
    def __init__(self, admin_token):
        self.lock = threading.RLock()
        self.admin_token = admin_token
        self.signer = Signer()
        self.port = 0            # set once the listening socket is bound
        self.reset()

    def reset(self):
        """Back to a fresh start: default knobs, nothing issued, no faults,
        an empty log. The signing key stays, so old tokens still parse but
        no longer match anything."""
        with self.lock:
            self.knobs = copy.deepcopy(DEFAULT_KNOBS)
            self.codes = {}          # code -> authorization-code record
            self.consents = {}       # consent-page id -> authorize params
            self.devices = {}        # device_code -> device record
            self.refresh = {}        # refresh_token -> {username, ...}
            self.revoked_jti = set()  # access tokens killed by code reuse
            self.keys = {}           # key id -> API-key record
            self.repo_tokens = {}    # org name -> {token, id, expires_at}
            self.faults = []
            self.log = []
            self._seq = 0

    # -- knobs ------------------------------------------------------------
    def set_knobs(self, changes):
        with self.lock:
            unknown = sorted(set(changes) - set(DEFAULT_KNOBS))
            if unknown:
                raise KnobError("unknown knob(s): " + ", ".join(unknown))
            self.knobs.update(copy.deepcopy(changes))
            return copy.deepcopy(self.knobs)

    def knob(self, name):
        with self.lock:
            return self.knobs[name]

    # -- accounts ---------------------------------------------------------
    def user(self, username=None):
        """The account record for username (default: the test account).
        Unknown names get a plain account with no organizations."""
        with self.lock:
            k = self.knobs
            name = username or k["username"]
            uid = str(uuid.uuid5(uuid.NAMESPACE_URL, "emulator-user:" + name))
            if name == k["username"]:
                return {"id": uid, "username": name, "email": k["email"],
                        "first_name": k["first_name"],
                        "last_name": k["last_name"],
                        "orgs": [self._org(o) for o in k["orgs"]]}
            return {"id": uid, "username": name,
                    "email": name + "@example.com", "first_name": name,
                    "last_name": "", "orgs": []}

    @staticmethod
    def _org(o):
        oid = str(uuid.uuid5(uuid.NAMESPACE_URL, "emulator-org:" + o["name"]))
        return {"id": oid, "name": o["name"],
                "title": o.get("title", o["name"]),
                "product_code": o.get("product_code", "commercial_edition")}

    # -- OAuth tokens -----------------------------------------------------
    def issue_tokens(self, username, client_id, scope, issuer):
        """The token-endpoint success body for username."""
        with self.lock:
            u = self.user(username)
            now = int(time.time())
            ttl = int(self.knobs["access_token_ttl"])
            jti = secrets.token_hex(12)
            access = self.signer.sign({
                "iss": issuer, "sub": u["id"], "aud": client_id,
                "client_id": client_id, "scope": scope, "iat": now,
                "exp": now + ttl, "jti": jti, "token_use": "access",
                "username": u["username"]})
            id_token = self.signer.sign({
                "iss": issuer, "sub": u["id"], "aud": client_id, "iat": now,
                "exp": now + ttl, "email": u["email"],
                "preferred_username": u["username"]})
            refresh = secrets.token_urlsafe(32)
            self.refresh[refresh] = {"username": u["username"],
                                     "client_id": client_id, "scope": scope}
            return {"access_token": access, "token_type": "Bearer",
                    "expires_in": ttl, "refresh_token": refresh,
                    "id_token": id_token, "scope": scope}, jti

    def access_token_user(self, token):
        """The account behind a valid access token we issued, or None."""
        claims = self.signer.verify(token)
        if not claims or claims.get("token_use") != "access":
            return None
        with self.lock:
            if claims.get("jti") in self.revoked_jti:
                return None
        if int(claims.get("exp", 0)) <= time.time():
            return None
        return self.user(claims.get("username"))

    # -- authorization codes ----------------------------------------------
    def new_code(self, **rec):
        with self.lock:
            code = secrets.token_urlsafe(24)
            rec.update(expires=time.time() + int(self.knobs["code_ttl"]),
                       used=False, jti=None)
            self.codes[code] = rec
            return code

    # -- device codes -----------------------------------------------------
    def new_device(self, client_id, scope):
        with self.lock:
            k = self.knobs
            while True:
                raw = "".join(secrets.choice(USER_CODE_ALPHABET)
                              for _ in range(8))
                if not any(d["user_code"] == raw
                           for d in self.devices.values()):
                    break
            device_code = secrets.token_urlsafe(32)
            rec = {"user_code": raw, "client_id": client_id, "scope": scope,
                   "expires": time.time() + int(k["device_expires_in"]),
                   "interval": int(k["device_interval"]),
                   "status": "pending", "polls": 0, "pending_replies": 0,
                   "last_poll": None, "forced_slow_down": False,
                   "username": None, "issued": False}
            self.devices[device_code] = rec
            return device_code, rec

    def device_by_user_code(self, user_code):
        want = normalize_user_code(user_code)
        with self.lock:
            for rec in self.devices.values():
                if rec["user_code"] == want:
                    return rec
        return None

    def decide_device(self, user_code, approve, username=None):
        """Approve or deny a pending device code; False if unknown."""
        with self.lock:
            rec = self.device_by_user_code(user_code)
            if rec is None or rec["status"] != "pending":
                return False
            if time.time() > rec["expires"]:
                return False
            rec["status"] = "approved" if approve else "denied"
            rec["username"] = username or self.knobs["username"]
            return True

    def device_list(self):
        with self.lock:
            return [{"user_code": format_user_code(r["user_code"]),
                     "status": r["status"], "polls": r["polls"],
                     "interval": r["interval"], "issued": r["issued"],
                     "expires_in": max(0, int(r["expires"] - time.time()))}
                    for r in self.devices.values()]

    # -- API keys ---------------------------------------------------------
    def mint_key(self, username=None, scopes=None, tags=None, exp=None):
        with self.lock:
            u = self.user(username)
            now = int(time.time())
            if exp is None:
                exp = now + int(self.knobs["api_key_ttl"])
            kid = str(uuid.uuid4())
            scopes = list(scopes) if scopes is not None else [
                "cloud:read", "cloud:write", "repo:read"]
            claims = {"exp": int(exp), "iat": now, "kid": kid,
                      "scopes": scopes, "sub": u["id"], "ver": API_KEY_VER}
            key = self.signer.sign(claims)
            self.keys[kid] = {"user": u["id"], "username": u["username"],
                              "scopes": scopes, "tags": list(tags or []),
                              "exp": int(exp), "revoked": False,
                              "fingerprint": fingerprint(key)}
            return {"api_key": key, "expires_at": rfc3339(exp), "id": kid}

    def key_status(self, key):
        """(state, account) for an API key: state is one of "ok",
        "invalid", "revoked", "expired"."""
        claims = self.signer.verify(key)
        if not claims or claims.get("ver") != API_KEY_VER:
            return "invalid", None
        with self.lock:
            rec = self.keys.get(claims.get("kid"))
            if rec is None:
                return "invalid", None
            if rec["revoked"]:
                return "revoked", None
            if rec["exp"] <= time.time():
                return "expired", None
            return "ok", self.user(rec["username"])

    def revoke(self, key_or_id):
        with self.lock:
            kid = key_or_id
            claims = decode_unverified(key_or_id)
            if claims is not None:
                kid = claims.get("kid")
            rec = self.keys.get(kid)
            if rec is None:
                return False
            rec["revoked"] = True
            return True

    # -- repo tokens ------------------------------------------------------
    def issue_repo_token(self, org):
        with self.lock:
            exp = int(time.time()) + int(self.knobs["repo_token_ttl"])
            rec = {"token": secrets.token_hex(20), "id": str(uuid.uuid4()),
                   "expires_at": rfc3339(exp)}
            self.repo_tokens[org] = rec  # the previous token is revoked
            return dict(rec)

    def repo_token_org(self, token):
        with self.lock:
            for org, rec in self.repo_tokens.items():
                if secrets.compare_digest(rec["token"], token):
                    return org
        return None

    # -- faults -----------------------------------------------------------
    def add_fault(self, prefix, kind, count=None, seconds=None, status=None):
        if kind not in FAULT_KINDS:
            raise KnobError(f"unknown fault kind {kind!r}; one of "
                            + ", ".join(FAULT_KINDS))
        if not isinstance(prefix, str) or not prefix.startswith("/"):
            raise KnobError("fault prefix must be a path starting with /")
        with self.lock:
            self.faults.append({"prefix": prefix, "kind": kind,
                                "remaining": count, "seconds": seconds,
                                "status": status})

    def clear_faults(self):
        with self.lock:
            self.faults.clear()

    def take_fault(self, path):
        """The first fault matching path, counting it down."""
        with self.lock:
            for f in self.faults:
                if not path.startswith(f["prefix"]):
                    continue
                if f["remaining"] is not None:
                    if f["remaining"] <= 0:
                        continue
                    f["remaining"] -= 1
                return dict(f)
        return None

    # -- request log ------------------------------------------------------
    def classify(self, scheme, cred):
        """What kind of credential a request carried, for the log."""
        if not cred:
            return None
        if scheme == "token":
            return "repo_token" if self.repo_token_org(cred) else "unknown"
        if scheme != "bearer":
            return "unknown"
        claims = self.signer.verify(cred)
        if claims is None:
            return "unknown"
        if claims.get("ver") == API_KEY_VER:
            return "api_key"
        if claims.get("token_use") == "access":
            return "access_token"
        return "unknown"

    def append_log(self, entry):
        with self.lock:
            self._seq += 1
            entry["seq"] = self._seq
            self.log.append(entry)
            del self.log[:-LOG_LIMIT]
            return entry

    def read_log(self):
        with self.lock:
            return copy.deepcopy(self.log)

    def clear_log(self):
        with self.lock:
            self.log.clear()


def format_user_code(raw):
    return raw[:4] + "-" + raw[4:]
