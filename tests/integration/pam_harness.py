# SPDX-License-Identifier: BSD-3-Clause
"""Drive the real pam_anaconda.so through the real libpam: pam_wrapper reads
service files from a temporary directory, nss_wrapper supplies test users
whose homes are temporary directories, and pypamtest (libpamtest) runs the
PAM calls. Each transaction runs in a fresh /usr/bin/python3 process, because
the wrappers must be preloaded at process start; that process is this file
run as a script (`--run`), reading a JSON request on stdin and writing a
JSON answer on stdout, while pam_syslog lines go to its stderr.

As root (CI), homes belong to real unprivileged uids, so the module's
privilege drop is exercised for real; as an ordinary user the test users
share the caller's uid and the tests that need distinct uids skip."""
import base64
import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("AA_BUILD") or os.path.join(ROOT, "build", "default")
MODULE = os.path.join(BUILD, "lib", "pam_anaconda.so")
HELPER = os.path.join(BUILD, "libexec", "pam_anaconda_verify")
PYTHON = "/usr/bin/python3"
RUN_TIMEOUT = 60

# PAM return codes (security/_pam_types.h) the tests talk about.
PAM_SUCCESS = 0
PAM_SERVICE_ERR = 3
PAM_SYSTEM_ERR = 4
PAM_BUF_ERR = 5
PAM_PERM_DENIED = 6
PAM_AUTH_ERR = 7
PAM_AUTHINFO_UNAVAIL = 9
PAM_USER_UNKNOWN = 10
PAM_SESSION_ERR = 14
PAM_IGNORE = 25
PAM_SILENT = 0x8000
# A stack whose only module says PAM_IGNORE fails with this (pam_dispatch.c).
STACK_ALL_IGNORED = PAM_PERM_DENIED

IS_ROOT = os.geteuid() == 0

# name: (uid, gid). As root the test users are distinct unprivileged uids.
# As an ordinary user they all share our own uid: their homes are then
# genuinely theirs, and the module (which cannot drop privileges without
# root, like pam_modutil_drop_priv) reads them as the caller, as it would
# in a screen locker. Tests that need distinct uids are marked needs_root.
if IS_ROOT:
    USERS = {"alice": (12345, 12345), "bob": (12346, 12346),
             "carol": (12347, 12347)}
else:
    USERS = {name: (os.getuid(), os.getgid()) for name in ("alice", "bob", "carol")}
NOBODY = (65534, 65534)
# The account pam_anaconda_verify runs as (the module's default verify_user).
VERIFY_USER = "_anaconda-auth"
VERIFIER = (12399, 12399) if IS_ROOT else (os.getuid(), os.getgid())
# PAM items and conversation styles (security/_pam_types.h).
PAM_RUSER = 8
PAM_PROMPT_ECHO_OFF = 1
PAM_CONV_ERR = 19


@contextlib.contextmanager
def pam_wrapper_lock():
    """Hold while a pam_wrapper process runs. pam_wrapper copies the service
    files into /tmp/pam.X (one character: the name must be as long as
    /etc/pam.d) after checking that X is free, and two processes starting
    at once can pick the same directory and read each other's stacks
    ("illegal module type"). pytest-xdist workers run PAM tests in
    parallel, so they take turns here."""
    path = f"/tmp/aa-pam-wrapper-{os.geteuid()}.lock"
    fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def keyring_text(entries):
    """The keyring file for {domain: base64 TokenInfo}."""
    return json.dumps({"Anaconda Cloud": entries})


def asan_runtime():
    out = subprocess.run(["cc", "-print-file-name=libasan.so"],
                         capture_output=True, text=True).stdout.strip()
    return os.path.realpath(out)


class PamResult:
    def __init__(self, answer, log):
        self.rc = answer.get("rc")
        self.env = answer.get("env")
        self.info = answer.get("info", [])
        self.errors = answer.get("errors", [])
        self.failure = answer.get("failure")
        self.prompts = answer.get("prompts")
        self.log = log

    def __repr__(self):
        return (f"PamResult(rc={self.rc}, env={self.env}, info={self.info}, "
                f"errors={self.errors}, failure={self.failure!r}, "
                f"prompts={self.prompts},\n"
                f"log=\n{self.log})")


