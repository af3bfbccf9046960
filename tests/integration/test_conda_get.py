# SPDX-License-Identifier: BSD-3-Clause
"""conda-credential-anaconda get: the credential a conda channel URL gets,
chosen as the Python conda plugin chooses it, from keys stored by
`anaconda-auth login --with-api-key` or written in the Python format."""
import json
import os
import time
import urllib.parse

import pytest

from conftest import BIN, make_jwt, token_info_b64

HELPER = os.path.join(BIN, "conda-credential-anaconda")
pytestmark = pytest.mark.skipif(not os.path.exists(HELPER),
                                reason="conda-credential-anaconda not built")

REPO = "https://repo.anaconda.cloud/repo"


def login(env, key, domain=None):
    extra = {"ANACONDA_AUTH_DOMAIN": domain} if domain else None
    r = env.run("anaconda-auth", "login", "--with-api-key",
                input=key + "\n", env=extra)
    assert r.returncode == 0, r
    return key


def store(env, domain, key=None, repo_tokens=None):
    """Write an entry the way the Python package does."""
    data = env.read_keyring() if env.keyring.exists() else {}
    data.setdefault("Anaconda Cloud", {})[domain] = token_info_b64(
        domain, key, repo_tokens=repo_tokens)
    env.write_keyring(data)


def get(env, url, *args, extra=None):
    return env.run(HELPER, "get", *args, url, env=extra)


def test_stored_key_is_a_bearer_header(env):
    key = login(env, make_jwt())
    r = get(env, "https://repo.anaconda.com/pkgs/main/linux-64/repodata.json")
    assert r.returncode == 0, r
    assert r.stdout == f"Authorization: Bearer {key}\n"
    assert key not in r.stderr


def test_formats(env):
    key = login(env, make_jwt())
    url = "https://repo.anaconda.com/pkgs/main"
    r = get(env, url, "--format", "value")
    assert r.stdout == f"Bearer {key}\n"
    r = get(env, url, "--format=json")
    doc = json.loads(r.stdout)
    assert doc["header"] == "Authorization"
    assert doc["value"] == f"Bearer {key}"
    assert doc["credential_type"] == "api-key"
    assert doc["host"] == "repo.anaconda.com"
    assert get(env, url, "--format", "yaml").returncode == 2


def test_repo_cloud_uses_the_org_repo_token(env):
    key = make_jwt()
    store(env, "anaconda.com", key, repo_tokens=[
        {"token": "tok-first", "org_name": "first"},
        {"token": "tok-acme", "org_name": "acme"}])
    r = get(env, f"{REPO}/acme/linux-64/repodata.json", "--format", "value")
    assert r.stdout == "token tok-acme\n", r
    # an org without its own token gets the first one
    r = get(env, f"{REPO}/other/noarch/repodata.json", "--format", "value")
    assert r.stdout == "token tok-first\n", r
    # main-x wants the API key
    r = get(env, f"{REPO}/main-x/noarch/repodata.json", "--format", "value")
    assert r.stdout == f"Bearer {key}\n", r


def test_repo_cloud_found_under_the_default_domain(env):
    # stored by anaconda-cloud-auth 0.7 under anaconda.cloud; the default
    # domain is anaconda.com, whose aliases include anaconda.cloud
    store(env, "anaconda.cloud", make_jwt(),
          repo_tokens=[{"token": "t-acme", "org_name": "acme"}])
    r = get(env, f"{REPO}/acme/noarch/repodata.json", "--format", "value")
    assert r.stdout == "token t-acme\n", r


def test_unified_repo_api_key(env):
    key = make_jwt()
    store(env, "anaconda.com", key,
          repo_tokens=[{"token": "tok-acme", "org_name": "acme"}])
    r = get(env, f"{REPO}/acme/noarch/repodata.json", "--format", "value",
            extra={"ANACONDA_AUTH_USE_UNIFIED_REPO_API_KEY": "true"})
    assert r.stdout == f"Bearer {key}\n", r


def test_channel_settings_overrides(env):
    key = make_jwt()
    store(env, "my.site", key,
          repo_tokens=[{"token": "tok-site", "org_name": "x"}])
    url = "https://mirror.example.com/conda/main"
    r = get(env, url, "--auth-domain", "my.site", "--format", "value")
    assert r.stdout == f"Bearer {key}\n", r
    r = get(env, url, "--auth-domain", "my.site", "--credential-type",
            "repo-token", "--format", "value")
    assert r.stdout == "token tok-site\n", r
    r = get(env, url, "--credential-type", "password")
    assert r.returncode == 2 and r.stdout == ""


