"""Your own character as the most common export: one full-body mesh with "Skin" and "Eyes" slots,
GLB in metres (MakeHuman's base mesh, made by ``model_fixtures``). It is placed by the faces of
its eye material (not by the bounding box of the object that carries them), faced to the camera
from any direction, framed, lit, dressed (keeping its colour texture), draped with the chain and
verified; moved by hand afterwards, it fails verify (exit 3)."""

from __future__ import annotations

import json
from pathlib import Path

import bpy
import model_fixtures as mf
import numpy as np
import pytest

from portrait_spec import cli
from portrait_spec.blender.contract import MODEL_NOTES_KEY, objects_with_role
from portrait_spec.blender.verify.verify import verify_built_scene


@pytest.fixture
def glb(tmp_path: Path) -> Path:
    """Textured, with a shape key on, facing +X (a quarter turn from the camera)."""
    return mf.export(mf.character(texture=True, shape_key=True), tmp_path / "character.glb", facing_deg=90.0)


def test_glb_is_placed_by_its_eye_faces_framed_draped_and_verified(scene, glb):
    spec = mf.model_spec(glb, {"Skin": "skin", "Eyes": "eyes"})
    built = mf.build_and_check(scene, spec)
    assert built.subject.kind == "model"
    eyes = mf.eyes_in(scene)
    assert eyes.source == "eye faces"
    body = next(o for o in built.subject.objects if o.type == "MESH")
    slots = [s.material.name for s in body.material_slots]
    assert slots[0].startswith("PS_Skin Skin") and slots[1] == "PS_Eye model"  # the skin keeps its texture
    skin = body.material_slots[0].material
    assert skin.node_tree.nodes["skin_texture"].image is not None
    assert "skin_lips" not in skin.node_tree.nodes  # the texture paints the lips
    assert skin.node_tree.nodes["skin_bsdf"].subsurface_method == "RANDOM_WALK_SKIN"
    assert set(built.subject.regions) >= {"forehead", "nose_tip", "lips", "neck", "clavicles"}
    notes = json.loads(body[MODEL_NOTES_KEY])
    assert not any("scaled" in n for n in notes)  # a metres file is never rescaled


def test_rebuild_starts_from_the_file_and_lands_in_the_same_place(scene, glb):
    spec = mf.model_spec(glb, {"Skin": "skin", "Eyes": "eyes"})
    first = mf.build_scene(spec, scene)
    names = sorted(o.name for o in objects_with_role(scene, "subject"))
    again = mf.build_scene(mf.model_spec(glb, {"Skin": "skin", "Eyes": "eyes"}, "[camera]\nframing = \"closeup\"\n"), scene)
    assert sorted(o.name for o in objects_with_role(scene, "subject")) == names
    assert np.linalg.norm(mf.eyes_in(scene).pupil_midpoint - np.array(again.focus)) < 0.002
    assert first.focus == again.focus


def test_a_model_moved_after_the_build_fails_verify(scene, glb, tmp_path):
    spec = mf.model_spec(glb, {"Skin": "skin", "Eyes": "eyes"})
    mf.build_scene(spec, scene)
    root = next(o for o in objects_with_role(scene, "subject") if o.parent is None)
    root.location.z -= 0.6  # the focus now on the chest: the frame shows a torso, not a head
    report = verify_built_scene(spec, scene)
    failed = {c.name for c in report.failures()}
    assert failed == {"focus between the eyes", "head in the frame"}, report.table()

    root.location.z += 0.6 - 0.02  # 2 cm off: still a head in the frame, but not at the eyes
    bpy.context.view_layer.update()
    report = verify_built_scene(spec, scene)
    assert {c.name for c in report.failures()} == {"focus between the eyes"}, report.table()

    blend = tmp_path / "moved.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(blend))
    assert cli.main(["verify", str(blend)]) == 3
