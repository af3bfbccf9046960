# SPDX-License-Identifier: BSD-3-Clause
"""Run the Anaconda Cloud emulator: `python3 tests/emulator --port N
[--state-dir D]` prints the domain, the CA path and the environment a
client needs, then serves until interrupted."""
import argparse
import json
import os
import secrets
import signal
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import api  # noqa: E402
import certs  # noqa: E402
import control  # noqa: E402
import oauth  # noqa: E402
from model import KnobError, State  # noqa: E402
from server import Router, serve  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python3 tests/emulator",
                                description=__doc__)
    p.add_argument("--port", type=int, default=0,
                   help="TCP port on 127.0.0.1 (and ::1); 0 picks a free one")
    p.add_argument("--state-dir",
                   help="where the CA and certificates go (default: a new "
                        "temporary directory)")
    p.add_argument("--ready-file",
                   help="write {port, ca_path, pid} here once serving")
    p.add_argument("--knobs", default="{}",
                   help="initial knobs as a JSON object")
    p.add_argument("--exit-on-stdin-eof", action="store_true",
                   help="stop when stdin closes (the harness's lifeline)")
    p.add_argument("--quiet", action="store_true",
                   help="print nothing on start")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="log every request to stderr")
    return p.parse_args(argv)


def write_ready(path, info):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(info, f)
    os.replace(tmp, path)  # the harness never sees half a file


def banner(domain, ca_path, admin_token, token_from_env):
    print(f"Anaconda Cloud emulator on https://{domain}")
    print(f"  CA certificate: {ca_path}")
    if not token_from_env:
        print(f"  admin token (X-Emulator-Admin): {admin_token}")
    print(f"  test account: see knobs at https://{domain}/_emulator/knobs")
    print("Point a client at it with:")
    print(f"  export ANACONDA_AUTH_DOMAIN={domain}")
    print(f"  export ANACONDA_AUTH_SSL_VERIFY={ca_path}")
    print("Ctrl-C stops it.", flush=True)


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    state_dir = args.state_dir or tempfile.mkdtemp(prefix="aa-emulator-")
    os.makedirs(state_dir, exist_ok=True)
    env_token = os.environ.get("EMULATOR_ADMIN_TOKEN")
    state = State(env_token or secrets.token_urlsafe(24))
    try:
        state.set_knobs(json.loads(args.knobs))
    except (ValueError, KnobError) as e:
        sys.exit(f"emulator: bad --knobs: {e}")
    ca_path, cert_path, key_path = certs.create(state_dir)
    router = Router(oauth.ROUTES + api.ROUTES)
    try:
        servers, port = serve(state, cert_path, key_path, args.port, router,
                              control.ROUTER, args.verbose)
    except OSError as e:
        sys.exit(f"emulator: cannot listen on port {args.port}: {e}")
    state.port = port
    # A plain flag, not an Event: a signal handler that takes a lock the
    # interrupted main thread already holds would deadlock.
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append("TERM"))
    signal.signal(signal.SIGINT, lambda *_: stopping.append("INT"))
    if args.exit_on_stdin_eof:
        def watch_stdin():
            while sys.stdin.buffer.read(4096):
                pass
            stopping.append("EOF")
        threading.Thread(target=watch_stdin, daemon=True).start()
    domain = f"localhost:{port}"
    if not args.quiet:
        banner(domain, ca_path, state.admin_token, bool(env_token))
    if args.ready_file:
        write_ready(args.ready_file, {"port": port, "ca_path": ca_path,
                                      "pid": os.getpid()})
    while not stopping:
        time.sleep(0.1)
    for s in servers:
        s.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
