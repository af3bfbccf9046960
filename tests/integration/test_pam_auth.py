# SPDX-License-Identifier: BSD-3-Clause
"""A person logs in by typing their Anaconda API key as the password: the
module checks it offline, has pam_anaconda_verify ask the (emulated) service
over HTTPS whose key it is, and lets them in only if the administrator bound
that account to them. Network trouble is PAM_AUTHINFO_UNAVAIL, never success.

The attacks of issue 11 are here too, each against the real module, helper
and libpam: an Anaconda account named after a local user, a process of the
verifier's uid stealing its descriptors, a key used to become someone else
(sudo), and telling known users from unknown ones by the prompts."""
import json
import os
import socket
import ssl
import stat
import subprocess
import time
import urllib.request

import pytest

from conftest import make_jwt, needs_root, token_info_b64
from pam_harness import (HELPER, IS_ROOT, MODULE, PAM_AUTH_ERR,
                         PAM_AUTHINFO_UNAVAIL, PAM_PERM_DENIED,
                         PAM_PROMPT_ECHO_OFF, PAM_SERVICE_ERR, PAM_SUCCESS,
                         PAM_SYSTEM_ERR, ROOT,
                         STACK_ALL_IGNORED, USERS, VERIFIER, PamWorld)

PROMPT = [[PAM_PROMPT_ECHO_OFF, "Anaconda API key: "]]

pytestmark = [
    pytest.mark.skipif(not (os.path.exists(MODULE) and os.path.exists(HELPER)),
                       reason="pam_anaconda.so / pam_anaconda_verify not built"),
]


@pytest.fixture
def world(emulator_session):
    w = PamWorld()
    # The helper runs as _anaconda-auth: it must be able to read the CA.
    w.ca = w.copy_readable(emulator_session.ca_path, "ca.pem")
    w.em = emulator_session
    try:
        yield w
    finally:
        w.cleanup()


def auth_stack(world, *extra, name="auth", domain=None, helper=HELPER,
               timeout=10, bind="match=username"):
    """An auth line. `bind` is the binding: match=username (an opt-in that
    works as root and as an ordinary user), a usermap= or None."""
    args = [f"domain={domain or world.em.domain}", f"ca={world.ca}",
            f"helper={helper}", f"timeout={timeout}", *extra]
    if bind:
        args.append(bind)
    return world.service(name, "auth required MODULE " + " ".join(args))


def authenticate(world, key, user="alice", expect=PAM_SUCCESS,
                 service="auth", **kw):
    r = world.pam(service, user, [("authenticate", expect, 0)],
                  authtok=[key] if key is not None else [], **kw)
    assert r.rc == expect, r
    if key:
        assert key not in r.log, r
    return r


def account_requests(world):
    return world.em.requests("/api/account")


def account_id(world, key):
    """user.id of the key's account, as /api/account gives it."""
    req = urllib.request.Request(world.em.url + "/api/account",
                                 headers={"Authorization": "Bearer " + key,
                                          "X-Client-Hostname": "test"})
    ctx = ssl.create_default_context(cafile=world.em.ca_path)
    with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
        doc = json.load(r)
    world.em.clear_requests()
    return doc["user"]["id"]


def write_map(world, text, mode=0o644, owner="root"):
    path = os.path.join(world.root, "usermap")
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    world.chown(path, owner)
    return path


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# -- the happy path and the refusals ---------------------------------------------

def test_good_key_of_the_right_account_logs_in(world):
    key = world.em.mint_key(username="alice")
    auth_stack(world)
    authenticate(world, key)
    reqs = account_requests(world)
    assert len(reqs) == 1, reqs


def test_revoked_key_is_refused(world):
    key = world.em.mint_key(username="alice")
    world.em.revoke(key)
    auth_stack(world)
    r = authenticate(world, key, expect=PAM_AUTH_ERR)
    assert "refused the key" in r.log, r


def test_expired_key_is_refused_offline(world):
    key = world.em.mint_key(username="alice", exp=int(time.time()) - 60)
    auth_stack(world)
    r = authenticate(world, key, expect=PAM_AUTH_ERR)
    assert "expired API key" in r.log, r
    assert account_requests(world) == []


@pytest.mark.parametrize("typed", ["hunter2", "correct horse battery staple",
                                   "a.b.c", make_jwt(exp=False)],
                         # fixed ids: xdist workers must collect the same
                         # names, and make_jwt() embeds the current time
                         ids=["word", "phrase", "dotted", "jwt-no-exp"])
def test_ordinary_password_never_leaves_the_host(world, typed):
    auth_stack(world)
    r = authenticate(world, typed, expect=PAM_AUTH_ERR)
    assert "not a well-formed API key" in r.log, r
    assert account_requests(world) == []


def test_unknown_key_is_refused(world):
    auth_stack(world)
    authenticate(world, make_jwt(sub="forged"), expect=PAM_AUTH_ERR)
    assert len(account_requests(world)) == 1


