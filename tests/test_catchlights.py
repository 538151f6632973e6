"""The catchlight rules of core.catchlights: the clock, the shape names, the mirror prediction
from the spec, and the prompt's catchlight words read back."""

from __future__ import annotations

import dataclasses
import math

import pytest

from portrait_spec.core import catchlights as cl
from portrait_spec.core import lid_heights
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.prompt.parse import stated_in
from portrait_spec.core.spec import Spec
from portrait_spec.core.units import Distance


def _spec(resolution: tuple[int, int] = (1024, 1280), framing: str = "head_and_shoulders", **key: object) -> Spec:
    s = Spec()
    return dataclasses.replace(
        s, lights=dataclasses.replace(s.lights, key=dataclasses.replace(s.lights.key, **key)),
        render=dataclasses.replace(s.render, resolution=resolution), camera=dataclasses.replace(s.camera, framing=framing))


STRIP = {"modifier": "stripbox", "width": Distance(0.3, "m"), "height": Distance(1.2, "m"), "azimuth_deg": -30.0,
         "elevation_deg": 10.0}
DISH = {"modifier": "beauty_dish", "width": Distance(0.55, "m"), "distance": Distance(0.8, "m"), "azimuth_deg": 0.0,
        "elevation_deg": 20.0}
BOX = {"width": Distance(1.0, "m"), "height": Distance(0.7, "m"), "distance": Distance(1.2, "m"), "azimuth_deg": 30.0,
       "elevation_deg": 20.0}


@pytest.mark.parametrize(("dx", "dy", "hours"), [(0.0, 1.0, 12.0), (1.0, 0.0, 3.0), (0.0, -1.0, 6.0), (-1.0, 0.0, 9.0), (-1.0, 1.0, 10.5)])
def test_clock_is_hours_clockwise_from_up(dx, dy, hours):
    assert cl.clock_hours(dx, dy) == pytest.approx(hours)


def test_hours_round_to_one_to_twelve_and_wrap():
    assert [cl.hour(h) for h in (0.2, 10.4, 10.6, 11.9)] == [12, 10, 11, 12]
    assert cl.clock_distance(11.8, 0.3) == pytest.approx(0.5)


def _circle(r: float, n: int = 64, at: tuple[float, float] = (0.0, 0.0)) -> list[tuple[float, float]]:
    return [(at[0] + r * math.cos(2 * math.pi * i / n), at[1] + r * math.sin(2 * math.pi * i / n)) for i in range(n)]


def _rect(w: float, h: float, at: tuple[float, float] = (0.0, 0.0)) -> list[tuple[float, float]]:
    x, y = at
    return [(x - w / 2, y - h / 2), (x + w / 2, y - h / 2), (x + w / 2, y + h / 2), (x - w / 2, y + h / 2)]


@pytest.mark.parametrize(("outline", "hole", "shape"), [
    (_rect(8.0, 6.0), None, "rectangle"),
    (_rect(8.0, 8.0), None, "rectangle"),   # a square is a rectangle
    (_rect(2.0, 8.0), None, "strip"),       # 4:1
    (_circle(4.0), None, "round"),
    (_circle(6.0), _circle(2.0), "ring"),   # a 4 px hole
    (_circle(6.0), _circle(0.5), "round"),  # a 1 px hole fills in
    (_circle(0.8), None, "point"),
    (_rect(3.0, 2.5), None, None),          # visible, but too small for a shape
])
def test_classify_names_the_shape_the_render_can_show(outline, hole, shape):
    c = cl.describe_polygon(outline, hole, (0.0, -10.0))
    assert cl.classify(c) == shape
    assert c.clock == pytest.approx(12.0)


def _raster(outline: list[tuple[float, float]], hole: list[tuple[float, float]] | None, step: float) -> set[tuple[int, int]]:
    """Grid cells (step px) whose centres are inside ``outline`` and outside ``hole`` (even-odd rule)."""
    def inside(poly: list[tuple[float, float]], x: float, y: float) -> bool:
        hit = False
        for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1], strict=True):
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
        return hit
    n = 60
    return {(i, j) for i in range(-n, n) for j in range(-n, n)
            if inside(outline, (i + 0.5) * step, (j + 0.5) * step) and not (hole and inside(hole, (i + 0.5) * step, (j + 0.5) * step))}


@pytest.mark.parametrize(("outline", "hole"), [
    (_rect(8.0, 6.0, (-6.0, 6.0)), None), (_circle(6.0, at=(5.0, 5.0)), _circle(2.0, at=(5.0, 5.0))),
    (_rect(2.0, 8.0, (5.0, -2.0)), None), (_circle(4.0, at=(0.0, -8.0)), None)])
def test_cells_describe_what_the_polygon_does(outline, hole):
    """verify's reading (grid cells that see the light) and the prompt's (the reflected polygon)
    name the same shape and clock."""
    step = 0.25
    cells = cl.describe_cells(_raster(outline, hole, step), step, (-0.5, -0.5))
    poly = cl.describe_polygon(outline, hole, (0.0, 0.0))
    assert cells is not None
    assert cl.classify(cells) == cl.classify(poly)
    assert cells.clock == pytest.approx(poly.clock, abs=0.05)
    assert cells.area_px2 == pytest.approx(poly.area_px2, rel=0.05)


def _whole(spec: Spec) -> cl.Catchlight:
    p = cl.predict(spec, "key")
    assert p is not None
    return p.whole


def test_a_light_up_and_left_of_the_camera_shows_at_ten_to_eleven():
    c = _whole(_spec(**BOX))
    assert 10.0 <= c.clock <= 11.0
    assert cl.clear_shape(c) == "rectangle"


