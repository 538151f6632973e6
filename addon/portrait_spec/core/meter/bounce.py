"""Bounce fill: what a reflector lit by the key sends to the incident meter at the focus.

Geometry (``reflector_panels``). The reflector's centre sits at ``azimuth_deg``/``elevation_deg``
(the lights' convention, ``core/spec.py``) and a distance from the focus. Its face is turned to
the bisector of the directions from its centre to the key's centre and to the focus: the mirror
law for the centre ray, so a silver or gold face sends the key's image to the face, as a
photographer angles a reflector "to catch the key". A round reflector is a disk of diameter
``size`` (its width axis kept level). A V-flat is two ``size`` x ``2 size`` white panels
standing upright, hinged on a vertical line at the given position, opened 90 deg and
symmetric about the bisector turned level (a V-flat stands on the floor, so it never tilts).
Like the lights, a face looks along its local -Z (``normal``).

Reflectance (``reflectance``):

* white, vflat: Lambertian, albedo ``WHITE_ALBEDO`` = 0.9 (titanium-dioxide white paint and PTFE
  are "mostly diffuse" and reflect about 0.9 or more in the visible: Janecek & Moses, "Optical
  reflectance measurements for commonly used reflectors", IEEE Trans. Nucl. Sci. 55(4), 2008);
* silver: a mirror with aluminium's normal-incidence reflectance (0.912, 0.914, 0.920)
  (Akenine-Moller et al., "Real-Time Rendering", 4th ed., Table 9.2), about constant with angle;
* gold: a mirror with measured 24k gold's exact conductor Fresnel (``core.gold_optics``) at the
  angle of incidence at the reflector's centre.

Reflectance is weighted by Rec.709 luminance of the key's colour times the reflectance (what the
meter reads: ``blender/measure/meter.py``), so a gold bounce reads lower than its red channel.

Reading (``bounce_reading_per_watt``): the irradiance, per watt of the key, on a meter at the
focus whose diffuser faces the reflector's centre, by a midpoint quadrature over the reflector:

* diffuse: each cell radiates ``albedo * E_key(cell) / pi``, with ``E_key`` the key's
  irradiance on the cell (``AreaEmitter.irradiance_per_watt``, grid spread included); the meter
  receives ``L cos(meter) cos(cell) dA / r^2``. For a V-flat the light the panels send each
  other is added the same way, ``INTERREFLECTIONS`` exchanges gathered on a coarser grid (each
  next one adds about 0.9 x 0.2 of the last);
* mirror: the ray from the focus to each cell is reflected and traced to the key's emitter; a hit
  adds ``R * L_key(theta) * cos(meter) * dOmega`` with ``L_key`` the key's radiance in that
  direction (Cycles' spread law, ``emitter.spread_attenuation``; a beauty dish's deflector
  hides its centre). That is the key's mirror image seen through the reflector's outline. A bare
  flash or Fresnel key (a small sphere) is taken as a point: its image lights the meter when the
  line to it crosses the reflector.

Occluders are ignored (like the meter): the subject's own head, and the reflector's shadow.
Everything is relative: the builder and validation divide by the key's meter reading at the focus.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..gold_optics import AU_K, AU_N, fresnel_conductor
from ..modifiers import DEFLECTOR_FRACTION, DEFLECTOR_GAP_M, FRESNEL_BLEND, KINDS, Modifier, is_round, uses_height
from ..placement import WORLD_UP, aim_basis, light_position
from ..vec import Vec3, add, cross, dot, length, normalize, scale, sub
from .emitter import AreaEmitter, FlatShape, RigEmitter, SphereEmitter, spread_attenuation

ReflectorFace = Literal["diffuse", "mirror"]
Rgb = tuple[float, float, float]

WHITE_ALBEDO = 0.9
ALUMINIUM_F0: Rgb = (0.912, 0.914, 0.920)
REC709_LUMA: Rgb = (0.2126, 0.7152, 0.0722)
VFLAT_OPENING_DEG = 90.0
# The distances the builder may put a reflector at, centre to focus: closer than 0.3 m it would
# touch the sitter; farther than 3 m a reflector gives next to nothing.
MIN_DISTANCE_M = 0.3
MAX_DISTANCE_M = 3.0
DIFFUSE_CELLS = 12  # per side (per panel for a V-flat; rings x sectors for a disk)
GATHER_CELLS = 6  # the V-flat's interreflection is gathered from a coarser split of the other panel
INTERREFLECTIONS = 3  # exchanges between a V-flat's panels; the next would add about 0.9 x 0.2 of the last
MIRROR_CELLS = 48
SOLVE_SAMPLES = 16
SOLVE_STEPS = 12  # bisection in log distance: 12 steps pin it to 0.03 % (far below 0.01 stop)


@dataclass(frozen=True)
class Panel(FlatShape):
    """A flat reflecting face (``FlatShape``: it faces its normal)."""

    def cells(self, n: int) -> Iterator[tuple[Vec3, float]]:
        """Midpoints and areas of an ``n`` x ``n`` split (polar for a disk)."""
        hu, hv = self.len_u / 2.0, self.len_v / 2.0
        if self.round_shape:
            for i in range(n):
                rho = (i + 0.5) / n
                for j in range(n):
                    phi = 2.0 * math.pi * (j + 0.5) / n
                    offset = add(scale(self.axis_u, rho * math.cos(phi) * hu), scale(self.axis_v, rho * math.sin(phi) * hv))
                    yield add(self.centre, offset), hu * hv * rho * (1.0 / n) * (2.0 * math.pi / n)
            return
        du, dv = self.len_u / n, self.len_v / n
        for i in range(n):
            for j in range(n):
                offset = add(scale(self.axis_u, -hu + (i + 0.5) * du), scale(self.axis_v, -hv + (j + 0.5) * dv))
                yield add(self.centre, offset), du * dv


@dataclass(frozen=True)
class Reflector:
    kind: str
    face: ReflectorFace
    panels: tuple[Panel, ...]
    position: Vec3  # the disk's centre or the V-flat's hinge
    facing: Vec3    # the bisector the face (or the V) is turned to

    @property
    def centre(self) -> Vec3:
        """Where the meter's diffuser is pointed: the mean of the panels' centres."""
        c = (0.0, 0.0, 0.0)
        for p in self.panels:
            c = add(c, p.centre)
        return scale(c, 1.0 / len(self.panels))


def face_of(kind: str) -> ReflectorFace:
    return "mirror" if kind in ("silver", "gold") else "diffuse"


def _basis(normal: Vec3) -> tuple[Vec3, Vec3]:
    """Width and height axes of a face looking along ``normal`` (-cross(u, v) = normal), width level."""
    z = scale(normal, -1.0)
    up = WORLD_UP if abs(dot(z, WORLD_UP)) < 0.999999 else (0.0, 1.0, 0.0)
    v = normalize(sub(up, scale(z, dot(up, z))))
    u = cross(v, z)
    return u, v


def key_emitter(focus: Vec3, modifier: Modifier, shape: str, width_m: float, height_m: float, azimuth_deg: float,
                elevation_deg: float, distance_m: float, spread_deg: float) -> RigEmitter:
    """The key as the builder places it (``blender/studio/lights.py``): aimed at the focus, height
    axis towards world up, Normalize on; a beauty dish with its deflector, a bare flash a point
    light and a Fresnel a spot light (``core.modifiers``)."""
    position = light_position(focus, azimuth_deg, elevation_deg, distance_m)
    kind = KINDS[modifier]
    if kind.emitter != "area":
        axis = normalize(sub(focus, position)) if kind.emitter == "spot" else None
        return SphereEmitter(position, width_m / 2.0, axis, math.radians(spread_deg) if axis else math.pi, FRESNEL_BLEND)
    x, y, _z = aim_basis(position, focus)
    h = height_m if uses_height(modifier, shape) else width_m
    deflector = DEFLECTOR_FRACTION * width_m if modifier == "beauty_dish" else 0.0
    return AreaEmitter(position, x, y, width_m, h, round_shape=is_round(modifier, shape), spread_rad=math.radians(spread_deg),
                       deflector=deflector, deflector_gap=DEFLECTOR_GAP_M if deflector else 0.0)


def reflector_panels(kind: str, size_m: float, focus: Vec3, key_centre: Vec3, azimuth_deg: float,
                     elevation_deg: float, distance_m: float) -> Reflector:
    position = light_position(focus, azimuth_deg, elevation_deg, distance_m)
    to_key = normalize(sub(key_centre, position))
    to_focus = normalize(sub(focus, position))
    bisector = add(to_key, to_focus)
    facing = normalize(bisector) if length(bisector) > 1e-9 else to_focus
    if kind != "vflat":
        u, v = _basis(facing)
        return Reflector(kind, face_of(kind), (Panel(position, u, v, size_m, size_m, True),), position, facing)
    level = (facing[0], facing[1], 0.0)
    axis = normalize(level) if length(level) > 1e-9 else normalize((to_focus[0], to_focus[1], 0.0))
    half = math.radians(VFLAT_OPENING_DEG / 2.0)
    panels = []
    for sign in (-1.0, 1.0):
        # Each panel runs from the hinge out along a direction half the opening off the V's axis,
        # and faces into the V.
        side = normalize(cross(WORLD_UP, axis))
        along = add(scale(axis, math.cos(half)), scale(side, sign * math.sin(half)))
        centre = add(position, scale(along, size_m / 2.0))
        inward = normalize(add(scale(axis, math.sin(half)), scale(side, -sign * math.cos(half))))
        u, v = _basis(inward)
        panels.append(Panel(centre, u, v, size_m, 2.0 * size_m, False))
    return Reflector(kind, "diffuse", tuple(panels), position, axis)


def luminance(rgb: Rgb) -> float:
    return sum(w * c for w, c in zip(REC709_LUMA, rgb, strict=True))


def reflectance(kind: str, cos_incidence: float, tint: Rgb = (1.0, 1.0, 1.0)) -> float:
    """Luminance-weighted reflectance of the face for light of colour ``tint``."""
    if kind in ("white", "vflat"):
        rgb: Rgb = (WHITE_ALBEDO,) * 3
    elif kind == "silver":
        rgb = ALUMINIUM_F0
    elif kind == "gold":
        a, b, c = (fresnel_conductor(cos_incidence, n, k) for n, k in zip(AU_N, AU_K, strict=True))
        rgb = (a, b, c)
    else:
        raise ValueError(f"unknown reflector kind {kind!r}")
    weighted = luminance((rgb[0] * tint[0], rgb[1] * tint[1], rgb[2] * tint[2]))
    return weighted / luminance(tint)


def _meter_normal(reflector: Reflector, focus: Vec3) -> Vec3:
    return normalize(sub(reflector.centre, focus))


def _diffuse(reflector: Reflector, key: RigEmitter, focus: Vec3, tint: Rgb) -> float:
    albedo = reflectance(reflector.kind, 1.0, tint)
    meter = _meter_normal(reflector, focus)
    n = DIFFUSE_CELLS
    # Radiance of each cell from the key (per watt), then (a V-flat) what the panels send each other.
    lit: list[list[tuple[Vec3, float, float]]] = []
    for panel in reflector.panels:
        normal = panel.normal
        lit.append([(x, area, albedo * key.irradiance_per_watt(x, normal) / math.pi) for x, area in panel.cells(n)])
    if len(reflector.panels) > 1:
        direct = [[(y, a, albedo * key.irradiance_per_watt(y, p.normal) / math.pi) for y, a in p.cells(GATHER_CELLS)]
                  for p in reflector.panels]
        coarse = direct
        for _ in range(INTERREFLECTIONS - 1):  # Jacobi steps: each adds one more exchange between the panels
            coarse = [[(y, a, r + albedo * _gathered(reflector, coarse, i, y) / math.pi) for y, a, r in cells]
                      for i, cells in enumerate(direct)]
        lit = [[(x, area, radiance + albedo * _gathered(reflector, coarse, i, x) / math.pi) for x, area, radiance in cells]
               for i, cells in enumerate(lit)]
    total = 0.0
    for panel, cells in zip(reflector.panels, lit, strict=True):
        normal = panel.normal
        total += sum(radiance * _kernel(x, normal, focus, meter) * area for x, area, radiance in cells)
    return total


def _gathered(reflector: Reflector, coarse: list[list[tuple[Vec3, float, float]]], i: int, x: Vec3) -> float:
    """Irradiance at ``x`` on panel ``i`` from the other panels' radiance."""
    normal = reflector.panels[i].normal
    return sum(r * _kernel(y, other.normal, x, normal) * a
               for j, other in enumerate(reflector.panels) if j != i for y, a, r in coarse[j])


