"""Catchlights measured on the person's corneas (blender/verify/catchlights.py): ray casts only,
no renders, on one close-up build. A strip light makes a strip, a disk with a deflector in front
a ring, a rectangle up and to camera left a catchlight at 10-11 o'clock, each where
core.catchlights predicts; verify reports the prompt's catchlights and fails a moved key."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

import bmesh
import bpy
import pytest

from portrait_spec.blender.api import build_scene
from portrait_spec.blender.studio.lights import aimed_matrix
from portrait_spec.blender.verify.catchlights import EyeCatchlight, measure
from portrait_spec.blender.verify.verify import verify_claims
from portrait_spec.core import catchlights as cl
from portrait_spec.core.modifiers import DEFLECTOR_FRACTION, DEFLECTOR_GAP_M
from portrait_spec.core.placement import light_position
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import loads_spec
from portrait_spec.core.units import Distance

# A close-up at 2000 px (never rendered): a catchlight spans 10-25 px, so its shape shows. The
# key is a strip box at eye height, low enough that the prompt names its shape.
SPEC = """
[camera]
framing = "closeup"
[render]
resolution = [1600, 2000]
[lights.key]
modifier = "stripbox"
width = "0.3 m"
height = "1.2 m"
distance = "1.5 m"
azimuth_deg = -30.0
elevation_deg = -5.0
[lights.rim]
enabled = false
"""


@pytest.fixture(scope="module")
def built() -> tuple[Spec, bpy.types.Scene]:
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    spec = loads_spec(SPEC)
    build_scene(spec, scene, None)
    bpy.context.view_layer.update()
    return spec, scene


def _key(scene: bpy.types.Scene) -> bpy.types.Object:
    return next(o for o in scene.objects if o.get("portrait_spec_role") == "key")


@contextmanager
def _key_as(scene: bpy.types.Scene, shape: str, width: float, height: float, az: float, el: float, d: float,
            deflector: bool = False) -> Iterator[bpy.types.Object]:
    """The key light reshaped and moved for one test (put back after), with a beauty dish's
    deflector disk parented in front of its centre when asked."""
    key = _key(scene)
    data = key.data
    assert isinstance(data, bpy.types.AreaLight)
    saved = (key.matrix_world.copy(), data.shape, data.size, data.size_y)
    focus = (0.0, 0.0, 1.6)
    data.shape, data.size, data.size_y = shape, width, height
    key.matrix_world = aimed_matrix(light_position(focus, az, el, d), focus)
    disk = None
    if deflector:
        mesh = bpy.data.meshes.new("test deflector")
        bm = bmesh.new()
        bmesh.ops.create_circle(bm, cap_ends=True, segments=32, radius=DEFLECTOR_FRACTION * width / 2.0)
        bm.to_mesh(mesh)
        bm.free()
        disk = bpy.data.objects.new("test deflector", mesh)
        scene.collection.objects.link(disk)
        disk.parent = key
        disk.location = (0.0, 0.0, -DEFLECTOR_GAP_M)  # the light faces its -Z
    bpy.context.view_layer.update()
    try:
        yield key
    finally:
        if disk is not None:
            bpy.data.objects.remove(disk)
        key.matrix_world, data.shape, data.size, data.size_y = saved
        bpy.context.view_layer.update()


def _key_eyes(scene: bpy.types.Scene) -> list[EyeCatchlight]:
    eyes = measure(scene)["key"]
    assert len(eyes) == 2 and all(e.catchlight is not None for e in eyes), eyes
    return eyes


def _predicted(spec: Spec, **key: object) -> cl.Catchlight:
    p = cl.predict(dataclasses.replace(spec, lights=dataclasses.replace(
        spec.lights, key=dataclasses.replace(spec.lights.key, **key))), "key")
    assert p is not None
    return p.whole


def test_a_rectangle_up_and_camera_left_is_a_rectangular_catchlight_at_ten_to_eleven(built):
    spec, scene = built
    with _key_as(scene, "RECTANGLE", 1.0, 0.7, 30.0, 20.0, 1.2):
        eyes = _key_eyes(scene)
    predicted = _predicted(spec, modifier="softbox", shape="rectangle", width=Distance(1.0, "m"), height=Distance(0.7, "m"),
                           azimuth_deg=30.0, elevation_deg=20.0, distance=Distance(1.2, "m"))
    assert cl.clear_shape(predicted) == "rectangle"
    for eye in eyes:
        assert eye.catchlight is not None
        assert cl.fits(eye.catchlight, "rectangle"), eye
        assert 10.0 <= eye.catchlight.clock <= 11.0
        assert cl.clock_distance(eye.catchlight.clock, predicted.clock) < 0.3


def test_a_strip_box_key_makes_a_strip_catchlight(built):
    spec, scene = built
    predicted = _predicted(spec)
    for eye in _key_eyes(scene):
        assert eye.catchlight is not None
        assert eye.shape == "strip" == cl.clear_shape(predicted), eye
        assert cl.clock_distance(eye.catchlight.clock, predicted.clock) < 0.3


def test_a_disk_with_a_deflector_makes_a_ring_and_without_it_a_round_catchlight(built):
    _, scene = built
    with _key_as(scene, "DISK", 0.55, 0.55, 0.0, 20.0, 0.8, deflector=True):
        ring = _key_eyes(scene)
    with _key_as(scene, "DISK", 0.55, 0.55, 0.0, 20.0, 0.8):
        disk = _key_eyes(scene)
    assert [e.shape for e in ring] == ["ring", "ring"], ring
    assert [e.shape for e in disk] == ["round", "round"], disk
    for e in ring:
        assert e.catchlight is not None and e.catchlight.hole_px >= cl.HOLE_PX


def test_verify_reports_the_catchlights_and_fails_a_key_moved_to_another_hour(built):
    spec, scene = built
    claims = tuple(c for c in build_prompts(spec).claims if "catchlight" in c.path)
    assert {c.path for c in claims} >= {"lights.key.catchlight_shape", "lights.key.catchlight_clock"}
    report = verify_claims(spec, scene, claims)
    assert not report.failures(), report.table()
    with _key_as(scene, "RECTANGLE", 0.3, 1.2, 30.0, -5.0, 1.5):  # the strip moved to camera left: 9 o'clock
        report = verify_claims(spec, scene, claims)
    assert {c.path for c in report.failures()} == {"lights.key.catchlight_clock"}, report.table()


def test_the_studios_beauty_dish_makes_a_ring_catchlight(built):
    """The builder's own beauty dish (a disk with its deflector, core.modifiers), not a test's."""
    spec, scene = built
    dish = loads_spec(SPEC.replace('modifier = "stripbox"', 'modifier = "beauty_dish"').replace(
        'width = "0.3 m"', 'width = "0.55 m"').replace('distance = "1.5 m"', 'distance = "0.8 m"').replace(
        "azimuth_deg = -30.0", "azimuth_deg = 0.0").replace("elevation_deg = -5.0", "elevation_deg = 20.0"))
    build_scene(dish, scene, None, reuse_sitter=True)
    bpy.context.view_layer.update()
    try:
        eyes = _key_eyes(scene)
        predicted = cl.predict(dish, "key")
        assert predicted is not None and cl.clear_shape(predicted.whole) == "ring"
        assert [e.shape for e in eyes] == ["ring", "ring"], eyes
    finally:
        build_scene(spec, scene, None, reuse_sitter=True)
        bpy.context.view_layer.update()
