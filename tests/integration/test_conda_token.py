# SPDX-License-Identifier: BSD-3-Clause
"""conda-credential-anaconda token install/list/remove against the emulator:
issuing (which revokes the old token), validating on the conda channel,
storing in the TokenInfo next to the API key, and conda's legacy token file."""
import base64
import concurrent.futures
import json
import os
import stat
import urllib.parse

import pytest
import requests

from conftest import BIN
from keyring_lock import race_with_writer

HELPER = os.path.join(BIN, "conda-credential-anaconda")
pytestmark = pytest.mark.skipif(not os.path.exists(HELPER),
                                reason="conda-credential-anaconda not built")


@pytest.fixture
def cloud(env, emulator):
    """env pointed at the emulator, with a stored API key for its domain."""
    env.vars.update(emulator.env())
    env.vars["CONDA_TOKEN_REPO_URL"] = emulator.url + "/repo/"
    key = emulator.mint_key()
    r = env.run("anaconda-auth", "login", "--with-api-key", input=key + "\n")
    assert r.returncode == 0, r
    env.key = key
    return emulator


def channel_status(em, token, channel="acme"):
    r = requests.get(f"{em.url}/repo/{channel}/noarch/repodata.json",
                     headers={"Authorization": f"token {token}"},
                     verify=em.ca_path, timeout=15)
    return r.status_code


def repo_tokens(env, em):
    return {t.get("org_name"): t["token"]
            for t in env.stored_info(em.domain).get("repo_tokens", [])}


def test_install_issues_validates_and_stores(env, cloud):
    r = env.run(HELPER, "token", "install", "--org", "acme", "--yes")
    assert r.returncode == 0, r
    assert "revokes" in r.stderr
    tokens = repo_tokens(env, cloud)
    assert set(tokens) == {"acme"}
    assert tokens["acme"] not in r.stdout + r.stderr
    # the API key is kept next to it
    assert env.stored_info(cloud.domain)["api_key"] == env.key
    assert channel_status(cloud, tokens["acme"]) == 200
    # it was validated with a HEAD on the channel
    heads = cloud.requests("/repo/main/noarch/repodata.json", method="HEAD")
    assert heads and heads[-1]["auth_scheme"] == "token"
    # and `get` hands it out for the org's channel
    r = env.run(HELPER, "get", "--format", "value",
                f"{cloud.url}/repo/acme/linux-64/repodata.json")
    assert r.stdout == f"token {tokens['acme']}\n", r


def test_reinstall_revokes_the_previous_token(env, cloud):
    assert env.run(HELPER, "token", "install", "-o", "acme", "-y").returncode == 0
    old = repo_tokens(env, cloud)["acme"]
    assert env.run(HELPER, "token", "install", "-o", "acme", "-y").returncode == 0
    new = repo_tokens(env, cloud)["acme"]
    assert new != old
    assert channel_status(cloud, old) == 403
    assert channel_status(cloud, new) == 200


def test_org_is_picked_when_only_one_has_a_repository(env, cloud):
    # the default account has acme and a starter org, which upstream skips
    r = env.run(HELPER, "token", "install", "--yes")
    assert r.returncode == 0, r
    assert set(repo_tokens(env, cloud)) == {"acme"}


def test_no_confirmation_issues_nothing(env, cloud):
    r = env.run(HELPER, "token", "install", "--org", "acme")
    assert r.returncode == 2, r
    assert "--yes" in r.stderr
    assert cloud.requests("/api/organizations/acme/ce/current-token",
                          method="PUT") == []


def test_install_a_given_token_from_stdin(env, cloud):
    token = cloud.issue_repo_token("acme")
    r = env.run(HELPER, "token", "install", "--org", "acme", "-", input=token + "\n")
    assert r.returncode == 0, r
    assert repo_tokens(env, cloud) == {"acme": token}


def test_a_token_given_as_an_argument_works_with_a_warning(env, cloud):
    token = cloud.issue_repo_token("acme")
    r = env.run(HELPER, "token", "install", "--org", "acme", token)
    assert r.returncode == 0, r
    assert "visible to other users" in r.stderr and "'-'" in r.stderr, r
    assert token not in r.stderr + r.stdout
    assert repo_tokens(env, cloud) == {"acme": token}


def test_a_refused_token_is_not_stored(env, cloud):
    r = env.run(HELPER, "token", "install", "--org", "acme", "-",
                input="0123456789abcdef0123456789abcdef01234567\n")
    assert r.returncode == 3, r
    assert "refused" in r.stderr
    assert repo_tokens(env, cloud) == {}


