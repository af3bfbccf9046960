# SPDX-License-Identifier: BSD-3-Clause
"""A person logs in, then clones and pushes over HTTPS with only
`credential.helper=anaconda`, or with what `git-credential-anaconda
configure` writes (the helper's absolute path): the real git against a
local TLS git server (git http-backend) that accepts the emulator's API keys. A revoked key gets
git's 401, git calls erase, the key is gone, and the next attempt says to
log in."""
import base64
import json
import os
import shutil
import threading
import time

import pytest

from conftest import BIN, make_jwt, token_info_b64
from git_env import GIT, GitEnv, parse_credential, run_on_pty
from git_server import EmulatorKeys, GitServer, make_bare_repo

HELPER = os.path.join(BIN, "git-credential-anaconda")
pytestmark = pytest.mark.skipif(
    not os.path.exists(HELPER) or not shutil.which("git"),
    reason="git-credential-anaconda not built or git missing")


@pytest.fixture
def server(tmp_path, emulator_session):
    """A git server with repo.git, its TLS certificate from the emulator's
    CA, checking keys against the emulator and relaying every other path to
    it (so its host:port is a complete Anaconda domain); public.git, when a
    test creates it, is served to anyone."""
    root = tmp_path / "srv"
    root.mkdir()
    state = emulator_session.state_dir
    srv = GitServer(root, os.path.join(state, "server.pem"),
                    os.path.join(state, "server-key.pem"),
                    EmulatorKeys(emulator_session),
                    upstream=emulator_session.url,
                    upstream_ca=emulator_session.ca_path,
                    public=("public.git",))
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def git(env, server, emulator_session):
    """git as a person would have it: the helper named once, the CA trusted,
    and the git server's host:port as the Anaconda domain (login stores the
    key for it, the helper answers for it)."""
    g = GitEnv(env, BIN, {"ANACONDA_AUTH_DOMAIN": server.domain})
    env.vars["ANACONDA_AUTH_DOMAIN"] = server.domain
    make_bare_repo(server.root, "repo.git", env=g.vars)
    g.config("http.sslCAInfo", emulator_session.ca_path)
    g.config("credential.helper", "anaconda")
    return g


def login(env, key):
    r = env.run("anaconda-auth", "login", "--with-api-key", input=key + "\n")
    assert r.returncode == 0, r
    return key


def stored(env, domain):
    try:
        return env.stored_info(domain).get("api_key")
    except (FileNotFoundError, KeyError):
        return None


def configure_by_path(env, git, server):
    """What `configure` writes, in place of the fixture's helper name; git
    must then start the helper by its path, so PATH no longer holds it."""
    git.config("--unset-all", "credential.helper")
    r = env.run(HELPER, "configure", "--global")
    assert r.returncode == 0, r
    _, out, _ = git.run("config", "--global", "--get-all",
                        f"credential.https://{server.domain}.helper")
    assert out.splitlines() == ["", f"{os.path.realpath(HELPER)} --domain {server.domain}"]
    git.vars["PATH"] = os.pathsep.join(
        d for d in git.vars["PATH"].split(os.pathsep)
        if not os.path.exists(os.path.join(d, "git-credential-anaconda")))


@pytest.mark.parametrize("form", ["by name", "configured by path"])
def test_clone_and_push_with_only_the_helper(env, git, server, emulator_session,
                                             form):
    if form == "configured by path":
        configure_by_path(env, git, server)
    key = login(env, emulator_session.mint_key())
    dest = env.tmp / "clone"
    rc, _, err = git.run("clone", f"{server.url}/repo.git", str(dest))
    assert rc == 0, err
    assert (dest / "README").read_text() == "hello from the test server\n"
    (dest / "NEW").write_text("pushed\n")
    git.run("-C", str(dest), "add", "NEW", check=True)
    git.run("-C", str(dest), "commit", "-q", "-m", "new", check=True)
    rc, _, err = git.run("-C", str(dest), "push", "-q", "origin", "main")
    assert rc == 0, err
    rc, out, err = git.run("--git-dir", os.path.join(server.root, "repo.git"),
                           "log", "--format=%s", "main")
    assert out.split() == ["new", "seed"]
    # git authenticated with Basic (key as the password) and nothing else
    ok = [r for r in server.requests if r["status"] == 200]
    assert ok and all(r["scheme"] == "Basic" for r in ok)
    # git approved the key after each success; it is still the one stored
    assert stored(env, server.domain) == key


