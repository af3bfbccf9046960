# SPDX-License-Identifier: BSD-3-Clause
"""A container or CI job gets its key without logging in: the whole keyring
as JSON in ANACONDA_AUTH_KEYRING (0.15's `keyring` setting, read-only, after
the API key and before every store), or a Docker secret file in the secrets
directory. Every front-end serves it; status names where it came from;
writes never touch it and never copy it to disk."""
import json
import os

import pytest

from conftest import BIN, make_jwt, token_info_b64
from git_env import GitEnv, parse_credential

DOMAIN = "anaconda.com"  # an alias of the default domain in every generation
URL = "https://anaconda.com/org/repo.git"
CONDA_URL = "https://repo.anaconda.com/pkgs/main/noarch/repodata.json"
GIT_HELPER = os.path.join(BIN, "git-credential-anaconda")
CONDA_HELPER = os.path.join(BIN, "conda-credential-anaconda")


def fresh_key(sub="ci-bot"):
    return make_jwt(sub=sub, extra={"jti": os.urandom(8).hex()})


def keyring_json(key, domain=DOMAIN, **more):
    doc = {"Anaconda Cloud": {domain: token_info_b64(domain, key)}}
    doc.update(more)
    return json.dumps(doc)


def inline(key, **kw):
    return {"ANACONDA_AUTH_KEYRING": keyring_json(key, **kw)}


def file_keys(env):
    """Every API key in the keyring file (none when there is no file)."""
    if not env.keyring.exists():
        return set()
    entries = env.read_keyring().get("Anaconda Cloud", {})
    return {env.stored_info(d).get("api_key") for d in entries}


def one_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) == 1


# ---- reading ------------------------------------------------------------------

def test_status_says_logged_in_and_names_the_variable(env):
    key = fresh_key()
    r = env.run("anaconda-auth", "status", env=inline(key))
    assert r.returncode == 0, r
    assert "logged in: yes" in r.stdout
    assert "key from:  inline (ANACONDA_AUTH_KEYRING), stored under anaconda.com" in r.stdout
    assert "ANACONDA_AUTH_KEYRING is read-only" in r.stdout
    assert "sub:ci-bot" in r.stdout
    assert key not in r.stdout + r.stderr
    assert not env.keyring.exists()  # reading creates no file
    doc = json.loads(env.run("anaconda-auth", "status", "--json",
                             env=inline(key)).stdout)
    assert doc["logged_in"] is True
    assert doc["source"] == "inline"
    assert doc["source_location"] == "ANACONDA_AUTH_KEYRING"


def test_legacy_variable_name_and_legacy_domain(env):
    """ANACONDA_CLOUD_KEYRING (0.15's legacy prefix), an entry stored under
    the older name anaconda.cloud: the alias family serves it read-only."""
    key = fresh_key()
    r = env.run("anaconda-auth", "status",
                env={"ANACONDA_CLOUD_KEYRING": keyring_json(key, domain="anaconda.cloud"),
                     "ANACONDA_AUTH_DOMAIN": "anaconda.com"})
    assert r.returncode == 0, r
    assert "inline (ANACONDA_CLOUD_KEYRING), stored under anaconda.cloud" in r.stdout


def test_api_key_prints_the_inline_key(env):
    key = fresh_key()
    r = env.run("anaconda-auth", "api-key", env=inline(key))
    assert r.returncode == 0, r
    assert r.stdout.strip() == key


def test_api_key_setting_wins_over_the_inline_keyring(env):
    """0.15's ConfigKeyring builds its entry from api_key first."""
    key, envkey = fresh_key(), fresh_key("from-env")
    extra = dict(inline(key), ANACONDA_AUTH_API_KEY=envkey)
    r = env.run("anaconda-auth", "api-key", env=extra)
    assert r.stdout.strip() == envkey, r
    r = env.run("anaconda-auth", "status", env=extra)
    assert "key from:  env (ANACONDA_AUTH_API_KEY)" in r.stdout, r


def test_inline_keyring_wins_over_the_file(env):
    stored = fresh_key("stored")
    env.write_keyring({"Anaconda Cloud": {"anaconda.cloud": token_info_b64("anaconda.cloud", stored)}})
    key = fresh_key()
    r = env.run("anaconda-auth", "api-key", env=inline(key))
    assert r.stdout.strip() == key, r


def test_a_domain_it_lacks_is_read_from_the_file(env):
    """The inline keyring answers for the domains it holds; another domain
    (here a private one) is still found in the file."""
    own = fresh_key("private")
    env.write_keyring({"Anaconda Cloud": {"example.org": token_info_b64("example.org", own)}})
    r = env.run("anaconda-auth", "api-key",
                env=dict(inline(fresh_key()), ANACONDA_AUTH_DOMAIN="example.org"))
    assert r.returncode == 0 and r.stdout.strip() == own, r


