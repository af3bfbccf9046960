# SPDX-License-Identifier: BSD-3-Clause
"""A person logs in with the device flow (RFC 8628): the CLI shows a URL and
a code, someone approves it on any device, the CLI polls until then."""
import json
import os
import re
import subprocess
import time

import pytest

from login_env import emulator_env, jwt_claims, login, store, stored, stored_key


def start_login(env, em, *args, **extra):
    """Run login in the background (for approving by hand meanwhile)."""
    e = dict(env.vars)
    e.update(emulator_env(em, None, **extra))
    return subprocess.Popen([env.bin("anaconda-auth"), "login", *args], env=e,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=str(env.cwd))


def finish(proc, timeout=60):
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


def test_device_login_approved_in_the_browser(env, emulator):
    r = login(env, emulator, "--device", "--timeout", "30")
    assert r.returncode == 0, r
    key = stored_key(env, emulator.domain)
    assert key and jwt_claims(key)["scopes"] == ["cloud:read", "cloud:write", "repo:read"]
    assert "/device" in r.stderr and "enter the code:" in r.stderr
    (dev,) = emulator.requests("/api/auth/oauth2/device/authorize")
    assert dev["form"]["client_id"] and dev["auth_scheme"] is None
    polls = emulator.requests("/api/auth/oauth2/token")
    assert polls and all(p["form"]["grant_type"] ==
                         "urn:ietf:params:oauth:grant-type:device_code" for p in polls)
    assert all("client_secret" not in p["form"] for p in polls)
    # polling at the server's interval never earns a slow_down (which raises it)
    (dev,) = emulator.devices()
    assert dev["interval"] == 1 and dev["issued"]


def test_device_flow_is_the_default_with_a_browser(env, emulator):
    # as anaconda-auth 0.15 (use_device_flow defaults to true): $BROWSER and a
    # display do not switch to the browser flow; the browser is sent to
    # verification_uri_complete (through the private forwarding page)
    r = login(env, emulator, "--timeout", "30", DISPLAY=":0")
    assert r.returncode == 0, r
    assert emulator.requests("/api/auth/oauth2/device/authorize")
    assert not emulator.requests("/api/auth/oauth2/authorize")
    (dev,) = emulator.devices()
    pages = emulator.requests("/device", method="GET")
    assert pages and pages[0]["query"].get("user_code") == dev["user_code"]
    assert "The code expires in 5:00." in r.stderr


def test_browser_flow_by_flag_or_setting(env, emulator):
    r = login(env, emulator, "--browser", "--timeout", "30")
    assert r.returncode == 0, r
    assert emulator.requests("/api/auth/oauth2/authorize")
    emulator.clear_requests()
    r = login(env, emulator, "--force", "--timeout", "30",
              ANACONDA_AUTH_USE_DEVICE_FLOW="false")
    assert r.returncode == 0, r
    assert emulator.requests("/api/auth/oauth2/authorize")
    assert not emulator.requests("/api/auth/oauth2/device/authorize")


def test_headless_machine_picks_the_device_flow(env, emulator):
    # no DISPLAY, no WAYLAND_DISPLAY, no $BROWSER (the env fixture drops them)
    proc = start_login(env, emulator, "--timeout", "30")
    try:
        code = emulator.wait_for_device(timeout=20)
        emulator.approve_device(code)
    finally:
        rc, out, err = finish(proc)
    assert rc == 0, err
    assert code in err
    assert stored_key(env, emulator.domain)
    assert not emulator.requests("/api/auth/oauth2/authorize")


def test_use_device_flow_setting(env, emulator):
    r = login(env, emulator, "--timeout", "30", ANACONDA_AUTH_USE_DEVICE_FLOW="true")
    assert r.returncode == 0, r
    assert emulator.requests("/api/auth/oauth2/device/authorize")
    assert not emulator.requests("/api/auth/oauth2/authorize")


def test_slow_down_adds_five_seconds(env, emulator):
    emulator.set(device_slow_down_once=True, device_auto_approve_after=0)
    r = login(env, emulator, "--device", "--no-browser", "--timeout", "30")
    assert r.returncode == 0, r
    statuses = [p["status"] for p in emulator.requests("/api/auth/oauth2/token")]
    # exactly one slow_down (the forced one): the next poll waited long enough
    assert statuses == [400, 200], statuses
    (dev,) = emulator.devices()
    assert dev["polls"] == 2


def test_denied_on_the_verification_page(env, emulator):
    r = login(env, emulator, "--device", "--timeout", "30", browser="deny")
    assert r.returncode == 1, r
    assert "refused on the verification page" in r.stderr
    assert stored(env, emulator.domain) is None


def test_code_expires_unapproved(env, emulator):
    emulator.set(device_expires_in=2)
    r = login(env, emulator, "--device", "--no-browser", "--timeout", "30")
    assert r.returncode == 5, r
    assert "not approved within 2 s" in r.stderr or "expired" in r.stderr
    assert stored(env, emulator.domain) is None


def test_timeout_flag_bounds_the_wait(env, emulator):
    r = login(env, emulator, "--device", "--no-browser", "--timeout", "2")
    assert r.returncode == 5, r
    assert "not approved within 2 s" in r.stderr