def test_configured_and_other_hosts(env):
    key = login(env, make_jwt(), domain="conda.example.org:8443")
    r = get(env, "https://conda.example.org:8443/api/x", "--format", "value",
            extra={"ANACONDA_AUTH_DOMAIN": "conda.example.org:8443"})
    assert r.stdout == f"Bearer {key}\n", r
    # another host has its own entry, or nothing
    r = get(env, "https://elsewhere.example.net/conda/main",
            extra={"ANACONDA_AUTH_DOMAIN": "conda.example.org:8443"})
    assert r.returncode == 3 and r.stdout == "", r


def test_no_credential_is_exit_3_and_silent_on_stdout(env):
    r = get(env, f"{REPO}/acme/noarch/repodata.json")
    assert r.returncode == 3, r
    assert r.stdout == ""
    assert "token install" in r.stderr or "login" in r.stderr
    # a key alone does not open a repo-token channel (as upstream)
    login(env, make_jwt())
    r = get(env, f"{REPO}/acme/noarch/repodata.json")
    assert r.returncode == 3 and r.stdout == "", r


def test_expired_key_is_exit_4_with_the_login_hint(env):
    store(env, "anaconda.com", make_jwt(exp=int(time.time()) - 60))
    r = get(env, "https://repo.anaconda.com/pkgs/main")
    assert r.returncode == 4, r
    assert r.stdout == ""
    assert "anaconda-auth login" in r.stderr


def test_environment_key_wins(env):
    login(env, make_jwt(sub="stored"))
    envkey = make_jwt(sub="from-env")
    r = get(env, f"{REPO}/acme/noarch/repodata.json", "--format", "value",
            extra={"ANACONDA_AUTH_API_KEY": envkey})
    assert r.stdout == f"Bearer {envkey}\n", r
    r = get(env, "https://repo.anaconda.com/pkgs/main",
            extra={"ANACONDA_AUTH_API_KEY": make_jwt(exp=1)})
    assert r.returncode == 4 and r.stdout == "", r


@pytest.mark.parametrize("var", ["ANACONDA_AUTH_API_KEY", "ANACONDA_CLOUD_API_KEY"])
@pytest.mark.parametrize("url", [
    "https://evil.example/pkgs/main",
    "https://repo.anaconda.cloud.evil/x",
    "https://repo.anaconda.com@evil/x",
    "https://[::1]/x",
    "https://repo.anaconda.com./x",
    "https://anaconda.cloud/x",
    "https://id.anaconda.cloud/api/x",
    "https://repo.anaconda.com:8443/pkgs/main",
])
def test_environment_key_only_for_the_served_hosts(env, url, var):
    """The environment key is the configured domain's: a channel URL on any
    other host gets that host's own stored entry or nothing, never it."""
    envkey = make_jwt(sub="from-env")
    r = get(env, url, "--format", "value", extra={var: envkey})
    assert r.returncode == 3, r
    assert r.stdout == "" and envkey not in r.stderr
    # the host's own entry still applies
    if url == "https://evil.example/pkgs/main":
        own = make_jwt(sub="evil-own")
        store(env, "evil.example", own)
        r = get(env, url, "--format", "value", extra={var: envkey})
        assert r.stdout == f"Bearer {own}\n", r
    # the served hosts do get it
    for served in ("https://repo.anaconda.com/pkgs/main", "https://anaconda.com/api/x"):
        r = get(env, served, "--format", "value", extra={var: envkey})
        assert r.stdout == f"Bearer {envkey}\n", (served, r)


def test_backslash_in_a_url_is_refused(env):
    """urllib3 reads https://evil\\@repo.anaconda.com/ as host evil."""
    login(env, make_jwt())
    r = get(env, "https://evil\\@repo.anaconda.com/pkgs/main", "--format", "value")
    assert r.returncode == 2 and r.stdout == "", r
    assert "backslash" in r.stderr


def test_never_reads_dotenv(env):
    (env.cwd / ".env").write_text(
        f"ANACONDA_AUTH_API_KEY={make_jwt()}\nANACONDA_AUTH_DOMAIN=evil.example\n")
    r = get(env, "https://repo.anaconda.com/pkgs/main")
    assert r.returncode == 3, r
    assert r.stdout == ""


def test_plain_http_is_refused(env):
    login(env, make_jwt())
    r = get(env, "http://repo.anaconda.com/pkgs/main")
    assert r.returncode == 2 and r.stdout == "", r
    assert "https" in r.stderr
    assert get(env, "not a url").returncode == 2


