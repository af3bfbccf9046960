# SPDX-License-Identifier: BSD-3-Clause
"""`conda token`: the verbs and flags of Python anaconda-auth 0.15's
`conda token` (list, set, remove) and of its `anaconda token` (install,
uninstall, config), each run by conda-credential-anaconda `token`.

A token given on the command line is handed to the helper on standard input,
never in its argv. `--system` names conda's base installation to the helper
through CONDA_ROOT; `--env` uses the active environment (CONDA_PREFIX)."""
import argparse
import os
import subprocess
import sys

from . import __version__
from .auth import HELPER, _helper_path

SUMMARY = "Set repository access token and configure default_channels"
ARCHIVE_CHANNELS = ("free", "mro-archive", "pro")
EXIT_USAGE = 2


def _location_args(parser):
    group = parser.add_argument_group(
        "Config File Location Selection",
        "Without one of these flags, ~/.conda/condarc.d/anaconda-auth.yml is written.")
    where = group.add_mutually_exclusive_group()
    where.add_argument("-s", "--system", action="store_true",
                       help="the condarc.d of conda's base installation")
    where.add_argument("-e", "--env", action="store_true",
                       help="the condarc.d of the active environment (else the default)")
    where.add_argument("-f", "--file", help="write this file (only one we wrote is replaced)")


def _parser():
    p = argparse.ArgumentParser(
        "conda token", description="Configure token access to the Anaconda repository "
        f"(runs {HELPER}).")
    p.add_argument("-V", "--version", action="version",
                   version=f"conda-token (conda-anaconda-helper) {__version__}")
    sub = p.add_subparsers(dest="verb", metavar="COMMAND")

    sub.add_parser("list", help="List the installed repo tokens.")

    s = sub.add_parser("set", help="Set your token and configure default_channels.")
    s.add_argument("token", help="Your token, or - to read it from standard input.")
    s.add_argument("-o", "--org", default="", help="Organization the token is for.")
    s.add_argument("--include-archive-channels", nargs="+", choices=ARCHIVE_CHANNELS,
                   metavar="CHANNEL_NAME", help="Add archived channels to default_channels.")
    s.add_argument("--no-ssl-verify", action="store_true",
                   help="Validate the token without TLS verification (conda's ssl_verify is not changed).")
    s.add_argument("--enable-signature-verification", action="store_true",
                   help="Enable conda package signature verification.")
    s.add_argument("--force-config-condarc", action="store_true",
                   help="Accepted; the configuration is written without asking.")
    _location_args(s)

    r = sub.add_parser("remove", help="Remove the token and revert default_channels.")
    _location_args(r)

    i = sub.add_parser("install", help="Create (or install a given) repository token and configure conda.")
    i.add_argument("token", nargs="?", default="", help="A token received by email or web, or -.")
    i.add_argument("-o", "--org", default="", help="Organization name (slug).")
    i.add_argument("--set-default-channels", dest="config", action="store_true", default=True,
                   help="Configure default channels (the default).")
    i.add_argument("--no-set-default-channels", dest="config", action="store_false")
    i.add_argument("-y", "--yes", action="store_true", help="Accept all prompts.")
    _location_args(i)

    u = sub.add_parser("uninstall", help="Uninstall the repository token of an organization.")
    u.add_argument("-o", "--org", default="")
    u.add_argument("-a", "--all", action="store_true")

    c = sub.add_parser("config", help="Configure conda's default channels for the repository.")
    c.add_argument("--force", action="store_true", help="Accepted; nothing is asked.")
    _location_args(c)
    return p


def _location(args, env):
    if args.system:
        from conda.base.context import context
        env["CONDA_ROOT"] = str(getattr(context, "root_prefix", None) or sys.prefix)
        return ["--system"]
    if args.env:
        return ["--env"]
    return ["--file", args.file] if args.file else []


def _token_input(token):
    """The token for the helper's standard input (- reads ours)."""
    if token == "-":
        return sys.stdin.buffer.read()
    return token.encode() + b"\n"


def helper_argv(args, env):
    """The helper's argv and stdin for parsed `conda token` arguments."""
    verb, data = args.verb, None
    if verb == "list":
        return ["list"], None
    if verb == "set":
        argv = ["set"] + (["--org", args.org] if args.org else [])
        for ch in args.include_archive_channels or ():
            argv += ["--include-archive-channels", ch]
        if args.enable_signature_verification:
            argv.append("--enable-signature-verification")
        if args.no_ssl_verify:
            argv.append("--no-ssl-verify")
        return argv + _location(args, env) + ["-"], _token_input(args.token)
    if verb == "remove":
        return ["uninstall", "--all", "--binstar", "--config"] + _location(args, env), None
    if verb == "install":
        argv = ["install"] + (["--org", args.org] if args.org else [])
        argv += ["--yes"] if args.yes else []
        argv += [] if args.config else ["--no-config"]
        argv += _location(args, env)
        if args.token:
            argv.append("-")
            data = _token_input(args.token)
        return argv, data
    if verb == "uninstall":
        return ["uninstall"] + (["--all"] if args.all else ["--org", args.org]), None
    return ["config"] + _location(args, env), None


def main(argv=None):
    args = _parser().parse_args(list(argv) if argv else ["--help"])
    if not args.verb:
        _parser().print_help()
        return EXIT_USAGE
    if args.verb == "uninstall" and not (args.org or args.all):
        print("conda token uninstall: give --org ORG or --all", file=sys.stderr)
        return EXIT_USAGE
    exe = _helper_path()
    if not exe:
        print(f"conda token: {HELPER} was not found on PATH (set CONDA_CREDENTIAL_ANACONDA to its path)",
              file=sys.stderr)
        return 1
    env = dict(os.environ)
    sub, data = helper_argv(args, env)
    if getattr(args, "token", "") not in ("", "-"):
        # it is already in conda's argv (ps, /proc): say so, as the helper would
        print(f"conda token: warning: a token given as an argument is visible to other users "
              f"while the command runs; use `conda token {args.verb} -` and give it on "
              "standard input instead", file=sys.stderr)
    if getattr(args, "no_ssl_verify", False):
        print("conda token: warning: --no-ssl-verify only skips TLS verification while validating "
              "the token; conda's ssl_verify setting is left as it is", file=sys.stderr)
    # without a token to hand over, stdin stays ours (install may ask to confirm)
    extra = {"input": data} if data is not None else {}
    p = subprocess.run([exe, "token", *sub], env=env, check=False, **extra)
    return p.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
