# SPDX-License-Identifier: BSD-3-Clause
"""git credential fill/approve/reject through the real git with
git-credential-anaconda configured by `git config`, next to git's own
`store` helper; and the helper's own edge cases (hostile input, hosts,
configure/unconfigure, --login)."""
import os
import shutil
import subprocess
import time

import pytest

from conftest import BIN, make_jwt
from git_env import GitEnv, parse_credential, run_on_pty

HELPER = os.path.join(BIN, "git-credential-anaconda")
# what `configure` writes by default: the helper's own path, symlinks resolved
HELPER_PATH = os.path.realpath(HELPER)


def no_warning_but_build_tree(r):
    """configure run from the build tree warns about that, and only that."""
    return all("is in a build tree" in line for line in r.stderr.splitlines())
HOST = "anaconda.com"  # the default domain
URL = f"https://{HOST}/org/repo.git"

pytestmark = pytest.mark.skipif(not os.path.exists(HELPER),
                                reason="git-credential-anaconda not built")


@pytest.fixture
def git(env):
    return GitEnv(env, BIN)


def login(env, key, domain=None):
    extra = {"ANACONDA_AUTH_DOMAIN": domain} if domain else None
    r = env.run("anaconda-auth", "login", "--with-api-key", input=key + "\n",
                env=extra)
    assert r.returncode == 0, r
    return key


def stored_key(env, domain=HOST):
    try:
        return env.stored_info(domain).get("api_key")
    except (FileNotFoundError, KeyError):
        return None


def helper(env, *args, input=b"", extra=None, valgrind=None):
    return env.run(HELPER, *args, input=input, env=extra, valgrind=valgrind)


# ---- get through git ----------------------------------------------------

def test_fill_returns_the_stored_key(env, git):
    key = login(env, make_jwt())
    git.config("credential.helper", "anaconda")
    rc, out, err = git.credential("fill", {"url": URL})
    assert rc == 0, err
    got = parse_credential(out)
    assert got["username"] == "anaconda"
    assert got["password"] == key
    assert got["host"] == HOST
    assert err == ""


def test_fill_keeps_a_username_from_the_url(env, git):
    key = login(env, make_jwt())
    git.config("credential.helper", "anaconda")
    rc, out, err = git.credential("fill", {"url": f"https://alice@{HOST}/r.git"})
    assert rc == 0, err
    got = parse_credential(out)
    assert got["username"] == "alice"
    assert got["password"] == key


FAMILY_HOSTS = ("repo.anaconda.cloud", "id.anaconda.cloud", "anaconda.cloud",
                "repo.anaconda.com", "conda.anaconda.org", "anaconda.org",
                "anaconda.com:8443")


@pytest.mark.parametrize("setup", ["helper for every host", "configure"])
def test_hosts_of_the_family_that_were_not_named_get_nothing(env, git, setup):
    """Any *.anaconda.cloud (or .com, .org) host someone else runs, or the
    domain on another port, is not where the key belongs: git, asked for
    such a host, gets no key from us, whichever way the helper is set up."""
    key = login(env, make_jwt())
    if setup == "configure":
        r = helper(env, "configure")
        assert r.returncode == 0, r
    else:
        git.config("credential.helper", "anaconda")
    for host in FAMILY_HOSTS:
        rc, out, err = git.credential("fill", {"url": f"https://{host}/x.git"})
        assert rc != 0, host
        assert key not in out, host
        assert "password=" not in out, host
    # the domain itself is served
    rc, out, err = git.credential("fill", {"url": URL})
    assert parse_credential(out)["password"] == key, err