def test_binstar_token_is_the_last_fallback(env):
    d = env.home / ".config" / "binstar"
    d.mkdir(parents=True)
    name = urllib.parse.quote_plus("https://repo.anaconda.cloud/repo/") + ".token"
    (d / name).write_text("legacytoken123\n")
    r = get(env, f"{REPO}/acme/noarch/repodata.json", "--format", "value")
    assert r.stdout == "token legacytoken123\n", r
    # another host's file is not used
    r = get(env, "https://repo.anaconda.com/pkgs/main")
    assert r.returncode == 3, r
    # BINSTAR_CONFIG_DIR moves the directory
    other = env.tmp / "bs"
    (other / "data").mkdir(parents=True)
    r = get(env, f"{REPO}/acme/noarch/repodata.json",
            extra={"BINSTAR_CONFIG_DIR": str(other)})
    assert r.returncode == 3, r


@pytest.mark.parametrize("url", [
    "https://repo.anaconda.com:8443/pkgs/main/linux-64/repodata.json",
    "https://repo.anaconda.cloud:8443/repo/acme/noarch/repodata.json",
    "https://anaconda.com:8443/api/x",
    "https://id.anaconda.cloud/api/x",
    "https://anaconda.cloud/x",
    "http://repo.anaconda.com/pkgs/main/linux-64/repodata.json",
    "http://repo.anaconda.cloud/repo/acme/noarch/repodata.json",
])
def test_another_port_or_scheme_is_another_server(env, url):
    """A channel on the same name but another port (someone else's server
    there) or over http gets neither the API key nor a repo token."""
    key = make_jwt()
    store(env, "anaconda.com", key,
          repo_tokens=[{"token": "tok-acme", "org_name": "acme"}])
    store(env, "anaconda.cloud", key)
    r = get(env, url, "--format", "value")
    assert r.returncode in (2, 3), r
    assert r.stdout == ""
    assert key not in r.stderr and "tok-acme" not in r.stderr
    # the same host on https's own port is the real one
    if url.startswith("https://repo.anaconda.com"):
        r = get(env, url.replace(":8443", ":443"), "--format", "value")
        assert r.stdout == f"Bearer {key}\n", r


def test_no_repo_token_for_a_shared_channel_names_no_org(env):
    # repo/main is a channel every organization's token opens, not an organization
    login(env, make_jwt())
    for channel in ("main", "r", "msys2"):
        r = get(env, f"{REPO}/{channel}/noarch/repodata.json")
        assert r.returncode == 3 and r.stdout == "", r
        assert "--org" not in r.stderr, r.stderr
        assert f"the channel {channel}" in r.stderr and "token install" in r.stderr
    r = get(env, f"{REPO}/acme/noarch/repodata.json")
    assert r.returncode == 3 and "token install --org acme" in r.stderr, r


@pytest.mark.parametrize("url", [
    "https://repo.anaconda.com/pkgs/main/noarch/repodata.json",
    "https://repo.continuum.io/pkgs/main/noarch/repodata.json",
    "https://repo.anaconda.cloud/repo/acme/noarch/repodata.json",
])
def test_environment_key_of_another_domain_stays_off_anacondas_hosts(env, url):
    """With a non-Anaconda domain configured, the environment key is that
    server's: Anaconda's repo hosts never get it; the domain's host does."""
    envkey = make_jwt(sub="corp")
    extra = {"ANACONDA_AUTH_DOMAIN": "corp.example", "ANACONDA_AUTH_API_KEY": envkey}
    r = get(env, url, "--format", "value", extra=extra)
    assert r.returncode == 3, r
    assert r.stdout == "" and envkey not in r.stderr
    r = get(env, "https://corp.example/api/x", "--format", "value", extra=extra)
    assert r.stdout == f"Bearer {envkey}\n", r
    # an Anaconda domain (any of the family) keeps the old behaviour
    for dom in ("anaconda.com", "id.anaconda.cloud"):
        extra["ANACONDA_AUTH_DOMAIN"] = dom
        r = get(env, url, "--format", "value", extra=extra)
        assert r.stdout == f"Bearer {envkey}\n", (dom, r)


@pytest.mark.parametrize("program", ["conda-credential-anaconda",
                                     "git-credential-anaconda"])
def test_no_libcrypto_on_the_lookup_path(program):
    """The helpers hash a key only to name one without a subject in a rare
    message; libcrypto is opened then, never linked (it costs ~0.5 ms a start)."""
    import subprocess
    loaded = subprocess.run(["ldd", os.path.join(BIN, program)],
                            capture_output=True, text=True, check=True).stdout
    assert "libcrypto" not in loaded, loaded
