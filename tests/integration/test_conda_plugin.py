# SPDX-License-Identifier: BSD-3-Clause
"""The conda plugin (conda-helper/python) with real `requests` against the
emulator's conda channel: conda finds the `anaconda-helper` auth handler
through its entry point, the handler asks conda-credential-anaconda once per
host and org, a good token downloads repodata.json (200), a revoked one
raises the conda error that says what to run.

conda itself is not installable here: Debian has no conda package and the
tests may not download one. Where it is missing, the few names the plugin
imports (conda.plugins.hookimpl, conda.plugins.types.ChannelAuthBase /
CondaAuthHandler / CondaSubcommand, conda.exceptions.CondaError,
conda.base.context) come from
a minimal stand-in written below, shaped like conda >= 23.9's. Where a real
conda is importable, it is used instead."""
import importlib.util
import json
import os
import select
import shutil
import stat
import subprocess
import sys
import textwrap

import pytest

from conftest import BIN, ROOT

HELPER = os.path.join(BIN, "conda-credential-anaconda")
PLUGIN_DIR = os.path.join(ROOT, "conda-helper", "python")
pytestmark = pytest.mark.skipif(not os.path.exists(HELPER),
                                reason="conda-credential-anaconda not built")

STANDIN = {
    "conda/__init__.py": '"""Stand-in for conda (tests only)."""\n',
    "conda/exceptions.py": textwrap.dedent('''\
        class CondaError(Exception):
            def __init__(self, message, **kwargs):
                super().__init__(message)
                self.message = message
        '''),
    "conda/plugins/__init__.py": textwrap.dedent('''\
        def hookimpl(fn):
            fn.conda_hookimpl = True
            return fn
        from . import types  # noqa: E402
        '''),
    "conda/plugins/types.py": textwrap.dedent('''\
        from typing import NamedTuple
        from requests.auth import AuthBase

        class ChannelAuthBase(AuthBase):
            def __init__(self, channel_name):
                self.channel_name = channel_name

        class CondaAuthHandler(NamedTuple):
            name: str
            handler: type

        class CondaSubcommand(NamedTuple):
            name: str
            summary: str
            action: object
            configure_parser: object = None
        '''),
    "conda/base/__init__.py": "",
    "conda/base/context.py": textwrap.dedent('''\
        import json, os

        class _Context:
            @property
            def channel_settings(self):
                return json.loads(os.environ.get("STANDIN_CHANNEL_SETTINGS", "[]"))

            @property
            def root_prefix(self):
                return os.environ.get("STANDIN_ROOT_PREFIX", "/nonexistent")

        context = _Context()
        '''),
}

# What conda does for a channel with `auth: anaconda-helper`: load the
# plugin from its entry point, build the handler for the channel, and give
# it to a requests session. Prints one JSON line per URL.
DRIVER = textwrap.dedent('''\
    import importlib.metadata as md, json, sys
    import requests
    from conda.exceptions import CondaError
    import os
    eps = [e for e in md.entry_points(group="conda") if e.name == "anaconda-helper"]
    assert len(eps) == 1, eps
    handlers = {h.name: h for h in eps[0].load().conda_auth_handlers()}
    assert sorted(handlers) == sorted(os.environ.get(
        "EXPECT_HANDLERS", "anaconda-auth anaconda-helper").split()), handlers
    name = os.environ.get("HANDLER_NAME", "anaconda-auth")
    channel, ca, urls = sys.argv[1], sys.argv[2], sys.argv[3:]
    session = requests.Session()
    session.auth = handlers[name].handler(channel)
    for url in urls:
        try:
            r = session.get(url, verify=ca, timeout=20)
            print(json.dumps({"status": r.status_code, "body": r.text[:200]}))
        except CondaError as e:
            print(json.dumps({"error": str(e), "type": type(e).__name__}))
    ''')


