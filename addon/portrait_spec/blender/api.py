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

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import bpy

from ..core.backdrop_gradient import GradientPlacement
from ..core.errors import Problem, SpecError
from ..core.framing import CameraFrame
from ..core.paths import check_save_path
from ..core.render_cost import estimate, job_for, machine_memory_bytes, over_limits
from ..core.schema import spec_from_data, spec_to_data
from ..core.spec import Spec
from ..core.sweep.identity import subject_key
from ..core.toml_io import apply_overrides, spec_from_json, spec_to_json
from ..core.variants import Variant, expand, split_values
from ..core.vec import Vec3
from ..folder_lock import output_lock
from ..shutdown import forget, remove_on_stop
from .contract import find_one, store_spec_json, stored_spec_json, studio_collection
from .measure.image_files import read_png, write_png
from .narrow import cycles_of, use_cycles
from .readback import spec_from_scene
from .render.contact_sheet import Cell, contact_sheet
from .render.mix import LightLayers, mixable, render_base, write_mixed
from .render.outputs import atomic_write, ours, remove_leftovers
from .render.progress import RenderProgress, log_to_stderr
from .render.reference import REFERENCE_PNG, RenderRequest, apply_request, write_folder
from .render.settings import apply_render_settings
from .sitter.chain import build_chain
from .sitter.materials.gold import gold_material
from .sitter.materials.skin import skin_material
from .sitter.subject import SubjectResult, build_subject
from .studio.builder import build_studio, forget_built
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
    sitter_reused: bool = False


@dataclass(frozen=True)
class _BuiltSitter:
    key: str
    subject: SubjectResult
    chain: bpy.types.Object | None


# The sitter each scene was last built with (by the scene's pointer), for ``reuse_sitter``.
_SITTERS: dict[int, _BuiltSitter] = {}


def _still_there(scene: bpy.types.Scene, built: _BuiltSitter) -> bool:
    """Every object of ``built`` is alive and in ``scene`` (a freed object's wrapper raises)."""
    objects = [*built.subject.objects, *([built.chain] if built.chain is not None else [])]
    try:
        return all(scene.objects.get(obj.name) == obj for obj in objects)
    except ReferenceError:
        return False


def _sitter(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, spec_dir: Path | None,
            reuse: bool) -> tuple[SubjectResult, bpy.types.Object | None, bool]:
    """The sitter and chain, rebuilt unless ``reuse`` and nothing they depend on changed (the
    subject, skin and jewelry tables): a sweep over lights, camera or backdrop keeps the bust, its
    materials and the draped chain, so Cycles' persistent data keeps their geometry and shaders."""
    key = subject_key(spec, str(spec_dir or ""))
    built = _SITTERS.pop(scene.as_pointer(), None)
    if reuse and built is not None and built.key == key and _still_there(scene, built):
        _SITTERS[scene.as_pointer()] = built
        return built.subject, built.chain, True
    subject = build_subject(spec, scene, collection, spec_dir)
    chain = build_chain(spec, scene, collection, subject)
    _SITTERS[scene.as_pointer()] = _BuiltSitter(key, subject, chain)
    return subject, chain, False


def build_scene(spec: Spec, scene: bpy.types.Scene, spec_dir: Path | None = None, *,
                reuse_sitter: bool = False) -> BuildResult:
    """Build, or rebuild in place, the sitter, the chain and the studio, then the render settings
    and the spec stored on the scene. If anything raises, every object this run created is removed
    again and the exception propagates, so a failed build leaves no half-built studio behind.
    ``reuse_sitter`` keeps the sitter built by the previous call on this scene when the spec's
    subject, skin and jewelry are unchanged (sweeps; the panel always rebuilds it, so a hand edit
    of the bust's material is replaced as before)."""
    before = {obj.as_pointer() for obj in bpy.data.objects}
    try:
        collection = studio_collection(scene)
        subject, chain, reused = _sitter(spec, scene, collection, spec_dir, reuse_sitter)
        # A kept sitter (a sweep's next variant): the studio too rewrites only the parts whose inputs
        # changed, so a light-only variant touches only its lights. Otherwise (the panel, a new
        # sitter) every part is rewritten, so a hand edit is replaced as before.
        studio = build_studio(spec, scene, collection, subject.eye_point, reuse=reused)
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
                       energies=studio.energies, sitter_reused=reused)


