"""Your own subject: a model file placed, turned, scaled, posed and dressed in the spec's materials
so its pupils are on the focus point. The parts live in ``model/``; this is the order they run in.

1. **Import** (``model/files.py``): Blender's importers; a rebuild with the same file keeps the
   objects and puts them back as imported (transform and pose) first, so every build starts from
   the file.
2. **Materials**: ``spec.subject.materials`` maps the model's material names (Blender's ".001"
   suffixes ignored) to a role: "skin" gets PS_Skin (or a copy carrying the model's colour
   texture, ``model/skin_texture.py``), "gold" PS_Gold, "eyes" PS_Eye, "keep" (and any name not
   mapped) the model's own. Object-level slots override the mapped ones; the model's own
   materials stay in its data.
3. **Eyes** (``measure/eyes.py``): from the faces that use the eye material, else vertex groups
   or bones named like eyes, else, for a standing full figure, from its head
   (``model/head_rule.py``); else the build stops (exit 2) naming the mapping to add.
4. **Unit** (``model/units.py``): from the eyes' distance apart (or the figure's height); a file
   in centimetres, decimetres, millimetres or inches is scaled to metres, and the build says so.
5. **Upright and facing**: a model whose head's up is more than 45 deg from +Z (an OBJ written Z
   up, read Y up) is stood up by the nearest quarter turns; then it is turned about the vertical
   so its face looks along the camera axis turned by ``subject.pose.body_turn_deg``.
6. **Pose** (``model/pose.py``): on a rig with the usual bones, raised arms are hung down and the
   head is turned by the spec's head yaw (relative to the body turn), pitch and roll.
7. **Place**: the eyes are found again on the posed model and it is moved so the pupils'
   midpoint is on the focus point.
8. **Regions** (``head_regions.py``): skin meshes keep vertex groups named as the regions; the
   missing ones are made by the head-frame rules (and remade on every build).

Notes (the unit found, a model stood up, a pose the rig cannot do, eyes estimated) are returned
and stored on the model's objects (``contract.MODEL_NOTES_KEY``), where verify reports them.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import bpy
import numpy as np
from mathutils import Matrix, Vector

from ...core.errors import Problem, SpecError
from ...core.spec import SKIN_REGIONS, Spec
from ..contract import EYE_ESTIMATE_KEY, EYE_SOURCE_KEY, MODEL_NOTES_KEY, objects_with_role, remove_object
from ..measure.eyes import Eyes, find_eyes, mesh_points
from ..narrow import mesh_of, present
from .head_regions import landmarks, region_weights
from .materials.eyes import eye_material
from .materials.gold import gold_material
from .materials.skin import skin_material
from .model import head_rule, pose
from .model.eye_shading import globe_radius, model_eye_material, write_eye_attributes
from .model.files import SOURCE_KEY, import_objects, resolve_model_path, restore_import_state, roots
from .model.skin_texture import textured_skin
from .model.units import adult_note, unit_from_eyes, unit_from_stature

ORIGINALS_KEY = "portrait_spec_original_materials"
GENERATED_KEY = "portrait_spec_generated_regions"
UPRIGHT_LIMIT_DEG = 45.0
NECK_SLICE_UNDER_CHIN_M = 0.025
NECK_SLICE_HALF_M = 0.008
NECK_SEARCH_RADIUS_M = 0.12
NECK_BEHIND_EYES_M = 0.075
CHAIN_CLEAR_OF_CHIN_M = 0.045  # as the person: the chain may rest 4.5 cm under the chin
CHAIN_REST_MIN_BELOW_EYES_M = 0.14
CHAIN_REST_DEFAULT_BELOW_EYES_M = 0.16
HAIR_WORDS = ("hair", "lash", "brow", "beard", "moustache", "mustache", "fur", "scalp")
EYE_WORDS = ("eye", "iris", "cornea", "sclera", "pupil")


@dataclass(kw_only=True)
class ImportResult:
    objects: list[bpy.types.Object]
    source: str
    skin_objects: list[bpy.types.Object]
    gold_objects: list[bpy.types.Object]
    eye_objects: list[bpy.types.Object]
    #: other meshes a chain may rest on (clothes; not hair, lashes or brows)
    rest_objects: list[bpy.types.Object] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    eye_source: str = ""
    #: the neck's vertical axis (world x, y) and how far below the eyes a chain may rest in front
    neck_axis_xy: tuple[float, float] | None = None
    rest_below_eyes_m: float = CHAIN_REST_DEFAULT_BELOW_EYES_M
    notes: list[str] = field(default_factory=list)


def material_role(mapping: dict[str, str], name: str) -> str:
    """The mapped role of a material name; Blender's ".001" de-duplication suffix is ignored."""
    if name in mapping:
        return mapping[name]
    base = re.sub(r"\.\d{3}$", "", name)
    return mapping.get(base, "keep")


