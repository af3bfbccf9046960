# SPDX-License-Identifier: BSD-3-Clause
"""A person on today's Anaconda names and on a corporate network: discovery
followed from anaconda.cloud to anaconda.com (and nowhere else), a CONNECT
proxy from proxy_servers, and TLS client certificates, all against the
emulator under Anaconda's own host names."""
import os

import pytest

from conftest import BIN
from emulator.proxy import ConnectProxy
from login_env import login, stored_key
from pam_harness import asan_runtime

CONDA_HELPER = os.path.join(BIN, "conda-credential-anaconda")
GIT_HELPER = os.path.join(BIN, "git-credential-anaconda")
DISCOVERY = "/.well-known/openid-configuration"


@pytest.fixture
def names(tmp_path):
    """Environment under which Anaconda's names (and evil.example) resolve to
    loopback, through nss_wrapper: no /etc/hosts edits, no DNS."""
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 anaconda.com anaconda.cloud evil.example "
                     "anaconda.com.evil.example\n")
    preload = "libnss_wrapper.so"
    if os.environ.get("AA_SANITIZE") == "1":
        preload = asan_runtime() + ":" + preload  # the ASan runtime goes first
    return {"LD_PRELOAD": preload, "NSS_WRAPPER_HOSTS": str(hosts)}


def at(em, name):
    return f"{name}:{em.port}"


def device_login(env, em, domain, **extra):
    """A device-flow login the emulator approves by itself."""
    # the page on the domain: another port than 443 is no Anaconda host
    em.set(device_auto_approve_after=0, device_page_host=domain)
    return login(env, em, "--device", "--no-browser", "--timeout", "30",
                 browser=None, ANACONDA_AUTH_DOMAIN=domain, **extra)


def one_line(stderr):
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


# -- redirects ------------------------------------------------------------

def test_discovery_follows_anaconda_cloud_to_anaconda_com(env, emulator, names):
    domain = at(emulator, "anaconda.cloud")
    r = device_login(env, emulator, domain, **names)
    assert r.returncode == 0, r
    hops = [(q["host"], q["status"]) for q in emulator.requests(DISCOVERY)]
    assert hops == [(domain, 301), (at(emulator, "anaconda.com"), 200)], hops
    # the endpoints came from the document anaconda.com served
    assert emulator.requests("/api/auth/oauth2/device/authorize")[0]["host"] == \
        at(emulator, "anaconda.com")
    assert stored_key(env, domain)


@pytest.mark.parametrize("target", ["evil.example", "anaconda.org", "localhost"])
def test_discovery_redirect_off_the_family_is_refused(env, emulator, names, target):
    """A discovery document that moves to another host family would pick
    where the person's login code and token go: never followed."""
    emulator.set(host_redirects={"anaconda.cloud": target})
    r = device_login(env, emulator, at(emulator, "anaconda.cloud"), **names)
    assert r.returncode != 0, r
    line = one_line(r.stderr)
    assert f"redirects to {at(emulator, target)}, which is not an Anaconda host of " \
        f"{at(emulator, 'anaconda.cloud')}" in line, line
    assert [q["host"] for q in emulator.requests()] == [at(emulator, "anaconda.cloud")]


@pytest.mark.parametrize("target", [
    "https://anaconda.com.evil.example:{port}",      # the family's name as a prefix
    "https://anaconda.com@evil.example:{port}",      # the family's name as userinfo
    "https://anaconda.com:{port}@evil.example:{port}",
    "https://evil.example:{port}/anaconda.com",      # ... as a path
    "https://127.0.0.1:{port}",                      # the same server by address
    "https://0x7f.1:{port}",
    "chain",                                         # a family hop, then out
])
def test_discovery_redirect_tricks_never_leave_the_family(env, emulator, names, target):
    """Spellings that put an Anaconda name somewhere in the URL, or reach
    the same server another way, are not the family; a chain is checked
    against the auth domain at every hop."""
    if target == "chain":
        emulator.set(host_redirects={"anaconda.cloud": "anaconda.com",
                                     "anaconda.com": "evil.example"})
    else:
        emulator.set(host_redirects={"anaconda.cloud": target.format(port=emulator.port)})
    r = device_login(env, emulator, at(emulator, "anaconda.cloud"), **names)
    assert r.returncode != 0, r
    assert "not an Anaconda host of" in one_line(r.stderr), r.stderr
    hosts = [q["host"] for q in emulator.requests()]
    assert set(hosts) <= {at(emulator, "anaconda.cloud"), at(emulator, "anaconda.com")}, hosts
    assert not emulator.requests("/api/auth/oauth2/device/authorize")