def test_git_credential_fill_gets_it(env):
    key = fresh_key()
    git = GitEnv(env, BIN, extra=inline(key))
    git.config("credential.helper", "anaconda")
    rc, out, err = git.credential("fill", {"url": URL})
    assert rc == 0, err
    assert parse_credential(out)["password"] == key
    assert file_keys(env) == set()


def test_conda_helper_gets_it(env):
    key = fresh_key()
    r = env.run(CONDA_HELPER, "get", CONDA_URL, env=inline(key))
    assert r.returncode == 0, r
    assert r.stdout == f"Authorization: Bearer {key}\n"


def test_whoami_names_the_source(env, emulator):
    key = emulator.mint_key()
    e = dict(emulator.env())
    e["ANACONDA_AUTH_KEYRING"] = keyring_json(key, domain=emulator.domain)
    r = env.run("anaconda-auth", "whoami", env=e)
    assert r.returncode == 0, r
    assert "username: alice" in r.stdout
    assert "key from: ANACONDA_AUTH_KEYRING" in r.stdout
    assert key not in r.stdout + r.stderr


# ---- writes never change it and never copy it to disk -------------------------

def test_git_approve_never_copies_the_inline_key_to_disk(env):
    """The key git got from ANACONDA_AUTH_KEYRING worked and git approves
    it: a container secret must not end up in ~/.anaconda/keyring (a layer
    of the image, a volume) because git said thanks."""
    key = fresh_key()
    git = GitEnv(env, BIN, extra=inline(key))
    git.config("credential.helper", "anaconda")
    rc, _, err = git.credential("approve", {"url": URL, "username": "anaconda",
                                            "password": key})
    assert rc == 0, err
    assert key not in file_keys(env)


def test_git_reject_names_the_variable_and_erases_nothing(env):
    key = fresh_key()
    env.write_keyring({"Anaconda Cloud": {"example.org": token_info_b64("example.org", fresh_key())}})
    before = env.keyring.read_text()
    r = env.run(GIT_HELPER, "erase", env=inline(key),
                input=f"protocol=https\nhost=anaconda.com\nusername=anaconda\n"
                      f"password={key}\n\n")
    assert "ANACONDA_AUTH_KEYRING" in r.stderr, r
    assert key not in r.stderr
    assert env.keyring.read_text() == before


def test_login_with_api_key_stores_in_the_file_and_warns(env):
    """Writes go to the file keyring (as with ANACONDA_AUTH_API_KEY); the
    inline entry still wins, and the person is told so."""
    key, new = fresh_key(), fresh_key("new")
    r = env.run("anaconda-auth", "login", "--with-api-key", input=new + "\n",
                env=inline(key))
    assert r.returncode == 0, r
    assert env.stored_info("anaconda.com")["api_key"] == new
    assert "ANACONDA_AUTH_KEYRING (read-only) is used instead" in r.stderr
    assert key not in r.stderr and new not in r.stderr
    r = env.run("anaconda-auth", "api-key", env=inline(key))
    assert r.stdout.strip() == key


def test_logout_clears_the_file_and_says_the_variable_is_still_in_effect(env):
    key = fresh_key()
    env.write_keyring({"Anaconda Cloud": {"anaconda.cloud": token_info_b64("anaconda.cloud", fresh_key())}})
    r = env.run("anaconda-auth", "logout", env=inline(key))
    assert r.returncode == 0, r
    assert env.read_keyring()["Anaconda Cloud"] == {}
    assert "ANACONDA_AUTH_KEYRING (read-only) is still in effect; unset it to log out" in r.stderr
    r = env.run("anaconda-auth", "status", env=inline(key))
    assert "logged in: yes" in r.stdout


# ---- hostile values -------------------------------------------------------------

