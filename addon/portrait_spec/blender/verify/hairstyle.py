"""Measurers for the haircut's words (``core.prompt.sitter``), read from the scalp's hair curves.

* style: the strands' median length (sum of segment lengths), and whether they are tied: the
  2 cm cell most strands pass through, with its neighbours, holding 80 % of them is a tie (no
  loose cut gathers its strands so); a tie whose strands end within ``BUN_TIPS_M`` of it is a
  bun, else a ponytail; loose hair is named by the band its median falls in
  (``core.hairstyle.loose_style``). The style must be the stated one and the median within 10 %
  of ``subject.hair.length_cm``.
* parting: from the roots in front of the crown on top of the head, in the head's frame (the
  skull's rigid fit, ``measure.head``): the line across which their first segments turn apart,
  fitted as the x that splits left-going from right-going roots best; a parting where the roots
  within 15 mm of it leave it sideways (over 70 % more across than back), else none (combed
  back); within ``CENTRE_M`` of the midline a centre parting, else a side parting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import bpy
import numpy as np

from ...core.hairstyle import loose_style
from ...core.prompt.claims import Claim
from ...core.prompt.sitter import parting_word
from ..measure import head as heads
from ..narrow import of_type
from .report import Check

if TYPE_CHECKING:
    from .claims import Measuring

CELL_M = 0.02
TIED_SHARE = 0.8
BUN_TIPS_M = 0.06
LENGTH_TOLERANCE = 0.1
CENTRE_M = 0.012
SIDEWAYS_SHARE = 0.7
BESIDE_M = 0.015
TOP_ABOVE_EYES_M = 0.06
CROWN_BEHIND_EYES_M = 0.07


def scalp_strands(scene: bpy.types.Scene) -> np.ndarray | None:
    """(n, points, 3) world positions of the scalp strands as they render (evaluated: after the
    clumps' modifier), or None without any."""
    obj = heads.person_part(scene, "person_hair")
    if obj is None or not isinstance(obj.data, bpy.types.Curves):
        return None
    data = obj.evaluated_get(bpy.context.evaluated_depsgraph_get()).data
    if not isinstance(data, bpy.types.Curves) or not len(data.curves):
        return None
    co = np.empty(len(data.points) * 3, dtype=np.float32)
    of_type(data.attributes["position"], bpy.types.FloatVectorAttribute).data.foreach_get("vector", co)
    mw = np.array(obj.matrix_world)
    pts = co.reshape(-1, 3).astype(np.float64) @ mw[:3, :3].T + mw[:3, 3]
    return pts.reshape(len(data.curves), len(data.points) // len(data.curves), 3)


def _tie(strands: np.ndarray) -> np.ndarray | None:
    """The middle of the cell (with its neighbours) that 80 % of the strands pass through, if any."""
    n, k, _ = strands.shape
    cells = np.floor(strands / CELL_M).astype(np.int64).reshape(-1, 3)
    cells -= cells.min(axis=0)
    span = cells.max(axis=0) + 1
    flat = (cells[:, 0] * span[1] + cells[:, 1]) * span[2] + cells[:, 2]
    owner = np.repeat(np.arange(n, dtype=np.int64), k)
    visits = np.unique(flat * n + owner)  # each strand once per cell
    occupied, counts = np.unique(visits // n, return_counts=True)
    best = np.array(np.unravel_index(occupied[np.argmax(counts)], tuple(span)))
    near = np.all(np.abs(cells - best) <= 1, axis=1)
    share = len(np.unique(owner[near])) / n
    lowest = np.floor(strands.reshape(-1, 3) / CELL_M).astype(np.int64).min(axis=0)
    return (best + lowest + 0.5) * CELL_M if share >= TIED_SHARE else None


def measured_style(strands: np.ndarray | None) -> tuple[str, float, str]:
    """(style, median length in cm, how it was told)."""
    if strands is None:
        return "shaved", 0.0, "no scalp hair object"
    median_cm = float(np.median(np.linalg.norm(np.diff(strands, axis=1), axis=2).sum(axis=1))) * 100.0
    tie = _tie(strands)
    if tie is None:
        return loose_style(median_cm), median_cm, "loose"
    tips = float(np.median(np.linalg.norm(strands[:, -1] - tie, axis=1)))
    return ("bun" if tips < BUN_TIPS_M else "ponytail"), median_cm, f"tied, tips {tips * 100.0:.0f} cm from the tie"


def style_claim(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import choice

    strands = scalp_strands(m.scene)
    style, median_cm, how = measured_style(strands)
    spec_cm = m.spec.subject.hair.length_cm
    length_ok = abs(median_cm - spec_cm) <= LENGTH_TOLERANCE * spec_cm + 1e-9
    count = 0 if strands is None else len(strands)
    return [choice(claim, "haircut", f"{style} (median {median_cm:.1f} cm, spec {spec_cm:g} cm)", style == claim.value and length_ok,
                   f"{count} scalp strands, {how}; median length within 10% of subject.hair.length_cm", "same cut, ±10% length")]


def measured_parting(strands: np.ndarray, body: bpy.types.Object, focus: np.ndarray) -> str:
    """"left", "right" (the sitter's), "centre" or "none"."""
    pose = heads.head_pose(body)
    if pose is None:
        raise ValueError("no head pose: the person's skull vertices are missing")
    r, t = pose.fit.rotation, pose.fit.translation
    eyes = (focus - t) @ r  # the eyes' midpoint in the rest frame
    roots = (strands[:, 0] - t) @ r - eyes
    first = (strands[:, 1] - strands[:, 0]) @ r
    top = (roots[:, 2] > TOP_ABOVE_EYES_M) & (roots[:, 1] < CROWN_BEHIND_EYES_M)
    x, dx, dy = roots[top, 0], first[top, 0], first[top, 1]
    if len(x) < 20:
        return "none"
    lines = np.linspace(-0.05, 0.05, 101)
    wrong = [((dx > 0) != (x >= line)).sum() for line in lines]
    line = float(lines[int(np.argmin(wrong))])
    beside = np.abs(x - line) < BESIDE_M
    # Combed back, hair spreads sideways only where the head curves down at the sides; at a
    # parting the strands right beside the line leave it sideways.
    if not beside.any() or (np.abs(dx[beside]) > np.abs(dy[beside])).mean() < SIDEWAYS_SHARE:
        return "none"
    return "centre" if abs(line) < CENTRE_M else "left" if line > 0 else "right"


def parting_claim(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import choice, missing

    strands = scalp_strands(m.scene)
    body = heads.person_body(m.scene)
    if strands is None or body is None:
        return [missing(claim, "parting", "person scalp hair")]
    parting = measured_parting(strands, body, np.asarray(m.focus, dtype=np.float64))
    word = parting_word(parting)
    return [choice(claim, "parting", f"{word or 'no'} parting ({parting})", word == claim.value,
                   "first segments of the roots on top of the head, in the skull's frame: the line they turn apart from")]