def test_named_hosts_are_served_exactly(env, git):
    key = login(env, make_jwt())
    r = helper(env, "configure", "--host", "repo.anaconda.cloud",
               "--host", "git.example.test:8443")
    assert r.returncode == 0, r
    for url in ("https://repo.anaconda.cloud/x.git", "https://git.example.test:8443/x"):
        rc, out, err = git.credential("fill", {"url": url})
        assert parse_credential(out)["password"] == key, (url, err)
    for url in ("https://a.repo.anaconda.cloud/x", "https://git.example.test/x",
                "https://conda.anaconda.org/x"):
        rc, out, err = git.credential("fill", {"url": url})
        assert "password=" not in out, url
    r = helper(env, "--host", "*.anaconda.cloud", "get",
               input="protocol=https\nhost=x.anaconda.cloud\n\n")
    assert r.returncode == 2 and r.stdout == "", r
    assert "--host" in r.stderr


def test_foreign_hosts_pass_through_to_the_store_helper(env, git):
    login(env, make_jwt())
    creds = env.home / "creds"
    creds.write_text("https://gh-user:gh-pass@github.com\n")
    git.config("credential.helper", "anaconda")
    git.config("--add", "credential.helper", f"store --file={creds}")
    rc, out, err = git.credential("fill", {"url": "https://github.com/a/b.git"})
    assert rc == 0, err
    got = parse_credential(out)
    assert (got["username"], got["password"]) == ("gh-user", "gh-pass")
    # our helper said nothing about a host that is not ours
    assert err == ""
    # plain http to an Anaconda host is not answered either
    rc, out, err = git.credential("fill", {"url": f"http://{HOST}/x"})
    assert rc != 0
    assert "password=" not in out


def test_helper_order_decides_who_answers(env, git):
    key = login(env, make_jwt())
    creds = env.home / "creds"
    creds.write_text(f"https://other:stale@{HOST}\n")
    store = f"store --file={creds}"
    git.config("credential.helper", store)
    git.config("--add", "credential.helper", "anaconda")
    _, out, _ = git.credential("fill", {"url": URL})
    assert parse_credential(out)["password"] == "stale"
    git.config("--unset-all", "credential.helper")
    git.config("credential.helper", "anaconda")
    git.config("--add", "credential.helper", store)
    _, out, _ = git.credential("fill", {"url": URL})
    assert parse_credential(out)["password"] == key


def test_configure_keeps_the_key_out_of_generic_helpers(env, git):
    key = login(env, make_jwt())
    creds = env.home / "creds"
    git.config("credential.helper", f"store --file={creds}")
    r = helper(env, "configure")
    assert r.returncode == 0, r
    rc, out, err = git.credential("fill", {"url": URL})
    assert rc == 0, err
    assert parse_credential(out)["password"] == key
    # git approves after a success: without the reset line `store` would
    # now write the key in plain text
    rc, _, err = git.credential("approve", out)
    assert rc == 0, err
    assert not creds.exists() or key not in creds.read_text()
    # a host named with --host gets the same protection
    r = helper(env, "configure", "--host", "repo.anaconda.cloud")
    assert r.returncode == 0, r
    _, out, _ = git.credential("fill", {"url": "https://repo.anaconda.cloud/x"})
    assert parse_credential(out)["password"] == key
    git.credential("approve", out)
    assert not creds.exists() or key not in creds.read_text()
    # a foreign host still reaches store
    git.credential("approve", {"protocol": "https", "host": "github.com",
                               "username": "u", "password": "p"})
    assert "github.com" in creds.read_text()


def test_without_reset_approve_copies_the_key_to_store(env, git):
    """Why configure writes the empty reset line: the plain chain leaks."""
    key = login(env, make_jwt())
    creds = env.home / "creds"
    git.config("credential.helper", f"store --file={creds}")
    git.config("--add", "credential.helper", "anaconda")
    _, out, _ = git.credential("fill", {"url": URL})
    git.credential("approve", out)
    assert key in creds.read_text()


# ---- store / erase through git -----------------------------------------

