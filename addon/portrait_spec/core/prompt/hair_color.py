"""The word people use for a hair colour, from Cycles' Principled Hair pigment (melanin, redness).

The pigment model (Blender manual, "Principled Hair BSDF", melanin parametrisation, after d'Eon
et al. 2011, "An Energy-Conserving Hair Reflectance Model", Computer Graphics Forum 30:1181,
section 6.1): the slider ``melanin`` m in [0, 1] is a pigment quantity q = -ln(max(1 - m, 1e-4)),
split by ``redness`` r into eumelanin q (1 - r) and pheomelanin q r, whose absorption is
eumelanin x (0.506, 0.841, 1.653) + pheomelanin x (0.343, 0.733, 1.924). Cycles' coefficients
are d'Eon's (0.419, 0.697, 1.37 and 0.187, 0.4, 1.05) times 1.207 and 1.83.

Anchors, eumelanin concentrations in d'Eon's units that render the three named shades: blonde
0.3, brown 1.3, black 8 (Pharr, Jakob & Humphreys, "Physically Based Rendering", 3rd ed. 2016,
the hair scattering section's absorption from pigment, on d'Eon's coefficients). In Cycles' quantity (x 0.419 / 0.506)
that is q = 0.248, 1.077 and 6.62, melanin 0.22, 0.66 and 0.9987; the Blender manual shows
melanin 0.25 blonde, 0.75 brown and 1 black, inside the same bands.

The words (``CENTRES``): between the anchors, evenly in log q (absorption is multiplicative, so
equal ratios of pigment are equal steps of darkness): dark blonde and light brown at the thirds
from blonde to brown, dark brown halfway from brown to black, platinum one such third below
blonde. Each word owns the pigment closer to its centre than to its neighbours' in log q (band
edges at the geometric means of neighbouring centres); under ``WHITE_BELOW`` melanin the fibre
has no more than a trace of pigment (the manual's melanin 0 renders white).

Redness: only red hair has more pheomelanin than eumelanin (Ito & Wakamatsu 2011, "Diversity of
human hair pigmentation as studied by chemical analysis of eumelanin and pheomelanin", J Eur Acad
Dermatol Venereol 25:1369-1380); from ``RED_FROM`` the light shades read "strawberry blonde",
the middle ones "red", the dark browns "auburn"; black stays black.

The words are approximate; the claim is the pigment (``verify`` reads melanin and redness off the
material and words them by this same rule). Greying is not a shade: it is stated as the share of
white strands (``sitter``).
"""

from __future__ import annotations

import math

PBRT_TO_CYCLES = 0.419 / 0.506  # d'Eon's eumelanin absorption over Cycles' (red channel; the ratio is the same in all three)
ANCHORS: tuple[tuple[str, float], ...] = (("blonde", 0.3), ("brown", 1.3), ("black", 8.0))  # pbrt-v3, d'Eon units
_Q = {word: c * PBRT_TO_CYCLES for word, c in ANCHORS}
_THIRD = (_Q["brown"] / _Q["blonde"]) ** (1.0 / 3.0)
#: each word's centre in Cycles' pigment quantity q, lightest first
CENTRES: tuple[tuple[str, float], ...] = (
    ("platinum", _Q["blonde"] / _THIRD),
    ("blonde", _Q["blonde"]),
    ("dark blonde", _Q["blonde"] * _THIRD),
    ("light brown", _Q["blonde"] * _THIRD ** 2),
    ("brown", _Q["brown"]),
    ("dark brown", math.sqrt(_Q["brown"] * _Q["black"])),
    ("black", _Q["black"]),
)
WHITE_BELOW = 0.05  # melanin
RED_FROM = 0.5      # redness: pheomelanin at least half the pigment
RED_WORDS: dict[str, str] = {
    "platinum": "strawberry blonde", "blonde": "strawberry blonde", "dark blonde": "strawberry blonde",
    "light brown": "red", "brown": "red", "dark brown": "auburn", "black": "black",
}
#: every shade word, for reading a phrase back
SHADE_WORDS: tuple[str, ...] = ("white", *(word for word, _ in CENTRES), "strawberry blonde", "red", "auburn")


def pigment_quantity(melanin: float) -> float:
    """Cycles' pigment quantity q of the melanin slider (Blender manual: -ln(max(1 - m, 1e-4)))."""
    return -math.log(max(1.0 - melanin, 1e-4))


def melanin_of(q: float) -> float:
    """The melanin slider value of pigment quantity ``q`` (the inverse of ``pigment_quantity``)."""
    return 1.0 - math.exp(-q)


def band_edges() -> tuple[tuple[str, float], ...]:
    """(word, upper melanin edge) of each eumelanin shade, lightest first (black's edge is 1)."""
    edges = [(word, melanin_of(math.sqrt(q * CENTRES[i + 1][1]))) for i, (word, q) in enumerate(CENTRES[:-1])]
    return (*edges, (CENTRES[-1][0], 1.0))


def hair_shade(melanin: float, redness: float) -> str:
    """"dark brown", "auburn", ...: the colour word of Principled Hair pigment."""
    if melanin < WHITE_BELOW:
        return "white"
    word = next((w for w, upper in band_edges() if melanin < upper), CENTRES[-1][0])
    return RED_WORDS[word] if redness >= RED_FROM else word