def test_key_of_another_account_is_refused(world):
    key = world.em.mint_key(username="bob")
    auth_stack(world)
    r = authenticate(world, key, expect=PAM_AUTH_ERR)
    assert "(bob), which is not bound to this user" in r.log, r


def test_unknown_pam_user(world):
    """Refused only after the prompt and the same work as anyone else's,
    with the code of a wrong key (see test_every_user_is_prompted_alike);
    the name is not logged."""
    key = world.em.mint_key(username="alice")
    auth_stack(world)
    r = authenticate(world, key, user="mallory", expect=PAM_AUTH_ERR)
    assert "no such user" in r.log, r
    assert "mallory" not in r.log and len(account_requests(world)) == 1, r


# -- usermap --------------------------------------------------------------------

@needs_root  # the usermap must be root's
def test_usermap_binds_accounts_to_local_users(world):
    """Username lines: accepted, and weaker than ids (names can be
    registered again by someone else once given up)."""
    path = write_map(world, "# account  local\nbob alice\n\nalice carol  # x\n")
    auth_stack(world, bind=f"usermap={path}")
    authenticate(world, world.em.mint_key(username="bob"))                 # mapped
    authenticate(world, world.em.mint_key(username="alice"), expect=PAM_AUTH_ERR)
    authenticate(world, world.em.mint_key(username="alice"), user="carol")


@needs_root  # the usermap must be root's
def test_usermap_without_a_line_for_the_user(world):
    path = write_map(world, "bob alice\n")
    auth_stack(world, bind=f"usermap={path}")
    key = world.em.mint_key(username="bob")
    r = authenticate(world, key, user="bob", expect=PAM_AUTH_ERR)
    assert "not bound to this user" in r.log, r


@needs_root  # else every map is refused as not root's, hiding the reason tested
@pytest.mark.parametrize("how", ["world-writable", "group-writable",
                                 "user-owned", "symlink", "missing"])
def test_unsafe_usermap_is_not_trusted(world, how):
    path = write_map(world, "alice alice\nmallory alice\n")
    if how == "world-writable":
        os.chmod(path, 0o666)
    elif how == "group-writable":
        os.chmod(path, 0o664)
    elif how == "user-owned":
        world.chown(path, "alice")
    elif how == "symlink":
        link = os.path.join(world.root, "usermap-link")
        os.symlink(path, link)
        path = link
    else:
        os.unlink(path)
    auth_stack(world, bind=f"usermap={path}")
    r = authenticate(world, world.em.mint_key(username="alice"),
                     expect=PAM_AUTHINFO_UNAVAIL)
    assert "usermap" in r.log and account_requests(world) == [], r


# -- the service is not there ------------------------------------------------------

def test_server_down(world):
    auth_stack(world, domain=f"127.0.0.1:{closed_port()}", timeout=5)
    r = authenticate(world, make_jwt(), expect=PAM_AUTHINFO_UNAVAIL)
    assert "cannot verify the key" in r.log, r


def test_slow_server_is_bounded_by_timeout(world):
    world.em.fault("/api/account", "slow", seconds=30)
    auth_stack(world, timeout=2)
    r = authenticate(world, world.em.mint_key(username="alice"),
                     expect=PAM_AUTHINFO_UNAVAIL, timeout=25)
    assert "cannot verify" in r.log or "did not finish in time" in r.log, r


@pytest.mark.parametrize("kind", ["garbage", "500", "truncated", "close"])
def test_broken_replies(world, kind):
    world.em.fault("/api/account", kind)
    auth_stack(world)
    authenticate(world, world.em.mint_key(username="alice"),
                 expect=PAM_AUTHINFO_UNAVAIL)


def test_wrong_ca_is_a_network_failure_not_a_success(world):
    other_ca = world.copy_readable("/etc/ssl/certs/ca-certificates.crt",
                                   "system-cas.pem")
    world.ca = other_ca
    auth_stack(world)
    authenticate(world, world.em.mint_key(username="alice"),
                 expect=PAM_AUTHINFO_UNAVAIL)


def test_ignore_authinfo_unavail_is_opt_in(world):
    auth_stack(world, "ignore_authinfo_unavail",
               domain=f"127.0.0.1:{closed_port()}")
    authenticate(world, make_jwt(), expect=STACK_ALL_IGNORED)
    # a helper killed at the deadline counts as unavailable too
    world.em.fault("/api/account", "slow", seconds=30)
    auth_stack(world, "ignore_authinfo_unavail", timeout=1)
    authenticate(world, world.em.mint_key(username="alice"),
                 expect=STACK_ALL_IGNORED, timeout=25)
    # ... but a refused key is still a refusal
    auth_stack(world, "ignore_authinfo_unavail")
    world.em.clear_faults()
    authenticate(world, make_jwt(sub="forged"), expect=PAM_AUTH_ERR)


# -- the PAM conventions -------------------------------------------------------------

