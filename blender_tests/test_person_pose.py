"""The person's pose measured from the mesh: a head turn set with --set is the head turn the
mesh has (+-1 deg), the body turn and the head's pitch and roll likewise, the eyes look into the
lens (or where the spec says), and the expression's face units are the ones asked for."""

from __future__ import annotations

import numpy as np
import pytest
from person_support import body, build_person

from portrait_spec.blender.api import build_scene
from portrait_spec.blender.measure.head import body_turn, expression_weights, gaze_offsets, head_pose, person_eyes
from portrait_spec.core.face_units import unit_weights
from portrait_spec.core.toml_io import loads_spec


@pytest.mark.parametrize(("overrides", "yaw", "pitch", "roll"), [
    (["subject.pose.head_yaw_deg=20"], 20.0, 0.0, 0.0),
    (["subject.pose.head_yaw_deg=-35", "subject.pose.head_pitch_deg=10"], -35.0, 10.0, 0.0),
    (["subject.pose.head_pitch_deg=-12", "subject.pose.head_roll_deg=8", "subject.pose.body_turn_deg=25"], 0.0, -12.0, 8.0),
])
def test_head_turn_measured_from_the_mesh(scene, overrides, yaw, pitch, roll):
    build_person(scene, *overrides)
    pose = head_pose(body(scene))
    assert pose is not None
    assert pose.yaw_deg == pytest.approx(yaw, abs=1.0)
    assert pose.pitch_deg == pytest.approx(pitch, abs=1.0)
    assert pose.roll_deg == pytest.approx(roll, abs=1.0)
    assert pose.fit.rms_m < 0.0005  # the skull moved rigidly


def test_head_yaw_follows_the_face_towards_camera_left(scene):
    """+ yaw turns the face towards camera left (-x): the nose tip, in front of the eyes, moves to -x."""
    build_person(scene, "subject.pose.head_yaw_deg=20")
    from person_support import region

    tip = region(scene, "nose_tip").mean(axis=0)
    assert tip[0] < -0.008  # ~27 mm in front of the pupils, turned 20 deg about the neck


def test_body_turn_and_a_hand_rotation_are_measured(scene):
    build_person(scene, "subject.pose.body_turn_deg=30")
    obj = body(scene)
    assert body_turn(obj) == pytest.approx(30.0, abs=1.0)
    obj.rotation_euler = (0.0, 0.0, np.radians(10.0))  # turned by hand: +z in Blender turns -y towards +x, camera right
    obj.location = (0.3, 0.2, -0.1)
    scene.view_layers[0].update()
    assert body_turn(obj) == pytest.approx(20.0, abs=1.0)
    assert head_pose(obj).yaw_deg == pytest.approx(-10.0, abs=1.0)  # type: ignore[union-attr]


@pytest.mark.parametrize("overrides", [[], ['subject.pose.gaze="direction"', "subject.pose.gaze_yaw_deg=15",
                                            "subject.pose.gaze_pitch_deg=-5", "subject.pose.head_yaw_deg=10"]])
def test_eyes_look_at_the_lens_or_the_stated_direction(scene, overrides):
    spec = loads_spec("", overrides)
    build_scene(spec, scene)
    lens = np.array(scene.camera.matrix_world.translation)
    eyes = person_eyes(scene)
    assert len(eyes) == 2
    for eye in eyes:
        angle, yaw, pitch = gaze_offsets(eye, lens)
        if spec.subject.pose.gaze == "camera":
            assert angle < 1.0
        else:
            assert yaw == pytest.approx(15.0, abs=1.0)
            assert pitch == pytest.approx(-5.0, abs=1.0)


@pytest.mark.parametrize("kind", ["neutral", "slight_smile", "smile", "serious"])
def test_expression_weights_are_fitted_back(scene, kind):
    spec, _ = build_person(scene, f'subject.expression.kind="{kind}"', "subject.expression.intensity=0.8",
                           "subject.pose.head_yaw_deg=15")
    obj = body(scene)
    pose = head_pose(obj)
    assert pose is not None
    fitted = expression_weights(obj, pose)
    for unit, weight in unit_weights(spec.subject.expression).items():
        assert fitted[unit] == pytest.approx(weight, abs=0.02), unit
