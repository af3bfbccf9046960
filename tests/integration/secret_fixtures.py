# SPDX-License-Identifier: BSD-3-Clause
"""A private D-Bus session for a test, with or without a real Secret Service
(gnome-keyring-daemon), and the variables that point our binaries at it and
at the freshly built anaconda-auth-secret.so.

Each session is one `dbus-run-session` running a tiny shell script that
prints the bus address and then waits on its stdin; closing stdin ends the
session, and with it the bus and the keyring daemon. Every wait is bounded.
"""
import os
import pathlib
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import BUILD

MODULE = os.path.join(BUILD, "lib", "anaconda-auth-secret.so")
PASSWORD = "test-keyring-pw"
START_TIMEOUT = 20
# How long a command waits for the Secret Service; under valgrind GLib and
# libsecret run many times slower, and a healthy service must not look stuck.
SECRET_TIMEOUT = "20" if os.environ.get("AA_VALGRIND") == "1" else "5"
SERVICE = "Anaconda Cloud"
APP_ID = "Python keyring library"

NEEDED = ("dbus-run-session", "gnome-keyring-daemon", "secret-tool", "gdbus")

# A session bus that knows no activatable services: "a bus but no Secret Service".
_BARE_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

# Another user's bus, as an attacker would run it: any uid may connect.
# ANONYMOUS only: with EXTERNAL the daemon looks the client's uid up in
# passwd for <allow user="*"/> and closes the connection of a uid it does
# not find (our test victim has none); ANONYMOUS skips that.
_FOREIGN_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>{listen}</listen>
  <auth>ANONYMOUS</auth>
  <allow_anonymous/>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

# The uid that plays the other user: nobody, as nothing else runs as it here.
FOREIGN_UID = 65534


def missing_tools():
    return [t for t in NEEDED if not shutil.which(t)]


