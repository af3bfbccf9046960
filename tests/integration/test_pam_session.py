# SPDX-License-Identifier: BSD-3-Clause
"""A person logs in and pam_anaconda's session hook puts their stored API key
into the session environment (or tells them it is about to expire / has
expired), through the real libpam with pam_wrapper and nss_wrapper.

Most stacks here hold only pam_anaconda, so the stack result is the module's
own answer: PAM_IGNORE shows up as PAM_PERM_DENIED (libpam's rule for a stack
where every module ignored)."""
import os
import subprocess
import time

import pytest

from conftest import make_jwt, needs_root, token_info_b64
from pam_harness import (MODULE, PAM_IGNORE, PAM_SERVICE_ERR,
                         PAM_SESSION_ERR, PAM_SILENT, PAM_SUCCESS,
                         STACK_ALL_IGNORED, USERS, PamWorld,
                         pam_wrapper_lock)

DAY = 86400
ENVVAR = "ANACONDA_AUTH_API_KEY"  # the name 0.15 reads without a warning

pytestmark = [
    pytest.mark.skipif(not os.path.exists(MODULE),
                       reason="pam_anaconda.so is not built"),
]


@pytest.fixture
def world():
    w = PamWorld()
    try:
        yield w
    finally:
        w.cleanup()


def session_only(world, *args):
    """A stack with only our module, so its own return code is visible."""
    return world.service("sess", "session required MODULE " + " ".join(args))


def entry(key, domain="anaconda.cloud"):
    return {domain: token_info_b64(domain, key)}


def open_session(world, user="alice", expect=PAM_SUCCESS, flags=0,
                 service="sess", **kw):
    r = world.pam(service, user, [("open_session", expect, flags)], **kw)
    assert r.rc == expect, r
    return r


def assert_no_secret(r, *secrets):
    for s in secrets:
        assert s not in r.log, r
        assert s not in "".join(r.info + r.errors), r


# -- the key arrives ----------------------------------------------------------

def test_valid_key_is_exported_quietly(world):
    key = make_jwt(sub="alice", exp=int(time.time()) + 300 * DAY)
    world.write_keyring("alice", entry(key))
    session_only(world)
    r = open_session(world)
    assert r.env.get(ENVVAR) == key, r
    assert r.info == [], r
    assert_no_secret(r, key)


def test_key_comes_from_the_passwd_home_not_from_HOME(world):
    mine, callers = make_jwt(sub="alice"), make_jwt(sub="caller")
    world.write_keyring("alice", entry(mine))
    os.makedirs(os.path.join(world.caller_home, ".anaconda"))
    with open(os.path.join(world.caller_home, ".anaconda", "keyring"), "w") as f:
        f.write('{"Anaconda Cloud": %s}' % (
            '{"anaconda.cloud": "%s"}' % token_info_b64("anaconda.cloud", callers)))
    session_only(world)
    r = open_session(world, env={"XDG_CONFIG_HOME": world.caller_home})
    assert r.env.get(ENVVAR) == mine, r


def test_each_user_gets_their_own_key(world):
    ka, kb = make_jwt(sub="alice"), make_jwt(sub="bob")
    world.write_keyring("alice", entry(ka))
    world.write_keyring("bob", entry(kb))
    session_only(world)
    assert open_session(world, "alice").env[ENVVAR] == ka
    assert open_session(world, "bob").env[ENVVAR] == kb


def test_legacy_domain_entry_is_found_as_an_alias(world):
    key = make_jwt()
    world.write_keyring("alice", entry(key, "anaconda.com"))
    session_only(world)
    assert open_session(world).env.get(ENVVAR) == key


def test_domain_option_selects_the_entry(world):
    ours, other = make_jwt(sub="ours"), make_jwt(sub="other")
    world.write_keyring("alice", {**entry(other),
                                  **entry(ours, "cloud.example.org")})
    session_only(world, "domain=cloud.example.org")
    assert open_session(world).env.get(ENVVAR) == ours
    session_only(world, "domain=missing.example.org")
    open_session(world, expect=STACK_ALL_IGNORED)


def test_a_key_without_expiry_is_exported(world):
    world.write_keyring("alice", entry("opaque-api-key-123"))
    session_only(world)
    r = open_session(world)
    assert r.env.get(ENVVAR) == "opaque-api-key-123" and r.info == [], r


def test_envvar_option_names_the_variable(world):
    key = make_jwt()
    world.write_keyring("alice", entry(key))
    session_only(world, "envvar=MY_ANACONDA_KEY")
    r = open_session(world)
    assert r.env.get("MY_ANACONDA_KEY") == key and ENVVAR not in r.env, r


