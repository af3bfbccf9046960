# SPDX-License-Identifier: BSD-3-Clause
"""The requests auth class conda uses for channels routed to `anaconda-auth`
(the name Python anaconda-auth 0.15 registers) or `anaconda-helper`.

It runs `conda-credential-anaconda get --format value <url>` (an argv list,
never a shell), remembers the answer per host and organization for the life
of the process, sets `Authorization`, and turns a 401/403 into a conda error
that says which command fixes it."""
import fnmatch
import os
import shutil
import subprocess
import threading
from urllib.parse import urlsplit, urlunsplit

from conda.exceptions import CondaError
from conda.plugins.types import ChannelAuthBase

HANDLER_NAME = "anaconda-helper"
# condarc files written for Python anaconda-auth say `auth: anaconda-auth`
HANDLER_NAMES = ("anaconda-auth", HANDLER_NAME)
HELPER = "conda-credential-anaconda"
HELPER_TIMEOUT = 30
EXIT_NO_CREDENTIAL = 3
EXIT_EXPIRED = 4
SETTINGS_KEYS = (("auth_domain", "--auth-domain"),
                 ("credential_type", "--credential-type"))

_cache = {}
_cache_lock = threading.Lock()


class AnacondaHelperError(CondaError):
    """A conda error (conda prints it without a traceback)."""


def _bare_url(url):
    """scheme://host[:port]/path: no userinfo, query or fragment in argv."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _org(path):
    """The organization a /repo/<org>/... path names, else None."""
    segs = [s for s in path.split("/") if s]
    if "repo" in segs:
        i = segs.index("repo")
        if i + 1 < len(segs):
            return segs[i + 1]
    return None


def _channel_settings(url):
    """The extra keys of the last channel_settings entry matching url, as conda matches."""
    try:
        from conda.base.context import context
        entries = list(context.channel_settings or ())
    except Exception:  # conda without context, or no settings: nothing extra
        return {}
    parts = urlsplit(url)
    target = parts.netloc + parts.path
    found = {}
    for entry in entries:
        if entry.get("auth") not in HANDLER_NAMES:
            continue
        pat = urlsplit(entry.get("channel", ""))
        if pat.scheme == parts.scheme and fnmatch.fnmatch(target, pat.netloc + pat.path):
            found = entry
    return {k: found[k] for k, _ in SETTINGS_KEYS if found.get(k)}


def _helper_path():
    return os.environ.get("CONDA_CREDENTIAL_ANACONDA") or shutil.which(HELPER)


class _Answer:
    def __init__(self, value=None, problem=None, expired=False):
        self.value = value      # "Bearer ..." / "token ..." or None
        self.problem = problem  # the helper's message when it had no value
        self.expired = expired


def _ask_helper(url, settings):
    exe = _helper_path()
    if not exe:
        return _Answer(problem=f"{HELPER} was not found on PATH "
                               "(set CONDA_CREDENTIAL_ANACONDA to its path)")
    argv = [exe, "get", "--format", "value"]
    for key, flag in SETTINGS_KEYS:
        if key in settings:
            argv += [flag, str(settings[key])]
    argv.append(url)
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=HELPER_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        return _Answer(problem=f"{HELPER} could not run: {e}")
    message = p.stderr.decode("utf-8", "replace").strip()
    if p.returncode == 0:
        value = p.stdout.decode("ascii", "replace").strip()
        if value and "\n" not in value and "\r" not in value:
            return _Answer(value=value)
        return _Answer(problem=f"{HELPER} printed an unusable answer")
    return _Answer(problem=message or None,
                   expired=p.returncode == EXIT_EXPIRED)


def credential_for(url):
    """The Authorization value for url, asked once per host and org."""
    bare = _bare_url(url)
    parts = urlsplit(bare)
    key = (parts.scheme, parts.netloc.lower(), _org(parts.path))
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    answer = _ask_helper(bare, _channel_settings(bare))
    with _cache_lock:
        return _cache.setdefault(key, answer)


def clear_cache():
    with _cache_lock:
        _cache.clear()


def _fix_for(value, url):
    """The command that fixes a refusal for this kind of credential."""
    org = _org(urlsplit(url).path)
    if value and value.startswith("token "):
        return f"{HELPER} token install --org {org}" if org else f"{HELPER} token install"
    if value is None and org and org != "main-x" and urlsplit(url).netloc:
        return f"{HELPER} token install --org {org} (or anaconda-auth login)"
    return "anaconda-auth login"


class AnacondaHelperAuth(ChannelAuthBase):
    """requests auth for one channel; conda builds one per channel session."""

    def __call__(self, request):
        answer = credential_for(request.url)
        if answer.expired:
            raise AnacondaHelperError(
                (answer.problem or "Your Anaconda API key has expired.")
                + f" Channel: {self.channel_name}")
        if answer.value:
            request.headers["Authorization"] = answer.value
        request.register_hook("response", self._make_hook(answer))
        return request

    def _make_hook(self, answer):
        def check(response, **kwargs):
            if response.status_code not in (401, 403):
                return response
            fix = _fix_for(answer.value, response.url)
            if answer.value:
                raise AnacondaHelperError(
                    f"Received authentication error ({response.status_code}) when "
                    f"accessing {self.channel_name}. If your token is invalid or "
                    f"expired, please re-install it with: {fix}")
            why = f" ({answer.problem})" if answer.problem else ""
            raise AnacondaHelperError(
                f"Token not found for {self.channel_name}{why}. "
                f"Please install one with: {fix}")
        return check
