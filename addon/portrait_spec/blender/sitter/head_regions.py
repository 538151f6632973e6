"""Skin regions (``core.spec.SKIN_REGIONS``) on any head, by geometric rules in the head's frame.

For a model whose file has no vertex groups named as the regions. The rules follow the person's
(``person/regions.py``), which work on the same frame: x towards the sitter's left, y backwards
(the face looks along -y), z up, origin at the midpoint between the pupils, metres. Where the
person reads a feature from MakeHuman's own targets (lips, ears) or joints (clavicles), a model
has neither, so those come from landmarks and adult proportions instead. Landmarks are found on
the midline profile (vertices within ``MIDLINE_M`` of x = 0 facing forward, the most forward
point per ``STEP_M`` of height):

* pronasale (nose tip): the most forward profile point 10-60 mm below the eyes;
* subnasale: the deepest profile point in the 20 mm under the tip;
* menton: the lowest profile point within 30-90 mm under the subnasale still in front of the
  pupils' depth + 5 mm (under it the chin turns back into the throat);
* stomion (the mouth's line): a third of the way from the subnasale to the menton (Farkas,
  "Anthropometry of the Head and Face", 1994: sn-sto about 22 of sn-me's 68 mm).

Regions (distances in mm; "facing forward" is a normal with a negative y component), as the
person's where it has the same rule:

* nose_tip, nostrils, nasal_bridge, forehead, chin, cheekbones, cheeks, jawline: the person's.
* lips: 10 mm under to 8 mm over the stomion, within 25 mm of the midline, in front of the
  subnasale's depth + 12 mm, facing forward.
* ears: beyond 62 mm of the midline, 50 mm under to 15 mm over the eyes, 45-125 mm behind the
  pupils (the pinna sits 75-95 mm behind them).
* neck: from the sternal notch + 20 mm up to the menton + 5 mm, within 75 mm of the neck's axis;
  not jawline or chin.
* clavicles: forward-facing skin within 18 mm (front view) of a line from 20 mm beside the
  sternal notch to 150 mm beside it and 20 mm higher, in front of the neck's axis. The notch is
  120 mm under the menton (the bust's proportion; adults 100-130 mm).

Weights are 1 inside a region and 0 outside.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...core.spec import SKIN_REGIONS

MIDLINE_M = 0.004
STEP_M = 0.0025
NOTCH_BELOW_MENTON_M = 0.12


@dataclass(frozen=True)
class Landmarks:
    pronasale: np.ndarray  # (z, y) on the profile
    subnasale: np.ndarray
    menton_z: float
    stomion_z: float


def _profile(p: np.ndarray, n: np.ndarray) -> np.ndarray:
    mid = p[(np.abs(p[:, 0]) < MIDLINE_M) & (p[:, 1] < 0.03) & (n[:, 1] < 0.0) & (p[:, 2] > -0.16) & (p[:, 2] < 0.03)]
    if len(mid) == 0:
        return np.zeros((0, 2))
    bins = np.floor(mid[:, 2] / STEP_M).astype(int)
    rows = [(mid[bins == b][:, 2].mean(), mid[bins == b][:, 1].min()) for b in np.unique(bins)]
    return np.array(rows)


def landmarks(p: np.ndarray, n: np.ndarray) -> Landmarks | None:
    """The face's landmarks, or None when the mesh has no face profile (no skin on the midline)."""
    prof = _profile(p, n)
    nose = prof[(prof[:, 0] > -0.060) & (prof[:, 0] < -0.010)] if len(prof) else prof
    if len(nose) == 0:
        return None
    tip = nose[np.argmin(nose[:, 1])]
    under = prof[(prof[:, 0] > tip[0] - 0.020) & (prof[:, 0] < tip[0] - 0.002)]
    subnasale = under[np.argmax(under[:, 1])] if len(under) else tip
    chin = prof[(prof[:, 0] < subnasale[0] - 0.030) & (prof[:, 0] > subnasale[0] - 0.090) & (prof[:, 1] < 0.005)]
    menton = float(chin[:, 0].min()) if len(chin) else float(subnasale[0] - 0.068)
    return Landmarks(tip, subnasale, menton, float(subnasale[0] + (menton - subnasale[0]) / 3.0))


