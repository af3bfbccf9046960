"""pytest fixtures that run the Anaconda Cloud emulator (tests/emulator):
`emulator` is fresh per test; `emulator_session` is shared by a session and
reset (knobs to their defaults, no faults, empty log) before each use."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))

from emulator.harness import Emulator  # noqa: E402

# conftest.py star-imports this module; underscore names need listing.
__all__ = ["emulator", "emulator_session", "_emulator_session_instance"]
_DEFAULTS = None


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
    """A shared emulator (faster start) reset to defaults for this test.
    Keys, codes and repo tokens minted by earlier tests still exist."""
    global _DEFAULTS
    em = _emulator_session_instance
    if _DEFAULTS is None:
        _DEFAULTS = em.get_knobs()
    em.set(**_DEFAULTS)
    em.clear_faults()
    em.clear_requests()
    return em