@pytest.fixture
def plugin_env(env, emulator, tmp_path):
    """env wired to the emulator, the plugin on PYTHONPATH (through its
    shipped .dist-info), conda or its stand-in, and the helper wrapped so
    each call is counted."""
    paths = [PLUGIN_DIR]
    if importlib.util.find_spec("conda") is None:
        standin = tmp_path / "standin"
        for rel, text in STANDIN.items():
            p = standin / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
        paths.insert(0, str(standin))
    calls = tmp_path / "calls.log"
    wrapper = tmp_path / "helper-wrapper"
    wrapper.write_text("#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + str(calls) +
                       "\nexec " + HELPER + " \"$@\"\n")
    wrapper.chmod(0o755)
    env.vars.update(emulator.env())
    env.vars.update({
        "PYTHONPATH": os.pathsep.join(paths),
        "CONDA_TOKEN_REPO_URL": emulator.url + "/repo/",
        "CONDA_CREDENTIAL_ANACONDA": str(wrapper),
        "PATH": BIN + os.pathsep + env.vars.get("PATH", "/usr/bin:/bin"),
    })
    (tmp_path / "driver.py").write_text(DRIVER)
    env.em = emulator
    env.calls = calls
    env.driver = str(tmp_path / "driver.py")
    key = emulator.mint_key()
    r = env.run("anaconda-auth", "login", "--with-api-key", input=key + "\n")
    assert r.returncode == 0, r
    env.key = key
    return env


def conda_fetch(env, channel, *urls, extra=None):
    r = env.run(sys.executable if os.path.exists(sys.executable) else "/usr/bin/python3",
                env.driver, channel, env.em.ca_path, *urls, env=extra)
    assert r.returncode == 0, r
    return [json.loads(line) for line in r.stdout.splitlines()]


def helper_calls(env):
    return env.calls.read_text().splitlines() if env.calls.exists() else []


def install_token(env):
    r = env.run(HELPER, "token", "install", "--org", "acme", "--yes")
    assert r.returncode == 0, r


def test_good_token_downloads_repodata(plugin_env):
    env = plugin_env
    install_token(env)
    base = f"{env.em.url}/repo/acme"
    out = conda_fetch(env, base, f"{base}/noarch/repodata.json",
                      f"{base}/linux-64/repodata.json",
                      f"{base}/linux-64/current_repodata.json?x=1")
    assert [o.get("status") for o in out] == [200, 200, 200], out
    assert '"subdir": "noarch"' in out[0]["body"]
    # one helper run for the host+org, argv without the query string
    calls = helper_calls(env)
    assert calls == [f"get --format value {base}/noarch/repodata.json"], calls
    log = env.em.requests("/repo/acme/")
    assert {r["auth_scheme"] for r in log} == {"token"}


def test_revoked_token_raises_the_conda_error(plugin_env):
    env = plugin_env
    install_token(env)
    env.em.issue_repo_token("acme")  # revokes the installed one
    base = f"{env.em.url}/repo/acme"
    out = conda_fetch(env, base, f"{base}/noarch/repodata.json")
    assert out[0]["type"] == "AnacondaHelperError", out
    msg = out[0]["error"]
    assert "authentication error (403)" in msg
    assert "conda-credential-anaconda token install --org acme" in msg


def test_api_key_channel_and_revoked_key(plugin_env):
    env = plugin_env
    base = f"{env.em.url}/repo/main-x"
    out = conda_fetch(env, base, f"{base}/noarch/repodata.json")
    assert out[0].get("status") == 200, out
    env.em.revoke(env.key)
    out = conda_fetch(env, base, f"{base}/noarch/repodata.json")
    assert "anaconda-auth login" in out[0]["error"], out


def test_no_token_sends_no_header_and_says_what_to_run(plugin_env):
    env = plugin_env
    base = f"{env.em.url}/repo/acme"
    out = conda_fetch(env, base, f"{base}/noarch/repodata.json")
    assert "Token not found" in out[0]["error"], out
    assert "token install --org acme" in out[0]["error"]
    assert env.em.requests("/repo/acme/")[-1]["auth_scheme"] is None