def is_eye_material(mat: bpy.types.Material | None) -> bool:
    return mat is not None and mat.get("portrait_spec_material") == "eyes"


@dataclass
class _Mapped:
    by_role: dict[str, list[bpy.types.Object]]
    #: original skin material name -> the (object, slot indices) using it
    skin_slots: dict[str, list[tuple[bpy.types.Object, list[int]]]]
    #: object name -> its slots mapped to "eyes"
    eye_slots: dict[str, list[int]]


def _apply_materials(objects: list[bpy.types.Object], spec: Spec) -> _Mapped:
    """Object-level material slots override the mapped ones; the model's own stay in its data."""
    mapping = dict(spec.subject.materials)
    made = {"skin": skin_material(spec), "gold": gold_material(spec), "eyes": eye_material()}
    by_role: dict[str, list[bpy.types.Object]] = {"skin": [], "gold": [], "eyes": []}
    skin_slots: dict[str, list[tuple[bpy.types.Object, list[int]]]] = {}
    eye_slots: dict[str, list[int]] = {}
    for obj in objects:
        if obj.type != "MESH":
            continue
        if obj.get(ORIGINALS_KEY) is None:  # first import: remember the model's own material names
            obj[ORIGINALS_KEY] = [s.material.name if s.material else "" for s in obj.material_slots]
        originals = list(obj[ORIGINALS_KEY])
        for index, (slot, original) in enumerate(zip(obj.material_slots, originals, strict=False)):
            role = material_role(mapping, original)
            if role in made:
                slot.link = "OBJECT"
                slot.material = made[role]
                if obj not in by_role[role]:
                    by_role[role].append(obj)
                if role == "eyes":
                    eye_slots.setdefault(obj.name, []).append(index)
                if role == "skin":
                    entry = skin_slots.setdefault(original, [])
                    if entry and entry[-1][0] is obj:
                        entry[-1][1].append(index)
                    else:
                        entry.append((obj, [index]))
            else:
                slot.link = "DATA"
    return _Mapped(by_role, skin_slots, eye_slots)


def _apply_textures(mapped: _Mapped, spec: Spec) -> list[str]:
    base = skin_material(spec)
    textured: list[str] = []
    for original, users in mapped.skin_slots.items():
        mat = textured_skin(base, bpy.data.materials[original], users) if original in bpy.data.materials else None
        if mat is None:
            continue
        for obj, slots in users:
            for i in slots:
                obj.material_slots[i].material = mat
        textured.append(original)
    return textured


def _file_materials(objects: list[bpy.types.Object]) -> list[str]:
    """The model's material names as the file has them (without Blender's ".001" suffixes)."""
    names = {re.sub(r"\.\d{3}$", "", str(n)) for o in objects if o.type == "MESH" for n in o.get(ORIGINALS_KEY, []) if n}
    return sorted(names)


def _no_eyes(spec: Spec, objects: list[bpy.types.Object], model: str) -> SpecError:
    names = _file_materials(objects)
    mapped_eyes = [n for n in names if material_role(dict(spec.subject.materials), n) == "eyes"]
    candidates = [n for n in names if any(w in n.lower() for w in EYE_WORDS) and n not in mapped_eyes]
    example = candidates[0] if candidates else (names[0] if names else "EyeMaterial")
    if mapped_eyes:
        found = (f"the faces of {', '.join(map(repr, mapped_eyes))} (mapped to \"eyes\") in {model!r} are not two "
                 "separate eyes")
    else:
        found = f"no eyes in {model!r}: no material is mapped to \"eyes\""
    found += ", no vertex group or bone is named like an eye, and it is not a standing full figure"
    allowed = (f'the material of both eyes mapped to "eyes", e.g. [subject.materials] "{example}" = "eyes" '
               f"(the file's materials: {', '.join(names) or 'none'}), or vertex groups or bones named eye.L/eye.R")
    return SpecError([Problem("subject.materials", found, allowed)])


