"""Cycles and colour-management settings from the spec (and the CLI's render overrides).

* Quality presets ``preview`` and ``final`` set every Cycles setting that trades time for noise
  (samples, adaptive sampling, denoiser and its guide passes, light tree, path guiding,
  caustics, clamping, bounces, glossy filter), so a render does not depend on what the file had.
  Each value was measured on the seed scene: every setting changed alone from Blender's defaults
  at equal wall time, error against a high-sample reference (``bench/README.md``). Only the noise
  threshold beat the default (0.05: about 1.2x lower error); caustics off, fewer bounces, path
  guiding, a tighter clamp, other sampling patterns and faster denoising each raised the error,
  so the presets keep Blender's values for those. ``preview`` is that threshold with a 128-sample
  cap; ``final`` keeps the default threshold 0.01 with a 512-sample cap; ``draft`` (for sweeps)
  caps at 16 samples with threshold 0.1 and leans on the denoiser: on the seed at 256x320 it took
  0.31x preview's time for 1.67x its subject error (``bench/sweep.py``).
  ``render.samples`` > 0 or ``--samples`` replaces the sample count only.
* The scene's own denoiser is off in extraction mode, so a plain F12 render keeps the exact
  backdrop (OIDN does not keep a flat emission flat). ``render`` still denoises there when the
  preset says so and restores the backdrop from the Cryptomatte coverage (``passes.py``).
* Colour management: display sRGB, the spec's view transform, look None, exposure
  ``render.exposure_ev``, gamma 1, dither 0 (dither would scatter exact levels by +-1), no white
  balance. Extraction needs Standard; ``verify`` reports when the spec asks for another.
* The world is black (a dark studio): only the rig lights the subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import bpy

from ...core.render_cost import PRESET_SAMPLES
from ...core.spec import Spec
from ..compat import world_uses_nodes
from ..narrow import color_socket, cycles_of, float_socket, present, set_display_device, set_view_transform, use_cycles

WORLD_NAME = "PS_Studio_World"


@dataclass(frozen=True, kw_only=True)
class QualityPreset:
    samples: int
    adaptive_threshold: float  # 0 turns adaptive sampling off
    denoise: bool
    denoise_prefilter: Literal["NONE", "FAST", "ACCURATE"]  # how OIDN cleans its albedo and normal guide passes
    light_tree: bool
    path_guiding: bool
    caustics: bool
    clamp_direct: float  # 0 = no clamp
    clamp_indirect: float
    blur_glossy: float
    max_bounces: int
    diffuse_bounces: int
    glossy_bounces: int
    transmission_bounces: int
    transparent_bounces: int


QUALITY: dict[str, QualityPreset] = {
    # Exploring sweeps: the preview preset with a 16-sample cap and a looser threshold; the
    # denoiser does most of the work (time and error against preview: README "Sweeps (benchmark)").
    "draft": QualityPreset(
        samples=PRESET_SAMPLES["draft"], adaptive_threshold=0.1, denoise=True, denoise_prefilter="ACCURATE", light_tree=True,
        path_guiding=False, caustics=True, clamp_direct=0.0, clamp_indirect=10.0, blur_glossy=1.0,
        max_bounces=12, diffuse_bounces=4, glossy_bounces=4, transmission_bounces=12, transparent_bounces=8),
    "preview": QualityPreset(
        samples=PRESET_SAMPLES["preview"], adaptive_threshold=0.05, denoise=True, denoise_prefilter="ACCURATE", light_tree=True,
        path_guiding=False, caustics=True, clamp_direct=0.0, clamp_indirect=10.0, blur_glossy=1.0,
        max_bounces=12, diffuse_bounces=4, glossy_bounces=4, transmission_bounces=12, transparent_bounces=8),
    "final": QualityPreset(
        samples=PRESET_SAMPLES["final"], adaptive_threshold=0.01, denoise=True, denoise_prefilter="ACCURATE", light_tree=True,
        path_guiding=False, caustics=True, clamp_direct=0.0, clamp_indirect=10.0, blur_glossy=1.0,
        max_bounces=12, diffuse_bounces=4, glossy_bounces=4, transmission_bounces=12, transparent_bounces=8),
}


def apply_quality(scene: bpy.types.Scene, preset: QualityPreset, *, samples: int = 0, extraction: bool = False) -> None:
    """Set Cycles' sampling from ``preset`` (``samples`` > 0 replaces its sample count)."""
    cycles = cycles_of(scene)
    cycles.samples = samples or preset.samples
    cycles.use_adaptive_sampling = preset.adaptive_threshold > 0.0
    if preset.adaptive_threshold > 0.0:
        cycles.adaptive_threshold = preset.adaptive_threshold
    cycles.adaptive_min_samples = 0  # Cycles picks it from the threshold
    cycles.use_denoising = preset.denoise and not extraction
    cycles.denoiser = "OPENIMAGEDENOISE"
    cycles.denoising_input_passes = "RGB_ALBEDO_NORMAL"
    cycles.denoising_prefilter = preset.denoise_prefilter
    cycles.use_light_tree = preset.light_tree
    cycles.use_guiding = preset.path_guiding
    cycles.caustics_reflective = cycles.caustics_refractive = preset.caustics
    cycles.sample_clamp_direct = preset.clamp_direct
    cycles.sample_clamp_indirect = preset.clamp_indirect
    cycles.blur_glossy = preset.blur_glossy
    cycles.max_bounces = preset.max_bounces
    cycles.diffuse_bounces = preset.diffuse_bounces
    cycles.glossy_bounces = preset.glossy_bounces
    cycles.transmission_bounces = preset.transmission_bounces
    cycles.transparent_max_bounces = preset.transparent_bounces
    cycles.volume_bounces = 0  # the studio has no volumes
    cycles.time_limit = 0.0


