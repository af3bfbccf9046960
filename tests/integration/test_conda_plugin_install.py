# SPDX-License-Identifier: BSD-3-Clause
"""`make install-conda-plugin` installs the conda plugin into the conda a
person names (CONDA=..., CONDA_ENV=...), through that conda's own Python -
never into Debian's /usr/bin/python3, which refuses pip (PEP 668). A stand-in
conda records what make runs; with a real conda on PATH (or in $CONDA), the
plugin is installed into a throwaway clone of its base environment and conda
must see its entry point."""
import os
import shutil
import subprocess

import pytest

from conftest import ROOT


def make(*args):
    return subprocess.run(["make", "-s", "-C", ROOT, "install-conda-plugin", *args],
                          capture_output=True, text=True, timeout=600)


def test_runs_pip_of_the_named_conda_environment(tmp_path):
    log = tmp_path / "argv"
    fake = tmp_path / "conda"
    fake.write_text('#!/bin/sh\nprintf "%%s\\n" "$@" > %s\n' % log)
    fake.chmod(0o755)
    r = make("CONDA=" + str(fake), "CONDA_ENV=work")
    assert r.returncode == 0, r
    argv = log.read_text().splitlines()
    assert argv[:8] == ["run", "-n", "work", "python", "-m", "pip", "install", "--no-deps"], argv
    assert argv[-1] == os.path.join(ROOT, "conda-helper", "python"), argv
    r = make("CONDA=" + str(fake), "CONDA_ENV=" + str(tmp_path / "env"))
    assert r.returncode == 0, r
    assert log.read_text().splitlines()[:3] == ["run", "-p", str(tmp_path / "env")]


def test_without_a_conda_it_says_how_to_name_one():
    r = make("CONDA=/nonexistent/conda")
    assert r.returncode != 0
    assert "no conda at '/nonexistent/conda'" in r.stderr and "CONDA=" in r.stderr, r


def test_into_a_real_conda(tmp_path):
    conda = os.environ.get("CONDA_EXE") or shutil.which("conda")
    if not conda:
        pytest.skip("no conda here (Debian has none; set CONDA_EXE to test one)")
    env = str(tmp_path / "env")
    made = subprocess.run([conda, "create", "-y", "-q", "--offline", "-p", env, "--clone", "base"],
                          capture_output=True, text=True, timeout=600)
    if made.returncode != 0:
        pytest.skip("cannot clone conda's base offline: " + made.stderr[-300:])
    r = make("CONDA=" + conda, "CONDA_ENV=" + env)
    assert r.returncode == 0, r
    eps = subprocess.run([conda, "run", "-p", env, "python", "-c",
                          "from importlib.metadata import entry_points as e;"
                          "print(sorted(x.name for x in e(group='conda')))"],
                         capture_output=True, text=True, timeout=300)
    assert "anaconda-helper" in eps.stdout, eps
