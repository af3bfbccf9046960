# SPDX-License-Identifier: BSD-3-Clause
"""Settings from every source reach every front-end, each with its origin:
the secrets directory (containers), conda's .condarc, ./.env, variables and
flags; `anaconda-auth config` shows where each came from; names that are no
setting get one warning naming the nearest one; sites of config.toml."""
import json
import os

import pytest

from conftest import BIN, make_jwt, needs_root
from emulator.proxy import ConnectProxy

GIT = os.path.join(BIN, "git-credential-anaconda")
CONDA = os.path.join(BIN, "conda-credential-anaconda")


def secrets_dir(env):
    d = env.tmp / "secrets"
    d.mkdir(exist_ok=True)
    return d


def put_secret(env, name, text, mode=0o400):
    p = secrets_dir(env) / name
    p.write_text(text)
    os.chmod(p, mode)
    return p


def config(aa, *args, **kw):
    r = aa.run("anaconda-auth", "config", "--json", *args, **kw)
    assert r.returncode == 0, r
    return json.loads(r.stdout)


def origin(cfg, name):
    return cfg["settings"][name]["from"]


def value(cfg, name):
    return cfg["settings"][name]["value"]


# ---- the secrets directory ------------------------------------------------

def test_secrets_dir_key_for_cli_git_and_conda(env):
    key = make_jwt(sub="from-secrets")
    path = put_secret(env, "anaconda_auth_api_key", key + "\n")
    r = env.run("anaconda-auth", "api-key")
    assert (r.returncode, r.stdout) == (0, key + "\n"), r
    r = env.run("anaconda-auth", "status")
    assert r.returncode == 0 and str(path) in r.stdout, r
    if os.path.exists(GIT):
        r = env.run(GIT, "get", input="protocol=https\nhost=anaconda.com\n\n")
        assert r.returncode == 0 and f"password={key}\n" in r.stdout, r
    if os.path.exists(CONDA):
        r = env.run(CONDA, "get", "https://repo.anaconda.com/pkgs/main")
        assert (r.returncode, r.stdout) == (0, f"Authorization: Bearer {key}\n"), r


def test_secrets_dir_any_case_and_environment_wins(env):
    put_secret(env, "ANACONDA_AUTH_DOMAIN", "secret.example\n")
    cfg = config(env)
    assert value(cfg, "domain") == "secret.example"
    assert origin(cfg, "domain") == str(env.tmp / "secrets" / "ANACONDA_AUTH_DOMAIN")
    cfg = config(env, env={"ANACONDA_AUTH_DOMAIN": "env.example"})
    assert (value(cfg, "domain"), origin(cfg, "domain")) == ("env.example", "ANACONDA_AUTH_DOMAIN")


def test_secrets_dir_writable_by_anyone_is_refused(env):
    """Another user who can write a secret file must not choose where the
    key goes: a world-writable file is ignored, with one line."""
    put_secret(env, "anaconda_auth_domain", "attacker.example\n", mode=0o666)
    r = env.run("anaconda-auth", "config", "--json")
    assert r.returncode == 0, r
    assert value(json.loads(r.stdout), "domain") != "attacker.example"
    assert "anaconda_auth_domain: any user can write it" in r.stderr


def test_secrets_dir_fifo_does_not_hang(env):
    os.mkfifo(secrets_dir(env) / "anaconda_auth_api_key")
    r = env.run("anaconda-auth", "config", timeout=20)
    assert r.returncode == 0, r
    assert "not a regular file" in r.stderr


# ---- anaconda-auth config ---------------------------------------------------

def test_config_origins_of_every_source(env):
    put_secret(env, "anaconda_auth_connect_timeout", "7\n")
    (env.cwd / ".env").write_text("# team settings\nANACONDA_AUTH_LOGGING_LEVEL=DEBUG\n")
    (env.home / ".condarc").write_text("channels:\n  - defaults\nssl_verify: false\n")
    cfg = config(env, "--domain", "flag.example",
                 env={"ANACONDA_AUTH_TIMEOUT": "5"})
    assert (value(cfg, "domain"), origin(cfg, "domain")) == ("flag.example", "--domain")
    assert (value(cfg, "timeout"), origin(cfg, "timeout")) == ("5", "ANACONDA_AUTH_TIMEOUT")
    assert value(cfg, "connect_timeout") == "7"
    assert origin(cfg, "connect_timeout").endswith("/secrets/anaconda_auth_connect_timeout")
    assert (value(cfg, "logging_level"), origin(cfg, "logging_level")) == ("DEBUG", "./.env:2")
    assert (value(cfg, "ssl_verify"), origin(cfg, "ssl_verify")) == ("false", "~/.condarc:3")
    assert origin(cfg, "client_id") == "default"