def test_use_first_pass_and_try_first_pass(world):
    key = world.em.mint_key(username="alice")
    base = f"domain={world.em.domain} ca={world.ca} helper={HELPER} match=username"
    world.service("stacked", f"auth required MODULE {base}",
                  f"auth required MODULE {base} use_first_pass",
                  f"auth required MODULE {base} try_first_pass")
    # one answer only: the 2nd and 3rd lines must not prompt again
    authenticate(world, key, service="stacked")
    assert len(account_requests(world)) == 3


def test_use_first_pass_without_a_previous_password(world):
    auth_stack(world, "use_first_pass")
    authenticate(world, None, expect=PAM_AUTH_ERR)
    assert account_requests(world) == []


def test_setcred_succeeds_after_authentication(world):
    key = world.em.mint_key(username="alice")
    auth_stack(world)
    r = world.pam("auth", "alice", [("authenticate", PAM_SUCCESS, 0),
                                    ("setcred", PAM_SUCCESS, 0)], authtok=[key])
    assert r.rc == PAM_SUCCESS, r


def test_a_probe_with_the_nonce_is_accepted(world):
    """The counterpart of the nonsense above: the same probe, answering
    properly, logs in - so those refusals are about the answer."""
    helper, _ = probe_helper(world)
    auth_stack(world, helper=helper)
    authenticate(world, make_jwt())


def test_store_saves_the_key_for_the_session(world):
    key = world.em.mint_key(username="alice")
    auth_stack(world, "store")
    r = authenticate(world, key)
    assert "stored the key" in r.log, r
    path = world.keyring_path("alice")
    st = os.stat(path)
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (USERS["alice"][0], 0o600)
    assert os.stat(os.path.dirname(path)).st_uid == USERS["alice"][0]
    doc = json.load(open(path))
    stored = doc["Anaconda Cloud"]
    assert len(stored) == 1, doc
    # ... and the session hook of the next login finds it
    world.service("sess", f"session required MODULE domain={world.em.domain}")
    r = world.pam("sess", "alice", [("open_session", PAM_SUCCESS, 0)])
    assert r.env.get("ANACONDA_AUTH_API_KEY") == key, r


def test_store_keeps_what_is_already_there(world):
    world.write_keyring("alice", {"other.example.com": token_info_b64(
        "other.example.com", make_jwt(sub="other"))})
    key = world.em.mint_key(username="alice")
    auth_stack(world, "store")
    authenticate(world, key)
    doc = json.load(open(world.keyring_path("alice")))
    assert set(doc["Anaconda Cloud"]) == {"other.example.com", world.em.domain}


def test_store_refuses_a_symlinked_keyring(world):
    os.makedirs(os.path.join(world.home("alice"), ".anaconda"), mode=0o700)
    world.chown(os.path.join(world.home("alice"), ".anaconda"), "alice")
    target = os.path.join(world.root, "elsewhere")
    os.symlink(target, world.keyring_path("alice"))
    auth_stack(world, "store")
    r = authenticate(world, world.em.mint_key(username="alice"))
    assert "could not store the key" in r.log, r
    assert not os.path.exists(target)


# -- the helper process ---------------------------------------------------------------

PROBE = """#!/bin/sh
# a stand-in helper that records how it was started
out=%(dir)s
id -u > $out/uid; id -g > $out/gid; id -G > $out/groups
env > $out/env; echo "$@" > $out/args
read -r nonce; echo "$nonce" > $out/nonce
cat | wc -c > $out/stdin_bytes
echo $$ > $out/pid
%(tail)s
"""


def probe_helper(world, tail='echo "$nonce ok - alice"'):
    d = os.path.join(world.root, "probe")
    os.mkdir(d)
    os.chmod(d, 0o777)
    path = os.path.join(world.root, "probe-helper")
    with open(path, "w") as f:
        f.write(PROBE % {"dir": d, "tail": tail})
    os.chmod(path, 0o755)
    return path, d


def read(d, name):
    with open(os.path.join(d, name)) as f:
        return f.read().strip()


@needs_root  # only root can start the helper as another account
def test_helper_runs_as_its_own_account_with_a_clean_environment(world):
    helper, d = probe_helper(world)
    auth_stack(world, helper=helper)
    key = make_jwt()
    authenticate(world, key)
    assert read(d, "uid") == str(VERIFIER[0]) and read(d, "gid") == str(VERIFIER[1])
    assert read(d, "groups") == str(VERIFIER[1])
    env = dict(line.split("=", 1) for line in read(d, "env").splitlines()
               if "=" in line)
    assert env["ANACONDA_AUTH_DOMAIN"] == world.em.domain
    assert env["ANACONDA_AUTH_SSL_VERIFY"] == world.ca
    for leaked in ("LD_PRELOAD", "NSS_WRAPPER_PASSWD", "PAM_WRAPPER", "AA_BUILD"):
        assert leaked not in env, env
    assert env["HOME"] != world.caller_home
    assert key not in read(d, "env") and key not in read(d, "args")
    assert read(d, "stdin_bytes") == str(len(key))
    assert len(read(d, "nonce")) == 32


