"""Physical lengths that remember the unit they were written in.

Distances in a spec are strings with a unit ("8 ft", "2.4384 m", "30 cm", "96 in") or bare
numbers, which mean metres. The written unit is kept so that spec -> TOML -> spec is lossless
and the prompt can say "8 feet" where the user thought in feet.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

METRES_PER_UNIT: dict[str, float] = {
    "m": 1.0,
    "cm": 0.01,
    "mm": 0.001,
    "ft": 0.3048,
    "in": 0.0254,
}

_ALIASES = {
    "meter": "m", "meters": "m", "metre": "m", "metres": "m",
    "centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
    "millimeter": "mm", "millimeters": "mm", "millimetre": "mm", "millimetres": "mm",
    "foot": "ft", "feet": "ft", "'": "ft",
    "inch": "in", "inches": "in", '"': "in",
}

_PATTERN = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z'\"]+)\s*$")

ALLOWED_DISTANCE = 'a number in metres or a string with a unit: m, cm, mm, ft, in (e.g. "8 ft")'


@dataclass(frozen=True)
class Distance:
    """A length: ``value`` in ``unit``; ``metres`` is the canonical value."""

    value: float
    unit: str = "m"

    def __post_init__(self) -> None:
        if self.unit not in METRES_PER_UNIT:
            raise ValueError(f"unknown length unit {self.unit!r}")
        if not math.isfinite(self.value):
            raise ValueError("length must be finite")

    @property
    def metres(self) -> float:
        return self.value * METRES_PER_UNIT[self.unit]

    @classmethod
    def from_metres(cls, metres: float, unit: str = "m") -> Distance:
        return cls(metres / METRES_PER_UNIT[unit], unit)

    def to_toml(self) -> str | float:
        if self.unit == "m":
            return self.value
        return f"{_format_number(self.value)} {self.unit}"

    def __str__(self) -> str:
        return f"{_format_number(self.value)} {self.unit}"


def _format_number(x: float) -> str:
    # repr gives the shortest string that round-trips exactly.
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def parse_distance(raw: object) -> Distance:
    """Parse a TOML value into a Distance; raises ValueError with a readable reason."""
    if isinstance(raw, bool):
        raise ValueError("a boolean is not a length")
    if isinstance(raw, (int, float)):
        try:
            return Distance(float(raw), "m")
        except OverflowError:  # an integer beyond any float, e.g. 400 digits
            raise ValueError("a number too large to be a length") from None
    if isinstance(raw, str):
        match = _PATTERN.match(raw)
        if not match:
            raise ValueError("not a length")
        number, unit = match.groups()
        unit = _ALIASES.get(unit.lower(), unit.lower())
        if unit not in METRES_PER_UNIT:
            raise ValueError(f"unknown unit {unit!r}")
        return Distance(float(number), unit)
    raise ValueError("not a length")


def feet(metres: float) -> float:
    return metres / METRES_PER_UNIT["ft"]
