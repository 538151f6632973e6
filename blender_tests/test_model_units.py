"""Units and axes of real files: the same character in centimetres, Y up, as FBX (whose importer
applies the file's unit) and as OBJ (which has no unit: scaled from the person's size, and said),
and an OBJ written Z up (read Y up by the importer: stood up, and said). Each builds, frames,
drapes and verifies like a metres GLB."""

from __future__ import annotations

import json
from pathlib import Path

import model_fixtures as mf
import numpy as np
import pytest

from portrait_spec.blender.contract import MODEL_NOTES_KEY


def _notes(built) -> list[str]:
    root = next(o for o in built.subject.objects if o.get(MODEL_NOTES_KEY) is not None)
    return [str(n) for n in json.loads(root[MODEL_NOTES_KEY])]


@pytest.mark.parametrize(("name", "unit", "up", "facing", "said"), [
    ("character.fbx", "cm", "Y", 0.0, None),  # FBX carries its unit: the importer converts
    ("character.obj", "cm", "Y", 0.0, "in centimetres: scaled by 0.01"),
    ("character.obj", "m", "Z", 200.0, "stood up"),
])
def test_file_units_and_axes(scene, tmp_path: Path, name, unit, up, facing, said):
    path = mf.export(mf.character(), tmp_path / name, unit=unit, up=up, facing_deg=facing)
    built = mf.build_and_check(scene, mf.model_spec(path, {"Skin": "skin", "Eyes": "eyes"}))
    notes = _notes(built)
    if said is None:
        assert not any("scaled" in n or "stood up" in n for n in notes), notes
    else:
        assert any(said in n for n in notes), notes


def test_body_turn_turns_the_face_from_the_camera(scene, tmp_path: Path):
    path = mf.export(mf.character(), tmp_path / "character.glb", facing_deg=-35.0)
    spec = mf.model_spec(path, {"Skin": "skin", "Eyes": "eyes"}, "[subject.pose]\nbody_turn_deg = 30.0\n")
    mf.build_scene(spec, scene)
    forward = mf.eyes_in(scene).forward
    # + turns towards camera left (-X): the face looks along (-sin 30, -cos 30) in plan.
    yaw = float(np.degrees(np.arctan2(-forward[0], -forward[1])))
    assert yaw == pytest.approx(30.0, abs=1.0)