def test_envvar_legacy_exports_the_seed_era_name(world):
    key = make_jwt()
    world.write_keyring("alice", entry(key))
    session_only(world, "envvar=legacy")
    r = open_session(world)
    assert r.env.get("ANACONDA_CLOUD_API_KEY") == key and ENVVAR not in r.env, r


def test_export_none_only_checks(world):
    key = make_jwt(exp=int(time.time()) + 2 * DAY)
    world.write_keyring("alice", entry(key))
    session_only(world, "export=none")
    r = open_session(world)
    assert r.env == {} or ENVVAR not in r.env, r
    assert len(r.info) == 1 and "expires in 2 days" in r.info[0], r


def test_keyring_option_is_relative_to_home(world):
    key = make_jwt()
    world.write_keyring("alice", entry(key), rel="etc/anaconda/keys.json")
    session_only(world, "keyring=etc/anaconda/keys.json")
    assert open_session(world).env.get(ENVVAR) == key


def test_real_stack_with_optional_line_exports_and_never_blocks(world):
    key = make_jwt()
    world.write_keyring("alice", entry(key))
    world.service("login", "session optional MODULE",
                  "session required pam_permit.so")
    r = open_session(world, service="login")
    assert r.env.get(ENVVAR) == key
    # bob has no keyring: the login still succeeds, nothing exported
    r = open_session(world, "bob", service="login")
    assert ENVVAR not in (r.env or {}), r


# -- expiry -------------------------------------------------------------------

def test_expiring_key_is_exported_with_a_warning(world):
    key = make_jwt(exp=int(time.time()) + 3 * DAY)
    world.write_keyring("alice", entry(key))
    session_only(world)
    r = open_session(world)
    assert r.env.get(ENVVAR) == key, r
    assert len(r.info) == 1, r
    assert "expires in 3 days" in r.info[0] and "anaconda-auth login" in r.info[0]
    assert_no_secret(r, key)


def test_key_expiring_within_the_day(world):
    world.write_keyring("alice", entry(make_jwt(exp=int(time.time()) + 3600)))
    session_only(world)
    r = open_session(world)
    assert "less than a day" in r.info[0], r


def test_silent_flag_and_quiet_option_suppress_the_warning(world):
    key = make_jwt(exp=int(time.time()) + 3 * DAY)
    world.write_keyring("alice", entry(key))
    session_only(world)
    r = open_session(world, flags=PAM_SILENT)
    assert r.info == [] and r.env.get(ENVVAR) == key, r
    session_only(world, "quiet")
    r = open_session(world)
    assert r.info == [] and r.env.get(ENVVAR) == key, r


@pytest.mark.parametrize("warn_days,left_days,warned", [
    (2, 3, False), (0, 1, False), (30, 20, True), (14, 14, True), (14, 15, False)])
def test_warn_days_option(world, warn_days, left_days, warned):
    world.write_keyring("alice", entry(make_jwt(
        exp=int(time.time()) + left_days * DAY - 60)))
    session_only(world, f"warn_days={warn_days}")
    r = open_session(world)
    assert bool(r.info) == warned, r


def test_expired_key_is_not_exported_and_the_person_is_told(world):
    key = make_jwt(exp=int(time.time()) - 60)
    world.write_keyring("alice", entry(key))
    session_only(world)
    r = open_session(world, expect=STACK_ALL_IGNORED)
    assert ENVVAR not in r.env, r
    assert len(r.info) == 1 and "has expired" in r.info[0], r
    assert "anaconda-auth login" in r.info[0]
    assert "expired" in r.log
    assert_no_secret(r, key)
    r = open_session(world, expect=STACK_ALL_IGNORED, flags=PAM_SILENT)
    assert r.info == [], r


# -- nothing to do: PAM_IGNORE with a log line naming path and reason ----------

def test_no_keyring_file(world):
    session_only(world)
    r = open_session(world, expect=STACK_ALL_IGNORED)
    assert ENVVAR not in r.env and r.info == [], r
    assert world.keyring_path("alice") in r.log and "no such file" in r.log, r


def test_no_entry_for_the_domain(world):
    world.write_keyring("alice", entry(make_jwt(), "elsewhere.example.com"))
    session_only(world)
    r = open_session(world, expect=STACK_ALL_IGNORED)
    assert "has no API key for anaconda.com" in r.log, r


