# SPDX-License-Identifier: BSD-3-Clause
"""Many `git-credential-anaconda get` at once while another process keeps
storing a new key: every get answers with the old or the new key, whole,
never garbage and never nothing."""
import os
import subprocess
import threading

import pytest

from conftest import BIN, make_jwt

HELPER = os.path.join(BIN, "git-credential-anaconda")
HOST = "anaconda.com"  # the default domain
READERS = 6
GETS_PER_READER = 40
STORES = 60
TIMEOUT = 30

pytestmark = pytest.mark.skipif(not os.path.exists(HELPER),
                                reason="git-credential-anaconda not built")


def run(env, action, text):
    p = subprocess.run([HELPER, action], input=text.encode(),
                       capture_output=True, env=env.vars, timeout=TIMEOUT)
    return p.returncode, p.stdout.decode(errors="replace"), \
        p.stderr.decode(errors="replace")


def expected_answer(key):
    exp = key_exp(key)
    return f"username=anaconda\npassword={key}\npassword_expiry_utc={exp}\n"


def key_exp(key):
    import base64
    import json
    body = key.split(".")[1]
    body += "=" * (-len(body) % 4)
    return json.loads(base64.urlsafe_b64decode(body))["exp"]


@pytest.mark.parametrize("writer", ["helper-store", "cli-login"])
def test_gets_see_old_or_new_key_while_another_process_stores(env, writer):
    keys = [make_jwt(sub=f"user-{i}") for i in range(2)]
    r = env.run("anaconda-auth", "login", "--with-api-key", input=keys[0])
    assert r.returncode == 0, r
    answers = {expected_answer(k) for k in keys}
    bad = []
    done = threading.Event()

    def reader():
        for _ in range(GETS_PER_READER):
            rc, out, err = run(env, "get", f"protocol=https\nhost={HOST}\n\n")
            if rc != 0 or out not in answers or err:
                bad.append((rc, out, err))

    def store_loop():
        try:
            for i in range(STORES):
                key = keys[(i + 1) % 2]
                if writer == "helper-store":
                    rc, _, err = run(env, "store",
                                     f"protocol=https\nhost={HOST}\n"
                                     f"username=anaconda\npassword={key}\n\n")
                else:
                    res = env.run("anaconda-auth", "login", "--with-api-key",
                                  input=key)
                    rc, err = res.returncode, res.stderr
                if rc != 0:
                    bad.append(("store", rc, err))
        finally:
            done.set()

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    threads.append(threading.Thread(target=store_loop))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
        assert not t.is_alive(), "a helper run did not finish"
    assert done.is_set()
    assert bad == []
    # the writer really changed the key as it went (last store was keys[0])
    assert env.stored_info(HOST)["api_key"] == keys[STORES % 2]