def test_not_a_member(env, cloud):
    r = env.run(HELPER, "token", "install", "--org", "someone-else", "--yes")
    assert r.returncode == 3, r
    assert "someone-else" in r.stderr
    assert repo_tokens(env, cloud) == {}


def test_list_and_remove(env, cloud):
    r = env.run(HELPER, "token", "list")
    assert r.returncode == 3 and "token install" in r.stderr, r
    assert env.run(HELPER, "token", "install", "-o", "acme", "-y").returncode == 0
    token = repo_tokens(env, cloud)["acme"]
    r = env.run(HELPER, "token", "list")
    assert r.returncode == 0, r
    assert "acme" in r.stdout and f"{cloud.url}/repo/acme/*" in r.stdout
    assert token not in r.stdout
    assert env.run(HELPER, "token", "remove").returncode == 2
    r = env.run(HELPER, "token", "remove", "--org", "acme")
    assert r.returncode == 0, r
    assert repo_tokens(env, cloud) == {}
    assert env.stored_info(cloud.domain)["api_key"] == env.key


def test_binstar_file_for_old_conda(env, cloud):
    r = env.run(HELPER, "token", "install", "-o", "acme", "-y", "--binstar")
    assert r.returncode == 0, r
    token = repo_tokens(env, cloud)["acme"]
    name = urllib.parse.quote_plus(cloud.url + "/repo/") + ".token"
    path = env.home / ".config" / "binstar" / name
    assert path.read_text() == token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # conda's /t/<token>/ URL form opens the channel with it
    r = requests.get(f"{cloud.url}/t/{token}/repo/acme/noarch/repodata.json",
                     verify=cloud.ca_path, timeout=15)
    assert r.status_code == 200
    r = env.run(HELPER, "token", "remove", "--all", "--binstar")
    assert r.returncode == 0, r
    assert not path.exists()


def test_server_failure_is_exit_5(env, cloud):
    cloud.fault("/api/organizations/acme/ce/current-token", "500")
    r = env.run(HELPER, "token", "install", "-o", "acme", "-y")
    assert r.returncode == 5, r
    assert repo_tokens(env, cloud) == {}


# ---- read-modify-write under the keyring lock ---------------------------

def test_parallel_installs_keep_every_token(env, cloud):
    """Many `token install` at once: each adds its org to the entry as it is
    stored when it holds the lock, so none undoes another."""
    def one(i):
        return env.run(HELPER, "token", "install", "--org", f"org{i}",
                       "--no-validate", "-", input=f"tok-{i}-abcdefghijkl\n")

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(one, range(16)))
    assert all(r.returncode == 0 for r in results), [r for r in results if r.returncode]
    assert repo_tokens(env, cloud) == {f"org{i}": f"tok-{i}-abcdefghijkl" for i in range(16)}
    assert env.stored_info(cloud.domain)["api_key"] == env.key


def test_install_keeps_what_a_writer_stored_while_it_waited(env, cloud):
    """A login/install that holds the lock stores a token; the install
    waiting for the lock must build on that, not on what it read before."""
    def writer():
        data = env.read_keyring()
        info = env.stored_info(cloud.domain)
        info["repo_tokens"] = [{"org_name": "early", "token": "tok-early-abcdefgh"}]
        raw = json.dumps(info, separators=(",", ":")).encode()
        data["Anaconda Cloud"][cloud.domain] = base64.b64encode(raw).decode()
        env.write_keyring(data)

    rc, out, err = race_with_writer(
        env, [HELPER, "token", "install", "--org", "late", "--no-validate", "-"],
        writer, input="tok-late-abcdefgh\n")
    assert rc == 0, err
    assert repo_tokens(env, cloud) == {"early": "tok-early-abcdefgh",
                                       "late": "tok-late-abcdefgh"}


def test_remove_keeps_what_a_writer_stored_while_it_waited(env, cloud):
    r = env.run(HELPER, "token", "install", "--org", "gone", "--no-validate", "-",
                input="tok-gone-abcdefgh\n")
    assert r.returncode == 0, r

    def writer():
        r = env.run(HELPER, "token", "install", "--org", "kept", "--no-validate", "-",
                    input="tok-kept-abcdefgh\n", env={"ANACONDA_AUTH_LOCK_TIMEOUT": "0"})
        assert r.returncode == 6 and "locked" in r.stderr, r   # we hold the lock
        data = env.read_keyring()
        info = env.stored_info(cloud.domain)
        info["repo_tokens"].append({"org_name": "kept", "token": "tok-kept-abcdefgh"})
        raw = json.dumps(info, separators=(",", ":")).encode()
        data["Anaconda Cloud"][cloud.domain] = base64.b64encode(raw).decode()
        env.write_keyring(data)

    rc, out, err = race_with_writer(
        env, [HELPER, "token", "remove", "--org", "gone"], writer)
    assert rc == 0, err
    assert repo_tokens(env, cloud) == {"kept": "tok-kept-abcdefgh"}


