# SPDX-License-Identifier: BSD-3-Clause
"""Running the real git in a test: an explicit git binary, a temporary HOME
with no system config, no terminal prompts, our build first on PATH (so
`credential.helper=anaconda` finds git-credential-anaconda), and a bounded
run() for every git command."""
import os
import pty
import select
import shutil
import subprocess
import tempfile
import time

GIT = shutil.which("git") or "/usr/bin/git"
TIMEOUT = 60


class GitEnv:
    """Wraps the conftest `env` fixture: same HOME, plus git's settings."""

    def __init__(self, env, bin_dir, extra=None):
        self.env = env
        self.vars = dict(env.vars)
        self.vars.update({
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": "/bin/false",
            "SSH_ASKPASS": "/bin/false",
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.com",
            "PATH": bin_dir + os.pathsep + self.vars.get("PATH", "/usr/bin:/bin"),
        })
        self.vars.update(extra or {})

    def run(self, *args, input=None, env=None, cwd=None, timeout=TIMEOUT,
            check=False):
        e = dict(self.vars)
        e.update(env or {})
        if isinstance(input, str):
            input = input.encode()
        p = subprocess.run([GIT, *args], input=input, capture_output=True,
                           env=e, cwd=str(cwd or self.env.cwd),
                           timeout=timeout, stdin=None if input is not None
                           else subprocess.DEVNULL)
        out = p.stdout.decode(errors="replace")
        err = p.stderr.decode(errors="replace")
        if check and p.returncode:
            raise AssertionError(f"git {' '.join(args)} failed "
                                 f"({p.returncode}): {err}")
        return p.returncode, out, err

    def config(self, *args):
        return self.run("config", "--global", *args, check=True)

    def credential(self, op, description, **kw):
        """git credential <op> with `description` (a dict or text)."""
        if isinstance(description, dict):
            description = "".join(f"{k}={v}\n" for k, v in
                                  description.items()) + "\n"
        return self.run("credential", op, input=description, **kw)


def parse_credential(text):
    """key=value lines to a dict (the last value of a key wins)."""
    out = {}
    for line in text.splitlines():
        if "=" in line:
            k, _, v = line.partition("=")
            out[k] = v
    return out


def run_on_pty(argv, env, stdin_text, timeout=30, cwd=None):
    """Run argv with a new controlling terminal (a pty) but stdin, stdout
    and stderr redirected, the way git runs a helper from a terminal
    session. Returns (returncode, stdout, what appeared on the terminal);
    stderr is kept in run_on_pty.stderr for messages."""
    master, slave = pty.openpty()
    slave_name = os.ttyname(slave)

    def make_tty_controlling():
        os.setsid()
        fd = os.open(slave_name, os.O_RDWR)  # first open makes it ours
        os.close(fd)

    out_f, err_f = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=out_f,
                         stderr=err_f, env=env, cwd=cwd,
                         preexec_fn=make_tty_controlling)
    # The parent keeps the slave open until it has read everything: Linux
    # drops unread output once the last slave descriptor closes.
    p.stdin.write(stdin_text.encode())
    p.stdin.close()
    screen = b""
    deadline = time.monotonic() + timeout
    while p.poll() is None and time.monotonic() < deadline:
        if select.select([master], [], [], 0.1)[0]:
            screen += os.read(master, 4096)
    if p.poll() is None:
        p.kill()
    while select.select([master], [], [], 0.2)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        screen += chunk
    p.wait(timeout=10)
    os.close(slave)
    os.close(master)
    out_f.seek(0)
    err_f.seek(0)
    run_on_pty.stderr = err_f.read().decode(errors="replace")
    return p.returncode, out_f.read().decode(), screen.decode(errors="replace")
