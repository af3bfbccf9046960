# SPDX-License-Identifier: BSD-3-Clause
"""Settings reach the CLI from ./.env, the environment (three generations of
names) and flags, in that order; bad values are one clear line."""
import pytest

from conftest import make_jwt


def store(aa, domain_args=(), **kw):
    return aa.run("anaconda-auth", "login", "--with-api-key", *domain_args,
                   input=make_jwt() + "\n", **kw)


def status_domain(aa, *args, **kw):
    r = aa.run("anaconda-auth", "status", "--json", *args, **kw)
    import json
    return json.loads(r.stdout)["domain"]


def test_default_domain(env):
    assert status_domain(env) == "anaconda.com"  # as anaconda-auth 0.8+


def test_dotenv_then_env_then_flag(env):
    (env.cwd / ".env").write_text("ANACONDA_AUTH_DOMAIN=from-dotenv.example\n")
    assert status_domain(env) == "from-dotenv.example"
    e = {"ANACONDA_AUTH_DOMAIN": "from-env.example"}
    assert status_domain(env, env=e) == "from-env.example"
    assert status_domain(env, "--domain", "https://flag.example/x", env=e) == "flag.example"


@pytest.mark.parametrize("var", ["ANACONDA_AUTH_DOMAIN", "ANACONDA_CLOUD_DOMAIN",
                                 "ANACONDA_CLOUD_API_DOMAIN"])
def test_every_generation_of_names(env, var):
    assert status_domain(env, env={var: "gen.example"}) == "gen.example"


def test_newest_name_wins(env):
    e = {"ANACONDA_CLOUD_DOMAIN": "old.example", "ANACONDA_AUTH_DOMAIN": "new.example"}
    assert status_domain(env, env=e) == "new.example"


def test_keyring_path_setting(env, tmp_path):
    path = tmp_path / "custom" / "kr"
    r = store(env, env={"ANACONDA_AUTH_KEYRING_PATH": str(path)})
    assert r.returncode == 0, r
    assert path.exists() and not env.keyring.exists()


@pytest.mark.parametrize("var,value", [
    ("ANACONDA_AUTH_SSL_VERIFY", "maybe"),
    ("ANACONDA_AUTH_EXTRA_HEADERS", "[1, 2]"),
    ("ANACONDA_AUTH_PREFERRED_TOKEN_STORAGE", "cloud"),
])
def test_invalid_value_names_the_variable(env, var, value):
    r = env.run("anaconda-auth", "status", env={var: value})
    assert r.returncode == 2, r
    assert var in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_help_and_version(env):
    r = env.run("anaconda-auth", "--help")
    assert r.returncode == 0 and "Exit codes" in r.stdout
    r = env.run("anaconda-auth", "--version")
    assert r.returncode == 0 and r.stdout.startswith("anaconda-auth ")
    assert env.run("anaconda-auth", "frobnicate").returncode == 2


def test_dotenv_settings_that_steer_the_key_are_announced(env):
    """The seed's documented use (a project .env with the domain and an API
    key for tests) still works, and says so on every run; the key is shown
    only as a fingerprint."""
    key = make_jwt(sub="dotenv-account")
    (env.cwd / ".env").write_text("ANACONDA_AUTH_DOMAIN=team.example\n"
                                  f"ANACONDA_AUTH_API_KEY={key}\n"
                                  "ANACONDA_AUTH_TIMEOUT=5\n")
    for _ in range(2):
        r = env.run("anaconda-auth", "status", "--json")
        assert r.returncode == 0, r
        assert '"domain": "team.example"' in r.stdout or '"domain":"team.example"' in r.stdout
        assert r.stderr.splitlines()[:2] == [
            "anaconda-auth: using ANACONDA_AUTH_DOMAIN=team.example from ./.env",
            "anaconda-auth: using ANACONDA_AUTH_API_KEY from ./.env (key sub:dotenv-account)"], r
        assert key not in r.stderr and "TIMEOUT" not in r.stderr


def test_dotenv_never_weakens_tls(env):
    (env.cwd / ".env").write_text("ANACONDA_AUTH_SSL_VERIFY=false\n")
    r = env.run("anaconda-auth", "status")
    assert ("anaconda-auth: ignoring ANACONDA_AUTH_SSL_VERIFY from ./.env: a .env file never "
            "turns TLS checks off or names a CA bundle") in r.stderr, r


def test_openid_config_path_must_be_a_path(env):
    for value in ("https://attacker.example/oidc", "//attacker.example/oidc"):
        r = env.run("anaconda-auth", "status",
                    env={"ANACONDA_AUTH_OPENID_CONFIG_PATH": value})
        assert r.returncode == 2, r
        assert len(r.stderr.splitlines()) == 1 and "is not a path" in r.stderr, r


@pytest.mark.parametrize("value", [
    ".evil.example/x",           # https://anaconda.cloud.evil.example/x
    "@evil.example/x",           # https://anaconda.cloud@evil.example/x
    "//evil.example/x", "/\\evil.example/x", "/a b", "/a\tb", "app/local-login-success",
])
@pytest.mark.parametrize("var", ["ANACONDA_AUTH_LOGIN_SUCCESS_PATH",
                                 "ANACONDA_CLOUD_LOGIN_ERROR_PATH"])
def test_login_page_paths_must_be_paths(env, var, value):
    """Review F3: the loopback sends the browser to https://<domain><path>,
    so a path that is not a path moves the browser to another host. Refused
    from the environment and from .env alike, before any login starts."""
    (env.cwd / ".env").write_text(f"{var}='{value}'\n")
    for e in ({}, {var: value}):
        r = env.run("anaconda-auth", "login", "--timeout", "5", env=e)
        assert r.returncode == 2, r
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and var in lines[0] and "is not a page path" in lines[0], r


def test_login_page_paths_that_are_paths_are_kept(env):
    r = env.run("anaconda-auth", "status",
                env={"ANACONDA_AUTH_LOGIN_SUCCESS_PATH": "/welcome?from=cli",
                     "ANACONDA_AUTH_LOGIN_ERROR_PATH": "/app/oops"})
    assert r.returncode == 3 and not r.stderr, r  # 3: not logged in


def test_dotenv_keyring_path_in_this_tree_is_ignored(env, tmp_path):
    """Review F2: a .env that puts the keyring inside the directory would leave
    the key one 'git add -A' away from being published. Ignored aloud; the
    key goes to the person's keyring."""
    inside = [env.cwd / "keys" / "keyring", "./.anaconda-keyring", "keyring",
              f"{env.cwd}/sub/../keyring"]
    for value in inside:
        (env.cwd / ".env").write_text(f"ANACONDA_AUTH_KEYRING_PATH={value}\n")
        r = store(env)
        assert r.returncode == 0, r
        assert ("anaconda-auth: ignoring ANACONDA_AUTH_KEYRING_PATH from ./.env: it puts the "
                "key inside this directory") in r.stderr, r
        assert sorted(p.name for p in env.cwd.iterdir()) == [".env"], value
        assert env.keyring.exists()
    outside = tmp_path / "elsewhere" / "kr"
    (env.cwd / ".env").write_text(f"ANACONDA_AUTH_KEYRING_PATH={outside}\n")
    r = store(env)
    assert r.returncode == 0 and outside.exists(), r
    assert f"using ANACONDA_AUTH_KEYRING_PATH={outside} from ./.env" in r.stderr
