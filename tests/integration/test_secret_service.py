# SPDX-License-Identifier: BSD-3-Clause
"""A person keeps the key in the Secret Service (preferred_token_storage=system):
login, read and logout through anaconda-auth, git-credential-anaconda and
conda-credential-anaconda against a real gnome-keyring on a private bus; the
items are python-keyring's; and when the service is missing, locked, stuck or
holds a broken item, everything still works from the file, says why, never
hangs and never erases anything."""
import base64
import json
import os
import pathlib
import shutil
import tempfile
import time
import urllib.parse

import pytest

from conftest import make_jwt, token_info_b64
from secret_fixtures import (APP_ID, FOREIGN_UID, MODULE, SERVICE,  # noqa: F401
                             activatable_bus, bus_without_service,
                             foreign_secret_service, secret_service)

DOMAIN = "anaconda.com"  # the default domain
LOGIN_PATH = "/org/freedesktop/secrets/collection/login"
BOUND = 30   # seconds any single command may take before the test fails


def run(env, sess_vars, *args, key=None, extra=None):
    e = dict(sess_vars)
    e.update(extra or {})
    return env.run("anaconda-auth", *args, input=(key + "\n") if key else None,
                   env=e, timeout=BOUND)


def login(env, sess_vars, key, *args):
    r = run(env, sess_vars, "login", "--with-api-key", *args, key=key)
    assert r.returncode == 0, r
    return r


def decode(b64):
    return json.loads(base64.b64decode(b64))


def file_entries(env):
    if not env.keyring.exists():
        return {}
    return env.read_keyring().get("Anaconda Cloud", {})


def put_in_file(env, domain, key):
    data = env.read_keyring() if env.keyring.exists() else {}
    data.setdefault("Anaconda Cloud", {})[domain] = token_info_b64(domain, key)
    env.write_keyring(data)


def quiet_glib(r):
    """GLib/libsecret must never talk on our stderr."""
    for word in ("CRITICAL", "WARNING **", "GLib", "libsecret-", "** ("):
        assert word not in r.stderr, r


# ---- a working Secret Service ------------------------------------------

def test_login_stores_a_python_keyring_item(env, secret_service):
    key = make_jwt(sub="alice")
    r = login(env, secret_service.vars(), key)
    assert "system storage (Secret Service collection 'login')" in r.stderr
    assert key not in r.stderr + r.stdout
    quiet_glib(r)

    b64 = secret_service.lookup(DOMAIN)
    assert b64 is not None
    # The value is the same base64 TokenInfo the file keyring holds.
    assert decode(b64) == {"domain": DOMAIN, "api_key": key,
                           "repo_tokens": [], "version": 2}
    item = secret_service.search(DOMAIN)
    assert f"label = Password for '{DOMAIN}' on '{SERVICE}'" in item
    assert f"attribute.application = {APP_ID}" in item
    assert f"attribute.service = {SERVICE}" in item
    assert f"attribute.username = {DOMAIN}" in item
    assert "schema = org.freedesktop.Secret.Generic" in item
    # Nothing went to the file.
    assert DOMAIN not in file_entries(env)


def test_round_trip_with_the_storage_flag(env, secret_service):
    v = secret_service.vars(storage=None)
    key = make_jwt(sub="bob")
    login(env, v, key, "--storage", "system")
    r = run(env, v, "--storage", "system", "api-key")
    assert (r.returncode, r.stdout) == (0, key + "\n"), r
    # Without the flag (file storage) the key is not there.
    assert run(env, v, "api-key").returncode == 3

    r = run(env, v, "--storage", "system", "logout")
    assert r.returncode == 0, r
    assert secret_service.lookup(DOMAIN) is None
    r = run(env, v, "--storage", "system", "api-key")
    assert r.returncode == 3, r


def test_older_setting_name_selects_system_storage(env, secret_service):
    v = secret_service.vars(storage=None,
                            ANACONDA_CLOUD_PREFERRED_TOKEN_STORAGE="system")
    key = make_jwt()
    login(env, v, key)
    assert decode(secret_service.lookup(DOMAIN))["api_key"] == key