def test_hung_helper_is_killed_at_the_deadline(world):
    helper, d = probe_helper(world, tail="exec sleep 120")
    auth_stack(world, helper=helper, timeout=1)
    authenticate(world, make_jwt(), expect=PAM_AUTHINFO_UNAVAIL, timeout=30)
    pid = int(read(d, "pid"))
    assert not os.path.exists(f"/proc/{pid}"), "helper still running"


@pytest.mark.parametrize("answer", [
    'echo "$nonce ok"', 'echo "$nonce yes alice"', "exit 3", "kill -9 $$",
    # forged or damaged: no nonce, another nonce, no newline, two lines
    'echo "ok - alice"', 'echo "ok alice alice@example.com"',
    'echo "0123456789abcdef0123456789abcdef ok - alice"',
    'printf "%s ok - alice" "$nonce"',
    'echo "$nonce ok - alice"; echo "$nonce ok - alice"',
    'echo "$nonce ok - alice"; echo junk',
], ids=["ok", "yes", "exit3", "kill", "no-nonce", "old-format",
        "other-nonce", "no-newline", "twice", "trailing"])
def test_helper_nonsense_is_a_system_error(world, answer):
    helper, _ = probe_helper(world, tail=answer)
    auth_stack(world, helper=helper)
    authenticate(world, make_jwt(), expect=PAM_SYSTEM_ERR)


def test_untrusted_helper_is_not_run(world):
    helper, d = probe_helper(world)
    os.chmod(helper, 0o777)
    auth_stack(world, helper=helper)
    r = authenticate(world, make_jwt(), expect=PAM_SYSTEM_ERR)
    assert "refusing to run the helper" in r.log
    assert not os.path.exists(os.path.join(d, "uid"))


def test_missing_helper_is_a_system_error(world):
    auth_stack(world, helper=os.path.join(world.root, "no-such-helper"))
    authenticate(world, make_jwt(), expect=PAM_SYSTEM_ERR)


def test_ssl_verify_no_skips_the_ca(world):
    key = world.em.mint_key(username="alice")
    world.service("noverify", "auth required MODULE match=username "
                  f"domain={world.em.domain} helper={HELPER} ssl_verify=no")
    authenticate(world, key, service="noverify")
    # without it (and without ca=) the emulator's private CA is not trusted
    world.service("verify", "auth required MODULE match=username "
                  f"domain={world.em.domain} helper={HELPER}")
    authenticate(world, key, service="verify", expect=PAM_AUTHINFO_UNAVAIL)


def test_debug_names_the_account_never_the_key(world):
    key = world.em.mint_key(username="alice")
    auth_stack(world, "debug")
    r = authenticate(world, key)
    assert f"key of account {account_id(world, key)} (alice) accepted for alice" in r.log, r


# == issue 11, attack 1: an Anaconda account chooses who it is ===================

def test_without_a_binding_nobody_is_authenticated(world):
    """No usermap=, no match=username: the module authenticates nobody,
    says how to fix it, and does not even ask (the same for every user)."""
    key = world.em.mint_key(username="alice")
    auth_stack(world, bind=None)
    r = world.conv("auth", "alice", [key])
    assert r.rc == PAM_AUTHINFO_UNAVAIL and r.prompts == [], r
    assert "usermap=" in r.log and account_requests(world) == [], r


@pytest.mark.parametrize("bind", [None, "match=username"])
def test_account_named_root_does_not_log_in_as_root(world, bind):
    """Anyone can register the Anaconda username "root" (or "daemon")."""
    auth_stack(world, bind=bind)
    for local in ("root", "daemon"):
        key = world.em.mint_key(username=local)
        authenticate(world, key, user=local,
                     expect=PAM_AUTHINFO_UNAVAIL if bind is None else PAM_AUTH_ERR)


def test_email_local_part_is_no_identity(world):
    """An account with the email root@evil.example: match=email is gone
    (the line fails closed), and the name rule does not make it root."""
    world.em.set(username="eve", email="root@evil.example")
    key = world.em.mint_key()
    auth_stack(world, bind="match=email")
    r = authenticate(world, key, user="root", expect=PAM_SERVICE_ERR)
    assert "removed option" in r.log and "match=email" in r.log, r
    assert account_requests(world) == [], r
    auth_stack(world)
    authenticate(world, key, user="root", expect=PAM_AUTH_ERR)


def test_unknown_option_fails_closed(world):
    """A misspelt option might have been a safety setting."""
    key = world.em.mint_key(username="alice")
    auth_stack(world, "alow_elevation")
    r = authenticate(world, key, expect=PAM_SERVICE_ERR)
    assert "unknown option" in r.log and account_requests(world) == [], r


