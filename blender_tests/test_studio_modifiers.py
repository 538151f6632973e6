"""Light modifiers (core.modifiers) as built: each one as the key is the light type it should be,
a beauty dish carries its deflector, the meter model that set its power agrees with a Cycles probe
render (so the key meters E = pi), verify's light claims pass, and the scene reads back to the
spec that built it. The studio alone is built (no sitter): what is measured is the light."""

from __future__ import annotations

import math

import pytest
from mathutils import Vector

from portrait_spec.blender.contract import DEFLECTOR_ROLE, MODIFIER_KEY, deflector_of, role_of, store_spec_json, studio_collection
from portrait_spec.blender.measure.meter import incident_reading
from portrait_spec.blender.measure.occlusion import occlusion
from portrait_spec.blender.measure.probe import metered_irradiance
from portrait_spec.blender.readback import spec_from_scene
from portrait_spec.blender.studio.builder import build_studio
from portrait_spec.blender.verify.claims import MEASURERS, Measuring
from portrait_spec.core.claim_coverage import coverage
from portrait_spec.core.modifiers import DEFLECTOR_FRACTION, DEFLECTOR_GAP_M
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.schema import spec_from_data
from portrait_spec.core.toml_io import spec_to_json

KEYS = {
    "softbox": ({}, "AREA"),
    "stripbox": ({"width": "0.3 m", "height": "1.2 m", "spread_deg": 40.0}, "AREA"),
    "octabox": ({"width": "1.5 m"}, "AREA"),
    "beauty_dish": ({"width": "0.55 m"}, "AREA"),
    "umbrella_shoot_through": ({"width": "1.0 m"}, "AREA"),
    "umbrella_reflective": ({"width": "1.2 m"}, "AREA"),
    "bare": ({"width": "0.1 m"}, "POINT"),
    "fresnel": ({"width": "0.1 m", "spread_deg": 30.0}, "SPOT"),
}
STOPS_TOLERANCE = 0.1  # verify's: the key level row and every stops claim


def build(scene, modifier: str):
    sizes, _ = KEYS[modifier]
    spec = spec_from_data({"subject": {"kind": "mannequin"}, "lights": {"key": {"modifier": modifier, **sizes}}})
    built = build_studio(spec, scene, studio_collection(scene), (0.0, 0.0, spec.subject.eye_height.metres))
    store_spec_json(scene, spec_to_json(spec))
    scene.view_layers[0].update()
    return spec, built


@pytest.mark.parametrize("modifier", list(KEYS))
def test_each_modifier_builds_meters_verifies_and_reads_back(scene, modifier):
    spec, built = build(scene, modifier)
    key = built.objects["key"]
    assert key.data.type == KEYS[modifier][1]
    assert key[MODIFIER_KEY] == modifier
    # The model the builder solved the power with, and Cycles itself, both read the key at E = pi.
    assert incident_reading(key, built.focus) == pytest.approx(math.pi, rel=1e-6)
    rendered = metered_irradiance(key, built.focus, samples=16)
    assert abs(math.log2(rendered / math.pi)) < STOPS_TOLERANCE / 2
    # Every claim the prompt makes about the key passes verify's own measurers.
    measuring = Measuring(spec, scene, built.focus)
    claims = [c for c in build_prompts(spec).claims if c.path.startswith("lights.key.")]
    assert any(c.path == "lights.key.modifier" for c in claims)
    for claim in claims:
        found = coverage(claim.path)
        assert found is not None and found.pattern in MEASURERS, claim.path
        rows = MEASURERS[found.pattern](claim, measuring)
        assert rows and all(row.passed for row in rows), (claim.phrase, rows)
    assert spec_from_scene(scene).lights == spec.lights  # the studio alone: render settings are not applied


def test_the_beauty_dish_deflector_hides_the_centre_and_goes_with_the_dish(scene):
    _, built = build(scene, "beauty_dish")
    key = built.objects["key"]
    deflector = deflector_of(key)
    assert deflector is not None and role_of(deflector) == DEFLECTOR_ROLE and deflector.parent == key
    assert deflector.dimensions.x == pytest.approx(DEFLECTOR_FRACTION * 0.55, abs=1e-4)
    assert (deflector.matrix_world.translation - key.matrix_world.translation).length == pytest.approx(DEFLECTOR_GAP_M, abs=1e-5)
    assert deflector.visible_shadow and deflector.visible_glossy and not deflector.visible_camera
    # Hidden, the centre lights the meter again: the deflector takes about (0.3)^2 of the dish.
    with_deflector = incident_reading(key, built.focus)
    deflector.hide_render = True
    assert incident_reading(key, built.focus) / with_deflector == pytest.approx(1.0 / (1.0 - DEFLECTOR_FRACTION ** 2), rel=0.03)
    deflector.hide_render = False
    # Part of the light, not an occluder: verify's occlusion share leaves the reading whole.
    assert occlusion(scene, key, built.focus).unblocked == 1.0
    build(scene, "octabox")  # another modifier: the deflector is removed with the dish
    assert [o for o in scene.objects if role_of(o) == DEFLECTOR_ROLE] == []


def test_a_disabled_dish_takes_its_deflector_with_it(scene):
    fill = {"modifier": "beauty_dish", "width": "0.5 m"}
    for enabled in (True, False):
        spec = spec_from_data({"subject": {"kind": "mannequin"}, "lights": {"fill": {**fill, "enabled": enabled}}})
        build_studio(spec, scene, studio_collection(scene), (0.0, 0.0, spec.subject.eye_height.metres))
        assert len([o for o in scene.objects if role_of(o) == DEFLECTOR_ROLE]) == int(enabled)


def test_a_key_switched_to_a_point_light_by_hand_reads_back_as_a_bare_flash(scene):
    _, built = build(scene, "softbox")
    key = built.objects["key"]
    key.data.type = "POINT"
    key.data.shadow_soft_size = 0.04
    scene.view_layers[0].update()
    read = spec_from_scene(scene).lights.key
    assert (read.modifier, read.width.metres) == ("bare", pytest.approx(0.08))


@pytest.mark.parametrize("off_axis_deg", [13.5, 14.5])
def test_a_fresnel_beam_edge_meters_as_cycles_renders_it(scene, off_axis_deg):
    """Off the axis, in the 30 deg beam's soft edge (blend and the lamp's own size): verify meters a
    Fresnel that no longer points at the face as Cycles lights it."""
    _, built = build(scene, "fresnel")
    key, focus = built.objects["key"], built.focus
    offset = math.tan(math.radians(off_axis_deg)) * (key.matrix_world.translation - Vector(focus)).length
    side = key.matrix_world.to_3x3() @ Vector((1.0, 0.0, 0.0))  # across the beam
    meter = tuple(Vector(focus) + side * offset)
    model = incident_reading(key, meter)
    assert 0.1 * math.pi < model < 0.9 * math.pi  # inside the edge, not on the plateau
    assert metered_irradiance(key, meter, samples=32) == pytest.approx(model, rel=0.02)
