# SPDX-License-Identifier: BSD-3-Clause
"""An attacker who controls their own home tries to make the root-run session
hook read something it should not (or hang the login). As root, with real
unprivileged uids, each trick is refused with the right code and nothing of
the target leaks into the session, the conversation or the logs. Then the
same module runs inside a non-root process (a screen locker, say)."""
import os
import time

import pytest

from conftest import make_jwt, token_info_b64
from pam_harness import (IS_ROOT, MODULE, PAM_SESSION_ERR, PAM_SUCCESS,
                         STACK_ALL_IGNORED, USERS, PamWorld)

ENVVAR = "ANACONDA_AUTH_API_KEY"

pytestmark = [
    pytest.mark.skipif(not os.path.exists(MODULE),
                       reason="pam_anaconda.so is not built"),
    pytest.mark.skipif(not IS_ROOT,
                       reason="the privilege drop only happens as root (CI runs as root)"),
]


@pytest.fixture
def world():
    w = PamWorld()
    w.service("sess", "session required MODULE")
    w.service("strict", "session required MODULE strict")
    try:
        yield w
    finally:
        w.cleanup()


def entry(key):
    return {"anaconda.cloud": token_info_b64("anaconda.cloud", key)}


def open_session(world, service, expect, user="alice", **kw):
    r = world.pam(service, user, [("open_session", expect, 0)], **kw)
    assert r.rc == expect, r
    return r


def refused(world, reason, *secrets, strict_code=PAM_SESSION_ERR):
    """Refused with PAM_IGNORE normally and strict_code under `strict`; the
    reason is logged; none of `secrets` appears anywhere."""
    for service, code in (("sess", STACK_ALL_IGNORED), ("strict", strict_code)):
        r = open_session(world, service, code)
        assert ENVVAR not in (r.env or {}), r
        assert r.info == [] and r.errors == [], r
        assert reason in r.log, r
        assert world.keyring_path("alice") in r.log, r
        for s in secrets:
            assert s not in r.log, r
            assert s not in str(r.env), r


def dot_anaconda(world, user="alice", owner="alice", mode=0o700):
    d = os.path.join(world.home(user), ".anaconda")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, mode)
    world.chown(d, owner)
    return d


def test_symlink_to_shadow_is_refused(world):
    d = dot_anaconda(world)
    os.symlink("/etc/shadow", os.path.join(d, "keyring"))
    with open("/etc/shadow") as f:
        first = f.readline().strip()
    refused(world, "symbolic link", first)


def test_symlink_to_a_valid_keyring_of_the_same_user_is_refused(world):
    key = make_jwt()
    world.write_keyring("alice", entry(key), rel="real/keyring")
    d = dot_anaconda(world)
    os.symlink(world.keyring_path("alice", "real/keyring"),
               os.path.join(d, "keyring"))
    refused(world, "symbolic link", key)


def test_symlinked_directory_in_the_path_is_refused(world):
    key = make_jwt()
    world.write_keyring("bob", entry(key))
    os.symlink(os.path.join(world.home("bob"), ".anaconda"),
               os.path.join(world.home("alice"), ".anaconda"))
    refused(world, "symbolic link", key)


def test_fifo_does_not_hang_the_login(world):
    d = dot_anaconda(world)
    os.mkfifo(os.path.join(d, "keyring"), 0o600)
    world.chown(os.path.join(d, "keyring"), "alice")
    # world.pam() bounds the wait; a hang would fail with TimeoutExpired
    refused(world, "not a regular file")


def test_directory_in_place_of_the_file_is_refused(world):
    d = dot_anaconda(world)
    os.mkdir(os.path.join(d, "keyring"), 0o700)
    world.chown(os.path.join(d, "keyring"), "alice")
    refused(world, "not a regular file")


def test_file_owned_by_another_user_is_refused(world):
    key = make_jwt(sub="bob")
    world.write_keyring("alice", entry(key), mode=0o644, owner="bob")
    refused(world, "owned by uid %d" % USERS["bob"][0], key)


def test_root_owned_file_is_refused(world):
    key = make_jwt(sub="planted")
    world.write_keyring("alice", entry(key), mode=0o644, owner="root")
    refused(world, "owned by uid 0", key)


@pytest.mark.parametrize("mode", [0o666, 0o620, 0o602])
def test_file_writable_by_others_is_refused(world, mode):
    key = make_jwt()
    world.write_keyring("alice", entry(key), mode=mode)
    refused(world, "writable by group or others", key)


