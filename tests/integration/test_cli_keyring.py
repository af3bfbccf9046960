# SPDX-License-Identifier: BSD-3-Clause
"""A person stores, reads and deletes a key with the real anaconda-auth binary,
in a temporary HOME; the file stays compatible with the Python package."""
import base64
import concurrent.futures
import json
import os
import shutil
import stat
import time

import pytest

from conftest import make_jwt, needs_root, token_info_b64
from keyring_lock import race_with_writer
from secret_fixtures import secret_service  # noqa: F401

DOMAIN = "anaconda.com"  # the default domain


def login_key(env, key, *args, **kw):
    return env.run("anaconda-auth", "login", "--with-api-key", *args,
                   input=key + "\n", **kw)


def test_store_read_logout_round_trip(env):
    key = make_jwt(sub="alice")
    r = login_key(env, key)
    assert r.returncode == 0, r
    assert key not in r.stderr and key not in r.stdout
    assert "sub:alice" in r.stderr

    r = env.run("anaconda-auth", "api-key")
    assert (r.returncode, r.stdout) == (0, key + "\n"), r

    r = env.run("anaconda-auth", "logout")
    assert r.returncode == 0, r
    r = env.run("anaconda-auth", "api-key")
    assert r.returncode == 3 and r.stdout == ""
    assert "not logged in to anaconda.com" in r.stderr
    # Logging out twice is fine.
    assert env.run("anaconda-auth", "logout").returncode == 0


def test_api_key_loads_no_hash_library(env):
    """Reading the stored key hashes nothing: libcrypto and libsodium are
    opened on a login's or a request's first hash (crypto_lazy.c), never at
    start, where mapping them made `api-key` ~3x slower than reading the file."""
    key = make_jwt(sub="alice")
    assert login_key(env, key).returncode == 0
    r = env.run("anaconda-auth", "api-key", env={"LD_DEBUG": "files"})
    assert (r.returncode, r.stdout) == (0, key + "\n"), r
    assert "libjson-c" in r.stderr, r  # the trace is there
    assert "libcrypto" not in r.stderr and "libsodium" not in r.stderr, r.stderr


def test_written_file_is_what_python_writes(env):
    key = make_jwt()
    assert login_key(env, key).returncode == 0
    text = env.keyring.read_text()
    data = json.loads(text)
    # Python's json.dump spacing and TokenInfo's compact JSON, version 2.
    assert text == json.dumps(data)
    inner = base64.b64decode(data["Anaconda Cloud"][DOMAIN]).decode()
    assert inner == json.dumps({"domain": DOMAIN, "api_key": key,
                                "repo_tokens": [], "version": 2},
                               separators=(",", ":"))


def test_reads_python_written_shapes(env):
    key = make_jwt(sub="legacy")
    legacy = json.dumps({"api_key": key, "username": None,
                         "repo_tokens": [], "domain": "anaconda.com"})
    env.write_keyring({"Anaconda Cloud": {
        "anaconda.com": base64.b64encode(legacy.encode()).decode()},
        "other service": {"x": "y"}})
    # Stored under anaconda.com, asked for the default domain.
    r = env.run("anaconda-auth", "api-key")
    assert (r.returncode, r.stdout) == (0, key + "\n"), r
    # Writing keeps foreign services untouched.
    assert login_key(env, make_jwt(), "--domain", "example.org").returncode == 0
    assert env.read_keyring()["other service"] == {"x": "y"}


def test_permissions_are_private(env):
    assert login_key(env, make_jwt()).returncode == 0
    assert stat.S_IMODE(os.stat(env.keyring).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(env.keyring.parent).st_mode) == 0o700


def test_readable_file_warned_and_tightened(env):
    env.write_keyring({"Anaconda Cloud": {}}, mode=0o644)
    r = login_key(env, make_jwt())
    assert r.returncode == 0, r
    assert "readable by other users" in r.stderr
    assert stat.S_IMODE(os.stat(env.keyring).st_mode) == 0o600


def test_env_key_overrides_store(env):
    stored, from_env = make_jwt(sub="stored"), make_jwt(sub="env")
    assert login_key(env, stored).returncode == 0
    r = env.run("anaconda-auth", "api-key", env={"ANACONDA_AUTH_API_KEY": from_env})
    assert r.stdout == from_env + "\n"
    r = env.run("anaconda-auth", "api-key", env={"ANACONDA_CLOUD_API_KEY": from_env})
    assert r.stdout == from_env + "\n"
    r = env.run("anaconda-auth", "status", "--json",
                env={"ANACONDA_AUTH_API_KEY": from_env})
    st = json.loads(r.stdout)
    assert st["from_environment"] is True and st["source"] == "env"
    assert from_env not in r.stdout


