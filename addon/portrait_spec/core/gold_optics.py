"""Optical constants of gold alloys for a Physical Conductor (complex IOR) metal, per R, G, B.

24k is MEASURED: pbrt-v4's ``Au_eta``/``Au_k`` spectra sampled at 650, 550 and 450 nm (see
shared/reference/physics.md), giving normal-incidence reflectance F0 = (0.940, 0.848, 0.386).

The other karats are APPROXIMATIONS: no measured n, k for these alloys was found. They are
built in two documented steps, and flagged ``measured = False``:

1. Colour at normal incidence: F0 is the mass-fraction-weighted mean of the constituents'
   F0 (Au measured as above; Ag (0.972, 0.960, 0.915), Cu (0.955, 0.638, 0.538) and, for white
   gold's palladium, Pt (0.673, 0.637, 0.585) as a stand-in, from the linear F0 table in
   Akenine-Moller et al., "Real-Time Rendering", 4th ed., Table 9.2). Alloying does not mix
   reflectances linearly (it shifts gold's interband edge), so treat these as colour matches
   in the spirit of Roberts & Clarke, "The colour characteristics of gold alloys", Gold
   Bulletin 12(1), 1979, not as physics.
2. Complex index from colour: Gulbrandsen, "Artist Friendly Metallic Fresnel", JCGT 3(4),
   2014, maps a reflectivity r (= F0) and an edge tint g to (n, k). The edge tint g of every
   alloy is taken from measured 24k gold (inverting the same mapping), so the alloys keep
   gold's grazing-angle behaviour.

Alloy compositions (mass fractions Au/Ag/Cu/Pd): 22k 0.917/0.05/0.033/0; 18k yellow
0.75/0.125/0.125/0; 14k yellow 0.585/0.205/0.21/0; rose (18k) 0.75/0.0275/0.2225/0; white
(18k, unplated) 0.75/0/0/0.25. White gold sold in shops is usually rhodium plated; unplated it
stays faintly yellow, as here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

Rgb = tuple[float, float, float]

WAVELENGTHS_NM: Rgb = (650.0, 550.0, 450.0)
AU_N: Rgb = (0.168, 0.350, 1.509)
AU_K: Rgb = (3.138, 2.714, 1.879)

_F0_AG: Rgb = (0.972, 0.960, 0.915)
_F0_CU: Rgb = (0.955, 0.638, 0.538)
_F0_PD_STANDIN: Rgb = (0.673, 0.637, 0.585)  # platinum's F0 standing in for palladium

COMPOSITIONS: dict[str, tuple[float, float, float, float]] = {
    "24k": (1.0, 0.0, 0.0, 0.0),
    "22k": (0.917, 0.05, 0.033, 0.0),
    "18k": (0.75, 0.125, 0.125, 0.0),
    "14k": (0.585, 0.205, 0.21, 0.0),
    "rose": (0.75, 0.0275, 0.2225, 0.0),
    "white": (0.75, 0.0, 0.0, 0.25),
}


@dataclass(frozen=True)
class ConductorOptics:
    karat: str
    n: Rgb
    k: Rgb
    measured: bool
    source: str

    @property
    def f0(self) -> Rgb:
        return _triple(fresnel_conductor(1.0, n, k) for n, k in zip(self.n, self.k, strict=False))


def _triple(values: Iterable[float]) -> Rgb:
    a, b, c = values
    return (float(a), float(b), float(c))


def fresnel_conductor(cos_i: float, n: float, k: float) -> float:
    """Unpolarised reflectance of a conductor with complex IOR n + ik, from air (exact)."""
    cos_i = min(max(cos_i, 0.0), 1.0)
    sin2 = 1.0 - cos_i * cos_i
    a2b2_re = n * n - k * k - sin2
    a2b2 = math.sqrt(a2b2_re * a2b2_re + 4.0 * n * n * k * k)
    a = math.sqrt(max(0.5 * (a2b2 + a2b2_re), 0.0))
    rs = (a2b2 + cos_i * cos_i - 2.0 * a * cos_i) / (a2b2 + cos_i * cos_i + 2.0 * a * cos_i)
    rp = rs * (a2b2 * cos_i * cos_i + sin2 * sin2 - 2.0 * a * cos_i * sin2) / (
        a2b2 * cos_i * cos_i + sin2 * sin2 + 2.0 * a * cos_i * sin2)
    return 0.5 * (rs + rp)


def f0_from_nk(n: float, k: float) -> float:
    return ((n - 1.0) ** 2 + k * k) / ((n + 1.0) ** 2 + k * k)


def _n_bounds(r: float) -> tuple[float, float]:
    sr = math.sqrt(r)
    return (1.0 - r) / (1.0 + r), (1.0 + sr) / (1.0 - sr)


def nk_from_reflectivity(r: float, g: float) -> tuple[float, float]:
    """Gulbrandsen 2014: reflectivity r (F0) and edge tint g in 0..1 to (n, k)."""
    r = min(max(r, 0.0), 0.9999)
    n_min, n_max = _n_bounds(r)
    n = g * n_min + (1.0 - g) * n_max
    k = math.sqrt(max((r * (n + 1.0) ** 2 - (n - 1.0) ** 2) / (1.0 - r), 0.0))
    return n, k


def edge_tint_from_nk(n: float, k: float) -> float:
    """The inverse of ``nk_from_reflectivity`` for g (n alone fixes it once r is known)."""
    n_min, n_max = _n_bounds(f0_from_nk(n, k))
    return (n_max - n) / (n_max - n_min)


def gold_optics(karat: str) -> ConductorOptics:
    if karat not in COMPOSITIONS:
        raise ValueError(f"unknown karat {karat!r}; expected one of {', '.join(COMPOSITIONS)}")
    if karat == "24k":
        return ConductorOptics("24k", AU_N, AU_K, True, "measured: pbrt-v4 Au spectra at 650/550/450 nm")
    au, ag, cu, pd = COMPOSITIONS[karat]
    f0_au = [f0_from_nk(n, k) for n, k in zip(AU_N, AU_K, strict=False)]
    f0 = [au * a + ag * b + cu * c + pd * d for a, b, c, d in zip(f0_au, _F0_AG, _F0_CU, _F0_PD_STANDIN, strict=False)]
    tints = [edge_tint_from_nk(n, k) for n, k in zip(AU_N, AU_K, strict=False)]
    nk = [nk_from_reflectivity(r, g) for r, g in zip(f0, tints, strict=False)]
    return ConductorOptics(
        karat,
        _triple(n for n, _ in nk),
        _triple(k for _, k in nk),
        False,
        "APPROXIMATION: mass-weighted F0 of Au/Ag/Cu/Pd, Gulbrandsen 2014 (n, k) with 24k edge tint",
    )
