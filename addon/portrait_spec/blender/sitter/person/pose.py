"""The standard MakeHuman rig fitted to the shaped mesh, and the pose baked by linear blend
skinning into plain vertex positions (no armature object is left in the scene).

Joints: each bone end of ``rigs/standard/rig.default.json`` is placed by its strategy, as
MPFB2's rig refit does: ``CUBE`` the centre of a joint cube's vertices, ``VERTEX`` one vertex,
``MEAN`` the mean of a few vertices, all on the shaped mesh (before the cubes are removed).

Skinning: every vertex moves by the weighted sum of its bones' transforms (``weights.default
.json``; the weights of a vertex sum to 1). A bone's transform is its parent's composed with its
own rotation about its head joint; bones that do not rotate inherit their parent's. Linear blend
skinning thins a joint bent far, which at a portrait's shoulders and neck (under 45 deg) is not
visible at one subdivision.

The pose: the mesh stands in MakeHuman's A-pose (upper arms ~48 deg below horizontal); each
upper arm is turned about the body's front axis at the shoulder joint until the shoulder-to-elbow
line is ``ARM_FROM_VERTICAL_DEG`` off vertical. The head's rotation (yaw about the vertical,
then pitch about the ears' axis, then roll about the face's axis) is spread over the neck and head
bones (``HEAD_SHARE``), each turning the same axis by its share, so the head ends exactly at the
rotation asked for and the neck bends smoothly. All in the scene frame (``mesh.to_blender``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..cache import cached, file_digest
from . import data
from .mesh import group_centre, to_blender

RIG_JSON = "mpfb2/rigs/standard/rig.default.json"
WEIGHTS_JSON = "mpfb2/rigs/standard/weights.default.json"
ARM_FROM_VERTICAL_DEG = 9.0
#: share of the head's rotation taken by each bone from the base of the neck up
HEAD_SHARE: tuple[tuple[str, float], ...] = (("neck01", 0.15), ("neck02", 0.2), ("neck03", 0.25), ("head", 0.4))
ARMS: tuple[tuple[str, str, float], ...] = (("upperarm01.L", "lowerarm01.L", 1.0), ("upperarm01.R", "lowerarm01.R", -1.0))


@dataclass(frozen=True)
class Bone:
    name: str
    parent: str | None
    head: dict[str, object]
    tail: dict[str, object]


@lru_cache(maxsize=1)
def rig() -> dict[str, Bone]:
    raw = json.loads(data.path(RIG_JSON).read_text())
    return {name: Bone(name, b.get("parent") or None, b["head"], b["tail"]) for name, b in raw.items()}


@lru_cache(maxsize=1)
def weights() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Bone -> (vertex indices, weights)."""
    path = data.path(WEIGHTS_JSON)
    tables = cached("weights_" + file_digest(path), lambda: _parse_weights(path))
    return {bone: (table[:, 0].astype(np.int32), table[:, 1]) for bone, table in tables.items()}


def _parse_weights(path: Path) -> dict[str, np.ndarray]:
    raw = json.loads(path.read_text())["weights"]
    return {bone: np.asarray(pairs, dtype=np.float64).reshape(-1, 2) for bone, pairs in raw.items()}


def bone_weight(bone: str, count: int) -> np.ndarray:
    """The skin weight of ``bone`` for each of the ``count`` base vertices (0 where unlisted)."""
    out = np.zeros(count)
    idx, w = weights().get(bone, (np.zeros(0, dtype=np.int32), np.zeros(0)))
    out[idx] = w
    return out


def _end(verts_mh: np.ndarray, end: dict[str, object]) -> np.ndarray:
    strategy = end["strategy"]
    if strategy == "CUBE":
        return group_centre(verts_mh, str(end["cube_name"]))
    if strategy == "VERTEX":
        return np.asarray(verts_mh[int(end["vertex_index"])])  # type: ignore[call-overload]
    if strategy == "MEAN":
        return np.asarray(verts_mh[list(end["vertex_indices"])].mean(axis=0))  # type: ignore[call-overload]
    raise ValueError(f"{RIG_JSON}: unknown joint strategy {strategy!r}")