def test_reads_an_item_written_in_python_keyrings_layout(env, secret_service):
    key = make_jwt(sub="from-python")
    secret_service.store_like_python("example.org", token_info_b64("example.org", key))
    r = run(env, secret_service.vars(), "api-key", "--domain", "example.org")
    assert (r.returncode, r.stdout) == (0, key + "\n"), r

    r = run(env, secret_service.vars(), "status", "--domain", "example.org")
    assert r.returncode == 0, r
    assert "key from:  system (Secret Service collection 'login')" in r.stdout


def test_login_replaces_a_python_item_instead_of_adding_one(env, secret_service):
    old = make_jwt(sub="old")
    # secretstorage-style: no xdg:schema attribute, so libsecret's REPLACE misses it.
    secret_service.store_like_python(DOMAIN, token_info_b64(DOMAIN, old))
    new = make_jwt(sub="new")
    login(env, secret_service.vars(), new)
    unlocked, locked = secret_service.item_paths(DOMAIN)
    assert len(unlocked) == 1 and not locked
    assert decode(secret_service.lookup(DOMAIN))["api_key"] == new


def test_git_and_conda_helpers_find_the_key(env, secret_service):
    key = make_jwt(sub="carol")
    login(env, secret_service.vars(), key)
    r = env.run("git-credential-anaconda", "get",
                input=f"protocol=https\nhost={DOMAIN}\n\n",
                env=secret_service.vars(), timeout=BOUND)
    assert r.returncode == 0, r
    assert f"password={key}\n" in r.stdout
    assert r.stderr == ""

    r = env.run("conda-credential-anaconda", "get", "--format", "value",
                "https://repo.anaconda.com/pkgs/main/linux-64/repodata.json",
                env=secret_service.vars(), timeout=BOUND)
    assert (r.returncode, r.stdout) == (0, f"Bearer {key}\n"), r


def test_git_erase_takes_only_the_refused_key(env, secret_service):
    key = make_jwt(sub="carol")
    login(env, secret_service.vars(), key)
    put_in_file(env, DOMAIN, key)      # an older copy behind the service

    def erase(password):
        return env.run("git-credential-anaconda", "erase",
                       input=f"protocol=https\nhost={DOMAIN}\npassword={password}\n\n",
                       env=secret_service.vars(), timeout=BOUND)

    r = erase(make_jwt(sub="someone-else"))
    assert (r.returncode, r.stderr) == (0, ""), r
    assert decode(secret_service.lookup(DOMAIN))["api_key"] == key
    r = erase(key)
    assert r.returncode == 0 and "removed" in r.stderr, r
    quiet_glib(r)
    assert secret_service.lookup(DOMAIN) is None
    assert DOMAIN not in file_entries(env)


def test_git_store_never_replaces_a_valid_key(env, secret_service):
    """git's store in front of a real Secret Service: a valid key there, or
    in the file behind it, stays whatever account git's key names; an
    expired one is replaced in the service, with a line naming the account."""
    def store(password):
        return env.run("git-credential-anaconda", "store",
                       input=f"protocol=https\nhost={DOMAIN}\nusername=x\n"
                             f"password={password}\n\n",
                       env=secret_service.vars(), timeout=BOUND)

    key = make_jwt(sub="carol")
    login(env, secret_service.vars(), key)
    r = store(make_jwt(sub="carol", iat=1))   # forged: same sub, unverified
    assert r.returncode == 0 and "ignored the key git offered" in r.stderr, r
    quiet_glib(r)
    assert decode(secret_service.lookup(DOMAIN))["api_key"] == key

    run(env, secret_service.vars(), "logout")
    assert secret_service.lookup(DOMAIN) is None
    put_in_file(env, "anaconda.cloud", key)   # an alias, in the file behind
    r = store(make_jwt(sub="mallory"))
    assert r.returncode == 0 and "ignored the key git offered" in r.stderr, r
    assert secret_service.lookup(DOMAIN) is None

    env.keyring.unlink()
    secret_service.store_like_python(DOMAIN, token_info_b64(
        DOMAIN, make_jwt(sub="carol", exp=int(time.time()) - 60)))
    new = make_jwt(sub="dave")
    r = store(new)
    assert r.returncode == 0, r
    assert "stored the API key git used for anaconda.com (account sub:dave)" in r.stderr, r
    assert new not in r.stderr
    quiet_glib(r)
    assert decode(secret_service.lookup(DOMAIN))["api_key"] == new