def test_server_accepts_the_key_as_bearer(env, git, server, emulator_session):
    key = emulator_session.mint_key()
    rc, out, err = git.run("-c", f"http.extraHeader=Authorization: Bearer {key}",
                           "-c", "credential.helper=", "ls-remote",
                           f"{server.url}/repo.git")
    assert rc == 0, err
    assert "refs/heads/main" in out
    assert any(r["scheme"] == "Bearer" and r["status"] == 200
               for r in server.requests)


def test_no_key_fails_fast_and_says_login(env, git, server):
    rc, _, err = git.run("ls-remote", f"{server.url}/repo.git")
    assert rc != 0
    assert "anaconda-auth login" in err
    assert "terminal prompts disabled" in err


@pytest.mark.parametrize("form", ["by name", "configured by path"])
def test_revoked_key_is_erased_and_next_attempt_says_login(
        env, git, server, emulator_session, form):
    if form == "configured by path":
        configure_by_path(env, git, server)
    key = login(env, emulator_session.mint_key())
    rc, _, err = git.run("ls-remote", f"{server.url}/repo.git")
    assert rc == 0, err
    emulator_session.revoke(key)
    rc, _, err = git.run("ls-remote", f"{server.url}/repo.git")
    assert rc != 0
    assert any(r["status"] == 401 and r["scheme"] == "Basic"
               for r in server.requests)
    # git's reject reached us with the key that failed: it is gone
    assert "refused the stored Anaconda API key" in err
    assert stored(env, server.domain) is None
    rc, out, err = git.credential("fill", {"url": f"{server.url}/repo.git"})
    assert "password=" not in out
    assert "anaconda-auth login" in err
    # logging in again makes git work again
    login(env, emulator_session.mint_key())
    rc, _, err = git.run("ls-remote", f"{server.url}/repo.git")
    assert rc == 0, err


def test_a_failing_password_from_elsewhere_does_not_erase_our_key(
        env, git, server, emulator_session):
    key = login(env, emulator_session.mint_key())
    # the URL carries its own (wrong) password; git rejects that one
    url = f"https://someone:wrong-password@{server.domain}/repo.git"
    rc, _, err = git.run("ls-remote", url)
    assert rc != 0
    assert stored(env, server.domain) == key
    rc, _, err = git.run("ls-remote", f"{server.url}/repo.git")
    assert rc == 0, err


def test_store_helper_in_the_chain_with_configure(env, git, server,
                                                   emulator_session):
    """A generic helper configured first still answers other hosts, while
    the host-scoped entries that `configure` writes keep our key out of it."""
    key = login(env, emulator_session.mint_key())
    creds = env.home / "plain-creds"
    creds.write_text("https://u:p@github.com\n")
    git.config("--unset-all", "credential.helper")
    git.config("credential.helper", f"store --file={creds}")
    r = env.run(HELPER, "configure", "--global", "--domain", server.domain)
    assert r.returncode == 0, r
    dest = env.tmp / "clone2"
    rc, _, err = git.run("clone", "-q", f"{server.url}/repo.git", str(dest))
    assert rc == 0, err
    assert key not in creds.read_text()
    _, out, _ = git.credential("fill", {"url": "https://github.com/a/b"})
    assert parse_credential(out)["password"] == "p"
    assert stored(env, server.domain) == key


