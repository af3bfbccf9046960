# SPDX-License-Identifier: BSD-3-Clause
"""The conda plugin against a real conda that a person installed (Miniconda,
Miniforge, Anaconda): conda's own plugin manager finds the `anaconda-auth`
handler and the `conda token` subcommand, `conda token install` configures
conda in one command, and `conda search` reaches an organization channel of
the emulator through the plugin. Skipped when no conda is on PATH (Debian
ships none and these tests may not download one)."""
import json
import os
import shutil
import subprocess

import pytest

from conftest import BIN, ROOT

HELPER = os.path.join(BIN, "conda-credential-anaconda")
PLUGIN_DIR = os.path.join(ROOT, "conda-helper", "python")
CONDA = shutil.which("conda")
pytestmark = [
    pytest.mark.skipif(not os.path.exists(HELPER), reason="conda-credential-anaconda not built"),
    pytest.mark.skipif(CONDA is None, reason="no conda on PATH: install Miniconda or Miniforge "
                       "(conda >= 23.9) to check the plugin against conda's real plugin API"),
]


def conda_info():
    p = subprocess.run([CONDA, "info", "--json"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.fixture
def real(env, emulator, tmp_path):
    """env with the plugin on conda's PYTHONPATH, the helper on PATH, conda's
    caches in tmp, TLS trusting the emulator, and a stored API key."""
    info = conda_info()
    python = os.path.join(info["root_prefix"], "bin", "python")
    env.vars.update(emulator.env())
    env.vars.update({
        "PYTHONPATH": PLUGIN_DIR,
        "PATH": BIN + os.pathsep + os.path.dirname(CONDA) + os.pathsep + "/usr/bin:/bin",
        "CONDA_TOKEN_REPO_URL": emulator.url + "/repo/",
        "CONDA_PKGS_DIRS": str(tmp_path / "pkgs"),
        "CONDA_SSL_VERIFY": emulator.ca_path,
        "CONDA_REPORT_ERRORS": "false",
    })
    p = subprocess.run([python, "-c", "import importlib.metadata as m; m.distribution('anaconda-auth')"],
                       capture_output=True, env=env.vars, timeout=60)
    env.python_anaconda_auth = p.returncode == 0
    env.conda_python = python
    env.em = emulator
    key = emulator.mint_key()
    assert env.run("anaconda-auth", "login", "--with-api-key", input=key + "\n").returncode == 0
    return env


def test_conda_plugin_manager_finds_both_handler_names(real):
    code = ("from conda.base.context import context\n"
            "for n in ('anaconda-auth', 'anaconda-helper'):\n"
            "    h = context.plugin_manager.get_auth_handler(n)\n"
            "    print(n, h.__module__ if h else None)\n")
    r = real.run(real.conda_python, "-c", code, timeout=120)
    assert r.returncode == 0, r
    found = dict(line.split() for line in r.stdout.splitlines())
    assert found["anaconda-helper"] == "conda_anaconda_helper.auth", found
    if real.python_anaconda_auth:  # Python anaconda-auth keeps its own name
        assert found["anaconda-auth"].startswith("anaconda_auth"), found
    else:
        assert found["anaconda-auth"] == "conda_anaconda_helper.auth", found


def test_conda_token_install_then_search_through_the_plugin(real):
    if real.python_anaconda_auth:
        pytest.skip("Python anaconda-auth is installed in conda's environment: `conda token` is its own")
    r = real.run(CONDA, "token", "--help", timeout=120)
    assert r.returncode == 0 and "set" in r.stdout, r
    r = real.run(CONDA, "token", "install", "--org", "acme", "--yes", timeout=300)
    assert r.returncode == 0, r
    r = real.run(CONDA, "config", "--show", "default_channels", "channel_settings", "--json",
                 timeout=120)
    assert r.returncode == 0, r
    shown = json.loads(r.stdout)
    assert f"{real.em.url}/repo/main" in shown["default_channels"], shown
    assert {"channel": f"{real.em.url}/*", "auth": "anaconda-auth"} in shown["channel_settings"], shown
    r = real.run(CONDA, "search", "--override-channels", "-c", f"{real.em.url}/repo/acme",
                 "--json", "*", timeout=300)
    assert real.em.requests("/repo/acme/"), r
    assert {x["auth_scheme"] for x in real.em.requests("/repo/acme/")} == {"token"}, r
    r = real.run(CONDA, "token", "remove", timeout=300)
    assert r.returncode == 0, r
    assert not (real.home / ".conda" / "condarc.d" / "anaconda-auth.yml").exists()