def fresh_scene() -> bpy.types.Scene:
    forget_built()  # the objects the studio records point at are freed with the old file
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    if scene is None:
        raise RuntimeError("Blender has no scene after loading factory settings")
    use_cycles(scene)
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
    problems = check_save_path(path)  # before the build: an unwritable path is found now, not after it
    if problems:
        raise SpecError(problems)
    build_fresh(spec, spec_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + "@")  # Blender writes here, then renames onto the path
    remove_on_stop(partial)
    try:
        bpy.ops.wm.save_as_mainfile(filepath=str(path), check_existing=False)
    finally:
        forget(partial)
    return path


def _check_output_folder(out_dir: Path, force: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise SpecError([Problem("--out", f"{str(out_dir)!r} is a file", "an empty or new folder")])
    # Our own hidden leftovers (a killed run's staging, the lock) do not make a folder non-empty:
    # the lock tells whether a run is still writing, and the leftovers are removed once we hold it.
    if out_dir.is_dir() and any(not ours(p.name) for p in out_dir.iterdir()) and not force:
        raise SpecError([Problem("--out", f"{str(out_dir)!r} is not empty", "an empty or new folder, or --force")])


FLAG_FIELDS: dict[str, str] = {"render.resolution": "--resolution", "render.samples": "--samples"}


def with_flags(spec: Spec, resolution: tuple[int, int] | None, samples: int | None) -> Spec:
    """``spec`` with ``--resolution`` and ``--samples`` as overrides of render.resolution and
    render.samples: the same ranges and messages as the file, never a silent clamp by Blender."""
    sets = ([f"render.resolution=[{resolution[0]}, {resolution[1]}]"] if resolution is not None else []) + \
           ([f"render.samples={samples}"] if samples is not None else [])
    if not sets:
        return spec
    try:
        return spec_from_data(apply_overrides(spec_to_data(spec), sets))
    except SpecError as exc:
        raise SpecError([Problem(FLAG_FIELDS.get(p.path, p.path), p.found, p.allowed) for p in exc.problems]) from None


def check_cost(specs: list[Spec], quality: str | None, exr: bool | None, threads: int = 0) -> None:
    """Refuse (SpecError, exit 2) a run whose estimate exceeds the machine (``core.render_cost``)."""
    cores = threads or os.cpu_count() or 1
    problems = over_limits(estimate([job_for(s, quality, exr) for s in specs], cores), machine_memory_bytes())
    if problems:
        raise SpecError(problems)


def render_to_folder(spec: Spec, out_dir: Path, *, quality: str | None = None, resolution: tuple[int, int] | None = None,
                     samples: int | None = None, force: bool = False, vary: list[str] | None = None,
                     spec_dir: Path | None = None, from_blend: bool = False, exr: bool | None = None,
                     verify: bool = False, progress: Callable[[float], None] | None = None,
                     log: Callable[[str], None] | None = None, allow_large: bool = False) -> list[Path]:
    """Render the reference outputs into ``out_dir`` (``reference_render``: reference.png, depth,
    normal and mask maps, prompt files, scene.json, optionally reference.exr); with ``vary``, one
    subfolder per variant (named by its ``path=value`` pairs), each rebuilt from the spec with the
    variant's overrides, and ``contact_sheet.png`` with every variant labelled.

    ``progress`` receives the fraction done (0..1, for a progress bar); ``log`` receives progress
    lines. Without either (the CLI), lines go to stderr and Blender's own per-tile lines are
    silenced. ``exr`` (default: the spec's ``render.exr``) adds reference.exr; ``verify`` puts the
    verify report's measurements into scene.json.

    Before any work: ``resolution`` and ``samples`` are validated as the spec's own fields, the
    cost estimate must fit the machine (``core.render_cost``) unless ``allow_large``, and
    ``out_dir`` is locked for this run (a second run into it is refused). All are SpecErrors.
    """
    out_dir = Path(out_dir)
    _check_output_folder(out_dir, force)
    spec = with_flags(spec, resolution, samples)
    samples = samples or None  # 0: the preset's count, as render.samples = 0 says
    variants = expand(vary or [])
    if not allow_large:  # the variant count first: a huge grid is refused before each variant is validated
        check_cost([spec] * max(len(variants), 1), quality, exr)
    # Validate every variant before rendering any, so a typo in the last value wastes no render.
    specs = [spec_from_data(apply_overrides(spec_to_data(spec), list(v.overrides)), "--vary") for v in variants]
    if not allow_large and specs:
        check_cost(specs, quality, exr)
    if from_blend:
        _blend_scene()  # a scene without a camera is refused before the folder is touched
    with output_lock(out_dir):
        remove_leftovers(out_dir)
        return _render_locked(spec, out_dir, variants, specs, quality=quality, resolution=resolution, samples=samples,
                              vary=vary, spec_dir=spec_dir, from_blend=from_blend, exr=exr, verify=verify,
                              progress=progress, log=log)


def _render_locked(spec: Spec, out_dir: Path, variants: list[Variant], specs: list[Spec], *, quality: str | None,
                   resolution: tuple[int, int] | None, samples: int | None, vary: list[str] | None,
                   spec_dir: Path | None, from_blend: bool, exr: bool | None, verify: bool,
                   progress: Callable[[float], None] | None, log: Callable[[str], None] | None) -> list[Path]:
    quiet = log is None and progress is None
    tracker = RenderProgress(max(len(variants), 1), progress, log_to_stderr if quiet else log)

    def request(variant: tuple[str, ...], job_spec: Spec) -> RenderRequest:
        return RenderRequest(quality=quality, resolution=resolution, samples=samples,
                             exr=job_spec.render.exr if exr is None else exr, variant=variant, quiet=quiet)

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
    if not from_blend:
        scene.render.use_persistent_data = True  # keep what the variants share between renders
    for index, (variant, variant_spec) in enumerate(zip(variants, specs, strict=True)):
        tracker.begin(index, f"{variant.folder_name}: building")
        build_scene(variant_spec, scene, spec_dir, reuse_sitter=True)
        job = request(variant.overrides, variant_spec)
        apply_request(scene, variant_spec, job)
        tracker.step(_describe(scene, job, variant_spec), 0.0)
        files = write_folder(scene, variant_spec, out_dir / variant.folder_name, job, tracker,
                             measure(variant_spec, scene))
        written += files
        cells.append((next(p for p in files if p.name == REFERENCE_PNG), variant.overrides))
    written.append(write_contact_sheet(cells, _columns(vary or [], len(variants)), out_dir / CONTACT_SHEET))
    tracker.finish()
    return written


def write_contact_sheet(images: list[tuple[Path, tuple[str, ...]]], columns: int, path: Path) -> Path:
    """A labelled contact sheet of ``images`` (reference PNG, label lines), written atomically."""
    cells = [Cell(read_png(image)[..., :3], label) for image, label in images]
    sheet = contact_sheet(cells, columns)
    return atomic_write(path, lambda tmp: write_png(tmp, sheet, srgb=True))


@dataclass(kw_only=True)
class VariantRender:
    files: list[Path]
    build_seconds: float
    render_seconds: float  # the render (or the mix) and the writing of its files
    sitter_reused: bool
    mixed_from: str | None = None  # the variant whose render this one was summed from (``render/mix.py``)


@dataclass(frozen=True, kw_only=True)
class MixJob:
    """A variant to be mixed from the render of its group's first (``SweepRenderer.render_group``)."""
    name: str  # the variant's id (scene.json names the variant it was mixed from)
    spec: Spec
    out_dir: Path
    label: tuple[str, ...] = ()


class SweepRenderer:
    """One Blender process rendering many variants (``portrait_spec worker``): one scene, updated
    in place per variant (the sitter kept while it is unchanged) with Cycles' persistent data on,
    so a light-only change costs a render, not a new process, build and scene sync; a change of
    the lights' levels alone (``mixes``) costs no render at all (``render/mix.py``)."""

    def __init__(self) -> None:
        self._scene: bpy.types.Scene | None = None

    def reset(self) -> None:
        """Start the next variant from a fresh scene (after a failure left this one unknown)."""
        self._scene = None

    def _build(self, spec: Spec, spec_dir: Path | None, threads: int) -> tuple[bpy.types.Scene, bool]:
        if self._scene is None:
            self._scene = fresh_scene()
        scene = self._scene
        built = build_scene(spec, scene, spec_dir, reuse_sitter=True)
        scene.render.use_persistent_data = True
        scene.render.threads_mode = "FIXED" if threads > 0 else "AUTO"
        if threads > 0:
            scene.render.threads = threads
        return scene, built.sitter_reused

    def render(self, spec: Spec, out_dir: Path, *, spec_dir: Path | None = None, threads: int = 0,
               exr: bool | None = None, label: tuple[str, ...] = ()) -> VariantRender:
        """The outputs of ``render`` for ``spec`` in ``out_dir`` (its render settings come from the
        spec alone); ``threads`` 0 lets Cycles use every core."""
        own, _ = self.render_group(spec, out_dir, (), spec_dir=spec_dir, threads=threads, exr=exr, label=label)
        return own

    def render_group(self, spec: Spec, out_dir: Path, mixes: tuple[MixJob, ...], *, name: str = "",
                     spec_dir: Path | None = None, threads: int = 0, exr: bool | None = None,
                     label: tuple[str, ...] = ()) -> tuple[VariantRender, list[VariantRender | Exception]]:
        """``render`` of ``spec`` (the variant ``name``), then each of ``mixes`` (variants differing
        from it in their lights' levels only, ``core.sweep.mix``) summed from that render into its
        own folder, or rendered when its lights changed in more than their energies. A mix that
        fails is its exception in the list and does not stop the others."""
        started = time.monotonic()
        scene, reused = self._build(spec, spec_dir, threads)
        job = RenderRequest(exr=spec.render.exr if exr is None else exr, variant=label, quiet=True)
        built_at = time.monotonic()
        if mixes:
            files, layers = render_base(scene, spec, out_dir, job, RenderProgress(1))
        else:
            files, layers = write_folder(scene, spec, out_dir, job, RenderProgress(1)), None
        own = VariantRender(files=files, build_seconds=built_at - started, render_seconds=time.monotonic() - built_at,
                            sitter_reused=reused)
        return own, [self._mix(mix, layers, name, spec_dir, threads, exr) for mix in mixes]

    def _mix(self, mix: MixJob, layers: LightLayers | None, base: str, spec_dir: Path | None, threads: int,
             exr: bool | None) -> VariantRender | Exception:
        try:
            started = time.monotonic()
            scene, reused = self._build(mix.spec, spec_dir, threads)
            job = RenderRequest(exr=mix.spec.render.exr if exr is None else exr, variant=mix.label, quiet=True)
            built_at = time.monotonic()
            if layers is not None and mixable(scene, layers):
                files, mixed_from = write_mixed(scene, mix.spec, mix.out_dir, job, layers, base), base
            else:
                files, mixed_from = write_folder(scene, mix.spec, mix.out_dir, job, RenderProgress(1)), None
            return VariantRender(files=files, build_seconds=built_at - started, render_seconds=time.monotonic() - built_at,
                                 sitter_reused=reused, mixed_from=mixed_from)
        except Exception as exc:  # recorded for this variant; the scene may be half updated
            self.reset()
            return exc


def _describe(scene: bpy.types.Scene, job: RenderRequest, spec: Spec) -> str:
    render = scene.render
    preset = job.quality or spec.render.quality
    return f"rendering {render.resolution_x}x{render.resolution_y}, {cycles_of(scene).samples} samples ({preset})"


def _columns(vary: list[str], count: int) -> int:
    """A row per value of every axis but the last; a single axis wraps after four."""
    if len(vary) > 1:
        return len(split_values(vary[-1].partition("=")[2]))
    return min(count, 4)


def _blend_scene() -> bpy.types.Scene:
    """The open file's scene carrying Portrait Spec data (the active one first)."""
    for scene in (bpy.context.scene, *bpy.data.scenes):
        if scene is not None and stored_spec_json(scene) is not None:
            if scene.camera is None or scene.camera.type != "CAMERA":
                raise SpecError([Problem("camera", f"no camera in scene {scene.name!r} (deleted)",
                                         "the studio's camera: undo the deletion or rebuild the studio")])
            return scene
    raise SpecError([Problem("(scene)", "no scene with Portrait Spec data",
                             "a .blend built by Portrait Spec (`portrait_spec build ... --save FILE.blend`)")])


def promised_spec(scene: bpy.types.Scene) -> Spec:
    """The spec stored in the scene when it was built."""
    stored = stored_spec_json(scene)
    if stored is None:
        raise SpecError([Problem("(scene)", f"scene {scene.name!r} has no stored spec", "a scene built by Portrait Spec")])
    return spec_from_json(stored, f"scene {scene.name!r}")


def verify_scene(spec: Spec, *, spec_dir: Path | None = None, from_blend: bool = False) -> VerifyReport:
    if from_blend:
        scene = _blend_scene()
        return verify_built_scene(promised_spec(scene), scene)
    return verify_built_scene(spec, build_fresh(spec, spec_dir))


__all__ = ["BuildResult", "add_chain", "build_and_save", "build_fresh", "build_scene", "material_for", "promised_spec",
           "render_to_folder", "spec_from_scene", "verify_scene"]
