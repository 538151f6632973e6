"""Vellus hair as a fibre layer: the fraction of skin that lying hairs cover, and back.

The hairs are 1-2 mm long and under 30 µm thick, far below a pixel at portrait framings, so the
skin material renders their aggregate (a sheen layer) whose weight is this coverage.
"""

from __future__ import annotations

VELLUS_PER_M2 = 4e6  # ~400 follicles per cm2 on the face (forehead 292/cm2: Otberg et al. 2004, J Invest Dermatol 122:14)
VELLUS_DIAMETER_M = 3e-5  # vellus hairs are under 30 um thick
_COVERAGE_PER_MM = VELLUS_PER_M2 * 1e-3 * VELLUS_DIAMETER_M


def vellus_coverage(length_mm: float) -> float:
    """Fraction of skin covered by lying vellus hairs: density x length x diameter, capped at 1."""
    return min(1.0, _COVERAGE_PER_MM * length_mm)


def vellus_length_from_coverage(coverage: float) -> tuple[float, bool]:
    """(length in mm, clamped): at full coverage only a lower bound on the length is known."""
    return min(coverage, 1.0) / _COVERAGE_PER_MM, coverage >= 1.0