def test_discovery_redirect_to_http_is_refused(env, emulator, names):
    emulator.set(host_redirects={"anaconda.cloud": f"http://anaconda.com:{emulator.port}"})
    r = device_login(env, emulator, at(emulator, "anaconda.cloud"), **names)
    assert r.returncode != 0, r
    assert "redirects to a URL that is not https:// (on anaconda.com" in one_line(r.stderr)
    assert len(emulator.requests()) == 1


def test_discovery_redirect_to_another_port_is_refused(env, emulator, names):
    emulator.set(host_redirects={"anaconda.cloud": "https://anaconda.com:1"})
    r = device_login(env, emulator, at(emulator, "anaconda.cloud"), **names)
    assert r.returncode != 0, r
    assert "not an Anaconda host of" in one_line(r.stderr)


def test_a_request_with_the_key_never_follows(env, emulator, names):
    """whoami carries the key: a 301 from the domain is an error, and the
    key never reaches the host the redirect names."""
    key = emulator.mint_key()
    emulator.set(host_redirects={"anaconda.cloud": "anaconda.com"})
    e = {**emulator.env(), **names, "ANACONDA_AUTH_DOMAIN": at(emulator, "anaconda.cloud"),
         "ANACONDA_AUTH_API_KEY": key}
    r = env.run("anaconda-auth", "whoami", env=e)
    assert r.returncode != 0, r
    assert not [q for q in emulator.requests() if q["host"] != at(emulator, "anaconda.cloud")]


# -- proxy_servers ----------------------------------------------------------

@pytest.fixture
def proxy():
    with ConnectProxy(credentials="bob:hunter2") as p:
        yield p


def proxied(em, proxy_url, **extra):
    """Settings for the emulator as anaconda.com, reached only through the
    proxy (nothing here resolves anaconda.com: the proxy does)."""
    e = {**em.env(), "ANACONDA_AUTH_DOMAIN": at(em, "anaconda.com"),
         "ANACONDA_AUTH_PROXY_SERVERS": '{"https": "%s"}' % proxy_url}
    e.update(extra)
    return e


def test_login_whoami_and_api_key_through_the_proxy(env, emulator, proxy):
    domain = at(emulator, "anaconda.com")
    e = proxied(emulator, proxy.url)
    r = device_login(env, emulator, domain, **{k: v for k, v in e.items()
                                               if k != "ANACONDA_AUTH_DOMAIN"})
    assert r.returncode == 0, r
    for cmd in ("whoami", "api-key"):
        r = env.run("anaconda-auth", cmd, env=e)
        assert r.returncode == 0, (cmd, r)
    assert "alice" in env.run("anaconda-auth", "whoami", env=e).stdout
    assert set(proxy.connects) == {domain}, proxy.requests
    assert all(q["proxy_authorization"] for q in proxy.requests)
    assert "hunter2" not in r.stdout + r.stderr


