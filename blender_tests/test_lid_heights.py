"""The upper lid's height over the iris centre (core/lid_heights.py), measured on built people:
builds and ray casts only, no renders. ``PORTRAIT_SPEC_UPDATE_LIDS=1`` rewrites the table from
the macro corners (about 20 builds); normally a few sitters between the corners check that the
blended estimate is within ``TOLERANCE`` of the measured lid and, less the margin core.catchlights
leaves, never above it."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import bpy
import numpy as np
import pytest
from mathutils import Vector
from person_support import build_person

from portrait_spec.blender.verify.catchlights import corneas
from portrait_spec.core import catchlights, lid_heights
from portrait_spec.core.toml_io import loads_spec

LIDS_FILE = Path(lid_heights.__file__)
STEP = 0.01  # cornea radii between the rays up a column
TOLERANCE = 0.08  # cornea radii: the blend's error between corners (the macro shapes move the lid non-linearly)


def measure_lid(scene: bpy.types.Scene) -> tuple[float, ...]:
    """The upper lid's height over the iris centre at each of ``lid_heights.XS`` (cornea radii,
    the eye's frame: up is the world's up square to the gaze), the lower of both eyes and sides."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    eyes = corneas(scene)
    assert len(eyes) == 2, eyes
    out = [float("inf")] * len(lid_heights.XS)
    for c in eyes:
        g = c.gaze
        up = np.array([0.0, 0.0, 1.0]) - g[2] * g
        up /= np.linalg.norm(up)
        side = np.cross(g, up)
        for i, x in enumerate(lid_heights.XS):
            for sign in (-1.0, 1.0):
                top = 0.0
                for k in range(int(1.2 / STEP) + 1):
                    y = k * STEP
                    start = c.centre + c.radius * (sign * x * side + y * up) + 0.03 * g
                    hit, _, _, _, obj, _ = scene.ray_cast(depsgraph, Vector(start.tolist()), Vector((-g).tolist()), distance=0.06)
                    if hit and obj == c.eye:
                        top = y
                    elif k * STEP > top + 2 * STEP:  # past the margin (a lash may part once)
                        break
                out[i] = min(out[i], top)
    return tuple(round(v, 3) for v in out)


def _person(scene: bpy.types.Scene, *overrides: str) -> tuple[float, ...]:
    build_person(scene, *overrides)
    return measure_lid(scene)


def _ancestry(name: str) -> list[str]:
    return [f"subject.ancestry.{a}={1.0 if a == name else 0.0}" for a in lid_heights.ANCESTRIES]


def _update_table(scene: bpy.types.Scene) -> None:
    rows = {}
    for a in lid_heights.ANCESTRIES:
        for s in lid_heights.SEXES:
            for age in lid_heights.AGES:
                rows[(a, s, age)] = _person(scene, *_ancestry(a), f"subject.body.sex={s}", f"subject.body.age_years={age}")
    base = _person(scene)
    small = tuple(min(0.0, round(b - a, 3)) for a, b in zip(base, _person(scene, "subject.face.eye_size=-1.0"), strict=True))
    header = LIDS_FILE.read_text(encoding="utf-8").split("\nSMALL_EYES", 1)[0] + "\n"
    body = "".join(f"    {k!r}: {v!r},\n" for k, v in rows.items())
    LIDS_FILE.write_text(f"{header}SMALL_EYES: tuple[float, ...] = {small!r}\n"
                         f"LIDS: dict[tuple[str, float, float], tuple[float, ...]] = {{\n{body}}}\n", encoding="utf-8")
    importlib.reload(lid_heights)  # the file as written is what the checks below read


@pytest.fixture(scope="module")
def scene() -> bpy.types.Scene:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    if os.environ.get("PORTRAIT_SPEC_UPDATE_LIDS"):
        _update_table(bpy.context.scene)
    return bpy.context.scene


# Sitters between the corners: broad's man, the default woman, a blend at a middle age with small eyes.
SITTERS = {
    "broad": ["subject.body.sex=1.0", "subject.body.age_years=45.0", *_ancestry("asian")],
    "default": [],
    "blend": ["subject.body.sex=0.4", "subject.body.age_years=60.0", "subject.ancestry.african=0.5",
              "subject.ancestry.asian=0.2", "subject.ancestry.caucasian=0.3", "subject.face.eye_size=-0.5"],
}


@pytest.mark.parametrize("name", sorted(SITTERS))
def test_the_blended_table_estimates_the_lid_on_the_safe_side(scene, name):
    measured = _person(scene, *SITTERS[name])
    estimate = lid_heights.upper_lid(loads_spec("", ['subject.kind="person"', *SITTERS[name]]).subject)
    assert estimate is not None
    for x, m, e in zip(lid_heights.XS, measured, estimate, strict=True):
        assert abs(e - m) <= TOLERANCE or e < m, (name, x, measured, estimate)  # lowered for concavity: safe
        assert e - catchlights.LID_MARGIN <= m, (name, x, measured, estimate)
