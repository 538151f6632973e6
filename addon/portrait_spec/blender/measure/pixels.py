"""Rendering the current scene into numpy arrays, for measuring renders.

Scene-linear values come from a float EXR (before the view transform), display values from an
8-bit PNG written through the scene's colour management, exactly as a user would save it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Literal

import bpy
import numpy as np

from .image_files import read_exr, read_png


def render_still(scene: bpy.types.Scene, path: Path, file_format: Literal["PNG", "OPEN_EXR"],
                 color_depth: Literal["8", "16", "32"]) -> Path:
    settings = scene.render.image_settings
    previous = (scene.render.filepath, settings.file_format, settings.color_depth, settings.color_mode)
    try:
        settings.file_format = file_format
        settings.color_mode = "RGBA"
        settings.color_depth = color_depth
        scene.render.filepath = str(path)
        with bpy.context.temp_override(scene=scene) if hasattr(bpy.context, "temp_override") else _null():
            bpy.ops.render.render(write_still=True, scene=scene.name)
    finally:
        scene.render.filepath, settings.file_format, settings.color_depth, settings.color_mode = previous
    return path


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def render_linear(scene: bpy.types.Scene) -> np.ndarray:
    """Render and return scene-linear RGBA, shape (height, width, 4), row 0 at the top."""
    with tempfile.TemporaryDirectory() as tmp:
        path = render_still(scene, Path(tmp) / "probe.exr", "OPEN_EXR", "32")
        return read_exr(path).layer("", "RGBA")


def render_display8(scene: bpy.types.Scene) -> np.ndarray:
    """Render through colour management to an 8-bit PNG; returns integer levels 0-255 (H, W, 4)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = render_still(scene, Path(tmp) / "probe.png", "PNG", "8")
        return read_png(path).astype(np.int32)
