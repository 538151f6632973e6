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

from ..spec import PROMPT_TARGETS

ClaimValue = float | str | bool | tuple[int, ...]

# Quantities computed from several spec fields, named under the section they belong to.
DERIVED: dict[str, str] = {
    "apparent_size": "sqrt(emitting area) / distance from the focus point (phrases.apparent_size)",
}

# Verify tolerances by rule, in the claim's unit: the rounding of the phrase plus what a
# render can measure. A phrase states angles to 1 deg, stops to 0.1, distances to 0.5 ft / 0.1 m.
TOLERANCES: dict[str, float] = {
    "angle": 2.0,
    "stops": 0.1,
    "ratio": 0.1,
    "distance_ft": 0.25,
    "distance_m": 0.05,
    "length_in": 0.5,
    "length_cm": 0.5,
    "mm": 0.005,
    "roughness": 0.005,
    "kelvin": 50.0,
    "rgb": 0.0,
    "focal_length": 0.5,
    "f_number": 0.05,
    "percent": 0.5,
}


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
        return self.add(Claim(path, round(value, 6), unit, phrase, stated, rule, TOLERANCES.get(rule), None, targets))

    def word(self, path: str, value: ClaimValue, unit: str, phrase: str, stated: ClaimValue, rule: str,
             band: tuple[float | None, float | None] | None = None, targets: tuple[str, ...] = PROMPT_TARGETS) -> str:
        if isinstance(value, float):
            value = round(value, 6)
        return self.add(Claim(path, value, unit, phrase, stated, rule, TOLERANCES.get(rule), band, targets))