def test_nested_https_form_and_it_beats_https_proxy(env, emulator, proxy):
    key = emulator.mint_key()
    with ConnectProxy() as other:
        e = {**emulator.env(), "ANACONDA_AUTH_DOMAIN": at(emulator, "anaconda.com"),
             "ANACONDA_AUTH_API_KEY": key, "HTTPS_PROXY": other.url,
             "https_proxy": other.url, "ANACONDA_AUTH_PROXY_SERVERS__HTTPS": proxy.url,
             "no_proxy": "anaconda.com", "NO_PROXY": "anaconda.com"}
        r = env.run("anaconda-auth", "whoami", env=e)
        assert r.returncode == 0, r
        assert proxy.connects == [at(emulator, "anaconda.com")]
        assert other.requests == []
        # without the setting, the environment's proxy is used, as before
        del e["ANACONDA_AUTH_PROXY_SERVERS__HTTPS"], e["no_proxy"], e["NO_PROXY"]
        r = env.run("anaconda-auth", "whoami", env=e)
        assert r.returncode == 0, r
        assert other.connects == [at(emulator, "anaconda.com")]


def test_wrong_proxy_password_is_one_line_without_the_password(env, emulator, proxy):
    key = emulator.mint_key()
    url = proxy.url.replace("hunter2", "wrong-secret")
    r = env.run("anaconda-auth", "whoami",
                env=proxied(emulator, url, ANACONDA_AUTH_API_KEY=key))
    assert r.returncode != 0, r
    line = one_line(r.stderr)
    assert "the proxy http://***@127.0.0.1:%d did not connect us to anaconda.com" \
        % proxy.port in line, line
    assert "wrong-secret" not in r.stdout + r.stderr and "bob" not in line
    assert proxy.connects == []


def test_bad_proxy_setting_is_one_line_in_every_front_end(env, emulator):
    bad = {"ANACONDA_AUTH_PROXY_SERVERS": '{"https": "ftp://bob:hunter2@proxy.example"}'}
    git_get = "protocol=https\nhost=anaconda.com\n\n"
    for cmd, stdin in ((["anaconda-auth", "whoami"], None),
                       ([CONDA_HELPER, "token", "list"], None),
                       ([GIT_HELPER, "get"], git_get)):
        r = env.run(*cmd, env=bad, input=stdin)
        assert r.returncode == 2, (cmd, r)
        assert "ANACONDA_AUTH_PROXY_SERVERS" in one_line(r.stderr)
        assert "hunter2" not in r.stderr


@pytest.mark.parametrize("password", ["hun/ter2", "hun#ter2", "hun?ter2", "hun@ter2"])
def test_proxy_password_with_a_delimiter_is_never_shown(env, emulator, password):
    """A password typed without %-encoding ('/', '#', '?', '@') is refused
    or fails, but never lands in the message (a CI log keeps it)."""
    key = emulator.mint_key()
    for e in ({"ANACONDA_AUTH_PROXY_SERVERS":
               '{"https": "http://bob:%s@127.0.0.1:9"}' % password},
              {"ANACONDA_AUTH_PROXY_SERVERS__HTTPS": "http://bob:%s@127.0.0.1:9" % password}):
        r = env.run("anaconda-auth", "whoami",
                    env={**emulator.env(), "ANACONDA_AUTH_API_KEY": key, **e})
        assert r.returncode != 0, r
        line = one_line(r.stderr)
        assert "ter2" not in line and "bob" not in line, line
        assert "***@127.0.0.1:9" in line, line


def test_config_shows_proxies_without_their_passwords(env, emulator):
    """`anaconda-auth config` names each proxy (never its password, never
    the bytes of a pointer)."""
    e = {"ANACONDA_AUTH_PROXY_SERVERS":
         '{"https": "http://bob:hunter2@proxy.example:3128", "all://h.example": "socks5h://p.example"}'}
    r = env.run("anaconda-auth", "config", env=e)
    assert r.returncode == 0, r
    line = [ln for ln in r.stdout.splitlines() if ln.startswith("proxy_servers")]
    assert len(line) == 1, r.stdout
    assert "https=http://***@proxy.example:3128" in line[0], line
    assert "all://h.example=socks5h://p.example" in line[0], line
    assert "hunter2" not in r.stdout + r.stderr and "bob" not in r.stdout
    r = env.run("anaconda-auth", "config", "--json", env=e)
    assert r.returncode == 0 and "hunter2" not in r.stdout, r


