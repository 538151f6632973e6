"""Fixtures for tests that run inside real Blender (the bpy wheel)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addon"))

bpy = pytest.importorskip("bpy")


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
