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

from pathlib import Path

import bpy

from ..core.errors import Problem, SpecError
from ..core.prompt.export import write_prompt_outputs
from ..core.schema import spec_from_data, spec_to_data
from ..core.spec import Spec
from ..core.toml_io import apply_overrides, spec_from_json
from ..core.variants import expand
from .build import build_scene
from .contract import stored_spec_json
from .pixels import render_still
from .render_settings import QUALITY
from .verify import VerifyReport, verify_built_scene

REFERENCE_NAME = "reference.png"


def fresh_scene() -> bpy.types.Scene:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    if scene is None:
        raise RuntimeError("Blender has no scene after loading factory settings")
    scene.render.engine = "CYCLES"  # type: ignore[assignment]  # the 4.5 stubs list EEVEE only
    return scene


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
                     spec_dir: Path | None = None, from_blend: bool = False) -> list[Path]:
    """Render ``reference.png`` (8-bit, through the scene's colour management) into ``out_dir``;
    with ``vary``, one subfolder per variant (named by its ``path=value`` pairs), each rebuilt from
    the spec with the variant's overrides."""
    out_dir = Path(out_dir)
    _check_output_folder(out_dir, force)
    if samples is not None and samples < 1:
        raise SpecError([Problem("--samples", str(samples), "a whole number of at least 1")])
    variants = expand(vary or [])
    # Validate every variant before rendering any, so a typo in the last value wastes no render.
    specs = [spec_from_data(apply_overrides(spec_to_data(spec), list(v.overrides)), "--vary") for v in variants]
    if not variants:
        scene = _blend_scene() if from_blend else build_fresh(spec, spec_dir)
        path = _render_reference(scene, out_dir, quality, resolution, samples)
        return [path, *write_prompt_outputs(spec, out_dir, [path])]
    written = []
    scene = _blend_scene() if from_blend else fresh_scene()
    for variant, variant_spec in zip(variants, specs, strict=True):
        build_scene(variant_spec, scene, spec_dir)
        path = _render_reference(scene, out_dir / variant.folder_name, quality, resolution, samples)
        written += [path, *write_prompt_outputs(variant_spec, path.parent, [path])]
    return written


def _render_reference(scene: bpy.types.Scene, out_dir: Path, quality: str | None, resolution: tuple[int, int] | None,
                      samples: int | None) -> Path:
    render = scene.render
    if resolution is not None:
        render.resolution_x, render.resolution_y = resolution
        render.resolution_percentage = 100
    if quality is not None:
        scene.cycles.samples = QUALITY[quality].samples
    if samples is not None:
        scene.cycles.samples = samples
    out_dir.mkdir(parents=True, exist_ok=True)
    return render_still(scene, out_dir / REFERENCE_NAME, "PNG", "8")


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