def test_session_collection_can_be_chosen(env, secret_service):
    v = secret_service.vars(ANACONDA_AUTH_SECRET_COLLECTION="session")
    key = make_jwt()
    r = login(env, v, key)
    assert "collection 'session'" in r.stderr
    r = run(env, v, "api-key")
    assert (r.returncode, r.stdout) == (0, key + "\n"), r
    # Not in the default (login) collection.
    assert secret_service.item_paths(DOMAIN)[0] == [] or all(
        not p.startswith(LOGIN_PATH) for p in secret_service.item_paths(DOMAIN)[0])


def test_status_names_the_backend_that_holds_the_key(env, secret_service):
    v = secret_service.vars()
    put_in_file(env, DOMAIN, make_jwt(sub="in-file"))
    r = run(env, v, "status")
    assert r.returncode == 0, r
    assert "storage:   system (Secret Service collection 'login')" in r.stdout
    assert f"key from:  file ({env.keyring})" in r.stdout

    login(env, v, make_jwt(sub="in-system"))
    r = run(env, v, "status", "--json")
    doc = json.loads(r.stdout)
    assert doc["storage"]["backend"] == "system"
    assert doc["source"] == "system"


def test_migrate_both_ways(env, secret_service):
    v = secret_service.vars(storage=None)
    key = make_jwt(sub="mover")
    put_in_file(env, DOMAIN, key)
    before = env.read_keyring()["Anaconda Cloud"][DOMAIN]

    r = run(env, v, "migrate", "--to", "system")
    assert r.returncode == 0, r
    assert "moved the key for anaconda.com to system storage" in r.stderr
    assert secret_service.lookup(DOMAIN) == before      # byte for byte
    assert DOMAIN not in file_entries(env)
    r = run(env, v, "--storage", "system", "api-key")
    assert (r.returncode, r.stdout) == (0, key + "\n"), r

    # Again: nothing to do, nothing lost.
    r = run(env, v, "migrate", "--to", "system")
    assert r.returncode == 0 and "already in system storage" in r.stderr, r

    r = run(env, v, "migrate", "--to=file")
    assert r.returncode == 0, r
    assert env.read_keyring()["Anaconda Cloud"][DOMAIN] == before
    assert secret_service.lookup(DOMAIN) is None
    r = run(env, v, "api-key")
    assert (r.returncode, r.stdout) == (0, key + "\n"), r


def test_migrate_moves_an_alias_entry_and_refuses_bad_arguments(env, secret_service):
    v = secret_service.vars(storage=None)
    put_in_file(env, "anaconda.cloud", make_jwt())
    r = run(env, v, "migrate", "--to", "system")
    assert r.returncode == 0, r
    assert secret_service.lookup("anaconda.cloud") is not None
    assert run(env, v, "migrate").returncode == 2
    assert run(env, v, "migrate", "--to", "cloud").returncode == 2
    r = run(env, v, "migrate", "--to", "file", "--domain", "nobody.example")
    assert r.returncode == 3 and "no API key stored for nobody.example" in r.stderr, r


# ---- failure modes: one clear line, the file still works, nothing erased -

def assert_falls_back(env, sess_vars, reason):
    """With the service unusable: reads come from the file (said with -v),
    writes go to the file with a warning naming it, other entries stay."""
    file_key = make_jwt(sub="file-key")
    put_in_file(env, DOMAIN, file_key)
    put_in_file(env, "other.example", make_jwt(sub="other"))

    r = run(env, sess_vars, "-v", "api-key")
    assert (r.returncode, r.stdout) == (0, file_key + "\n"), r
    assert reason in r.stderr, r
    assert f"using {env.keyring}" in r.stderr, r
    quiet_glib(r)
    # Without -v, a read says nothing.
    r = run(env, sess_vars, "api-key")
    assert (r.returncode, r.stdout, r.stderr) == (0, file_key + "\n", ""), r

    new_key = make_jwt(sub="new-key")
    r = run(env, sess_vars, "login", "--with-api-key", key=new_key)
    assert r.returncode == 0, r
    warning = [line for line in r.stderr.splitlines()
               if "warning: system key storage is unavailable (" in line]
    assert len(warning) == 1, r
    assert reason in warning[0], r
    assert warning[0].endswith(f"the key was stored in {env.keyring}"), r
    quiet_glib(r)
    assert env.stored_info(DOMAIN)["api_key"] == new_key
    assert "other.example" in file_entries(env)
    return r