def test_approve_stores_a_key_only_when_none_is_stored(env, git):
    git.config("credential.helper", "anaconda")
    first = make_jwt(sub="me", iat=1700000000)
    # nothing stored: kept, and said (the account, never the key)
    rc, _, err = git.credential("approve", {"url": URL, "username": "x",
                                            "password": first})
    assert rc == 0, err
    assert stored_key(env) == first
    assert err.splitlines() == [
        f"git-credential-anaconda: stored the API key git used for {HOST} "
        "(account sub:me); run 'anaconda-auth login' to use another account"]
    # the same key again (git approves every success): nothing to say
    rc, _, err = git.credential("approve", {"url": URL, "username": "x",
                                            "password": first})
    assert rc == 0 and err == "", err
    # a new key naming the same account: an unverified `sub` proves nothing
    new = make_jwt(sub="me", iat=1750000000)
    rc, _, err = git.credential("approve", {"url": URL, "username": "x",
                                            "password": new})
    assert rc == 0, err
    assert stored_key(env) == first
    assert "ignored the key git offered" in err
    assert new not in err


@pytest.mark.parametrize("stored", ["valid", "not a JWT", "no sub"])
def test_approve_never_swaps_the_account(env, git, stored):
    """A key for another account (from a URL, a submodule, a server) is not
    the person choosing an account: it is ignored, with one line saying so.
    The same for a key naming the person's own account: anyone can write a
    JWT with a given `sub`."""
    old = login(env, {"valid": make_jwt(sub="me"),
                      "not a JWT": "plain-api-key-1234",
                      "no sub": make_jwt(extra={"sub": None})}[stored])
    before = env.keyring.read_text()
    git.config("credential.helper", "anaconda")
    for attacker in (make_jwt(sub="attacker"), make_jwt(sub="me", iat=1)):
        rc, _, err = git.credential("approve", {"url": URL, "username": "x",
                                                "password": attacker})
        assert rc == 0, err
        assert stored_key(env) == old
        assert env.keyring.read_text() == before
        lines = [ln for ln in err.splitlines() if "git-credential-anaconda" in ln]
        assert len(lines) == 1, err
        assert "anaconda-auth login" in lines[0] and "account" in lines[0]
        assert attacker not in err


def test_approve_replaces_an_expired_key(env, git):
    old = make_jwt(sub="me", exp=int(time.time()) - 60)
    env.write_keyring({"Anaconda Cloud": {HOST: _b64info(old)}})
    git.config("credential.helper", "anaconda")
    other = make_jwt(sub="someone-else")
    rc, _, err = git.credential("approve", {"url": URL, "username": "x",
                                            "password": other})
    assert rc == 0, err
    assert stored_key(env) == other
    # the person hears whose key they now use
    assert "stored the API key git used for" in err
    assert "(account sub:someone-else)" in err and other not in err


@pytest.mark.parametrize("password", ["hunter2", "expired", "no-exp", ""])
def test_approve_ignores_what_is_not_a_fresh_key(env, git, password):
    old = login(env, make_jwt())
    password = {"expired": make_jwt(exp=int(time.time()) - 60),
                "no-exp": make_jwt(exp=False)}.get(password, password)
    git.config("credential.helper", "anaconda")
    git.credential("approve", {"url": URL, "username": "x",
                               "password": password})
    assert stored_key(env) == old


def test_approve_for_a_foreign_host_stores_nothing(env, git):
    git.config("credential.helper", "anaconda")
    git.credential("approve", {"url": "https://github.com/x", "username": "x",
                               "password": make_jwt()})
    assert not env.keyring.exists()


def test_reject_erases_only_the_matching_key(env, git):
    key = login(env, make_jwt())
    git.config("credential.helper", "anaconda")
    for other in ("different", key + "x"):
        git.credential("reject", {"url": URL, "username": "anaconda",
                                  "password": other})
        assert stored_key(env) == key
    # no password at all: we cannot know which key failed
    git.credential("reject", {"url": URL, "username": "anaconda"})
    assert stored_key(env) == key
    rc, _, err = git.credential("reject", {"url": URL, "username": "anaconda",
                                           "password": key})
    assert rc == 0
    assert "removed" in err and "anaconda-auth login" in err
    assert stored_key(env) is None
    # the next get has nothing and says what to do
    rc, out, err = git.credential("fill", {"url": URL})
    assert rc != 0
    assert "password=" not in out
    assert "anaconda-auth login" in err


