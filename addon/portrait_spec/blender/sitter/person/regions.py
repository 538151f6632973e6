"""The skin regions of ``core.spec.SKIN_REGIONS`` on the person, by geometric rules.

MakeHuman's mesh has no head, nose, lip or ear groups, so each region is derived from the shape
itself. Rules are stated on the rest shape (identity targets only, unposed), which is the head's
own frame: x towards the sitter's left, y backwards (the face looks along -y), z up, origin at
the midpoint between the pupils. A region is a set of vertices, so it follows them into the
pose. Landmarks are found on the midline profile (vertices within ``MIDLINE_M`` of x = 0, the
outermost point per height step):

* pronasale (nose tip): the most forward profile point between 10 and 60 mm below the eyes;
* subnasale: the deepest profile point in the 20 mm under the nose tip;
* menton: the lowest profile point within 45 mm under the lips still in front of the pupils'
  depth + 5 mm (under it the chin turns back into the throat).

Two regions come from MakeHuman's own targets, which move exactly that feature: the lips are
the vertices the upper and lower lip volume targets move by over 20 % of their largest move
(the vermilion), the ears those the ear scale targets move by over 40 %, beyond 50 mm of the
midline.

Regions (distances in mm from those landmarks; "facing forward" is a vertex normal with a
negative y component):

* nose_tip: within 9 mm of the pronasale.
* nostrils: the alae and the openings: from the subnasale to 3 mm under the tip, 3-20 mm off
  the midline, in front of the subnasale's depth + 12 mm; not the nose tip.
* nasal_bridge: within 10 mm of the midline, from 8 mm above the tip to 10 mm above the
  eyes, in front of the pupils.
* forehead: 22-75 mm above the eyes, within 55 mm of the midline, facing forward (n_y < -0.3).
* chin: from 4 mm under the menton up to 4 mm under the lips, within 22 mm of the midline,
  in front of the pupils' depth + 10 mm, facing forward or down (n_y < 0.2).
* cheekbones: 12-38 mm below the eyes, 30-60 mm off the midline, in front of the pupils'
  depth + 25 mm and facing forward or sideways (n_y < 0.1).
* cheeks: from the mouth's height (the lips' mean) to 38 mm below the eyes, 22-62 mm off the
  midline, in front of the pupils' depth + 40 mm, facing forward; not lips or nostrils.
* jawline: the mandible's lower edge: within 70 mm of the midline, from the menton's height
  - 12 mm to the mouth's height, in front of the pupils' depth + 75 mm, with the normal turned
  down (n_z < -0.25) but not straight down (n_z > -0.95); not the chin.
* neck: from 20 mm above the clavicle joints up to the jawline, within 75 mm of the neck's
  axis, below the menton's height + 5 mm at the front; not jawline or chin.
* clavicles: within 18 mm (front view) of the clavicle bone (its head to the shoulder joint),
  in front of it, facing forward (n_y < -0.3).

Weights are 1 inside a region and 0 outside; the subdivision surface interpolates them, so the
material masks blend over one edge.
"""

from __future__ import annotations

import numpy as np

from ....core.spec import SKIN_REGIONS
from .geometry import PersonGeometry
from .mesh import corner_sum
from .targets import read_target

MIDLINE_M = 0.0025
STEP_M = 0.0025
BASE_VERTICES = 19158
LIP_TARGETS = ("mouth/mouth-upperlip-volume-incr", "mouth/mouth-lowerlip-volume-incr")
EAR_TARGETS = ("ears/l-ear-scale-incr", "ears/r-ear-scale-incr")


