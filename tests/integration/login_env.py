# SPDX-License-Identifier: BSD-3-Clause
"""Helpers for the login, whoami and request tests: an environment that
points anaconda-auth at the emulator (HTTPS with its CA), a free loopback
port for the browser flow's redirect, and a look at what got stored."""
import base64
import json
import socket

from conftest import token_info_b64


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def emulator_env(em, browser=None, **extra):
    """Settings for the emulator; browser = a fake_browser.py mode or None
    (then no $BROWSER and no display: the headless case)."""
    e = dict(em.env())
    e["ANACONDA_AUTH_REDIRECT_URI"] = f"http://127.0.0.1:{free_port()}/auth/oidc"
    if browser:
        e.update(em.browser_env(browser))
    e.update(extra)
    return e


def stored(env, domain):
    """The TokenInfo dict stored for domain, or None."""
    try:
        raw = env.read_keyring()["Anaconda Cloud"][domain]
    except (OSError, KeyError, ValueError):
        return None
    return json.loads(base64.b64decode(raw))


def stored_key(env, domain):
    info = stored(env, domain)
    return info.get("api_key") if info else None


def store(env, domain, key, repo_tokens=None):
    env.write_keyring({"Anaconda Cloud": {
        domain: token_info_b64(domain, key, repo_tokens=repo_tokens)}})


def jwt_claims(key):
    payload = key.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def login(env, em, *args, browser="approve", timeout=60, **extra):
    return env.run("anaconda-auth", "login", *args,
                   env=emulator_env(em, browser, **extra), timeout=timeout)
