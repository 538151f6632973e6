"""Claims: every quantitative phrase in a prompt, tied to the spec value it states.

A claim names a dotted spec path (or a derived quantity under a spec section, see DERIVED),
the scene's value in ``unit``, the exact phrase that appears verbatim in each target prompt
listed in ``targets``, what the phrase states (the rounded number, a class word, a choice),
and a tolerance for ``verify``: how far a measurement of the rendered scene may be from
``value`` while the phrase stays true. Class words also carry ``band``, the range of values
for which the word is the one the rules in ``phrases.py`` would pick.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..catchlights import CLOCK_TOLERANCE_H
from ..spec import PROMPT_TARGETS
from . import phrases as ph

ClaimValue = float | str | bool | tuple[int, ...]

# Quantities computed from several spec fields, named under the section they belong to.
DERIVED: dict[str, str] = {
    "apparent_size": "sqrt(emitting area) / distance from the focus point (phrases.apparent_size)",
    "catchlight_shape": "the light's reflection on the cornea, by the mirror rule (core.catchlights)",
    "catchlight_clock": "hours clockwise from up of that reflection around the iris centre (core.catchlights)",
}

# Rounding steps by rule, in the claim's unit (the rules in phrases.py). "ratio" is stated to
# two significant digits instead (phrases.ratio_phrase) and its tolerance is relative.
STEPS: dict[str, float] = {
    "angle": ph.ANGLE_STEP, "stops": ph.STOPS_STEP, "distance_ft": ph.FEET_STEP, "distance_m": ph.METRES_STEP,
    "length_in": ph.INCH_STEP, "length_cm": ph.CM_STEP, "mm": ph.MM_STEP, "roughness": ph.ROUGHNESS_STEP,
    "kelvin": ph.KELVIN_STEP, "focal_length": ph.FOCAL_STEP, "f_number": ph.F_NUMBER_STEP, "percent": ph.PERCENT_STEP,
    "years": 1.0,  # the sitter's age in whole years (core.prompt.sitter)
    "clock": 1.0,  # a catchlight's clock position in whole hours (core.catchlights)
}

# Verify tolerances by rule, in the claim's unit: how far a measurement of the render may be
# from the spec value while the phrase stays true. Each is at least the rule's step, so rounding
# uses at most half of it and the rest is left for what a render can measure.
TOLERANCES: dict[str, float] = {
    "years": 1.0,
    "angle": 2.0,
    "stops": 0.1,
    "distance_ft": 0.5,
    "distance_m": 0.1,
    "length_in": 1.0,
    "length_cm": 1.0,
    "mm": 0.01,
    "roughness": 0.01,
    "kelvin": 100.0,
    "rgb": 0.0,
    "focal_length": 1.0,
    "f_number": 0.1,
    "percent": 0.5,
    "clock": CLOCK_TOLERANCE_H,
}
RATIO_STOPS_TOLERANCE = 0.1  # a ratio may be off by what 0.1 stop changes it: 7.2 % of its value


def ratio_tolerance(ratio: float) -> float:
    return ratio * (2.0 ** RATIO_STOPS_TOLERANCE - 1.0)


@dataclass(frozen=True)
class Claim:
    path: str
    value: ClaimValue
    unit: str
    phrase: str
    stated: ClaimValue
    rule: str
    tolerance: float | None = None
    band: tuple[float | None, float | None] | None = None
    targets: tuple[str, ...] = PROMPT_TARGETS

    def to_data(self) -> dict[str, Any]:
        def plain(v: ClaimValue) -> Any:
            return list(v) if isinstance(v, tuple) else v

        data: dict[str, Any] = {
            "path": self.path, "value": plain(self.value), "unit": self.unit, "phrase": self.phrase,
            "stated": plain(self.stated), "rule": self.rule, "tolerance": self.tolerance,
            "targets": list(self.targets),
        }
        if self.band is not None:
            data["band"] = list(self.band)
        return data


class ClaimLog:
    """Collects claims while the facts are worded; each method returns the phrase it recorded."""

    def __init__(self) -> None:
        self.claims: list[Claim] = []

    def add(self, claim: Claim) -> str:
        self.claims.append(claim)
        return claim.phrase

    def number(self, path: str, value: float, unit: str, phrase: str, stated: float, rule: str,
               targets: tuple[str, ...] = PROMPT_TARGETS) -> str:
        tolerance = ratio_tolerance(value) if rule == "ratio" else TOLERANCES.get(rule)
        return self.add(Claim(path, round(value, 6), unit, phrase, stated, rule, tolerance, None, targets))

    def word(self, path: str, value: ClaimValue, unit: str, phrase: str, stated: ClaimValue, rule: str,
             band: tuple[float | None, float | None] | None = None, targets: tuple[str, ...] = PROMPT_TARGETS) -> str:
        if isinstance(value, float):
            value = round(value, 6)
        return self.add(Claim(path, value, unit, phrase, stated, rule, TOLERANCES.get(rule), band, targets))
