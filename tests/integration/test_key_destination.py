# SPDX-License-Identifier: BSD-3-Clause
"""The key goes only where it belongs. Each test is an attack from a hostile
HTTPS server that records whether it ever received the person's key or the
login's secrets: a `.env` in the directory the person works in, a hostile
discovery document, a man in the middle, a redirect (docs/settings.md,
"`.env` files"; issue 16 findings 1 and 12)."""
import json
import json
import os
import shutil

import pytest

from attacker_server import AttackerServer
from conftest import needs_root
from emulator import certs
from login_env import emulator_env, login, store, stored_key

DISCOVERY = "/.well-known/openid-configuration"


def emulator_cert(em):
    """The emulator's own certificate: the attacker is trusted like it."""
    return (os.path.join(em.state_dir, certs.CERT_FILE),
            os.path.join(em.state_dir, certs.KEY_FILE))


def other_ca_cert(tmp_path):
    """A certificate from a CA the person does not trust (a MITM's), and its CA."""
    d = tmp_path / "mitm-ca"
    d.mkdir()
    ca, cert, key = certs.create(str(d))
    return ca, cert, key


def write_dotenv(env, text, mode=0o644):
    path = env.cwd / ".env"
    path.write_text(text)
    os.chmod(path, mode)
    return path


def attacker_discovery(em, attacker):
    """A discovery document that keeps the real login page but sends the
    code (or device code) and the verifier to the attacker's token endpoint."""
    return {
        "issuer": em.url,
        "authorization_endpoint": em.url + "/api/auth/oauth2/authorize",
        "device_authorization_endpoint": em.url + "/api/auth/oauth2/device/authorize",
        "token_endpoint": attacker.url + "/token",
    }


def test_dotenv_auth_domain_never_receives_the_stored_key(env, emulator):
    """Finding 1a: .env names an attacker as auth domain, the person mints a
    key with 'api-key --create': the stored key must not go there."""
    key = emulator.mint_key()
    store(env, emulator.domain, key)
    with AttackerServer(*emulator_cert(emulator), routes={
            "/api/auth/api-keys": (201, {"api_key": "attacker-made"})}) as attacker:
        write_dotenv(env, f"ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE={attacker.host}\n")
        r = env.run("anaconda-auth", "api-key", "--create", env=emulator.env())
        assert not attacker.saw(key), attacker.requests()
        assert not attacker.requests()
    assert r.returncode == 0, r
    assert r.stdout.strip() not in ("", "attacker-made")
    # minted at the domain the key is stored for; the .env setting was refused aloud
    (q,) = emulator.requests("/api/auth/api-keys")
    assert q["auth_kind"] == "api_key"
    assert (f"anaconda-auth: ignoring ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE={attacker.host} "
            "from ./.env: it differs from the domain") in r.stderr


def test_dotenv_openid_config_url_refused(env, emulator):
    """Finding 1b: .env makes discovery an absolute URL on the attacker, whose
    document sends the login's code to the attacker's token endpoint."""
    with AttackerServer(*emulator_cert(emulator)) as attacker:
        attacker.routes[DISCOVERY] = (200, attacker_discovery(emulator, attacker))
        write_dotenv(env, f"ANACONDA_AUTH_OPENID_CONFIG_PATH={attacker.url}{DISCOVERY}\n")
        r = login(env, emulator, "--device", "--timeout", "20")
        assert not attacker.requests()
    assert r.returncode == 2, r
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "is not a path" in lines[0], r
    assert "ANACONDA_AUTH_OPENID_CONFIG_PATH" in lines[0]
    assert stored_key(env, emulator.domain) is None
    assert not emulator.requests("/api/auth/oauth2/device/authorize")


@pytest.mark.parametrize("member", ["token_endpoint", "device_authorization_endpoint",
                                    "authorization_endpoint"])