@needs_root  # the usermap must be root's
def test_usermap_by_account_id_admits_exactly_that_user(world):
    alice, bob, admin = (world.em.mint_key(username=u)
                         for u in ("alice", "bob", "admin"))
    alice_id, admin_id = account_id(world, alice), account_id(world, admin)
    path = write_map(world, f"{alice_id} alice\n{admin_id.upper()} root\n")
    auth_stack(world, bind=f"usermap={path}")
    authenticate(world, alice)                                    # bound
    authenticate(world, admin, user="root")                       # named
    for user in ("bob", "carol", "root"):
        authenticate(world, alice, user=user, expect=PAM_AUTH_ERR)
    authenticate(world, bob, expect=PAM_AUTH_ERR)
    # an account whose *username* is alice's id is not alice's account
    lookalike = world.em.mint_key(username=alice_id)
    r = authenticate(world, lookalike, expect=PAM_AUTH_ERR)
    assert "not bound" in r.log, r
    # with match=username as well, the account "root" is still not root
    auth_stack(world, bind=f"usermap={path} match=username")
    authenticate(world, world.em.mint_key(username="root"), user="root",
                 expect=PAM_AUTH_ERR)
    authenticate(world, admin, user="root")


@needs_root  # the usermap must be root's
@pytest.mark.parametrize("form", ["hex32", "braces", "urn"])
def test_misspelt_account_id_is_no_username(world, form):
    """An id written another way (32 hex digits, {id}, urn:uuid:id) is a
    malformed line, logged: it neither admits a new account registered
    with that string as its username nor the account meant."""
    alice = world.em.mint_key(username="alice")
    alice_id = account_id(world, alice)
    spelt = {"hex32": alice_id.replace("-", ""),
             "braces": "{" + alice_id + "}",
             "urn": "urn:uuid:" + alice_id}[form]
    path = write_map(world, f"{spelt} alice\n")
    auth_stack(world, bind=f"usermap={path}")
    squatter = world.em.mint_key(username=spelt)
    r = authenticate(world, squatter, expect=PAM_AUTH_ERR)
    assert "1 malformed line(s) ignored" in r.log, r
    r = authenticate(world, alice, expect=PAM_AUTH_ERR)
    assert "1 malformed line(s) ignored" in r.log, r


# == issue 11, attack 2: a process of the verifier's uid hijacks it ==============

@pytest.fixture(scope="module")
def thief(tmp_path_factory):
    src = os.path.join(ROOT, "tests", "attack", "pidfd_thief.c")
    out = str(tmp_path_factory.mktemp("attack") / "pidfd_thief")
    p = subprocess.run(["cc", "-std=c11", "-O2", "-Wall", "-Werror", "-o", out,
                        src], capture_output=True, text=True)
    if p.returncode != 0:
        pytest.fail("cannot build the attacker:\n" + p.stderr)
    return out


def test_helper_is_built_execute_only():
    assert stat.S_IMODE(os.stat(HELPER).st_mode) == 0o711


@needs_root  # distinct uids, and the attacker must become the verifier's
def test_verifier_uid_cannot_steal_the_key_or_forge_an_answer(world, thief):
    """pidfd_thief becomes the uid of each verifier the PAM runner starts
    and races it with pidfd_getfd(): it must never get a descriptor, never
    see the key, and its forged "ok" for the account bound to root must
    never log anyone in. The typed key was issued by no server."""
    admin_id = "0a0a0a0a-1111-4222-8333-444444444444"
    path = write_map(world, f"{admin_id} root\n")
    auth_stack(world, bind=f"usermap={path}", timeout=7)
    report = os.path.join(world.root, "thief.log")
    attacker = subprocess.Popen([thief, report, world.root, admin_id, "120"])
    try:
        while not os.path.exists(report):
            time.sleep(0.05)
        results = []
        for i in range(12):
            key = make_jwt(sub=f"forged-{i}")
            r = world.pam("auth", "root", [("authenticate", PAM_AUTH_ERR, 0)],
                          authtok=[key])
            results.append((key, r))
    finally:
        attacker.terminate()
        attacker.wait(timeout=30)
    log = open(report).read()
    assert all(r.rc != PAM_SUCCESS for _, r in results), log
    for key, r in results:
        assert key.split(".")[1] not in log, log
    assert "STOLE" not in log, log
    if os.environ.get("AA_SANITIZE") != "1":
        assert "GOT" not in log and "FORGED" not in log, log
    # else: LeakSanitizer makes the helper dumpable again for its exit-time
    # leak check (it ptraces the process), so the thief may take the pipes
    # then - after the request was read and the answer written; its forged
    # second line is what the one-line rule refuses.
    # it really raced them, as the verifier's own uid
    assert log.count(f"SAW ") >= 6 and f" {VERIFIER[0]}\n" in log, log
    assert "DENIED" in log, log


