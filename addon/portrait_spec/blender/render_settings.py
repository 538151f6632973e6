"""Cycles and colour-management settings from the spec (and the CLI's render overrides).

* Quality presets: preview 64 samples, final 512. ``render.samples`` > 0 or ``--samples`` wins.
* Denoising is on except in extraction mode, where no denoiser may touch the backdrop pixels
  (their exact 8-bit value is the claim); the flat emission backdrop has no noise to remove.
* Colour management: display sRGB, the spec's view transform, look None, exposure
  ``render.exposure_ev``, gamma 1, dither 0 (dither would scatter exact levels by +-1), no white
  balance. Extraction needs Standard; ``verify`` reports when the spec asks for another.
* The world is black (a dark studio): only the rig lights the subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import bpy

from ..core.spec import Spec

WORLD_NAME = "PS_Studio_World"


@dataclass(frozen=True)
class QualityPreset:
    samples: int
    denoise: bool


QUALITY: dict[str, QualityPreset] = {
    "preview": QualityPreset(64, True),
    "final": QualityPreset(512, True),
}


def apply_render_settings(scene: bpy.types.Scene, spec: Spec, *, quality: str | None = None,
                          resolution: tuple[int, int] | None = None, samples: int | None = None) -> None:
    render = scene.render
    render.engine = "CYCLES"  # type: ignore[assignment]  # the 4.5 stubs list EEVEE only
    width, height = resolution or spec.render.resolution
    render.resolution_x, render.resolution_y = width, height
    render.resolution_percentage = 100
    render.pixel_aspect_x = render.pixel_aspect_y = 1.0
    render.use_border = False
    render.film_transparent = False
    render.dither_intensity = 0.0
    preset = QUALITY[quality or spec.render.quality]
    cycles = scene.cycles
    cycles.samples = samples or spec.render.samples or preset.samples
    cycles.use_denoising = preset.denoise and spec.background.mode != "extraction"
    cycles.seed = spec.render.seed
    view = scene.view_settings
    scene.display_settings.display_device = "sRGB"
    view.view_transform = spec.render.view_transform
    view.look = "None"
    view.exposure = spec.render.exposure_ev
    view.gamma = 1.0
    view.use_curve_mapping = False
    if hasattr(view, "use_white_balance"):
        view.use_white_balance = False
    scene.world = studio_world()


def studio_world() -> bpy.types.World:
    world = bpy.data.worlds.get(WORLD_NAME) or bpy.data.worlds.new(WORLD_NAME)
    world.color = (0.0, 0.0, 0.0)
    if bpy.app.version >= (5, 0, 0) or world.use_nodes:  # nodes always on (and deprecated) from 5.0
        tree = world.node_tree
        if tree is not None and "Background" in tree.nodes:
            background = tree.nodes["Background"]
            cast(bpy.types.NodeSocketColor, background.inputs["Color"]).default_value = (0.0, 0.0, 0.0, 1.0)
            cast(bpy.types.NodeSocketFloat, background.inputs["Strength"]).default_value = 0.0
    return world