def test_corrupt_file_moved_aside(env):
    env.write_keyring("{not json")
    r = env.run("anaconda-auth", "api-key")
    assert r.returncode == 6, r
    assert "keyring" in r.stderr
    r = login_key(env, make_jwt())
    assert r.returncode == 0, r
    assert "moved it aside" in r.stderr
    aside = [p for p in env.keyring.parent.iterdir()
             if p.name.startswith("keyring.corrupt-")]
    assert len(aside) == 1 and aside[0].read_text() == "{not json"
    assert DOMAIN in env.read_keyring()["Anaconda Cloud"]


def test_corrupt_keyring_hard_linked_to_another_file_is_left_alone(env, tmp_path):
    """The attack: a read-only file (think /etc/shadow for root) hard-linked
    as the keyring is "corrupt"; the next login must neither chmod it to 600
    nor rename it, and must say why it stopped."""
    other = tmp_path / "read-only-file"
    other.write_text("root:secret-hash:19000::::::\n")
    other.chmod(0o400)
    env.keyring.parent.mkdir(mode=0o700)
    os.link(other, env.keyring)

    r = login_key(env, make_jwt())
    assert r.returncode == 6, r
    assert "2 hard links" in r.stderr and "left untouched" in r.stderr, r
    assert stat.S_IMODE(other.stat().st_mode) == 0o400
    assert other.read_text() == "root:secret-hash:19000::::::\n"
    assert os.path.samefile(other, env.keyring)          # not moved aside
    assert not [p for p in env.keyring.parent.iterdir() if "corrupt" in p.name]


@needs_root
def test_corrupt_keyring_of_another_user_is_not_touched(env):
    env.write_keyring("{not json", mode=0o640)
    os.chown(env.keyring, 65534, 65534)
    r = login_key(env, make_jwt())
    assert r.returncode == 6, r
    assert "owned by another user (uid 65534)" in r.stderr, r
    st = env.keyring.stat()
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (65534, 0o640)
    assert env.keyring.read_text() == "{not json"
    assert not [p for p in env.keyring.parent.iterdir() if "corrupt" in p.name]


def test_world_writable_file_refused(env):
    env.write_keyring({"Anaconda Cloud": {}}, mode=0o666)
    r = login_key(env, make_jwt())
    assert r.returncode == 6, r
    assert "chmod 600" in r.stderr
    assert env.read_keyring() == {"Anaconda Cloud": {}}


def test_symlinked_keyring_refused(env, tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("{}")
    env.keyring.parent.mkdir(mode=0o700)
    env.keyring.symlink_to(target)
    r = login_key(env, make_jwt())
    assert r.returncode == 6, r
    assert "symlink" in r.stderr or "symbolic link" in r.stderr
    assert target.read_text() == "{}"


def test_expired_key_refused_and_reported(env):
    r = login_key(env, make_jwt(exp=int(time.time()) - 60))
    assert r.returncode == 4, r
    assert not env.keyring.exists()
    # An expired key already in the store: api-key says so, exit 4.
    env.write_keyring({"Anaconda Cloud": {DOMAIN: token_info_b64(
        DOMAIN, make_jwt(exp=int(time.time()) - 60))}})
    r = env.run("anaconda-auth", "api-key")
    assert r.returncode == 4 and r.stdout == ""
    assert "expired" in r.stderr and "anaconda-auth login" in r.stderr


def test_non_jwt_key_has_unknown_expiry(env):
    r = login_key(env, "plain-opaque-key-123")
    assert r.returncode == 0, r
    r = env.run("anaconda-auth", "status")
    assert r.returncode == 0 and "unknown" in r.stdout
    assert "plain-opaque-key-123" not in r.stdout


@pytest.mark.parametrize("bad", ["", "two words", "x" * 20000, "quote\"key"])
def test_bad_key_shapes_rejected(env, bad):
    r = login_key(env, bad)
    assert r.returncode in (1, 2), r
    assert not env.keyring.exists()


def test_status_without_key(env):
    r = env.run("anaconda-auth", "status")
    assert r.returncode == 3
    assert "logged in: no" in r.stdout


@pytest.mark.parametrize("var", ["ANACONDA_AUTH_API_KEY", "ANACONDA_CLOUD_API_KEY"])
def test_status_with_a_garbage_environment_key(env, var):
    # not "logged in: yes": the variable is named and the key called invalid
    login_key(env, make_jwt())
    r = env.run("anaconda-auth", "status", env={var: "not-a-key"})
    assert r.returncode == 3, r
    assert "logged in: no" in r.stdout and "logged in: yes" not in r.stdout
    assert f"key from:  env ({var})" in r.stdout
    assert f"{var} is set but is not a valid API key" in r.stdout
    assert "not-a-key" not in r.stdout + r.stderr
    r = env.run("anaconda-auth", "status", "--json", env={var: "not-a-key"})
    assert r.returncode == 3 and json.loads(r.stdout)["logged_in"] is False, r
    assert r.stderr.strip().endswith(f"{var} is set but is not a valid API key"), r


def test_concurrent_logins_keep_every_entry(env):
    def one(i):
        return login_key(env, make_jwt(sub=f"u{i}"), "--domain", f"d{i}.example")

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(one, range(50)))
    assert all(r.returncode == 0 for r in results), [r for r in results if r.returncode]
    entries = env.read_keyring()["Anaconda Cloud"]
    assert sorted(entries) == sorted(f"d{i}.example" for i in range(50))


