# SPDX-License-Identifier: BSD-3-Clause
"""What a config.toml costs at start-up, without timing anything: with a
realistic file present (as anaconda-auth 0.15 writes it) the lookups load
exactly the libraries they load without one (the TOML reader is our own,
nothing is opened on demand for it), and still answer with the key.
bench/ has the timings ("config.toml present" rows)."""
import os
import re

import pytest

from conftest import BIN, make_jwt

GIT = os.path.join(BIN, "git-credential-anaconda")
CONDA = os.path.join(BIN, "conda-credential-anaconda")

# default_site, [plugin.auth], three sites with comments, as in bench/run.
CONFIG_TOML = """\
# Anaconda settings, as `anaconda-auth` 0.15 and `anaconda sites add` write them.
default_site = "anaconda.com"

[plugin.auth]
# Global settings for every site.
preferred_token_storage = "anaconda-keyring"
ssl_verify = true
use_device_flow = false
timeout = 60

[sites."anaconda.com"]
# The public Anaconda service.
domain = "anaconda.com"
use_unified_repo_api_key = true

[sites.acme]
# An on-premises Package Security Manager.
domain = "anaconda.acme.example"
proxy_servers = { https = "http://proxy.acme.example:3128" }
extra_headers = { X-Acme-Team = "data-science" }

[sites.staging]
domain = "staging.anaconda.acme.example"
ssl_verify = false
"""

LOOKUPS = [
    ("anaconda-auth", ("api-key",), None, "{key}\n"),
    (GIT, ("get",), "protocol=https\nhost=anaconda.com\n\n", "password={key}\n"),
    (CONDA, ("get", "https://repo.anaconda.com/pkgs/main"), None,
     "Authorization: Bearer {key}\n"),
]


def libraries(env, prog, args, stdin, want):
    """The shared objects the dynamic loader opened (LD_DEBUG=files)."""
    r = env.run(prog, *args, input=stdin, env={"LD_DEBUG": "files"},
                valgrind=False)
    assert r.returncode == 0 and want in r.stdout, r
    libs = set(re.findall(r"\bfile=(\S+)", r.stderr))
    assert any("libc.so" in lib for lib in libs), r.stderr  # the trace is there
    return libs


@pytest.mark.parametrize("prog,args,stdin,want", LOOKUPS,
                         ids=["api-key", "git get", "conda get"])
def test_config_toml_loads_no_library(env, prog, args, stdin, want):
    if not os.path.exists(env.bin(prog) if not os.path.isabs(prog) else prog):
        pytest.skip(f"{prog} not built")
    key = make_jwt(sub="cost")
    r = env.run("anaconda-auth", "login", "--with-api-key", input=key + "\n")
    assert r.returncode == 0, r
    want = want.format(key=key)
    without = libraries(env, prog, args, stdin, want)
    path = env.home / ".anaconda" / "config.toml"
    path.write_text(CONFIG_TOML)
    os.chmod(path, 0o600)
    r = env.run("anaconda-auth", "config")
    assert r.returncode == 0 and "warning" not in r.stderr, r  # a valid file
    assert "config.toml:2 default_site" in r.stdout, r  # the file is in effect
    with_file = libraries(env, prog, args, stdin, want)
    assert with_file == without
