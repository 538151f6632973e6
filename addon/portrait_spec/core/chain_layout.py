"""Pure geometry of a link chain: link count from length, link shapes, and the placement of
interlocking links along a closed path.

Interlocking oval links bear on each other's inner ends, so consecutive link centres are one
inner length apart: pitch = link_length - 2 * wire_gauge. A cable chain alternates its links
by 90 deg about the chain's direction; here every link is tipped 45 deg to either side of the
surface it rests on (so alternate links are 90 deg apart and both touch the skin, as a real
chain settles). A curb chain's links are twisted 90 deg end to end and then pressed flat, so
all of them lie flat on the surface.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .vec import Vec3, add, cross, dot, length, normalize, scale, sub

CABLE_WIDTH_RATIO = 0.7  # outer width / outer length of a cable link
CURB_WIDTH_RATIO = 0.75
CABLE_TIP_DEG = 45.0


def link_pitch_mm(link_length_mm: float, wire_gauge_mm: float) -> float:
    pitch = link_length_mm - 2.0 * wire_gauge_mm
    if pitch <= 0.0:
        raise ValueError("wire gauge must be less than half the link length")
    return pitch


def link_count(chain_length_m: float, link_length_mm: float, wire_gauge_mm: float) -> int:
    """Links in a closed chain of that length; even, so the alternation closes on itself."""
    n = chain_length_m * 1000.0 / link_pitch_mm(link_length_mm, wire_gauge_mm)
    return max(4, 2 * round(n / 2.0))


def link_width_mm(style: str, link_length_mm: float) -> float:
    return link_length_mm * (CURB_WIDTH_RATIO if style == "curb" else CABLE_WIDTH_RATIO)


def link_centreline(style: str, link_length_mm: float, wire_gauge_mm: float, segments: int = 24) -> list[Vec3]:
    """The wire's centreline of one link in metres, long axis X, lying in the XY plane.

    An ellipse through the wire centres; a curb link is additionally twisted by up to +-45 deg
    about X along its length and flattened, which lifts the long sides out of plane.
    """
    a = (link_length_mm - wire_gauge_mm) * 0.5e-3
    b = (link_width_mm(style, link_length_mm) - wire_gauge_mm) * 0.5e-3
    pts: list[Vec3] = []
    for i in range(segments):
        t = 2.0 * math.pi * i / segments
        x, y, z = a * math.cos(t), b * math.sin(t), 0.0
        if style == "curb":
            twist = math.radians(45.0) * (x / a)
            y, z = y * math.cos(twist), y * math.sin(twist) * 0.35  # pressed flat after twisting
        pts.append((x, y, z))
    return pts


def resample_closed(points: Sequence[Vec3], count: int) -> list[Vec3]:
    """``count`` points at equal arc length along the closed polyline ``points``."""
    segs = [(points[i], points[(i + 1) % len(points)]) for i in range(len(points))]
    lengths = [length(sub(b, a)) for a, b in segs]
    total = sum(lengths)
    out: list[Vec3] = []
    seg, acc = 0, 0.0
    for k in range(count):
        target = total * k / count
        while acc + lengths[seg] < target and seg < len(segs) - 1:
            acc += lengths[seg]
            seg += 1
        a, b = segs[seg]
        f = 0.0 if lengths[seg] == 0.0 else (target - acc) / lengths[seg]
        out.append(add(a, scale(sub(b, a), f)))
    return out


def closed_length(points: Sequence[Vec3]) -> float:
    return sum(length(sub(points[(i + 1) % len(points)], p)) for i, p in enumerate(points))


def link_frame(prev: Vec3, nxt: Vec3, surface_normal: Vec3, index: int, style: str) -> tuple[Vec3, Vec3, Vec3]:
    """Columns (x, y, z) of a link's rotation: x along the chain, z the link plane's normal."""
    x = normalize(sub(nxt, prev))
    up = sub(surface_normal, scale(x, dot(surface_normal, x)))
    up = normalize(up) if length(up) > 1e-9 else normalize(cross(x, (1.0, 0.0, 0.0)))
    side = cross(up, x)
    if style == "curb":
        # Flat; every other link turned over so the twists nest.
        return (x, side, up) if index % 2 == 0 else (x, scale(side, -1.0), scale(up, -1.0))
    tip = math.radians(CABLE_TIP_DEG if index % 2 == 0 else -CABLE_TIP_DEG)
    z = add(scale(up, math.cos(tip)), scale(side, math.sin(tip)))
    return (x, cross(z, x), z)


def matrix_to_quaternion(x: Vec3, y: Vec3, z: Vec3) -> tuple[float, float, float, float]:
    """(w, x, y, z) of the rotation whose columns are x, y, z (Shepperd's method)."""
    m00, m10, m20 = x
    m01, m11, m21 = y
    m02, m12, m22 = z
    tr = m00 + m11 + m22
    if tr > 0.0:
        s = math.sqrt(tr + 1.0) * 2.0
        return (0.25 * s, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s)
    if m00 > m11 and m00 > m22:
        s = math.sqrt(1.0 + m00 - m11 - m22) * 2.0
        return ((m21 - m12) / s, 0.25 * s, (m01 + m10) / s, (m02 + m20) / s)
    if m11 > m22:
        s = math.sqrt(1.0 + m11 - m00 - m22) * 2.0
        return ((m02 - m20) / s, (m01 + m10) / s, 0.25 * s, (m12 + m21) / s)
    s = math.sqrt(1.0 + m22 - m00 - m11) * 2.0
    return ((m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, 0.25 * s)