class PamWorld:
    """A temporary machine: passwd/group for nss_wrapper, homes, service
    files. Everything lives under one 0755 directory in /tmp so that the
    test users can traverse it after the module drops privileges."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="aa-pam-", dir="/tmp")
        os.chmod(self.root, 0o755)
        self.svc = os.path.join(self.root, "svc")
        os.mkdir(self.svc)
        os.chmod(self.svc, 0o755)
        self.passwd = os.path.join(self.root, "passwd")
        self.group = os.path.join(self.root, "group")
        # $HOME of the calling process: the module must never look there.
        self.caller_home = os.path.join(self.root, "caller-home")
        os.mkdir(self.caller_home)
        lines, groups = [], []
        for name, (uid, gid) in USERS.items():
            home = self.home(name)
            os.makedirs(home)
            os.chmod(home, 0o700)
            self.chown(home, name)
            lines.append(f"{name}:x:{uid}:{gid}:{name}:{home}:/bin/sh")
            groups.append(f"{name}:x:{gid}:")
        lines.append("root:x:0:0:root:/root:/bin/sh")
        lines.append("daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin")
        lines.append(f"nobody:x:{NOBODY[0]}:{NOBODY[1]}:nobody:/nonexistent:/usr/sbin/nologin")
        lines.append(f"{VERIFY_USER}:x:{VERIFIER[0]}:{VERIFIER[1]}::/nonexistent:/usr/sbin/nologin")
        groups += ["root:x:0:", "daemon:x:1:", f"nogroup:x:{NOBODY[1]}:",
                   f"{VERIFY_USER}:x:{VERIFIER[1]}:"]
        self._write(self.passwd, "\n".join(lines) + "\n", 0o644)
        self._write(self.group, "\n".join(groups) + "\n", 0o644)
        self._write(os.path.join(self.svc, "other"),
                    "auth required pam_deny.so\naccount required pam_deny.so\n"
                    "session required pam_deny.so\n", 0o644)

    # -- files --------------------------------------------------------------
    @staticmethod
    def _write(path, text, mode):
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)

    def chown(self, path, user, follow=True):
        if IS_ROOT:
            uid, gid = USERS[user] if user in USERS else (0, 0)
            os.chown(path, uid, gid, follow_symlinks=follow)

    def home(self, user):
        return os.path.join(self.root, "home", user)

    def keyring_path(self, user, rel=".anaconda/keyring"):
        return os.path.join(self.home(user), rel)

    def write_keyring(self, user, text, mode=0o600, owner=None,
                      rel=".anaconda/keyring"):
        """Write the user's keyring file (as root, then chown like the user
        would have it)."""
        path = self.keyring_path(user, rel)
        d = os.path.dirname(path)
        os.makedirs(d, exist_ok=True)
        here = d
        while here != self.home(user):
            os.chmod(here, 0o700)
            self.chown(here, user)
            here = os.path.dirname(here)
        if isinstance(text, dict):
            text = keyring_text(text)
        if isinstance(text, str):
            text = text.encode()
        with open(path, "wb") as f:
            f.write(text)
        os.chmod(path, mode)
        self.chown(path, owner or user)
        return path

    def service(self, name, *lines):
        """Write a service file; lines may say MODULE for our module path."""
        text = "".join(line.replace("MODULE", MODULE) + "\n" for line in lines)
        self._write(os.path.join(self.svc, name), text, 0o644)
        return name

    def copy_readable(self, src, name):
        """A copy of src that the unprivileged helper can read."""
        dst = os.path.join(self.root, name)
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o644)
        return dst

    # -- running PAM ----------------------------------------------------------
    def env(self, extra=None):
        e = {
            "PATH": "/usr/bin:/bin",
            "LD_PRELOAD": "libpam_wrapper.so:libnss_wrapper.so",
            "PAM_WRAPPER": "1",
            "PAM_WRAPPER_SERVICE_DIR": self.svc,
            "PAM_WRAPPER_DEBUGLEVEL": "2",  # pam_syslog to stderr; 3 would print secrets
            "NSS_WRAPPER_PASSWD": self.passwd,
            "NSS_WRAPPER_GROUP": self.group,
            "HOME": self.caller_home,
            "LC_ALL": "C",
            "AA_BUILD": BUILD,
        }
        if os.environ.get("AA_SANITIZE") == "1":
            # An ASan module in a plain python3: the runtime must be loaded
            # first, and pam_wrapper must not dlopen with RTLD_DEEPBIND.
            # Leak checking would report the interpreter's own allocations.
            e["LD_PRELOAD"] = asan_runtime() + ":" + e["LD_PRELOAD"]
            e["PAM_WRAPPER_DISABLE_DEEPBIND"] = "1"
            e["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=1"
        e.update(extra or {})
        return e

    def pam(self, service, user, ops, authtok=None, as_uid=None, env=None,
            timeout=RUN_TIMEOUT):
        """Run one PAM transaction. ops: [(op, expected_rc, flags)], op one of
        authenticate setcred account open_session close_session chauthtok.
        The environment list is fetched at the end when all ops went as
        expected. Returns a PamResult with the actual code of the first op
        that differed (or of the last op)."""
        req = {"service": service, "user": user,
               "ops": [list(o) if len(o) == 3 else [o[0], o[1], 0] for o in ops],
               "authtok": list(authtok or [])}
        answer, log = self._spawn("--run", req, as_uid, env, timeout)
        return PamResult(answer, log)

    def conv(self, service, user, answers=(), ruser=None, as_uid=None,
             setid=None, env=None, timeout=RUN_TIMEOUT):
        """pam_authenticate with a conversation that records every message
        (a list of [style, text]) and answers prompts from `answers`, the
        way a login program would; ruser is set as PAM_RUSER first, as sudo
        and su do. setid=(uid, gid) (as root only) makes the process a
        set-id host run by that user: real ids theirs, effective ids root,
        like sudo, su or polkit-agent-helper-1. Returns a PamResult with
        .rc and .prompts."""
        req = {"service": service, "user": user, "answers": list(answers),
               "ruser": ruser, "setid": list(setid) if setid else None}
        answer, log = self._spawn("--conv", req, as_uid, env, timeout)
        return PamResult(answer, log)

    def _spawn(self, mode, req, as_uid, env, timeout):
        cmd = [PYTHON, os.path.abspath(__file__), mode]
        run_env = self.env(env)
        if as_uid is not None:
            # The wrappers are preloaded only into python: in setpriv,
            # pam_wrapper's constructor would leave a /tmp/pam.X behind.
            uid, gid = as_uid
            cmd = ["setpriv", f"--reuid={uid}", f"--regid={gid}",
                   "--clear-groups", "--", "/usr/bin/env",
                   "LD_PRELOAD=" + run_env.pop("LD_PRELOAD")] + cmd
        with pam_wrapper_lock():
            p = subprocess.run(cmd, input=json.dumps(req).encode(),
                               capture_output=True, env=run_env,
                               timeout=timeout, cwd=self.root)
        out = p.stdout.decode(errors="replace")
        log = p.stderr.decode(errors="replace")
        try:
            answer = json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            raise AssertionError(f"PAM runner failed (exit {p.returncode}):\n"
                                 f"stdout={out}\nstderr={log}") from None
        return answer, log

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)


# -- the runner: executed inside the wrapped process --------------------------

def _run():
    import pypamtest as pt

    ops = {"authenticate": pt.PAMTEST_AUTHENTICATE,
           "setcred": pt.PAMTEST_SETCRED,
           "account": pt.PAMTEST_ACCOUNT,
           "open_session": pt.PAMTEST_OPEN_SESSION,
           "close_session": pt.PAMTEST_CLOSE_SESSION,
           "chauthtok": pt.PAMTEST_CHAUTHTOK}
    req = json.load(sys.stdin)
    cases = [pt.TestCase(ops[name], expected, flags)
             for name, expected, flags in req["ops"]]
    envcase = pt.TestCase(pt.PAMTEST_GETENVLIST)
    answer = {}
    try:
        # positional: the keyword names differ from the docstring
        res = pt.run_pamtest(req["user"], req["service"], cases + [envcase],
                             req["authtok"])
        answer = {"rc": req["ops"][-1][1] if req["ops"] else None,
                  "env": dict(envcase.pam_env or {}),
                  "info": list(res.info), "errors": list(res.errors)}
    except pt.PamTestError as e:
        m = re.search(r"returned \[(-?\d+)\]", str(e))
        answer = {"rc": int(m.group(1)) if m else None, "env": None,
                  "failure": str(e)}
    print(json.dumps(answer))


def _run_conv():
    """libpam through ctypes with our own conversation function: pypamtest
    answers prompts but does not report them, and sets no PAM_RUSER."""
    import ctypes as c

    req = json.load(sys.stdin)
    if req.get("setid"):
        # Dropped here, not by setpriv: a process started with euid 0 and
        # another real uid is secure-exec, and the loader would drop the
        # wrappers from LD_PRELOAD. Started as root, they are loaded.
        uid, gid = req["setid"]
        os.setgroups([])
        os.setresgid(gid, 0, 0)
        os.setresuid(uid, 0, 0)

    class Message(c.Structure):
        _fields_ = [("msg_style", c.c_int), ("msg", c.c_char_p)]

    class Response(c.Structure):
        _fields_ = [("resp", c.c_void_p), ("resp_retcode", c.c_int)]

    CONV = c.CFUNCTYPE(c.c_int, c.c_int, c.POINTER(c.POINTER(Message)),
                       c.POINTER(c.POINTER(Response)), c.c_void_p)

    class Conv(c.Structure):
        _fields_ = [("conv", CONV), ("appdata_ptr", c.c_void_p)]

    # libpam loaded the way a linked program has it (as pypamtest does),
    # then called through the global namespace, where pam_wrapper's
    # preloaded pam_* come first.
    c.CDLL("libpam.so.0", mode=c.RTLD_GLOBAL)
    lib = c.CDLL(None)
    lib.calloc.restype = c.c_void_p
    lib.calloc.argtypes = [c.c_size_t, c.c_size_t]
    lib.strdup.restype = c.c_void_p
    lib.strdup.argtypes = [c.c_char_p]
    answers = [a.encode() for a in req["answers"]]
    seen = []

    def conv(n, msgs, resp, _data):
        arr = c.cast(lib.calloc(n, c.sizeof(Response)), c.POINTER(Response))
        for i in range(n):
            m = msgs[i].contents    # Linux-PAM: an array of pointers
            seen.append([m.msg_style, (m.msg or b"").decode(errors="replace")])
            if m.msg_style in (1, 2):   # PAM_PROMPT_ECHO_OFF / _ON
                if not answers:
                    return PAM_CONV_ERR
                arr[i].resp = lib.strdup(answers.pop(0))
        resp[0] = arr
        return 0

    cb = CONV(conv)
    pamh = c.c_void_p()
    rc = lib.pam_start(req["service"].encode(), req["user"].encode(),
                       c.byref(Conv(cb, None)), c.byref(pamh))
    if rc == 0 and req.get("ruser") is not None:
        rc = lib.pam_set_item(pamh, PAM_RUSER, c.c_char_p(req["ruser"].encode()))
    if rc == 0:
        rc = lib.pam_authenticate(pamh, 0)
    lib.pam_end(pamh, rc)
    print(json.dumps({"rc": rc, "prompts": seen}))


if __name__ == "__main__" and sys.argv[1:] == ["--run"]:
    _run()
elif __name__ == "__main__" and sys.argv[1:] == ["--conv"]:
    _run_conv()