def _kernel(x: Vec3, n_x: Vec3, y: Vec3, n_y: Vec3) -> float:
    """cos at x * cos at y / r^2 for light leaving x's face towards y's face (0 if either faces away)."""
    d = sub(y, x)
    r2 = dot(d, d)
    if r2 < 1e-12:
        return 0.0
    r = math.sqrt(r2)
    cos_x = dot(d, n_x) / r
    cos_y = -dot(d, n_y) / r
    return cos_x * cos_y / r2 if cos_x > 0.0 and cos_y > 0.0 else 0.0


def _mirror_point(reflector: Reflector, key: SphereEmitter, focus: Vec3, tint: Rgb) -> float:
    """A point or spot key seen in the mirror: its image behind the mirror's plane lights the
    meter like the key itself from there (intensity ``P / 4 pi``, the spot's cone), when the line
    from the focus to the image crosses the reflector's disk (the small sphere taken as a point)."""
    panel = reflector.panels[0]
    normal = panel.normal
    height = dot(sub(key.centre, panel.centre), normal)
    if height <= 0.0 or dot(sub(focus, panel.centre), normal) <= 0.0:
        return 0.0
    image = sub(key.centre, scale(normal, 2.0 * height))
    towards = sub(image, focus)
    t = dot(sub(panel.centre, focus), normal) / dot(towards, normal)
    crossing = add(focus, scale(towards, t))
    rel = sub(crossing, panel.centre)
    a, b = dot(rel, panel.axis_u) / (panel.len_u / 2.0), dot(rel, panel.axis_v) / (panel.len_v / 2.0)
    if a * a + b * b > 1.0:
        return 0.0
    leaving = normalize(sub(crossing, key.centre))
    cos_i = -dot(leaving, normal)
    meter = _meter_normal(reflector, focus)
    dist = length(towards)
    cos_m = dot(scale(towards, 1.0 / dist), meter)
    if cos_m <= 0.0:
        return 0.0
    return reflectance(reflector.kind, cos_i, tint) * key.attenuation(leaving) * cos_m / (4.0 * math.pi * dist * dist)


