# SPDX-License-Identifier: BSD-3-Clause
"""Programs that hold keys keep them out of core dumps and debuggers: each
sets its core limit to 0 and makes itself non-dumpable first thing, as
ssh-agent does. Seen from outside through /proc while the program waits
for a key on its standard input: the limit is 0, and /proc/PID/environ belongs to
root although the program runs as someone else (the kernel's sign of a
non-dumpable process)."""
import contextlib
import os
import resource
import subprocess
import time

import pytest

from conftest import BUILD

WAIT = 30  # seconds a program may take to reach its read of stdin
NOBODY = 65534

PROGRAMS = {
    "anaconda-auth": ["bin/anaconda-auth", "login", "--with-api-key"],
    "git-credential-anaconda": ["bin/git-credential-anaconda", "get"],
    "conda-credential-anaconda": ["bin/conda-credential-anaconda", "token",
                                  "install", "--org", "acme", "--no-validate", "-"],
    "pam_anaconda_verify": ["libexec/pam_anaconda_verify", "verify"],
}


@contextlib.contextmanager
def cores_allowed():
    """Raise our soft core limit to the hard one while a child starts (it
    inherits it), and put ours back. No preexec_fn: Python code between
    fork and exec is unsafe in a process with threads (xdist's)."""
    old = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (old[1], old[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_CORE, old)


def start(cmd, **kw):
    """Start cmd with cores allowed and, as root, as nobody: then
    /proc/PID/environ would belong to nobody if cmd stayed dumpable."""
    if os.geteuid() == 0:
        kw.update(user=NOBODY, group=NOBODY, extra_groups=[])
    with cores_allowed():
        return subprocess.Popen(cmd, cwd="/", stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, **kw)


def core_limit(pid):
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max core file size"):
                return line.split()[4:6]
    return None


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_no_core_dumps_while_holding_a_key(name):
    if resource.getrlimit(resource.RLIMIT_CORE)[1] == 0:
        pytest.skip("the hard core limit is already 0 here: nothing to observe")
    path, *args = PROGRAMS[name]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LC_ALL": "C"}
    p = start([os.path.join(BUILD, path), *args], env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + WAIT
        limit = core_limit(p.pid)
        while limit != ["0", "0"] and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
            limit = core_limit(p.pid)
        assert p.poll() is None, f"{name} exited early: {p.stderr.read()!r}"
        assert limit == ["0", "0"], limit
        assert os.stat(f"/proc/{p.pid}/environ").st_uid == 0
    finally:
        p.kill()
        p.wait()
        p.stdin.close()
        p.stderr.close()


def test_a_dumpable_program_is_seen_as_such():
    """The check above can tell: a program that does nothing of the kind
    keeps the limit it was given and owns its /proc/PID/environ."""
    if resource.getrlimit(resource.RLIMIT_CORE)[1] == 0:
        pytest.skip("the hard core limit is already 0 here: nothing to observe")
    p = start(["cat"])
    try:
        # Popen returns once cat runs (its exec closed the error pipe).
        assert core_limit(p.pid) != ["0", "0"]
        assert os.stat(f"/proc/{p.pid}/environ").st_uid == (NOBODY if os.geteuid() == 0 else os.geteuid())
    finally:
        p.kill()
        p.wait()
        p.stdin.close()