def test_no_session_bus(env):
    if not os.path.exists(MODULE):
        pytest.skip("secret module not built")
    v = {"ANACONDA_AUTH_SECRET_MODULE": MODULE,
         "ANACONDA_AUTH_PREFERRED_TOKEN_STORAGE": "system"}
    assert_falls_back(env, v, "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set")
    r = run(env, v, "migrate", "--to", "system")
    assert r.returncode == 6, r
    assert "nothing was moved: no D-Bus session bus" in r.stderr
    assert DOMAIN in file_entries(env)


def test_bus_without_a_secret_service(env, bus_without_service):
    assert_falls_back(env, bus_without_service.vars(),
                      "no Secret Service is running on the session bus")


def test_activatable_service_without_a_keyring(env, activatable_bus):
    assert_falls_back(env, activatable_bus.vars(),
                      "the Secret Service has no 'default' collection")


def test_locked_collection(env, secret_service):
    v = secret_service.vars()
    login(env, v, make_jwt(sub="in-keyring"))
    secret_service.lock()
    assert_falls_back(env, v, "the Secret Service collection 'login' is locked")
    # logout clears the file but cannot (and must not) touch the locked item.
    r = run(env, v, "logout")
    assert r.returncode == 0, r
    assert DOMAIN not in file_entries(env)
    unlocked, locked = secret_service.item_paths(DOMAIN)
    assert len(locked) == 1 and not unlocked


def test_stuck_service_times_out(env, secret_service):
    v = secret_service.vars(ANACONDA_AUTH_SECRET_TIMEOUT="1")
    login(env, v, make_jwt(sub="in-keyring"))
    secret_service.freeze_daemon()
    assert_falls_back(env, v, "the Secret Service did not answer within 1000 ms")


def assert_unread_is_not_logged_out(env, sess_vars, reason):
    """The key is in a service that cannot be read and nowhere else: every
    front-end says the service could not be read (exit 6), never "log in"."""
    assert not file_entries(env)
    r = run(env, sess_vars, "api-key")
    assert (r.returncode, r.stdout) == (6, ""), r
    assert "the Secret Service could not be read" in r.stderr, r
    assert reason in r.stderr, r
    assert "log in" not in r.stderr, r
    quiet_glib(r)
    r = env.run("conda-credential-anaconda", "get", "--format", "value",
                "https://repo.anaconda.com/pkgs/main/linux-64/repodata.json",
                env=sess_vars, timeout=BOUND)
    assert (r.returncode, r.stdout) == (6, ""), r
    assert reason in r.stderr and "no credential is stored" not in r.stderr, r
    r = env.run("git-credential-anaconda", "get",
                input=f"protocol=https\nhost={DOMAIN}\n\n",
                env=sess_vars, timeout=BOUND)
    assert "password=" not in r.stdout, r
    assert reason in r.stderr, r


def test_locked_service_holding_the_key_is_not_logged_out(env, secret_service):
    v = secret_service.vars()
    login(env, v, make_jwt(sub="in-keyring"))
    secret_service.lock()
    assert_unread_is_not_logged_out(env, v, "collection 'login' is locked")


def test_stuck_service_holding_the_key_is_not_logged_out(env, secret_service):
    # Stored with the usual deadline: under valgrind one second is too short.
    login(env, secret_service.vars(), make_jwt(sub="in-keyring"))
    secret_service.freeze_daemon()
    v = secret_service.vars(ANACONDA_AUTH_SECRET_TIMEOUT="1")
    assert_unread_is_not_logged_out(env, v, "did not answer within 1000 ms")


def put_binstar_token(env, token):
    d = env.home / ".config" / "binstar"
    d.mkdir(parents=True, exist_ok=True)
    name = urllib.parse.quote_plus("https://repo.anaconda.cloud/repo/") + ".token"
    (d / name).write_text(token + "\n")