def test_reject_never_erases_when_the_store_is_unreadable(env, git):
    key = make_jwt()
    env.write_keyring("{broken json")
    git.config("credential.helper", "anaconda")
    git.credential("reject", {"url": URL, "password": key})
    assert env.keyring.read_text() == "{broken json"


def test_expired_key_gives_nothing_and_says_login(env, git):
    login_expired = make_jwt(exp=int(time.time()) - 60)
    env.write_keyring({"Anaconda Cloud": {HOST: _b64info(login_expired)}})
    git.config("credential.helper", "anaconda")
    rc, out, err = git.credential("fill", {"url": URL})
    assert rc != 0
    assert "password=" not in out
    assert "expired" in err and "anaconda-auth login" in err
    assert len([ln for ln in err.splitlines()
                if ln.startswith("git-credential-anaconda")]) == 1


def _b64info(key):
    from conftest import token_info_b64
    return token_info_b64(HOST, key)


# ---- the helper directly: protocol details and hostile input -------------

def test_get_reports_expiry_and_bearer(env):
    exp = int(time.time()) + 3600
    key = login(env, make_jwt(exp=exp))
    r = helper(env, "get", input=f"protocol=https\nhost={HOST}\n\n")
    assert r.stdout == (f"username=anaconda\npassword={key}\n"
                        f"password_expiry_utc={exp}\n")
    r = helper(env, "get", input="capability[]=authtype\r\nprotocol=https\r\n"
               f"host={HOST}\r\n\r\n")
    assert r.stdout == ("capability[]=authtype\nauthtype=Bearer\n"
                        f"credential={key}\npassword_expiry_utc={exp}\n")
    r = helper(env, "--username", "bob", "get",
               input=f"protocol=https\nhost={HOST}\n")
    assert r.stdout.startswith("username=bob\n")


@pytest.mark.parametrize("bad", [
    b"protocol=https\nhost=anaconda.cloud\npassword=a\x00b\n\n",
    b"protocol=https\nhost=anaconda.cloud\rhost=evil\npassword=x\n\n",
    b"protocol=https\nhost=anaconda.cloud\nwwwauth[]=" + b"A" * 70000 + b"\n\n",
    b"protocol=https\nhost=anaconda.cloud\nno-equals-sign\n\n",
], ids=["nul", "bare-cr", "long-line", "no-equals"])
@pytest.mark.parametrize("action", ["get", "store", "erase"])
def test_hostile_input_is_refused_whole(env, bad, action):
    key = login(env, make_jwt())
    before = env.keyring.read_text()
    fresh = make_jwt(sub="attacker").encode()
    r = helper(env, action, input=bad.replace(b"password=x",
                                              b"password=" + fresh))
    assert r.returncode == 1
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith("git-credential-anaconda: ")
    assert env.keyring.read_text() == before
    assert key not in r.stderr


def test_unknown_keys_and_actions_are_ignored(env):
    key = login(env, make_jwt())
    r = helper(env, "get", input=f"protocol=https\nfuture[]=1\nhost={HOST}\n"
               "wwwauth[]=Basic realm=x\nwwwauth[]=Bearer\nx=y=z\n\n")
    assert r.returncode == 0
    assert f"password={key}\n" in r.stdout
    r = helper(env, "frobnicate", input=f"protocol=https\nhost={HOST}\n\n")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_never_reads_dotenv(env):
    key = login(env, make_jwt())
    (env.cwd / ".env").write_text("ANACONDA_AUTH_DOMAIN=evil.example\n"
                                  "ANACONDA_AUTH_API_KEY=from-dotenv\n")
    r = helper(env, "get", input=f"protocol=https\nhost={HOST}\n\n")
    assert f"password={key}\n" in r.stdout
    r = helper(env, "get", input="protocol=https\nhost=evil.example\n\n")
    assert r.stdout == ""


