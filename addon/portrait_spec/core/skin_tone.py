"""Skin colour from chromophores: melanin and haemoglobin amounts to a linear-RGB albedo.

A two-layer spectral model in the spirit of Donner & Jensen, "A Spectral BSSRDF for Shading
Human Skin" (EGSR 2006), simplified to what a base colour needs:

* Epidermis (``EPIDERMIS_MM`` thick): melanin volume fraction ``melanin`` with the melanosome
  absorption of Jacques, "Skin Optics" (Oregon Medical Laser Center News, 1998),
  mu_a = 6.6e11 * lambda^-3.33 /cm (lambda in nm); the rest is bloodless baseline tissue,
  mu_a = 0.244 + 85.3 * exp(-(lambda - 154) / 66.2) /cm (same source). It is a Kubelka-Munk
  layer over the dermis (K = 2 mu_a, S = 3/4 mu_s', the usual diffusion correspondence), so it
  both absorbs on the way in and out and back-scatters some light before the melanin.
* Dermis (semi-infinite): blood volume fraction ``haemoglobin`` (whole blood, 150 g/L
  haemoglobin of 64,500 g/mol, 75 % oxygen saturation) with the molar extinction spectra of
  oxy- and deoxy-haemoglobin tabulated by S. Prahl (OMLC, from Gratzer and Kollias), plus
  baseline tissue; reduced scattering mu_s' = 46 * (lambda / 500)^-1.421 /cm, the mean fit for
  skin in Jacques, "Optical properties of biological tissues: a review", Phys. Med. Biol. 58
  (2013), used for the epidermis too. Its diffuse reflectance is the classical dipole result of
  Jensen et al., "A Practical Model for Subsurface Light Transport" (SIGGRAPH 2001):
  R_d = a'/2 * (1 + exp(-4/3 * A * sqrt(3(1 - a')))) * exp(-sqrt(3(1 - a'))), with reduced
  albedo a' = mu_s' / (mu_s' + mu_a) and the internal-reflection term A for eta = 1.4. This is
  the same albedo relation Cycles inverts for its Random Walk subsurface, so the albedo here
  is directly a Principled BSDF base colour.

The reflectance spectrum (400-700 nm, 10 nm steps) goes to CIE XYZ with the analytic fit to
the CIE 1931 2-degree observer of Wyman, Sloan and Shirley, "Simple Analytic Approximations to
the CIE XYZ Color Matching Functions" (JCGT 2(2), 2013), under an equal-energy illuminant, then
to linear Rec.709/sRGB primaries; each channel is divided by that of a perfect white
reflector so that reflectance 1 maps to (1, 1, 1).
"""

from __future__ import annotations

import math

WAVELENGTHS_NM: tuple[float, ...] = tuple(400.0 + 10.0 * i for i in range(31))

# Prahl's molar extinction coefficients, cm^-1 / (mol/L), at WAVELENGTHS_NM.
HBO2: tuple[float, ...] = (
    266232, 466840, 480360, 246072, 102580, 62816, 44480, 33209.2, 26629.2, 23684.4, 20932.8,
    20035.2, 24202.4, 39956.8, 53236, 43016, 32613.2, 44496, 50104, 14400.8, 3200, 1506, 942, 610,
    442, 368, 319.6, 294, 277.6, 276, 290,
)
HB: tuple[float, ...] = (
    223296, 303956, 407560, 528600, 413280, 103292, 23388.8, 16156.4, 14550, 16684, 20862,
    25773.6, 31589.6, 39036.4, 46592, 53412, 53788, 45072, 37020, 28324.4, 14677.2, 9443.6, 6509.6,
    5148.8, 4345.2, 3750.12, 3226.56, 2795.12, 2407.92, 2051.96, 1794.28,
)

EPIDERMIS_MM = 0.06  # about 60 um on the cheeks and forehead
OXYGEN_SATURATION = 0.75
HB_GRAMS_PER_LITRE = 150.0
HB_GRAMS_PER_MOLE = 64500.0
ETA = 1.4  # refractive index of skin

# CIE XYZ -> linear sRGB (Rec.709 primaries, D65), IEC 61966-2-1.
_XYZ_TO_RGB = (
    (3.2404542, -1.5371385, -0.4985314),
    (-0.9692660, 1.8760108, 0.0415560),
    (0.0556434, -0.2040259, 1.0572252),
)


def _g(x: float, mu: float, s1: float, s2: float) -> float:
    t = (x - mu) / (s1 if x < mu else s2)
    return math.exp(-0.5 * t * t)


