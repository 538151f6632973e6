"""An area light exactly as Cycles (4.0+) emits it, for irradiance at a point.

The model takes the light's real frame (centre, unit axes, emitting lengths after object scale),
so an existing scene object can be metered whatever its transform.

Radiance in direction ``theta`` from the light's normal, for power ``P`` and area ``A``:

* spread 180 deg: ``L = P / (pi * A)`` (Normalize on) or ``P / pi`` (Normalize off), so
  ``E = L * pi * F`` with ``F`` the form factor (``form_factor.form_factor``);
* spread ``s`` < 180 deg (a softbox grid): Cycles multiplies ``L`` by
  ``max((tan(h) - tan(theta)) / (tan(h) - h), 0)`` with ``h = s / 2`` (``scene/light.cpp``
  ``normalize_spread``, ``kernel/light/area.h`` ``area_light_spread_attenuation``). That keeps the
  total power but raises on-axis radiance (about x25 at 40 deg) and cuts off light beyond ``h``, so
  the form factor alone is wrong; the irradiance is integrated numerically over the emitter.

A beauty dish's deflector (an opaque disk parallel to the emitter, in front of its centre) hides
the disk it projects onto the emitter's plane from the point; that part is subtracted (an
annulus), for spread 180 as a second form factor, for a grid by skipping its quadrature points.
Point and spot lights are ``SphereEmitter``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..placement import ellipse_polygon, rectangle_corners
from ..vec import Vec3, add, cross, dot, length, normalize, scale, sub
from .form_factor import form_factor

ROUND_SHAPES: tuple[str, ...] = ("disk", "ellipse")
# Cycles treats spread >= 180 deg as "no grid" (tan(h) = FLT_MAX).
FULL_SPREAD_RAD = math.pi
# Quadrature resolution for spread < 180 deg; 96 x 96 midpoints keep the error below 0.3 %
# for the grids in the presets (checked against a 400 x 400 reference in tests/test_photometry.py).
GRID_STEPS = 96


def spread_attenuation(theta: float, spread_rad: float) -> float:
    """Cycles' grid factor on radiance at ``theta`` from the light's normal (1 for spread 180)."""
    if spread_rad >= FULL_SPREAD_RAD:
        return 1.0
    half = 0.5 * max(spread_rad, math.radians(0.1))
    if theta >= half:
        return 0.0
    tan_half = math.tan(half)
    return max((tan_half - math.tan(theta)) / (tan_half - half), 0.0)


@dataclass(frozen=True)
class FlatShape:
    """A flat rectangle or ellipse: ``centre``, unit ``axis_u`` (width) and ``axis_v`` (height),
    facing along ``cross(axis_u, axis_v)`` negated (as a Blender light's local -Z); an emitter's
    and a reflector panel's outline."""

    centre: Vec3
    axis_u: Vec3
    axis_v: Vec3
    len_u: float
    len_v: float
    round_shape: bool = False

    @property
    def normal(self) -> Vec3:
        """The side it faces (a light's direction of emission)."""
        return scale(normalize(cross(self.axis_u, self.axis_v)), -1.0)

    @property
    def area(self) -> float:
        return self.len_u * self.len_v * (math.pi / 4.0 if self.round_shape else 1.0)

    def polygon(self) -> list[Vec3]:
        if self.round_shape:
            return ellipse_polygon(self.centre, self.axis_u, self.axis_v, self.len_u, self.len_v)
        return rectangle_corners(self.centre, self.axis_u, self.axis_v, self.len_u, self.len_v)


@dataclass(frozen=True)
class AreaEmitter(FlatShape):
    """One-sided emitter of ``FlatShape``'s outline, emitting along its normal."""

    spread_rad: float = FULL_SPREAD_RAD
    normalize: bool = True
    # A beauty dish's deflector: an opaque disk of this diameter, ``deflector_gap`` in front of
    # the emitter's centre, parallel to it (0: none).
    deflector: float = 0.0
    deflector_gap: float = 0.0

    def irradiance_per_watt(self, point: Vec3, patch_normal: Vec3) -> float:
        """Irradiance (W/m^2 per W of light power) on a small patch at ``point`` facing ``patch_normal``."""
        if dot(sub(point, self.centre), self.normal) <= 0.0:
            return 0.0  # behind the one-sided emitter
        area_scale = 1.0 / self.area if self.normalize else 1.0
        if self.spread_rad >= FULL_SPREAD_RAD:
            seen = form_factor(point, patch_normal, self.polygon())
            hidden = self.hidden_from(point)
            if hidden is not None:  # the deflector's shadow lies inside the dish for any point it lights
                seen -= form_factor(point, patch_normal, ellipse_polygon(hidden[0], self.axis_u, self.axis_v,
                                                                         2.0 * hidden[1], 2.0 * hidden[1]))
            return max(seen, 0.0) * area_scale
        return self._integrate_spread(point, patch_normal) * area_scale

    def hidden_from(self, point: Vec3) -> tuple[Vec3, float] | None:
        """The part of the emitter the deflector hides from ``point``: the deflector disk projected
        from the point onto the emitter's plane, a disk (centre, radius) since the two are
        parallel; None without a deflector."""
        if self.deflector <= 0.0:
            return None
        n = self.normal
        h = dot(sub(point, self.centre), n)  # the point's height above the emitter
        if h <= self.deflector_gap:
            return None
        k = h / (h - self.deflector_gap)
        disk_centre = add(self.centre, scale(n, self.deflector_gap))
        on_plane = add(point, scale(sub(disk_centre, point), k))
        return on_plane, 0.5 * self.deflector * k

    def _integrate_spread(self, point: Vec3, patch_normal: Vec3) -> float:
        """``(1/pi) * integral of atten(theta_l) cos(theta_l) cos(theta_p) / r^2 dA`` (midpoint rule)
        over the part of the emitter that reaches ``point``: where the grid's half-angle allows,
        a disc round the point's foot on the emitter's plane (the whole emitter for wide grids).
        A narrow grid on a large, close emitter lights the point from a patch far smaller than one
        quadrature cell of the whole emitter, which would otherwise miss it and read zero."""
        n_light = self.normal
        hidden = self.hidden_from(point)
        total = 0.0
        for offset, weight in self._quadrature_towards(point):
            x = add(self.centre, offset)
            if hidden is not None and length(sub(x, hidden[0])) < hidden[1]:
                continue
            d = sub(point, x)
            r = length(d)
            if r < 1e-9:
                continue
            w = scale(d, 1.0 / r)
            cos_l = dot(w, n_light)
            cos_p = -dot(w, patch_normal)
            if cos_l <= 0.0 or cos_p <= 0.0:
                continue
            theta = math.acos(min(1.0, cos_l))
            total += weight * spread_attenuation(theta, self.spread_rad) * cos_l * cos_p / (r * r)
        return total / math.pi

    def _quadrature_towards(self, point: Vec3) -> list[tuple[Vec3, float]]:
        rel = sub(point, self.centre)
        h = dot(rel, self.normal)
        reach = h * math.tan(0.5 * max(self.spread_rad, math.radians(0.1)))
        u0, v0 = dot(rel, self.axis_u), dot(rel, self.axis_v)
        hu, hv = self.len_u / 2.0, self.len_v / 2.0
        lo_u, hi_u = max(-hu, u0 - reach), min(hu, u0 + reach)
        lo_v, hi_v = max(-hv, v0 - reach), min(hv, v0 + reach)
        if lo_u >= hi_u or lo_v >= hi_v:
            return []
        if (lo_u, hi_u, lo_v, hi_v) == (-hu, hu, -hv, hv):
            return self._quadrature()
        n = GRID_STEPS
        du, dv = (hi_u - lo_u) / n, (hi_v - lo_v) / n
        points: list[tuple[Vec3, float]] = []
        for i in range(n):
            u = lo_u + (i + 0.5) * du
            for j in range(n):
                v = lo_v + (j + 0.5) * dv
                if self.round_shape and (u / hu) ** 2 + (v / hv) ** 2 > 1.0:
                    continue
                points.append((add(scale(self.axis_u, u), scale(self.axis_v, v)), du * dv))
        return points

    def _quadrature(self) -> list[tuple[Vec3, float]]:
        n = GRID_STEPS
        points: list[tuple[Vec3, float]] = []
        if self.round_shape:
            # Polar midpoints on the unit disk mapped onto the ellipse: smooth integrand, no stair edge.
            hu, hv = self.len_u / 2.0, self.len_v / 2.0
            for i in range(n):
                rho = (i + 0.5) / n
                for j in range(n):
                    phi = 2.0 * math.pi * (j + 0.5) / n
                    offset = add(scale(self.axis_u, rho * math.cos(phi) * hu), scale(self.axis_v, rho * math.sin(phi) * hv))
                    points.append((offset, hu * hv * rho * (1.0 / n) * (2.0 * math.pi / n)))
            return points
        du, dv = self.len_u / n, self.len_v / n
        for i in range(n):
            u = -self.len_u / 2.0 + (i + 0.5) * du
            for j in range(n):
                v = -self.len_v / 2.0 + (j + 0.5) * dv
                points.append((add(scale(self.axis_u, u), scale(self.axis_v, v)), du * dv))
        return points

    def meter_reading_per_watt(self, meter_at: Vec3) -> float:
        """Incident meter at ``meter_at`` with its diffuser facing the emitter's centre."""
        return self.irradiance_per_watt(meter_at, normalize(sub(self.centre, meter_at)))


SPOT_RINGS = 8
SPOT_SPOKES = 16


def smoothstep(x: float) -> float:
    t = min(max(x, 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


@dataclass(frozen=True)
class SphereEmitter:
    """A Cycles point light (a sphere of ``radius``), or a spot light when ``axis`` is set.

    Cycles (4.0+, Normalize on) gives a sphere light of power ``P`` the radiance
    ``L = P / (4 pi^2 r^2)`` over its surface, so it sends ``P`` in total and its intensity is
    ``P / (4 pi)`` in every direction; a patch at distance ``d`` facing its centre receives
    ``E = pi L (r/d)^2 = P / (4 pi d^2)`` whatever the radius (Blender manual, "Light Objects",
    https://docs.blender.org/manual/en/latest/render/lights/light_object.html: a point light
    radiates the same in all directions, and Normalize keeps the total power when the size
    changes; ``blender_tests/test_studio_modifiers.py`` checks it against a render). A spot keeps
    that intensity inside its cone and cuts it off outside: the attenuation is
    ``smoothstep((cos(theta) - cos(h)) / ((1 - cos(h)) * blend))`` with ``h`` half the spot size
    and ``theta`` from the spot's axis (Cycles' ``spot_attenuation``, ``kernel/light/spot.h``),
    1 on the axis for any blend. The spot's object is unscaled (the rig never scales it)."""

    centre: Vec3
    radius: float
    axis: Vec3 | None = None  # a spot's direction of emission (its local -Z); None: point light
    spot_size_rad: float = math.pi
    spot_blend: float = 0.0

    @property
    def area(self) -> float:
        """The sphere's silhouette (pi r^2): what its apparent size is measured by."""
        return math.pi * self.radius * self.radius

    def attenuation(self, direction: Vec3) -> float:
        """The spot's factor towards unit ``direction`` from the centre (1 for a point light)."""
        if self.axis is None:
            return 1.0
        cos_half = math.cos(0.5 * self.spot_size_rad)
        cos_theta = dot(direction, self.axis)
        if cos_theta <= cos_half:
            return 0.0
        if self.spot_blend <= 0.0:
            return 1.0
        return smoothstep((cos_theta - cos_half) / ((1.0 - cos_half) * self.spot_blend))

    def seen_attenuation(self, point: Vec3) -> float:
        """The cone's factor averaged over the sphere as ``point`` sees it (a disk of even
        radiance): Cycles applies it per point on the sphere, so a lamp of some size blurs the
        beam's edge over its own angular size (polar midpoints, ``SPOT_RINGS`` x ``SPOT_SPOKES``)."""
        if self.axis is None:
            return 1.0
        facing = normalize(sub(point, self.centre))
        helper: Vec3 = (0.0, 0.0, 1.0) if abs(facing[2]) < 0.9 else (1.0, 0.0, 0.0)
        u = normalize(cross(helper, facing))
        v = cross(facing, u)
        total = 0.0
        for i in range(SPOT_RINGS):
            rho = self.radius * math.sqrt((i + 0.5) / SPOT_RINGS)  # equal-area rings
            for j in range(SPOT_SPOKES):
                phi = 2.0 * math.pi * (j + 0.5) / SPOT_SPOKES
                at = add(self.centre, add(scale(u, rho * math.cos(phi)), scale(v, rho * math.sin(phi))))
                total += self.attenuation(normalize(sub(point, at)))
        return total / (SPOT_RINGS * SPOT_SPOKES)

    def irradiance_per_watt(self, point: Vec3, patch_normal: Vec3) -> float:
        rel = sub(point, self.centre)
        d = length(rel)
        if d <= self.radius:
            return 0.0
        w = scale(rel, 1.0 / d)
        cos_p = -dot(w, patch_normal)
        if cos_p <= 0.0:
            return 0.0
        return self.seen_attenuation(point) * cos_p / (4.0 * math.pi * d * d)

    def meter_reading_per_watt(self, meter_at: Vec3) -> float:
        return self.irradiance_per_watt(meter_at, normalize(sub(self.centre, meter_at)))


RigEmitter = AreaEmitter | SphereEmitter