@needs_root  # as root the module looks the account up and switches to it
def test_verifier_account_must_exist_and_be_its_own(world):
    key = world.em.mint_key(username="alice")
    for user, why in (("_no-such-account", "does not exist"),
                      ("nobody", "root or nobody"), ("root", "root or nobody")):
        auth_stack(world, f"verify_user={user}")
        r = authenticate(world, key, expect=PAM_SYSTEM_ERR)
        assert why in r.log and account_requests(world) == [], r


# == issue 11, attack 3: a key the requester holds makes them someone else ======

def test_requester_named_by_pam_ruser_is_refused(world):
    """PAM_RUSER names the person asking. bob holds alice's key (it was
    exported into a shared session, say): not enough. Decided on the names
    alone, before the prompt."""
    key = world.em.mint_key(username="alice")
    auth_stack(world)
    r = world.conv("auth", "alice", [key], ruser="bob")
    assert r.rc == PAM_PERM_DENIED and r.prompts == [], r
    assert "allow_elevation" in r.log and account_requests(world) == [], r
    # themselves, nobody named; and root, believed only from a root host
    for ruser, rc in (("alice", PAM_SUCCESS), ("", PAM_SUCCESS),
                      ("root", PAM_SUCCESS if IS_ROOT else PAM_PERM_DENIED)):
        r = world.conv("auth", "alice", [key], ruser=ruser)
        assert r.rc == rc, r
    auth_stack(world, "allow_elevation")
    r = world.conv("auth", "alice", [key], ruser="bob")
    assert r.rc == PAM_SUCCESS, r


# The shapes of the set-id hosts (real uid: who runs it, effective uid 0):
# (real user, PAM_USER, PAM_RUSER).
SETID_SHAPES = {
    # sudo authenticates the invoking user, by their own password
    "sudo": ("alice", "alice", "alice"),
    # polkit-agent-helper-1 names the user being authenticated as RUSER
    "polkit": ("alice", "bob", "bob"),
    "polkit-root": ("alice", "root", "root"),
    # su authenticates the target; RUSER is the invoker
    "su": ("alice", "bob", "alice"),
}


@needs_root  # a set-id host: real uid the user's, effective uid root
@pytest.mark.parametrize("shape", sorted(SETID_SHAPES))
def test_setid_host_is_refused(world, shape):
    """Whoever runs sudo, su or polkit-agent-helper-1 may hold the key, so
    any set-id host is refused, whatever PAM_USER and PAM_RUSER say - and
    with `store`, nothing is written. Every key here is valid and bound
    (an id usermap binds alice's account to root as well): only the host
    decides. Refused before the prompt: it depends on the host alone."""
    invoker, user, ruser = SETID_SHAPES[shape]
    key = world.em.mint_key(username=user if user != "root" else "alice")
    alice_id = account_id(world, world.em.mint_key(username="alice"))
    path = write_map(world, f"{alice_id} root\nalice alice\nbob bob\n")
    auth_stack(world, "store", bind=f"usermap={path}")
    r = world.conv("auth", user, [key], ruser=ruser, setid=USERS[invoker])
    assert r.rc == PAM_PERM_DENIED and r.prompts == [], r
    assert "set-id program" in r.log and "allow_elevation" in r.log, r
    assert account_requests(world) == [], r
    for home_user in ("alice", "bob"):
        assert not os.path.exists(world.keyring_path(home_user)), r


@needs_root  # a set-id host
def test_setid_host_is_allowed_with_allow_elevation(world):
    """The opt-in, documented with its risk: sudo's shape then works, and
    the refusal above is about the host, not about the key."""
    key = world.em.mint_key(username="alice")
    auth_stack(world, "allow_elevation")
    r = world.conv("auth", "alice", [key], ruser="alice",
                   setid=USERS["alice"])
    assert r.rc == PAM_SUCCESS and r.prompts == PROMPT, r


@needs_root  # distinct uids
def test_setuid_host_run_by_another_user_is_refused(world):
    """Without PAM_RUSER, a host whose real uid is bob's asks for bob. (It
    is refused after the prompt: the refusal depends on alice's uid, and
    must not tell which users exist.)"""
    key = world.em.mint_key(username="alice")
    auth_stack(world)
    r = world.conv("auth", "alice", [key], as_uid=USERS["bob"])
    assert r.rc == PAM_PERM_DENIED and r.prompts == PROMPT, r
    assert "requested by the calling user" in r.log, r
    r = world.conv("auth", "mallory", [key], as_uid=USERS["bob"])
    assert r.rc == PAM_AUTH_ERR and r.prompts == PROMPT, r
    # PAM_RUSER never stands in for the real uid: bob's host saying
    # "alice asks for alice" is still bob's
    r = world.conv("auth", "alice", [key], ruser="alice", as_uid=USERS["bob"])
    assert r.rc == PAM_PERM_DENIED and r.prompts == PROMPT, r
    # nor does "root asks" from a host that is not root
    r = world.conv("auth", "alice", [key], ruser="root", as_uid=USERS["bob"])
    assert r.rc == PAM_PERM_DENIED and r.prompts == [], r
    r = world.conv("auth", "alice", [key], as_uid=USERS["alice"])
    assert r.rc == PAM_SUCCESS, r


