"""The inverse of ``core.skin_tone``: melanin and haemoglobin fractions from a linear-RGB albedo.

``verify`` reads the skin material's base colour and states the melanin the colour really has.
Both chromophores are fitted (haemoglobin moves the colour too, so holding it at the spec's value
would blame a blood change on melanin). The fit minimises the squared log-ratio per channel
(relative error, so dark and fair skin weigh alike) over the spec's ranges: a coarse grid, then
a compass search down to 1e-7. ``residual`` is the largest relative channel error left: a colour
the model cannot produce (painted by hand) shows up there instead of as a plausible melanin.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .skin_tone import skin_albedo

MELANIN_RANGE = (0.0, 0.5)  # spec field ranges (core.spec SkinToneSpec)
HAEMOGLOBIN_RANGE = (0.0, 0.2)
GRID = 11
FINEST_STEP = 1e-7


@dataclass(frozen=True)
class ChromophoreFit:
    melanin: float
    haemoglobin: float
    residual: float  # max |fitted / given - 1| over the channels


def _log_rgb(rgb: tuple[float, float, float]) -> tuple[float, ...]:
    return tuple(math.log(max(c, 1e-9)) for c in rgb)


def fit_chromophores(rgb: tuple[float, float, float]) -> ChromophoreFit:
    target = _log_rgb(rgb)

    def error(m: float, h: float) -> float:
        return sum((a - b) ** 2 for a, b in zip(_log_rgb(skin_albedo(m, h)), target, strict=True))

    (m_lo, m_hi), (h_lo, h_hi) = MELANIN_RANGE, HAEMOGLOBIN_RANGE
    step_m, step_h = (m_hi - m_lo) / (GRID - 1), (h_hi - h_lo) / (GRID - 1)
    grid = [(m_lo + i * step_m, h_lo + j * step_h) for i in range(GRID) for j in range(GRID)]
    m, h = min(grid, key=lambda p: error(*p))
    best = error(m, h)
    while max(step_m, step_h) > FINEST_STEP:
        moved = False
        for dm, dh in ((step_m, 0.0), (-step_m, 0.0), (0.0, step_h), (0.0, -step_h)):
            cm, ch = min(max(m + dm, m_lo), m_hi), min(max(h + dh, h_lo), h_hi)
            e = error(cm, ch)
            if e < best:
                m, h, best, moved = cm, ch, e, True
                break
        if not moved:
            step_m, step_h = step_m / 2.0, step_h / 2.0
    fitted = skin_albedo(m, h)
    residual = max(abs(f / max(c, 1e-9) - 1.0) for f, c in zip(fitted, rgb, strict=True))
    return ChromophoreFit(m, h, residual)