def test_clone_on_a_terminal_logs_in_first(env, git, server, emulator_session):
    """credential.helper='anaconda --login': with no key, git's helper runs
    the device-flow login on the person's terminal, then the clone goes on."""
    git.config("--replace-all", "credential.helper", "anaconda --login")
    approved = []
    # the shared emulator may hold codes from earlier tests: wait for ours
    earlier = {d["user_code"] for d in emulator_session.devices()}

    def approve():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            new = [d["user_code"] for d in emulator_session.devices()
                   if d["user_code"] not in earlier]
            if new:
                emulator_session.approve_device(new[0])
                approved.append(new[0])
                return
            time.sleep(0.05)

    t = threading.Thread(target=approve, daemon=True)
    t.start()
    # Discovery is pinned to the auth domain: the login itself happens at
    # the emulator, the key is for the git server's domain.
    vars = dict(git.vars, ANACONDA_AUTH_SSL_VERIFY=emulator_session.ca_path,
                ANACONDA_AUTH_DOMAIN=server.domain,
                ANACONDA_AUTH_AUTH_DOMAIN_OVERRIDE=emulator_session.domain)
    vars.pop("GIT_TERMINAL_PROMPT")  # a person at a terminal
    dest = env.tmp / "clone-login"
    rc, _, screen = run_on_pty([GIT, "clone", "-q", f"{server.url}/repo.git",
                                str(dest)], vars, "", timeout=90,
                               cwd=str(env.cwd))
    t.join(timeout=10)
    assert rc == 0, (screen, run_on_pty.stderr)
    assert approved, screen
    assert approved[0] in screen  # the code was shown on the terminal
    assert (dest / "README").exists()
    assert stored(env, server.domain)


# ---- a key in a URL never replaces the person's account ------------------

def keyring_text(env):
    return env.keyring.read_text() if env.keyring.exists() else ""


def assert_attack_failed(env, server, ours, attacker, err):
    """The attacker's key got through to the server (so git approved it and
    asked us to store it), yet the stored key is still ours and the
    attacker's is nowhere in the store."""
    assert any(r["status"] == 200 and r["scheme"] == "Basic"
               for r in server.requests)
    assert stored(env, server.domain) == ours
    assert attacker not in keyring_text(env)
    ours_lines = [ln for ln in err.splitlines()
                  if ln.startswith("git-credential-anaconda:")]
    assert any("ignored the key git offered" in ln for ln in ours_lines), err
    assert not any(attacker in ln for ln in ours_lines)


def test_submodule_url_with_a_key_does_not_swap_the_account(
        env, git, server, emulator_session):
    """A repository whose submodule URL is https://x:<key>@<our host>/...:
    cloning it recursively must not make the attacker's account ours (conda,
    the CLI and PAM sessions would then use it without a word)."""
    ours = login(env, emulator_session.mint_key())
    attacker = emulator_session.mint_key(username="mallory")
    make_bare_repo(server.root, "sub.git", env=git.vars)
    sub_head = git.run("--git-dir", os.path.join(server.root, "sub.git"),
                       "rev-parse", "main", check=True)[1].strip()
    work = env.tmp / "super-work"
    git.run("init", "-q", "-b", "main", str(work), check=True)
    (work / ".gitmodules").write_text(
        '[submodule "sub"]\n\tpath = sub\n'
        f"\turl = https://x:{attacker}@{server.domain}/sub.git\n")
    git.run("-C", str(work), "add", ".gitmodules", check=True)
    git.run("-C", str(work), "update-index", "--add", "--cacheinfo",
            f"160000,{sub_head},sub", check=True)
    git.run("-C", str(work), "commit", "-q", "-m", "with a submodule", check=True)
    git.run("init", "-q", "--bare", "-b", "main",
            os.path.join(server.root, "super.git"), check=True)
    git.run("-C", str(work), "push", "-q",
            os.path.join(server.root, "super.git"), "main", check=True)
    dest = env.tmp / "victim"
    rc, _, err = git.run("clone", "-q", "--recurse-submodules",
                         f"{server.url}/super.git", str(dest))
    assert rc == 0, err
    assert (dest / "sub" / "README").exists()  # the submodule was fetched
    assert_attack_failed(env, server, ours, attacker, err)
    # and git keeps working with the person's own key
    rc, _, err = git.run("ls-remote", f"{server.url}/repo.git")
    assert rc == 0, err


