"""Where a light sits and how it is oriented, from the spec's photographic angles.

Convention (also in spec.py): the camera looks along +Y at the focus point; azimuth 0 is the
camera side, positive towards camera left (-X), 180 behind the subject; elevation is above
the focus point's horizontal plane. Lights are aimed at the focus point with their height
axis kept as close to world up as possible (Blender's ``to_track_quat('-Z', 'Y')``).
"""

from __future__ import annotations

import math

from .vec import Vec3, add, cross, dot, length, normalize, scale, sub

WORLD_UP: Vec3 = (0.0, 0.0, 1.0)


def direction_from_angles(azimuth_deg: float, elevation_deg: float) -> Vec3:
    """Unit vector from the focus point towards a light at these angles."""
    az, el = math.radians(azimuth_deg), math.radians(elevation_deg)
    return (-math.sin(az) * math.cos(el), -math.cos(az) * math.cos(el), math.sin(el))


def light_position(focus: Vec3, azimuth_deg: float, elevation_deg: float, distance_m: float) -> Vec3:
    return add(focus, scale(direction_from_angles(azimuth_deg, elevation_deg), distance_m))


def angles_from_position(focus: Vec3, position: Vec3) -> tuple[float, float, float]:
    """Inverse of light_position: (azimuth_deg, elevation_deg, distance_m)."""
    d = sub(position, focus)
    dist = length(d)
    horizontal = math.hypot(d[0], d[1])
    elevation = math.degrees(math.atan2(d[2], horizontal))
    azimuth = math.degrees(math.atan2(-d[0], -d[1])) if horizontal > 1e-12 else 0.0
    return azimuth, elevation, dist


def aim_basis(position: Vec3, target: Vec3) -> tuple[Vec3, Vec3, Vec3]:
    """Local X (width), Y (height) and Z axes of a light at ``position`` whose -Z faces ``target``."""
    z = normalize(sub(position, target))
    up = WORLD_UP if abs(dot(z, WORLD_UP)) < 0.999999 else (0.0, 1.0, 0.0)
    y = normalize(sub(up, scale(z, dot(up, z))))
    x = cross(y, z)
    return x, y, z


def rectangle_corners(center: Vec3, x_axis: Vec3, y_axis: Vec3, width: float, height: float) -> list[Vec3]:
    hx, hy = scale(x_axis, width / 2.0), scale(y_axis, height / 2.0)
    return [
        add(center, add(scale(hx, -1.0), scale(hy, -1.0))),
        add(center, add(hx, scale(hy, -1.0))),
        add(center, add(hx, hy)),
        add(center, add(scale(hx, -1.0), hy)),
    ]


def ellipse_polygon(center: Vec3, x_axis: Vec3, y_axis: Vec3, width: float, height: float, segments: int = 64) -> list[Vec3]:
    """An ellipse as a polygon of equal area (vertices pushed out so the area is exact)."""
    # A regular n-gon inscribed in a circle has area (n/2)·sin(2π/n)·r²; scale r to match πr².
    k = math.sqrt(math.pi / ((segments / 2.0) * math.sin(2.0 * math.pi / segments)))
    points = []
    for i in range(segments):
        t = 2.0 * math.pi * i / segments
        offset = add(scale(x_axis, math.cos(t) * width / 2.0 * k), scale(y_axis, math.sin(t) * height / 2.0 * k))
        points.append(add(center, offset))
    return points
