"""A saved .blend as a scene argument: open it, read the scene back, apply ``--set`` overrides.

Overrides go through the same plain-data path as a TOML file (``toml_io.apply_overrides`` then
``schema.spec_from_data``), so ``--set lights.fill.stops=9`` fails with the same message either way.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bpy

from ..core.errors import Problem, SpecError
from ..core.schema import spec_from_data, spec_to_data
from ..core.spec import Spec
from ..core.toml_io import apply_overrides
from .contract import stored_spec_json
from .readback import spec_from_scene


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Blender prints 'Read blend: ...' on the C stdout; keep stdout for the command's output
    (``prompt --json`` must print JSON only)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _open(path: Path) -> None:
    if not path.is_file():
        raise SpecError([Problem("(file)", repr(str(path)), "an existing .blend file saved by Portrait Spec")], str(path))
    try:
        with _stdout_to_stderr():
            bpy.ops.wm.open_mainfile(filepath=str(path.resolve()), load_ui=False)
    except RuntimeError as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unreadable"
        raise SpecError([Problem("(file)", f"a file Blender cannot open ({reason})", "a .blend file")], str(path)) from None


def portrait_scene() -> bpy.types.Scene:
    """The open file's Portrait Spec scene: the active one if it has the data, else the first that does."""
    candidates = [bpy.context.scene, *bpy.data.scenes]
    for scene in candidates:
        if scene is not None and stored_spec_json(scene) is not None:
            if bpy.context.window is not None and bpy.context.window.scene != scene:
                bpy.context.window.scene = scene
            return scene
    names = ", ".join(repr(s.name) for s in bpy.data.scenes) or "none"
    raise SpecError([Problem("(scene)", f"no scene with Portrait Spec data (scenes: {names})",
                             "a .blend built by Portrait Spec (`portrait_spec build ... --save FILE.blend`)")])


def spec_from_blend(path: Path, overrides: list[str] | None = None) -> Spec:
    """Open ``path`` and return the spec of its scene as it is now, with ``overrides`` applied.
    The file stays open, so a following render or verify uses this scene."""
    path = Path(path)
    _open(path)
    try:
        spec = spec_from_scene(portrait_scene())
    except SpecError as exc:
        raise SpecError(exc.problems, str(path)) from None
    if not overrides:
        return spec
    return spec_from_data(apply_overrides(spec_to_data(spec), overrides), str(path))
