"""Skin colour from chromophores: melanin and haemoglobin amounts to a linear-RGB albedo.

The skin is a melanin-bearing epidermis (``EPIDERMIS_MM`` thick) over a semi-infinite dermis
holding blood, under a smooth surface of refractive index ``ETA``. What is returned is the light
that comes back out through the surface per unit light that went in (the surface's own specular
reflection excluded), which is what a Principled BSDF base colour means: Cycles adds the dielectric
specular layer itself and inverts its Random Walk subsurface so that a thick slab returns the base
colour as its multiple-scattering albedo (Chiang, Kutz & Burley, "Practical and Controllable
Subsurface Scattering for Production Path Tracing", SIGGRAPH 2016 talk).

Measured optical coefficients (lambda in nm):

* Melanosome interior absorption 6.6e11 * lambda^-3.33 /cm and bloodless, melanin-free tissue
  absorption 0.244 + 85.3 exp(-(lambda - 154)/66.2) /cm: S. L. Jacques, "Skin Optics", Oregon
  Medical Laser Center News (Jan 1998, omlc.org/news/jan98/skinoptics.html). The same note gives
  the epidermal melanosome volume fraction of light-skinned adults as 1.3-6.3 %, moderately
  pigmented 11-16 %, darkly pigmented 18-43 % (``melanin`` here), and 0.2 % as a typical dermal
  blood volume fraction. Laser-Doppler Monte Carlo fits agree: 0.08 % in the forearm at rest,
  0.63 % heated, 1.2 % in the finger pulp (Fredriksson et al., J. Biomed. Opt. 13(1) 014015, 2008).
* Whole blood (150 g/L haemoglobin of 64,500 g/mol, 75 % oxygen saturation) with the molar
  extinction of oxy- and deoxy-haemoglobin tabulated by S. Prahl (omlc.org, from Gratzer and
  Kollias), as volume fraction ``haemoglobin`` of the dermis.
* Reduced scattering mu_s' = 46 (lambda/500)^-1.421 /cm in both layers, the mean fit for skin in
  Jacques, "Optical properties of biological tissues: a review", Phys. Med. Biol. 58 R37 (2013).
* Epidermis 60 um: facial epidermis measures 30-63 um in histology (Chopra et al., "A
  Comprehensive Examination of Topographic Thickness of Skin in the Human Face", Aesthet. Surg.
  J. 35(8), 2015); only the product melanin x thickness matters to the colour.

Transport, per wavelength (isotropic scattering with mu_s', the similarity rule):

* The dermis is a half-space of single-scattering albedo w = mu_s' / (mu_s' + mu_a), index
  matched to the epidermis. Its reflectance for a normal beam is (1 - g) / (1 + 2g) and for
  diffuse light (1 - g) / (1 + g), g = sqrt(1 - w): Hapke's approximation of Chandrasekhar's
  H-function for isotropic scatterers (B. Hapke, J. Geophys. Res. 86, 3039, 1981; within 1 % of
  the exact H-function results at these albedos).
* The epidermis: the beam loses exp(-(mu_a + mu_s') d) on the way down; light scattered once in
  the epidermis either leaves (attenuated by extinction on the way up) or joins the diffuse light
  going down; diffuse light crossing the layer at direction cosine mu is attenuated by
  exp(-mu_a d / mu).
* The surface: the exact Fresnel reflectance of an ``ETA`` to air boundary at each angle, so
  light beyond the critical angle returns through the melanin again (Saunderson's correction,
  angle by angle) before it can leave.

Check: a Monte Carlo photon simulation of this same layered medium (checked against the exact
H-function albedos to 0.001, ``tests/data/make_skin_mc_reference.py``) agrees with this closed
form within 0.025 absolute at 450/550/650 nm for melanin 0-43 % and blood 0.2-5 %
(``tests/test_skin_tone.py``). The model this replaces put the refractive boundary under the
epidermis (light reflected back at the surface never crossed the melanin again) and took 5 %
blood through the whole dermis, 25 times Jacques's typical value, which made every skin too dark.

The reflectance spectrum (400-700 nm, 10 nm steps) goes to CIE XYZ with the analytic fit to the
CIE 1931 2-degree observer of Wyman, Sloan and Shirley, "Simple Analytic Approximations to the
CIE XYZ Color Matching Functions" (JCGT 2(2), 2013), under an equal-energy illuminant, then to
linear Rec.709/sRGB primaries; each channel is divided by that of a perfect white reflector so
that reflectance 1 maps to (1, 1, 1).
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

EPIDERMIS_MM = 0.06
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


def fresnel_from_inside(mu: float, eta: float = ETA) -> float:
    """Unpolarised Fresnel reflectance for light inside a medium of index ``eta`` meeting its
    boundary with air at direction cosine ``mu`` (1 beyond the critical angle)."""
    sin_t = eta * math.sqrt(max(0.0, 1.0 - mu * mu))
    if sin_t >= 1.0:
        return 1.0
    cos_t = math.sqrt(1.0 - sin_t * sin_t)
    rs = ((eta * mu - cos_t) / (eta * mu + cos_t)) ** 2
    rp = ((eta * cos_t - mu) / (eta * cos_t + mu)) ** 2
    return 0.5 * (rs + rp)


def half_space_reflectance(albedo: float) -> tuple[float, float]:
    """(normal-beam, diffuse) reflectance of an index-matched half-space of isotropic scatterers
    with single-scattering albedo ``albedo`` (Hapke 1981)."""
    g = math.sqrt(max(0.0, 1.0 - albedo))
    return (1.0 - g) / (1.0 + 2.0 * g), (1.0 - g) / (1.0 + g)


def _gauss_legendre(n: int) -> list[tuple[float, float]]:
    """Nodes and weights on [0, 1]."""
    out = []
    for k in range(1, n + 1):
        x = math.cos(math.pi * (k - 0.25) / (n + 0.5))
        for _ in range(100):
            p0, p1 = 1.0, x
            for j in range(2, n + 1):
                p0, p1 = p1, ((2 * j - 1) * x * p1 - (j - 1) * p0) / j
            dp = n * (x * p1 - p0) / (x * x - 1.0)
            dx = p1 / dp
            x -= dx
            if abs(dx) < 1e-15:
                break
        out.append((0.5 * (x + 1.0), 1.0 / ((1.0 - x * x) * dp * dp)))
    return out


def _direction_quadrature(n: int = 8) -> tuple[tuple[float, float, float], ...]:
    """(mu, weight, Fresnel) over mu in [0, 1], split at the critical angle; above it mu runs as
    mu_c + (1 - mu_c) t^2 to smooth Fresnel's square-root onset. Eight nodes a side keep the
    integrals within 2e-4 of a 200-node rule."""
    mu_c = math.sqrt(1.0 - 1.0 / (ETA * ETA))
    nodes = [(mu_c * t, mu_c * w, 1.0) for t, w in _gauss_legendre(n)]
    for t, w in _gauss_legendre(n):
        mu = mu_c + (1.0 - mu_c) * t * t
        nodes.append((mu, 2.0 * (1.0 - mu_c) * t * w, fresnel_from_inside(mu)))
    return tuple(nodes)


_DIRECTIONS = _direction_quadrature()


def _depth_integral(k: float, d: float) -> float:
    """Integral of exp(-k z) over z in [0, d] (k may be zero or negative)."""
    x = k * d
    return d if abs(x) < 1e-12 else -math.expm1(-x) / k


def layered_reflectance(mua_epi: float, mua_derm: float, mus: float, d: float) -> float:
    """Light returned through the surface per unit light entering at normal incidence: an
    epidermis of absorption ``mua_epi`` and thickness ``d`` over a dermis of absorption
    ``mua_derm``, both with reduced scattering ``mus`` (1/cm and cm)."""
    r_beam, r_diffuse = half_space_reflectance(mus / (mus + mua_derm))
    a, ext = mua_epi, mua_epi + mus
    beam_left = math.exp(-ext * d)
    escape = back = single = down = 0.0
    for mu, w, fresnel in _DIRECTIONS:
        through = math.exp(-a * d / mu)
        escape += w * 2.0 * mu * through * (1.0 - fresnel)        # diffuse from the dermis leaves
        back += w * 2.0 * mu * through * through * fresnel         # ... or is reflected back down
        up = 0.5 * mus * _depth_integral(ext + ext / mu, d)        # scattered once, heading up
        single += w * (1.0 - fresnel) * up
        down += w * fresnel * math.exp(-ext * d / mu) * up         # ... reflected down to the dermis
        k = ext - a / mu                                           # scattered once, heading down
        down += w * 0.5 * mus * (through * _depth_integral(k, d) if k >= 0.0
                                 else beam_left * _depth_integral(-k, d))
    from_dermis = beam_left * r_beam + r_diffuse * down
    return single + from_dermis * escape / (1.0 - r_diffuse * back)


def layer_coefficients(melanin: float, haemoglobin: float, i: int) -> tuple[float, float, float]:
    """(epidermal absorption, dermal absorption, reduced scattering) at WAVELENGTHS_NM[i], 1/cm."""
    lam = WAVELENGTHS_NM[i]
    base = baseline_absorption(lam)
    mua_epi = melanin * melanin_absorption(lam) + (1.0 - melanin) * base
    mua_derm = haemoglobin * blood_absorption(i) + (1.0 - haemoglobin) * base
    return mua_epi, mua_derm, reduced_scattering(lam)


def reflectance_spectrum(melanin: float, haemoglobin: float) -> list[float]:
    if not (0.0 <= melanin <= 1.0 and 0.0 <= haemoglobin <= 1.0):
        raise ValueError("melanin and haemoglobin are volume fractions in 0..1")
    d_cm = EPIDERMIS_MM * 0.1
    return [layered_reflectance(*layer_coefficients(melanin, haemoglobin, i), d_cm)
            for i in range(len(WAVELENGTHS_NM))]


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
