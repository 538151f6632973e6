"""Chain layout math: link count from length, equal-pitch placement, alternating frames."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "addon"))

from portrait_spec.core import chain_layout as cl
from portrait_spec.core.vec import dot, length, sub


def test_link_count_from_pitch():
    assert cl.link_pitch_mm(6.0, 1.2) == pytest.approx(3.6)
    assert cl.link_count(0.45, 6.0, 1.2) == 124  # 450 / 3.6 = 125, even for the alternation
    assert cl.link_count(2.0, 4.0, 1.0) == 1000
    assert cl.link_count(0.45, 6.0, 1.2) % 2 == 0
    with pytest.raises(ValueError):
        cl.link_pitch_mm(2.0, 1.0)


def test_resample_closed_is_equal_arc_length():
    square = [(0.0, 0.0, 0.0), (1.0, 0.0, 0.0), (1.0, 1.0, 0.0), (0.0, 1.0, 0.0)]
    pts = cl.resample_closed(square, 8)
    gaps = [length(sub(pts[(i + 1) % 8], pts[i])) for i in range(8)]
    assert all(g == pytest.approx(0.5) for g in gaps)
    assert cl.closed_length(square) == pytest.approx(4.0)


@pytest.mark.parametrize("style", ["cable", "curb"])
def test_link_centreline_size(style):
    pts = cl.link_centreline(style, 6.0, 1.2)
    xs = [p[0] for p in pts]
    assert max(xs) - min(xs) == pytest.approx((6.0 - 1.2) * 1e-3)  # outer length minus one wire


def test_cable_links_alternate_by_90_degrees_and_frames_are_orthonormal():
    normal = (0.0, 0.0, 1.0)
    frames = [cl.link_frame((-1.0, 0.0, 0.0), (1.0, 0.0, 0.0), normal, i, "cable") for i in range(2)]
    for x, y, z in frames:
        for a, b in ((x, y), (y, z), (x, z)):
            assert dot(a, b) == pytest.approx(0.0, abs=1e-12)
        assert all(length(v) == pytest.approx(1.0) for v in (x, y, z))
    assert dot(frames[0][2], frames[1][2]) == pytest.approx(0.0, abs=1e-12)
    assert frames[0][0] == pytest.approx((1.0, 0.0, 0.0))


def test_curb_links_lie_flat():
    for i in range(2):
        _, _, z = cl.link_frame((0.0, -1.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0), i, "curb")
        assert abs(z[2]) == pytest.approx(1.0)


def test_quaternion_of_a_rotation():
    c, s = math.cos(0.5), math.sin(0.5)
    w, x, y, z = cl.matrix_to_quaternion((c, s, 0.0), (-s, c, 0.0), (0.0, 0.0, 1.0))
    assert (w, x, y, z) == pytest.approx((math.cos(0.25), 0.0, 0.0, math.sin(0.25)))
