"""One output folder of ``render``: one Cycles render with passes, then every file from it.

Files (all written through ``outputs.staged``, so a failed run leaves none half-written):
``reference.png`` (8-bit sRGB through the scene's colour management, the Stable Diffusion
infotext in its ``parameters`` text chunk, every prompt in ``portrait_spec_prompts`` and the spec
in ``portrait_spec``: ``core.prompt.export``), ``reference.exr`` when asked (multilayer,
scene-linear: Combined, Depth, Normal in world space, Mask), ``depth.png`` (8-bit, MiDaS
convention), ``depth_metric.png`` (16-bit mm), ``normal.png``, ``mask.png`` (see ``passes.py`` for
their conventions), ``prompt.txt``, ``prompts.json`` and ``scene.json`` (``core.sidecar``).

The render itself is written by Blender to a multilayer EXR in a temporary folder and read
back into numpy (``image_files.py``, OpenImageIO); the PNG is the final scene-linear image saved through the scene's
colour management (a float image saved "as render" gives the same bytes as the render result).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import bpy
import numpy as np

from ...core.prompt import build_prompts
from ...core.prompt.export import write_prompt_outputs
from ...core.sidecar import SCENE_JSON, sidecar_data, sidecar_json
from ...core.spec import Spec
from ...shutdown import scratch_folder
from ..compat import media_type, scene_context, set_media_type
from ..contract import objects_with_role
from ..measure.image_files import ExrImage, read_exr, write_exr, write_png
from ..measure.probe import quiet_stdout, temporary_settings
from ..narrow import cycles_of, pixels_of, present
from .outputs import Staging, staged
from .passes import DepthRange, Passes, depth_maps, mask_map, normal_map, output_passes, read_passes, restore_backdrop
from .progress import RenderProgress
from .settings import QUALITY, apply_quality

REFERENCE_PNG = "reference.png"
REFERENCE_EXR = "reference.exr"
DEPTH_PNG = "depth.png"
DEPTH_METRIC_PNG = "depth_metric.png"
NORMAL_PNG = "normal.png"
MASK_PNG = "mask.png"
NORMAL_CONVENTION = ("camera space, ControlNet 1.1 normalbae (ScanNet) convention: red = towards the image's left, "
                     "green = up, blue = towards the viewer, 8-bit (n + 1) / 2")


@dataclass(frozen=True, kw_only=True)
class RenderRequest:
    quality: str | None = None
    resolution: tuple[int, int] | None = None
    samples: int | None = None
    exr: bool = False
    variant: tuple[str, ...] = ()
    quiet: bool = False  # silence Blender's own per-tile lines (the CLI prints its own progress)


@contextlib.contextmanager
def _image_format(scene: bpy.types.Scene, *, multilayer: bool, file_format: Literal["OPEN_EXR_MULTILAYER", "PNG"],
                  depth: Literal["8", "16", "32"], mode: Literal["RGB", "RGBA"]) -> Iterator[None]:
    settings = scene.render.image_settings
    media = media_type(settings)
    # Restored in this order: a colour depth is only valid once its file format is back.
    saved = [(n, getattr(settings, n)) for n in ("file_format", "color_mode", "color_depth", "exr_codec")]
    try:
        set_media_type(settings, "MULTI_LAYER_IMAGE" if multilayer else "IMAGE")
        settings.file_format = file_format
        settings.color_mode = mode
        settings.color_depth = depth
        if file_format.startswith("OPEN_EXR"):
            settings.exr_codec = "NONE"  # a temporary file: fastest to write and read
        yield
    finally:
        if media is not None:
            with contextlib.suppress(TypeError, ValueError):
                set_media_type(settings, media)
        for name, value in saved:
            with contextlib.suppress(TypeError, ValueError):
                setattr(settings, name, value)


def _render(scene: bpy.types.Scene) -> None:
    with scene_context(scene):
        bpy.ops.render.render(write_still=False, scene=scene.name)


def read_render_result(scene: bpy.types.Scene, folder: Path) -> ExrImage:
    """Every pass of the last render, float, through a multilayer EXR written into ``folder``
    (Blender's Python API reaches a render's passes only through a file)."""
    path = folder / "passes.exr"
    with _image_format(scene, multilayer=True, file_format="OPEN_EXR_MULTILAYER", depth="32", mode="RGBA"):
        bpy.data.images["Render Result"].save_render(str(path), scene=scene)
    return read_exr(path)


def _only_first_view_layer(scene: bpy.types.Scene) -> list[tuple[Any, str, Any]]:
    return [(layer, "use", i == 0) for i, layer in enumerate(scene.view_layers)]


def apply_request(scene: bpy.types.Scene, spec: Spec, request: RenderRequest) -> None:
    """The CLI's overrides on top of the built scene: quality preset, resolution, samples."""
    render = scene.render
    if request.resolution is not None:
        render.resolution_x, render.resolution_y = request.resolution
        render.resolution_percentage = 100
    if request.quality is not None:
        apply_quality(scene, QUALITY[request.quality], samples=spec.render.samples,
                      extraction=spec.background.mode == "extraction")
    if request.samples is not None:
        cycles_of(scene).samples = request.samples


