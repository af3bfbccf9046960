"""Running the real git in a test: an explicit git binary, a temporary HOME
with no system config, no terminal prompts, our build first on PATH (so
`credential.helper=anaconda` finds git-credential-anaconda), and a bounded
run() for every git command."""
import os
import shutil
import subprocess

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