def test_round_trip_clean_under_valgrind(env):
    key = make_jwt()
    assert login_key(env, key, valgrind=True).returncode == 0
    r = env.run("anaconda-auth", "api-key", valgrind=True)
    assert (r.returncode, r.stdout) == (0, key + "\n"), r
    assert env.run("anaconda-auth", "status", valgrind=True).returncode == 0
    assert env.run("anaconda-auth", "logout", valgrind=True).returncode == 0


# ---- migrate: never replaces another account's key, never loses a write --

# Replacing an existing Secret Service item and reading it back in one
# process makes valgrind report 148 bytes that GDBus's message parser keeps
# (g_variant_new_object_path under g_dbus_message_new_from_blob); the
# suppression glib-gdbus-worker-parsed-object-path in tests/valgrind.supp
# covers exactly that stack, so these runs go under valgrind like the rest.
REPLACING_AN_ITEM_UNDER_VALGRIND = None


def put_in_file(env, domain, key, repo_tokens=None):
    data = env.read_keyring() if env.keyring.exists() else {}
    data.setdefault("Anaconda Cloud", {})[domain] = token_info_b64(
        domain, key, repo_tokens=repo_tokens)
    env.write_keyring(data)


def file_entry(env, domain=DOMAIN):
    if not env.keyring.exists():
        return None
    raw = env.read_keyring().get("Anaconda Cloud", {}).get(domain)
    return json.loads(base64.b64decode(raw)) if raw else None


def system_entry(ss, domain=DOMAIN):
    raw = ss.lookup(domain)
    return json.loads(base64.b64decode(raw)) if raw else None


def test_migrate_refuses_a_different_key_in_the_target(env, secret_service):
    """The file holds alice's key, the Secret Service bob's: moving alice's
    over bob's swaps accounts, so it needs --force, and says what it found."""
    v = secret_service.vars(storage=None)
    alice, bob = make_jwt(sub="alice"), make_jwt(sub="bob")
    r = env.run("anaconda-auth", "login", "--with-api-key", "--storage", "system",
                input=bob + "\n", env=v)
    assert r.returncode == 0, r
    put_in_file(env, DOMAIN, alice)

    r = env.run("anaconda-auth", "migrate", "--to", "system", env=v)
    assert r.returncode == 6, r
    assert "already holds a different key" in r.stderr and "--force" in r.stderr, r
    assert "sub:bob" in r.stderr and "sub:alice" in r.stderr, r
    assert alice not in r.stderr and bob not in r.stderr
    assert len(r.stderr.splitlines()) == 1, r
    assert system_entry(secret_service)["api_key"] == bob
    assert file_entry(env)["api_key"] == alice

    # The other way round too.
    r = env.run("anaconda-auth", "migrate", "--to", "file", env=v)
    assert r.returncode == 6 and "sub:alice" in r.stderr, r
    assert system_entry(secret_service)["api_key"] == bob
    assert file_entry(env)["api_key"] == alice

    r = env.run("anaconda-auth", "migrate", "--to", "system", "--force", env=v,
                valgrind=REPLACING_AN_ITEM_UNDER_VALGRIND)
    assert r.returncode == 0, r
    assert system_entry(secret_service)["api_key"] == alice
    assert file_entry(env) is None


def test_migrate_of_the_same_key_is_a_harmless_repeat(env, secret_service):
    v = secret_service.vars(storage=None)
    key = make_jwt(sub="same")
    r = env.run("anaconda-auth", "login", "--with-api-key", "--storage", "system",
                input=key + "\n", env=v)
    assert r.returncode == 0, r
    put_in_file(env, DOMAIN, key, repo_tokens=[{"org_name": "acme", "token": "t-acme-123456"}])
    r = env.run("anaconda-auth", "migrate", "--to", "system", env=v,
                valgrind=REPLACING_AN_ITEM_UNDER_VALGRIND)
    assert r.returncode == 0, r
    moved = system_entry(secret_service)
    assert moved["api_key"] == key and moved["repo_tokens"][0]["org_name"] == "acme"
    assert file_entry(env) is None
    r = env.run("anaconda-auth", "migrate", "--to", "system", env=v)
    assert r.returncode == 0 and "already in system storage" in r.stderr, r