def test_hostile_discovery_endpoint_refused(env, emulator, member):
    """A discovery document (from the real auth domain) naming an endpoint on
    another host: refused with one line naming it, before any flow starts."""
    with AttackerServer(*emulator_cert(emulator), routes={
            "/token": (400, {"error": "authorization_pending"}),
            "/device": (200, {"device_code": "d", "user_code": "U", "interval": 1,
                              "verification_uri": "https://example.invalid/",
                              "expires_in": 60})}) as attacker:
        path = {"token_endpoint": "/token", "device_authorization_endpoint": "/device",
                "authorization_endpoint": "/authorize"}[member]
        emulator.set(discovery_override={member: attacker.url + path})
        r = login(env, emulator, "--device", "--timeout", "20")
        assert not attacker.requests()
    assert r.returncode != 0, r
    assert member in r.stderr and "not https:// on" in r.stderr, r
    assert stored_key(env, emulator.domain) is None


def test_discovery_endpoint_must_be_https(env, emulator):
    emulator.set(discovery_override={
        "token_endpoint": f"http://{emulator.domain}/api/auth/oauth2/token"})
    r = login(env, emulator, "--device", "--timeout", "20")
    assert r.returncode != 0 and "token_endpoint" in r.stderr, r
    assert not emulator.requests("/api/auth/oauth2/device/authorize")


@pytest.mark.parametrize("setting", ["false", "ca-in-repo"])
def test_dotenv_never_lets_a_mitm_have_the_key(env, tmp_path, setting):
    """Finding 1c: .env turns TLS checks off, or trusts a CA file shipped in
    the repository; a man in the middle at the domain's address asks for the
    key. TLS stays checked, so the key never reaches it."""
    ca, cert, key_file = other_ca_cert(tmp_path)
    with AttackerServer(cert, key_file) as mitm:
        domain = f"localhost:{mitm.port}"
        key = "mitm-test-key-123456"
        store(env, domain, key)
        if setting == "false":
            write_dotenv(env, "ANACONDA_AUTH_SSL_VERIFY=false\n")
        else:
            shutil.copy(ca, env.cwd / "corp-ca.pem")
            write_dotenv(env, "ANACONDA_CLOUD_SSL_VERIFY=./corp-ca.pem\n")
        r = env.run("anaconda-auth", "request", "/api/account",
                    env={"ANACONDA_AUTH_DOMAIN": domain})
        assert not mitm.saw(key), mitm.requests()
        assert not mitm.requests()
    assert r.returncode == 5, r
    assert "SSL_VERIFY from ./.env" in r.stderr and "ignoring" in r.stderr, r
    assert "cannot verify the TLS certificate" in r.stderr, r


# ---- .env that someone else could have written --------------------------

def _other_owner(env):
    os.chown(env.cwd / ".env", 65534, 65534)


def _group_writable(env):
    os.chmod(env.cwd / ".env", 0o664)


def _world_writable_dir(env):
    os.chmod(env.cwd, 0o777)


def _sticky_tmp_dir(env):
    os.chmod(env.cwd, 0o1777)


@needs_root
@pytest.mark.parametrize("make_untrusted,why", [
    (_other_owner, "it belongs to uid 65534, not to you or root"),
    (_group_writable, "it is writable by other users"),
    (_world_writable_dir, "the current directory is writable by other users"),
    (_sticky_tmp_dir, "the current directory is writable by other users"),
])
def test_dotenv_others_could_write_is_ignored(env, emulator, make_untrusted, why):
    """Another user's .env (or one in a directory others can write, like
    /tmp) sends the login to the attacker: it is ignored, with a notice,
    and the login goes to the person's own service."""
    with AttackerServer(*emulator_cert(emulator)) as attacker:
        attacker.routes[DISCOVERY] = (200, attacker_discovery(emulator, attacker))
        write_dotenv(env, f"ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE={attacker.host}\n"
                     f"ANACONDA_AUTH_API_KEY=attacker-account-key\n")
        make_untrusted(env)
        try:
            r = login(env, emulator, "--device", "--timeout", "30")
        finally:
            os.chmod(env.cwd, 0o755)
        assert not attacker.requests()
    assert r.returncode == 0, r
    assert f"anaconda-auth: ignoring ./.env: {why}" in r.stderr, r
    assert "attacker-account-key" not in r.stderr
    assert stored_key(env, emulator.domain)


