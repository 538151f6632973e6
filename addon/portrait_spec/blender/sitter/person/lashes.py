"""Upper and lower eyelashes as strands rooted on the lid margins (numpy; the builder makes one
Blender hair-curves object of them).

MakeHuman's eyelash ribbons (helper groups ``helper-*-eyelashes-*``) are dropped with the other
helpers (``geometry``: only group ``body`` is kept); they render as eyeliner, not lashes.

Where the lashes grow (rules on the rest shape, the head's frame: x to the sitter's left, y
backwards, z up; around each eyeball's rest centre, radius r):

* the lid margin: the skin's lids fold back into the orbit round the eye, so the margin is a
  strip facing into the opening: vertices in front of the eye (y < -r/2), within 16 mm across and
  8 mm up or down of its centre, within 2.5 mm of the globe's surface, whose normal faces down
  (n_z < -0.7: the upper lid's margin) or up (n_z > 0.7: the lower lid's);
* the lash line: the margin vertices sharing an edge with the lid's front skin (n_y < -0.5, not
  margin), the anterior lid margin where lashes emerge; ordered across the eye, medial to lateral;
* along it, from ``MEDIAL_BARE`` of its length (the lacrimal part, medial to the punctum, has no
  lashes) to its lateral end, ``UPPER_COUNT`` and ``LOWER_COUNT`` roots per eye, evenly spaced
  with a little jitter, each on the segment between two lash-line vertices of the posed mesh: the
  roots move with the lids (pose and expression).

Shape: a lash leaves the margin forward, tipped ``*_RISE_DEG`` away from the opening (upper up,
lower down) and curls further away towards its tip (``*_TIP_DEG``), so upper and lower lashes
curl apart and never cross the eye; a little fan outwards towards the lateral corner. Directions
are set in the head's frame and turned with the head.

Sizes (Aumond & Bitton 2018, "The eyelash follicle features and anomalies: a review", J Optom
11:211-222: 90-160 upper lashes in 5-6 rows and 75-80 lower in 3-4 rows per eye, upper lashes
8-12 mm long, lower 6-8 mm; Thibaut et al. 2010, "Human eyelash characterization", Br J Dermatol
162:304-310, for lash curvature and diameter, thicker than scalp hair): the spec's median upper
length, lower lashes ``LOWER_SHARE`` of it; longest mid-lid, shortest at the corners; radius
45 um at the root tapering to 10 um.
"""

from __future__ import annotations

import numpy as np

from ..bust_shape import CORNEA_PROUD, CORNEA_RADIUS
from .geometry import Eye, PersonGeometry
from .hair import Strands
from .regions import vertex_normals

UPPER_COUNT = 120
LOWER_COUNT = 65
LOWER_SHARE = 0.6           # 6 mm lower lashes under 10 mm upper ones
MEDIAL_BARE = 0.12          # share of the lash line, from the medial end, without lashes
UPPER_RISE_DEG, UPPER_TIP_DEG = 15.0, 70.0
LOWER_RISE_DEG, LOWER_TIP_DEG = 25.0, 50.0
FAN = 0.5                   # sideways lean of the lateral lashes (per unit of the line's length)
ROOT_RADIUS_M, TIP_RADIUS_M = 4.5e-5, 1.0e-5
POINTS = 6
BOX_ACROSS_M, BOX_UP_M, NEAR_GLOBE_M = 0.016, 0.008, 0.0025
CLEAR_OF_EYE_M = 5e-5
SEED = 3


def lash_line(geo: PersonGeometry, centre: np.ndarray, radius: float, upper: bool) -> np.ndarray:
    """Indices of one lid's lash-line vertices around the eye at rest ``centre``, medial to lateral."""
    p = geo.rest - centre
    n = vertex_normals(geo.rest, geo.quads)
    d = np.linalg.norm(p, axis=1)
    box = ((np.abs(p[:, 0]) < BOX_ACROSS_M) & (np.abs(p[:, 2]) < BOX_UP_M) & (p[:, 1] < -0.5 * radius)
           & (np.abs(d - radius) < NEAR_GLOBE_M))
    margin = box & ((n[:, 2] < -0.7) if upper else (n[:, 2] > 0.7))
    front = (n[:, 1] < -0.5) & ~margin
    q = geo.quads
    edges = np.concatenate([q[:, [0, 1]], q[:, [1, 2]], q[:, [2, 3]], q[:, [3, 0]]])
    line = np.zeros(len(p), dtype=bool)
    for a, b in ((0, 1), (1, 0)):
        hit = margin[edges[:, a]] & front[edges[:, b]]
        line[edges[hit, a]] = True
    idx = np.nonzero(line)[0]
    medial_first = np.sign(centre[0] - geo.eye_point[0]) * p[idx, 0]  # nearest the midline first
    return np.asarray(idx[np.argsort(medial_first)])