def _mirror(reflector: Reflector, key: RigEmitter, focus: Vec3, tint: Rgb) -> float:
    if isinstance(key, SphereEmitter):
        return _mirror_point(reflector, key, focus, tint)
    panel = reflector.panels[0]
    normal = panel.normal
    meter = _meter_normal(reflector, focus)
    cos_centre = abs(dot(normalize(sub(key.centre, panel.centre)), normal))
    r_lum = reflectance(reflector.kind, cos_centre, tint)
    key_normal = key.normal
    plane_normal = normalize(cross(key.axis_u, key.axis_v))
    total = 0.0
    for x, area in panel.cells(MIRROR_CELLS):
        d = sub(x, focus)
        dist = length(d)
        w = scale(d, 1.0 / dist)
        cos_r = -dot(w, normal)
        cos_m = dot(w, meter)
        if cos_r <= 0.0 or cos_m <= 0.0:
            continue
        out = sub(w, scale(normal, 2.0 * dot(w, normal)))
        denom = dot(out, plane_normal)
        if abs(denom) < 1e-12:
            continue
        t = dot(sub(key.centre, x), plane_normal) / denom
        if t <= 0.0:
            continue
        hit = add(x, scale(out, t))
        rel = sub(hit, key.centre)
        a, b = dot(rel, key.axis_u) / (key.len_u / 2.0), dot(rel, key.axis_v) / (key.len_v / 2.0)
        inside = a * a + b * b <= 1.0 if key.round_shape else abs(a) <= 1.0 and abs(b) <= 1.0
        cos_l = -dot(out, key_normal)  # the ray arrives against the key's emission
        if not inside or cos_l <= 0.0:
            continue
        hidden = key.hidden_from(x)  # a beauty dish's deflector hides its centre
        if hidden is not None and length(sub(hit, hidden[0])) < hidden[1]:
            continue
        radiance = spread_attenuation(math.acos(min(1.0, cos_l)), key.spread_rad) / math.pi
        radiance *= 1.0 / key.area if key.normalize else 1.0
        total += r_lum * radiance * cos_m * area * cos_r / (dist * dist)
    return total


