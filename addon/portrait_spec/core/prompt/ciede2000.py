"""CIELAB and the CIEDE2000 colour difference, for naming 8-bit sRGB colours.

* sRGB (IEC 61966-2-1) decoded to linear, to CIE XYZ with the standard's matrix (D65 white),
  to CIELAB (CIE 15:2004) relative to the white that matrix gives sRGB white (its row sums,
  0.9505, 1, 1.089: D65 to the matrix's precision), so 255/255/255 is exactly L 100, a = b = 0.
* CIEDE2000 (CIE 142-2001) exactly as written out by Sharma, Wu and Dalal, "The CIEDE2000
  Color-Difference Formula: Implementation Notes, Supplementary Test Data, and Mathematical
  Observations", Color Research & Application 30(1), 2005, with kL = kC = kH = 1; their test
  pairs are in ``tests/test_prompt_colors.py``.
"""

from __future__ import annotations

import math

from ..color import srgb_to_linear

Lab = tuple[float, float, float]

# IEC 61966-2-1 linear sRGB -> XYZ (D65).
SRGB_TO_XYZ = (
    (0.4124, 0.3576, 0.1805),
    (0.2126, 0.7152, 0.0722),
    (0.0193, 0.1192, 0.9505),
)
WHITE = tuple(sum(row) for row in SRGB_TO_XYZ)


def _f(t: float) -> float:
    delta = 6.0 / 29.0
    return t ** (1.0 / 3.0) if t > delta ** 3 else t / (3.0 * delta * delta) + 4.0 / 29.0


def lab_from_srgb8(rgb: tuple[int, int, int]) -> Lab:
    linear = [srgb_to_linear(c / 255.0) for c in rgb]
    x, y, z = (sum(m * c for m, c in zip(row, linear, strict=True)) for row in SRGB_TO_XYZ)
    fx, fy, fz = _f(x / WHITE[0]), _f(y / WHITE[1]), _f(z / WHITE[2])
    return (116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz))


def _hue_deg(b: float, a: float) -> float:
    if a == 0.0 and b == 0.0:
        return 0.0
    return math.degrees(math.atan2(b, a)) % 360.0


def delta_e_2000(lab1: Lab, lab2: Lab) -> float:
    """CIEDE2000 difference of two CIELAB colours (Sharma et al. 2005, equations 1-22)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2.0
    g = 0.5 * (1.0 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25.0 ** 7)))
    a1p, a2p = (1.0 + g) * a1, (1.0 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = _hue_deg(b1, a1p), _hue_deg(b2, a2p)

    dl = l2 - l1
    dc = c2p - c1p
    if c1p * c2p == 0.0:
        dh_deg = 0.0
    elif abs(h2p - h1p) <= 180.0:
        dh_deg = h2p - h1p
    elif h2p - h1p > 180.0:
        dh_deg = h2p - h1p - 360.0
    else:
        dh_deg = h2p - h1p + 360.0
    dh = 2.0 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh_deg) / 2.0)

    l_mean = (l1 + l2) / 2.0
    cp_mean = (c1p + c2p) / 2.0
    if c1p * c2p == 0.0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180.0:
        hp_mean = (h1p + h2p) / 2.0
    elif h1p + h2p < 360.0:
        hp_mean = (h1p + h2p + 360.0) / 2.0
    else:
        hp_mean = (h1p + h2p - 360.0) / 2.0

    t = (1.0 - 0.17 * math.cos(math.radians(hp_mean - 30.0)) + 0.24 * math.cos(math.radians(2.0 * hp_mean))
         + 0.32 * math.cos(math.radians(3.0 * hp_mean + 6.0)) - 0.20 * math.cos(math.radians(4.0 * hp_mean - 63.0)))
    d_theta = 30.0 * math.exp(-(((hp_mean - 275.0) / 25.0) ** 2))
    r_c = 2.0 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25.0 ** 7))
    s_l = 1.0 + 0.015 * (l_mean - 50.0) ** 2 / math.sqrt(20.0 + (l_mean - 50.0) ** 2)
    s_c = 1.0 + 0.045 * cp_mean
    s_h = 1.0 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2.0 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (dh / s_h) ** 2 + r_t * (dc / s_c) * (dh / s_h))
