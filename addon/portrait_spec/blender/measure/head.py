"""The person's pose and expression measured from its mesh as it is now (verify, read-back).

The person's skin mesh carries its rest shape and rigid-part masks (``contract.PERSON_*``).
A part's rotation is the Kabsch fit (Kabsch 1976, the least-squares rotation between two point
sets) of its rest vertices onto the same vertices in the world, object transform included: so
a body rotated or a head edited by hand measures as it now stands.

Angles follow the spec: the head's rotation is yaw about the vertical (+ turns the face, which
looks along -y, towards camera left, -x), then pitch (+ lifts the chin), then roll (+ tips the
crown towards camera left); the body turn is the chest's yaw. The expression is the least-
squares weights of the face units whose displacements the mesh carries, fitted to the face's
displacement from its rest shape once the head's rigid motion is taken out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import bpy
import numpy as np

from ..contract import (
    PART_KEY,
    PERSON_EYE_PARTS,
    PERSON_HEAD_ATTRIBUTE,
    PERSON_PART,
    PERSON_REST_ATTRIBUTE,
    PERSON_SKULL_ATTRIBUTE,
    PERSON_TORSO_ATTRIBUTE,
    PERSON_UNIT_PREFIX,
    objects_with_role,
)
from ..narrow import of_type


@dataclass(frozen=True)
class RigidFit:
    rotation: np.ndarray     # (3, 3) rest -> world
    translation: np.ndarray  # (3,)
    rms_m: float             # residual: how far from rigid the part moved


@dataclass(frozen=True)
class HeadPose:
    yaw_deg: float
    pitch_deg: float
    roll_deg: float
    fit: RigidFit


def person_part(scene: bpy.types.Scene, part: str) -> bpy.types.Object | None:
    for obj in objects_with_role(scene, "subject"):
        if obj.get(PART_KEY) == part:
            return obj
    return None


def person_body(scene: bpy.types.Scene) -> bpy.types.Object | None:
    obj = person_part(scene, PERSON_PART)
    if obj is None or not isinstance(obj.data, bpy.types.Mesh) or PERSON_REST_ATTRIBUTE not in obj.data.attributes:
        return None
    return obj


def person_eyes(scene: bpy.types.Scene) -> list[bpy.types.Object]:
    return [o for o in (person_part(scene, p) for p in PERSON_EYE_PARTS) if o is not None]


def _vectors(mesh: bpy.types.Mesh, name: str) -> np.ndarray:
    out = np.empty(len(mesh.vertices) * 3, dtype=np.float32)
    of_type(mesh.attributes[name], bpy.types.FloatVectorAttribute).data.foreach_get("vector", out)
    return out.reshape(-1, 3).astype(np.float64)


def _flags(mesh: bpy.types.Mesh, name: str) -> np.ndarray:
    out = np.zeros(len(mesh.vertices), dtype=bool)
    if name in mesh.attributes:
        of_type(mesh.attributes[name], bpy.types.BoolAttribute).data.foreach_get("value", out)
    return out


def world_vertices(obj: bpy.types.Object) -> np.ndarray:
    mesh = obj.data
    assert isinstance(mesh, bpy.types.Mesh)
    co = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
    mesh.vertices.foreach_get("co", co)
    mw = np.array(obj.matrix_world)
    return co.reshape(-1, 3) @ mw[:3, :3].T + mw[:3, 3]


def rigid_fit(rest: np.ndarray, now: np.ndarray) -> RigidFit:
    """The rotation and translation taking ``rest`` onto ``now`` in the least-squares sense."""
    a, b = rest.mean(axis=0), now.mean(axis=0)
    h = (rest - a).T @ (now - b)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(vt.T @ u.T))
    r = vt.T @ np.diag([1.0, 1.0, d]) @ u.T
    t = b - r @ a
    rms = float(np.sqrt(np.mean(np.sum((rest @ r.T + t - now) ** 2, axis=1))))
    return RigidFit(r, t, rms)


def angles(r: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees of r = Rz(-yaw) Rx(-pitch) Ry(-roll)."""
    yaw = math.degrees(math.atan2(r[0, 1], r[1, 1]))
    pitch = -math.degrees(math.asin(max(-1.0, min(1.0, r[2, 1]))))
    roll = math.degrees(math.atan2(r[2, 0], r[2, 2]))
    return yaw, pitch, roll


def _rest_to_posed(body: bpy.types.Object, part_attribute: str) -> RigidFit | None:
    """The rigid motion from the rest shape to the body as it stands, fitted on the vertices
    flagged ``part_attribute`` (None with fewer than three)."""
    mesh = body.data
    assert isinstance(mesh, bpy.types.Mesh)
    part = _flags(mesh, part_attribute)
    if part.sum() < 3:
        return None
    return rigid_fit(_vectors(mesh, PERSON_REST_ATTRIBUTE)[part], world_vertices(body)[part])


def head_pose(body: bpy.types.Object) -> HeadPose | None:
    fit = _rest_to_posed(body, PERSON_SKULL_ATTRIBUTE)
    if fit is None:
        return None
    yaw, pitch, roll = angles(fit.rotation)
    return HeadPose(yaw, pitch, roll, fit)


def body_turn(body: bpy.types.Object) -> float | None:
    """The chest's yaw in degrees (+ towards camera left)."""
    fit = _rest_to_posed(body, PERSON_TORSO_ATTRIBUTE)
    return None if fit is None else angles(fit.rotation)[0]


def expression_weights(body: bpy.types.Object, head: HeadPose) -> dict[str, float]:
    """Face unit -> fitted weight, from every unit displacement the mesh carries."""
    mesh = body.data
    assert isinstance(mesh, bpy.types.Mesh)
    units = sorted(a.name for a in mesh.attributes if a.name.startswith(PERSON_UNIT_PREFIX))
    face = _flags(mesh, PERSON_HEAD_ATTRIBUTE)
    if not units or not face.any():
        return {}
    r, t = head.fit.rotation, head.fit.translation
    local = (world_vertices(body)[face] - t) @ r  # the head's rigid motion taken out
    shift = (local - _vectors(mesh, PERSON_REST_ATTRIBUTE)[face]).ravel()
    basis = np.stack([_vectors(mesh, u)[face].ravel() for u in units], axis=1)
    weights, *_ = np.linalg.lstsq(basis, shift, rcond=None)
    return {u.removeprefix(PERSON_UNIT_PREFIX): float(w) for u, w in zip(units, weights, strict=True)}


def gaze_offsets(eye: bpy.types.Object, target: np.ndarray) -> tuple[float, float, float]:
    """(angle to the target, yaw, pitch) in degrees of the eye's axis (its local -y) from the line
    from the eye to ``target``: yaw + towards camera left (-x as seen from the sitter facing -y),
    pitch + up."""
    mw = np.array(eye.matrix_world)
    axis = -mw[:3, 1] / np.linalg.norm(mw[:3, 1])
    line = target - mw[:3, 3]
    line /= np.linalg.norm(line)
    angle = math.degrees(math.acos(max(-1.0, min(1.0, float(axis @ line)))))
    yaw = math.degrees(math.atan2(line[1], line[0]) - math.atan2(axis[1], axis[0]))
    yaw = (yaw + 180.0) % 360.0 - 180.0
    pitch = math.degrees(math.asin(max(-1.0, min(1.0, axis[2]))) - math.asin(max(-1.0, min(1.0, line[2]))))
    return angle, yaw, pitch