def cie_xyz_bar(lam: float) -> tuple[float, float, float]:
    """Wyman, Sloan & Shirley 2013 multi-lobe fit of the CIE 1931 colour matching functions."""
    x = 1.056 * _g(lam, 599.8, 37.9, 31.0) + 0.362 * _g(lam, 442.0, 16.0, 26.7) - 0.065 * _g(lam, 501.1, 20.4, 26.2)
    y = 0.821 * _g(lam, 568.8, 46.9, 40.5) + 0.286 * _g(lam, 530.9, 16.3, 31.1)
    z = 1.217 * _g(lam, 437.0, 11.8, 36.0) + 0.681 * _g(lam, 459.0, 26.0, 13.8)
    return x, y, z


def melanin_absorption(lam: float) -> float:
    """Melanosome absorption coefficient, 1/cm (Jacques 1998)."""
    return 6.6e11 * lam ** -3.33


def baseline_absorption(lam: float) -> float:
    """Bloodless, melanin-free tissue absorption, 1/cm (Jacques 1998)."""
    return 0.244 + 85.3 * math.exp(-(lam - 154.0) / 66.2)


def blood_absorption(i: int) -> float:
    """Whole-blood absorption at WAVELENGTHS_NM[i], 1/cm."""
    eps = OXYGEN_SATURATION * HBO2[i] + (1.0 - OXYGEN_SATURATION) * HB[i]
    return math.log(10.0) * eps * HB_GRAMS_PER_LITRE / HB_GRAMS_PER_MOLE


def reduced_scattering(lam: float) -> float:
    """Reduced scattering coefficient mu_s' of skin, 1/cm (Jacques 2013)."""
    return 46.0 * (lam / 500.0) ** -1.421


def kubelka_munk(k: float, s: float, thickness: float, background: float) -> float:
    """Reflectance of a layer (absorption K, scattering S per unit length) over a background."""
    a = (s + k) / s
    b = math.sqrt(a * a - 1.0)
    coth = 1.0 / math.tanh(b * s * thickness)
    return (1.0 - background * (a - b * coth)) / (a - background + b * coth)


def diffuse_reflectance(reduced_albedo: float, eta: float = ETA) -> float:
    """Jensen et al. 2001 total diffuse reflectance of a semi-infinite scattering medium."""
    fdr = -1.440 / (eta * eta) + 0.710 / eta + 0.668 + 0.0636 * eta
    a = (1.0 + fdr) / (1.0 - fdr)
    s = math.sqrt(3.0 * (1.0 - reduced_albedo))
    return 0.5 * reduced_albedo * (1.0 + math.exp(-4.0 / 3.0 * a * s)) * math.exp(-s)


def reflectance_spectrum(melanin: float, haemoglobin: float) -> list[float]:
    if not (0.0 <= melanin <= 1.0 and 0.0 <= haemoglobin <= 1.0):
        raise ValueError("melanin and haemoglobin are volume fractions in 0..1")
    out = []
    d_cm = EPIDERMIS_MM * 0.1
    for i, lam in enumerate(WAVELENGTHS_NM):
        base = baseline_absorption(lam)
        mu_epi = melanin * melanin_absorption(lam) + (1.0 - melanin) * base
        mu_derm = haemoglobin * blood_absorption(i) + (1.0 - haemoglobin) * base
        mus = reduced_scattering(lam)
        r_derm = diffuse_reflectance(mus / (mus + mu_derm))
        out.append(kubelka_munk(2.0 * mu_epi, 0.75 * mus, d_cm, r_derm))
    return out


def spectrum_to_linear_rgb(spectrum: list[float]) -> tuple[float, float, float]:
    """Reflectance spectrum on WAVELENGTHS_NM to white-normalised linear sRGB."""
    def to_rgb(values: list[float]) -> list[float]:
        xyz = [0.0, 0.0, 0.0]
        for lam, v in zip(WAVELENGTHS_NM, values, strict=False):
            bar = cie_xyz_bar(lam)
            for c in range(3):
                xyz[c] += v * bar[c]
        return [sum(m * x for m, x in zip(row, xyz, strict=False)) for row in _XYZ_TO_RGB]

    white = to_rgb([1.0] * len(WAVELENGTHS_NM))
    rgb = to_rgb(spectrum)
    r, g, b = (min(max(c / w, 0.0), 1.0) for c, w in zip(rgb, white, strict=False))
    return (r, g, b)


def skin_albedo(melanin: float, haemoglobin: float) -> tuple[float, float, float]:
    """Linear-RGB diffuse albedo of skin for a melanin and a blood volume fraction."""
    return spectrum_to_linear_rgb(reflectance_spectrum(melanin, haemoglobin))