class SecretSession:
    """One D-Bus session. kind: 'unlocked' (gnome-keyring with an unlocked
    login collection), 'activatable' (nothing started: D-Bus activates
    gnome-keyring on first use, which has no keyring to open), 'no-service'
    (a bus on which no Secret Service exists or can start).
    owner: a uid to run the whole session as (another user's bus and
    keyring, listening on `listen`: 'path' or 'abstract'), or None for ours."""

    def __init__(self, env, kind, owner=None, listen="path"):
        self.env = env
        self.kind = kind
        self.owner = owner
        self.listen = listen
        # A short path of its own: sockets live here, and a unix socket path
        # must fit in 108 bytes (pytest-xdist's temp paths are long).
        self.runtime = pathlib.Path(tempfile.mkdtemp(prefix="aa-rt-", dir="/tmp"))
        if owner is not None:
            # The other user's own directory, which everyone may enter.
            os.chown(self.runtime, owner, owner)
            os.chmod(self.runtime, 0o755)
        self.proc = None
        self.address = None
        self._frozen = []

    # ---- lifetime ------------------------------------------------------

    def start(self):
        script = ""
        if self.kind == "unlocked":
            # printf, not echo: a trailing newline would become part of the password.
            script += ('printf %s "$AA_TEST_KEYRING_PW" | gnome-keyring-daemon '
                       '--unlock --components=secrets --daemonize >/dev/null 2>&1; ')
        script += 'echo "BUS=$DBUS_SESSION_BUS_ADDRESS"; read _ignored'
        cmd = ["dbus-run-session"]
        if self.kind == "no-service":
            conf = self.env.tmp / "bare-bus.conf"
            conf.write_text(_BARE_BUS_CONFIG.format(dir=self.runtime))
            cmd += ["--config-file", str(conf)]
        if self.owner is not None:
            cmd = self._as_owner(cmd)
        cmd += ["--", "sh", "-c", script]
        e = dict(self.env.vars)
        e.update({"XDG_RUNTIME_DIR": str(self.runtime),
                  "AA_TEST_KEYRING_PW": PASSWORD})
        if self.owner is not None:
            e["HOME"] = str(self.runtime)  # gnome-keyring keeps its files there
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=e,
                                     start_new_session=True)
        line = self._read_line(START_TIMEOUT)
        m = re.match(r"BUS=(\S+)", line or "")
        if not m:
            self.stop()
            raise RuntimeError(f"dbus-run-session did not start: {line!r}")
        self.address = m.group(1)
        if self.owner is not None:
            self._wait_for_service()
        return self

    def _wait_for_service(self):
        """--daemonize may return before the daemon owns its name, and the
        other user's bus has no .service file to start it on demand."""
        end = time.monotonic() + START_TIMEOUT
        while time.monotonic() < end:
            rc, out, _ = self.tool("gdbus", "call", "--session", "--dest",
                                   "org.freedesktop.DBus", "--object-path",
                                   "/org/freedesktop/DBus", "--method",
                                   "org.freedesktop.DBus.NameHasOwner",
                                   "org.freedesktop.secrets")
            if rc == 0 and "true" in out:
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("the other user's gnome-keyring-daemon did not start")

    def _as_owner(self, cmd):
        """dbus-run-session as the other user, with a bus any uid may join."""
        if self.listen == "abstract":
            listen = f"unix:abstract={self.runtime}"
        else:
            listen = f"unix:path={self.runtime}/bus"
        conf = self.runtime / "foreign-bus.conf"
        conf.write_text(_FOREIGN_BUS_CONFIG.format(listen=listen))
        os.chmod(conf, 0o644)
        return ["setpriv", f"--reuid={self.owner}", f"--regid={self.owner}",
                "--clear-groups", "--"] + cmd + ["--config-file", str(conf)]

    def _read_line(self, timeout):
        end = time.monotonic() + timeout
        buf = b""
        fd = self.proc.stdout.fileno()
        while b"\n" not in buf:
            left = end - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 4096)
            if not chunk:
                return None
            buf += chunk
        return buf.decode(errors="replace").splitlines()[0]

    def stop(self):
        for pid in self._frozen:
            _signal(pid, signal.SIGCONT)
        if not self.proc:
            return
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)
        self.proc.stdout.close()
        self._reap_daemons()
        shutil.rmtree(self.runtime, ignore_errors=True)

    def _reap_daemons(self):
        """gnome-keyring-daemon leaves the session's process group when it
        daemonises; it exits when the bus goes, but make sure: end the ones
        started for this session (they carry our XDG_RUNTIME_DIR)."""
        deadline = time.monotonic() + 10
        while True:
            left = self._daemons()
            if not left:
                return
            if time.monotonic() > deadline:
                for pid in left:
                    _signal(pid, signal.SIGKILL)
                return
            for pid in left:
                _signal(pid, signal.SIGTERM)
            time.sleep(0.1)

    # ---- what tests use ------------------------------------------------

    def vars(self, storage="system", **extra):
        """Variables for env.run(): the bus, the module, system storage."""
        v = {"DBUS_SESSION_BUS_ADDRESS": self.address,
             "XDG_RUNTIME_DIR": str(self.runtime),
             "ANACONDA_AUTH_SECRET_MODULE": MODULE,
             "ANACONDA_AUTH_SECRET_TIMEOUT": SECRET_TIMEOUT}
        if storage:
            v["ANACONDA_AUTH_PREFERRED_TOKEN_STORAGE"] = storage
        v.update(extra)
        return v

    def tool(self, *args, input=None, timeout=30):
        """Run secret-tool or gdbus inside the session."""
        e = dict(self.env.vars)
        e.update(self.vars(storage=None))
        p = subprocess.run(list(args), input=input, capture_output=True,
                           env=e, timeout=timeout)
        return p.returncode, p.stdout.decode(errors="replace"), \
            p.stderr.decode(errors="replace")

    def lookup(self, domain):
        """The secret secret-tool finds for python-keyring's attributes, or None."""
        rc, out, _ = self.tool("secret-tool", "lookup", "service", SERVICE,
                               "username", domain)
        return out if rc == 0 and out else None

    def search(self, domain):
        """secret-tool's description of every item for domain (attributes, label)."""
        rc, out, err = self.tool("secret-tool", "search", "--all", "service",
                                 SERVICE, "username", domain)
        return out + err

    def store_like_python(self, domain, value, label=None):
        """An item in python-keyring's layout, written by secret-tool."""
        label = label or f"Password for '{domain}' on '{SERVICE}'"
        rc, out, err = self.tool("secret-tool", "store", f"--label={label}",
                                 "service", SERVICE, "username", domain,
                                 "application", APP_ID, input=value.encode())
        assert rc == 0, err

    def _gdbus(self, method, *args):
        rc, out, err = self.tool("gdbus", "call", "--session", "--dest",
                                 "org.freedesktop.secrets", "--object-path",
                                 "/org/freedesktop/secrets", "--method",
                                 f"org.freedesktop.Secret.Service.{method}",
                                 *args)
        assert rc == 0, err
        return out

    def lock(self, collection="/org/freedesktop/secrets/collection/login"):
        """Lock a collection over D-Bus (no prompt involved)."""
        self._gdbus("Lock", f"['{collection}']")

    def item_paths(self, domain):
        """(unlocked, locked) item paths for domain, straight from SearchItems."""
        out = self._gdbus("SearchItems",
                          f"{{'service': '{SERVICE}', 'username': '{domain}'}}")
        lists = re.findall(r"\[([^\]]*)\]", out)
        paths = [re.findall(r"'(/[^']*)'", x) for x in lists]
        return (paths + [[], []])[:2]

    def freeze_daemon(self):
        """SIGSTOP this session's gnome-keyring-daemon: every call to the
        Secret Service then hangs until our timeout fires. (The bus's idea of
        the owner's pid is useless: the daemon forks after connecting.)"""
        pids = self._daemons()
        assert pids, "no gnome-keyring-daemon found for this session"
        for pid in pids:
            self._frozen.append(pid)
            _signal(pid, signal.SIGSTOP)
        return pids

    def _daemons(self):
        """gnome-keyring-daemon processes started for this session (they
        carry our XDG_RUNTIME_DIR in their environment)."""
        marker = f"XDG_RUNTIME_DIR={self.runtime}".encode()
        found = []
        for pid in _pids_named("gnome-keyring-d"):
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    if marker in f.read().split(b"\0"):
                        found.append(pid)
            except OSError:
                pass
        return found


