"""Recovering the number a user meant from Blender's single-precision float properties.

Blender stores FloatProperty values as 32-bit floats, so 0.45 comes back as
0.44999998807907104. ``intended`` returns the simplest number that stores as the same 32-bit
float: a decimal of up to six significant digits, else a fraction with a small denominator (so a
fill nudged by thirds of a stop stays exactly -5/3), else the shortest decimal that does. Any
value written with up to six significant digits (C's FLT_DIG) therefore round-trips exactly through
the panel, as long as it is inside float32's normal range (|x| above about 1.2e-38).
"""

from __future__ import annotations

import math
import struct
from fractions import Fraction

_SHORT_DIGITS = 6
_MAX_DENOMINATOR = 12


def as_float32(x: float) -> float:
    """The value Blender keeps when ``x`` is written to a float property."""
    return float(struct.unpack("<f", struct.pack("<f", x))[0])


def intended(stored: float) -> float:
    if not math.isfinite(stored) or stored == 0.0:
        return float(stored)
    target = as_float32(stored)
    for digits in range(1, _SHORT_DIGITS + 1):
        candidate = float(f"{stored:.{digits}g}")
        if as_float32(candidate) == target:
            return candidate
    fraction = Fraction(stored).limit_denominator(_MAX_DENOMINATOR)
    candidate = fraction.numerator / fraction.denominator
    if as_float32(candidate) == target:
        return candidate
    for digits in range(_SHORT_DIGITS + 1, 18):
        candidate = float(f"{stored:.{digits}g}")
        if as_float32(candidate) == target:
            return candidate
    return float(stored)