def joints(verts_mh: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Bone -> (head, tail) in the scene frame, from the shaped MakeHuman-frame vertices."""
    return {name: (to_blender(_end(verts_mh, b.head)), to_blender(_end(verts_mh, b.tail))) for name, b in rig().items()}


def rotation(axis: np.ndarray, angle_rad: float) -> np.ndarray:
    """Rotation matrix about the unit ``axis`` (Rodrigues)."""
    x, y, z = axis / np.linalg.norm(axis)
    c, s = math.cos(angle_rad), math.sin(angle_rad)
    k = np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])
    return np.eye(3) + s * k + (1.0 - c) * (k @ k)


def head_rotation(yaw_deg: float, pitch_deg: float, roll_deg: float) -> np.ndarray:
    """Yaw about +Z (positive turns the face, which looks along -Y, towards camera left, -X),
    then pitch about the head's X (positive lifts the chin), then roll about the face's axis
    (positive tips the crown towards camera left)."""
    yaw = rotation(np.array([0.0, 0.0, 1.0]), -math.radians(yaw_deg))
    pitch = rotation(np.array([1.0, 0.0, 0.0]), -math.radians(pitch_deg))
    roll = rotation(np.array([0.0, 1.0, 0.0]), -math.radians(roll_deg))
    return yaw @ pitch @ roll


def fraction(r: np.ndarray, share: float) -> np.ndarray:
    """The rotation about the same axis as ``r`` by ``share`` of its angle."""
    angle = math.acos(max(-1.0, min(1.0, (np.trace(r) - 1.0) / 2.0)))
    if angle < 1e-9:
        return np.eye(3)
    axis = np.array([r[2, 1] - r[1, 2], r[0, 2] - r[2, 0], r[1, 0] - r[0, 1]]) / (2.0 * math.sin(angle))
    return rotation(axis, share * angle)


def _about(r: np.ndarray, pivot: np.ndarray) -> np.ndarray:
    m = np.eye(4)
    m[:3, :3] = r
    m[:3, 3] = pivot - r @ pivot
    return m


@dataclass(frozen=True)
class Pose:
    """Bone transforms (4x4, scene frame) and the rotation the head ends with."""

    transforms: dict[str, np.ndarray]
    head: np.ndarray


def pose(joint: dict[str, tuple[np.ndarray, np.ndarray]], neck_rotation: np.ndarray) -> Pose:
    local: dict[str, np.ndarray] = {}
    for upper, elbow_bone, side in ARMS:
        shoulder = joint[upper][0]
        elbow = joint[elbow_bone][0]
        d = elbow - shoulder
        now = math.atan2(abs(d[0]), -d[2])  # from straight down, outwards
        # Turning about +Y moves +X towards -Z: the left arm (+X) comes down with a positive angle.
        local[upper] = _about(rotation(np.array([0.0, 1.0, 0.0]), side * (now - math.radians(ARM_FROM_VERTICAL_DEG))), shoulder)
    for bone, share in HEAD_SHARE:
        local[bone] = _about(fraction(neck_rotation, share), joint[bone][0])
    bones = rig()
    world: dict[str, np.ndarray] = {}

    def resolve(name: str) -> np.ndarray:
        if name not in world:
            parent = bones[name].parent
            above = resolve(parent) if parent else np.eye(4)
            own = local.get(name)
            # A child's head moved with its parent, so its own pivot is taken in rest space
            # and the parent's transform applied after.
            world[name] = above @ own if own is not None else above
        return world[name]

    for name in bones:
        resolve(name)
    return Pose(transforms=world, head=world["head"][:3, :3])


def skin(verts: np.ndarray, posed: Pose) -> np.ndarray:
    """Linear blend skinning of scene-frame base vertices (all 19,158, helpers included)."""
    out = np.zeros_like(verts)
    moved = np.zeros(len(verts))
    for bone, (idx, w) in weights().items():
        m = posed.transforms.get(bone)
        if m is None or np.allclose(m, np.eye(4)):
            continue
        out[idx] += w[:, None] * (verts[idx] @ m[:3, :3].T + m[:3, 3])
        moved[idx] += w
    return out + verts * (1.0 - moved)[:, None]


def subtree_weight(root: str, count: int) -> np.ndarray:
    """Per base vertex, the summed skin weight of ``root`` and every bone below it: 1 where the
    vertex moves rigidly with ``root``."""
    bones = rig()

    def under(name: str) -> bool:
        while name:
            if name == root:
                return True
            name = bones[name].parent or ""
        return False

    return np.asarray(sum((bone_weight(b, count) for b in bones if under(b)), np.zeros(count)))


def torso_weight(count: int) -> np.ndarray:
    """Per base vertex, the summed weight of the spine, root and breast bones: 1 where the vertex
    moves only with the body turn."""
    return np.asarray(sum((bone_weight(b, count) for b in rig() if b.startswith(("spine", "root", "breast"))),
                          np.zeros(count)))