def render_passes(scene: bpy.types.Scene, spec: Spec, request: RenderRequest, progress: RenderProgress, *,
                  keep_noisy: bool = False) -> tuple[Passes, dict[str, Any], ExrImage]:
    """One render and its passes (the backdrop restored in extraction mode), the render's
    settings for scene.json, and every pass as read (light groups, denoising data: ``mix.py``).
    ``keep_noisy`` stores the undenoised image and the denoiser's guides whenever it denoises."""
    preset_name = request.quality or spec.render.quality
    extraction = spec.background.mode == "extraction"
    # In extraction mode the scene keeps its denoiser off (F12 stays exact); here it runs when the
    # preset asks for it and the backdrop is restored from the passes afterwards.
    denoise = bool(cycles_of(scene).use_denoising) or (extraction and QUALITY[preset_name].denoise)
    view_layer = scene.view_layers[0]
    backdrop_names = [obj.name for obj in objects_with_role(scene, "cyclorama")]
    with contextlib.ExitStack() as stack:
        stack.enter_context(output_passes(view_layer, noisy=(extraction or keep_noisy) and denoise))
        stack.enter_context(temporary_settings([(cycles_of(scene), "use_denoising", denoise),
                                                *_only_first_view_layer(scene)]))
        tmp = stack.enter_context(scratch_folder())
        stack.enter_context(progress.watching())
        if request.quiet:
            stack.enter_context(quiet_stdout())
        started = time.monotonic()
        _render(scene)
        seconds = time.monotonic() - started
        image = read_render_result(scene, tmp)
    passes = read_passes(image, backdrop_names)
    if extraction:
        passes.linear = restore_backdrop(passes, spec.background.color.linear)
    samples = next((v for k, v in image.strings.items() if k.startswith("cycles.") and k.endswith(".samples")), None)
    info = render_info(scene, preset_name, denoise, seconds, samples)
    return passes, info, image


def render_info(scene: bpy.types.Scene, preset: str, denoise: bool, seconds: float, samples: str | None) -> dict[str, Any]:
    cycles, render = cycles_of(scene), scene.render
    view = present(scene.view_settings, f"scene {scene.name!r} view settings")
    display = present(scene.display_settings, f"scene {scene.name!r} display settings")
    return {
        "engine": render.engine, "device": cycles.device, "quality": preset,
        "resolution": [render.resolution_x, render.resolution_y],
        "samples": cycles.samples, "samples_rendered": int(samples) if samples and samples.isdigit() else None,
        "seed": cycles.seed,
        "adaptive_sampling": bool(cycles.use_adaptive_sampling), "adaptive_threshold": round(cycles.adaptive_threshold, 6),
        "denoiser": cycles.denoiser if denoise else None,
        "denoising_input_passes": cycles.denoising_input_passes if denoise else None,
        "denoising_prefilter": cycles.denoising_prefilter if denoise else None,
        "light_tree": bool(cycles.use_light_tree), "path_guiding": bool(cycles.use_guiding),
        "caustics_reflective": bool(cycles.caustics_reflective), "caustics_refractive": bool(cycles.caustics_refractive),
        "clamp_direct": cycles.sample_clamp_direct, "clamp_indirect": cycles.sample_clamp_indirect,
        "filter_glossy": cycles.blur_glossy,
        "bounces": {"max": cycles.max_bounces, "diffuse": cycles.diffuse_bounces, "glossy": cycles.glossy_bounces,
                    "transmission": cycles.transmission_bounces, "transparent": cycles.transparent_max_bounces},
        "view_transform": view.view_transform, "look": view.look, "exposure": view.exposure, "gamma": view.gamma,
        "display": display.display_device, "dither": render.dither_intensity,
        "render_seconds": round(seconds, 3),
    }


def _reference_png(scene: bpy.types.Scene, linear: np.ndarray, path: Path) -> None:
    """``linear`` through the scene's colour management into an 8-bit RGB PNG."""
    height, width = linear.shape[:2]
    image = bpy.data.images.new("PS_Reference_Linear", width, height, alpha=True, float_buffer=True)
    try:
        pixels_of(image).foreach_set(np.ascontiguousarray(linear[::-1], dtype=np.float32).ravel().data)
        with _image_format(scene, multilayer=False, file_format="PNG", depth="8", mode="RGB"):
            image.save_render(str(path), scene=scene)
    finally:
        bpy.data.images.remove(image)


