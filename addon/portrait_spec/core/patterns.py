"""Named portrait lighting patterns: the decision rules, pure (no bpy).

Definitions follow Hurter, *The Portrait Photographer's Handbook* (Amherst Media, 3rd ed.
2007), "The Five Basic Portrait Lighting Patterns", and Kelby, *Light It, Shoot It, Retouch It*
(Peachpit 2011):

* butterfly (Paramount): the key high and in line with the nose, its shadow a small butterfly
  centred under the nose; both cheeks lit alike.
* loop: the key 30-45 deg to one side and high; the nose shadow a small loop down towards the
  shadow-side mouth corner, not joining the shadow-side cheek's shadow.
* Rembrandt: the key further round and high; the nose shadow joins the shadow-side cheek's
  shadow, leaving a lit triangle under the shadow-side eye.
* split: the key at about 90 deg; one half of the face in shadow.
* broad / short: the key on the side of the face turned towards / away from the camera.
* clamshell: the butterfly key with a second source or reflector below the face, in front of
  it and angled up (Hurter's butterfly with its fill placed under the key; beauty and headshot
  photographers' "clamshell"), so the under-chin, nostrils and eye sockets are lit from below.

``classify`` turns those sentences into thresholds over what ``blender/verify/patterns.py``
measures on the face (the share of each landmark patch the key's emitter reaches);
``predict`` states the pattern a spec should make from the key's angles relative to the head,
so the prompt (which cannot ray-cast) names it and ``verify`` checks it on the face.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Pattern = Literal["butterfly", "clamshell", "loop", "rembrandt", "split", "unnamed"]
Side = Literal["broad", "short", "frontal"]
PATTERNS: tuple[Pattern, ...] = ("butterfly", "clamshell", "loop", "rembrandt", "split")
# How the prompt names each (core.prompt.facts; parse.py reads them back).
PATTERN_WORDS: dict[str, str] = {"butterfly": "butterfly", "clamshell": "clamshell", "loop": "loop",
                                  "rembrandt": "Rembrandt", "split": "split"}

# A patch point is lit when over half the emitter reaches it (an area key has a penumbra).
LIT = 0.5
# A nose shadow is "centred under the nose" when the key reaches the two halves under it
# within this share of each other; loop leans further to the shadow side. On the default person
# (rembrandt.toml's 0.9 m box at 1.4 m, 40 deg up) the lean is 0.01 with the key on the face's
# axis, 0.05 at 10 deg, 0.10 at 20 deg, 0.19 at 35 deg (blender_tests/test_patterns.py).
CENTRED = 0.08
# (from, to, pattern): the key's azimuth from the face's axis, degrees, at KEY_ELEVATION_DEG.
PREDICTED: tuple[tuple[float, float, Pattern], ...] = (
    (0.0, 10.0, "butterfly"), (18.0, 35.0, "loop"), (42.0, 65.0, "rembrandt"))
# The key's elevation above the face's own horizontal (the spec's elevation less the head's
# pitch) for the named patterns other than split.
KEY_ELEVATION_DEG = (25.0, 60.0)
# Clamshell's fill (or bounce reflector): below the face and in front of it. Azimuth within this
# of the face's axis, elevation from/to (degrees, relative to the face's horizontal: the spec's
# less the head pitch).
CLAMSHELL_FILL_AZIMUTH_DEG = 30.0
CLAMSHELL_FILL_ELEVATION_DEG = (-50.0, -15.0)
# A fill at or above this (relative to the face's horizontal) does not light the face from below:
# butterfly stays butterfly. Between it and clamshell's band the face decides (no claim).
FILL_LEVEL_DEG = -5.0
# ``classify``: the fill lights the face from below when the surfaces facing down (under the
# chin, jaw and nostrils) get at least this share of the Lambert irradiance from the fill that
# the surfaces facing up (forehead, nose bridge) get. On the default person (butterfly.toml) the
# share is 0.30 with the fill 10 deg above the face's horizontal, 0.48 level, 0.58 at -5,
# 0.85 at -15, 1.5 at -30 and 3.5 at -45 (blender/verify/patterns.py, the fill moved in 5 deg steps).
FILL_BELOW = 0.72
# A head turned less than this from the camera shows both sides alike: neither broad nor short.
FRONTAL_DEG = 5.0


def relative_azimuth(azimuth_deg: float, head_yaw_deg: float) -> float:
    """A light's azimuth from the face's own axis, -180..180 (+ towards camera left)."""
    return (azimuth_deg - head_yaw_deg + 180.0) % 360.0 - 180.0


@dataclass(frozen=True)
class FillAngles:
    """An enabled fill's (or bounce reflector's) azimuth and elevation as the spec states them."""

    azimuth_deg: float
    elevation_deg: float


FillPlace = Literal["below", "level", "between"]
# A butterfly key's pattern by where the fill stands.
_UNDER_BUTTERFLY: dict[FillPlace, Pattern] = {"below": "clamshell", "level": "butterfly", "between": "unnamed"}


def source_place(fill: FillAngles, head_yaw_deg: float, head_pitch_deg: float) -> FillPlace:
    """Where one lower source stands for clamshell: "below" in its band, "level" not below the
    face, "between" anywhere else under the face, where the face decides."""
    if fill.elevation_deg - head_pitch_deg >= FILL_LEVEL_DEG:
        return "level"
    lo, hi = CLAMSHELL_FILL_ELEVATION_DEG
    if (abs(relative_azimuth(fill.azimuth_deg, head_yaw_deg)) <= CLAMSHELL_FILL_AZIMUTH_DEG
            and lo <= fill.elevation_deg - head_pitch_deg <= hi):
        return "below"
    return "between"


def fill_place(fills: tuple[FillAngles, ...], head_yaw_deg: float, head_pitch_deg: float) -> FillPlace:
    """Clamshell's lower half, from the fill and the bounce (each when enabled): "below" when
    one is in the band, "level" when none is under the face (or there are none), else "between"."""
    places = {source_place(fill, head_yaw_deg, head_pitch_deg) for fill in fills}
    if "below" in places:
        return "below"
    return "between" if "between" in places else "level"


@dataclass(frozen=True, kw_only=True)
class FaceLight:
    """Lit shares (0..1) of the face patches as the key reaches them, sides named from the key.

    ``triangle`` is the shadow-side cheekbone under the eye, ``cheek`` the shadow-side cheek
    below it, ``band`` the shadow-side strip between the nostril and the cheek (where the nose
    shadow joins the cheek shadow), ``key_cheek`` the key-side cheek; ``nose_shadow`` the share of
    the under-nose patch in shadow and ``nose_shadow_lean`` its share on the shadow half less its
    share on the key half (-1..1, 0 centred)."""

    triangle: float
    cheek: float
    band: float
    key_cheek: float
    nose_shadow: float
    nose_shadow_lean: float


def classify(m: FaceLight, fill_from_below: float = 0.0) -> Pattern:
    """The pattern the measured light makes, tested from the darkest pattern to the most frontal.
    ``fill_from_below``: the fill's irradiance on the face's down-facing surfaces over its
    up-facing ones (0 without a fill); a butterfly key over a fill from below is clamshell."""
    key = _key_pattern(m)
    return "clamshell" if key == "butterfly" and fill_from_below >= FILL_BELOW else key


def _key_pattern(m: FaceLight) -> Pattern:
    if m.key_cheek < LIT:
        return "unnamed"  # the key does not light the face from the front at all
    if m.triangle < 0.1 and m.cheek < 0.1 and m.band < 0.1:
        return "split"
    if m.cheek < LIT and m.band < LIT and 0.1 <= m.triangle:
        return "rembrandt"
    if m.nose_shadow < 0.1:
        return "unnamed"  # flat light: no nose shadow to name a pattern by
    if abs(m.nose_shadow_lean) < CENTRED and abs(m.cheek - m.key_cheek) < 0.25:
        return "butterfly"
    if m.nose_shadow_lean >= CENTRED and m.cheek >= LIT:
        return "loop"
    return "unnamed"


def predict(key_azimuth_deg: float, key_elevation_deg: float, head_yaw_deg: float,
            head_pitch_deg: float = 0.0, fills: tuple[FillAngles, ...] = ()) -> Pattern:
    """The pattern a key makes from its angles relative to the face (Hurter's placements), or
    "unnamed" between the bands, where the face decides and the prompt claims nothing. Azimuth
    is measured from the face's own axis (the spec's azimuth minus the head's yaw), elevation from
    the face's horizontal (less the head's pitch). The bands sit inside what ``classify``
    measures on the default person with a soft key (butterfly to ~15 deg, loop ~15-35,
    Rembrandt ~40-65, split from ~70), so a smaller face or harder key still holds. A butterfly
    key over one of ``fills`` (the fill, the bounce) below the face (``fill_place``) is clamshell."""
    rel = abs(relative_azimuth(key_azimuth_deg, head_yaw_deg))
    if 75.0 <= rel <= 110.0:
        return "split"
    lo, hi = KEY_ELEVATION_DEG
    if not lo <= key_elevation_deg - head_pitch_deg <= hi:
        return "unnamed"
    for band_lo, band_hi, pattern in PREDICTED:
        if band_lo <= rel < band_hi:
            if pattern == "butterfly":
                return _UNDER_BUTTERFLY[fill_place(fills, head_yaw_deg, head_pitch_deg)]
            return pattern
    return "unnamed"


def side(key_azimuth_deg: float, head_yaw_deg: float) -> Side:
    """Broad when the key is on the side of the face turned towards the camera, short when on
    the side turned away. A head turned by + yaw (towards camera left) shows the camera its
    sitter's-left side, which is camera right: a key at - azimuth lights it."""
    if abs(head_yaw_deg) < FRONTAL_DEG:
        return "frontal"
    rel = relative_azimuth(key_azimuth_deg, head_yaw_deg)
    return "short" if (rel > 0.0) == (head_yaw_deg > 0.0) else "broad"