def test_entry_without_api_key(world):
    world.write_keyring("alice", {"anaconda.cloud": token_info_b64(
        "anaconda.cloud", None, repo_tokens=[{"org_name": "acme", "token": "t"}])})
    session_only(world)
    open_session(world, expect=STACK_ALL_IGNORED)


@pytest.mark.parametrize("text", [
    '{"Anaconda Cloud": {"anaconda.cloud": "eyJkb21h',   # truncated JSON
    "not json at all",
    '{"Anaconda Cloud": {"anaconda.cloud": "%%%not-base64%%%"}}',
    '{"Anaconda Cloud": ["a list"]}',
    "",
])
def test_unparseable_keyring_is_ignored_even_when_strict(world, text):
    world.write_keyring("alice", text)
    session_only(world, "strict")
    r = open_session(world, expect=STACK_ALL_IGNORED)
    assert ENVVAR not in r.env, r
    assert world.keyring_path("alice") in r.log, r


def test_stored_key_with_bad_characters_is_not_exported(world):
    world.write_keyring("alice", entry('bad key"\nLD_PRELOAD=/tmp/x.so'))
    session_only(world)
    r = open_session(world, expect=STACK_ALL_IGNORED)
    assert ENVVAR not in r.env and "LD_PRELOAD" not in r.env, r
    assert "malformed" in r.log, r


# -- the other entry points -------------------------------------------------------

def test_close_session_setcred_acct_chauthtok(world):
    world.service("all", "session required MODULE", "auth required MODULE",
                  "account required MODULE", "password required MODULE")
    r = world.pam("all", "alice", [("close_session", PAM_SUCCESS),
                                   ("setcred", PAM_SUCCESS)])
    assert r.rc == PAM_SUCCESS, r
    # acct_mgmt and chauthtok say PAM_IGNORE: alone in a stack, that fails
    for op in ("account", "chauthtok"):
        r = world.pam("all", "alice", [(op, STACK_ALL_IGNORED)])
        assert r.rc == STACK_ALL_IGNORED, r


def test_user_without_passwd_entry_is_a_session_error(world):
    session_only(world)
    r = open_session(world, "no-such-user", expect=PAM_SESSION_ERR)
    assert "no-such-user" not in r.log, r   # it may be a mistyped password


# -- options ------------------------------------------------------------------

@pytest.mark.parametrize("bad", [
    "keyring=/etc/shadow", "keyring=../bob/.anaconda/keyring",
    "keyring=.anaconda/../../bob/x", "keyring=dir/", "envvar=1ABC",
    "envvar=A-B", "envvar=", "export=keyring", "warn_days=-1",
    "warn_days=ten", "domain=bad/domain", "timeout=0", "match=sub",
    "usermap=relative/map", "helper=pam_anaconda_verify", "ssl_verify=maybe",
])
def test_known_option_with_bad_value_fails_loudly(world, bad):
    world.write_keyring("alice", entry(make_jwt()))
    session_only(world, bad)
    r = open_session(world, expect=PAM_SERVICE_ERR)
    assert "invalid value: " + bad in r.log, r
    assert ENVVAR not in (r.env or {}), r


def test_unknown_option_is_logged_and_ignored(world):
    key = make_jwt()
    world.write_keyring("alice", entry(key))
    session_only(world, "frobnicate", "colour=blue")
    r = open_session(world)
    assert r.env.get(ENVVAR) == key, r
    assert "unknown option, ignored: frobnicate" in r.log, r
    assert "unknown option, ignored: colour=blue" in r.log, r


def test_debug_logs_what_it_did_without_the_key(world):
    key = make_jwt(sub="alice-sub")
    world.write_keyring("alice", entry(key))
    session_only(world, "debug")
    r = open_session(world)
    assert "exporting key for anaconda.cloud" in r.log and "alice-sub" in r.log, r
    assert_no_secret(r, key)
    session_only(world)
    r = open_session(world)
    assert "exporting key" not in r.log, r


def test_auth_only_options_are_accepted_in_session_lines(world):
    key = make_jwt()
    world.write_keyring("alice", entry(key))
    session_only(world, "match=username", "timeout=5", "store", "try_first_pass",
                 "use_first_pass", "ignore_authinfo_unavail", "allow_elevation",
                 "verify_user=_anaconda-auth")
    r = open_session(world)
    assert r.env.get(ENVVAR) == key and "unknown option" not in r.log, r


