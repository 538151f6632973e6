"""The studio operators on a fresh scene and on a scene holding the user's own objects (which
must come through unchanged): Build or Update Studio, Read From Scene and the stop nudges."""

from __future__ import annotations

import json
import math

import bpy
import pytest
from mathutils import Matrix
from ui_support import WITH_USER, assert_user_objects_unchanged, poll_with_reason, prepare, settings, ui_fixture  # noqa: F401  (ui_fixture provides the ui fixture)

from portrait_spec.blender.contract import find_one, objects_with_role, stored_spec_json
from portrait_spec.blender.ui import operators
from portrait_spec.blender.ui.spec_bridge import spec_from_props
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import spec_from_json
from portrait_spec.core.units import Distance


def _stops_in_scene(light: str) -> float:
    from portrait_spec.blender.measure.meter import stops_relative_to_key

    scene = bpy.context.scene
    focus = tuple(find_one(scene, "focus").location)
    return stops_relative_to_key(find_one(scene, light), find_one(scene, "key"), focus)


@WITH_USER
def test_build_creates_the_studio_once_and_leaves_user_objects_alone(ui, user_objects):
    before = prepare(ui, user_objects)
    assert bpy.ops.portrait_spec.build_studio() == {"FINISHED"}
    for role in ("camera", "key", "fill", "rim", "cyclorama", "focus", "subject"):
        assert len(objects_with_role(ui, role)) >= 1, role
    assert spec_from_json(stored_spec_json(ui)) == Spec()
    count = len(ui.objects)
    settings().spec.lights.rim.enabled = False
    assert bpy.ops.portrait_spec.build_studio() == {"FINISHED"}
    assert find_one(ui, "rim") is None and len(ui.objects) == count - 1
    assert_user_objects_unchanged(before)


def test_build_refuses_an_invalid_panel_and_builds_nothing(ui):
    settings().spec.render.view_transform = "AgX"  # extraction mode needs Standard
    with pytest.raises(RuntimeError, match=r"render\.view_transform"):
        bpy.ops.portrait_spec.build_studio()
    assert list(ui.objects) == []


@WITH_USER
def test_read_from_scene_follows_a_light_moved_in_the_viewport(ui, user_objects):
    before = prepare(ui, user_objects)
    ok, reasons = poll_with_reason(operators.PORTRAITSPEC_OT_read_from_scene, bpy.context)
    assert not ok and "Build the studio first" in reasons[0]
    bpy.ops.portrait_spec.build_studio()
    key = find_one(ui, "key")
    focus = find_one(ui, "focus").location.copy()
    # Swing the key 10 degrees around the vertical through the focus point.
    turn = Matrix.Translation(focus) @ Matrix.Rotation(math.radians(10.0), 4, "Z") @ Matrix.Translation(-focus)
    key.matrix_world = turn @ key.matrix_world
    wall = find_one(ui, "cyclorama")
    assert wall is not None
    assert bpy.ops.portrait_spec.read_from_scene() == {"FINISHED"}
    spec = spec_from_props(settings().spec)
    assert abs(abs(spec.lights.key.azimuth_deg - 45.0) - 10.0) < 0.2
    assert spec.lights.key.elevation_deg == pytest.approx(45.0, abs=0.2)
    assert spec.subject.distance_to_background == Distance(8.0, "ft")  # untouched, and still in feet
    assert_user_objects_unchanged(before)


@WITH_USER
def test_nudges_move_the_panel_by_exact_thirds_without_a_studio(ui, user_objects):
    before = prepare(ui, user_objects)
    bpy.ops.portrait_spec.nudge_fill(direction=1)
    assert spec_from_props(settings().spec).lights.fill.stops == -5.0 / 3.0
    bpy.ops.portrait_spec.nudge_fill(direction=1)
    assert spec_from_props(settings().spec).lights.fill.stops == -4.0 / 3.0
    bpy.ops.portrait_spec.nudge_rim(direction=-1)
    bpy.ops.portrait_spec.nudge_rim(direction=-1)
    bpy.ops.portrait_spec.nudge_rim(direction=-1)
    assert spec_from_props(settings().spec).lights.rim.stops == -1.0
    settings().spec.lights.fill.stops = -8.0
    assert bpy.ops.portrait_spec.nudge_fill(direction=-1) == {"CANCELLED"}
    assert settings().spec.lights.fill.stops == -8.0
    settings().spec.lights.rim.enabled = False
    ok, reasons = poll_with_reason(operators.PORTRAITSPEC_OT_nudge_rim, bpy.context)
    assert not ok and reasons == ["The rim light is switched off"]
    assert_user_objects_unchanged(before)


@WITH_USER
def test_a_nudge_updates_the_built_lights_to_the_exact_ratio(ui, user_objects):
    before = prepare(ui, user_objects)
    bpy.ops.portrait_spec.build_studio()
    assert _stops_in_scene("fill") == pytest.approx(-2.0, abs=1e-6)
    bpy.ops.portrait_spec.nudge_fill(direction=1)
    # The incident-meter model of the real lights in the scene, not the panel's number.
    assert _stops_in_scene("fill") == pytest.approx(-5.0 / 3.0, abs=1e-6)
    assert json.loads(stored_spec_json(ui))["lights"]["fill"]["stops"] == -5.0 / 3.0
    assert_user_objects_unchanged(before)