# ---- redirects -----------------------------------------------------------

@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_never_carries_the_key(env, emulator, status):
    """The domain answers with a redirect to another host: not followed, so
    the key is never sent there (libcurl's default, pinned in http.c)."""
    key = emulator.mint_key()
    cert = emulator_cert(emulator)
    with AttackerServer(*cert) as attacker, \
            AttackerServer(*cert) as redirector:
        redirector.routes["/api/account"] = (
            status, {}, {"Location": attacker.url + "/api/account"})
        store(env, redirector.host, key)
        r = env.run("anaconda-auth", "request", "/api/account",
                    env={"ANACONDA_AUTH_DOMAIN": redirector.host,
                         "ANACONDA_AUTH_SSL_VERIFY": emulator.ca_path})
        assert redirector.saw(key)  # the domain itself gets it
        assert not attacker.requests()
    assert r.returncode == 5, r
    assert f"HTTP {status}" in r.stderr


def login_without_domain(env, emulator, *args):
    """A login whose domain comes from the directory: no ANACONDA_AUTH_DOMAIN
    in the environment, only the emulator's CA (as a person's CA bundle)."""
    e = emulator_env(emulator, "approve")
    del e["ANACONDA_AUTH_DOMAIN"]
    return env.run("anaconda-auth", "login", *args, env=e, timeout=60), e


def carried_credentials(server):
    return [q for q in server.requests()
            if any(h.lower() == "authorization" for h in q["headers"])]


def test_dotenv_cannot_split_the_domain_from_the_auth_domain(env, emulator):
    """Review F2: a cloned repository's .env names the attacker as domain and
    the genuine service as auth domain. The login must not happen at the
    genuine service with the key stored under the attacker's name, where the
    next 'whoami' in that directory would send it."""
    with AttackerServer(*emulator_cert(emulator)) as attacker:
        write_dotenv(env, f"ANACONDA_AUTH_DOMAIN={attacker.host}\n"
                          f"ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE={emulator.domain}\n")
        r, e = login_without_domain(env, emulator)
        w = env.run("anaconda-auth", "whoami", env=e)
        assert not carried_credentials(attacker), attacker.requests()
    assert stored_key(env, attacker.host) is None
    assert not emulator.requests("/api/auth/api-keys")
    assert not emulator.requests("/api/iam/api-keys")
    assert (f"anaconda-auth: ignoring ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE={emulator.domain} "
            "from ./.env: it differs from the domain") in r.stderr, r
    assert w.returncode != 0, w


def test_dotenv_split_never_gives_the_access_token_to_the_domain(env, emulator):
    """Review F1: minting tries the auth domain's /api/auth/api-keys, then the
    domain's /api/iam/api-keys with the same access token (the protocol).
    With the first answering 404, a .env-made domain would get the token."""
    emulator.set(auth_api_keys_404=True)
    with AttackerServer(*emulator_cert(emulator), routes={
            "/api/iam/api-keys": (201, {"api_key": "attacker-made"})}) as attacker:
        write_dotenv(env, f"ANACONDA_AUTH_DOMAIN={attacker.host}\n"
                          f"ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE={emulator.domain}\n")
        r, _ = login_without_domain(env, emulator)
        assert not carried_credentials(attacker), attacker.requests()
    assert not emulator.requests("/api/auth/oauth2/token"), r
    assert stored_key(env, attacker.host) is None


def test_environment_auth_domain_is_not_split_by_a_dotenv_domain(env, emulator):
    """The other half of F2: the person sets the auth domain in the
    environment; a .env domain that differs from it is ignored, so the key
    minted there is never stored for the directory's domain."""
    with AttackerServer(*emulator_cert(emulator)) as attacker:
        write_dotenv(env, f"ANACONDA_AUTH_DOMAIN={attacker.host}\n")
        e = emulator_env(emulator, "approve",
                         ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE=emulator.domain)
        del e["ANACONDA_AUTH_DOMAIN"]
        # the device flow: no landing page on the (default) domain to visit
        r = env.run("anaconda-auth", "login", "--device", "--timeout", "30", env=e, timeout=60)
        assert not attacker.requests()
    assert (f"anaconda-auth: ignoring ANACONDA_AUTH_DOMAIN={attacker.host} from ./.env: "
            f"it differs from the auth domain {emulator.domain} set by "
            "ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE") in r.stderr, r
    assert r.returncode == 0, r
    assert stored_key(env, attacker.host) is None
    assert stored_key(env, "anaconda.com")  # the default domain, as without .env


