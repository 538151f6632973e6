"""Light modifiers: what each one is in the studio, the sizes it really comes in, and its name.

Every modifier stays one Blender light object (so the incident meter, light linking, ``verify``
and read-back work on all of them); what differs is the emitter:

* ``softbox``: an area light of ``shape`` (rectangle, square, ellipse or disk), any size in the
  fields' range, narrower than 3:1 (longer boxes are strip boxes).
* ``stripbox``: a rectangular area light at least 3x as long as it is wide; real strips are
  0.2-0.4 m by 0.9-1.8 m.
* ``octabox``: a disk area light 0.9-2.0 m across. At portrait distance its eight corners are
  below what a catchlight resolves: the cornea is a convex mirror of about 7.8 mm radius, so a
  1.2 m octabox at 1.5 m (0.8 rad) images about R/2 x 0.8 = 3 mm across, and the corners stand
  out from the inscribed circle by 1 - cos(22.5 deg) of that radius, under 0.15 mm (a fraction of
  a pixel at portrait framing). The prompt says "octabox"; the catchlight is round.
* ``umbrella_shoot_through`` and ``umbrella_reflective``: a disk area light of the umbrella's
  diameter (0.8-1.8 m) facing the subject. The lit canopy is the source either way; a
  shoot-through umbrella also spills light backwards and a reflective one throws it back off
  its lining, which the single disk does not model (spill on the room, not on the face). No
  grid: umbrellas take none, so spread stays 180 deg.
* ``beauty_dish``: a disk area light 0.4-0.7 m across with an opaque deflector disk
  (``DEFLECTOR_FRACTION`` of the dish's diameter, ``DEFLECTOR_GAP_M`` in front of the
  emitter) that hides the centre, as the dish's own deflector hides its bulb: its light is an
  annulus and its catchlight a ring.
* ``bare``: a bare flash tube or bulb, a sphere light (Blender point light) 5-20 cm across:
  hard light.
* ``fresnel``: a Fresnel spot, a spot light with a small lamp (5-20 cm, the lens's bright
  disc) and a focused beam of ``spread_deg`` (10-60 deg, spot to flood).

Sizes: ``width`` is the diameter of the round ones; ``height`` is used only by softbox
rectangles and ellipses and by strip boxes. The ranges span the common catalogue sizes
(manufacturers' data sheets: Profoto RFi octaboxes 3-5 ft and strip boxes 1 x 3 to 1 x 6 ft,
Elinchrom Rotalux octaboxes 100-175 cm and Softlite beauty dishes 44 and 70 cm).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

Modifier = Literal[
    "softbox", "stripbox", "octabox", "beauty_dish", "umbrella_shoot_through", "umbrella_reflective", "bare", "fresnel",
]
MODIFIERS: tuple[Modifier, ...] = get_args(Modifier)
Emitter = Literal["area", "point", "spot"]

STRIP_MIN_ASPECT = 3.0
DEFLECTOR_FRACTION = 0.3  # deflector diameter / dish diameter (commercial dishes: about 1/4 to 1/3)
DEFLECTOR_GAP_M = 0.04  # deflector in front of the emitting disk
FRESNEL_BLEND = 0.15  # the soft edge of a Fresnel's beam (Blender's spot blend)


@dataclass(frozen=True, kw_only=True)
class Kind:
    """One modifier: its emitter, its sizes (metres; None = only the field's own range) and its words."""

    emitter: Emitter
    word: str
    width: tuple[float, float] | None = None
    height: tuple[float, float] | None = None  # None: height unused (round, or a softbox)
    round: bool = False
    grid: bool = True  # may take a grid (spread_deg < 180)
    beam: tuple[float, float] | None = None  # spot lights: spread_deg is the beam angle
    hard: bool = False  # a point-like source: no size class, "hard light"


KINDS: dict[Modifier, Kind] = {
    "softbox": Kind(emitter="area", word="softbox"),
    "stripbox": Kind(emitter="area", word="strip box", width=(0.2, 0.4), height=(0.9, 1.8)),
    "octabox": Kind(emitter="area", word="octabox", width=(0.9, 2.0), round=True),
    "beauty_dish": Kind(emitter="area", word="beauty dish", width=(0.4, 0.7), round=True),
    "umbrella_shoot_through": Kind(emitter="area", word="shoot-through umbrella", width=(0.8, 1.8), round=True, grid=False),
    "umbrella_reflective": Kind(emitter="area", word="reflective umbrella", width=(0.8, 1.8), round=True, grid=False),
    "bare": Kind(emitter="point", word="bare flash", width=(0.05, 0.2), grid=False, hard=True),
    "fresnel": Kind(emitter="spot", word="Fresnel spot", width=(0.05, 0.2), beam=(10.0, 60.0), hard=True),
}

SOFTBOX_WORDS: dict[str, str] = {"rectangle": "softbox", "square": "square softbox", "ellipse": "oval softbox",
                                 "disk": "round softbox"}


def source_word(modifier: Modifier, shape: str) -> str:
    """The modifier's name in a prompt ("square softbox", "beauty dish", "Fresnel spot")."""
    return SOFTBOX_WORDS.get(shape, "softbox") if modifier == "softbox" else KINDS[modifier].word


def uses_height(modifier: Modifier, shape: str) -> bool:
    """Whether ``height`` is part of the emitter (else the emitter is round or square on ``width``)."""
    if modifier == "softbox":
        return shape in ("rectangle", "ellipse")
    return KINDS[modifier].height is not None


def is_round(modifier: Modifier, shape: str) -> bool:
    return shape in ("disk", "ellipse") if modifier == "softbox" else KINDS[modifier].round


@dataclass(frozen=True)
class SizeProblem:
    """One field of a light outside what its modifier allows (``field``: "width", ...)."""

    field: str
    found: str
    allowed: str


def _range(lo_hi: tuple[float, float], unit: str = "m") -> str:
    return f"{lo_hi[0]:g}-{lo_hi[1]:g} {unit}"


def size_problems(modifier: Modifier, shape: str, width_m: float, height_m: float, spread_deg: float) -> list[SizeProblem]:
    """What a light of these sizes cannot be as ``modifier`` (empty when it can)."""
    kind = KINDS[modifier]
    name = source_word(modifier, shape)
    problems: list[SizeProblem] = []
    long_side, short_side = max(width_m, height_m), min(width_m, height_m)
    if modifier == "stripbox":  # upright or lying down: the short side is its width
        short, long = ("width", "height") if width_m <= height_m else ("height", "width")
        if kind.width is not None and not kind.width[0] <= short_side <= kind.width[1]:
            problems.append(SizeProblem(short, f"{short_side:g} m", f"{_range(kind.width)} (short side of a {name})"))
        if kind.height is not None and not kind.height[0] <= long_side <= kind.height[1]:
            problems.append(SizeProblem(long, f"{long_side:g} m", f"{_range(kind.height)} (long side of a {name})"))
        if long_side < STRIP_MIN_ASPECT * short_side:
            problems.append(SizeProblem(long, f"{width_m:g} x {height_m:g} m", f"at least {STRIP_MIN_ASPECT:g}x the short "
                                        f"side (a {name}; a wider box is a softbox)"))
    elif kind.width is not None and not kind.width[0] <= width_m <= kind.width[1]:
        across = "diameter" if kind.round or kind.emitter != "area" else "width"
        problems.append(SizeProblem("width", f"{width_m:g} m", f"{_range(kind.width)} ({across} of a {name})"))
    if modifier == "softbox" and shape in ("rectangle", "ellipse"):
        if long_side >= STRIP_MIN_ASPECT * short_side:
            problems.append(SizeProblem("modifier", f"'softbox' {width_m:g} x {height_m:g} m",
                                        f"'stripbox' for a box at least {STRIP_MIN_ASPECT:g}x as long as wide, "
                                        f"or a softbox under {STRIP_MIN_ASPECT:g}:1"))
    if kind.beam is not None and not kind.beam[0] <= spread_deg <= kind.beam[1]:
        problems.append(SizeProblem("spread_deg", f"{spread_deg:g} deg", f"{_range(kind.beam, 'deg')} (beam angle of a {name})"))
    elif not kind.grid and spread_deg < 180.0:
        problems.append(SizeProblem("spread_deg", f"{spread_deg:g} deg", f"180 (a {name} takes no grid)"))
    return problems


def dish_reaches_focus(width_m: float, distance_m: float, spread_deg: float) -> bool:
    """Whether a beauty dish's light reaches the focus past its deflector. A grid lets each point
    of the emitter send light only within ``spread_deg / 2`` of its axis, so the focus sees the
    disk of radius ``distance x tan(spread / 2)`` round the centre, and the deflector hides the
    middle of it (its shadow, projected from the focus onto the emitter); a quarter of margin
    keeps the meter off a sliver."""
    shadow = DEFLECTOR_FRACTION * width_m * distance_m / (distance_m - DEFLECTOR_GAP_M) / 2.0
    seen = min(distance_m * math.tan(math.radians(spread_deg) / 2.0), width_m / 2.0)
    return seen > 1.25 * shadow
