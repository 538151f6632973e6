"""Fixtures for tests that run inside real Blender (the bpy wheel)."""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addon"))
sys.path.append(str(ROOT / "tests"))  # spec_strategy: one Hypothesis strategy for specs, shared with the pure tests

import bpy  # noqa: E402  (after the path set-up above)

# pytest's exit status, recorded when the session finishes (see _leave_without_teardown).
_session_status: list[int] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _session_status.append(int(exitstatus))


def _leave_without_teardown() -> None:
    """On Blender 4.5, end the process once pytest is done, without C++ static destructors.

    bpy 4.5 shuts Blender down (and stops its audio device's delayed-close thread) only when the
    capsule ``bpy.types._bpy_detect_exit_singleton`` is freed, but after this suite that capsule
    holds some 47,000 references (``sys.getrefcount``), so it never is. A C++ static destructor
    then destroys a condition variable the thread still waits on, and the process hangs forever
    after printing pytest's summary (seen in CI: every test passed, then the step timed out; the
    stack shows ``~GlobalState`` in ``pthread_cond_destroy`` and ``delayed_close_thread_run``).
    bpy 5.0 exits cleanly and keeps the normal exit.
    """
    if _session_status and bpy.app.version < (5, 0, 0):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_session_status[-1])


# Registered at import, before pytest registers its own clean-ups, so it runs after them (LIFO).
atexit.register(_leave_without_teardown)


@pytest.fixture
def scene():
    """A fresh, empty scene using Cycles on the CPU."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    sc = bpy.context.scene
    sc.render.engine = "CYCLES"
    sc.cycles.device = "CPU"
    return sc


@pytest.fixture
def scenes_dir() -> Path:
    return ROOT / "scenes"