@pytest.mark.parametrize("name", ["anaconda-auth", "anaconda-helper"])
def test_both_handler_names_fetch_with_the_token(plugin_env, name):
    """`auth: anaconda-auth` (what 0.15's condarc files say) and our own name."""
    env = plugin_env
    install_token(env)
    base = f"{env.em.url}/repo/acme"
    out = conda_fetch(env, base, f"{base}/noarch/repodata.json",
                      extra={"HANDLER_NAME": name})
    assert out[0].get("status") == 200, out
    assert env.em.requests("/repo/acme/")[-1]["auth_scheme"] == "token"


@pytest.mark.parametrize("name", ["anaconda-auth", "anaconda-helper"])
def test_channel_settings_keys_reach_the_helper(plugin_env, name):
    env = plugin_env
    install_token(env)
    base = f"{env.em.url}/repo/acme"
    settings = [{"channel": f"{env.em.url}/*", "auth": name,
                 "credential_type": "api-key"}]
    out = conda_fetch(env, base, f"{base}/noarch/repodata.json",
                      extra={"STANDIN_CHANNEL_SETTINGS": json.dumps(settings),
                             "HANDLER_NAME": name})
    if importlib.util.find_spec("conda") is not None:
        pytest.skip("real conda reads its own .condarc")
    assert out[0].get("status") == 200, out
    assert "--credential-type api-key" in helper_calls(env)[0]
    assert env.em.requests("/repo/acme/")[-1]["auth_scheme"] == "bearer"


# What conda does for `conda token ARGS`: find the plugin's `token`
# subcommand through the entry point and call its action with the argv.
TOKEN_DRIVER = textwrap.dedent('''\
    import importlib.metadata as md, sys
    ep = [e for e in md.entry_points(group="conda") if e.name == "anaconda-helper"][0]
    subs = {s.name: s for s in ep.load().conda_subcommands()}
    if sys.argv[1:] == ["--names"]:
        print(" ".join(sorted(subs)))
        sys.exit(0)
    sys.exit(subs["token"].action(tuple(sys.argv[1:])))
    ''')


def conda_token(env, *args, input=None, extra=None):
    driver = env.tmp / "token_driver.py"
    driver.write_text(TOKEN_DRIVER)
    return env.run("/usr/bin/python3", driver, *args, input=input, env=extra)


def dropin(env):
    return env.home / ".conda" / "condarc.d" / "anaconda-auth.yml"


def test_python_anaconda_auth_keeps_its_names(plugin_env, tmp_path):
    """With Python anaconda-auth installed it registers `anaconda-auth` and
    `token`; conda refuses two plugins of one name, so ours steps aside."""
    env = plugin_env
    fake = tmp_path / "pyaa" / "anaconda_auth-0.15.0.dist-info"
    fake.mkdir(parents=True)
    (fake / "METADATA").write_text("Metadata-Version: 2.1\nName: anaconda-auth\nVersion: 0.15.0\n")
    extra = {"PYTHONPATH": env.vars["PYTHONPATH"] + os.pathsep + str(fake.parent),
             "EXPECT_HANDLERS": "anaconda-helper", "HANDLER_NAME": "anaconda-helper"}
    install_token(env)
    base = f"{env.em.url}/repo/acme"
    out = conda_fetch(env, base, f"{base}/noarch/repodata.json", extra=extra)
    assert out[0].get("status") == 200, out
    r = conda_token(env, "--names", extra=extra)
    assert (r.returncode, r.stdout.strip()) == (0, ""), r
    r = conda_token(env, "--names")
    assert (r.returncode, r.stdout.strip()) == (0, "token"), r