# == issue 11, attack 4: the prompts tell who exists ==============================

def test_every_user_is_prompted_alike(world):
    """Known, unknown and unbound users see the same conversation and all
    fail; the unknown one only after the prompt."""
    alice = world.em.mint_key(username="alice")
    forged = make_jwt(sub="forged")
    auth_stack(world)
    seen = {}
    for user in ("alice", "mallory", "root"):
        for key in (alice, forged, "hunter2"):
            r = world.conv("auth", user, [key])
            seen[(user, key)] = r.prompts
            # the code is seen too (pam_strerror in polkit, pamtester)
            assert r.rc == {("alice", alice): PAM_SUCCESS,
                            }.get((user, key), PAM_AUTH_ERR), r
    assert all(p == PROMPT for p in seen.values()), seen


@needs_root  # the usermap must be root's
def test_usermap_does_not_tell_who_is_listed(world):
    path = write_map(world, "bob alice\n")
    auth_stack(world, bind=f"usermap={path}")
    key = make_jwt(sub="forged")
    for user in ("alice", "carol", "mallory"):
        r = world.conv("auth", user, [key])
        assert r.prompts == PROMPT and r.rc != PAM_SUCCESS, r


# -- config= and site=: the administrator's config.toml chooses the service ----------

def write_config(world, text, mode=0o644, owner="root", name="config.toml"):
    """The administrator's config.toml in <world>/etc (root's, 0755, under the
    world's root-owned 0755 directory and the sticky /tmp)."""
    d = os.path.join(world.root, "etc")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    world.chown(path, owner)
    return path


def two_sites(world, default="down"):
    """Site `work` is the emulator; site `down` a port nobody answers on."""
    return (f'default_site = "{default}"\n\n'
            f'[sites.down]\ndomain = "127.0.0.1:{closed_port()}"\n\n'
            f'[sites.work]\ndomain = "{world.em.domain}"\n')


def site_stack(world, *args, name="auth", bind="match=username", timeout=10):
    """An auth line without domain=: the site chooses the service."""
    line = [f"ca={world.ca}", f"helper={HELPER}", f"timeout={timeout}", *args]
    if bind:
        line.append(bind)
    return world.service(name, "auth required MODULE " + " ".join(line))


def test_site_chooses_where_keys_are_verified(world):
    """site=work verifies at work's domain (the only place the emulator
    answers); the file's default_site is a port nobody answers on."""
    path = write_config(world, two_sites(world))
    key = world.em.mint_key(username="alice")
    site_stack(world, f"config={path}", "site=work")
    authenticate(world, key)
    assert len(account_requests(world)) == 1
    site_stack(world, f"config={path}", f"site={world.em.domain}")  # by domain
    authenticate(world, key)
    site_stack(world, f"config={path}", timeout=5)  # default_site: down
    r = authenticate(world, key, expect=PAM_AUTHINFO_UNAVAIL)
    assert "cannot verify the key" in r.log, r
    assert len(account_requests(world)) == 2


def test_unknown_site_fails_closed(world):
    """An unknown site= never falls back to default_site (here the emulator,
    which would have said yes) or the default domain."""
    path = write_config(world, two_sites(world, default="work"))
    site_stack(world, f"config={path}", "site=nosuch")
    r = authenticate(world, world.em.mint_key(username="alice"),
                     expect=PAM_AUTHINFO_UNAVAIL)
    assert "no site 'nosuch'" in r.log and "down, work" in r.log, r
    assert account_requests(world) == []


@pytest.mark.parametrize("args,why", [
    ("site=work", "site= needs config="),
    ("config={config} site=work domain=localhost:1", "domain= and site= both"),
    ("config=etc/config.toml site=work", "invalid value"),
    ("config={config} site=", "invalid value"),
], ids=["no-config", "with-domain", "relative-config", "empty-site"])
def test_site_options_that_cannot_be_meant_fail_closed(world, args, why):
    path = write_config(world, two_sites(world, default="work"))
    site_stack(world, *args.format(config=path).split())
    r = authenticate(world, world.em.mint_key(username="alice"),
                     expect=PAM_SERVICE_ERR)
    assert why in r.log, r
    assert account_requests(world) == []


def test_config_with_domain_takes_the_domains_site(world):
    """domain= alone names the service; config= still supplies that site's
    other settings (here its CA bundle)."""
    path = write_config(world, two_sites(world, default="down").replace(
        f'domain = "{world.em.domain}"\n',
        f'domain = "{world.em.domain}"\nssl_verify = "{world.ca}"\n'))
    world.service("auth", "auth required MODULE " + " ".join([
        f"config={path}", f"domain={world.em.domain}", f"helper={HELPER}",
        "match=username"]))
    authenticate(world, world.em.mint_key(username="alice"))