@pytest.mark.parametrize("where", ["environment", "pam export", "secrets dir", "config.toml"])
def test_dotenv_domain_never_receives_a_key_given_elsewhere(env, emulator, where):
    """A cloned repository's .env (owned by the person, as `git clone`
    makes it) names its own host as domain. A key given for no domain in
    particular (a CI variable, the variable pam_anaconda exports, a Docker
    secret, [plugin.auth] api_key) must not go there: the .env domain is
    ignored with one line and the key goes to the domain the person chose."""
    key = "ci-secret-key-0123456789abcdef"
    e = {k: v for k, v in emulator.env().items() if k != "ANACONDA_AUTH_DOMAIN"}
    if where == "environment":
        e["ANACONDA_AUTH_API_KEY"] = key
    elif where == "pam export":
        e["ANACONDA_CLOUD_API_KEY"] = key
    elif where == "secrets dir":
        d = env.tmp / "secrets"
        d.mkdir()
        (d / "anaconda_auth_api_key").write_text(key + "\n")
        e["ANACONDA_SECRETS_DIR"] = str(d)
    else:
        conf = env.home / ".anaconda" / "config.toml"
        conf.parent.mkdir(exist_ok=True)
        conf.write_text('[plugin.auth]\napi_key = "%s"\n' % key)
        os.chmod(conf, 0o600)
    with AttackerServer(*emulator_cert(emulator)) as attacker:
        os.chmod(env.cwd, 0o755)
        write_dotenv(env, f"ANACONDA_AUTH_DOMAIN={attacker.host}\n")
        r = env.run("anaconda-auth", "whoami", env=e)
        assert not attacker.saw(key) and not carried_credentials(attacker), \
            (r, attacker.requests())
    assert f"ignoring ANACONDA_AUTH_DOMAIN={attacker.host} from ./.env" in r.stderr, r


@pytest.mark.parametrize("reply", [
    {"detail": "bad header Authorization: Bearer {key}"},
    {"error": {"message": "token {part}... rejected"}},
    {"error_description": "{head} is not valid"},
])
def test_server_echo_never_puts_the_key_on_stderr(env, emulator, reply):
    """Review F4: the domain answers 500 with the request's Authorization
    header (or a piece of the key) in its error text; the error line names
    the key by its fingerprint instead."""
    key = emulator.mint_key()
    text = (json.dumps(reply).replace("{key}", key).replace("{part}", key[5:30])
            .replace("{head}", key[:16]))
    with AttackerServer(*emulator_cert(emulator), routes={
            "/api/account": (500, json.loads(text))}) as server:
        store(env, server.host, key)
        r = env.run("anaconda-auth", "whoami",
                    env={"ANACONDA_AUTH_DOMAIN": server.host,
                         "ANACONDA_AUTH_SSL_VERIFY": emulator.ca_path})
        assert server.saw(key)
    assert r.returncode == 5, r
    assert key[5:21] not in r.stderr and key[:16] not in r.stderr, r
    assert "repeats the credential sub:" in r.stderr, r


def test_server_reason_without_the_key_is_shown(env, emulator):
    key = emulator.mint_key()
    with AttackerServer(*emulator_cert(emulator), routes={
            "/api/account": (500, {"detail": "upstream unavailable"})}) as server:
        store(env, server.host, key)
        r = env.run("anaconda-auth", "whoami",
                    env={"ANACONDA_AUTH_DOMAIN": server.host,
                         "ANACONDA_AUTH_SSL_VERIFY": emulator.ca_path})
    assert r.returncode == 5 and "upstream unavailable" in r.stderr, r