def test_config_text_and_help(env):
    r = env.run("anaconda-auth", "config", env={"ANACONDA_AUTH_TIMEOUT": "2.5"})
    assert r.returncode == 0, r
    line = [x for x in r.stdout.splitlines() if x.startswith("timeout ")][0]
    assert line.split() == ["timeout", "2.5", "ANACONDA_AUTH_TIMEOUT"]
    assert r.stdout.startswith("site: ")
    r = env.run("anaconda-auth", "config", "--help")
    assert r.returncode == 0 and "where it came from" in r.stdout
    r = env.run("anaconda-auth", "--help")
    assert "config" in r.stdout and "--at SITE" in r.stdout


def test_config_never_shows_secrets(env):
    key = make_jwt(sub="shown-sub")
    put_secret(env, "anaconda_auth_api_key", key)
    headers = '{"X-Token": "header-secret-value"}'
    for args in ((), ("--json",)):
        r = env.run("anaconda-auth", "config", *args,
                    env={"ANACONDA_AUTH_EXTRA_HEADERS": headers})
        assert r.returncode == 0, r
        assert key not in r.stdout and key.split(".")[1] not in r.stdout
        assert "header-secret-value" not in r.stdout
        assert "X-Token" in r.stdout and "shown-sub" in r.stdout


def test_invalid_value_names_its_source(env):
    put_secret(env, "anaconda_auth_use_device_flow", "maybe\n")
    r = env.run("anaconda-auth", "config")
    assert r.returncode == 2, r
    assert "secrets/anaconda_auth_use_device_flow: 'maybe'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


# ---- typos -------------------------------------------------------------------

def test_typos_get_one_warning_naming_the_nearest(env):
    (env.cwd / ".env").write_text("ANACONDA_AUTH_SSL_VERIFI=1\nOTHER_TOOL=x\n")
    put_secret(env, "anaconda_auth_api_kye", "x")
    r = env.run("anaconda-auth", "config", env={"ANACONDA_AUTH_DOMIAN": "x.example"})
    assert r.returncode == 0, r
    lines = r.stderr.splitlines()
    assert ("anaconda-auth: warning: ANACONDA_AUTH_DOMIAN is not a setting; "
            "did you mean ANACONDA_AUTH_DOMAIN?") in lines
    assert ("anaconda-auth: warning: ./.env:1: ANACONDA_AUTH_SSL_VERIFI is not a "
            "setting; did you mean ANACONDA_AUTH_SSL_VERIFY?") in lines
    assert any(x.endswith("anaconda_auth_api_kye is not a setting; did you mean "
                          "anaconda_auth_api_key?") for x in lines)
    assert len(lines) == 3 and "OTHER_TOOL" not in r.stderr


def test_git_helper_does_not_spam_git(env):
    if not os.path.exists(GIT):
        pytest.skip("git-credential-anaconda not built")
    key = make_jwt()
    r = env.run(GIT, "get", input="protocol=https\nhost=anaconda.com\n\n",
                env={"ANACONDA_AUTH_DOMIAN": "x", "ANACONDA_AUTH_API_KEY": key})
    assert r.returncode == 0 and r.stderr == "", r


# ---- --at ----------------------------------------------------------------------

def test_unknown_at_is_one_line_and_exit_2(env):
    r = env.run("anaconda-auth", "--at", "nosuch", "status")
    assert r.returncode == 2, r
    assert len(r.stderr.strip().splitlines()) == 1
    assert "--at: no site 'nosuch'" in r.stderr
    r = env.run("anaconda-auth", "status", "--at=nosuch")
    assert r.returncode == 2 and "no site 'nosuch'" in r.stderr, r
    if os.path.exists(CONDA):
        r = env.run(CONDA, "get", "--at", "nosuch", "https://repo.anaconda.com/pkgs/main")
        assert r.returncode == 2 and "no site 'nosuch'" in r.stderr, r
    if os.path.exists(GIT):
        r = env.run(GIT, "--at", "nosuch", "get",
                    input="protocol=https\nhost=anaconda.com\n\n")
        assert r.returncode == 2 and "no site 'nosuch'" in r.stderr, r


def test_at_the_default_site_needs_no_file(env):
    cfg = config(env)
    default = cfg["site"]["name"]
    r = env.run("anaconda-auth", "--at", default, "config", "--json")
    assert r.returncode == 0, r
    assert json.loads(r.stdout)["site"] == {"name": default, "from": "--at"}


# ---- .condarc --------------------------------------------------------------------

def test_condarc_writable_by_others_never_turns_tls_off(env):
    """A .condarc another user can write must not switch TLS checks off."""
    rc = env.home / ".condarc"
    rc.write_text("ssl_verify: false\n")
    os.chmod(rc, 0o666)
    r = env.run("anaconda-auth", "config", "--json")
    assert r.returncode == 0, r
    assert value(json.loads(r.stdout), "ssl_verify") == "true"
    assert "ignoring ~/.condarc: it is writable by other users" in r.stderr