def test_conda_token_install_configures_conda_and_round_trips(plugin_env):
    """`conda token install` (0.15's `anaconda token install`): token issued,
    validated and stored, and conda configured by the same command."""
    import yaml
    env, em = plugin_env, plugin_env.em
    r = conda_token(env, "install", "--org", "acme", "--yes")
    assert r.returncode == 0, r
    conf = yaml.safe_load(dropin(env).read_text())
    assert conf["default_channels"] == [f"{em.url}/repo/{c}" for c in ("main", "r", "msys2")]
    assert conf["channel_settings"] == [{"channel": f"{em.url}/*", "auth": "anaconda-auth"}]
    # conda with that configuration reaches the org channel through the plugin
    base = f"{em.url}/repo/acme"
    out = conda_fetch(env, base, f"{base}/noarch/repodata.json",
                      extra={"STANDIN_CHANNEL_SETTINGS": json.dumps(conf["channel_settings"])})
    assert out[0].get("status") == 200, out
    r = conda_token(env, "list")
    assert r.returncode == 0 and "acme" in r.stdout, r
    r = conda_token(env, "uninstall", "--org", "acme")
    assert r.returncode == 0, r
    assert conda_token(env, "list").returncode == 3
    # --no-set-default-channels leaves conda alone
    dropin(env).unlink()
    r = conda_token(env, "install", "-o", "acme", "-y", "--no-set-default-channels")
    assert r.returncode == 0 and not dropin(env).exists(), r


def test_conda_token_set_and_remove_as_0_15(plugin_env, tmp_path):
    """0.15's `conda token set TOKEN` / `conda token remove`: the token goes
    to conda's token file (and never into the helper's argv), the drop-in is
    written with the archive channels and signature settings asked for, and
    remove takes both away."""
    import yaml
    env, em = plugin_env, plugin_env.em
    token = em.issue_repo_token("acme")
    r = conda_token(env, "set", token, "--include-archive-channels", "free", "pro",
                    "--enable-signature-verification")
    assert r.returncode == 0, r
    calls = helper_calls(env)
    assert any(c.startswith("token set ") for c in calls), calls
    assert not any(token in c for c in calls), calls
    assert token not in r.stdout + r.stderr
    conf = yaml.safe_load(dropin(env).read_text())
    assert conf["default_channels"][-2:] == [f"{em.url}/repo/free", f"{em.url}/repo/pro"]
    assert conf["extra_safety_checks"] is True
    assert conf["signing_metadata_url_base"] == f"{em.url}/repo"
    # the helper hands it out for the repository's channels
    r = env.run(HELPER, "get", "--format", "value", f"{em.url}/repo/acme/noarch/repodata.json")
    assert (r.returncode, r.stdout.strip()) == (0, f"token {token}"), r
    r = conda_token(env, "remove")
    assert r.returncode == 0, r
    assert not dropin(env).exists()
    r = env.run(HELPER, "get", "--format", "value", f"{em.url}/repo/acme/noarch/repodata.json")
    assert r.returncode == 3, r
    # a bad token is refused before anything is written
    r = conda_token(env, "set", "not-a-valid-token")
    assert r.returncode != 0 and not dropin(env).exists(), r


def test_conda_token_set_warns_of_a_token_in_argv_and_takes_stdin(plugin_env):
    """A token typed as an argument is in conda's argv for every user to read:
    the plugin says so and names the stdin form, which works and is quiet."""
    env, em = plugin_env, plugin_env.em
    token = em.issue_repo_token("acme")
    r = conda_token(env, "set", token)
    assert r.returncode == 0, r
    assert "visible to other users" in r.stderr and "conda token set -" in r.stderr, r
    assert token not in r.stderr
    r = conda_token(env, "remove")
    assert r.returncode == 0, r
    r = conda_token(env, "set", "-", input=token + "\n")
    assert r.returncode == 0, r
    assert "visible to other users" not in r.stderr, r
    r = env.run(HELPER, "get", "--format", "value", f"{em.url}/repo/acme/noarch/repodata.json")
    assert (r.returncode, r.stdout.strip()) == (0, f"token {token}"), r


