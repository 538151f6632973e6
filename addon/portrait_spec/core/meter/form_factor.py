"""The patch-to-polygon form factor: what fraction of a small patch's view an emitter fills.

Cycles (4.0+) gives a one-sided area light of power P and area A the radiance
L = P / (pi * A) (Normalize on, spread 180 deg; Cycles' ``intern/cycles/scene/light.cpp``).
Irradiance on a patch is E = L * pi * F = P * F / A, with F the form factor by Lambert's vertex
formula (M. Stark, "Lambert's formula for polygonal light sources", 2000), after clipping the
polygon to the patch's horizon.
"""

from __future__ import annotations

import math

from ..vec import Vec3, add, cross, dot, length, normalize, scale, sub


def _clip_to_horizon(point: Vec3, normal: Vec3, polygon: list[Vec3]) -> list[Vec3]:
    """Sutherland-Hodgman clip of ``polygon`` to the half-space in front of the patch."""
    out: list[Vec3] = []
    n = len(polygon)
    for i in range(n):
        a, b = polygon[i], polygon[(i + 1) % n]
        da, db = dot(sub(a, point), normal), dot(sub(b, point), normal)
        if da >= 0.0:
            out.append(a)
        if (da >= 0.0) != (db >= 0.0):
            t = da / (da - db)
            out.append(add(a, scale(sub(b, a), t)))
    return out


def form_factor(point: Vec3, normal: Vec3, polygon: list[Vec3]) -> float:
    """Fraction of a Lambertian patch's hemisphere weighted by cosine that the polygon covers."""
    clipped = _clip_to_horizon(point, normal, polygon)
    if len(clipped) < 3:
        return 0.0
    units = [normalize(sub(v, point)) for v in clipped]
    total = 0.0
    for i, v in enumerate(units):
        w = units[(i + 1) % len(units)]
        c = cross(v, w)
        norm = length(c)
        if norm < 1e-15:
            continue
        theta = math.acos(max(-1.0, min(1.0, dot(v, w))))
        total += theta * dot(normal, scale(c, 1.0 / norm))
    return abs(total) / (2.0 * math.pi)
