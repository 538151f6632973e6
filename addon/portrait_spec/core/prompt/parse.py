"""Reading a claim's phrase back to what it states: the inverse of the rules in ``phrases.py``.

``stated_in(claim)`` extracts the number (or class word, or choice) from ``claim.phrase`` using
only the text, so a test can check that the words say what the claim records, and a user or a
tool can recover the numbers from a prompt fragment.
"""

from __future__ import annotations

import math
import re

from ..catchlights import SHAPE_WORDS
from ..modifiers import KINDS, MODIFIERS
from ..patterns import PATTERN_WORDS
from ..spec import RIG_ROLES
from . import phrases as ph
from . import sitter
from .claims import Claim, ClaimValue
from .facts import REFLECTOR_WORDS

NUM = r"([+\-\u2212]?\d+(?:\.\d+)?)"

# Per path suffix: the pattern whose first group is the number this claim states.
_BY_SUFFIX: dict[str, str] = {
    "focal_length_mm": NUM + r"mm lens",
    "f_number": r"f/" + NUM,
    "spread_deg": r"with a " + NUM + "\u00b0 (?:grid|beam)",
    "temperature_k": NUM + r" K\b",
    "melanin": NUM + r"% melanin",
    "pores.diameter_mm": r"visible " + NUM + r" mm pores",
    "vellus_hair.length_mm": NUM + r" mm vellus hair",
    "sebum.roughness": NUM + r" on the oily ",
    "thin_radius_mm": NUM + r" mm subsurface",
    "link_length_mm": NUM + r" mm links",
    "wire_gauge_mm": NUM + r" mm wire",
    "facet_size_mm": NUM + r" mm hammer facets",
    "jewelry.roughness": r"(?:at|to) " + NUM + r" roughness",
    "gradient.stops": NUM + r"-stop gradient",
}


def to_float(text: str) -> float:
    return float(text.replace("\u2212", "-"))


def _search(pattern: str, phrase: str) -> float:
    match = re.search(pattern, phrase)
    if match is None:
        raise ValueError(f"{phrase!r} does not match {pattern!r}")
    return to_float(match.group(1))


def azimuth_in(phrase: str) -> float:
    """Degrees towards camera left (+) or right (-): "45° camera left" is +45."""
    if "lens axis" in phrase:
        return 0.0
    if "directly behind" in phrase:
        return 180.0
    match = re.search(NUM + "\u00b0 camera (left|right)", phrase)
    if match is None:
        raise ValueError(f"no azimuth in {phrase!r}")
    value = to_float(match.group(1))
    return value if match.group(2) == "left" else -value


def shoulder_in(phrase: str) -> str | None:
    """The sitter's shoulder a phrase names ("left", "right"), if any."""
    match = re.search(r"behind the sitter's (left|right) shoulder", phrase)
    return match.group(1) if match else None


def elevation_in(phrase: str) -> float:
    if "level with the eyes" in phrase:
        return 0.0
    match = re.search(NUM + "\u00b0 (up|down)\\b", phrase)
    if match is None:
        raise ValueError(f"no elevation in {phrase!r}")
    value = to_float(match.group(1))
    return value if match.group(2) == "up" else -value


def stops_in(phrase: str) -> float:
    """An exposure against the key: "metered 2 stops under the key" is -2, and so is a
    reflector's "bouncing the key back 2 stops under it"."""
    if "equal to the key" in phrase or "back at its own level" in phrase:
        return 0.0
    match = re.search(NUM + r" stops? (under|over) (?:the key|it\b)", phrase)
    if match is None:
        raise ValueError(f"no level in {phrase!r}")
    value = to_float(match.group(1))
    return -value if match.group(2) == "under" else value


def ratio_in(phrase: str) -> float:
    match = re.search(NUM + ":" + NUM, phrase)
    if match is None:
        raise ValueError(f"no ratio in {phrase!r}")
    return to_float(match.group(1)) / to_float(match.group(2))


def size_class_in(phrase: str) -> str:
    return next(word for _, word in ph.SIZE_CLASSES if phrase.startswith(word + " "))


def rgb_in(phrase: str) -> tuple[int, ...]:
    match = re.search(r"RGB (\d+)/(\d+)/(\d+)", phrase)
    if match is not None:
        return tuple(int(g) for g in match.groups())
    match = re.search(r"#([0-9A-F]{2})([0-9A-F]{2})([0-9A-F]{2})\b", phrase)
    if match is not None:
        return tuple(int(g, 16) for g in match.groups())
    raise ValueError(f"no RGB in {phrase!r}")


def stated_in(claim: Claim) -> ClaimValue:
    """What ``claim.phrase`` states, read from its words alone."""
    path, phrase, rule = claim.path, claim.phrase, claim.rule
    if path.startswith(sitter.PATH_PREFIXES) and rule != "rgb":
        return sitter.stated_in(path, phrase)  # the person's words (core.prompt.sitter)
    if rule == "rgb":
        return rgb_in(phrase)
    if rule == "size_class":
        return size_class_in(phrase)
    if rule in ("aspect", "orientation"):
        return phrase
    if rule == "choice":
        return _choice_in(claim)
    if rule == "clock":
        return _search(NUM + r" o'clock", phrase)
    if rule == "ratio":
        return ratio_in(phrase)
    if path.endswith("azimuth_deg"):
        return azimuth_in(phrase)
    if path.endswith("elevation_deg"):
        return elevation_in(phrase)
    if rule == "stops" and not path.endswith("gradient.stops"):
        return stops_in(phrase)
    if rule.startswith(("distance", "length")):
        return _search(NUM, phrase)
    if path.startswith("skin.roughness."):
        return _search(r"^" + NUM + r" (?:on the|elsewhere|all over)", phrase)
    for suffix, pattern in _BY_SUFFIX.items():
        if path.endswith(suffix):
            return _search(pattern, phrase)
    raise ValueError(f"no reading rule for {path} ({rule})")


_CHOICE_WORDS: dict[str, dict[object, str]] = {
    "camera.framing": {k: v for k, v in ph.FRAMING_WORDS.items()},
    "camera.height": {"eye_level": "at eye level"},
    "background.mode": {"extraction": "no light spill", "lit": "lit by the portrait lights"},
    "jewelry.micro_scratches": {True: "where the links rub"},
    "skin.vellus_hair.visible": {True: "vellus-hair sheen"},
    "lights.key.pattern": {k: v for k, v in PATTERN_WORDS.items()},
    **{f"lights.{role}.modifier": {m: KINDS[m].word for m in MODIFIERS} for role in RIG_ROLES},
    "lights.key.side": {"broad": "broad ", "short": "short "},
    **{f"lights.{role}.catchlight_shape": {k: f"{w} catchlight" for k, w in SHAPE_WORDS.items()} for role in RIG_ROLES},
    "lights.bounce.kind": {k: v for k, v in REFLECTOR_WORDS.items()},
    "lights.flag.enabled": {True: "black flag"},
}


def _choice_in(claim: Claim) -> ClaimValue:
    words = _CHOICE_WORDS.get(claim.path)
    if words is not None:
        found = [value for value, word in words.items() if word in claim.phrase]
        if len(found) != 1:
            raise ValueError(f"{claim.phrase!r} names {len(found)} of {sorted(map(str, words))}")
        return found[0]  # type: ignore[return-value]
    # karat, finish, chain style, gradient side: the choice word itself is in the phrase.
    token = re.escape(str(claim.stated))
    if re.search(rf"(?<![\w-]){token}(?![\w-])", claim.phrase) is None:
        raise ValueError(f"{claim.stated!r} is not in {claim.phrase!r}")
    return claim.stated


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