def test_condarc_variable_wins_over_home_file(env):
    (env.home / ".condarc").write_text("ssl_verify: false\n")
    other = env.tmp / "other.condarc"
    other.write_text("# ours\nssl_verify: true\n")
    cfg = config(env, env={"CONDARC": str(other)})
    assert (value(cfg, "ssl_verify"), origin(cfg, "ssl_verify")) == ("true", f"{other}:2")


# ---- config.toml -------------------------------------------------------------------

@pytest.mark.parametrize("how", ["world-writable", "group-writable", "another user's"])
def test_config_toml_others_could_write_never_routes_the_key(env, emulator, how):
    """A config.toml another user can change must not pick the proxy (or
    the domain, or TLS) the person's key travels through: the attacker's
    CONNECT proxy never sees a request, and the file is one line, exit 2."""
    if how == "another user's" and os.geteuid() != 0:
        pytest.skip("needs root to give the file away")
    key = emulator.mint_key()
    with ConnectProxy() as attacker:
        conf = env.home / ".anaconda" / "config.toml"
        conf.parent.mkdir(exist_ok=True)
        conf.write_text('[plugin.auth]\nproxy_servers = { https = "%s" }\n' % attacker.url)
        if how == "another user's":
            os.chown(conf, 65534, 65534)
            os.chmod(conf, 0o644)
        else:
            os.chmod(conf, 0o666 if how == "world-writable" else 0o664)
        e = {**emulator.env(), "ANACONDA_AUTH_API_KEY": key}
        for cmd, stdin in ((["anaconda-auth", "whoami"], None),
                           ([GIT, "get"], "protocol=https\nhost=%s\n\n" % emulator.domain)):
            r = env.run(*cmd, env=e, input=stdin)
            assert attacker.requests == [], (cmd, r)
            assert r.returncode == 2, (cmd, r)
            lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
            assert len(lines) == 1 and "config.toml" in lines[0], (cmd, r.stderr)


TOML_015 = """\
default_site = "work"

[plugin.auth]
ssl_verify = true
client_id = "from-plugin-auth"

[sites."anaconda.com"]
domain = "anaconda.com"

[sites.work]
domain = "work.example"
client_id = "from-site-work"
use_device_flow = false
"""


def write_toml(env, text=TOML_015):
    p = env.home / ".anaconda" / "config.toml"
    p.parent.mkdir(mode=0o700, exist_ok=True)
    p.write_text(text)
    return p


def test_toml_default_site_drives_every_front_end(env):
    write_toml(env)
    cfg = config(env)
    assert cfg["site"]["name"] == "work"
    assert (value(cfg, "domain"), origin(cfg, "domain")) == (
        "work.example", "~/.anaconda/config.toml:11 [sites.work]")
    assert origin(cfg, "ssl_verify") == "~/.anaconda/config.toml:4 [plugin.auth]"
    key = make_jwt()
    r = env.run("anaconda-auth", "login", "--with-api-key", input=key + "\n")
    assert r.returncode == 0, r
    assert env.stored_info("work.example")["api_key"] == key
    if os.path.exists(GIT):
        r = env.run(GIT, "get", input="protocol=https\nhost=work.example\n\n")
        assert f"password={key}\n" in r.stdout, r


def test_toml_at_and_env_domain_pick_sites(env):
    write_toml(env)
    cfg = config(env, "--at", "anaconda.com")
    assert (cfg["site"]["name"], value(cfg, "client_id")) == ("anaconda.com", "from-plugin-auth")
    cfg = config(env, env={"ANACONDA_AUTH_DOMAIN": "anaconda.com"})
    assert cfg["site"]["name"] == "anaconda.com"
    cfg = config(env, env={"ANACONDA_DEFAULT_SITE": "work.example"})
    assert cfg["site"]["name"] == "work"
    r = env.run("anaconda-auth", "--at", "nosuch", "config")
    assert r.returncode == 2 and "the sites are: anaconda.com, work" in r.stderr, r


def test_toml_invalid_value_and_typo(env):
    write_toml(env, TOML_015 + "ssl_verfy = false\n")
    r = env.run("anaconda-auth", "config")
    assert "[sites.work]: ssl_verfy is not a setting; did you mean ssl_verify?" in r.stderr
    write_toml(env, TOML_015 + "use_unified_repo_api_key = \"maybe\"\n")
    r = env.run("anaconda-auth", "config")
    assert r.returncode == 2, r
    assert "config.toml:14 [sites.work] use_unified_repo_api_key: 'maybe'" in r.stderr