def test_domain_flag_names_the_one_host(env):
    key = login(env, make_jwt(), domain="git.example.test:8443")
    inp = "protocol=https\nhost={}\n\n".format
    narrow = ("--domain", "git.example.test:8443")
    r = helper(env, *narrow, "get", input=inp("git.example.test:8443"))
    assert f"password={key}\n" in r.stdout
    for other in ("sub.git.example.test:8443", "git.example.test",
                  "anaconda.cloud", "git.example.test:9443"):
        r = helper(env, *narrow, "get", input=inp(other))
        assert (r.stdout, r.stderr) == ("", ""), other
        # the same domain from the environment: the same single host
        r = helper(env, "get", input=inp(other),
                   extra={"ANACONDA_AUTH_DOMAIN": "git.example.test:8443"})
        assert (r.stdout, r.stderr) == ("", ""), other
    r = helper(env, *narrow, "--host", "sub.git.example.test:8443", "get",
               input=inp("sub.git.example.test:8443"))
    assert f"password={key}\n" in r.stdout


def test_a_bad_setting_is_only_reported_for_anaconda_hosts(env):
    bad = {"ANACONDA_AUTH_USE_DEVICE_FLOW": "maybe"}
    r = helper(env, "get", input="protocol=https\nhost=github.com\n\n",
               extra=bad)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    r = helper(env, "get", input=f"protocol=https\nhost={HOST}\n\n",
               extra=bad)
    assert r.returncode == 2
    assert "ANACONDA_AUTH_USE_DEVICE_FLOW" in r.stderr


def test_a_bad_setting_is_reported_for_the_oldest_domain_variable(env):
    """The fallback that decides whether a request is Anaconda's when the
    settings did not load reads the domain as the settings do, through all
    its names: ANACONDA_CLOUD_API_DOMAIN (the oldest) too."""
    bad = {"ANACONDA_AUTH_USE_DEVICE_FLOW": "maybe",
           "ANACONDA_CLOUD_API_DOMAIN": "git.example.test"}
    r = helper(env, "get", input="protocol=https\nhost=git.example.test\n\n",
               extra=bad)
    assert r.returncode == 2, r
    assert "ANACONDA_AUTH_USE_DEVICE_FLOW" in r.stderr
    r = helper(env, "get", input=f"protocol=https\nhost={HOST}\n\n", extra=bad)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", ""), r


def test_help_documents_exit_codes(env):
    r = helper(env, "--help")
    assert r.returncode == 0
    assert "Exit codes" in r.stdout
    assert "--by-name" in r.stdout
    r = helper(env, "--bogus", "get")
    assert r.returncode == 2


# ---- configure / unconfigure -------------------------------------------

def helpers_in(git, cfg, url):
    _, out, _ = git.run("config", "--file", str(cfg), "--get-all",
                        f"credential.{url}.helper")
    return out.splitlines()


PINNED = f"{HELPER_PATH} --domain {HOST}"


def test_configure_replaces_the_wide_entries_of_earlier_versions(env, git, tmp_path):
    """Earlier versions configured every *.anaconda.{cloud,com,org} host:
    configure (and unconfigure) takes those entries out."""
    cfg = tmp_path / "gitconfig"
    wide = ["https://anaconda.com", "https://*.anaconda.cloud",
            "https://anaconda.cloud", "https://*.anaconda.com",
            "https://anaconda.org", "https://*.anaconda.org"]
    for url in wide:
        for value in ("", HELPER_PATH):
            git.run("config", "--file", str(cfg), "--add",
                    f"credential.{url}.helper", value, check=True)
    git.run("config", "--file", str(cfg), "--add",
            "credential.https://*.anaconda.org.helper", "theirs", check=True)
    r = helper(env, "configure", "--file", str(cfg))
    assert r.returncode == 0, r
    assert helpers_in(git, cfg, "https://anaconda.com") == ["", PINNED]
    for url in wide[1:]:
        assert helpers_in(git, cfg, url) == (["theirs"] if "org" in url and "*" in url
                                             else []), url
    r = helper(env, "unconfigure", "--file", str(cfg))
    assert r.returncode == 0, r
    rc, out, _ = git.run("config", "--file", str(cfg), "--list")
    assert out.strip() == "credential.https://*.anaconda.org.helper=theirs"