def test_conda_token_locations(plugin_env, tmp_path):
    env = plugin_env
    root, active = tmp_path / "root", tmp_path / "envs" / "work"
    root.mkdir()
    active.mkdir(parents=True)
    # --system: conda's base installation (the plugin tells the helper)
    r = env.run(HELPER, "token", "config", "--system", env={"CONDA_ROOT": str(root)})
    assert r.returncode == 0, r
    assert (root / "condarc.d" / "anaconda-auth.yml").exists()
    r = env.run(HELPER, "token", "config", "--system")
    assert r.returncode == 2 and "CONDA_ROOT" in r.stderr, r
    # --env: the active environment, else the person's own file (as 0.15)
    r = env.run(HELPER, "token", "config", "--env", env={"CONDA_PREFIX": str(active)})
    assert r.returncode == 0 and (active / "condarc.d" / "anaconda-auth.yml").exists(), r
    r = env.run(HELPER, "token", "config", "--env")
    assert r.returncode == 0 and dropin(env).exists(), r
    # --file: a file we wrote is replaced, anyone else's is refused
    mine, theirs = tmp_path / "mine.yml", tmp_path / "condarc"
    assert env.run(HELPER, "token", "config", "--file", mine).returncode == 0
    assert env.run(HELPER, "token", "config", "--file", mine).returncode == 0
    theirs.write_text("channels: [defaults]\n")
    r = env.run(HELPER, "token", "config", "--file", theirs)
    assert r.returncode == 6 and "not written by" in r.stderr, r
    assert theirs.read_text() == "channels: [defaults]\n"
    r = env.run(HELPER, "token", "uninstall", "--all", "--config", "--file", theirs)
    assert r.returncode == 6 and theirs.exists(), r
    r = env.run(HELPER, "token", "config", "--system", "--env")
    assert r.returncode == 2, r
    r = env.run(HELPER, "token", "config", "--include-archive-channels", "mro")
    assert r.returncode == 2 and "free, mro-archive, pro" in r.stderr, r
    # conda token --system passes conda's root prefix
    (root / "condarc.d" / "anaconda-auth.yml").unlink()
    r = conda_token(env, "config", "--system",
                    extra={"CONDA_ROOT": "", "STANDIN_ROOT_PREFIX": str(root)})
    assert r.returncode == 0, r
    assert (root / "condarc.d" / "anaconda-auth.yml").exists()


def test_configure_writes_the_channel_settings_conda_reads(plugin_env):
    env = plugin_env
    r = env.run(HELPER, "configure", "--user")
    assert r.returncode == 0, r
    path = env.home / ".conda" / "condarc.d" / "anaconda-helper.yml"
    text = path.read_text()
    assert f'- channel: "{env.em.url}/*"' in text
    assert "auth: anaconda-helper" in text
    assert not (env.home / ".condarc").exists()
    r = env.run(HELPER, "configure", "--prefix", env.tmp / "prefix")
    assert r.returncode == 6 and "does not exist" in r.stderr, r
    (env.tmp / "prefix").mkdir()
    r = env.run(HELPER, "configure", "--prefix", env.tmp / "prefix",
                "--channel", "https://repo.anaconda.cloud/*")
    assert r.returncode == 0, r
    d = env.tmp / "prefix" / "condarc.d"
    assert oct(d.stat().st_mode & 0o777) == oct(0o755)
    text = (env.tmp / "prefix" / "condarc.d" / "anaconda-helper.yml").read_text()
    assert '- channel: "https://repo.anaconda.cloud/*"' in text
    assert env.run(HELPER, "configure", "--channel", "http://x/*").returncode == 2
    assert env.run(HELPER, "configure", "--channel", 'https://x/"*').returncode == 2
    assert env.run(HELPER, "unconfigure", "--user").returncode == 0
    assert not path.exists()


