# SPDX-License-Identifier: BSD-3-Clause
"""config.toml may hold an API key (0.15 allows `api_key` in a site): the
TOML reader and its edits must leave no copy of it in freed heap memory.
Reading a file, a refused file, and editing a file run with the free()
scanner of test_no_secret_in_freed_memory.py (tests/freescan) preloaded."""
import os
import subprocess

import pytest

from conftest import BUILD, make_jwt
from test_no_secret_in_freed_memory import (  # noqa: F401 (fixtures)
    freescan_so, pytestmark, scanner_for)

DUMP = os.path.join(BUILD, "tests", "toml_dump")


def config_with_key(tmp_path, key, tail=""):
    p = tmp_path / "config.toml"
    p.write_text('default_site = "x"\n\n[sites.x]\ndomain = "anaconda.com"\n'
                 'api_key = "%s"\n\n[sites.y]\napi_key = """%s"""\n%s' % (key, key, tail))
    return p


def run(scanner, *args, stdin=None):
    return subprocess.run([DUMP, *args], capture_output=True, text=True, input=stdin,
                          env=dict(os.environ, **scanner.env()), timeout=60)


@pytest.fixture
def key():
    return make_jwt(extra={"jti": os.urandom(16).hex()})


def test_reading_config_toml_leaves_no_freed_copy_of_the_key(tmp_path, key, scanner_for):
    sc = scanner_for(key)
    r = run(sc, "--load", str(config_with_key(tmp_path, key)))
    assert r.returncode == 0 and r.stdout == "2\n", r
    sc.assert_clean("reading config.toml")


def test_refused_config_toml_leaves_no_freed_copy_of_the_key(tmp_path, key, scanner_for):
    sc = scanner_for(key)
    r = run(sc, "--load", str(config_with_key(tmp_path, key, tail="broken\n")))
    assert r.returncode == 1 and ":9: expected '='" in r.stderr, r
    assert key not in r.stderr
    sc.assert_clean("refusing config.toml")


def test_editing_config_toml_leaves_no_freed_copy_of_the_key(tmp_path, key, scanner_for):
    sc = scanner_for(key)
    r = run(sc, "--edit", str(config_with_key(tmp_path, key)))
    assert r.returncode == 0, r
    sc.assert_clean("editing config.toml")


def test_setting_an_api_key_leaves_no_freed_copy_of_it(tmp_path, key, scanner_for):
    """`sites modify --api-key`: the new key is quoted, checked, spliced
    into the text and the result parsed again; no step may leave a copy."""
    p = tmp_path / "config.toml"
    p.write_text('[sites.x]\ndomain = "anaconda.com"\n')
    sc = scanner_for(key)
    r = run(sc, "--set-key", str(p), stdin=key)
    assert r.returncode == 0, r
    sc.assert_clean("setting api_key in config.toml")
