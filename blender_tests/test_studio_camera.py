"""The portrait camera as Blender projects it: 4:5 crop of a 36 mm sensor, head-and-shoulders
framing with the eyes a third down, depth of field on the focus empty, eye level or a set height."""

import math

import pytest
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector

from portrait_spec.blender.api import build_scene
from portrait_spec.core.framing import EYES_FROM_TOP, FRAME_HEIGHT_M
from portrait_spec.core.toml_io import load_spec


def _build(scene, scenes_dir, *overrides):
    spec = load_spec(scenes_dir / "seed_portrait.toml", ["jewelry.enabled=false", *overrides])
    return spec, build_scene(spec, scene)


def test_head_and_shoulders_at_eye_level(scene, scenes_dir):
    spec, result = _build(scene, scenes_dir)
    cam = scene.camera
    eye = Vector(result.focus)
    assert cam.location.z == pytest.approx(eye.z)  # eye level
    uv = world_to_camera_view(scene, cam, eye)
    assert (uv.x, uv.y) == pytest.approx((0.5, 1.0 - EYES_FROM_TOP), abs=1e-4)
    # The frame spans 0.55 m at the focus distance: top and bottom edges, by Blender's projection.
    h = FRAME_HEIGHT_M["head_and_shoulders"]
    top = eye + Vector((0, 0, h * EYES_FROM_TOP))
    bottom = eye - Vector((0, 0, h * (1 - EYES_FROM_TOP)))
    assert world_to_camera_view(scene, cam, top).y == pytest.approx(1.0, abs=1e-4)
    assert world_to_camera_view(scene, cam, bottom).y == pytest.approx(0.0, abs=1e-4)
    # 4:5 frame cut from a 36 x 24 mm sensor held upright: 24 mm wide, so half width / distance = 12 / f.
    distance = eye.y - cam.location.y
    edge = eye + Vector((distance * 12.0 / spec.camera.focal_length_mm, 0, 0))
    assert world_to_camera_view(scene, cam, edge).x == pytest.approx(1.0, abs=1e-4)
    assert (scene.render.resolution_x, scene.render.resolution_y) == (1024, 1280)
    assert cam.data.lens == pytest.approx(105.0)
    assert cam.data.sensor_width == pytest.approx(36.0)
    # Verticals stay vertical at eye level: the camera looks level along +Y.
    forward = cam.matrix_world.to_3x3() @ Vector((0, 0, -1))
    assert tuple(forward.normalized()) == pytest.approx((0.0, 1.0, 0.0), abs=1e-6)


def test_depth_of_field_focuses_on_the_focus_empty(scene, scenes_dir):
    _spec, result = _build(scene, scenes_dir, "camera.f_number=2.8")
    dof = scene.camera.data.dof
    assert dof.use_dof
    assert dof.focus_object == result.objects["focus"]
    assert dof.aperture_fstop == pytest.approx(2.8)
    assert tuple(result.objects["focus"].location) == pytest.approx(result.focus)


@pytest.mark.parametrize(("framing", "height"), [("closeup", "1.2 m"), ("half_body", "2.0 m")])
def test_set_camera_height_tilts_to_keep_the_framing(scene, scenes_dir, framing, height):
    spec, result = _build(scene, scenes_dir, f"camera.framing={framing}", f'camera.height="{height}"')
    cam = scene.camera
    assert cam.location.z == pytest.approx(spec.camera.height.metres)
    uv = world_to_camera_view(scene, cam, Vector(result.focus))
    assert uv.x == pytest.approx(0.5, abs=1e-4)
    assert uv.y == pytest.approx(1.0 - EYES_FROM_TOP, abs=0.03)
    forward = (cam.matrix_world.to_3x3() @ Vector((0, 0, -1))).normalized()
    looking_up = forward.z > 0
    assert looking_up == (spec.camera.height.metres < result.focus[2] - FRAME_HEIGHT_M[framing] / 6)
    assert math.isclose(forward.x, 0.0, abs_tol=1e-9)  # no roll, no yaw