def bounce_reading_per_watt(reflector: Reflector, key: RigEmitter, focus: Vec3, tint: Rgb = (1.0, 1.0, 1.0)) -> float:
    """Irradiance per watt of the key on a meter at ``focus`` facing the reflector (module docstring)."""
    if reflector.face == "mirror":
        return _mirror(reflector, key, focus, tint)
    return _diffuse(reflector, key, focus, tint)


def bounce_stops(reflector: Reflector, key: RigEmitter, focus: Vec3, tint: Rgb = (1.0, 1.0, 1.0)) -> float:
    """The bounce's meter reading against the key's own, in stops (-inf when nothing arrives)."""
    bounce = bounce_reading_per_watt(reflector, key, focus, tint)
    direct = key.meter_reading_per_watt(focus)
    return math.log2(bounce / direct) if bounce > 0.0 and direct > 0.0 else -math.inf


@dataclass(frozen=True)
class BouncePlacement:
    distance_m: float
    stops: float
    reachable: tuple[float, float]  # the lowest and highest stops over MIN..MAX_DISTANCE_M
    reflector: Reflector


@lru_cache(maxsize=64)  # a spec is validated, read back and built with the same reflector and key
def place_bounce(kind: str, size_m: float, focus: Vec3, key: RigEmitter, azimuth_deg: float, elevation_deg: float,
                 target_stops: float, tint: Rgb = (1.0, 1.0, 1.0)) -> BouncePlacement | None:
    """The distance at which the bounce reads ``target_stops`` (the farthest such, so the
    reflector stays out of the way), or None when no distance in range reaches it (``bounce_range``
    then says what does)."""
    def at(d: float) -> tuple[float, Reflector]:
        r = reflector_panels(kind, size_m, focus, key.centre, azimuth_deg, elevation_deg, d)
        return bounce_stops(r, key, focus, tint), r

    ratio = MAX_DISTANCE_M / MIN_DISTANCE_M
    samples = [MIN_DISTANCE_M * ratio ** (i / (SOLVE_SAMPLES - 1)) for i in range(SOLVE_SAMPLES)]
    values = [at(d)[0] for d in samples]
    for i in range(SOLVE_SAMPLES - 1, 0, -1):
        near, far = samples[i - 1], samples[i]
        if values[i - 1] >= target_stops >= values[i]:
            for _ in range(SOLVE_STEPS):  # bisection in log distance
                mid = math.sqrt(near * far)
                if at(mid)[0] >= target_stops:
                    near = mid
                else:
                    far = mid
            d = math.sqrt(near * far)
            stops, reflector = at(d)
            return BouncePlacement(d, stops, _range(values), reflector)
    return None


def _range(values: list[float]) -> tuple[float, float]:
    finite = [v for v in values if math.isfinite(v)]
    return (min(finite), max(finite)) if finite else (-math.inf, -math.inf)


@lru_cache(maxsize=64)
def bounce_range(kind: str, size_m: float, focus: Vec3, key: RigEmitter, azimuth_deg: float, elevation_deg: float,
                 tint: Rgb = (1.0, 1.0, 1.0)) -> tuple[float, float]:
    """Lowest and highest bounce levels (stops) over the allowed distances."""
    ratio = MAX_DISTANCE_M / MIN_DISTANCE_M
    values = []
    for i in range(SOLVE_SAMPLES):
        d = MIN_DISTANCE_M * ratio ** (i / (SOLVE_SAMPLES - 1))
        r = reflector_panels(kind, size_m, focus, key.centre, azimuth_deg, elevation_deg, d)
        values.append(bounce_stops(r, key, focus, tint))
    return _range(values)
