# SPDX-License-Identifier: BSD-3-Clause
"""pytest fixtures that run the Anaconda Cloud emulator (tests/emulator):
`emulator` is a fresh process per test; `emulator_session` is one process
shared by the session and reset to a fresh state before each test."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

from emulator.harness import Emulator  # noqa: E402

# conftest.py star-imports this module; underscore names need listing.
__all__ = ["emulator", "emulator_session", "_emulator_session_instance"]


@pytest.fixture
def emulator(tmp_path):
    """A freshly started emulator with default knobs, stopped afterwards."""
    em = Emulator(tmp_path / "emulator")
    em.start()
    try:
        yield em
    finally:
        em.stop()


@pytest.fixture(scope="session")
def _emulator_session_instance(tmp_path_factory):
    em = Emulator(tmp_path_factory.mktemp("emulator-session"))
    em.start()
    try:
        yield em
    finally:
        em.stop()


@pytest.fixture
def emulator_session(_emulator_session_instance):
    """The shared emulator, reset (default knobs, nothing issued, no
    faults, empty log) for this test. Its port and CA stay the same."""
    em = _emulator_session_instance
    if not em.running:
        raise RuntimeError("the shared emulator died:\n" + em.log_tail())
    em.reset()
    return em
