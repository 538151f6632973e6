"""The spec's bounce fill (``lights.bounce``) placed for its stops, and why it cannot be.

``placement(spec)`` solves the reflector's distance with ``core.meter.bounce`` from the key as
the builder places it. The builder solves again from the key object as built (its real colour
and geometry), so the two agree to the quadrature's error.
"""

from __future__ import annotations

import math

from .errors import Problem
from .meter.bounce import (
    MAX_DISTANCE_M,
    MIN_DISTANCE_M,
    BouncePlacement,
    Rgb,
    bounce_range,
    face_of,
    key_emitter,
    place_bounce,
)
from .meter.emitter import RigEmitter
from .modifiers import KINDS
from .spec import Spec

VFLAT_MIN_SIZE_M = 0.6  # a V-flat panel is at least a 2 x 4 ft half sheet of foam core


def spec_key(spec: Spec) -> RigEmitter:
    key = spec.lights.key
    focus = (0.0, 0.0, spec.subject.eye_height.metres)
    return key_emitter(focus, key.modifier, key.shape, key.width.metres, key.height.metres, key.azimuth_deg, key.elevation_deg,
                       key.distance.metres, key.spread_deg)


def placement(spec: Spec, key: RigEmitter | None = None, focus: tuple[float, float, float] | None = None,
              tint: Rgb = (1.0, 1.0, 1.0)) -> BouncePlacement | None:
    """Where the reflector goes for its stops (None if no allowed distance reaches them)."""
    b = spec.lights.bounce
    here = focus if focus is not None else (0.0, 0.0, spec.subject.eye_height.metres)
    return place_bounce(b.kind, b.size.metres, here, key if key is not None else spec_key(spec), b.azimuth_deg,
                        b.elevation_deg, b.stops, tint)


def problems(spec: Spec) -> list[Problem]:
    b = spec.lights.bounce
    if not b.enabled:
        return []
    if b.kind == "vflat" and b.size.metres < VFLAT_MIN_SIZE_M:
        return [Problem("lights.bounce.size", f"{b.size.metres:g} m for a V-flat",
                        f"at least {VFLAT_MIN_SIZE_M:g} m (a V-flat panel is a 2 x 4 ft to 4 x 8 ft sheet)")]
    key_kind = KINDS[spec.lights.key.modifier]
    if face_of(b.kind) == "mirror" and key_kind.emitter != "area":
        return [Problem("lights.bounce.kind", f"{b.kind!r} with a {key_kind.word} key",
                        "'white' or 'vflat' with a bare flash or Fresnel key (a mirror's image of so small a source is a "
                        "caustic that path tracing barely renders: a 10 cm flash in silver read 0.5 stop under its level "
                        "at 2048 samples), or a softbox, octabox, beauty dish or umbrella key")]
    if placement(spec) is not None:
        return []
    lo, hi = bounce_range(b.kind, b.size.metres, (0.0, 0.0, spec.subject.eye_height.metres), spec_key(spec),
                          b.azimuth_deg, b.elevation_deg)
    if not math.isfinite(hi):
        allowed = "a reflector the key reaches: put it in front of the key, facing both"
    else:
        allowed = (f"from {math.ceil(lo * 10) / 10:g} to {math.floor(hi * 10) / 10:g} stops for this {b.kind} reflector "
                   f"and key (the reflector {MIN_DISTANCE_M:g}-{MAX_DISTANCE_M:g} m from the focus); a larger, whiter or "
                   "better-angled reflector reaches more")
    return [Problem("lights.bounce.stops", f"{b.stops:g}", allowed)]
