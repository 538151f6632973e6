"""The eye point of a model without eyes: found from its head, by a fixed rule.

Only a standing full figure has a head that can be found without eyes. Its head is the top 13 % of
its height (an adult's head is 1/7.5 of stature: Tilley, "The Measure of Man and Woman", 2002), and
the figure counts as standing only when that slice is one compact head: narrower than a third of
the figure's width and than 30 cm (so raised arms or a bust's shoulders do not pass). The pupils
lie 6.5 % of the stature below the crown (11.4 cm of 1.75 m, vertex to pupil 11-13 cm in adults,
ANSUR II 2012), at the middle of the head's width, and at its front: the figure is taken to face
-Y, the front of glTF files (+Z in glTF, Khronos glTF 2.0 3.4) and of Blender's front view,
because nothing else tells which side a face is on. Whatever this finds is an estimate, said so in
the build's notes and in verify's report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HEAD_SHARE = 0.13
PUPILS_BELOW_CROWN = 0.065
MAX_HEAD_WIDTH_SHARE = 1.0 / 3.0
MAX_HEAD_WIDTH_M = 0.30
PUPILS_BEHIND_FRONT_M = 0.02  # the brow and nose stand ~2 cm in front of the pupils' plane


@dataclass(frozen=True)
class HeadEstimate:
    pupil_midpoint: np.ndarray
    stature: float


def estimate(points: np.ndarray, metres_per_unit: float) -> HeadEstimate | None:
    """The pupils' midpoint of a standing figure (upright on +Z, facing -Y), or None."""
    if len(points) < 8:
        return None
    lo, hi = points.min(axis=0), points.max(axis=0)
    stature = float(hi[2] - lo[2])
    width = float(max(hi[0] - lo[0], hi[1] - lo[1]))
    head = points[points[:, 2] > hi[2] - HEAD_SHARE * stature]
    head_lo, head_hi = head.min(axis=0), head.max(axis=0)
    head_width = float(head_hi[0] - head_lo[0])
    if head_width > MAX_HEAD_WIDTH_SHARE * width or head_width * metres_per_unit > MAX_HEAD_WIDTH_M:
        return None
    z = hi[2] - PUPILS_BELOW_CROWN * stature
    band = head[np.abs(head[:, 2] - z) < 0.02 * stature]
    if len(band) == 0:
        return None
    x = 0.5 * (band[:, 0].min() + band[:, 0].max())
    y = float(band[:, 1].min()) + PUPILS_BEHIND_FRONT_M / metres_per_unit
    return HeadEstimate(np.array([x, y, z]), stature)