def _signal(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _pids_named(comm):
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/comm") as f:
                    if f.read().strip() == comm:
                        yield int(d)
            except OSError:
                pass


def _session(env, kind):
    if missing_tools():
        pytest.skip(f"needs {', '.join(missing_tools())} (scripts/install-deps)")
    if not os.path.exists(MODULE):
        pytest.skip(f"{MODULE} not built (libsecret-1 development files missing?)")
    s = SecretSession(env, kind).start()
    return s


@pytest.fixture
def secret_service(env):
    """A running, unlocked Secret Service (gnome-keyring) on a private bus."""
    s = _session(env, "unlocked")
    yield s
    s.stop()


@pytest.fixture(params=["path", "abstract"])
def foreign_secret_service(env, request):
    """Another user's running, unlocked Secret Service on a bus that lets
    anyone in: on a socket in their directory, or on an abstract socket."""
    if os.geteuid() != 0:
        pytest.skip("needs root to run a bus as another user")
    if not shutil.which("setpriv"):
        pytest.skip("needs setpriv (util-linux)")
    if missing_tools():
        pytest.skip(f"needs {', '.join(missing_tools())} (scripts/install-deps)")
    if not os.path.exists(MODULE):
        pytest.skip(f"{MODULE} not built (libsecret-1 development files missing?)")
    s = SecretSession(env, "unlocked", owner=FOREIGN_UID,
                      listen=request.param).start()
    yield s
    s.stop()


@pytest.fixture
def activatable_bus(env):
    """A private bus on which gnome-keyring is only D-Bus-activatable."""
    s = _session(env, "activatable")
    yield s
    s.stop()


@pytest.fixture
def bus_without_service(env):
    """A private bus with no Secret Service at all."""
    s = _session(env, "no-service")
    yield s
    s.stop()