def test_clone_url_with_a_key_does_not_swap_the_account(
        env, git, server, emulator_session):
    ours = login(env, emulator_session.mint_key())
    attacker = emulator_session.mint_key(username="mallory")
    rc, _, err = git.run("clone", "-q",
                         f"https://x:{attacker}@{server.domain}/repo.git",
                         str(env.tmp / "plain"))
    assert rc == 0, err
    assert_attack_failed(env, server, ours, attacker, err)


def test_clone_url_with_a_new_key_of_the_same_account_is_not_stored(
        env, git, server, emulator_session):
    """Even a key of the person's own account (by its `sub`) does not
    replace a valid stored key: `anaconda-auth login` changes keys."""
    ours = login(env, emulator_session.mint_key(exp=int(time.time()) + 3600))
    newer = emulator_session.mint_key(exp=int(time.time()) + 7200)
    assert jwt_sub(newer) == jwt_sub(ours)
    rc, _, err = git.run("clone", "-q",
                         f"https://x:{newer}@{server.domain}/repo.git",
                         str(env.tmp / "rotated"))
    assert rc == 0, err
    assert_attack_failed(env, server, ours, newer, err)


def jwt_sub(key):
    body = key.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["sub"]


def test_forged_key_of_our_account_on_a_public_repo_changes_nothing(
        env, git, server, emulator_session):
    """A JWT anyone can write (signatures are never checked on our side)
    with the person's `sub`, in the URL of a repository that answers 200
    without looking at it: git asks us to store it; the person's key stays."""
    make_bare_repo(server.root, "public.git", env=git.vars)
    ours = login(env, emulator_session.mint_key())
    forged = make_jwt(sub=jwt_sub(ours))
    rc, out, err = git.run("ls-remote", f"https://x:{forged}@{server.domain}/public.git")
    assert rc == 0, err
    assert "refs/heads/main" in out
    assert any(r["status"] == 200 and r["path"].startswith("/public.git/")
               for r in server.requests)
    assert stored(env, server.domain) == ours
    assert forged not in keyring_text(env)
    ours_lines = [ln for ln in err.splitlines()
                  if ln.startswith("git-credential-anaconda:")]
    assert len(ours_lines) == 1, err
    assert "ignored the key git offered" in ours_lines[0]
    assert forged not in err


def test_a_url_key_in_place_of_an_expired_one_is_stored_and_said(
        env, git, server, emulator_session):
    """Nothing valid is stored, so the key that worked is kept, and the
    person is told which account they now use, without the key itself."""
    expired = emulator_session.mint_key(exp=int(time.time()) - 60)
    env.write_keyring({"Anaconda Cloud": {
        server.domain: token_info_b64(server.domain, expired)}})
    theirs = emulator_session.mint_key(username="mallory")
    rc, _, err = git.run("clone", "-q",
                         f"https://x:{theirs}@{server.domain}/repo.git",
                         str(env.tmp / "after-expiry"))
    assert rc == 0, err
    assert stored(env, server.domain) == theirs
    ours_lines = [ln for ln in err.splitlines()
                  if ln.startswith("git-credential-anaconda:")]
    assert ours_lines == [
        f"git-credential-anaconda: stored the API key git used for "
        f"{server.domain} (account sub:{jwt_sub(theirs)}); "
        f"run 'anaconda-auth login' to use another account"], err
    assert theirs not in err