def test_locked_service_still_lets_conda_use_its_own_token(env, secret_service):
    """conda's binstar token is the last source; a keyring that cannot be
    read does not take it away (get), nor hide it (token list)."""
    v = secret_service.vars()
    secret_service.lock()
    put_binstar_token(env, "legacytoken123")
    r = env.run("conda-credential-anaconda", "get", "--format", "value",
                "https://repo.anaconda.cloud/repo/acme/noarch/repodata.json",
                env=v, timeout=BOUND)
    assert (r.returncode, r.stdout) == (0, "token legacytoken123\n"), r
    r = env.run("conda-credential-anaconda", "token", "list", env=v, timeout=BOUND)
    # listed, and the keyring's part said to be missing (exit 6: the list is partial)
    assert r.returncode == 6 and "(binstar)" in r.stdout, r
    assert "collection 'login' is locked" in r.stderr, r


def git_store(env, sess_vars, key):
    return env.run("git-credential-anaconda", "store",
                   input=f"protocol=https\nhost={DOMAIN}\nusername=x\npassword={key}\n\n",
                   env=sess_vars, timeout=BOUND)


@pytest.mark.parametrize("how", ["locked", "stuck"])
def test_git_store_never_puts_a_key_in_front_of_an_unreadable_service(env, secret_service, how):
    """The person's key is in a Secret Service that cannot be read: a key
    git used (a URL's, a submodule's) must not land in the file, where it
    would be read instead of theirs: the account would change."""
    mine = make_jwt(sub="me")
    login(env, secret_service.vars(), mine)
    if how == "locked":
        secret_service.lock()
        v = secret_service.vars()
    else:
        secret_service.freeze_daemon()
        v = secret_service.vars(ANACONDA_AUTH_SECRET_TIMEOUT="1")
    other = make_jwt(sub="someone-else")
    r = git_store(env, v, other)
    assert r.returncode == 6 and "the Secret Service could not be read" in r.stderr, r
    assert other not in r.stdout + r.stderr
    assert not file_entries(env)


def test_git_store_leaves_a_damaged_file_alone(env):
    """A keyring git's store cannot read is reported, never moved aside by a
    background push (a login does that, and says so)."""
    env.write_keyring("{broken json")
    r = git_store(env, {}, make_jwt(sub="from-git"))
    assert r.returncode == 6, r
    assert env.keyring.read_text() == "{broken json"
    assert [p.name for p in env.keyring.parent.iterdir() if "corrupt" in p.name] == []


def test_service_without_a_collection_holds_no_key(env, activatable_bus):
    """A Secret Service with no keyring at all cannot hold a key: with an
    empty file this is plainly "not logged in" (exit 3)."""
    r = env.run("anaconda-auth", "api-key", env=activatable_bus.vars(), timeout=BOUND)
    assert r.returncode == 3, r
    assert "could not be read" not in r.stderr and "not logged in" in r.stderr, r


def test_item_without_a_secret(env, secret_service):
    v = secret_service.vars()
    secret_service.store_like_python(DOMAIN, "")
    file_key = make_jwt(sub="file-key")
    put_in_file(env, DOMAIN, file_key)
    r = run(env, v, "-v", "api-key")
    assert (r.returncode, r.stdout) == (0, file_key + "\n"), r
    assert f"the Secret Service item for {DOMAIN} holds no secret" in r.stderr
    quiet_glib(r)
    # A login replaces the broken item.
    key = make_jwt(sub="fixed")
    login(env, v, key)
    assert decode(secret_service.lookup(DOMAIN))["api_key"] == key


def test_missing_module_falls_back(env, secret_service):
    v = secret_service.vars(ANACONDA_AUTH_SECRET_MODULE=str(env.tmp / "nope.so"))
    assert_falls_back(env, v, "could not be loaded")


# ---- another user's bus -------------------------------------------------

VICTIM_UID = 64999   # an ordinary user with no other role on the machine


