"""What the CLI's Blender commands do: build and save, render to a folder, verify.

From a TOML spec every command starts from an empty factory file (no default cube, camera or
light in the studio). With ``from_blend`` the current file is the opened .blend (the CLI opens it
through ``scene_file.spec_from_blend``): ``render`` renders its scene as saved, and ``verify``
measures that scene as it is now against the spec stored in it when it was built
(``scene["portrait_spec"]``: what was promised), not against the ``spec`` argument, which the
CLI reads back from the scene as it is now and would therefore always agree with it. So a light
moved by hand after the build fails ``verify``; ``--set`` overrides do not change the promise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import bpy

from ..core.backdrop_gradient import GradientPlacement
from ..core.errors import Problem, SpecError
from ..core.framing import CameraFrame
from ..core.schema import spec_from_data, spec_to_data
from ..core.spec import Spec
from ..core.toml_io import apply_overrides, spec_from_json, spec_to_json
from ..core.variants import expand, split_values
from ..core.vec import Vec3
from .contract import find_one, store_spec_json, stored_spec_json, studio_collection
from .measure.image_files import read_png, write_png
from .readback import spec_from_scene
from .render.contact_sheet import Cell, contact_sheet
from .render.outputs import atomic_write, remove_leftovers
from .render.progress import RenderProgress, log_to_stderr
from .render.reference import REFERENCE_PNG, RenderRequest, apply_request, write_folder
from .render.settings import apply_render_settings
from .sitter.chain import build_chain
from .sitter.materials.gold import gold_material
from .sitter.materials.skin import skin_material
from .sitter.subject import SubjectResult, build_subject
from .studio.builder import build_studio
from .verify.verify import VerifyReport, verify_built_scene

CONTACT_SHEET = "contact_sheet.png"


@dataclass(kw_only=True)
class BuildResult:
    objects: dict[str, bpy.types.Object]
    subject: SubjectResult
    chain: bpy.types.Object | None
    focus: Vec3
    camera_frame: CameraFrame
    wall_y: float
    gradient: GradientPlacement | None
    energies: dict[str, float]


def build_scene(spec: Spec, scene: bpy.types.Scene, spec_dir: Path | None = None) -> BuildResult:
    """Build, or rebuild in place, the sitter, the chain and the studio, then the render settings
    and the spec stored on the scene. If anything raises, every object this run created is removed
    again and the exception propagates, so a failed build leaves no half-built studio behind."""
    before = {obj.as_pointer() for obj in bpy.data.objects}
    try:
        collection = studio_collection(scene)
        subject = build_subject(spec, scene, collection, spec_dir)
        chain = build_chain(spec, scene, collection, subject)
        studio = build_studio(spec, scene, collection, subject.eye_point)
        apply_render_settings(scene, spec)
        store_spec_json(scene, spec_to_json(spec))
        scene.view_layers[0].update()
    except BaseException:
        for obj in list(bpy.data.objects):
            if obj.as_pointer() not in before:
                bpy.data.objects.remove(obj, do_unlink=True)
        raise
    return BuildResult(objects=studio.objects, subject=subject, chain=chain, focus=studio.focus,
                       camera_frame=studio.camera_frame, wall_y=studio.wall_y, gradient=studio.gradient,
                       energies=studio.energies)


def fresh_scene() -> bpy.types.Scene:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    if scene is None:
        raise RuntimeError("Blender has no scene after loading factory settings")
    scene.render.engine = "CYCLES"  # type: ignore[assignment]  # the 4.5 stubs list EEVEE only
    return scene


def material_for(kind: Literal["skin", "gold"], spec: Spec) -> bpy.types.Material:
    """The spec's skin or gold material (created or updated), for the panel's Apply buttons."""
    match kind:
        case "skin":
            return skin_material(spec)
        case "gold":
            return gold_material(spec)


def add_chain(spec: Spec, scene: bpy.types.Scene, meshes: list[bpy.types.Object]) -> bpy.types.Object | None:
    """Drape the spec's chain on the user's selected meshes, around the studio's focus point
    (the spec's eye height when no studio is built)."""
    focus = find_one(scene, "focus")
    eye = (focus.location.x, focus.location.y, focus.location.z) if focus is not None else (0.0, 0.0, spec.subject.eye_height.metres)
    subject = SubjectResult(kind="model", objects=meshes, eye_point=eye, skin_objects=meshes, eye_objects=[])
    return build_chain(spec, scene, studio_collection(scene), subject)


def build_fresh(spec: Spec, spec_dir: Path | None = None) -> bpy.types.Scene:
    scene = fresh_scene()
    build_scene(spec, scene, spec_dir)
    return scene


def build_and_save(spec: Spec, path: Path, spec_dir: Path | None = None) -> Path:
    path = Path(path).resolve()
    if path.suffix.lower() != ".blend":
        raise SpecError([Problem("--save", repr(str(path)), "a path ending in .blend")])
    build_fresh(spec, spec_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(path), check_existing=False)
    return path


def _check_output_folder(out_dir: Path, force: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise SpecError([Problem("--out", f"{str(out_dir)!r} is a file", "an empty or new folder")])
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise SpecError([Problem("--out", f"{str(out_dir)!r} is not empty", "an empty or new folder, or --force")])


def render_to_folder(spec: Spec, out_dir: Path, *, quality: str | None = None, resolution: tuple[int, int] | None = None,
                     samples: int | None = None, force: bool = False, vary: list[str] | None = None,
                     spec_dir: Path | None = None, from_blend: bool = False, exr: bool | None = None,
                     verify: bool = False, progress: Callable[[float], None] | None = None,
                     log: Callable[[str], None] | None = None) -> list[Path]:
    """Render the reference outputs into ``out_dir`` (``reference_render``: reference.png, depth,
    normal and mask maps, prompt files, scene.json, optionally reference.exr); with ``vary``, one
    subfolder per variant (named by its ``path=value`` pairs), each rebuilt from the spec with the
    variant's overrides, and ``contact_sheet.png`` with every variant labelled.

    ``progress`` receives the fraction done (0..1, for a progress bar); ``log`` receives progress
    lines. Without either (the CLI), lines go to stderr and Blender's own per-tile lines are
    silenced. ``exr`` (default: the spec's ``render.exr``) adds reference.exr; ``verify`` puts the
    verify report's measurements into scene.json.
    """
    out_dir = Path(out_dir)
    _check_output_folder(out_dir, force)
    if samples is not None and samples < 1:
        raise SpecError([Problem("--samples", str(samples), "a whole number of at least 1")])
    variants = expand(vary or [])
    # Validate every variant before rendering any, so a typo in the last value wastes no render.
    specs = [spec_from_data(apply_overrides(spec_to_data(spec), list(v.overrides)), "--vary") for v in variants]
    if force:
        remove_leftovers(out_dir)
    quiet = log is None and progress is None
    tracker = RenderProgress(max(len(variants), 1), progress, log_to_stderr if quiet else log)

    def request(variant: tuple[str, ...], job_spec: Spec) -> RenderRequest:
        return RenderRequest(quality, resolution, samples, job_spec.render.exr if exr is None else exr, variant, quiet)

    def measure(job_spec: Spec, scene: bpy.types.Scene) -> Callable[[], dict[str, Any]] | None:
        if not verify:
            return None
        promised = promised_spec(scene) if from_blend else job_spec
        return lambda: verify_built_scene(promised, scene).to_data()

    if not variants:
        tracker.begin(0, "building the studio" if not from_blend else "loading the scene")
        scene = _blend_scene() if from_blend else build_fresh(spec, spec_dir)
        job = request((), spec)
        apply_request(scene, spec, job)
        tracker.step(_describe(scene, job, spec), 0.0)
        written = write_folder(scene, spec, out_dir, job, tracker, measure(spec, scene))
        tracker.finish()
        return written
    written = []
    cells = []
    scene = _blend_scene() if from_blend else fresh_scene()
    for index, (variant, variant_spec) in enumerate(zip(variants, specs, strict=True)):
        tracker.begin(index, f"{variant.folder_name}: building")
        build_scene(variant_spec, scene, spec_dir)
        job = request(variant.overrides, variant_spec)
        apply_request(scene, variant_spec, job)
        tracker.step(_describe(scene, job, variant_spec), 0.0)
        files = write_folder(scene, variant_spec, out_dir / variant.folder_name, job, tracker,
                             measure(variant_spec, scene))
        written += files
        reference = next(p for p in files if p.name == REFERENCE_PNG)
        cells.append(Cell(read_png(reference)[..., :3], variant.overrides))
    sheet = contact_sheet(cells, _columns(vary or [], len(variants)))
    written.append(atomic_write(out_dir / CONTACT_SHEET, lambda path: write_png(path, sheet, srgb=True)))
    tracker.finish()
    return written


def _describe(scene: bpy.types.Scene, job: RenderRequest, spec: Spec) -> str:
    render = scene.render
    preset = job.quality or spec.render.quality
    return f"rendering {render.resolution_x}x{render.resolution_y}, {scene.cycles.samples} samples ({preset})"


def _columns(vary: list[str], count: int) -> int:
    """A row per value of every axis but the last; a single axis wraps after four."""
    if len(vary) > 1:
        return len(split_values(vary[-1].partition("=")[2]))
    return min(count, 4)


def _blend_scene() -> bpy.types.Scene:
    """The open file's scene carrying Portrait Spec data (the active one first)."""
    for scene in (bpy.context.scene, *bpy.data.scenes):
        if scene is not None and stored_spec_json(scene) is not None:
            return scene
    raise SpecError([Problem("(scene)", "no scene with Portrait Spec data",
                             "a .blend built by Portrait Spec (`portrait_spec build ... --save FILE.blend`)")])


def promised_spec(scene: bpy.types.Scene) -> Spec:
    """The spec stored in the scene when it was built."""
    stored = stored_spec_json(scene)
    if stored is None:
        raise SpecError([Problem("(scene)", f"scene {scene.name!r} has no stored spec", "a scene built by Portrait Spec")])
    return spec_from_json(stored)


def verify_scene(spec: Spec, *, spec_dir: Path | None = None, from_blend: bool = False) -> VerifyReport:
    if from_blend:
        scene = _blend_scene()
        return verify_built_scene(promised_spec(scene), scene)
    return verify_built_scene(spec, build_fresh(spec, spec_dir))


__all__ = ["BuildResult", "add_chain", "build_and_save", "build_fresh", "build_scene", "material_for", "promised_spec",
           "render_to_folder", "spec_from_scene", "verify_scene"]
