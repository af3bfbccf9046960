# SPDX-License-Identifier: BSD-3-Clause
"""The conda entry point: registers the `anaconda-helper` auth handler."""
from conda.plugins import hookimpl
from conda.plugins.types import CondaAuthHandler

from .auth import HANDLER_NAME, AnacondaHelperAuth


@hookimpl
def conda_auth_handlers():
    yield CondaAuthHandler(name=HANDLER_NAME, handler=AnacondaHelperAuth)