def test_pip_install_registers_the_entry_point(plugin_env, tmp_path):
    """`pip install ./conda-helper/python`, offline (no index, no build
    isolation: setuptools comes from Debian's python3-setuptools)."""
    env = plugin_env
    pip = subprocess.run(["/usr/bin/python3", "-m", "pip", "--version"],
                         capture_output=True, timeout=60)
    if pip.returncode != 0 or importlib.util.find_spec("setuptools") is None:
        pytest.skip("pip or setuptools missing")
    src, site = tmp_path / "src", tmp_path / "site"
    shutil.copytree(PLUGIN_DIR, src)
    for d in src.glob("*.dist-info"):  # only what pip builds may register it here
        shutil.rmtree(d)
    p = subprocess.run(["/usr/bin/python3", "-m", "pip", "install", "--quiet",
                        "--no-index", "--no-build-isolation", "--no-deps",
                        "--target", str(site), str(src)],
                       capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    assert p.returncode == 0, p.stderr
    paths = env.vars["PYTHONPATH"].split(os.pathsep)
    paths = [x for x in paths if x != PLUGIN_DIR] + [str(site)]
    install_token(env)
    base = f"{env.em.url}/repo/acme"
    out = conda_fetch(env, base, f"{base}/noarch/repodata.json",
                      extra={"PYTHONPATH": os.pathsep.join(paths)})
    assert out[0].get("status") == 200, out


# Swaps PREFIX/condarc.d with PREFIX/evil (a symlink to the victim file) as
# fast as it can: one renameat2(RENAME_EXCHANGE) per turn, so whenever
# condarc.d exists it is the symlink about half the time.
RACER = textwrap.dedent('''\
    import ctypes, os, sys
    libc = ctypes.CDLL(None, use_errno=True)
    dfd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
    swap, a, b = libc.renameat2, b"condarc.d", b"evil"
    print("ready", flush=True)
    while True:
        swap(dfd, a, dfd, b, 2)
    ''')


def remove_any(path):
    """Remove path whatever the racer has made of it (file, link or tree)."""
    for _ in range(1000):
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            continue
    raise AssertionError(f"could not remove {path}")


def test_configure_prefix_race_never_changes_another_file(env, tmp_path):
    """Finding 9: in a group-writable prefix another user swaps condarc.d
    for a symlink to a private root file while `configure --prefix` runs
    (as root in CI). However the race falls, the file's mode must not
    change: the directory is made and chmod-ed through a descriptor."""
    # A deep prefix makes each path lookup slow, as a network filesystem
    # would: the old mkdir-then-chmod lost within a few tries, not hundreds.
    prefix = tmp_path / "shared-prefix" / os.path.join(*["d"] * 400)
    prefix.mkdir(parents=True)
    prefix.chmod(0o777)
    victim = tmp_path / "root-private"
    victim.write_text("secret\n")
    victim.chmod(0o600)
    racer = subprocess.Popen(["/usr/bin/python3", "-c", RACER, str(prefix)],
                             stdout=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([racer.stdout], [], [], 30)
        assert ready and racer.stdout.readline() == "ready\n"
        for _ in range(200):
            remove_any(prefix / "evil")       # first: without it no swap happens
            remove_any(prefix / "condarc.d")
            os.symlink(victim, prefix / "evil")
            r = env.run(HELPER, "configure", "--prefix", prefix,
                        "--channel", "https://repo.anaconda.cloud/*")
            assert r.returncode in (0, 6), r
            assert stat.S_IMODE(victim.stat().st_mode) == 0o600, r
            if r.returncode:
                assert len(r.stderr.splitlines()) == 1, r
    finally:
        racer.kill()
        racer.wait(timeout=30)
    assert victim.read_text() == "secret\n"