def test_configure_and_unconfigure_with_git_config(env, git, tmp_path):
    cfg = tmp_path / "gitconfig"
    cfg.write_text('[credential "https://anaconda.com"]\n'
                   "\tusername = keep-me\n\thelper = other\n")
    for _ in range(2):  # idempotent
        r = helper(env, "configure", "--file", str(cfg))
        assert r.returncode == 0, r
        assert no_warning_but_build_tree(r), r.stderr
    assert helpers_in(git, cfg, "https://anaconda.com") == ["other", "", PINNED]
    # only the domain: no wildcard, no other Anaconda family
    rc, out, _ = git.run("config", "--file", str(cfg), "--list")
    assert out.count(".helper=") == 3, out
    r = helper(env, "unconfigure", "--file", str(cfg))
    assert r.returncode == 0, r
    rc, out, _ = git.run("config", "--file", str(cfg), "--list")
    assert "anaconda.org" not in out
    assert "credential.https://anaconda.com.helper=other" in out
    assert "credential.https://anaconda.com.username=keep-me" in out
    assert "git-credential-anaconda" not in out
    assert "helper=anaconda" not in out


BY_NAME = f"anaconda --domain {HOST}"


def test_configure_by_name_and_back_replaces_the_entries(env, git, tmp_path):
    cfg = tmp_path / "gitconfig"
    for _ in range(2):
        r = helper(env, "configure", "--by-name", "--file", str(cfg))
        assert r.returncode == 0, r
        assert r.stderr == ""
    assert helpers_in(git, cfg, "https://anaconda.com") == ["", BY_NAME]
    r = helper(env, "configure", "--file", str(cfg), "--host", "repo.anaconda.cloud")
    assert r.returncode == 0, r
    assert helpers_in(git, cfg, "https://anaconda.com") == ["", PINNED]
    assert helpers_in(git, cfg, "https://repo.anaconda.cloud") == [
        "", PINNED + " --host repo.anaconda.cloud"]
    r = helper(env, "configure", "--file", str(cfg), "--by-name",
               "--host", "repo.anaconda.cloud")
    assert r.returncode == 0, r
    assert helpers_in(git, cfg, "https://repo.anaconda.cloud") == [
        "", BY_NAME + " --host repo.anaconda.cloud"]
    assert HELPER_PATH not in cfg.read_text()
    r = helper(env, "unconfigure", "--file", str(cfg), "--host", "repo.anaconda.cloud")
    assert r.returncode == 0, r
    assert "helper" not in cfg.read_text()


def test_unconfigure_removes_either_form_and_nothing_else(env, git, tmp_path):
    cfg = tmp_path / "gitconfig"
    url = "credential.https://anaconda.com.helper"
    ours = ["", "anaconda", "anaconda --login", HELPER_PATH,
            "/opt/old-install/git-credential-anaconda",
            "/usr/bin/git-credential-anaconda --domain anaconda.com",
            "/git-credential-anaconda"]
    theirs = ["store", "anaconda-other", "/usr/bin/git-credential-anaconda2",
              "git-credential-anaconda", "!/usr/bin/git-credential-anaconda",
              "/usr/bin/env /opt/git-credential-anaconda",
              "cache --timeout=60"]
    for value in theirs[:3] + ours + theirs[3:]:
        git.run("config", "--file", str(cfg), "--add", url, value, check=True)
    r = helper(env, "unconfigure", "--file", str(cfg))
    assert r.returncode == 0, r
    assert helpers_in(git, cfg, "https://anaconda.com") == theirs


