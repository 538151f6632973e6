"""Light levels from geometry: irradiance from an area light on a small patch, and stops.

Cycles (4.0+) gives a one-sided area light of power P and area A the radiance
L = P / (pi * A) (Normalize on, spread 180 deg). Irradiance on a patch is E = L * pi * F = P * F / A,
with F the patch-to-polygon form factor (Lambert's vertex formula, Stark 2000), after clipping
the polygon to the patch's horizon. See ../shared/reference/physics.md.

The light meter: an incident meter at the focus point whose flat diffuser faces the light
being measured. Fill and rim stops are log2 of that reading over the key's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .placement import aim_basis, ellipse_polygon, light_position, rectangle_corners
from .vec import Vec3, add, cross, dot, length, normalize, scale, sub


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


@dataclass(frozen=True)
class AreaLight:
    """An area light as Cycles sees it: emitting shape and size, position, aim."""

    shape: str
    width: float
    height: float
    position: Vec3
    target: Vec3

    @property
    def area(self) -> float:
        w, h = self.width, self.width if self.shape in ("square", "disk") else self.height
        return w * h * (math.pi / 4.0 if self.shape in ("disk", "ellipse") else 1.0)

    def polygon(self) -> list[Vec3]:
        x, y, _ = aim_basis(self.position, self.target)
        h = self.width if self.shape in ("square", "disk") else self.height
        if self.shape in ("disk", "ellipse"):
            return ellipse_polygon(self.position, x, y, self.width, h)
        return rectangle_corners(self.position, x, y, self.width, h)

    def irradiance_per_watt(self, point: Vec3, normal: Vec3) -> float:
        """E / P at ``point`` on a patch facing ``normal``: F / A."""
        return form_factor(point, normal, self.polygon()) / self.area

    def meter_reading_per_watt(self, meter_at: Vec3) -> float:
        """Incident meter at ``meter_at`` facing this light's centre."""
        return self.irradiance_per_watt(meter_at, normalize(sub(self.position, meter_at)))


def area_light_from_angles(shape: str, width: float, height: float, focus: Vec3,
                           azimuth_deg: float, elevation_deg: float, distance_m: float) -> AreaLight:
    return AreaLight(shape, width, height, light_position(focus, azimuth_deg, elevation_deg, distance_m), focus)


def power_for_stops(key: AreaLight, key_power_w: float, other: AreaLight, stops: float, meter_at: Vec3) -> float:
    """Power that puts ``other`` exactly ``stops`` from the key at the meter (same colour)."""
    target = key_power_w * key.meter_reading_per_watt(meter_at) * 2.0 ** stops
    return target / other.meter_reading_per_watt(meter_at)


def stops_between(key: AreaLight, key_power_w: float, other: AreaLight, other_power_w: float, meter_at: Vec3) -> float:
    e_key = key_power_w * key.meter_reading_per_watt(meter_at)
    e_other = other_power_w * other.meter_reading_per_watt(meter_at)
    return math.log2(e_other / e_key)


def power_for_irradiance(light: AreaLight, irradiance: float, meter_at: Vec3) -> float:
    """Power that gives ``irradiance`` (W/m^2, linear render units) at the meter facing the light."""
    return irradiance / light.meter_reading_per_watt(meter_at)