def test_ignore_code_is_really_ignore(world):
    """PAM_IGNORE (not an error) when there is nothing to do: a `required`
    line followed by pam_permit still lets the session open."""
    world.service("req", "session required MODULE", "session required pam_permit.so")
    r = open_session(world, service="req")
    assert r.rc == PAM_SUCCESS and PAM_IGNORE != PAM_SUCCESS


# -- a real login program --------------------------------------------------------

@needs_root  # su is setuid root; as a user it asks for alice's password
@pytest.mark.skipif(not os.path.exists("/usr/bin/su"), reason="util-linux su missing")
def test_su_login_shell_sees_the_key(world):
    """util-linux `su - alice` (as root: pam_rootok) with the module in its
    session stack: the key is in alice's login shell, which runs as alice."""
    key = make_jwt(sub="alice")
    world.write_keyring("alice", entry(key))
    for svc in ("su", "su-l"):
        world.service(svc, "auth sufficient pam_rootok.so",
                      "account required pam_permit.so",
                      "session required pam_permit.so",
                      "session optional MODULE")
    env = world.env()
    env.pop("PAM_WRAPPER_DEBUGLEVEL")
    with pam_wrapper_lock():
        p = subprocess.run(["su", "-", "alice", "-c",
                            'id -u; printenv ANACONDA_AUTH_API_KEY; echo "$HOME"'],
                           capture_output=True, text=True, env=env, timeout=60,
                           cwd=world.root)
    assert p.returncode == 0, p
    assert p.stdout.split("\n")[:3] == [str(USERS["alice"][0]), key,
                                         world.home("alice")], p


# -- config= and site=: the key of the site auth verifies at ------------------------

def write_config(world, text, owner="root", mode=0o644):
    """The administrator's config.toml in <world>/etc (root's, 0755)."""
    d = os.path.join(world.root, "etc")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    path = os.path.join(d, "config.toml")
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    world.chown(path, owner)
    return path


SITES = ('default_site = "work"\n[sites.work]\ndomain = "https://Work.Example:8443/x"\n'
         '[sites.lab]\ndomain = "lab.example"\n')


def two_keys(world):
    work, default = make_jwt(sub="work"), make_jwt(sub="default")
    world.write_keyring("alice", {**entry(work, "work.example:8443"),
                                  **entry(default)})
    return work, default


@pytest.mark.parametrize("site", ["site=work", "site=work.example:8443", None],
                         ids=["by-name", "by-domain", "default_site"])
def test_site_chooses_which_key_is_exported(world, site):
    work, default = two_keys(world)
    path = write_config(world, SITES)
    session_only(world, f"config={path}", *([site] if site else []))
    r = open_session(world)
    assert r.env.get(ENVVAR) == work, r
    assert_no_secret(r, work, default)


def test_site_without_a_key_exports_nothing_else(world):
    """lab has no stored key: nothing is exported, not the default's."""
    _, default = two_keys(world)
    session_only(world, f"config={write_config(world, SITES)}", "site=lab")
    r = open_session(world, expect=STACK_ALL_IGNORED)
    assert ENVVAR not in (r.env or {}), r


def test_unknown_site_exports_nothing(world):
    two_keys(world)
    session_only(world, f"config={write_config(world, SITES)}", "site=nosuch")
    r = open_session(world, expect=PAM_SESSION_ERR)
    assert "no site 'nosuch'" in r.log and "work, lab" in r.log, r
    assert ENVVAR not in (r.env or {}), r


def test_site_without_config_is_a_configuration_error(world):
    two_keys(world)
    session_only(world, "site=work")
    r = open_session(world, expect=PAM_SERVICE_ERR)
    assert "site= needs config=" in r.log, r


@needs_root  # else every file is refused as not root's
def test_session_config_others_could_write_is_not_trusted(world):
    two_keys(world)
    session_only(world, f"config={write_config(world, SITES, owner='alice')}",
                 "site=work")
    r = open_session(world, expect=PAM_SESSION_ERR)
    assert "not used" in r.log and "not owned by root" in r.log, r
    assert ENVVAR not in (r.env or {}), r


def test_plugin_auth_domain_without_sites_exports_that_domains_key(world):
    """With no [sites.*], the verifier (the library) takes [plugin.auth]'s
    domain; the session must export the key of that domain, never the
    default domain's (another domain's key)."""
    work, default = two_keys(world)
    path = write_config(world, '[plugin.auth]\ndomain = "work.example:8443"\n')
    session_only(world, f"config={path}")
    r = open_session(world)
    assert r.env.get(ENVVAR) == work, r
    assert_no_secret(r, work, default)
