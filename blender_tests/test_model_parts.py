"""A character in parts: a rigged body, separate hair and clothes meshes, eyes marked by the skin
weight groups of its eye bones (``mixamorig:LeftEye``/``RightEye``) rather than a mapped material.
The eyes come from the groups, the chain rests on skin and clothes but never on hair, and it
frames and verifies."""

from __future__ import annotations

from pathlib import Path

import model_fixtures as mf


def test_hair_and_clothes_meshes_eye_groups(scene, tmp_path: Path):
    path = mf.export(mf.character(rig=True, eye_weights=True, parts=True, eyes_material=False), tmp_path / "parts.glb")
    built = mf.build_and_check(scene, mf.model_spec(path, {"Skin": "skin", "Hair": "keep", "Cloth": "keep"}))
    assert mf.eyes_in(scene).source == "vertex groups"
    names = {o.name.split(".")[0] for o in built.subject.objects if o.type == "MESH"}
    assert names == {"Body", "Hair", "Clothes"}
    assert [o.name.split(".")[0] for o in built.subject.rest_objects] == ["Clothes"]
    hair = next(o for o in built.subject.objects if o.name.startswith("Hair"))
    assert hair.material_slots[0].link == "DATA" and hair.material_slots[0].material.name.startswith("Hair")
