# SPDX-License-Identifier: BSD-3-Clause
"""One key for every generation: a login stores the new key under the domain
and under every alias entry already in the keyring (anaconda.com,
anaconda.cloud, id.anaconda.cloud), in one locked write, so an older Python
anaconda-auth that reads its own entry never keeps using the old key."""
import base64
import json
import os

import pytest

from conftest import ROOT, make_jwt, token_info_b64
from keyring_lock import race_with_writer

SEED = os.path.join(ROOT, "tests", "fixtures", "keyring", "seed_generations.json")
SERVICE = "Anaconda Cloud"


def seed(env):
    with open(SEED) as f:
        data = json.load(f)
    env.write_keyring(data)
    return data


def entries(env):
    return {name: json.loads(base64.b64decode(raw))
            for name, raw in env.read_keyring()[SERVICE].items()}


def login(env, key, *args):
    return env.run("anaconda-auth", "login", "--with-api-key", *args,
                   input=key + "\n")


@pytest.mark.parametrize("domain", ["anaconda.cloud", "anaconda.com",
                                    "id.anaconda.cloud"])
def test_login_gives_every_stored_generation_the_new_key(env, domain):
    before = seed(env)
    old = {n: json.loads(base64.b64decode(v)) for n, v in before[SERVICE].items()}
    key = make_jwt(sub="fresh")
    r = login(env, key, "--domain", domain)
    assert r.returncode == 0, r
    assert key not in r.stdout + r.stderr
    now = entries(env)
    # the seed-era entry (read by 0.1-0.6) and the 0.7 entry both hold it now
    for name in ("id.anaconda.cloud", "anaconda.cloud", domain):
        assert now[name]["api_key"] == key, (name, now[name])
        assert now[name]["domain"] == name
    # each entry keeps what only it had: the seed entry's repo tokens
    # (rewritten as 0.8+ writes them: a null org_name is left out)
    def tokens(entry):
        return [(t["token"], t.get("org_name")) for t in entry["repo_tokens"]]
    assert tokens(now["id.anaconda.cloud"]) == tokens(old["id.anaconda.cloud"])
    # an alias that had no entry is not created (logging in to the 0.7 name
    # does not invent an entry for 0.8+, whose own migration would find it)
    if domain != "anaconda.com":
        assert "anaconda.com" not in now
    # a domain outside the family and other services are left byte for byte
    after = env.read_keyring()
    assert after[SERVICE]["example.internal:8443"] == \
        before[SERVICE]["example.internal:8443"]
    assert after["other-service"] == before["other-service"]
    # and every name reads back the new key
    for name in now:
        if name == "example.internal:8443":
            continue
        r = env.run("anaconda-auth", "api-key", "--domain", name)
        assert (r.returncode, r.stdout) == (0, key + "\n"), (name, r)


def test_a_domain_outside_the_family_touches_no_alias(env):
    before = seed(env)
    r = login(env, make_jwt(), "--domain", "example.internal:8443")
    assert r.returncode == 0, r
    after = env.read_keyring()
    for name in ("id.anaconda.cloud", "anaconda.cloud"):
        assert after[SERVICE][name] == before[SERVICE][name]


def test_an_alias_written_while_login_waits_for_the_lock_gets_the_key(env):
    """The alias entries are looked at under the lock, in the same
    read-modify-write: an entry another program stores while the login waits
    (here 0.8+ writing anaconda.com and a repo token into the seed entry) is
    refreshed and its additions kept, never overwritten with a stale copy."""
    seed(env)
    key = make_jwt(sub="fresh")
    stale = make_jwt(sub="stale")

    def writer():
        data = env.read_keyring()
        seed_entry = json.loads(base64.b64decode(data[SERVICE]["id.anaconda.cloud"]))
        seed_entry["repo_tokens"].append({"token": "t-new", "org_name": "org-two"})
        data[SERVICE]["id.anaconda.cloud"] = base64.b64encode(
            json.dumps(seed_entry).encode()).decode()
        data[SERVICE]["anaconda.com"] = base64.b64encode(json.dumps(
            {"domain": "anaconda.com", "api_key": stale, "repo_tokens": [],
             "version": 2}).encode()).decode()
        env.keyring.write_text(json.dumps(data))

    rc, out, err = race_with_writer(
        env, [env.bin("anaconda-auth"), "login", "--with-api-key"], writer,
        input=key + "\n")
    assert rc == 0, err
    now = entries(env)
    assert {n: now[n]["api_key"] for n in
            ("anaconda.cloud", "anaconda.com", "id.anaconda.cloud")} == \
        dict.fromkeys(("anaconda.cloud", "anaconda.com", "id.anaconda.cloud"), key)
    assert {"token": "t-new", "org_name": "org-two"} in now["id.anaconda.cloud"]["repo_tokens"]


def test_logout_still_removes_every_generation(env):
    seed(env)
    assert login(env, make_jwt()).returncode == 0
    assert env.run("anaconda-auth", "logout").returncode == 0
    assert set(env.read_keyring()[SERVICE]) == {"example.internal:8443"}


def test_replacing_another_accounts_key_in_an_alias_is_said(env):
    """Two accounts, one per domain name: the second login rewrites the
    first's alias entry (one account per family), and says so by
    fingerprint, never by key."""
    a, b = make_jwt(sub="account-a"), make_jwt(sub="account-b")
    r = login(env, a, "--domain", "anaconda.com")
    assert r.returncode == 0, r
    r = login(env, b, "--domain", "anaconda.cloud")
    assert r.returncode == 0, r
    got = entries(env)
    assert got["anaconda.com"]["api_key"] == b and got["anaconda.cloud"]["api_key"] == b
    lines = [ln for ln in r.stderr.splitlines() if "another account" in ln]
    assert len(lines) == 1, r.stderr
    assert "anaconda.com" in lines[0] and "account-a" in lines[0] and "account-b" in lines[0]
    assert a not in r.stderr and b not in r.stderr
    # the same account again is nothing to say
    r = login(env, make_jwt(sub="account-b"), "--domain", "anaconda.com")
    assert r.returncode == 0 and "another account" not in r.stderr, r


@pytest.mark.parametrize("stored_as,asked", [
    ("anaconda.cloud", None), ("id.anaconda.cloud", None),   # seed era, 0.7
    ("anaconda.com", "anaconda.cloud"), ("anaconda.com", "id.anaconda.cloud"),
])
def test_the_default_domain_and_its_aliases_find_each_other(env, stored_as, asked):
    """The default domain is anaconda.com (as 0.8+); a key an older package
    stored under anaconda.cloud or id.anaconda.cloud is still this account's,
    and a key stored under anaconda.com serves the older names too."""
    key = make_jwt(sub="old-generation")
    env.write_keyring({SERVICE: {stored_as: token_info_b64(stored_as, key)}})
    args = ["--domain", asked] if asked else []
    r = env.run("anaconda-auth", *args, "api-key")
    assert (r.returncode, r.stdout) == (0, key + "\n"), r