def test_conda_helper_goes_through_the_proxy(env, emulator, proxy):
    e = proxied(emulator, proxy.url,
                CONDA_TOKEN_REPO_URL=f"https://anaconda.com:{emulator.port}/repo/")
    key = emulator.mint_key()
    r = env.run("anaconda-auth", "login", "--with-api-key", input=key + "\n", env=e)
    assert r.returncode == 0, r
    r = env.run(CONDA_HELPER, "token", "install", "--org", "acme", "--yes", env=e)
    assert r.returncode == 0, r
    assert set(proxy.connects) == {at(emulator, "anaconda.com")}, proxy.requests


def test_dotenv_proxy_is_ignored(env, emulator, proxy):
    """A cloned repository's .env must not route the person's key through
    its own proxy."""
    key = emulator.mint_key()
    (env.cwd / ".env").write_text(
        'ANACONDA_AUTH_PROXY_SERVERS={"https": "%s"}\n' % proxy.url)
    os.chmod(env.cwd, 0o755)
    r = env.run("anaconda-auth", "whoami",
                env={**emulator.env(), "ANACONDA_AUTH_API_KEY": key})
    assert r.returncode == 0, r
    assert "ignoring ANACONDA_AUTH_PROXY_SERVERS from ./.env" in r.stderr
    assert proxy.requests == []


# -- client certificates ------------------------------------------------------

def cert_env(em, cert=None, key=None):
    e = {**em.env(), "ANACONDA_AUTH_API_KEY": em.mint_key()}
    if cert:
        e["ANACONDA_AUTH_CLIENT_CERT"] = os.path.join(em.state_dir, cert)
    if key:
        e["ANACONDA_AUTH_CLIENT_CERT_KEY"] = os.path.join(em.state_dir, key)
    return e


def test_mtls_with_the_right_certificate(env, emulator):
    emulator.set(mtls=True)
    r = env.run("anaconda-auth", "whoami",
                env=cert_env(emulator, "client.pem", "client-key.pem"))
    assert r.returncode == 0, r
    assert "alice" in r.stdout


def test_mtls_without_a_certificate_says_which_setting(env, emulator):
    emulator.set(mtls=True)
    r = env.run("anaconda-auth", "whoami", env=cert_env(emulator))
    assert r.returncode != 0, r
    line = one_line(r.stderr)
    assert f"{emulator.domain} asks for a TLS client certificate" in line, line
    assert "ANACONDA_AUTH_CLIENT_CERT" in line


def test_mtls_with_a_key_that_does_not_match(env, emulator):
    emulator.set(mtls=True)
    r = env.run("anaconda-auth", "whoami",
                env=cert_env(emulator, "client.pem", "client-other-key.pem"))
    assert r.returncode != 0, r
    line = one_line(r.stderr)
    assert "cannot use the client certificate" in line and "client_cert_key" in line, line


def test_mtls_with_a_certificate_the_server_does_not_trust(env, emulator):
    emulator.set(mtls=True)
    r = env.run("anaconda-auth", "whoami",
                env=cert_env(emulator, "rogue-client.pem", "rogue-client-key.pem"))
    assert r.returncode != 0, r
    line = one_line(r.stderr)
    assert "refused the client certificate" in line, line


def test_mtls_in_the_conda_helper(env, emulator):
    emulator.set(mtls=True)
    e = cert_env(emulator, "client.pem", "client-key.pem")
    e["CONDA_TOKEN_REPO_URL"] = emulator.url + "/repo/"
    r = env.run(CONDA_HELPER, "token", "install", "--org", "acme", "--yes", env=e)
    assert r.returncode == 0, r
    del e["ANACONDA_AUTH_CLIENT_CERT"]
    r = env.run(CONDA_HELPER, "token", "install", "--org", "acme", "--yes", env=e)
    assert r.returncode != 0 and "asks for a TLS client certificate" in r.stderr, r