def test_toml_plugin_cloud_is_legacy(env):
    write_toml(env, "[plugin.cloud]\ndomain = \"cloud.example\"\n")
    r = env.run("anaconda-auth", "config", "--json")
    assert r.returncode == 0, r
    assert value(json.loads(r.stdout), "domain") == "cloud.example"
    assert "legacy [plugin.cloud]" in r.stderr


def test_missing_toml_changes_nothing(env):
    cfg = config(env, env={"ANACONDA_CONFIG_TOML": str(env.tmp / "absent.toml")})
    assert origin(cfg, "domain") == "default"


def test_a_site_not_in_use_may_name_files_of_another_machine(env):
    """0.15 takes certificate and CA paths as text: a config.toml shared
    between machines names files only some have. A site not in use never
    stops a program; the site in use is checked in full."""
    write_toml(env, TOML_015 + '\n[sites.office]\ndomain = "office.example"\n'
                               'client_cert = "/nonexistent/office.pem"\n'
                               'ssl_verify = "/nonexistent/ca.pem"\n')
    cfg = config(env)
    assert value(cfg, "domain") == "work.example"
    r = env.run(os.path.join(BIN, "git-credential-anaconda"), "get",
                input="protocol=https\nhost=work.example\n\n")
    assert r.returncode == 0, r
    r = env.run("anaconda-auth", "--at", "office", "config")
    assert r.returncode == 2, r
    assert "config.toml:" in r.stderr and "[sites.office]" in r.stderr
    assert r.stderr.count("\n") == 1


# ---- review: attacks on the settings engine ---------------------------------------

def test_config_shows_proxy_servers_without_the_password(env):
    """`config` shows the proxies in effect, with user:password hidden, and
    never the raw bytes of the setting's pointer array."""
    write_toml(env, '[plugin.auth]\nproxy_servers = {https = "http://u:proxy-pw@proxy.example:3128"}\n')
    r = env.run("anaconda-auth", "config")
    assert r.returncode == 0, r
    line = [ln for ln in r.stdout.splitlines() if ln.startswith("proxy_servers")][0]
    assert "https=http://***@proxy.example:3128" in line, line
    assert "proxy-pw" not in r.stdout
    cfg = config(env)
    assert value(cfg, "proxy_servers") == "https=http://***@proxy.example:3128"


@pytest.mark.parametrize("how", ["group-writable", "world-writable", "another user's"])
def test_config_toml_others_could_write_is_not_used(env, how):
    """A config.toml another user can write (or owns) must not pick the
    domain a key goes to or turn TLS off: one line, exit 2, nothing used."""
    p = write_toml(env, '[plugin.auth]\ndomain = "attacker.example"\nssl_verify = false\n')
    if how == "another user's":
        if os.geteuid() != 0:
            pytest.skip("needs root (CI runs as root)")
        os.chown(p, 65534, 65534)
    else:
        os.chmod(p, 0o620 if how == "group-writable" else 0o606)
    r = env.run("anaconda-auth", "config")
    assert r.returncode == 2, r
    assert "attacker.example" not in r.stdout, r
    assert "config.toml: not read" in r.stderr, r
    assert len(r.stderr.strip().splitlines()) == 1, r


def test_names_from_a_cloned_dotenv_or_secrets_never_reach_the_terminal_raw(env):
    """A cloned repository's .env (the person's own file after `git clone`)
    or a secrets file name must not drive the terminal: an OSC 52 sequence in
    a misspelt name would write the clipboard, ESC[2J clear the screen."""
    osc = "\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J"
    (env.cwd / ".env").write_text(f"ANACONDA_AUTH_DOMAIM{osc}=x\n")
    os.chmod(env.cwd / ".env", 0o644)
    put_secret(env, f"anaconda_auth_x{osc}", "x")
    r = env.run("anaconda-auth", "config")
    assert r.returncode == 0, r
    assert "ANACONDA_AUTH_DOMAIM" in r.stderr and "secrets/anaconda_auth_x" in r.stderr, r
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr, r


@pytest.mark.parametrize("text", [
    '[plugin.auth]\n"domain\\u0000x" = "attacker.example"\ndomain = "good.example"\n',
    '[sites."work\\u0000"]\ndomain = "attacker.example"\n[sites.work]\ndomain = "good.example"\n',
    '[plugin.auth]\ndomain = "good.example"\napi_key = "sk-abc\\u0000def"\n',
])
def test_toml_nul_in_a_key_never_reads_as_another_key(env, text):
    """tomllib reads "domain\\u0000x" as its own key and sites.work as
    good.example; cut at the NUL, C would read domain = attacker.example,
    or pick the hidden site for --at work. Such a file is refused."""
    write_toml(env, text)
    r = env.run("anaconda-auth", "config", "--at", "work") if "sites" in text else \
        env.run("anaconda-auth", "config")
    assert r.returncode == 2, r
    assert "attacker.example" not in r.stdout, r
    assert "holds U+0000" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r