def test_configure_by_path_needs_no_helper_on_path(env, git):
    """git starts the configured path itself, so PATH need not hold it;
    by name, git looks for git-credential-anaconda on PATH."""
    key = login(env, make_jwt())
    no_helper = {"PATH": "/usr/bin:/bin"}
    r = helper(env, "configure")
    assert r.returncode == 0, r
    rc, out, _ = git.run("config", "--global", "--get-all",
                         f"credential.https://{HOST}.helper")
    assert out.splitlines() == ["", PINNED]
    rc, out, err = git.credential("fill", {"url": URL}, env=no_helper)
    assert rc == 0, err
    assert parse_credential(out)["password"] == key
    r = helper(env, "configure", "--by-name")
    assert r.returncode == 0, r
    rc, out, err = git.credential("fill", {"url": URL}, env=no_helper)
    assert "password=" not in out
    assert "credential-anaconda" in err  # git could not find the helper
    rc, out, err = git.credential("fill", {"url": URL})
    assert parse_credential(out)["password"] == key, err


def test_configure_from_an_unsafe_path_falls_back_to_the_name(env, git, tmp_path):
    for odd in ("my bin", "it's", "a$b", "a;b", "a#b", "a(b)", "~a"):
        d = tmp_path / odd
        d.mkdir()
        shutil.copy(HELPER, d / "git-credential-anaconda")
        cfg = tmp_path / "gitconfig"
        r = env.run(str(d / "git-credential-anaconda"), "configure",
                    "--file", str(cfg))
        assert r.returncode == 0, r
        assert "warning" in r.stderr and "contains" in r.stderr, odd
        assert "writing the name 'anaconda' instead" in r.stderr
        assert helpers_in(git, cfg, "https://anaconda.com") == ["", BY_NAME]


def test_configure_through_a_symlink_writes_the_real_path(env, git, tmp_path):
    d = tmp_path / "link dir"
    d.mkdir()
    (d / "git-credential-anaconda").symlink_to(HELPER)
    cfg = tmp_path / "gitconfig"
    r = env.run(str(d / "git-credential-anaconda"), "configure", "--file", str(cfg))
    assert r.returncode == 0, r
    assert no_warning_but_build_tree(r), r.stderr
    assert helpers_in(git, cfg, "https://anaconda.com") == ["", PINNED]


def test_configure_from_the_build_tree_warns(env, git, tmp_path):
    """`make clean` would remove the path configure writes: say so, and how
    to avoid it; an installed copy configures silently."""
    cfg = tmp_path / "gitconfig"
    r = env.run(HELPER, "configure", "--file", str(cfg))
    assert r.returncode == 0, r
    assert "is in a build tree" in r.stderr and "--by-name" in r.stderr, r.stderr
    assert "make install" in r.stderr, r.stderr
    installed = tmp_path / "usr" / "bin"
    installed.mkdir(parents=True)
    shutil.copy(HELPER, installed / "git-credential-anaconda")
    r = env.run(str(installed / "git-credential-anaconda"), "configure", "--file", str(cfg))
    assert r.returncode == 0 and r.stderr == "", r


def test_configure_under_another_name_falls_back_to_the_name(env, git, tmp_path):
    renamed = tmp_path / "gca"
    shutil.copy(HELPER, renamed)
    cfg = tmp_path / "gitconfig"
    r = env.run(str(renamed), "configure", "--file", str(cfg))
    assert r.returncode == 0, r
    assert "does not end in /git-credential-anaconda" in r.stderr
    assert helpers_in(git, cfg, "https://anaconda.com") == ["", BY_NAME]