def test_escape_sequences_in_expires_at_are_not_printed(env, emulator):
    """A hostile server answers the token request with terminal escapes in
    expires_at: only an RFC 3339 timestamp is ever printed."""
    from attacker_server import AttackerServer
    from emulator import certs
    from login_env import store

    cert = (os.path.join(emulator.state_dir, certs.CERT_FILE),
            os.path.join(emulator.state_dir, certs.KEY_FILE))
    hostile = "\x1b]0;owned\x07\x1b[2J2030-01-01T00:00:00Z"
    path = "/api/organizations/acme/ce/current-token"
    with AttackerServer(*cert, routes={
            path: (200, {"token": "tok-evil", "expires_at": hostile})}) as attacker:
        store(env, attacker.host, emulator.mint_key())
        run_env = {"ANACONDA_AUTH_DOMAIN": attacker.host,
                   "ANACONDA_AUTH_SSL_VERIFY": emulator.ca_path,
                   "CONDA_TOKEN_REPO_URL": attacker.url + "/repo/"}
        r = env.run(HELPER, "token", "install", "--org", "acme", "--yes", env=run_env)
        assert any(q["method"] == "PUT" and q["path"] == path for q in attacker.requests()), r
        attacker.routes[path] = (200, {"token": "tok-evil", "expires_at": "2030-01-01T00:00:00Z"})
        good = env.run(HELPER, "token", "install", "--org", "acme", "--yes", env=run_env)
    assert "\x1b" not in r.stderr + r.stdout and "\x07" not in r.stderr, r
    assert "owned" not in r.stderr
    assert "a new token for acme was issued" in r.stderr, r
    # a real timestamp is still shown
    assert "expires 2030-01-01T00:00:00Z" in good.stderr, good


@pytest.mark.parametrize("args", [
    ("token", "install", "--org=acme", "-"),
    ("token", "install", "-", "--org", "acme"),    # options after the token
    ("token", "--org=acme", "install", "-"),       # and before the verb
    ("token", "install", "--org=acme", "--", "-"),  # '--' ends the options
])
def test_install_options_in_either_spelling_and_place(env, cloud, args):
    token = cloud.issue_repo_token("acme")
    r = env.run(HELPER, *args[:2], "--no-config", *args[2:], input=token + "\n")
    assert r.returncode == 0, r
    assert repo_tokens(env, cloud) == {"acme": token}


def test_double_dash_makes_an_option_word_the_token(env, cloud):
    # after '--' "--yes" is the token argument, not the option (and not a valid token)
    r = env.run(HELPER, "token", "install", "--org=acme", "--no-validate", "--no-config",
                "--", "--yes")
    assert r.returncode == 0 and "visible to other users" in r.stderr, r
    assert repo_tokens(env, cloud) == {"acme": "--yes"}
    r = env.run(HELPER, "token", "list", "--", "extra")
    assert r.returncode == 2 and "unexpected argument 'extra'" in r.stderr, r


def test_uninstall_and_config_take_equals_values(env, cloud, tmp_path):
    token = cloud.issue_repo_token("acme")
    assert env.run(HELPER, "token", "install", "--org=acme", "--no-config", "-",
                   input=token + "\n").returncode == 0
    target = tmp_path / "dropin.yml"
    r = env.run(HELPER, "token", "config", f"--file={target}",
                "--include-archive-channels=free")
    assert r.returncode == 0 and target.exists(), r
    assert "/free" in target.read_text()
    r = env.run(HELPER, "token", "uninstall", "--org=acme", "--config", f"--file={target}")
    assert r.returncode == 0, r
    assert repo_tokens(env, cloud) == {} and not target.exists()


def test_unknown_verb_is_one_usage_line(env):
    r = env.run(HELPER, "token", "frob", "--org", "acme")
    assert r.returncode == 2, r
    assert "unknown token command 'frob'" in r.stderr and r.stderr.count("\n") == 1
