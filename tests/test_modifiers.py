"""Light modifiers (core.modifiers): real sizes validated per modifier with messages naming the
field and the range, the words the prompt uses for each, and the meter models of the emitters that
are not plain area lights (a beauty dish's annulus, point and spot lights)."""

from __future__ import annotations

import math

import pytest

from portrait_spec.core.errors import SpecError
from portrait_spec.core.meter.emitter import AreaEmitter, SphereEmitter
from portrait_spec.core.modifiers import DEFLECTOR_FRACTION, DEFLECTOR_GAP_M, KINDS, MODIFIERS
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.prompt.parse import stated_in
from portrait_spec.core.schema import spec_from_data
from portrait_spec.core.spec import Spec

VALID = {
    "softbox": {}, "stripbox": {"width": "0.3 m", "height": "1.2 m"}, "octabox": {"width": "1.5 m"},
    "beauty_dish": {"width": "55 cm"}, "umbrella_shoot_through": {"width": "1.0 m"}, "umbrella_reflective": {"width": "1.0 m"},
    "bare": {"width": "10 cm"}, "fresnel": {"width": "10 cm", "spread_deg": 30.0},
}


def key(modifier: str, **sizes: object) -> dict[str, object]:
    return {"lights": {"key": {"modifier": modifier, **VALID[modifier], **sizes}}}


def problems(data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(SpecError) as info:
        spec_from_data(data)
    return {p.path: f"{p.found}; {p.allowed}" for p in info.value.problems}


def test_every_modifier_is_listed_once_with_valid_sizes():
    assert set(VALID) == set(MODIFIERS) == set(KINDS)
    for modifier in MODIFIERS:
        assert spec_from_data(key(modifier)).lights.key.modifier == modifier


def test_the_default_rim_is_the_strip_box_it_always_was():
    rim = Spec().lights.rim
    assert (rim.modifier, rim.width.metres, rim.height.metres, rim.spread_deg) == ("stripbox", 0.3, 1.2, 40.0)
    assert Spec().lights.key.modifier == "softbox"


@pytest.mark.parametrize(("modifier", "sizes", "path", "words"), [
    ("beauty_dish", {"width": "1 m"}, "lights.key.width", "0.4-0.7 m (diameter of a beauty dish)"),
    ("octabox", {"width": "60 cm"}, "lights.key.width", "0.9-2 m (diameter of a octabox)"),
    ("umbrella_reflective", {"width": "2.5 m"}, "lights.key.width", "0.8-1.8 m"),
    ("stripbox", {"width": "0.5 m"}, "lights.key.width", "0.2-0.4 m (short side of a strip box)"),
    ("stripbox", {"height": "2.5 m"}, "lights.key.height", "0.9-1.8 m (long side of a strip box)"),
    ("bare", {"width": "0.5 m"}, "lights.key.width", "0.05-0.2 m (diameter of a bare flash)"),
    ("fresnel", {"spread_deg": 180.0}, "lights.key.spread_deg", "10-60 deg (beam angle of a Fresnel spot)"),
    ("umbrella_shoot_through", {"spread_deg": 40.0}, "lights.key.spread_deg", "180 (a shoot-through umbrella takes no grid)"),
    ("softbox", {"width": "0.3 m", "height": "1.2 m"}, "lights.key.modifier", "'stripbox' for a box at least 3x"),
])
def test_a_size_outside_the_modifier_names_the_field_and_its_range(modifier, sizes, path, words):
    found = problems(key(modifier, **sizes))
    assert path in found and words in found[path], found


def test_a_strip_box_may_lie_down():
    light = spec_from_data(key("stripbox", width="1.2 m", height="0.3 m")).lights.key
    assert (light.width.metres, light.height.metres) == (1.2, 0.3)


@pytest.mark.parametrize(("modifier", "phrase"), [
    ("stripbox", "strip box"), ("octabox", "octabox"), ("beauty_dish", "beauty dish"),
    ("umbrella_shoot_through", "shoot-through umbrella"), ("umbrella_reflective", "reflective umbrella"),
    ("bare", "hard bare flash"), ("fresnel", "Fresnel spot with a 30° beam"),
])
def test_the_prompt_names_the_modifier_and_the_claim_reads_back(modifier, phrase):
    spec = spec_from_data(key(modifier))
    bundle = build_prompts(spec)
    claim = next(c for c in bundle.claims if c.path == "lights.key.modifier")
    assert stated_in(claim) == modifier
    assert any(phrase in prompt for prompt in bundle.prompts.values())
    sized = [c for c in bundle.claims if c.path == "lights.key.apparent_size"]
    assert bool(sized) == (not KINDS[modifier].hard)  # a point-like source states no size class


def test_a_sphere_light_meters_as_its_power_over_four_pi_d_squared():
    light = SphereEmitter((0.0, 0.0, 2.0), 0.05)
    assert light.meter_reading_per_watt((0.0, 0.0, 0.0)) == pytest.approx(1.0 / (4.0 * math.pi * 4.0))


def test_a_spot_is_full_on_its_axis_and_dark_outside_its_cone():
    spot = SphereEmitter((0.0, 0.0, 2.0), 0.05, (0.0, 0.0, -1.0), math.radians(30.0), 0.15)
    assert spot.meter_reading_per_watt((0.0, 0.0, 0.0)) == pytest.approx(1.0 / (16.0 * math.pi))
    assert spot.meter_reading_per_watt((2.0 * math.tan(math.radians(20.0)), 0.0, 0.0)) == 0.0
    edge = spot.meter_reading_per_watt((2.0 * math.tan(math.radians(14.9)), 0.0, 0.0))
    assert 0.0 < edge < 1.0 / (16.0 * math.pi)  # the blend softens the beam's edge


def _dish(spread_deg: float, deflector: float) -> AreaEmitter:
    return AreaEmitter((0.0, 0.0, 1.5), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), 0.55, 0.55, round_shape=True,
                       spread_rad=math.radians(spread_deg), deflector=deflector, deflector_gap=DEFLECTOR_GAP_M)


def test_the_deflector_takes_its_projected_disk_from_the_dish():
    d = DEFLECTOR_FRACTION * 0.55
    dish, bare = _dish(180.0, d), _dish(180.0, 0.0)
    share = dish.meter_reading_per_watt((0.0, 0.0, 0.0)) / bare.meter_reading_per_watt((0.0, 0.0, 0.0))
    k = 1.5 / (1.5 - DEFLECTOR_GAP_M)  # the deflector's shadow on the emitter is a little larger than it
    assert share == pytest.approx(1.0 - (DEFLECTOR_FRACTION * k) ** 2, abs=0.01)
    # The grid path (quadrature) subtracts the same disk as the form-factor path.
    assert _dish(179.99, d).meter_reading_per_watt((0.0, 0.0, 0.0)) == pytest.approx(
        dish.meter_reading_per_watt((0.0, 0.0, 0.0)), rel=0.01)