def test_configure_with_domain_writes_that_domain(env, git):
    r = helper(env, "configure", "--global", "--domain", "localhost:8443")
    assert r.returncode == 0, r
    rc, out, _ = git.run("config", "--global", "--get-regexp", "helper")
    lines = out.splitlines()
    assert (f"credential.https://localhost:8443.helper {HELPER_PATH} "
            "--domain localhost:8443") in lines
    assert not any("anaconda.com" in ln for ln in lines)
    assert len([ln for ln in lines if ln.startswith("credential.")]) == 2
    r = helper(env, "configure", "--by-name", "--domain", "localhost:8443")
    assert r.returncode == 0, r
    rc, out, _ = git.run("config", "--global", "--get-all",
                         "credential.https://localhost:8443.helper")
    assert out.splitlines() == ["", "anaconda --domain localhost:8443"]


def test_configure_from_the_environment_pins_the_domain(env, git):
    """The domain's own entries carry --domain, so git finds its key even
    when ANACONDA_AUTH_DOMAIN is not set where git runs."""
    r = helper(env, "configure", extra={"ANACONDA_AUTH_DOMAIN": "git.example.test"})
    assert r.returncode == 0, r
    rc, out, _ = git.run("config", "--global", "--get-regexp", "helper")
    lines = out.splitlines()
    assert f"credential.https://git.example.test.helper {HELPER_PATH} --domain git.example.test" in lines
    assert not any("anaconda.com" in ln or "*" in ln for ln in lines), lines
    key = login(env, make_jwt(), domain="git.example.test")
    rc, out, err = git.credential("fill", {"url": "https://git.example.test/r.git"})
    assert parse_credential(out)["password"] == key, err


def test_configure_without_git_says_so(env):
    # (not under valgrind: it would not be found on this PATH either)
    r = helper(env, "configure", extra={"PATH": "/nonexistent"}, valgrind=False)
    assert r.returncode == 1
    assert "git" in r.stderr


# ---- --login --------------------------------------------------------------

def test_login_without_terminal_never_blocks(env):
    p = subprocess.run([HELPER, "--login", "get"],
                       input=f"protocol=https\nhost={HOST}\n\n".encode(),
                       capture_output=True, env=env.vars, timeout=20,
                       start_new_session=True)  # no controlling terminal
    assert p.returncode == 0
    assert p.stdout == b""
    assert b"anaconda-auth login" in p.stderr


def test_login_with_terminal_runs_the_cli_then_answers(env, tmp_path):
    """--login on a terminal runs `anaconda-auth login --device` found next
    to the helper, with the terminal as its stdio and / as its cwd."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shutil.copy(HELPER, bindir / "git-credential-anaconda")
    key = make_jwt(sub="from-login")
    fake = bindir / "anaconda-auth"
    fake.write_text(
        "#!/bin/sh\n"
        'echo "fake login: $* in $(pwd)"\n'
        "[ -t 0 ] && [ -t 1 ] && echo 'stdio is the terminal'\n"
        f"printf '%s' '{key}' | '{BIN}/anaconda-auth' login --with-api-key "
        ">/dev/null 2>&1\n")
    fake.chmod(0o755)
    rc, out, screen = run_on_pty(
        [str(bindir / "git-credential-anaconda"), "--login", "get"],
        env.vars, f"protocol=https\nhost={HOST}\n\n")
    assert rc == 0, screen
    assert f"password={key}\n" in out
    assert "fake login: --domain anaconda.com login --device in /" in screen
    assert "stdio is the terminal" in screen
    # GIT_TERMINAL_PROMPT=0 means nobody may be asked
    env.keyring.unlink()
    rc, out, screen = run_on_pty(
        [str(bindir / "git-credential-anaconda"), "--login", "get"],
        dict(env.vars, GIT_TERMINAL_PROMPT="0"),
        f"protocol=https\nhost={HOST}\n\n")
    assert out == ""
    assert "fake login" not in screen
