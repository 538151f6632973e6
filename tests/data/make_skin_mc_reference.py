"""Monte Carlo reference for ``core.skin_tone``: writes ``skin_mc_reference.json`` next to itself.

An independent solution of the transport problem the closed form in ``core.skin_tone`` claims to
solve: photons enter a layered skin at normal incidence (specular reflection excluded), scatter
isotropically with mu_s', lose weight exp(-mu_a * path) per layer crossed (microscopic
Beer-Lambert), meet an exact Fresnel boundary (index 1.4) at the surface and leave or reflect.
The optical coefficients are the measured ones in ``core.skin_tone.layer_coefficients``; only
the transport differs. Before writing, the code checks itself against the exact albedo of an
index-matched half-space of isotropic scatterers, 1 - H(1) sqrt(1 - w) (Chandrasekhar's
H-function, solved here by iteration), and refuses to write if it is off by more than 0.003.

Needs numpy (run with a Blender venv's python); takes about a minute:

    .venv/blender-4.5/bin/python tests/data/make_skin_mc_reference.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "addon"))

from portrait_spec.core import skin_tone as st

PHOTONS = 100_000
CASES_MELANIN = (0.0, 0.013, 0.03, 0.063, 0.13, 0.3, 0.43)
CASES_BLOOD = (0.002, 0.01, 0.05)
CASES_NM = (450.0, 550.0, 650.0)


def fresnel(cos_i: np.ndarray, n1: float, n2: float) -> np.ndarray:
    sin_t = n1 / n2 * np.sqrt(np.maximum(0.0, 1.0 - cos_i ** 2))
    cos_t = np.sqrt(np.maximum(0.0, 1.0 - sin_t ** 2))
    rs = ((n1 * cos_i - n2 * cos_t) / (n1 * cos_i + n2 * cos_t)) ** 2
    rp = ((n1 * cos_t - n2 * cos_i) / (n1 * cos_t + n2 * cos_i)) ** 2
    return np.where(sin_t >= 1.0, 1.0, 0.5 * (rs + rp))


def simulate(mua_epi: float, mua_derm: float, mus: float, d: float, eta: float, seed: int) -> tuple[float, float]:
    """(reflectance, its standard error) of the layered half-space; lengths in cm."""
    rng = np.random.default_rng(seed)
    z, uz, w = np.zeros(PHOTONS), np.ones(PHOTONS), np.ones(PHOTONS)
    idx = np.arange(PHOTONS)
    escaped = np.zeros(PHOTONS)
    while z.size:
        step = -np.log(rng.random(z.size)) / mus
        z1 = z + uz * step
        out = z1 < 0.0
        step = np.where(out, z / np.where(out, -uz, 1.0), step)
        z1 = np.where(out, 0.0, z1)
        lo, hi = np.minimum(z, z1), np.maximum(z, z1)
        span = hi - lo
        in_epi = np.where(span > 0.0, np.clip(np.minimum(hi, d) - lo, 0.0, None) / np.where(span > 0.0, span, 1.0),
                          (z < d).astype(float))
        w = w * np.exp(-mua_epi * step * in_epi - mua_derm * step * (1.0 - in_epi))
        z = z1
        keep = np.ones(z.size, bool)
        hit = np.nonzero(out)[0]
        if hit.size:
            reflect = rng.random(hit.size) < fresnel(-uz[hit], eta, 1.0)
            np.add.at(escaped, idx[hit[~reflect]], w[hit[~reflect]])
            keep[hit[~reflect]] = False
            uz[hit[reflect]] *= -1.0
        scatter = keep & ~out
        uz = np.where(scatter, 2.0 * rng.random(z.size) - 1.0, uz)
        faint = w < 1e-3
        survive = rng.random(z.size) < 0.1  # Russian roulette keeps the estimate unbiased
        w = np.where(faint & survive, w * 10.0, w)
        keep &= ~(faint & ~survive)
        z, uz, w, idx = z[keep], uz[keep], w[keep], idx[keep]
    return float(escaped.mean()), float(escaped.std() / np.sqrt(PHOTONS))


def exact_half_space_albedo(albedo: float, nodes: int = 400) -> float:
    x, wt = np.polynomial.legendre.leggauss(nodes)
    x, wt = (x + 1.0) / 2.0, wt / 2.0
    h = np.ones(nodes)
    for _ in range(2000):
        h = 1.0 / (np.sqrt(1.0 - albedo) + albedo / 2.0 * np.sum(wt * x * h / (x[:, None] + x), axis=1))
    h1 = 1.0 / (np.sqrt(1.0 - albedo) + albedo / 2.0 * np.sum(wt * x * h / (1.0 + x)))
    return float(1.0 - h1 * np.sqrt(1.0 - albedo))


def main() -> None:
    for albedo in (0.9, 0.99):
        mc, err = simulate(1.0 - albedo, 1.0 - albedo, albedo, 0.0, 1.0, seed=7)
        exact = exact_half_space_albedo(albedo)
        print(f"self-check w={albedo}: Monte Carlo {mc:.4f} +- {err:.4f}, exact {exact:.4f}")
        if abs(mc - exact) > 0.003:
            raise SystemExit("Monte Carlo disagrees with the exact H-function albedo; not writing")
    rows = []
    d_cm = st.EPIDERMIS_MM * 0.1
    for m in CASES_MELANIN:
        for h in CASES_BLOOD:
            for nm in CASES_NM:
                coeffs = st.layer_coefficients(m, h, st.WAVELENGTHS_NM.index(nm))
                r, err = simulate(*coeffs, d_cm, st.ETA, seed=len(rows))
                rows.append({"melanin": m, "haemoglobin": h, "nm": nm, "reflectance": round(r, 4),
                             "stderr": round(err, 4)})
                print(rows[-1], flush=True)
    out = {"photons": PHOTONS, "epidermis_mm": st.EPIDERMIS_MM, "eta": st.ETA, "rows": rows}
    (Path(__file__).with_name("skin_mc_reference.json")).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
