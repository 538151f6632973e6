"""Pure tests of the light model: form factor against closed forms, placement conventions,
Cycles' spread model, stops and powers, and the gradient light placement."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "addon"))

from portrait_spec.core.backdrop_gradient import WALL_NORMAL, place_background_light
from portrait_spec.core.framing import portrait_camera
from portrait_spec.core.meter import emitter as ae
from portrait_spec.core.meter.emitter import AreaEmitter, spread_attenuation
from portrait_spec.core.meter.exposure import KEY_IRRADIANCE, irradiance_for_stops, stops_from_irradiance
from portrait_spec.core.meter.form_factor import form_factor
from portrait_spec.core.placement import (
    aim_basis,
    angles_from_position,
    direction_from_angles,
    light_position,
)
from portrait_spec.core.vec import cross, dot, length, sub

FOCUS = (0.0, 0.0, 1.6)
UP = (0.0, 0.0, 1.0)


def emitter(width: float, height: float, position, target, round_shape: bool = False) -> AreaEmitter:
    """An area light at ``position`` aimed at ``target``, as the studio places one."""
    x, y, _ = aim_basis(position, target)
    return AreaEmitter(position, x, y, width, height, round_shape=round_shape)


def meter_power_for(light: AreaEmitter, irradiance: float, meter_at) -> float:
    return irradiance / light.meter_reading_per_watt(meter_at)


def square(half: float, height: float) -> list[tuple[float, float, float]]:
    return [(-half, -half, height), (half, -half, height), (half, half, height), (-half, half, height)]


def test_form_factor_of_a_centred_square_matches_the_closed_form():
    # Patch under the centre of a parallel square of side 2a at height h (Howell's catalogue C-11
    # by symmetry: four corner rectangles of a x a).
    a, h = 0.5, 1.5
    x = y = a / h
    corner = (1.0 / (2.0 * math.pi)) * (
        x / math.sqrt(1 + x * x) * math.atan(y / math.sqrt(1 + x * x))
        + y / math.sqrt(1 + y * y) * math.atan(x / math.sqrt(1 + y * y))
    )
    assert form_factor((0.0, 0.0, 0.0), UP, square(a, h)) == pytest.approx(4 * corner, rel=1e-9)


def test_form_factor_of_a_disk_on_axis_is_r2_over_r2_plus_h2():
    r, h = 0.3, 1.2
    light = emitter(2 * r, 2 * r, (0.0, 0.0, h), (0.0, 0.0, 0.0), round_shape=True)
    assert form_factor((0.0, 0.0, 0.0), UP, light.polygon()) == pytest.approx(r * r / (r * r + h * h), rel=1e-6)


def test_form_factor_clips_the_polygon_to_the_patch_horizon():
    # A vertical square straddling the patch's tangent plane: only its upper half counts.
    full = [(-0.5, 1.0, -0.5), (0.5, 1.0, -0.5), (0.5, 1.0, 0.5), (-0.5, 1.0, 0.5)]
    upper = [(-0.5, 1.0, 0.0), (0.5, 1.0, 0.0), (0.5, 1.0, 0.5), (-0.5, 1.0, 0.5)]
    assert form_factor((0, 0, 0), UP, full) == pytest.approx(form_factor((0, 0, 0), UP, upper), rel=1e-12)
    assert form_factor((0, 0, 0), UP, [(-1, -1, -1), (1, -1, -1), (1, 1, -1)]) == 0.0


def test_tiny_light_follows_inverse_square_and_cosine():
    # E = P * F / A tends to P cos(t) / (pi r^2) for a small light facing the patch.
    light = emitter(0.01, 0.01, (0.0, 0.0, 2.0), (0.0, 0.0, 0.0))
    per_watt = light.irradiance_per_watt((0.0, 0.0, 0.0), UP)
    assert per_watt == pytest.approx(1.0 / (math.pi * 4.0), rel=1e-4)
    tilted = light.irradiance_per_watt((0.0, 0.0, 0.0), (math.sin(0.5), 0.0, math.cos(0.5)))
    assert tilted / per_watt == pytest.approx(math.cos(0.5), rel=1e-4)


def _centred_rectangle_ff(w: float, h: float, d: float) -> float:
    x, y = (w / 2) / d, (h / 2) / d
    return 4 * (1.0 / (2.0 * math.pi)) * (
        x / math.sqrt(1 + x * x) * math.atan(y / math.sqrt(1 + x * x))
        + y / math.sqrt(1 + y * y) * math.atan(x / math.sqrt(1 + y * y))
    )


def test_fill_power_for_two_stops_comes_from_geometry_not_the_power_ratio():
    # 1 x 1.4 m key at 1.5 m, 1 x 1 m fill at 2 m, both facing the meter square-on.
    origin = (0.0, 0.0, 0.0)
    fill_on_axis = emitter(1.0, 1.0, (0.0, -2.0, 0.0), origin)
    key_on_axis = emitter(1.0, 1.4, (0.0, -1.5, 0.0), origin)
    key_reading = key_on_axis.meter_reading_per_watt(origin)
    ratio = meter_power_for(fill_on_axis, key_reading * 2.0 ** -2.0, origin)
    expected = 0.25 * (_centred_rectangle_ff(1.0, 1.4, 1.5) / 1.4) / (_centred_rectangle_ff(1.0, 1.0, 2.0) / 1.0)
    assert ratio == pytest.approx(expected, rel=1e-9)
    assert abs(ratio - 0.25) > 0.1  # a power ratio of 1/4 would be far from -2 stops
    key = emitter(1.0, 1.4, light_position(FOCUS, 45.0, 45.0, 1.5), FOCUS)
    fill = emitter(1.0, 1.0, (FOCUS[0], FOCUS[1] - 2.0, FOCUS[2]), FOCUS)
    power = meter_power_for(fill, 100.0 * key.meter_reading_per_watt(FOCUS) * 2.0 ** -2.0, FOCUS)
    stops = math.log2(power * fill.meter_reading_per_watt(FOCUS) / (100.0 * key.meter_reading_per_watt(FOCUS)))
    assert stops == pytest.approx(-2.0, abs=1e-12)


@pytest.mark.parametrize(("azimuth", "expected"), [
    (0.0, (0.0, -1.0, 0.0)),     # beside the camera
    (90.0, (-1.0, 0.0, 0.0)),    # camera left is -X
    (-90.0, (1.0, 0.0, 0.0)),    # camera right is +X
    (180.0, (0.0, 1.0, 0.0)),    # behind the subject, towards the backdrop
])
def test_azimuth_convention(azimuth, expected):
    d = direction_from_angles(azimuth, 0.0)
    assert d == pytest.approx(expected, abs=1e-12)


def test_elevation_is_above_the_focus_plane_and_angles_round_trip():
    for az in (-170.0, -135.0, -40.0, 0.0, 35.0, 90.0, 150.0):
        for el in (-25.0, 0.0, 10.0, 45.0, 80.0):
            pos = light_position(FOCUS, az, el, 1.7)
            assert pos[2] - FOCUS[2] == pytest.approx(1.7 * math.sin(math.radians(el)))
            a, e, d = angles_from_position(FOCUS, pos)
            assert (a, e, d) == pytest.approx((az, el, 1.7), abs=1e-9)


def test_aim_basis_is_orthonormal_faces_the_target_and_keeps_height_vertical():
    pos = light_position(FOCUS, 45.0, 45.0, 1.5)
    x, y, z = aim_basis(pos, FOCUS)
    for a, b in ((x, y), (y, z), (x, z)):
        assert dot(a, b) == pytest.approx(0.0, abs=1e-12)
    assert [length(v) for v in (x, y, z)] == pytest.approx([1.0, 1.0, 1.0])
    assert cross(x, y) == pytest.approx(z)  # right-handed, like Blender's object axes
    to_target = sub(FOCUS, pos)
    assert dot((-z[0], -z[1], -z[2]), to_target) / length(to_target) == pytest.approx(1.0)
    assert x[2] == pytest.approx(0.0, abs=1e-12)  # the width axis stays horizontal


def _emitter(spread_deg: float, shape: str = "rectangle", w: float = 0.3, h: float = 1.2) -> tuple[AreaEmitter, tuple]:
    pos = light_position(FOCUS, -135.0, 30.0, 1.8)
    x, y, _ = aim_basis(pos, FOCUS)
    return AreaEmitter(pos, x, y, w, h, shape in ("disk", "ellipse"), math.radians(spread_deg)), pos


def test_spread_180_numerical_integral_matches_the_form_factor():
    for shape in ("rectangle", "ellipse"):
        emitter, _ = _emitter(180.0, shape, 1.0, 0.6)
        facing = tuple(-c for c in emitter.normal)
        numeric = emitter._integrate_spread(FOCUS, facing) / emitter.area
        assert numeric == pytest.approx(emitter.meter_reading_per_watt(FOCUS), rel=2e-3)


def test_spread_attenuation_is_cycles_grid_model():
    half = math.radians(20.0)
    assert spread_attenuation(0.0, math.radians(40.0)) == pytest.approx(math.tan(half) / (math.tan(half) - half))
    assert spread_attenuation(half * 1.001, math.radians(40.0)) == 0.0
    assert spread_attenuation(1.2, math.pi) == 1.0


def test_spread_keeps_total_power():
    # Cycles normalises the grid so the light emits the same power: integral of
    # atten(t) cos(t) sin(t) dt over the hemisphere equals that of the bare light (1/2).
    for spread in (10.0, 40.0, 90.0, 150.0):
        n = 20000
        total = sum(
            spread_attenuation(t, math.radians(spread)) * math.cos(t) * math.sin(t) * (math.pi / 2 / n)
            for t in ((i + 0.5) * math.pi / 2 / n for i in range(n))
        )
        assert total == pytest.approx(0.5, rel=2e-3)


def test_a_grid_raises_the_on_axis_reading_so_the_form_factor_alone_is_wrong():
    bare, _ = _emitter(180.0)
    grid, _ = _emitter(40.0)
    assert grid.meter_reading_per_watt(FOCUS) > 5.0 * bare.meter_reading_per_watt(FOCUS)


def test_spread_quadrature_has_converged(monkeypatch):
    grid, _ = _emitter(40.0)
    coarse = grid.meter_reading_per_watt(FOCUS)
    monkeypatch.setattr(ae, "GRID_STEPS", 400)
    fine = grid.meter_reading_per_watt(FOCUS)
    assert coarse == pytest.approx(fine, rel=3e-3)


def test_one_sided_emitter_sends_nothing_backwards():
    emitter, pos = _emitter(180.0)
    behind = tuple(p + 0.5 * (p - f) for p, f in zip(pos, FOCUS, strict=True))
    assert emitter.irradiance_per_watt(behind, (0.0, 0.0, 1.0)) == 0.0


def test_exposure_target_is_mid_grey_for_an_18_percent_card():
    assert KEY_IRRADIANCE == pytest.approx(math.pi)
    assert 0.18 * irradiance_for_stops(0.0) / math.pi == pytest.approx(0.18)
    assert stops_from_irradiance(irradiance_for_stops(-1.5)) == pytest.approx(-1.5)


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("stops", [0.1, 0.5, 2.0, 4.0, 6.0])
def test_gradient_light_gives_the_requested_falloff_from_the_stated_side(side, stops):
    cam = portrait_camera(105.0, 36.0, "head_and_shoulders", FOCUS, (1024, 1280), None)
    wall_y = 2.4384
    placement = place_background_light(cam, wall_y, FOCUS, stops, side)
    emitter = placement.emitter()
    e_bright = emitter.irradiance_per_watt(placement.bright_point, WALL_NORMAL)
    e_dark = emitter.irradiance_per_watt(placement.dark_point, WALL_NORMAL)
    assert math.log2(e_bright / e_dark) == pytest.approx(stops, abs=1e-6)
    # Bright edge on the stated side (camera left = -X), at eye height, on the wall.
    assert (placement.bright_point[0] < placement.dark_point[0]) == (side == "left")
    assert placement.bright_point[1] == pytest.approx(wall_y)
    assert placement.bright_point[2] == pytest.approx(FOCUS[2])
    # The light never shows: it sits beyond the frame's edge on the bright side, facing the wall.
    assert abs(placement.position[0]) > abs(placement.bright_point[0]) + placement.size / 2.0
    assert placement.position[1] < wall_y