def _snap_upright(up: np.ndarray) -> Matrix:
    """The quarter-turn rotation (a signed axis permutation) nearest to the one taking ``up`` to +Z."""
    exact = Vector(tuple(up)).rotation_difference(Vector((0.0, 0.0, 1.0))).to_matrix()
    m = np.array(exact)
    snapped = np.zeros((3, 3))
    for col in range(3):
        row = int(np.argmax(np.abs(m[:, col])))
        snapped[row, col] = math.copysign(1.0, m[row, col])
    if sorted(np.abs(snapped).sum(axis=0)) != [1.0, 1.0, 1.0] or abs(np.linalg.det(snapped) - 1.0) > 1e-9 \
            or sorted(np.abs(snapped).sum(axis=1)) != [1.0, 1.0, 1.0]:
        return exact
    return Matrix(snapped.tolist())


def _yaw_to(forward: np.ndarray, body_turn_deg: float) -> float:
    """Angle about +Z taking ``forward``'s horizontal part to the camera axis turned by the body
    turn (+ towards camera left, -X): the target is (-sin t, -cos t, 0)."""
    t = math.radians(body_turn_deg)
    target = (-math.sin(t), -math.cos(t))
    return math.atan2(forward[0] * target[1] - forward[1] * target[0], forward[0] * target[0] + forward[1] * target[1])


def _move(objects: list[bpy.types.Object], transform: Matrix) -> None:
    for obj in roots(objects):
        obj.matrix_world = transform @ obj.matrix_world
    present(bpy.context.view_layer, "view layer").update()


@dataclass
class _Placed:
    eyes: Eyes | None  # None when estimated by the head rule
    source: str
    factor: float
    left: np.ndarray  # the sitter's left (world), for the head's frame


def _place(spec: Spec, objects: list[bpy.types.Object], eye_point: tuple[float, float, float], model: str,
           notes: list[str]) -> _Placed:
    eyes = find_eyes(objects, is_eye_material)
    focus = Vector(eye_point)
    if eyes is None:
        points = mesh_points(objects)
        stature = float(np.ptp(points[:, 2])) if len(points) else 0.0
        try:
            unit = unit_from_stature(stature, model)
        except SpecError:
            raise _no_eyes(spec, objects, model) from None
        estimate = head_rule.estimate(points, unit.factor)
        if estimate is None:
            raise _no_eyes(spec, objects, model)
        notes.append("no eyes found (no material mapped to \"eyes\", no eye groups or bones): the eye point is "
                     "estimated from the head of the standing figure, facing -Y (model/head_rule.py)")
        if (note := unit.note("height", stature)) is not None:
            notes.append(note)
        mid = Vector(tuple(estimate.pupil_midpoint))
        turn = Matrix.Rotation(math.radians(-spec.subject.pose.body_turn_deg), 4, "Z")
        _move(objects, Matrix.Translation(focus.to_tuple()) @ turn @ Matrix.Scale(unit.factor, 4) @ Matrix.Translation((-mid).to_tuple()))
        left = np.array(turn.to_3x3() @ Vector((1.0, 0.0, 0.0)))
        for rig in (o for o in objects if o.type == "ARMATURE" and o.pose is not None):
            if lowered := pose.lower_arms(rig, left):
                notes.append(f"arms lowered from the file's pose: {', '.join(lowered)}")
        root = roots(objects)[0]
        local = root.matrix_world.inverted() @ focus
        root[EYE_ESTIMATE_KEY] = [local.x, local.y, local.z]
        return _Placed(None, "head rule", unit.factor, left)

    unit = unit_from_eyes(eyes.interpupillary, model)
    if (note := unit.note("eyes' distance apart", eyes.interpupillary)) is not None:
        notes.append(note)
    if (note := adult_note(eyes.interpupillary * unit.factor)) is not None:
        notes.append(note)
    upright = Matrix.Identity(3)
    if Vector(tuple(eyes.up)).angle(Vector((0.0, 0.0, 1.0))) > math.radians(UPRIGHT_LIMIT_DEG):
        upright = _snap_upright(eyes.up)
        notes.append("the model's head was not upright as imported (the file's up axis differs from what its "
                     "format says): stood up by quarter turns")
    forward = np.array(upright @ Vector(tuple(eyes.forward)))
    turn = Matrix.Rotation(_yaw_to(forward, spec.subject.pose.body_turn_deg), 3, "Z")
    rotation = turn @ upright
    mid = Vector(tuple(eyes.pupil_midpoint))
    _move(objects, Matrix.Translation(focus.to_tuple()) @ rotation.to_4x4() @ Matrix.Scale(unit.factor, 4)
          @ Matrix.Translation((-mid).to_tuple()))
    _pose(spec, objects, np.array(rotation @ Vector(tuple(eyes.forward))), np.array(rotation @ Vector(tuple(eyes.across))), notes)
    placed = find_eyes(objects, is_eye_material)
    if placed is None:  # the pose (a head bent into the body) left no two eyes to find
        raise _no_eyes(spec, objects, model)
    _move(objects, Matrix.Translation((focus - Vector(tuple(placed.pupil_midpoint))).to_tuple()))
    final = find_eyes(objects, is_eye_material)
    left = final.across if final is not None else np.array(rotation @ Vector(tuple(eyes.across)))
    return _Placed(final, eyes.source, unit.factor, left)