def _clear_of_eye(roots: np.ndarray, forward: np.ndarray, eye: Eye) -> np.ndarray:
    """Each root moved forward, where it lies inside the eyeball (globe and corneal bulge, as
    ``bust.eyeball_mesh`` shapes it, aimed along the gaze), to just outside it."""
    cornea = eye.centre + eye.gaze * (eye.radius + CORNEA_PROUD - CORNEA_RADIUS)
    out = roots.copy()
    for centre, radius in ((eye.centre, eye.radius), (cornea, CORNEA_RADIUS)):
        d = out - centre
        b = d @ forward
        c = (d * d).sum(axis=1) - (radius + CLEAR_OF_EYE_M) ** 2
        t = np.where(c < 0.0, -b + np.sqrt(np.maximum(b * b - c, 0.0)), 0.0)  # the exit along forward
        out += t[:, None] * forward
    return out


def _one_lid(geo: PersonGeometry, centre: np.ndarray, eye: Eye, upper: bool, count: int, length_m: float,
             rng: np.random.Generator) -> np.ndarray:
    idx = lash_line(geo, centre, eye.radius, upper)
    if len(idx) < 2 or count == 0 or length_m <= 0.0:
        return np.zeros((0, POINTS, 3))
    rest, posed = geo.rest[idx], geo.verts[idx]
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(rest, axis=0), axis=1))])
    u = MEDIAL_BARE + (1.0 - MEDIAL_BARE) * (np.arange(count) + rng.uniform(0.2, 0.8, count)) / count
    s = u * arc[-1]
    seg = np.clip(np.searchsorted(arc, s) - 1, 0, len(idx) - 2)
    t = ((s - arc[seg]) / np.maximum(arc[seg + 1] - arc[seg], 1e-12))[:, None]
    forward = np.array([0.0, -1.0, 0.0]) @ geo.head_rotation.T
    # The helper eye the lids were shaped round is larger than a real one (~15 vs 12 mm), so its
    # corneal bulge reaches the lid margins: a root there starts just in front of it.
    roots = _clear_of_eye(posed[seg] * (1.0 - t) + posed[seg + 1] * t, forward, eye)
    lateral = np.sign(centre[0] - geo.eye_point[0])
    away = np.stack([lateral * FAN * (u - MEDIAL_BARE), np.zeros(count), np.full(count, 1.0 if upper else -1.0)], axis=1)
    away /= np.linalg.norm(away, axis=1, keepdims=True)
    away = away @ geo.head_rotation.T
    # Longest mid-lid, shortest at the corners; median length the spec's.
    profile = (0.6 + 0.4 * np.sin(np.pi * u)) * rng.uniform(0.9, 1.1, count)
    lengths = length_m * profile / np.median(profile)
    rise, tip = (UPPER_RISE_DEG, UPPER_TIP_DEG) if upper else (LOWER_RISE_DEG, LOWER_TIP_DEG)
    out = np.empty((count, POINTS, 3))
    out[:, 0] = roots
    step = (lengths / (POINTS - 1))[:, None]
    for i in range(1, POINTS):
        a = np.radians(rise + (tip - rise) * (i - 0.5) / (POINTS - 1))
        out[:, i] = out[:, i - 1] + step * (forward * np.cos(a) + away * np.sin(a))
    return out


def eyelashes(geo: PersonGeometry, upper_length_m: float) -> Strands | None:
    """Upper and lower lashes of both eyes (``upper_length_m`` the upper lashes' median), or
    none at length 0."""
    if upper_length_m <= 0.0:
        return None
    rng = np.random.default_rng(SEED)
    lids = [_one_lid(geo, centre, eye, upper, count, length, rng)
            for centre, eye in zip(geo.rest_eye_centres, geo.eyes, strict=True)
            for upper, count, length in ((True, UPPER_COUNT, upper_length_m), (False, LOWER_COUNT, LOWER_SHARE * upper_length_m))]
    points = np.concatenate(lids)
    if len(points) == 0:
        return None
    return Strands(points, np.linspace(ROOT_RADIUS_M, TIP_RADIUS_M, POINTS))
