"""Which strand lengths make each haircut (``subject.hair.style`` and ``length_cm``, the median
strand length before tying), shared by validation, the prompt and ``verify``.

The bands follow how hairdressers name lengths on an adult head (a few cm of crop, a bob's line
between the ear lobe and the jaw, long hair past the shoulders): close-cropped up to 1.5 cm (a
clipper crop), short 1.5-10 cm, a bob's median strand 15-30 cm (cut level between chin and jaw),
long 35-90 cm; tied styles need the hair to reach a gather point at the back of the head from the
front hairline (about 20 cm over the skull) and still have a tail: 25 cm for a ponytail, 30 cm
for a bun. A length between two bands names neither (10-15 cm: neither short nor a bob).
"""

from __future__ import annotations

from itertools import pairwise

from .spec import HairStyle

LENGTH_CM: dict[HairStyle, tuple[float, float]] = {
    "shaved": (0.0, 0.0), "close_cropped": (0.2, 1.5), "short": (1.5, 10.0), "bob": (15.0, 30.0),
    "long": (35.0, 90.0), "ponytail": (25.0, 90.0), "bun": (30.0, 90.0),
}
TIED: tuple[HairStyle, ...] = ("ponytail", "bun")


def length_allowed(style: HairStyle) -> str:
    lo, hi = LENGTH_CM[style]
    return "0 (no strands)" if hi == 0.0 else f"{lo:g}-{hi:g} cm"


def length_fits(style: HairStyle, length_cm: float) -> bool:
    lo, hi = LENGTH_CM[style]
    return lo <= length_cm <= hi


def loose_style(median_cm: float) -> HairStyle:
    """The loose (untied) cut whose band holds a measured median length, splitting the gaps
    between bands at their middle."""
    if median_cm <= 0.0:
        return "shaved"
    order: tuple[HairStyle, ...] = ("close_cropped", "short", "bob", "long")
    for here, after in pairwise(order):
        if median_cm < 0.5 * (LENGTH_CM[here][1] + LENGTH_CM[after][0]):
            return here
    return "long"