HOSTILE = {
    "not json": "{not json",
    "truncated": '{"Anaconda Cloud": {"anaconda.com": "eyJ',
    "a list": "[]",
    "null": "null",
    "a number": "7",
    "service is text": '{"Anaconda Cloud": "eyJhIjoxfQ=="}',
    "other service not an object": '{"Anaconda Cloud": {}, "x": 1}',
    "entry is a number": '{"Anaconda Cloud": {"anaconda.com": 1}}',
    "deep": "[" * 100000,
    "deep object": '{"a":' * 15000 + "1" + "}" * 15000,
    "whitespace": "   ",
    "control bytes": '{"Anaconda Cloud": {"anaconda.com": "\x01\x02"}}',
    "big": json.dumps({"Anaconda Cloud": {f"d{i}.example": "x" * 100 for i in range(1000)},
                       "x": "y" * 1000}) + "[",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_value_is_one_line_and_exit_2(env, name):
    for prog, args in (("anaconda-auth", ("status",)),
                       (CONDA_HELPER, ("get", CONDA_URL))):
        r = env.run(prog, *args, env={"ANACONDA_AUTH_KEYRING": HOSTILE[name]})
        assert r.returncode == 2, (prog, r)
        assert one_line(r.stderr), r
        assert "ANACONDA_AUTH_KEYRING" in r.stderr
        assert r.stdout == ""


@pytest.mark.parametrize("entry", [
    "!!!not base64!!!",
    "aGVsbG8=",                               # base64 of "hello"
    token_info_b64(DOMAIN, None),             # no key in it
])
def test_damaged_entry_is_one_line_naming_the_variable(env, entry):
    value = json.dumps({"Anaconda Cloud": {DOMAIN: entry}})
    r = env.run("anaconda-auth", "api-key", env={"ANACONDA_AUTH_KEYRING": value})
    assert r.returncode in (2, 3), r
    assert one_line(r.stderr), r
    if r.returncode == 2:
        assert "ANACONDA_AUTH_KEYRING: the entry for anaconda.com" in r.stderr
    assert r.stdout == ""
    assert entry not in r.stderr or len(entry) < 9


def test_a_key_that_is_not_a_jwt_is_served_with_unknown_expiry(env):
    """0.15 crashes on a non-JWT key; we serve it and say the expiry is unknown."""
    value = json.dumps({"Anaconda Cloud": {DOMAIN: token_info_b64(DOMAIN, "plain-opaque-key")}})
    r = env.run("anaconda-auth", "status", env={"ANACONDA_AUTH_KEYRING": value})
    assert "logged in: yes" in r.stdout and "expires:   unknown" in r.stdout, r
    r = env.run("anaconda-auth", "api-key", env={"ANACONDA_AUTH_KEYRING": value})
    assert r.stdout.strip() == "plain-opaque-key", r


def test_the_value_is_never_in_a_message(env):
    """A value that is almost a keyring (one stray byte at the end) holds a
    real key: the error names the variable, never a byte of the value."""
    key = fresh_key()
    value = keyring_json(key) + "x"
    r = env.run("anaconda-auth", "status", env={"ANACONDA_AUTH_KEYRING": value})
    assert r.returncode == 2, r
    assert key[:20] not in r.stderr and "eyJ" not in r.stderr


# ---- .env and the helpers -------------------------------------------------------

def test_dotenv_keyring_is_announced_and_helpers_never_read_it(env):
    key = fresh_key()
    (env.cwd / ".env").write_text(f"ANACONDA_AUTH_KEYRING='{keyring_json(key)}'\n")
    r = env.run("anaconda-auth", "api-key")
    assert r.stdout.strip() == key, r
    assert "using the keyring in ANACONDA_AUTH_KEYRING from ./.env" in r.stderr
    assert key not in r.stderr
    r = env.run(CONDA_HELPER, "get", CONDA_URL)
    assert r.returncode == 3 and key not in r.stdout, r


# ---- Docker secrets -------------------------------------------------------------

def test_secrets_dir_api_key_is_named_by_status(env, tmp_path):
    key = fresh_key()
    d = tmp_path / "secrets"
    d.mkdir()
    (d / "anaconda_auth_api_key").write_text(key + "\n")
    r = env.run("anaconda-auth", "status", env={"ANACONDA_SECRETS_DIR": str(d)})
    assert r.returncode == 0, r
    assert "logged in: yes" in r.stdout
    assert str(d / "anaconda_auth_api_key") in r.stdout
    r = env.run("anaconda-auth", "api-key", env={"ANACONDA_SECRETS_DIR": str(d)})
    assert r.stdout.strip() == key


def test_secrets_dir_keyring_file_serves_every_front_end(env, tmp_path):
    key = fresh_key()
    d = tmp_path / "secrets"
    d.mkdir()
    (d / "anaconda_auth_keyring").write_text(keyring_json(key))
    e = {"ANACONDA_SECRETS_DIR": str(d)}
    r = env.run("anaconda-auth", "status", env=e)
    assert "logged in: yes" in r.stdout and "anaconda_auth_keyring" in r.stdout, r
    r = env.run(CONDA_HELPER, "get", CONDA_URL, env=e)
    assert r.stdout == f"Authorization: Bearer {key}\n", r
    r = env.run(GIT_HELPER, "get", env=e, input="protocol=https\nhost=anaconda.com\n\n")
    assert f"password={key}" in r.stdout, r


# ---- no freed copies ------------------------------------------------------------

from test_no_secret_in_freed_memory import Scanner, freescan_so  # noqa: E402,F401

no_freescan = pytest.mark.skipif(
    os.environ.get("AA_SANITIZE") == "1" or os.environ.get("AA_VALGRIND") == "1",
    reason="the free() scanner cannot run beside ASan or under valgrind")


@no_freescan
@pytest.mark.parametrize("prog,args,inp", [
    ("anaconda-auth", ("status",), None),
    ("anaconda-auth", ("api-key",), None),
    (GIT_HELPER, ("get",), "protocol=https\nhost=anaconda.com\n\n"),
    (CONDA_HELPER, ("get", CONDA_URL), None),
], ids=["status", "api-key", "git-get", "conda-get"])
def test_no_freed_copy_of_the_inline_key(env, freescan_so, tmp_path, prog, args, inp):
    """The setting is parsed twice (settings, then the keyring layer) and
    its entry decoded: every copy of the key and of its base64 is wiped."""
    key = fresh_key()
    b64 = token_info_b64(DOMAIN, key)
    sc = Scanner(freescan_so, tmp_path, key, b64)
    value = json.dumps({"Anaconda Cloud": {DOMAIN: b64, "example.org": b64}})
    r = env.run(prog, *args, input=inp,
                env=dict(sc.env(), ANACONDA_AUTH_KEYRING=value))
    assert r.returncode == 0, r
    sc.assert_clean(f"{prog} {' '.join(args)} with ANACONDA_AUTH_KEYRING")


# ---- children ---------------------------------------------------------------------

def test_the_browser_never_inherits_a_key(env, emulator, tmp_path):
    """`anaconda-auth login` in a shell where the keyring setting and an API
    key are exported starts the person's browser: a large program that
    starts others and keeps its environment readable in /proc. It gets
    every other variable, never those."""
    from emulator.harness import FAKE_BROWSER
    from login_env import emulator_env
    dump = tmp_path / "browser-env"
    wrapper = tmp_path / "browser.sh"
    wrapper.write_text("#!/bin/sh\n"
                       f"env > '{dump}'\n"
                       f"exec /usr/bin/python3 '{FAKE_BROWSER}' \"$@\"\n")
    wrapper.chmod(0o755)
    key = fresh_key()
    e = emulator_env(emulator, "approve", BROWSER=str(wrapper),
                     ANACONDA_AUTH_KEYRING=keyring_json(key, domain=emulator.domain),
                     ANACONDA_CLOUD_API_KEY=fresh_key("cloud-var"),
                     AA_MARKER="kept")
    r = env.run("anaconda-auth", "login", "--browser", "--timeout", "20", env=e)
    assert r.returncode == 0, r
    seen = dict(line.split("=", 1) for line in dump.read_text().splitlines() if "=" in line)
    assert seen.get("AA_MARKER") == "kept"
    assert "ANACONDA_AUTH_KEYRING" not in seen
    assert "ANACONDA_CLOUD_API_KEY" not in seen
    assert key not in dump.read_text()


# ---- config.toml and `config` ---------------------------------------------------

def test_config_toml_keyring_table_is_served(env):
    """0.15 reads the setting from [plugin.auth.keyring."Anaconda Cloud"]."""
    key = fresh_key("toml-bot")
    toml = env.home / ".anaconda" / "config.toml"
    toml.parent.mkdir(mode=0o700, exist_ok=True)
    toml.write_text('[plugin.auth.keyring."Anaconda Cloud"]\n'
                    f'"anaconda.com" = "{token_info_b64(DOMAIN, key)}"\n')
    e = {"ANACONDA_SECRETS_DIR": str(env.tmp / "none")}
    r = env.run("anaconda-auth", "api-key", env=e)
    assert r.stdout.strip() == key, r
    r = env.run("anaconda-auth", "status", env=e)
    assert "key from:  inline (~/.anaconda/config.toml:1 [plugin.auth])" in r.stdout, r
    toml.write_text("[plugin.auth]\nkeyring = 5\n")
    r = env.run("anaconda-auth", "status", env=e)
    assert r.returncode == 2 and one_line(r.stderr), r
    assert "config.toml:2 [plugin.auth] keyring: the keyring is not a JSON object" in r.stderr


def test_config_command_never_shows_the_keyring(env):
    key = fresh_key()
    r = env.run("anaconda-auth", "config", env=inline(key))
    assert r.returncode == 0, r
    line = next(ln for ln in r.stdout.splitlines() if ln.startswith("keyring "))
    assert "(set, read-only keyring)" in line and "ANACONDA_AUTH_KEYRING" in line
    assert "eyJ" not in r.stdout + r.stderr