def apply_render_settings(scene: bpy.types.Scene, spec: Spec, *, quality: str | None = None,
                          resolution: tuple[int, int] | None = None, samples: int | None = None) -> None:
    render = scene.render
    use_cycles(scene)
    width, height = resolution or spec.render.resolution
    # The frame's size and aspect re-sync the camera, and the display device every object, even
    # when assigned their own value: a sweep's next variant (persistent data) assigns them only
    # when they change.
    if (render.resolution_x, render.resolution_y) != (width, height):
        render.resolution_x, render.resolution_y = width, height
    render.resolution_percentage = 100
    if (render.pixel_aspect_x, render.pixel_aspect_y) != (1.0, 1.0):
        render.pixel_aspect_x = render.pixel_aspect_y = 1.0
    render.use_border = False
    render.film_transparent = False
    render.dither_intensity = 0.0
    apply_quality(scene, QUALITY[quality or spec.render.quality], samples=samples or spec.render.samples,
                  extraction=spec.background.mode == "extraction")
    cycles_of(scene).seed = spec.render.seed
    view = present(scene.view_settings, f"scene {scene.name!r} view settings")
    display = present(scene.display_settings, f"scene {scene.name!r} display settings")
    if str(display.display_device) != "sRGB":  # the stubs list one device
        set_display_device(display, "sRGB")
    set_view_transform(view, spec.render.view_transform)
    view.exposure = spec.render.exposure_ev
    view.gamma = 1.0
    view.use_curve_mapping = False
    view.use_white_balance = False
    world = studio_world()
    if scene.world != world:  # assigning it again, even unchanged, drops Cycles' persistent data
        scene.world = world


def studio_world() -> bpy.types.World:
    world = bpy.data.worlds.get(WORLD_NAME) or bpy.data.worlds.new(WORLD_NAME)
    if (world.color.r, world.color.g, world.color.b) != (0.0, 0.0, 0.0):  # an unchanged world is not re-synced by Cycles
        world.color = (0.0, 0.0, 0.0)
    if world_uses_nodes(world):
        tree = world.node_tree
        if tree is not None and "Background" in tree.nodes:
            background = tree.nodes["Background"]
            color_socket(background.inputs["Color"]).default_value = (0.0, 0.0, 0.0, 1.0)
            float_socket(background.inputs["Strength"]).default_value = 0.0
    return world
