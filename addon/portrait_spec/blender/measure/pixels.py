"""Rendering the current scene into numpy arrays, for measuring renders.

Scene-linear values come from a float EXR (before the view transform), display values from an
8-bit PNG written through the scene's colour management, exactly as a user would save it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import bpy
import numpy as np

from ...shutdown import scratch_folder
from ..compat import media_type, scene_context, set_media_type
from .image_files import ExrImage, read_exr, read_png


def render_still(scene: bpy.types.Scene, path: Path, file_format: Literal["PNG", "OPEN_EXR", "OPEN_EXR_MULTILAYER"],
                 color_depth: Literal["8", "16", "32"]) -> Path:
    settings = scene.render.image_settings
    previous = (scene.render.filepath, settings.file_format, settings.color_depth, settings.color_mode)
    media = media_type(settings)
    try:
        set_media_type(settings, "MULTI_LAYER_IMAGE" if file_format == "OPEN_EXR_MULTILAYER" else "IMAGE")
        settings.file_format = file_format
        settings.color_mode = "RGBA"
        settings.color_depth = color_depth
        scene.render.filepath = str(path)
        with scene_context(scene):
            bpy.ops.render.render(write_still=True, scene=scene.name)
    finally:
        if media is not None:
            set_media_type(settings, media)
        scene.render.filepath, settings.file_format, settings.color_depth, settings.color_mode = previous
    return path


def render_linear(scene: bpy.types.Scene) -> np.ndarray:
    """Render and return scene-linear RGBA, shape (height, width, 4), row 0 at the top."""
    with scratch_folder() as tmp:
        path = render_still(scene, tmp / "probe.exr", "OPEN_EXR", "32")
        return read_exr(path).layer("", "RGBA")


def render_display8(scene: bpy.types.Scene) -> np.ndarray:
    """Render through colour management to an 8-bit PNG; returns integer levels 0-255 (H, W, 4)."""
    with scratch_folder() as tmp:
        path = render_still(scene, tmp / "probe.png", "PNG", "8")
        return read_png(path).astype(np.int32)


def render_passes(scene: bpy.types.Scene) -> ExrImage:
    """Render and return every enabled pass (a multilayer EXR read back)."""
    with scratch_folder() as tmp:
        return read_exr(render_still(scene, tmp / "passes.exr", "OPEN_EXR_MULTILAYER", "32"))