def region_masks(p: np.ndarray, n: np.ndarray, neck_axis_xy: tuple[float, float], marks: Landmarks) -> dict[str, np.ndarray]:
    """Boolean masks per region of points ``p`` (head frame) with unit normals ``n``."""
    x, y, z = p[:, 0], p[:, 1], p[:, 2]
    ax = np.abs(x)
    tip, subnasale = marks.pronasale, marks.subnasale
    tip_point = np.array([0.0, tip[1], tip[0]])
    m: dict[str, np.ndarray] = {}
    m["lips"] = ((z > marks.stomion_z - 0.010) & (z < marks.stomion_z + 0.008) & (ax < 0.025)
                 & (y < subnasale[1] + 0.012) & (n[:, 1] < -0.3))
    lips_bottom = float(z[m["lips"]].min()) if m["lips"].any() else marks.stomion_z - 0.010
    m["nose_tip"] = np.linalg.norm(p - tip_point, axis=1) < 0.009
    m["nostrils"] = ((z > subnasale[0] - 0.002) & (z < tip[0] - 0.003) & (ax > 0.003) & (ax < 0.020)
                     & (y < subnasale[1] + 0.012) & ~m["nose_tip"])
    m["nasal_bridge"] = (ax < 0.010) & (z > tip[0] + 0.008) & (z < 0.010) & (y < -0.003)
    m["forehead"] = (z > 0.022) & (z < 0.075) & (ax < 0.055) & (n[:, 1] < -0.3)
    m["chin"] = ((z > marks.menton_z - 0.004) & (z < lips_bottom - 0.004) & (ax < 0.022) & (y < 0.010) & (n[:, 1] < 0.2))
    m["cheekbones"] = (z > -0.038) & (z < -0.012) & (ax > 0.030) & (ax < 0.060) & (y < 0.025) & (n[:, 1] < 0.1)
    m["cheeks"] = ((z > marks.stomion_z) & (z < -0.038) & (ax > 0.022) & (ax < 0.062) & (y < 0.040) & (n[:, 1] < 0.0)
                   & ~m["lips"] & ~m["nostrils"])
    m["jawline"] = ((ax < 0.070) & (z > marks.menton_z - 0.012) & (z < marks.stomion_z) & (y < 0.075)
                    & (n[:, 2] < -0.25) & (n[:, 2] > -0.95) & ~m["chin"])
    m["ears"] = (ax > 0.062) & (z > -0.050) & (z < 0.015) & (y > 0.045) & (y < 0.125)
    notch_z = marks.menton_z - NOTCH_BELOW_MENTON_M
    radial = np.hypot(x - neck_axis_xy[0], y - neck_axis_xy[1])
    m["neck"] = (z > notch_z + 0.020) & (z < marks.menton_z + 0.005) & (radial < 0.075) & ~m["jawline"] & ~m["chin"]
    # Front view distance to the clavicle line, each side.
    t = np.clip((ax - 0.020) / 0.130, 0.0, 1.0)
    line_z = notch_z + 0.020 * t
    m["clavicles"] = ((ax > 0.015) & (ax < 0.160) & (np.abs(z - line_z) < 0.018) & (y < neck_axis_xy[1])
                      & (n[:, 1] < -0.3))
    return m


def region_weights(p: np.ndarray, n: np.ndarray, neck_axis_xy: tuple[float, float]) -> dict[str, np.ndarray] | None:
    marks = landmarks(p, n)
    if marks is None:
        return None
    masks = region_masks(p, n, neck_axis_xy, marks)
    return {region: masks[region].astype(np.float64) for region in SKIN_REGIONS}