def vertex_normals(verts: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """Area-weighted vertex normals of a quad mesh (each quad as its two diagonals' cross)."""
    a, b, c, d = (verts[quads[:, i]] for i in range(4))
    face = np.cross(c - a, d - b)
    out = corner_sum(quads, face, len(verts))
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _profile(p: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The outermost (most forward) midline point per height step: rows (z, y). Only surfaces
    facing forward count, so the insides of the nostrils and mouth are never the profile."""
    mid = p[(np.abs(p[:, 0]) < MIDLINE_M) & (p[:, 1] < 0.03) & (n[:, 1] < 0.0)]
    bins = np.floor(mid[:, 2] / STEP_M).astype(int)
    rows = []
    for b in np.unique(bins):
        sel = mid[bins == b]
        rows.append((sel[:, 2].mean(), sel[:, 1].min()))
    return np.array(rows)


def _deepest(profile: np.ndarray, lo: float, hi: float) -> np.ndarray:
    sel = profile[(profile[:, 0] > lo) & (profile[:, 0] < hi)]
    return np.asarray(sel[np.argmax(sel[:, 1])])


def _most_forward(profile: np.ndarray, lo: float, hi: float) -> np.ndarray:
    sel = profile[(profile[:, 0] > lo) & (profile[:, 0] < hi)]
    return np.asarray(sel[np.argmin(sel[:, 1])])


def _target_mask(geo: PersonGeometry, names: tuple[str, ...], share: float) -> np.ndarray:
    """Vertices that MakeHuman's targets ``names`` move by more than ``share`` of their largest move."""
    moved = np.zeros(BASE_VERTICES)
    for name in names:
        target = read_target(f"mpfb2/targets/{name}.target.gz")
        d = np.linalg.norm(target.deltas, axis=1)
        if len(d):
            moved[target.indices] = np.maximum(moved[target.indices], d / d.max())
    return np.asarray(moved[geo.base_index] > share)


def _menton(profile: np.ndarray, lips_bottom: float) -> float:
    """The lowest profile point within 45 mm under the lips that still faces the camera side of
    the face (y < 5 mm): under it the chin turns back into the throat."""
    sel = profile[(profile[:, 0] < lips_bottom) & (profile[:, 0] > lips_bottom - 0.045) & (profile[:, 1] < 0.005)]
    return float(sel[:, 0].min())


def region_masks(geo: PersonGeometry) -> dict[str, np.ndarray]:
    p = geo.rest - geo.eye_point
    n = vertex_normals(geo.rest, geo.quads)
    x, y, z = p[:, 0], p[:, 1], p[:, 2]
    ax = np.abs(x)
    prof = _profile(p, n)
    tip = _most_forward(prof, -0.060, -0.010)
    subnasale = _deepest(prof, tip[0] - 0.020, tip[0] - 0.002)
    tip_point = np.array([0.0, tip[1], tip[0]])

    masks: dict[str, np.ndarray] = {}
    masks["lips"] = _target_mask(geo, LIP_TARGETS, 0.2)
    lips_z = z[masks["lips"]]
    mouth_z = float(lips_z.mean())
    menton_z = _menton(prof, float(lips_z.min()))
    masks["nose_tip"] = np.linalg.norm(p - tip_point, axis=1) < 0.009
    masks["nostrils"] = ((z > subnasale[0] - 0.002) & (z < tip[0] - 0.003) & (ax > 0.003) & (ax < 0.020)
                         & (y < subnasale[1] + 0.012) & ~masks["nose_tip"])
    masks["nasal_bridge"] = (ax < 0.010) & (z > tip[0] + 0.008) & (z < 0.010) & (y < -0.003)
    masks["forehead"] = (z > 0.022) & (z < 0.075) & (ax < 0.055) & (n[:, 1] < -0.3)
    masks["chin"] = ((z > menton_z - 0.004) & (z < float(lips_z.min()) - 0.004) & (ax < 0.022) & (y < 0.010)
                     & (n[:, 1] < 0.2))
    masks["cheekbones"] = (z > -0.038) & (z < -0.012) & (ax > 0.030) & (ax < 0.060) & (y < 0.025) & (n[:, 1] < 0.1)
    masks["cheeks"] = ((z > mouth_z) & (z < -0.038) & (ax > 0.022) & (ax < 0.062) & (y < 0.040) & (n[:, 1] < 0.0)
                       & ~masks["lips"] & ~masks["nostrils"])
    masks["jawline"] = ((ax < 0.070) & (z > menton_z - 0.012) & (z < mouth_z) & (y < 0.075)
                        & (n[:, 2] < -0.25) & (n[:, 2] > -0.95) & ~masks["chin"])
    masks["ears"] = _target_mask(geo, EAR_TARGETS, 0.4) & (ax > 0.05)
    clav_head, _ = geo.rest_joints["clavicle.L"]
    shoulder, _ = geo.rest_joints["shoulder01.L"]
    neck_axis = geo.rest_joints["neck02"][0] - geo.eye_point
    clav_z = float(clav_head[2] - geo.eye_point[2])
    radial = np.hypot(x - neck_axis[0], y - neck_axis[1])
    masks["neck"] = ((z > clav_z + 0.020) & (z < menton_z + 0.005) & (radial < 0.075)
                     & ~masks["jawline"] & ~masks["chin"])
    masks["clavicles"] = _clavicles(p, n, clav_head - geo.eye_point, shoulder - geo.eye_point)
    return masks


def _clavicles(p: np.ndarray, n: np.ndarray, head: np.ndarray, shoulder: np.ndarray) -> np.ndarray:
    """Skin over either clavicle: near the bone in the front view, in front of it."""
    out = np.zeros(len(p), dtype=bool)
    for side in (1.0, -1.0):
        a = head * np.array([side, 1.0, 1.0])
        b = shoulder * np.array([side, 1.0, 1.0])
        ab = (b - a)[[0, 2]]
        ap = p[:, [0, 2]] - a[[0, 2]]
        t = np.clip(ap @ ab / (ab @ ab), 0.0, 1.0)
        dist = np.linalg.norm(ap - t[:, None] * ab, axis=1)
        out |= (dist < 0.018) & (p[:, 1] < a[1]) & (n[:, 1] < -0.3)
    return out


def region_weights(geo: PersonGeometry) -> dict[str, np.ndarray]:
    masks = region_masks(geo)
    return {region: masks[region].astype(np.float64) for region in SKIN_REGIONS}