def _pose(spec: Spec, objects: list[bpy.types.Object], forward: np.ndarray, left: np.ndarray, notes: list[str]) -> None:
    rigs = [o for o in objects if o.type == "ARMATURE" and o.pose is not None]
    p = spec.subject.pose
    turned = any(abs(v) > 1e-9 for v in (p.head_yaw_deg - p.body_turn_deg, p.head_pitch_deg, p.head_roll_deg))
    head_done = False
    for rig in rigs:
        lowered = pose.lower_arms(rig, left)
        if lowered:
            notes.append(f"arms lowered from the file's pose: {', '.join(lowered)}")
        if turned and not head_done:
            rotation = pose.head_rotation(p.head_yaw_deg - p.body_turn_deg, p.head_pitch_deg, p.head_roll_deg, forward, left)
            head_done = bool(pose.turn_head(rig, rotation))
    if turned and not head_done:
        notes.append("subject.pose head yaw, pitch and roll not applied: the model has no rig with a head bone")
    if p.gaze != "camera":
        notes.append("subject.pose.gaze not applied: a model's eyes are rendered as the file has them")


def _evaluated(obj: bpy.types.Object) -> tuple[np.ndarray, np.ndarray] | None:
    """World positions and unit normals of ``obj``'s vertices as rendered, when the evaluated mesh
    has the same vertices as the data (so vertex groups index it)."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    ev = obj.evaluated_get(depsgraph)
    mesh = ev.to_mesh()
    try:
        n = len(mesh.vertices)
        if n != len(mesh_of(obj).vertices):
            return None
        co, nrm = np.empty(n * 3), np.empty(n * 3)
        mesh.vertices.foreach_get("co", co)
        mesh.vertices.foreach_get("normal", nrm)
    finally:
        ev.to_mesh_clear()
    mw = np.array(ev.matrix_world)
    rot = mw[:3, :3]
    normals = nrm.reshape(-1, 3) @ np.linalg.inv(rot)  # the inverse transpose, applied to rows
    normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    return co.reshape(-1, 3) @ rot.T + mw[:3, 3], normals


def _head_frame(across: np.ndarray) -> np.ndarray:
    """Rows: the head frame's x (the sitter's left), y (backwards) and z (up) in world space, with
    z the world's up: the model stands upright by now, and the rules read heights as heights."""
    left = np.array([across[0], across[1], 0.0])
    left /= max(float(np.linalg.norm(left)), 1e-12)
    up = np.array([0.0, 0.0, 1.0])
    return np.array([left, np.cross(up, left), up])


