"""Your own subject: a model file through Blender's importers, tagged, mapped to the spec's
materials, placed with its eyes on the focus point, and replaced (not duplicated) on rebuild."""

from __future__ import annotations

from pathlib import Path

import bpy
import numpy as np
import pytest

from portrait_spec.blender.api import build_scene  # noqa: F401 - the studio path must import
from portrait_spec.blender.contract import objects_with_role, studio_collection
from portrait_spec.blender.sitter.subject import build_subject
from portrait_spec.core.errors import SpecError
from portrait_spec.core.toml_io import loads_spec

OBJ = """mtllib model.mtl
o Head
v -0.08 -0.1 1.0
v 0.08 -0.1 1.0
v 0.08 0.1 1.0
v -0.08 0.1 1.0
v -0.08 -0.1 1.23
v 0.08 -0.1 1.23
v 0.08 0.1 1.23
v -0.08 0.1 1.23
usemtl FaceSkin
f 1 2 3 4
f 5 8 7 6
f 1 5 6 2
f 2 6 7 3
f 3 7 8 4
f 4 8 5 1
o Eyes
v -0.04 -0.11 1.11
v -0.02 -0.11 1.11
v -0.02 -0.11 1.13
v -0.04 -0.11 1.13
v 0.02 -0.11 1.11
v 0.04 -0.11 1.11
v 0.04 -0.11 1.13
v 0.02 -0.11 1.13
usemtl EyeWhite
f 9 10 11 12
f 13 14 15 16
"""
MTL = "newmtl FaceSkin\nKd 0.8 0.6 0.5\nnewmtl EyeWhite\nKd 1 1 1\n"


def _spec(model: Path, extra: str = ""):
    return loads_spec(f"""
[subject]
kind = "model"
model = "{model.as_posix()}"
[subject.materials]
FaceSkin = "skin"
EyeWhite = "eyes"
{extra}
""")


@pytest.fixture
def obj_file(tmp_path: Path) -> Path:
    (tmp_path / "model.mtl").write_text(MTL)
    path = tmp_path / "model.obj"
    path.write_text(OBJ)
    return path


def _slot_materials(objects):
    return {o.name.split(".")[0]: [s.material.name for s in o.material_slots] for o in objects if o.type == "MESH"}


def test_obj_is_imported_tagged_mapped_and_placed(scene, obj_file):
    spec = _spec(obj_file)
    result = build_subject(spec, scene, studio_collection(scene))
    bpy.context.view_layer.update()
    assert len(result.objects) == 2
    assert all(o.get("portrait_spec_role") == "subject" for o in result.objects)
    mats = _slot_materials(result.objects)
    assert mats["Head"] == ["PS_Skin"] and mats["Eyes"] == ["PS_Eye model"]
    assert "FaceSkin" in bpy.data.materials  # the model's own material is kept, only overridden
    eyes = next(o for o in result.objects if o.name.startswith("Eyes"))
    co = np.array([tuple(eyes.matrix_world @ v.co) for v in eyes.data.vertices])
    centre = (co.min(axis=0) + co.max(axis=0)) / 2
    assert centre[0] == pytest.approx(0.0, abs=1e-4)
    assert centre[2] == pytest.approx(spec.subject.eye_height.metres, abs=1e-4)
    assert co[:, 1].min() == pytest.approx(0.0, abs=1e-4)
    assert result.skin_objects and result.regions == []


def test_rebuild_reuses_and_bust_replaces_the_model(scene, obj_file):
    coll = studio_collection(scene)
    spec = _spec(obj_file)
    build_subject(spec, scene, coll)
    names = sorted(o.name for o in objects_with_role(scene, "subject"))
    result = build_subject(loads_spec(f'[subject]\nkind = "model"\nmodel = "{obj_file.as_posix()}"\n'
                                      '[subject.materials]\nEyeWhite = "eyes"\n'), scene, coll)
    assert sorted(o.name for o in objects_with_role(scene, "subject")) == names
    assert _slot_materials(result.objects)["Head"] == ["FaceSkin"]  # unmapped: its own material again
    build_subject(loads_spec(""), scene, coll)
    assert not any(o.name in names for o in objects_with_role(scene, "subject"))


def test_glb_import_maps_materials_despite_name_suffixes(scene, tmp_path):
    made = []
    for radius, x, name in ((0.1, 0.0, "Skin_01"), (0.012, -0.0315, "Eye_01"), (0.012, 0.0315, "Eye_01")):
        bpy.ops.mesh.primitive_uv_sphere_add(radius=radius, location=(x, -0.09 if radius < 0.1 else 0.0, 1.0))
        obj = bpy.context.active_object
        obj.data.materials.append(bpy.data.materials.get(name) or bpy.data.materials.new(name))
        made.append(obj)
    path = tmp_path / "head.glb"
    bpy.ops.export_scene.gltf(filepath=str(path), use_selection=False)
    for obj in made:
        bpy.data.objects.remove(obj)
    spec = loads_spec(f'[subject]\nkind = "model"\nmodel = "{path.as_posix()}"\n[subject.materials]\n'
                      'Skin_01 = "skin"\nEye_01 = "eyes"\n')
    result = build_subject(spec, scene, studio_collection(scene))
    meshes = [o for o in result.objects if o.type == "MESH"]
    assert meshes and {o.material_slots[0].material.name for o in meshes} == {"PS_Skin", "PS_Eye model"}


def test_missing_or_unsupported_model_is_a_spec_error(scene, tmp_path):
    with pytest.raises(SpecError, match=r"subject\.model"):
        build_subject(_spec(tmp_path / "nope.glb"), scene, studio_collection(scene))
    bad = tmp_path / "thing.stl"
    bad.write_text("solid x\nendsolid x\n")
    with pytest.raises(SpecError, match=r"subject\.model"):
        build_subject(_spec(bad), scene, studio_collection(scene))