def test_server_without_device_endpoint(env, emulator):
    emulator.set(device_endpoint=False)
    r = login(env, emulator, "--device", "--timeout", "5")
    assert r.returncode == 1, r
    assert "does not offer the device flow" in r.stderr and "--browser" in r.stderr

    # the default (not a flag or setting) falls back to the browser flow,
    # whose URL is printed
    r = login(env, emulator, "--no-browser", "--timeout", "1", browser=None)
    assert "using the browser flow instead" in r.stderr
    assert "/api/auth/oauth2/authorize?" in r.stderr
    assert stored(env, emulator.domain) is None


def test_force_does_not_send_the_old_key(env, emulator):
    old = emulator.mint_key()
    store(env, emulator.domain, old)
    r = login(env, emulator, "--device", "--force", "--timeout", "30")
    assert r.returncode == 0, r
    assert stored_key(env, emulator.domain) != old
    for q in emulator.requests("/api/auth/oauth2"):
        assert q["auth_scheme"] is None


def test_progress_only_on_a_terminal(env, emulator):
    import os
    import pty

    r = login(env, emulator, "--device", "--no-browser", "--timeout", "2")
    assert "Waiting" not in r.stderr and "\r" not in r.stderr

    master, slave = pty.openpty()
    e = dict(env.vars)
    e.update(emulator_env(emulator, None))
    proc = subprocess.Popen([env.bin("anaconda-auth"), "login", "--device", "--no-browser",
                             "--timeout", "2"], env=e, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=slave, cwd=str(env.cwd))
    os.close(slave)
    seen = b""
    try:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
        proc.wait(timeout=30)
    assert proc.returncode == 5
    assert b"Waiting for approval" in seen and b"\r" in seen
    # a countdown to the code's expiry (here --timeout 2), never a count-up
    left = [int(m) * 60 + int(s) for m, s in
            re.findall(rb"the code expires in (\d+):(\d\d)", seen)]
    assert left and left[0] <= 2 and left == sorted(left, reverse=True), seen


# -- a hostile device authorization reply (issue 16, finding 5) -------------

HOSTILE_URIS = [
    "--gpu-launcher=/bin/sh -c 'touch /tmp/aa-pwned'",
    "file:///etc/passwd",
    "http://evil.example/device",
    "https://evil.example/device",
    "https://anaconda.cloud@evil.example/device",
]


@pytest.mark.parametrize("field", ["verification_uri", "verification_uri_complete"])
@pytest.mark.parametrize("uri", HOSTILE_URIS)
def test_hostile_verification_uri_is_refused(env, emulator, tmp_path, field, uri):
    emulator.set(device_reply={field: uri})
    argv_log = tmp_path / "argv.jsonl"
    r = login(env, emulator, "--device", "--timeout", "10",
              AA_FAKE_BROWSER_ARGV_LOG=str(argv_log))
    assert r.returncode == 5, r
    (line,) = r.stderr.splitlines()
    assert f"unsafe {field}" in line and "https://" in line
    # nothing reached $BROWSER, nothing was shown to visit, no polling
    assert not argv_log.exists()
    assert "open this page" not in r.stderr
    assert not emulator.requests("/api/auth/oauth2/token")
    assert stored(env, emulator.domain) is None


def test_browser_gets_a_private_page_not_the_user_code(env, emulator, tmp_path):
    argv_log = tmp_path / "argv.jsonl"
    r = login(env, emulator, "--device", "--timeout", "30",
              AA_FAKE_BROWSER_ARGV_LOG=str(argv_log))
    assert r.returncode == 0, r
    (dev,) = emulator.devices()
    (entry,) = [json.loads(line) for line in open(argv_log)]
    # another user reading the browser's argv could approve the code first
    assert entry["argv"][-1].startswith("file:///")
    assert dev["user_code"] not in " ".join(entry["argv"])
    assert entry["page"]["mode"] == 0o600 and entry["page"]["dir_mode"] == 0o700
    assert not os.path.exists(entry["page"]["path"])


def test_escape_sequences_in_user_code_are_not_printed(env, emulator):
    emulator.set(device_reply={"user_code": "\x1b]0;owned\x07BCDF\x1b[2J-\u009bGHJK"})
    r = login(env, emulator, "--device", "--no-browser", "--timeout", "2")
    assert r.returncode == 5, r
    assert "enter the code: ]0;ownedBCDF[2J-GHJK" in r.stderr
    assert not any(c in r.stderr for c in "\x1b\x07\u009b")


def test_escape_sequences_in_error_description_are_not_printed(env, emulator):
    emulator.set(device_reply={"error": "invalid_client\x1b[8m",
                               "error_description": "hidden\x1b[2J\x1b]0;t\x07 text\r\nFAKE: ok"})
    r = login(env, emulator, "--device", "--no-browser", "--timeout", "5")
    assert r.returncode != 0, r
    (line,) = r.stderr.splitlines()
    assert "refused the request: invalid_client[8m - hidden[2J]0;t textFAKE: ok" in line
    assert not any(c in r.stderr for c in "\x1b\x07\r")