def _exr_channels(passes: Passes, linear: np.ndarray) -> dict[str, np.ndarray]:
    channels = {f"ViewLayer.Combined.{c}": linear[..., i] for i, c in enumerate("RGBA")}
    channels["ViewLayer.Depth.Z"] = passes.depth
    channels.update({f"ViewLayer.Normal.{c}": passes.normal_world[..., i] for i, c in enumerate("XYZ")})
    channels["ViewLayer.Mask.X"] = passes.mask
    return channels


def write_folder(scene: bpy.types.Scene, spec: Spec, out_dir: Path, request: RenderRequest, progress: RenderProgress,
                 measure: Callable[[], dict[str, Any]] | None = None) -> list[Path]:
    """Render ``scene`` once and write every output file of one folder; returns the files."""
    passes, info, _ = render_passes(scene, spec, request, progress)
    progress.step("writing outputs", 0.92)
    return write_outputs(scene, spec, out_dir, request, passes, info, measure)


def write_outputs(scene: bpy.types.Scene, spec: Spec, out_dir: Path, request: RenderRequest, passes: Passes,
                  info: dict[str, Any], measure: Callable[[], dict[str, Any]] | None = None) -> list[Path]:
    """Every output file of one folder from a render's ``passes`` and settings ``info``."""
    camera = scene.camera
    if camera is None:
        raise RuntimeError("the scene has no camera")
    with staged(out_dir) as stage:
        _reference_png(scene, passes.linear, stage.path(REFERENCE_PNG))
        depth = depth_maps(passes.depth, passes.mask)
        write_png(stage.path(DEPTH_PNG), depth.relative)
        write_png(stage.path(DEPTH_METRIC_PNG), depth.metric_mm)
        write_png(stage.path(NORMAL_PNG), normal_map(passes.normal_world, np.array(camera.matrix_world)))
        write_png(stage.path(MASK_PNG), mask_map(passes.mask))
        if request.exr:
            write_exr(stage.path(REFERENCE_EXR), _exr_channels(passes, passes.linear),
                      {"portrait_spec/normal": "world space (Cycles Normal pass)",
                       "portrait_spec/mask": "subject coverage 0..1"})
        height, width = passes.linear.shape[:2]
        write_prompt_outputs(spec, stage.folder, [stage.path(REFERENCE_PNG)], size=(width, height))
        measured = measure() if measure is not None else None
        stage.write(SCENE_JSON, _scene_json(spec, info, depth.range, request, measured).encode("utf-8"))
        return _commit(stage)


def _commit(stage: Staging) -> list[Path]:
    return stage.commit(last=(REFERENCE_PNG, SCENE_JSON))


def _scene_json(spec: Spec, info: dict[str, Any], depth_range: DepthRange, request: RenderRequest,
                measured: dict[str, Any] | None) -> str:
    metres = {"near_m": round(depth_range.near_m, 6), "far_m": round(depth_range.far_m, 6),
              "subject_near_m": round(depth_range.subject_near_m, 6), "subject_far_m": round(depth_range.subject_far_m, 6)}
    outputs: dict[str, Any] = {
        REFERENCE_PNG: ("8-bit sRGB through the scene's colour management; 'parameters' text chunk: the Stable Diffusion "
                        "infotext (SDXL prompt, negative, settings); 'portrait_spec_prompts': every prompt; 'portrait_spec': "
                        "the spec"),
        DEPTH_PNG: {"bits": 8, **metres,
                    "encoding": "MiDaS convention: inverse depth 1/z normalised min to max over the frame, 255 nearest "
                                "(near_m), 0 farthest (far_m) and where nothing was hit"},
        DEPTH_METRIC_PNG: {"bits": 16, "unit": "mm", **metres,
                           "encoding": "millimetres along the camera's view axis, 0 where nothing was hit"},
        NORMAL_PNG: NORMAL_CONVENTION,
        MASK_PNG: "8-bit subject coverage (Cryptomatte): 255 subject incl. hair and chain, 0 backdrop",
    }
    if request.exr:
        outputs[REFERENCE_EXR] = "multilayer scene-linear float: Combined, Depth.Z (m), Normal (world), Mask"
    data = sidecar_data(spec, build_prompts(spec).claims, blender_version=bpy.app.version_string, render=info,
                        outputs=outputs, measured=measured, variant=request.variant)
    return sidecar_json(json.loads(json.dumps(data, default=float)))

