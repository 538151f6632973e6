"""A rigged character (Mixamo bone names, MakeHuman's weights, an A-pose, eye bones), as an FBX in
centimetres with its eye material left unmapped: the eyes come from the eye bones, the raised arms
are hung down, the head turns as the spec says, and it frames, drapes and verifies."""

from __future__ import annotations

import math
from pathlib import Path

import model_fixtures as mf
import numpy as np
import pytest
from mathutils import Vector

from portrait_spec.blender.sitter.model.pose import ARM_FROM_VERTICAL_DEG


@pytest.fixture
def rigged(tmp_path: Path) -> Path:
    return mf.export(mf.character(rig=True), tmp_path / "rigged.fbx", unit="cm")


def _upper_arm_angles(built) -> list[float]:
    rig = next(o for o in built.subject.objects if o.type == "ARMATURE")
    down = Vector((0.0, 0.0, -1.0))
    return [math.degrees(((rig.matrix_world @ pb.tail) - (rig.matrix_world @ pb.head)).angle(down))
            for pb in rig.pose.bones if pb.name in ("mixamorig:LeftArm", "mixamorig:RightArm")]


def test_rigged_fbx_eyes_from_bones_arms_down_verified(scene, rigged):
    built = mf.build_and_check(scene, mf.model_spec(rigged, {"Skin": "skin"}))
    assert mf.eyes_in(scene).source == "bones"
    angles = _upper_arm_angles(built)
    assert len(angles) == 2 and all(a == pytest.approx(ARM_FROM_VERTICAL_DEG, abs=0.5) for a in angles)


def test_head_yaw_turns_the_head_bone(scene, rigged):
    spec = mf.model_spec(rigged, {"Skin": "skin"}, "[subject.pose]\nhead_yaw_deg = 20.0\n")
    built = mf.build_scene(spec, scene)
    eyes = mf.eyes_in(scene)
    yaw = math.degrees(math.atan2(-eyes.forward[0], -eyes.forward[1]))
    assert yaw == pytest.approx(20.0, abs=1.0)
    assert np.linalg.norm(eyes.pupil_midpoint - np.array(built.focus)) < 0.002
