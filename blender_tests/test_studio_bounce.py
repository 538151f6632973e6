"""Bounce fill and flag (issue 14): the reflector the builder places for ``lights.bounce.stops``
gives that level at the incident meter, measured by probe renders (the key alone with and
without the reflector); the flag stands where the spec puts it, black, facing the focus."""

import math

import bpy
import pytest
from mathutils import Vector

from portrait_spec.blender import readback
from portrait_spec.blender.contract import ROLE_KEY, studio_collection
from portrait_spec.blender.measure.meter import incident_reading
from portrait_spec.blender.measure.probe import bounce_irradiance, light_geometry
from portrait_spec.blender.studio.builder import build_studio
from portrait_spec.blender.verify.bounce import flag_effect_row
from portrait_spec.blender.verify.claims import MEASURERS, Measuring
from portrait_spec.core.prompt.claims import ClaimLog
from portrait_spec.core.prompt.facts import _bounce, _flag
from portrait_spec.core.schema import spec_from_data

EYES = (0.0, 0.0, 1.6)
CASES = [("white", -60.0, 0.0, -2.0, {}), ("silver", 0.0, -40.0, -1.5, {}),
         # a beauty dish's deflector hides its centre from the mirror too; a bare flash is a point
         ("silver", 0.0, -40.0, -1.5, {"modifier": "beauty_dish", "width": "0.55 m"}),
         ("white", -60.0, 0.0, -2.0, {"modifier": "bare", "width": "0.1 m"})]
IDS = ["white", "silver", "silver-beauty-dish", "white-bare-flash"]


def _build(scene, bounce, flag=None, key=None):
    data = {"lights": {"bounce": {"enabled": True, **bounce}, "key": key or {}}}
    if flag is not None:
        data["lights"]["flag"] = {"enabled": True, **flag}
    return build_studio(spec_from_data(data), scene, studio_collection(scene), EYES)


@pytest.mark.parametrize("kind, azimuth, elevation, stops, key", CASES, ids=IDS)
def test_reflector_fill_measures_its_stops(scene, kind, azimuth, elevation, stops, key):
    built = _build(scene, {"kind": kind, "azimuth_deg": azimuth, "elevation_deg": elevation, "stops": stops}, key=key)
    key, reflector = built.objects["key"], built.objects["bounce"]
    measured = math.log2(bounce_irradiance(key, reflector, built.focus) / incident_reading(key, built.focus))
    assert measured == pytest.approx(stops, abs=0.15)
    # Farther away it gives less: the level really comes from the placement.
    focus = Vector(built.focus)
    reflector.location = focus + (reflector.location - focus) * 1.5
    bpy.context.view_layer.update()
    farther = math.log2(bounce_irradiance(key, reflector, built.focus, samples=64) / incident_reading(key, built.focus))
    assert farther < stops - 0.3


def test_flag_is_placed_black_and_rebuilt_in_place(scene):
    bounce = {"kind": "white", "azimuth_deg": -60.0, "elevation_deg": 0.0, "stops": -2.0}
    flag = {"azimuth_deg": 80.0, "distance": "0.9 m"}
    _build(scene, bounce, flag)
    built = _build(scene, bounce, flag)  # rebuilt: still one of each
    roles = [obj.get(ROLE_KEY) for obj in scene.objects]
    assert roles.count("flag") == 1 and roles.count("bounce") == 1
    azimuth, elevation, distance, aim = light_geometry(built.objects["flag"], built.focus)
    assert (azimuth, elevation, distance) == pytest.approx((80.0, 0.0, 0.9), abs=1e-4)
    assert aim < 1e-3
    assert not built.objects["flag"].visible_camera
    _build(scene, bounce)  # flag disabled: removed
    assert [obj.get(ROLE_KEY) for obj in scene.objects].count("flag") == 0


def _claims(spec):
    log = ClaimLog()
    _bounce(spec, log)
    _flag(spec, log)
    return {claim.path: claim for claim in log.claims}


def test_verify_rows_pass_then_fail_after_a_hand_edit(scene):
    data = {"lights": {"bounce": {"enabled": True, "kind": "silver", "azimuth_deg": 0.0, "elevation_deg": -40.0, "stops": -1.5},
                       "flag": {"enabled": True, "azimuth_deg": -90.0, "elevation_deg": -45.0, "width": "1.2 m", "height": "1.2 m"}},
            # a white floor lit by the rig bounces light up, which a flag low at the side takes away
            "background": {"mode": "lit", "color": "#FFFFFF"}}
    spec = spec_from_data(data)
    built = build_studio(spec, scene, studio_collection(scene), EYES)
    claims = _claims(spec)
    m = Measuring(spec, scene, built.focus)
    rows = [row for path, claim in claims.items() for row in MEASURERS[path](claim, m)]
    assert len(rows) == 8 and all(row.passed for row in rows), [r for r in rows if not r.passed]
    flag_row = flag_effect_row(m)
    assert flag_row is not None and flag_row.passed and isinstance(flag_row.measured, float)
    assert flag_row.measured < -0.05  # measured -0.09 stop on 4.5
    # What the scene says now: untouched, it reads back the spec exactly.
    key = spec.lights.key
    assert readback._bounce(scene, spec.lights.bounce, key, built.focus) == spec.lights.bounce
    assert readback._flag(scene, spec.lights.flag, built.focus) == spec.lights.flag
    # Dragged twice as far from the face: the level claim and the read-back both follow.
    reflector = built.objects["bounce"]
    focus = Vector(built.focus)
    reflector.location = focus + (reflector.location - focus) * 2.0
    bpy.context.view_layer.update()
    moved = Measuring(spec, scene, built.focus)
    stops_row = MEASURERS["lights.bounce.stops"](claims["lights.bounce.stops"], moved)[0]
    assert not stops_row.passed and isinstance(stops_row.measured, float) and stops_row.measured < -2.0
    assert readback._bounce(scene, spec.lights.bounce, key, built.focus).stops < -2.0
    built.objects["flag"].hide_render = True
    assert not MEASURERS["lights.flag.enabled"](claims["lights.flag.enabled"], moved)[0].passed
    assert not readback._flag(scene, spec.lights.flag, built.focus).enabled