def test_the_mirror_puts_camera_right_at_two_and_low_light_below_three():
    assert 1.0 <= _whole(_spec(**{**BOX, "azimuth_deg": -30.0})).clock <= 2.0
    assert 3.0 < _whole(_spec(**{**BOX, "azimuth_deg": -40.0, "elevation_deg": -10.0})).clock < 4.0


def test_a_strip_box_makes_a_strip_and_an_octabox_a_round_catchlight():
    assert cl.clear_shape(_whole(_spec(**STRIP))) == "strip"
    octa = _whole(_spec(modifier="octabox", width=Distance(1.5, "m"), azimuth_deg=30.0, elevation_deg=10.0))
    assert cl.clear_shape(octa) == "round"


def test_a_beauty_dish_is_a_ring_only_where_its_hole_shows():
    assert cl.clear_shape(_whole(_spec(resolution=(1600, 2000), framing="closeup", **DISH))) == "ring"
    assert cl.clear_shape(_whole(_spec(**DISH))) != "ring"  # a 2 px hole at 1280 px: not claimed


def _sitter(spec: Spec, *, sex: float, age: float, asian: float, head_pitch: float = 0.0) -> Spec:
    s = spec.subject
    return dataclasses.replace(spec, subject=dataclasses.replace(
        s, body=dataclasses.replace(s.body, sex=sex, age_years=age),
        ancestry=dataclasses.replace(s.ancestry, african=1.0 - asian, asian=asian, caucasian=1.0 - asian),
        pose=dataclasses.replace(s.pose, head_pitch_deg=head_pitch)))


def test_a_high_key_is_claimed_where_this_sitters_upper_lid_leaves_it_open():
    """A key 40 deg up shows at 11 o'clock on a young woman's open eye; a hooded lid (an older
    Asian man's) or an eye turned up in a lowered head hides most of it: not claimed."""
    key = {"azimuth_deg": 40.0, "elevation_deg": 40.0}
    open_lid = cl.claim(_sitter(_spec(**key), sex=0.0, age=25.0, asian=0.0), "key")
    assert open_lid is not None and cl.hour(open_lid[1]) == 11
    assert cl.claim(_sitter(_spec(**key), sex=1.0, age=60.0, asian=1.0), "key") is None
    assert cl.claim(_sitter(_spec(**key), sex=0.0, age=25.0, asian=0.0, head_pitch=-10.0), "key") is None


def test_the_open_eye_is_the_lid_estimate_less_the_margin_and_convex():
    spec = _sitter(Spec(), sex=0.5, age=40.0, asian=0.3)
    lid = lid_heights.upper_lid(spec.subject)
    assert lid is not None
    window = cl.open_eye(spec, 0.0)
    assert (0.0, lid[0] - cl.LID_MARGIN) in window
    for a, b, c in zip(window, window[1:] + window[:1], window[2:] + window[:2], strict=True):
        assert (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) >= -1e-12, window  # turns left
    mannequin = dataclasses.replace(spec, subject=dataclasses.replace(spec.subject, kind="mannequin"))
    assert max(y for _, y in cl.open_eye(mannequin, 0.0)) == cl.OPEN_UP


def test_the_prompt_says_only_what_the_lids_leave_open():
    """A strip at eye height is claimed whole; a tall strip higher up whole under an open lid,
    only by its clock under a lower one (broad's man), since the lid may shorten it below 3:1.
    A light behind the sitter or a catchlight on the pupil: nothing."""
    low_strip = cl.claim(_spec(**{**STRIP, "elevation_deg": -5.0}), "key")
    assert low_strip is not None and low_strip[0] == "strip" and 2.5 <= low_strip[1] <= 3.5
    high = _spec(**{**STRIP, "elevation_deg": 10.0})
    assert cl.claim(_sitter(high, sex=0.0, age=25.0, asian=0.0), "key") == ("strip", _whole(high).clock)
    high_strip = cl.claim(_sitter(high, sex=1.0, age=45.0, asian=1.0), "key")
    assert high_strip is not None and high_strip[0] is None
    assert cl.claim(_spec(azimuth_deg=150.0), "key") is None
    on_axis = cl.claim(_spec(azimuth_deg=0.0, elevation_deg=0.0), "key")  # on the lens axis: on the pupil
    assert on_axis is None


def test_verify_accepts_within_the_margins_the_prompt_keeps_clear_of():
    edge = cl.Catchlight(area_px2=30.0, length_px=7.0, width_px=5.0, fill=cl.RECT_FILL - 0.01, hole_px=0.0, clock=10.0)
    assert cl.classify(edge) == "round" and cl.clear_shape(edge) is None
    assert cl.fits(edge, "rectangle") and cl.fits(edge, "round") and not cl.fits(edge, "strip")


def test_the_prompt_names_each_catchlight_and_the_words_read_back():
    spec = _spec(**{**STRIP, "elevation_deg": -5.0})
    bundle = build_prompts(spec)
    claims = {c.path: c for c in bundle.claims if "catchlight" in c.path}
    shape, clock = claims["lights.key.catchlight_shape"], claims["lights.key.catchlight_clock"]
    assert shape.value == "strip" and shape.phrase == "strip catchlight at 3 o'clock"
    assert stated_in(shape) == "strip" and stated_in(clock) == 3.0
    assert clock.tolerance == cl.CLOCK_TOLERANCE_H
    for target in clock.targets:
        assert clock.phrase in bundle.prompts[target], target
    mannequin = dataclasses.replace(spec, subject=dataclasses.replace(spec.subject, kind="mannequin"))
    assert not [c for c in build_prompts(mannequin).claims if "catchlight" in c.path]
