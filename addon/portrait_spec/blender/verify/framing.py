"""Checks that the sitter is where the studio is aimed: the focus point between its eyes, a head in
the upper part of the frame, and what the build did to a model file said.

* **Focus between the eyes** (+-1 cm): the eyes are found in the scene as it is now by the same
  reading the sitter used to place them (``measure/eyes.py``: the faces with the eye material,
  else eye vertex groups or bones), and the pupils' midpoint must be within 1 cm of the focus
  empty. For a model whose eyes were estimated by the head rule, the estimate stored on its root
  (``contract.EYE_ESTIMATE_KEY``, in the root's frame) is followed wherever the root is now.
* **Head in the frame**: the subject's mask, by casting one camera ray per centimetre of frame
  at the focus distance (the same rays a render's mask pass traces, without sampling), must show a
  head at the eyes: the row through the focus crosses the subject at the focus in a span 9-40 cm
  wide (a face with its hair, not a torso with its arms), and walking up from it the subject
  narrows to a crown 6-30 cm above the eyes inside the frame (or beyond a top edge that is itself
  under 15 cm above the eyes, as a closeup crops it), with the eyes in the upper half of the frame.
  A model placed so the focus lands on its chest or pelvis fails: its body runs out of the top
  of the frame.
* **Model as imported**: the unit, uprighting, pose and region notes of the build (informative:
  it passes; the scale itself is what the other two rows measure).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import bpy
import numpy as np
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector

from ..contract import EYE_ESTIMATE_KEY, EYE_SOURCE_KEY, MODEL_NOTES_KEY, ROLE_KEY, objects_with_role
from ..measure.eyes import find_eyes
from ..narrow import camera_of
from .claims import DISTANCE_TOLERANCE_M, Measuring
from .report import Check

MASK_PIXEL_M = 0.01
HEAD_WIDTH_M = (0.09, 0.40)
CROWN_ABOVE_EYES_M = (0.06, 0.30)
CLOSEUP_TOP_M = 0.15


def _is_eye(mat: bpy.types.Material | None) -> bool:
    return mat is not None and mat.get("portrait_spec_material") == "eyes"


def _estimate(objects: list[bpy.types.Object]) -> np.ndarray | None:
    for obj in objects:
        local = obj.get(EYE_ESTIMATE_KEY)
        if local is not None:
            return np.array(obj.matrix_world @ Vector(tuple(float(v) for v in local)))
    return None


def _focus_check(m: Measuring, objects: list[bpy.types.Object]) -> Check:
    name, tol = "focus between the eyes", f"±{DISTANCE_TOLERANCE_M * 100:g} cm"
    how = "pupils' midpoint found in the scene (eye faces, eye groups or eye bones) to the focus empty"
    focus = np.array(m.focus)
    eyes = find_eyes(objects, _is_eye)
    if eyes is not None:
        d = float(np.linalg.norm(eyes.pupil_midpoint - focus))
        measured = f"{d * 100:.2f} cm ({eyes.source}: {eyes.detail}; pupils {eyes.interpupillary * 1000:.1f} mm apart)"
        return Check(name=name, spec=0.0, measured=measured, tolerance=tol, passed=d <= DISTANCE_TOLERANCE_M, how=how)
    estimate = _estimate(objects)
    if estimate is not None:
        d = float(np.linalg.norm(estimate - focus))
        measured = f"{d * 100:.2f} cm (eyes estimated by the head rule at the build)"
        return Check(name=name, spec=0.0, measured=measured, tolerance=tol, passed=d <= DISTANCE_TOLERANCE_M, how=how)
    return Check(name=name, spec=0.0, measured="no eyes found on the subject", tolerance=tol, passed=False, how=how)


@dataclass(frozen=True)
class Mask:
    hit: np.ndarray  # (rows, cols) bool, row 0 at the top
    pixel_m: float  # size of a pixel at the focus distance
    focus_rc: tuple[int, int]
    focus_v: float  # 0 bottom .. 1 top


def subject_mask(scene: bpy.types.Scene, focus: np.ndarray, pixel_m: float = MASK_PIXEL_M) -> Mask | None:
    """Which camera rays hit the subject, on a grid of ``pixel_m`` at the focus distance."""
    cam = scene.camera
    if cam is None or not isinstance(cam.data, bpy.types.Camera):
        return None
    scene.view_layers[0].update()
    depsgraph = bpy.context.evaluated_depsgraph_get()
    corners = [c.copy() for c in camera_of(cam).view_frame(scene=scene)]
    xs, ys, z0 = [c.x for c in corners], [c.y for c in corners], corners[0].z
    inverse = cam.matrix_world.inverted()
    depth = -(inverse @ Vector(tuple(focus))).z
    if depth <= 0.0 or z0 >= 0.0:
        return None
    scale = depth / -z0
    width_m, height_m = (max(xs) - min(xs)) * scale, (max(ys) - min(ys)) * scale
    cols, rows = max(2, math.ceil(width_m / pixel_m)), max(2, math.ceil(height_m / pixel_m))
    origin = cam.matrix_world.translation
    basis = cam.matrix_world.to_3x3()
    hit = np.zeros((rows, cols), dtype=bool)
    for r in range(rows):
        y = max(ys) - (r + 0.5) / rows * (max(ys) - min(ys))
        for c in range(cols):
            x = min(xs) + (c + 0.5) / cols * (max(xs) - min(xs))
            direction = (basis @ Vector((x, y, z0))).normalized()
            found, _, _, _, obj, _ = scene.ray_cast(depsgraph, origin, direction)
            original = obj.original if obj is not None else None
            hit[r, c] = bool(found) and original is not None and original.get(ROLE_KEY) == "subject"
    uv = world_to_camera_view(scene, cam, Vector(tuple(focus)))
    fr = min(rows - 1, max(0, int((1.0 - uv.y) * rows)))
    fc = min(cols - 1, max(0, int(uv.x * cols)))
    return Mask(hit, width_m / cols, (fr, fc), float(uv.y))


def _run(row: np.ndarray, lo: int, hi: int) -> tuple[int, int] | None:
    """The span of hits in ``row`` connected to any hit within columns [lo, hi]."""
    inside = np.flatnonzero(row[lo:hi + 1])
    if len(inside) == 0:
        return None
    a = b = lo + int(inside[0])
    b = lo + int(inside[-1])
    while a > 0 and row[a - 1]:
        a -= 1
    while b < len(row) - 1 and row[b + 1]:
        b += 1
    return a, b


def _head_check(m: Measuring) -> Check:
    name, how = "head in the frame", "subject mask by camera rays, 1 cm per pixel at the focus"
    tol = (f"at the focus a span {HEAD_WIDTH_M[0] * 100:g}-{HEAD_WIDTH_M[1] * 100:g} cm wide narrowing to a crown "
           f"{CROWN_ABOVE_EYES_M[0] * 100:g}-{CROWN_ABOVE_EYES_M[1] * 100:g} cm above, eyes in the upper half")
    mask = subject_mask(m.scene, np.array(m.focus))
    if mask is None:
        return Check(name=name, spec="head at the eyes", measured="no camera looking at the focus", tolerance=tol, passed=False, how=how)
    r, c = mask.focus_rc
    eye_run = _run(mask.hit[r], c, c)
    if eye_run is None:
        return Check(name=name, spec="head at the eyes", measured="no subject at the focus point", tolerance=tol, passed=False, how=how)
    width = (eye_run[1] - eye_run[0] + 1) * mask.pixel_m
    span, row = eye_run, r
    while row > 0:
        above = _run(mask.hit[row - 1], span[0], span[1])
        if above is None:
            break
        span, row = above, row - 1
    cut = row == 0  # the subject reaches the frame's top edge above the eyes
    crown = (r - row + 0.5) * mask.pixel_m
    top_above_eyes = (r + 0.5) * mask.pixel_m
    crown_ok = (CROWN_ABOVE_EYES_M[0] <= crown <= CROWN_ABOVE_EYES_M[1]) if not cut else top_above_eyes < CLOSEUP_TOP_M
    ok = HEAD_WIDTH_M[0] <= width <= HEAD_WIDTH_M[1] and crown_ok and mask.focus_v > 0.5
    where = f"cut by the frame's top {top_above_eyes * 100:.0f} cm above the eyes" if cut else f"crown {crown * 100:.0f} cm above the eyes"
    measured = f"{width * 100:.0f} cm wide at the eyes, {where}, eyes at {mask.focus_v:.2f} of the frame height"
    return Check(name=name, spec="head at the eyes", measured=measured, tolerance=tol, passed=ok, how=how)


def _notes_check(objects: list[bpy.types.Object]) -> Check | None:
    notes: list[str] = []
    source = ""
    for obj in objects:
        raw = obj.get(MODEL_NOTES_KEY)
        if raw is not None:
            notes = [str(n) for n in json.loads(str(raw))]
            source = str(obj.get(EYE_SOURCE_KEY, ""))
            break
    else:
        return None
    said = "; ".join(notes) if notes else "placed as the file is (metres, upright)"
    return Check(name="model as imported", spec="said", measured=f"eyes from {source}; {said}", tolerance="informative", passed=True,
                 how="notes stored by the build")


def sitter_checks(m: Measuring) -> list[Check]:
    objects = objects_with_role(m.scene, "subject")
    if not objects:
        return [Check(name="focus between the eyes", spec=0.0, measured="no subject", tolerance="exists", passed=False)]
    rows = [_focus_check(m, objects), _head_check(m)]
    notes = _notes_check(objects)
    return rows if notes is None else [*rows, notes]