def _neck_and_regions(skin: list[bpy.types.Object], across: np.ndarray, focus: np.ndarray,
                      notes: list[str]) -> tuple[list[str], tuple[float, float] | None, float]:
    """Region vertex groups on the skin meshes; the neck's axis (world x, y) and how far below the
    eyes the chain may rest in front.

    The neck's axis is the middle of the skin's horizontal slice 2.5 cm under the chin (the
    menton, ``head_regions.landmarks``), among the skin within 12 cm of a point 7.5 cm behind the
    pupils (the bust's neck axis), so arms, hands and hair are left out.
    """
    for obj in skin:  # regions made on the previous build are made again
        for name in list(obj.get(GENERATED_KEY, [])):
            if str(name) in obj.vertex_groups:
                obj.vertex_groups.remove(obj.vertex_groups[str(name)])
        obj[GENERATED_KEY] = []
    found = {g.name for o in skin for g in o.vertex_groups if g.name in SKIN_REGIONS}
    geometry = {o.name: _evaluated(o) for o in skin}
    valid = [g for g in geometry.values() if g is not None]
    if not valid:
        return sorted(found), None, CHAIN_REST_DEFAULT_BELOW_EYES_M
    frame = _head_frame(across)
    local = np.concatenate([g[0] for g in valid])
    local = (local - focus) @ frame.T
    normals = np.concatenate([g[1] for g in valid]) @ frame.T
    marks = landmarks(local, normals)
    menton = marks.menton_z if marks is not None else -(CHAIN_REST_DEFAULT_BELOW_EYES_M - CHAIN_CLEAR_OF_CHIN_M)
    rest = max(-menton + CHAIN_CLEAR_OF_CHIN_M, CHAIN_REST_MIN_BELOW_EYES_M)
    slab = np.abs(local[:, 2] - (menton - NECK_SLICE_UNDER_CHIN_M)) < NECK_SLICE_HALF_M
    ring = local[slab & (np.hypot(local[:, 0], local[:, 1] - NECK_BEHIND_EYES_M) < NECK_SEARCH_RADIUS_M)]
    neck_local = (0.5 * (ring[:, 0].min() + ring[:, 0].max()), 0.5 * (ring[:, 1].min() + ring[:, 1].max())) \
        if len(ring) >= 8 else (0.0, NECK_BEHIND_EYES_M)
    neck_world = focus + frame.T @ np.array([neck_local[0], neck_local[1], 0.0])
    made: set[str] = set()
    for obj in skin:
        g = geometry[obj.name]
        missing = [r for r in SKIN_REGIONS if r not in obj.vertex_groups]
        if g is None or not missing:
            continue
        weights = region_weights((g[0] - focus) @ frame.T, g[1] @ frame.T, neck_local)
        if weights is None:
            continue
        generated = []
        for region in missing:
            chosen = np.flatnonzero(weights[region] > 0.5)
            if len(chosen):
                obj.vertex_groups.new(name=region).add(chosen.tolist(), 1.0, "REPLACE")
                generated.append(region)
        obj[GENERATED_KEY] = generated
        made.update(generated)
    if made:
        notes.append(f"skin regions made by the head-frame rules (head_regions.py): {', '.join(sorted(made))}")
    return sorted(found | made), (float(neck_world[0]), float(neck_world[1])), rest


def _hair_like(obj: bpy.types.Object) -> bool:
    names = [obj.name, *(str(n) for n in obj.get(ORIGINALS_KEY, []))]
    return any(word in n.lower() for n in names for word in HAIR_WORDS)


def import_model(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, spec_dir: Path | None,
                 eye_point: tuple[float, float, float]) -> ImportResult:
    path = resolve_model_path(spec, spec_dir)
    existing = [o for o in objects_with_role(scene, "subject") if o.get(SOURCE_KEY) == str(path)]
    if existing:
        objects = existing
        restore_import_state(objects)
    else:
        for obj in objects_with_role(scene, "subject"):
            remove_object(obj)
        objects = import_objects(scene, collection, path)
    mapped = _apply_materials(objects, spec)
    notes: list[str] = []
    placed = _place(spec, objects, eye_point, path.name, notes)
    if placed.eyes is not None and placed.eyes.source == "eye faces":
        model_eye_material(globe_radius(placed.eyes))
        write_eye_attributes(objects, placed.eyes, mapped.eye_slots)
    textured = _apply_textures(mapped, spec)
    if textured:
        notes.append(f"skin keeps the colour texture of {', '.join(textured)}, its mean set to the spec's skin tone")
    skin = mapped.by_role["skin"]
    regions, neck, rest = _neck_and_regions(skin, placed.left, np.array(eye_point), notes)
    for obj in roots(objects):
        obj[MODEL_NOTES_KEY] = json.dumps(notes)
        obj[EYE_SOURCE_KEY] = placed.source
    eye_objects = mapped.by_role["eyes"]
    rest_objects = [o for o in objects if o.type == "MESH" and not o.hide_render and o not in skin
                    and o not in eye_objects and o not in mapped.by_role["gold"] and not _hair_like(o)]
    return ImportResult(objects=objects, source=str(path), skin_objects=skin, gold_objects=mapped.by_role["gold"],
                        eye_objects=eye_objects, rest_objects=rest_objects, regions=regions, eye_source=placed.source,
                        neck_axis_xy=neck, rest_below_eyes_m=rest, notes=notes)
