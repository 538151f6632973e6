"""Bounce fill (issue 14): the reflector's distance solved for its stops, the reachable range
validation reports, and the prompt's words for the reflector and the flag."""

import math

import pytest

from portrait_spec.core.errors import SpecError
from portrait_spec.core.meter.bounce import (
    MAX_DISTANCE_M,
    MIN_DISTANCE_M,
    bounce_stops,
    key_emitter,
    place_bounce,
    reflectance,
    reflector_panels,
)
from portrait_spec.core.prompt.claims import ClaimLog
from portrait_spec.core.prompt.facts import _bounce, _flag
from portrait_spec.core.prompt.parse import stated_in
from portrait_spec.core.schema import spec_from_data, spec_to_data
from portrait_spec.core.vec import dot, normalize, sub

FOCUS = (0.0, 0.0, 1.6)
KEY = key_emitter(FOCUS, "softbox", "rectangle", 1.0, 1.4, 45.0, 45.0, 1.5, 180.0)
CASES = [("white", 0.8, -60.0, 0.0, -2.0), ("silver", 0.8, 0.0, -40.0, -1.5), ("gold", 0.8, 0.0, -40.0, -1.5),
         ("vflat", 1.2, -70.0, 0.0, -2.0)]


@pytest.mark.parametrize("kind, size, azimuth, elevation, stops", CASES, ids=[c[0] for c in CASES])
def test_placement_gives_the_stops_and_farther_gives_less(kind, size, azimuth, elevation, stops):
    placed = place_bounce(kind, size, FOCUS, KEY, azimuth, elevation, stops)
    assert placed is not None
    assert placed.stops == pytest.approx(stops, abs=0.01)
    assert MIN_DISTANCE_M <= placed.distance_m <= MAX_DISTANCE_M
    farther = reflector_panels(kind, size, FOCUS, KEY.centre, azimuth, elevation, placed.distance_m * 1.5)
    assert bounce_stops(farther, KEY, FOCUS) < stops - 0.3


def test_a_round_reflector_faces_the_bisector_of_key_and_focus():
    placed = place_bounce("silver", 0.8, FOCUS, KEY, 0.0, -40.0, -1.5)
    assert placed is not None
    panel = placed.reflector.panels[0]
    to_key, to_focus = normalize(sub(KEY.centre, panel.centre)), normalize(sub(FOCUS, panel.centre))
    # The mirror law for the centre ray: equal angles to the key and to the focus.
    assert dot(to_key, panel.normal) == pytest.approx(dot(to_focus, panel.normal), abs=1e-9)


def test_reflectances():
    assert reflectance("white", 1.0) == pytest.approx(0.9)
    assert reflectance("silver", 1.0) == pytest.approx(0.914, abs=0.002)
    gold = reflectance("gold", 1.0)
    assert 0.8 < gold < 0.86  # gold's F0 (0.94, 0.85, 0.39) weighted by luminance
    assert reflectance("gold", 1.0, (1.0, 0.8, 0.5)) > gold  # a warm key loses less to gold's blue


def test_unreachable_stops_name_the_field_and_the_range():
    with pytest.raises(SpecError) as caught:
        spec_from_data({"lights": {"bounce": {"enabled": True, "kind": "white", "stops": -0.5}}})
    problem = caught.value.problems[0]
    assert problem.path == "lights.bounce.stops"
    assert "stops for this white reflector" in problem.allowed
    low, high = (float(x) for x in problem.allowed.split("from ")[1].split(" stops")[0].split(" to "))
    assert low < -2.0 < high < -0.5


def test_a_small_vflat_is_refused():
    with pytest.raises(SpecError, match=r"lights\.bounce\.size"):
        spec_from_data({"lights": {"bounce": {"enabled": True, "kind": "vflat", "size": "0.5 m"}}})


def test_bounce_and_flag_round_trip():
    data = {"lights": {"bounce": {"enabled": True, "kind": "gold", "azimuth_deg": 0.0, "elevation_deg": -40.0, "stops": -1.5,
                                  "size": "32 in"},
                       "flag": {"enabled": True, "azimuth_deg": 90.0, "width": "4 ft", "height": "4 ft"}}}
    spec = spec_from_data(data)
    assert spec_from_data(spec_to_data(spec)) == spec
    assert spec.lights.bounce.size.unit == "in" and spec.lights.flag.width.unit == "ft"


def test_prompt_words_read_back_to_the_spec():
    spec = spec_from_data({"lights": {"bounce": {"enabled": True, "kind": "silver", "azimuth_deg": 0.0, "elevation_deg": -40.0,
                                                 "stops": -1.5},
                                      "flag": {"enabled": True}}})
    log = ClaimLog()
    bounce, flag = _bounce(spec, log), _flag(spec, log)
    assert bounce == "large silver reflector below the face, on the lens axis, 40° down, bouncing the key back 1.5 stops under it"
    assert flag == "black flag 90° camera right, level with the eyes"
    for claim in log.claims:
        got = stated_in(claim)
        assert got == claim.stated or (isinstance(got, float) and math.isclose(got, float(claim.stated)))


def test_disabled_bounce_and_flag_say_nothing():
    log = ClaimLog()
    spec = spec_from_data({})
    assert _bounce(spec, log) is None and _flag(spec, log) is None and not log.claims


def test_every_bounce_and_flag_claim_is_measured():
    from portrait_spec.core.claim_coverage import coverage

    spec = spec_from_data({"lights": {"bounce": {"enabled": True}, "flag": {"enabled": True}}})
    log = ClaimLog()
    _bounce(spec, log)
    _flag(spec, log)
    assert len(log.claims) == 8
    for claim in log.claims:
        found = coverage(claim.path)
        assert found is not None and found.measured and found.pattern == claim.path


def test_a_mirror_needs_an_area_key():
    with pytest.raises(SpecError, match=r"lights\.bounce\.kind.*caustic"):
        spec_from_data({"lights": {"key": {"modifier": "bare", "width": "0.1 m"},
                                   "bounce": {"enabled": True, "kind": "silver", "azimuth_deg": 0.0, "elevation_deg": -40.0}}})


def test_point_keys_and_a_beauty_dish_place_a_bounce():
    for modifier, width, kind in (("bare", 0.1, "white"), ("fresnel", 0.1, "white"), ("beauty_dish", 0.55, "silver")):
        key = key_emitter(FOCUS, modifier, "rectangle", width, width, 45.0, 45.0, 1.5, 30.0 if modifier == "fresnel" else 180.0)
        azimuth, elevation = (0.0, -40.0) if kind == "silver" else (-60.0, 0.0)
        placed = place_bounce(kind, 0.8, FOCUS, key, azimuth, elevation, -2.5)
        assert placed is not None and placed.stops == pytest.approx(-2.5, abs=0.01), modifier
