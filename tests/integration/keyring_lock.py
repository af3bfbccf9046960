# SPDX-License-Identifier: BSD-3-Clause
"""Be the concurrent writer: hold the keyring lock (flock on keyring.lock,
as every writer does), let a command start and reach the lock, change the
keyring meanwhile, then let it go. A command that read the keyring before
taking the lock then writes back a stale copy, and the change is lost."""
import fcntl
import os
import subprocess
import time

BOUND = 30  # seconds for the command to reach the lock, and to finish


def _has_open(pid, path):
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == path:
                return True
        except OSError:
            pass
    return False


def race_with_writer(env, cmd, change, input=None, extra_env=None):
    """Run cmd (argv list) while holding the lock; once it has opened the lock
    file, call change() and release. Returns (returncode, stdout, stderr)."""
    lock_path = str(env.keyring) + ".lock"
    env.keyring.parent.mkdir(mode=0o700, exist_ok=True)
    e = dict(env.vars)
    e.update(extra_env or {})
    e["ANACONDA_AUTH_LOCK_TIMEOUT"] = str(BOUND)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        r, w = os.pipe()        # the input is small: it fits in the pipe
        os.write(w, (input or "").encode())
        os.close(w)
        p = subprocess.Popen(cmd, stdin=r, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=e, cwd=str(env.cwd))
        os.close(r)
        deadline = time.monotonic() + BOUND
        while p.poll() is None and not _has_open(p.pid, lock_path):
            assert time.monotonic() < deadline, "the command never reached the lock"
            time.sleep(0.01)
        change()
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    out, err = p.communicate(timeout=BOUND)
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")