def test_readable_by_others_is_still_used(world):
    """Python's writer leaves 0644; the key is used (a notice is logged)."""
    key = make_jwt()
    world.write_keyring("alice", entry(key), mode=0o644)
    r = open_session(world, "strict", PAM_SUCCESS)
    assert r.env.get(ENVVAR) == key, r
    assert "readable by other users" in r.log, r


def test_private_directory_of_another_user_stops_the_read(world):
    """Root could read through bob's 0700 directory; alice cannot. The
    module reads as alice, so it gets EACCES: the drop is real."""
    key = make_jwt(sub="bob-secret")
    d = dot_anaconda(world, owner="bob", mode=0o700)
    path = os.path.join(d, "keyring")
    with open(path, "w") as f:
        f.write('{"Anaconda Cloud": {"anaconda.cloud": "%s"}}'
                % token_info_b64("anaconda.cloud", key))
    os.chmod(path, 0o600)
    world.chown(path, "alice")    # even a file alice "owns" is unreachable
    for service in ("sess", "strict"):
        r = open_session(world, service, STACK_ALL_IGNORED)
        assert "Permission denied" in r.log, r
        assert key not in r.log and ENVVAR not in r.env, r


def test_unreadable_home_of_the_user_themselves(world):
    key = make_jwt()
    world.write_keyring("alice", entry(key))
    os.chmod(world.home("alice"), 0o000)
    r = open_session(world, "sess", STACK_ALL_IGNORED)
    assert "Permission denied" in r.log, r


def test_huge_file_is_refused(world):
    key = make_jwt()
    pad = " " * (256 * 1024)
    world.write_keyring("alice", '{"Anaconda Cloud": {"anaconda.cloud": "%s"}}%s'
                        % (token_info_b64("anaconda.cloud", key), pad))
    refused(world, "larger than", key)


def test_truncated_json_is_ignored_and_nothing_leaks(world):
    key = make_jwt()
    text = '{"Anaconda Cloud": {"anaconda.cloud": "%s"}}' % token_info_b64(
        "anaconda.cloud", key)
    world.write_keyring("alice", text[:-3])
    for service in ("sess", "strict"):
        r = open_session(world, service, STACK_ALL_IGNORED)
        assert ENVVAR not in r.env, r
        assert token_info_b64("anaconda.cloud", key)[:20] not in r.log, r


def test_hard_link_to_a_foreign_file_is_refused(world):
    """With fs.protected_hardlinks=0 a user could link root's file into
    their home; the owner check still refuses it."""
    key = make_jwt(sub="root")
    secret = os.path.join(world.root, "roots-keyring")
    with open(secret, "w") as f:
        f.write('{"Anaconda Cloud": {"anaconda.cloud": "%s"}}'
                % token_info_b64("anaconda.cloud", key))
    os.chmod(secret, 0o644)   # readable, so only the owner check stops it
    d = dot_anaconda(world)
    os.link(secret, os.path.join(d, "keyring"))
    refused(world, "owned by uid 0", key)


def test_good_file_after_all_that_still_works(world):
    key = make_jwt()
    world.write_keyring("alice", entry(key))
    r = open_session(world, "strict", PAM_SUCCESS)
    assert r.env.get(ENVVAR) == key, r
    assert "readable by other users" not in r.log, r


# -- the module inside a process that is not root ------------------------------

def test_non_root_host_reads_its_own_users_key(world):
    key = make_jwt(exp=int(time.time()) + 3 * 86400)
    world.write_keyring("alice", entry(key))
    r = open_session(world, "sess", PAM_SUCCESS, as_uid=USERS["alice"])
    assert r.env.get(ENVVAR) == key, r
    assert "expires in 3 days" in r.info[0], r


def test_non_root_host_still_refuses_symlinks(world):
    d = dot_anaconda(world)
    os.symlink("/etc/passwd", os.path.join(d, "keyring"))
    r = open_session(world, "strict", PAM_SESSION_ERR, as_uid=USERS["alice"])
    assert "symbolic link" in r.log, r


def test_non_root_host_cannot_read_another_users_key(world):
    key = make_jwt(sub="alice")
    world.write_keyring("alice", entry(key))
    r = open_session(world, "sess", STACK_ALL_IGNORED, as_uid=USERS["bob"])
    assert ENVVAR not in r.env and key not in r.log, r
    assert "Permission denied" in r.log, r
