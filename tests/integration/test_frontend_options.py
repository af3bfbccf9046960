# SPDX-License-Identifier: BSD-3-Clause
"""Every front-end reads options the same way (common/fe.c): '--x v' and
'--x=v', options before or after the command (-v too), '--' ends them,
-h/--help on every command, and a usage error is one line with exit 2."""
import json
import re

import pytest

from login_env import store

CLI = "anaconda-auth"
GIT = "git-credential-anaconda"
CONDA = "conda-credential-anaconda"

EVERY_COMMAND = [
    (CLI, ()), (CLI, ("login",)), (CLI, ("login", "--with-api-key")), (CLI, ("logout",)),
    (CLI, ("whoami",)), (CLI, ("api-key",)), (CLI, ("api-key", "--create")),
    (CLI, ("status",)), (CLI, ("request",)), (CLI, ("migrate",)),
    (GIT, ()), (GIT, ("configure",)), (GIT, ("unconfigure",)),
    (CONDA, ()), (CONDA, ("get",)), (CONDA, ("token",)), (CONDA, ("token", "install")),
    (CONDA, ("token", "uninstall")), (CONDA, ("token", "set")), (CONDA, ("token", "config")),
    (CONDA, ("token", "list")), (CONDA, ("token", "remove")),
    (CONDA, ("netrc",)), (CONDA, ("configure",)),
    (CONDA, ("unconfigure",)),
]


@pytest.mark.parametrize("prog,cmd", EVERY_COMMAND)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_on_every_command(env, prog, cmd, flag):
    r = env.run(prog, *cmd, flag)
    assert (r.returncode, r.stderr) == (0, ""), r
    assert r.stdout.startswith("usage: "), r


@pytest.mark.parametrize("prog,cmd", EVERY_COMMAND)
def test_version_on_every_command(env, prog, cmd):
    r = env.run(prog, *cmd, "-V")
    assert r.returncode == 0 and r.stdout.startswith(prog + " "), r


@pytest.mark.parametrize("prog,cmd", [c for c in EVERY_COMMAND if c[1]])
def test_unknown_option_is_one_line_and_exit_2(env, prog, cmd):
    r = env.run(prog, *cmd, "--no-such-option")
    assert r.returncode == 2 and r.stdout == "", r
    assert len(r.stderr.splitlines()) == 1, r
    assert re.fullmatch(rf"{prog}: .*'--no-such-option' \(see {prog}( \S+)? --help\)\n",
                        r.stderr), r


def status_json(env, *args):
    r = env.run(CLI, *args)
    assert r.returncode in (0, 3), r
    return json.loads(r.stdout)


@pytest.mark.parametrize("args", [
    ("status", "--json", "--domain", "a.example"),
    ("status", "--json", "--domain=a.example"),
    ("--domain=a.example", "status", "--json"),
    ("status", "--domain=a.example", "--json"),
    ("--domain", "a.example", "--", "status", "--json"),
])
def test_cli_value_spellings_and_places(env, args):
    assert status_json(env, *args)["domain"] == "a.example"


def test_cli_verbose_after_the_command(env):
    before = env.run(CLI, "-v", "status")
    after = env.run(CLI, "status", "--verbose")
    assert before.returncode == after.returncode == 3, (before, after)
    assert after.stderr == before.stderr  # (the -v count itself: tests/unit/test_fe.c)


def test_cli_double_dash_makes_the_rest_arguments(env):
    r = env.run(CLI, "status", "--", "--json")
    assert r.returncode == 2 and "unexpected argument '--json'" in r.stderr, r


def test_cli_abbreviations_are_not_options(env):
    r = env.run(CLI, "status", "--jso")
    assert r.returncode == 2 and "'--jso'" in r.stderr, r


def test_cli_timeout_and_to_take_both_spellings(env):
    for args in (("login", "--timeout=0"), ("login", "--timeout", "0")):
        r = env.run(CLI, *args)
        assert r.returncode == 2 and "--timeout needs a number of seconds (got '0')" in r.stderr, r
    for args in (("migrate", "--to=floppy"), ("migrate", "--to", "floppy")):
        r = env.run(CLI, *args)
        assert r.returncode == 2 and "--to 'floppy' is not a storage" in r.stderr, r


def test_api_key_create_scopes_with_equals(env, emulator):
    store(env, emulator.domain, emulator.mint_key())
    r = env.run(CLI, "api-key", "--create", "--scopes=repo:read", "--tag=ci", env=emulator.env())
    assert r.returncode == 0, r
    (q,) = emulator.requests("/api/auth/api-keys")
    assert q["json"] == {"scopes": ["repo:read"], "tags": ["ci"]}


def test_git_configure_help_is_not_an_error(env):
    r = env.run(GIT, "configure", "--help")
    assert r.returncode == 0 and "configure" in r.stdout, r


def test_git_options_stop_at_the_action(env):
    # git calls "git-credential-anaconda [options] get"; an unknown action is ignored
    r = env.run(GIT, "--domain=example.invalid", "frobnicate", "--anything")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", ""), r


def test_git_configure_file_both_spellings(env, tmp_path):
    for i, args in enumerate((["--file", str(tmp_path / "a")], [f"--file={tmp_path / 'b'}"])):
        r = env.run(GIT, "configure", "--by-name", *args, "--domain=d.example",
                    env={"GIT_CONFIG_NOSYSTEM": "1"})
        assert r.returncode == 0, r
        assert "d.example" in (tmp_path / "ab"[i]).read_text()


def test_conda_verbose_before_the_command(env):
    r = env.run(CONDA, "-v", "get", "--format=value", "https://example.invalid/x")
    quiet = env.run(CONDA, "get", "--format", "value", "https://example.invalid/x")
    assert r.returncode == quiet.returncode == 3, (r, quiet)
    assert r.stdout == quiet.stdout == ""


def test_conda_double_dash(env):
    r = env.run(CONDA, "get", "--format=value", "--", "--weird")
    assert r.returncode == 2 and "'--weird' is not a URL" in r.stderr, r
