# SPDX-License-Identifier: BSD-3-Clause
"""The conda entry point: the auth handler under `anaconda-auth` (the name
Python anaconda-auth 0.15 registers, so condarc files written for it work
unchanged) and `anaconda-helper`, and the `conda token` subcommand.

When the Python anaconda-auth package is installed in the same environment it
registers `anaconda-auth` and `token` itself; conda refuses two plugins with
one name, so then only `anaconda-helper` is registered here."""
import importlib.metadata

from conda.plugins import hookimpl
from conda.plugins.types import CondaAuthHandler

from .auth import HANDLER_NAME, AnacondaHelperAuth

PY_DIST = "anaconda-auth"
PY_NAMES = ("anaconda-auth",)


def python_anaconda_auth_installed():
    try:
        importlib.metadata.distribution(PY_DIST)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def handler_names():
    if python_anaconda_auth_installed():
        return (HANDLER_NAME,)
    return PY_NAMES + (HANDLER_NAME,)


@hookimpl
def conda_auth_handlers():
    for name in handler_names():
        yield CondaAuthHandler(name=name, handler=AnacondaHelperAuth)


@hookimpl
def conda_subcommands():
    if python_anaconda_auth_installed():
        return
    from conda.plugins.types import CondaSubcommand

    from .token import SUMMARY, main
    yield CondaSubcommand(name="token", summary=SUMMARY, action=main)
