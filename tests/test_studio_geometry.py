"""Pure tests of the studio's geometry: sensor crop, framing, and the cyclorama profile."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "addon"))

import itertools

from portrait_spec.core.cyclorama_profile import profile, size_for_camera
from portrait_spec.core.framing import EYES_FROM_TOP, FRAME_HEIGHT_M, portrait_camera, sensor_frame_mm

EYE = (0.0, 0.0, 1.6)


@pytest.mark.parametrize(("aspect", "expected"), [
    (4 / 5, (24.0, 30.0)),   # full frame held upright, cropped to 4:5
    (2 / 3, (24.0, 36.0)),   # the whole upright sensor
    (1.0, (24.0, 24.0)),
    (3 / 2, (36.0, 24.0)),   # the whole sensor, landscape
    (16 / 9, (36.0, 20.25)),
])
def test_sensor_crop_fits_inside_a_36_x_24_sensor(aspect, expected):
    assert sensor_frame_mm(36.0, aspect) == pytest.approx(expected)


@pytest.mark.parametrize("framing", list(FRAME_HEIGHT_M))
@pytest.mark.parametrize("height", [None, 1.0, 2.2])
def test_framing_puts_the_eyes_a_third_down_and_spans_the_framing_height(framing, height):
    cam = portrait_camera(105.0, 36.0, framing, EYE, (1024, 1280), height)
    u, v = cam.project(EYE)
    assert u == pytest.approx(0.5)
    assert v == pytest.approx(2.0 / 3.0, abs=0.02 if height is not None else 1e-9)
    if height is None:
        assert cam.position[2] == pytest.approx(EYE[2])
        assert cam.pitch_rad == 0.0
        top, bottom = cam.hit_plane_y(0.5, 1.0, EYE[1]), cam.hit_plane_y(0.5, 0.0, EYE[1])
        assert top[2] - bottom[2] == pytest.approx(FRAME_HEIGHT_M[framing])
    else:
        assert cam.position[2] == pytest.approx(height)


def test_head_and_shoulders_frames_an_adult_head_as_portraits_do():
    """Crown 11-13 cm above the pupils, chin about 11 cm below (ANSUR II, 2012): headroom 5-15 %
    of the frame, the head 35 % of its height or more, the bottom edge mid-chest (between the
    clavicles, ~20 cm below the eyes, and the bust line, ~40 cm)."""
    h = FRAME_HEIGHT_M["head_and_shoulders"]
    above, below = h * EYES_FROM_TOP, h * (1.0 - EYES_FROM_TOP)
    for crown in (0.11, 0.13):
        assert 0.05 <= (above - crown) / h <= 0.15, crown
    assert (0.12 + 0.11) / h >= 0.35
    assert 0.30 <= below <= 0.40
    assert FRAME_HEIGHT_M["closeup"] < h < FRAME_HEIGHT_M["half_body"]


def test_longer_lens_stands_further_back_for_the_same_framing():
    near = portrait_camera(50.0, 36.0, "head_and_shoulders", EYE, (1024, 1280), None)
    far = portrait_camera(135.0, 36.0, "head_and_shoulders", EYE, (1024, 1280), None)
    assert far.position[1] / near.position[1] == pytest.approx(135.0 / 50.0)


def test_ray_and_project_are_inverse():
    cam = portrait_camera(85.0, 36.0, "closeup", EYE, (1024, 1280), 1.2)
    for u, v in ((0.0, 0.0), (1.0, 1.0), (0.3, 0.8)):
        point = cam.hit_plane_y(u, v, 3.0)
        assert cam.project(point) == pytest.approx((u, v))


def test_cyclorama_profile_is_continuous_with_no_corner():
    pts = profile(2.4384, 1.2, -3.0, 3.5)
    assert pts[0] == pytest.approx((-3.0, 0.0))
    assert pts[-1] == pytest.approx((2.4384, 3.5))
    directions = [math.atan2(b[1] - a[1], b[0] - a[0]) for a, b in itertools.pairwise(pts)]
    turns = [abs(b - a) for a, b in itertools.pairwise(directions)]
    assert max(turns) < math.radians(2.0)  # at most 1.4 deg between neighbouring faces
    assert sum(turns) == pytest.approx(math.pi / 2)  # floor to wall, through the cove only
    # The cove has the spec's radius: every cove point is R from the cove's centre.
    centre = (2.4384 - 1.2, 1.2)
    cove = [p for p in pts if p[0] > centre[0] - 1e-9 and p[1] < centre[1] + 1e-9]
    assert all(math.hypot(p[0] - centre[0], p[1] - centre[1]) == pytest.approx(1.2) for p in cove)


def test_cyclorama_covers_the_frame_with_margin():
    for lens, framing, height in ((35.0, "half_body", None), (200.0, "closeup", 2.5), (105.0, "head_and_shoulders", 0.4)):
        cam = portrait_camera(lens, 36.0, framing, EYE, (1024, 1280), height)
        size = size_for_camera(cam, 2.4384, 1.2)
        for u in (0.0, 1.0):
            for v in (0.0, 1.0):
                corner = cam.hit_plane_y(u, v, 2.4384)
                assert abs(corner[0]) < size.half_width - 0.4
                assert corner[2] < size.top_z - 0.4
        assert size.floor_front_y < cam.position[1]
