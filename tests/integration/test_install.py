# SPDX-License-Identifier: BSD-3-Clause
"""`make install` as a packager runs it: a default build, then
`make install DESTDIR=... PREFIX=/usr`; the installed anaconda-auth.pc must
name /usr (it used to keep /usr/local, so linking with `pkg-config --libs`
failed), a program compiled with it must run against the installed library,
and the install must work as an ordinary user. CPPFLAGS reach the compiler,
and -Werror only when WERROR=1.

Each test builds in its own build directory (make B=...), so the suite's
build is never rebuilt under the other tests. The Makefile is what is tested
here, not memory safety: skipped under the sanitizer and valgrind runs."""
import os
import pwd
import shutil
import subprocess
import tempfile

import pytest

from conftest import ROOT, needs_root

pytestmark = pytest.mark.skipif(
    os.environ.get("AA_SANITIZE") == "1" or bool(os.environ.get("AA_VALGRIND")),
    reason="Makefile test: once, in the plain run")

USE_C = """#include <anaconda_auth.h>
#include <stdio.h>
int main(void) { return puts(aa_strerror(AA_OK)) < 0; }
"""


# The make running this suite (and CI) may export these; each test says its own.
MAKE_ENV = {k: v for k, v in os.environ.items()
            if k not in ("WERROR", "MAKEFLAGS", "MAKELEVEL", "MFLAGS", "CPPFLAGS",
                         "CFLAGS", "LDFLAGS", "PREFIX", "DESTDIR", "SANITIZE")}


def make(build, *args, user=None, check=True):
    cmd = ["make", "-C", ROOT, "-j2", "B=" + build, *args]
    if user:
        pw = pwd.getpwnam(user)
        cmd = ["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid,
               "--clear-groups", *cmd]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=MAKE_ENV)
    if check:
        assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return p


@pytest.fixture
def build(tmp_path):
    return str(tmp_path / "build")


def test_pc_follows_prefix_after_a_default_build(tmp_path, build):
    make(build, build + "/anaconda-auth.pc")          # a default (/usr/local) build
    dest = str(tmp_path / "dest")
    make(build, "install", "DESTDIR=" + dest, "PREFIX=/usr")
    pcdir = os.path.join(dest, "usr", "lib", "pkgconfig")
    with open(os.path.join(pcdir, "anaconda-auth.pc")) as f:
        pc = f.read()
    assert "/usr/local" not in pc and "libdir=/usr/lib\n" in pc, pc

    env = dict(os.environ, PKG_CONFIG_PATH=pcdir, PKG_CONFIG_SYSROOT_DIR=dest)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "anaconda-auth"],
                           env=env, capture_output=True, text=True, check=True).stdout.split()
    src, exe = tmp_path / "use.c", str(tmp_path / "use")
    src.write_text(USE_C)
    cc = subprocess.run(["cc", "-o", exe, str(src), *flags], capture_output=True, text=True)
    assert cc.returncode == 0, (flags, cc.stderr)
    lib = os.path.join(dest, "usr", "lib")
    run = subprocess.run([exe], env=dict(os.environ, LD_LIBRARY_PATH=lib),
                         capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.strip(), run
    ldd = subprocess.run(["ldd", exe], env=dict(os.environ, LD_LIBRARY_PATH=lib),
                         capture_output=True, text=True).stdout
    assert "libanaconda-auth.so.0 => " + lib in ldd, ldd


@pytest.fixture
def shared_dir():
    """A directory an ordinary user can reach (pytest's tmp_path is 0700)."""
    d = tempfile.mkdtemp(prefix="aa-install-")
    os.chmod(d, 0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


@needs_root
def test_install_into_destdir_as_an_ordinary_user(shared_dir):
    """A build tree of nobody's, installed by nobody: no chown, no adduser."""
    build = os.path.join(shared_dir, "build")
    make(build, "all", "PREFIX=/usr")
    dest = os.path.join(shared_dir, "dest")
    os.mkdir(dest)
    subprocess.run(["chown", "-R", "nobody:", build, dest], check=True)
    p = make(build, "install", "DESTDIR=" + dest, "PREFIX=/usr", user="nobody")
    # no adduser as non-root or into DESTDIR: the step is printed instead
    assert "adduser --system --group --no-create-home --home /nonexistent _anaconda-auth" \
        in p.stdout, p.stdout
    helper = os.path.join(dest, "usr/libexec/anaconda-auth/pam_anaconda_verify")
    assert oct(os.stat(helper).st_mode & 0o7777) == "0o711"
    assert os.path.exists(os.path.join(dest, "usr/bin/anaconda-auth"))
    with open(os.path.join(dest, "usr/share/man/man8/pam_anaconda.8")) as f:
        assert "/usr/local" not in f.read()    # man pages name the install paths


def test_cppflags_reach_the_compiler_and_werror_only_when_asked(build):
    obj = build + "/obj/common/base64.o"
    plain = make(build, "-n", "V=1", "CPPFLAGS=-DAA_TEST_CPPFLAGS_MARK", obj).stdout
    assert "-DAA_TEST_CPPFLAGS_MARK" in plain, plain
    assert "-Werror " not in plain, plain
    strict = make(build, "-n", "V=1", "WERROR=1", obj).stdout
    assert "-Werror " in strict, strict