def test_migrate_keeps_what_a_writer_stored_while_it_waited(env, secret_service):
    """A token install holds the keyring lock and adds a repo token; the
    migrate waiting for the lock must move that entry, not delete it after
    moving the copy it read before."""
    v = secret_service.vars(storage=None)
    key = make_jwt(sub="mover")
    put_in_file(env, DOMAIN, key)

    def writer():
        put_in_file(env, DOMAIN, key, repo_tokens=[{"org_name": "early", "token": "t-early-123456"}])

    rc, out, err = race_with_writer(
        env, [env.bin("anaconda-auth"), "migrate", "--to", "system"], writer,
        extra_env=v)
    assert rc == 0, err
    kept = [e for e in (system_entry(secret_service), file_entry(env)) if e]
    assert any(t.get("org_name") == "early" for e in kept for t in e.get("repo_tokens", [])), (kept, err)
    assert system_entry(secret_service)["api_key"] == key


def test_logout_keeps_what_a_writer_stored_while_it_waited(env):
    """logout is a read-modify-write of the file too: an entry another
    process stores while logout waits for the lock survives it."""
    put_in_file(env, DOMAIN, make_jwt(sub="leaving"))

    def writer():
        put_in_file(env, "other.example", make_jwt(sub="staying"))

    rc, out, err = race_with_writer(env, [env.bin("anaconda-auth"), "logout"], writer)
    assert rc == 0, err
    entries = env.read_keyring()["Anaconda Cloud"]
    assert DOMAIN not in entries and "other.example" in entries


PERSON, ATTACKER, USERS = 2001, 2002, 100

HOLD_LOCK = """
import fcntl, os, sys
lock = sys.argv[1]
try:
    os.unlink(lock)
except FileNotFoundError:
    pass
fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
os.fchmod(fd, 0o666)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


def as_user(uid, *cmd):
    return ["setpriv", f"--reuid={uid}", f"--regid={USERS}", "--clear-groups", *map(str, cmd)]


@needs_root
def test_group_writable_keyring_directory_is_refused(env):
    """Finding F3: ~/.anaconda made group-writable (umask 002); another member
    of the group replaces keyring.lock with their own file and holds it, so
    every login and logout would wait forever. The directory is refused with
    the fix named, and a lock file that is not ours is refused too."""
    import subprocess
    import sys
    import tempfile
    from conftest import BIN

    base = tempfile.mkdtemp(prefix="aa-f3-", dir="/tmp")
    holder = None
    try:
        os.chmod(base, 0o711)
        home = os.path.join(base, "home")
        os.mkdir(home, 0o755)
        os.chown(home, PERSON, USERS)
        kdir = os.path.join(home, ".anaconda")
        os.mkdir(kdir)
        os.chown(kdir, PERSON, USERS)
        os.chmod(kdir, 0o775)
        lock = os.path.join(kdir, "keyring.lock")
        login = [os.path.join(BIN, "anaconda-auth"), "login", "--with-api-key"]
        vars_ = {"HOME": home, "ANACONDA_AUTH_LOCK_TIMEOUT": "0.3"}
        key = make_jwt()

        def person_login():
            return env.run(*as_user(PERSON, *login), input=key + "\n", env=vars_, cwd=home)

        holder = subprocess.Popen(as_user(ATTACKER, sys.executable, "-c", HOLD_LOCK, lock),
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=home)
        assert holder.stdout.readline() == b"held\n"
        r = person_login()
        assert r.returncode == 6, r
        assert f"chmod go-w {kdir}" in r.stderr, r
        assert "locked by another process" not in r.stderr
        assert not os.path.exists(os.path.join(kdir, "keyring"))
        # with the directory fixed, the attacker's lock file is named, not waited on
        os.chmod(kdir, 0o755)
        r = person_login()
        assert r.returncode == 6, r
        assert "keyring.lock belongs to another user (remove it" in r.stderr, r
        os.unlink(lock)
        r = person_login()
        assert r.returncode == 0, r
        assert os.stat(lock).st_uid == PERSON
    finally:
        if holder:
            holder.stdin.close()
            holder.wait(timeout=10)
        shutil.rmtree(base, ignore_errors=True)