class Victim:
    """Who runs our tools: root (the suite's own user) or an ordinary uid
    with a home of its own, started through setpriv."""

    def __init__(self, env, uid):
        self.env = env
        self.uid = uid
        if uid == 0:
            self.home = env.home
        else:
            self.home = pathlib.Path(tempfile.mkdtemp(prefix="aa-victim-", dir="/tmp"))
            os.chown(self.home, uid, uid)
        self.keyring = self.home / ".anaconda" / "keyring"

    def run(self, sess_vars, *args, key=None):
        e = dict(sess_vars, HOME=str(self.home))
        inp = (key + "\n") if key else None
        if self.uid == 0:
            return self.env.run("anaconda-auth", *args, input=inp, env=e,
                                timeout=BOUND)
        return self.env.run("setpriv", f"--reuid={self.uid}",
                            f"--regid={self.uid}", "--clear-groups", "--",
                            self.env.bin("anaconda-auth"), *args, input=inp,
                            env=e, timeout=BOUND, cwd=self.home)

    def put_key(self, key):
        self.keyring.parent.mkdir(mode=0o700, exist_ok=True)
        self.keyring.write_text(json.dumps(
            {"Anaconda Cloud": {DOMAIN: token_info_b64(DOMAIN, key)}}))
        os.chmod(self.keyring, 0o600)
        for p in (self.keyring.parent, self.keyring):
            os.chown(p, self.uid, self.uid)

    def stored_key(self):
        return decode(json.loads(self.keyring.read_text())
                      ["Anaconda Cloud"][DOMAIN])["api_key"]

    def cleanup(self):
        if self.uid != 0:
            shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture(params=["root", "user"])
def victim(env, request):
    v = Victim(env, 0 if request.param == "root" else VICTIM_UID)
    yield v
    v.cleanup()


def attack_setup(env, attacker, victim):
    """Their keyring holds a key of their own for our domain; our file holds
    ours. Returns (their key, our key, the line that must explain)."""
    attacker_key = make_jwt(sub="attacker")
    attacker.store_like_python(DOMAIN, token_info_b64(DOMAIN, attacker_key))
    mine = make_jwt(sub="victim")
    victim.put_key(mine)
    where = (f"{attacker.runtime}/bus" if attacker.listen == "path"
             else f"{attacker.runtime} (abstract socket)")
    how = "belongs to" if attacker.listen == "path" else "is run by"
    why = (f"anaconda-auth: not using the Secret Service: the session bus at "
           f"{where} {how} uid {FOREIGN_UID}, not you (uid {victim.uid}); "
           f"using {victim.keyring}")
    return attacker_key, mine, why


# A stale DBUS_SESSION_BUS_ADDRESS now answered by another user's bus and
# keyring, which lets anyone in (foreign_secret_service): the attack of
# issue 16, finding 10, for root and for an ordinary user.

def test_another_users_keyring_is_never_read(env, foreign_secret_service, victim):
    attacker = foreign_secret_service
    _, mine, why = attack_setup(env, attacker, victim)
    v = attacker.vars()

    r = victim.run(v, "api-key")
    assert (r.returncode, r.stdout, r.stderr) == (0, mine + "\n", why + "\n"), r
    r = victim.run(v, "status")
    assert r.returncode == 0, r
    assert f"key from:  file ({victim.keyring})" in r.stdout, r


def test_another_users_keyring_never_receives_the_key(env, foreign_secret_service,
                                                      victim):
    attacker = foreign_secret_service
    attacker_key, _, why = attack_setup(env, attacker, victim)
    v = attacker.vars()

    new_key = make_jwt(sub="victim-new")
    r = victim.run(v, "--storage", "system", "login", "--with-api-key", key=new_key)
    assert r.returncode == 0, r
    assert r.stderr.splitlines().count(why) == 1, r
    assert "system key storage is unavailable" not in r.stderr, r
    quiet_glib(r)
    assert victim.stored_key() == new_key
    # Their keyring still holds only their own key.
    assert decode(attacker.lookup(DOMAIN))["api_key"] == attacker_key
    assert new_key not in attacker.search(DOMAIN)

    # migrate and logout leave their keyring alone too.
    r = victim.run(v, "migrate", "--to", "system")
    assert r.returncode == 6 and "nothing was moved" in r.stderr, r
    assert new_key not in attacker.search(DOMAIN)
    r = victim.run(v, "logout")
    assert r.returncode == 0, r
    assert decode(attacker.lookup(DOMAIN))["api_key"] == attacker_key