@needs_root  # else every file is refused as not root's, hiding the reason tested
@pytest.mark.parametrize("how", ["user-owned", "group-writable", "world-writable",
                                 "directory-user-owned", "directory-writable",
                                 "symlink", "missing"])
def test_config_others_could_write_is_not_trusted(world, how):
    """The attack: an ordinary user edits (or plants) the file so that the
    site names a server of theirs - the emulator here, which vouches for
    any key it minted - and logs in with a "key" from it. The file and
    every directory above it must be root's and writable only by root."""
    path = write_config(world, two_sites(world, default="work"))
    d = os.path.dirname(path)
    if how == "user-owned":
        world.chown(path, "alice")
    elif how == "group-writable":
        os.chmod(path, 0o664)
    elif how == "world-writable":
        os.chmod(path, 0o666)
    elif how == "directory-user-owned":
        world.chown(d, "alice")
    elif how == "directory-writable":
        os.chmod(d, 0o777)
    elif how == "symlink":
        link = os.path.join(d, "link.toml")
        os.symlink(path, link)
        path = link
    else:
        os.unlink(path)
    site_stack(world, f"config={path}", "site=work")
    r = authenticate(world, world.em.mint_key(username="alice"),
                     expect=PAM_AUTHINFO_UNAVAIL)
    assert f"config={path} not used" in r.log or "no such file" in r.log, r
    assert account_requests(world) == []


def test_users_own_config_toml_does_not_steer_auth(world):
    """alice's ~/.anaconda/config.toml (and one named by the caller's
    ANACONDA_CONFIG_TOML) points every site at a server that says yes:
    the verifier reads only the administrator's file."""
    theirs = (f'default_site = "mine"\n[sites.mine]\ndomain = "{world.em.domain}"\n'
              f'[sites.work]\ndomain = "{world.em.domain}"\n'
              f'[plugin.auth]\ndomain = "{world.em.domain}"\n')
    for home in (world.home("alice"), world.caller_home):
        os.makedirs(os.path.join(home, ".anaconda"), exist_ok=True)
        p = os.path.join(home, ".anaconda", "config.toml")
        with open(p, "w") as f:
            f.write(theirs)
        world.chown(p, "alice")
    admin = write_config(world, f'[sites.work]\ndomain = "127.0.0.1:{closed_port()}"\n')
    env = {"ANACONDA_CONFIG_TOML": os.path.join(world.caller_home, ".anaconda",
                                                "config.toml")}
    key = world.em.mint_key(username="alice")
    for args in ([f"config={admin}", "site=work"], [f"config={admin}"]):
        site_stack(world, *args, timeout=5)
        authenticate(world, key, expect=PAM_AUTHINFO_UNAVAIL, env=env)
    # and without config= the default domain, never the user's choice
    site_stack(world, timeout=5)
    authenticate(world, key, expect=PAM_AUTHINFO_UNAVAIL, env=env)
    assert account_requests(world) == []


def test_store_with_a_site_stores_for_the_sites_domain(world):
    path = write_config(world, two_sites(world))
    key = world.em.mint_key(username="alice")
    site_stack(world, f"config={path}", "site=work", "store")
    r = authenticate(world, key)
    assert "stored the key" in r.log, r
    doc = json.load(open(world.keyring_path("alice")))
    assert list(doc["Anaconda Cloud"]) == [world.em.domain], doc
    world.service("sess", f"session required MODULE config={path} site=work")
    r = world.pam("sess", "alice", [("open_session", PAM_SUCCESS, 0)])
    assert r.env.get("ANACONDA_AUTH_API_KEY") == key, r


@needs_root
def test_secrets_directory_does_not_steer_auth(world, monkeypatch):
    """Rule 13: the domain comes only from the auth line and config=. A
    container's /run/secrets/anaconda_auth_domain (meant for the client
    tools) names a server that says yes to any key; the verifier must not
    ask it. /run is a private tmpfs of this test (a mount namespace)."""
    admin = write_config(world, f'[sites.work]\ndomain = "127.0.0.1:{closed_port()}"\n')
    real_run = subprocess.run
    script = ('mount -t tmpfs -o mode=0755 none /run && mkdir /run/secrets && '
              'printf "%s\\n" "$0" > /run/secrets/anaconda_auth_domain && '
              'chmod 644 /run/secrets/anaconda_auth_domain && exec "$@"')

    def in_namespace(cmd, *a, **kw):
        if cmd and "pam_harness.py" in " ".join(map(str, cmd)):
            cmd = ["unshare", "-m", "--propagation", "private", "sh", "-c", script,
                   world.em.domain, *cmd]
        return real_run(cmd, *a, **kw)

    monkeypatch.setattr(subprocess, "run", in_namespace)
    key = world.em.mint_key(username="alice")
    site_stack(world, f"config={admin}", "site=work", timeout=5)
    authenticate(world, key, expect=PAM_AUTHINFO_UNAVAIL)
    assert account_requests(world) == []
