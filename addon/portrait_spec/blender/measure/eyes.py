"""Where a character's eyes are, read from its geometry as it is now (pose, shape keys and all).

Shared by the sitter (which places a model so its eyes land on the focus point) and verify
(which checks that they are there). Three sources, tried in this order:

1. **Eye faces**: the faces that use an eye material (any number of objects and slots), in
   world space on the evaluated meshes. They are split into two eyes along their principal axis
   at the widest gap between face centres; each eye's centre is the area-weighted centroid of its
   faces (the globe's centre for an eyeball). Two compact clusters are required: each narrower
   than the gap between them, neither holding less than a fifth of the other's area.
2. **Vertex groups** named like eyes (``EYE_NAMES``): the weighted centroid of the vertices with
   weight over one half.
3. **Bones** named like eyes: the bone's head, which every common rig puts at the globe's centre.

Names are compared by ``name_key``: lower case, without a namespace (``mixamorig:``), digits and
separators, so ``eye.L``, ``Eye_L``, ``LeftEye``, ``mixamorig:LeftEye``, ``CC_Base_L_Eye`` (Character
Creator), ``lEye`` (DAZ Genesis), ``J_Adj_L_FaceEye`` (VRoid), ``FACIAL_L_Eye`` (MetaHuman),
``DEF-eye.L`` (Rigify) and ``helper-l-eye`` (MakeHuman) are all the left eye. Sides are the
character's own, as every one of those conventions uses.

The head frame: ``forward`` is the direction, square to the line between the eyes, in which the
head reaches least far from them (``face_direction``); ``up`` completes the frame on the side
away from the rest of the body (the centroid of every vertex lies below the eyes, for a bust as
for a full figure). The pupil of each eye is its centre moved
along ``forward`` to the eye's front-most point (the cornea's apex); for a bone, whose eye has no
faces, by the globe radius, 12 mm for an eye 63 mm from its pair (Bekerman et al. 2014, axial
length 23-24 mm; Dodgson 2004, mean adult IPD 63 mm).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import product
from typing import Literal

import bpy
import numpy as np

from ..narrow import mesh_of, present

EyeSource = Literal["eye faces", "vertex groups", "bones"]
HEAD_RADIUS_IN_IPD = 2.5
GLOBE_RADIUS_IN_IPD = 0.012 / 0.063
MIN_AREA_SHARE = 0.2
GROUP_WEIGHT = 0.5


def name_key(name: str) -> str:
    """A bone or group name without namespace, case, digits or separators."""
    return re.sub(r"[^a-z]", "", name.rsplit(":", 1)[-1].rsplit("|", 1)[-1].lower())


def _sided(cores: tuple[str, ...], prefixes: tuple[str, ...], side: Literal["L", "R"]) -> frozenset[str]:
    marks = ("l", "left") if side == "L" else ("r", "right")
    return frozenset(n for p, s, c in product(prefixes, marks, cores) for n in (p + s + c, p + c + s))


EYE_CORES = ("eye", "eyeball", "faceeye")
EYE_PREFIXES = ("", "def", "org", "mch", "ccbase", "jadj", "jbip", "facial", "helper", "joint", "bip")
#: ``name_key`` of every accepted left and right eye group or bone name
EYE_NAMES: dict[Literal["L", "R"], frozenset[str]] = {
    "L": _sided(EYE_CORES, EYE_PREFIXES, "L"),
    "R": _sided(EYE_CORES, EYE_PREFIXES, "R"),
}


@dataclass(frozen=True, kw_only=True)
class Eyes:
    """Both eyes in world space, metres of the scene as it is now."""

    source: EyeSource
    detail: str  # what was read, for messages and the verify report
    left: np.ndarray  # centre of the character's left eye
    right: np.ndarray
    left_pupil: np.ndarray
    right_pupil: np.ndarray
    forward: np.ndarray  # unit: where the face points
    up: np.ndarray  # unit: the head's up, square to forward

    @property
    def pupil_midpoint(self) -> np.ndarray:
        return np.asarray(0.5 * (self.left_pupil + self.right_pupil))

    @property
    def interpupillary(self) -> float:
        return float(np.linalg.norm(self.left_pupil - self.right_pupil))

    @property
    def across(self) -> np.ndarray:
        """Unit: from the right eye to the left (the character's left)."""
        d = self.left - self.right
        return np.asarray(d / np.linalg.norm(d))


@dataclass(frozen=True)
class _Eye:
    centre: np.ndarray
    points: np.ndarray | None  # the eye's vertices, when it has geometry


def evaluated_vertices(obj: bpy.types.Object, depsgraph: bpy.types.Depsgraph) -> np.ndarray:
    ev = obj.evaluated_get(depsgraph)
    mesh = ev.to_mesh()
    try:
        co = np.empty(len(mesh.vertices) * 3)
        mesh.vertices.foreach_get("co", co)
    finally:
        ev.to_mesh_clear()
    mw = np.array(ev.matrix_world)
    return np.asarray(co.reshape(-1, 3) @ mw[:3, :3].T + mw[:3, 3])


def mesh_points(objects: Iterable[bpy.types.Object]) -> np.ndarray:
    """Every vertex of the rendered meshes among ``objects``, world space, evaluated."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    parts = [evaluated_vertices(o, depsgraph) for o in objects if o.type == "MESH" and not o.hide_render]
    return np.concatenate(parts) if parts else np.zeros((0, 3))


def _eye_faces(objects: Iterable[bpy.types.Object], is_eye: Callable[[bpy.types.Material | None], bool]
               ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray], list[str]]:
    """Centres, areas and vertex rings (world) of every face using an eye material."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    centres, areas, rings, names = [], [], [], []
    for obj in objects:
        if obj.type != "MESH" or obj.hide_render:
            continue
        slots = [i for i, s in enumerate(obj.material_slots) if is_eye(s.material)]
        if not slots:
            continue
        ev = obj.evaluated_get(depsgraph)
        mesh = ev.to_mesh()
        try:
            n = len(mesh.polygons)
            index = np.empty(n, dtype=np.int32)
            mesh.polygons.foreach_get("material_index", index)
            chosen = np.flatnonzero(np.isin(index, slots))
            if len(chosen) == 0:
                continue
            mw = np.array(ev.matrix_world)
            co = np.empty(len(mesh.vertices) * 3)
            mesh.vertices.foreach_get("co", co)
            world = co.reshape(-1, 3) @ mw[:3, :3].T + mw[:3, 3]
            start, total = np.empty(n, dtype=np.int32), np.empty(n, dtype=np.int32)
            mesh.polygons.foreach_get("loop_start", start)
            mesh.polygons.foreach_get("loop_total", total)
            loops = np.empty(len(mesh.loops), dtype=np.int32)
            mesh.loops.foreach_get("vertex_index", loops)
            for f in chosen:
                ring = world[loops[start[f]:start[f] + total[f]]]
                centre = ring.mean(axis=0)
                # Area of the (planar or nearly planar) polygon: half the norm of the summed cross products.
                area = 0.5 * np.linalg.norm(np.cross(ring - centre, np.roll(ring, -1, axis=0) - centre).sum(axis=0))
                centres.append(centre)
                areas.append(area)
                rings.append(ring)
            names.append(obj.name)
        finally:
            ev.to_mesh_clear()
    if not centres:
        return np.zeros((0, 3)), np.zeros(0), [], []
    return np.array(centres), np.array(areas), rings, names


def split_pair(centres: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Boolean masks of two compact clusters of ``centres`` split at the widest gap along their
    principal axis, or None when the points are not two separate eyes."""
    if len(centres) < 2 or weights.sum() <= 0.0:
        return None
    w = weights / weights.sum()
    mean = (centres * w[:, None]).sum(axis=0)
    d = centres - mean
    cov = (d * w[:, None]).T @ d
    axis = np.linalg.eigh(cov)[1][:, -1]
    t = d @ axis
    order = np.argsort(t)
    gaps = np.diff(t[order])
    cut = int(np.argmax(gaps))
    gap = float(gaps[cut])
    first = np.zeros(len(t), dtype=bool)
    first[order[: cut + 1]] = True
    second = ~first
    widths = [float(np.ptp(centres[m] @ axis)) for m in (first, second)]
    shares = [float(weights[m].sum()) for m in (first, second)]
    # Half a cluster's width: eyeballs that fill MakeHuman's lids (31 mm at 58 mm apart) leave a
    # gap under one width, while one eye's faces split anywhere leave a gap far under half.
    if gap <= 0.5 * max(widths) or min(shares) < MIN_AREA_SHARE * max(shares):
        return None
    return first, second


def _from_faces(objects: list[bpy.types.Object], is_eye: Callable[[bpy.types.Material | None], bool]
                ) -> tuple[_Eye, _Eye, str] | None:
    centres, areas, rings, names = _eye_faces(objects, is_eye)
    pair = split_pair(centres, np.maximum(areas, 1e-12))
    if pair is None:
        return None
    eyes = []
    for mask in pair:
        w = np.maximum(areas[mask], 1e-12)
        centre = (centres[mask] * w[:, None]).sum(axis=0) / w.sum()
        points = np.concatenate([rings[i] for i in np.flatnonzero(mask)])
        eyes.append(_Eye(centre, points))
    return eyes[0], eyes[1], f"{len(centres)} eye faces on {', '.join(names)}"


def _side(name: str) -> Literal["L", "R"] | None:
    key = name_key(name)
    return "L" if key in EYE_NAMES["L"] else "R" if key in EYE_NAMES["R"] else None


def _group_points(obj: bpy.types.Object, group_index: int, world: np.ndarray) -> np.ndarray:
    mesh = obj.data
    assert isinstance(mesh, bpy.types.Mesh)
    chosen = [v.index for v in mesh.vertices for g in v.groups if g.group == group_index and g.weight > GROUP_WEIGHT]
    return np.asarray(world[chosen])


def _from_groups(objects: list[bpy.types.Object]) -> tuple[_Eye, _Eye, str] | None:
    depsgraph = bpy.context.evaluated_depsgraph_get()
    found: dict[str, tuple[np.ndarray, str]] = {}
    for obj in objects:
        if obj.type != "MESH" or obj.hide_render:
            continue
        sides = [(g.index, g.name, s) for g in obj.vertex_groups if (s := _side(g.name)) is not None]
        if not sides:
            continue
        world = evaluated_vertices(obj, depsgraph)
        vertices = mesh_of(obj).vertices
        if len(world) != len(vertices):  # a modifier changed the topology: use the rest shape
            co = np.empty(len(vertices) * 3)
            vertices.foreach_get("co", co)
            mw = np.array(obj.matrix_world)
            world = co.reshape(-1, 3) @ mw[:3, :3].T + mw[:3, 3]
        for index, name, side in sides:
            points = _group_points(obj, index, world)
            if len(points) and side not in found:
                found[side] = (points, f"{name} on {obj.name}")
    if len(found) < 2:
        return None
    left, right = found["L"][0], found["R"][0]
    return (_Eye(left.mean(axis=0), left), _Eye(right.mean(axis=0), right),
            f"vertex groups {found['L'][1]}, {found['R'][1]}")


def _from_bones(objects: list[bpy.types.Object]) -> tuple[_Eye, _Eye, str] | None:
    found: dict[str, tuple[np.ndarray, str]] = {}
    for obj in objects:
        if obj.type != "ARMATURE" or obj.pose is None:
            continue
        mw = np.array(obj.matrix_world)
        for pb in obj.pose.bones:
            side = _side(pb.name)
            if side is not None and side not in found:
                found[side] = (mw[:3, :3] @ np.array(pb.head) + mw[:3, 3], f"{pb.name} of {obj.name}")
    if len(found) < 2:
        return None
    return _Eye(found["L"][0], None), _Eye(found["R"][0], None), f"bones {found['L'][1]}, {found['R'][1]}"


def find_eyes(objects: list[bpy.types.Object], is_eye: Callable[[bpy.types.Material | None], bool]) -> Eyes | None:
    """Both eyes of the character made of ``objects``, from the first source that gives two, or
    None when none does."""
    present(bpy.context.view_layer, "view layer").update()
    sources: list[tuple[EyeSource, Callable[[], tuple[_Eye, _Eye, str] | None], bool]] = [
        ("eye faces", lambda: _from_faces(objects, is_eye), False),
        ("vertex groups", lambda: _from_groups(objects), True),
        ("bones", lambda: _from_bones(objects), True),
    ]
    for source, read, sided in sources:
        found = read()
        if found is None:
            continue
        first, second, detail = found
        eyes = _frame(first, second, mesh_points(objects), sided, source, detail)
        if eyes is not None:
            return eyes
    return None


def _frame(first: _Eye, second: _Eye, points: np.ndarray, sided: bool, source: EyeSource, detail: str) -> Eyes | None:
    """The head frame and pupils of an eye pair (``first`` is the left eye when ``sided``)."""
    mid = 0.5 * (first.centre + second.centre)
    ipd = float(np.linalg.norm(first.centre - second.centre))
    if ipd <= 0.0 or len(points) == 0:
        return None
    across = (first.centre - second.centre) / ipd
    forward = face_direction(points, mid, across, HEAD_RADIUS_IN_IPD * ipd)
    if forward is None:
        return None
    up = np.cross(forward, across)  # forward x left = up in a right-handed frame (-Y x +X = +Z)
    if not sided and up.dot(mid - points.mean(axis=0)) < 0.0:
        first, second = second, first  # the body is below the eyes: the other eye is the left
        up = -up
    pupils = []
    for eye in (first, second):
        reach = float((eye.points - eye.centre).dot(forward).max()) if eye.points is not None else GLOBE_RADIUS_IN_IPD * ipd
        pupils.append(eye.centre + forward * max(reach, 0.0))
    return Eyes(source=source, detail=detail, left=first.centre, right=second.centre, left_pupil=pupils[0],
                right_pupil=pupils[1], forward=forward, up=up)


def face_direction(points: np.ndarray, mid: np.ndarray, across: np.ndarray, radius: float) -> np.ndarray | None:
    """The direction, square to ``across``, in which the head reaches least far from the eyes.

    Around the eyes the head's surface (with its hair) reaches 2-3 cm forwards (nose tip and
    brow), 11-13 cm up to the crown, 15 cm or more back to the occiput and, through the neck and
    body, past ``radius`` downwards: the direction of least reach (the minimum of the support
    function of the points within ``radius``, over directions square to the line between the
    eyes) is where the face looks, whatever the mesh's density.
    """
    near = points[np.linalg.norm(points - mid, axis=1) < radius] - mid
    if len(near) < 8:
        return None
    helper = np.array([0.0, 0.0, 1.0]) if abs(across[2]) < 0.9 else np.array([1.0, 0.0, 0.0])
    u = np.cross(across, helper)
    u /= np.linalg.norm(u)
    v = np.cross(across, u)
    angles = np.radians(np.arange(0.0, 360.0, 2.0))
    dirs = np.outer(np.cos(angles), u) + np.outer(np.sin(angles), v)
    reach = (near @ dirs.T).max(axis=0)
    best = dirs[int(np.argmin(reach))]
    return np.asarray(best / np.linalg.norm(best))
