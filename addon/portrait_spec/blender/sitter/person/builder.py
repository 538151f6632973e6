"""The person in the scene: the skin mesh (with its regions, the rest shape and MakeHuman's
vertex indices as attributes), two eyes and the garment, created or updated in place.

Objects carry role "subject" and ``portrait_spec_part`` ("person", "person_eye_right",
"person_eye_left", "person_garment"); a rebuild gives each its new mesh and keeps the object.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

import bpy
import numpy as np
from mathutils import Matrix

from ....core.framing import EYES_FROM_TOP, frame_height_m, portrait_camera
from ....core.spec import Spec
from ...contract import (
    HAIR_WHITE_ATTRIBUTE,
    PART_KEY,
    PERSON_EYE_PARTS,
    PERSON_GARMENT_PART,
    PERSON_HEAD_ATTRIBUTE,
    PERSON_PART,
    PERSON_REST_ATTRIBUTE,
    PERSON_SKULL_ATTRIBUTE,
    PERSON_TORSO_ATTRIBUTE,
    PERSON_UNIT_PREFIX,
    tag,
)
from ...narrow import of_type
from ..bust import eyeball_mesh
from ..materials.fabric import fabric_material
from ..materials.hair import hair_material
from . import pose
from .clumps import set_clumps
from .collide import body_collider
from .expression import basis_units, unit_displacement
from .garment import THICKNESS_M, garment_shell, under_garment
from .geometry import PersonGeometry, body_turn, person_geometry
from .hair import Strands, eyebrows, scalp_hair
from .hair_assets import hair_group
from .hairstyle import CLUMPED
from .lashes import eyelashes
from .regions import region_weights

BODY_NAME = "PS_Person"
EYE_NAMES = ("PS_Person_Eye_R", "PS_Person_Eye_L")
GARMENT_NAME = "PS_Garment"
HAIR_PARTS = (("person_hair", "PS_Hair"), ("person_brows", "PS_Brows"), ("person_lashes", "PS_Lashes"))
SOLIDIFY = "PS_Hem"
SUBDIVISION = "PS_Subdivision"
INDEX_ATTRIBUTE = "ps_base_index"
BASE_VERTICES = 19158
RIGID = 0.999  # a vertex this much weighted to a part moves with it rigidly
CAMERA_SEES_BELOW_M = 0.08  # beyond the frame's bottom edge at the body's depth


CHAIN_CLEAR_OF_CHIN_M = 0.045  # the bust's margin: its chain may rest 16 cm below the eyes, 4.6 cm under its chin
CHAIN_REST_MIN_BELOW_EYES_M = 0.14


@dataclass(kw_only=True)
class PersonParts:
    body: bpy.types.Object
    eyes: list[bpy.types.Object]
    garment: list[bpy.types.Object]
    hair: list[bpy.types.Object]
    geometry: PersonGeometry
    neck_axis_xy: tuple[float, float]
    rest_below_eyes_m: float


def camera_position(spec: Spec, eye_point: np.ndarray) -> np.ndarray:
    cam = spec.camera
    height = cam.height.metres if cam.height is not None else None
    frame = portrait_camera(cam.focal_length_mm, cam.sensor_width_mm, cam.framing, tuple(eye_point), spec.render.resolution, height)
    return np.asarray(frame.position)


def cut_height(spec: Spec, eye_point: np.ndarray) -> float:
    """Below this height no part of the body can be in the frame: the frame's bottom edge at the
    focus, less a margin for the camera looking down past the body's depth."""
    below = frame_height_m(spec.camera.framing) * (1.0 - EYES_FROM_TOP)
    return float(eye_point[2] - below - CAMERA_SEES_BELOW_M)


def find_part(scene: bpy.types.Scene, part: str) -> bpy.types.Object | None:
    for obj in scene.objects:
        if obj.get("portrait_spec_role") == "subject" and obj.get(PART_KEY) == part:
            return obj
    return None


def _part_with_data(scene: bpy.types.Scene, collection: bpy.types.Collection, part: str, name: str,
                    data: bpy.types.Mesh | bpy.types.Curves) -> bpy.types.Object:
    """Our object for ``part`` holding ``data``, at the origin; a rebuild swaps the data in and
    removes the old datablock once nothing uses it."""
    obj = find_part(scene, part)
    if obj is None:
        obj = bpy.data.objects.new(name, data)
        collection.objects.link(obj)
        tag(obj, "subject")
        obj[PART_KEY] = part
    else:
        old = obj.data
        obj.data = data
        if isinstance(old, bpy.types.Mesh) and old.users == 0:
            bpy.data.meshes.remove(old)
        elif isinstance(old, bpy.types.Curves) and old.users == 0:
            bpy.data.hair_curves.remove(old)
    obj.matrix_world = Matrix.Identity(4)
    return obj


def _object(scene: bpy.types.Scene, collection: bpy.types.Collection, part: str, name: str) -> bpy.types.Object:
    """Our object for ``part`` with a new, empty mesh (the old one removed)."""
    return _part_with_data(scene, collection, part, name, bpy.data.meshes.new(name))


def fill_mesh(mesh: bpy.types.Mesh, verts: np.ndarray, quads: np.ndarray) -> None:
    mesh.vertices.add(len(verts))
    mesh.vertices.foreach_set("co", verts.astype(np.float32).ravel())
    mesh.loops.add(quads.size)
    mesh.loops.foreach_set("vertex_index", quads.astype(np.int32).ravel())
    mesh.polygons.add(len(quads))
    mesh.polygons.foreach_set("loop_start", np.arange(0, quads.size, 4, dtype=np.int32))
    mesh.update(calc_edges=True)
    mesh.validate()
    mesh.shade_smooth()


def _point_attribute(mesh: bpy.types.Mesh, name: str, kind: Literal["FLOAT_VECTOR", "INT", "BOOLEAN"],
                     values: np.ndarray) -> None:
    attr = mesh.attributes.new(name, kind, "POINT")
    if not isinstance(attr, bpy.types.FloatVectorAttribute | bpy.types.IntAttribute | bpy.types.BoolAttribute):
        raise TypeError(f"{attr!r} is a {type(attr).__name__}, not a {kind} attribute")
    key = "vector" if kind == "FLOAT_VECTOR" else "value"
    attr.data.foreach_set(key, values.ravel())


def _measurable(mesh: bpy.types.Mesh, geo: PersonGeometry) -> None:
    """What verify measures the pose and expression against (``contract``): the rest shape, the
    vertices moving rigidly with the head, with the chest, the skull (head vertices no face unit
    moves) and each face unit's displacement."""
    idx = geo.base_index
    _point_attribute(mesh, PERSON_REST_ATTRIBUTE, "FLOAT_VECTOR", geo.rest.astype(np.float32))
    _point_attribute(mesh, INDEX_ATTRIBUTE, "INT", idx)
    head = pose.subtree_weight("head", BASE_VERTICES)[idx] >= RIGID
    moved = np.zeros(len(idx), dtype=bool)
    for unit in basis_units():
        d = unit_displacement(unit, BASE_VERTICES)[idx]
        moved |= np.linalg.norm(d, axis=1) > 0.0
        _point_attribute(mesh, PERSON_UNIT_PREFIX + unit, "FLOAT_VECTOR", d.astype(np.float32))
    _point_attribute(mesh, PERSON_HEAD_ATTRIBUTE, "BOOLEAN", head)
    _point_attribute(mesh, PERSON_SKULL_ATTRIBUTE, "BOOLEAN", head & ~moved)
    # The chest under the garment was smoothed a little (``under_garment``, millimetres over a
    # few vertices): the fit over the whole chest still turns with it to well under 0.1 deg.
    _point_attribute(mesh, PERSON_TORSO_ATTRIBUTE, "BOOLEAN", pose.torso_weight(BASE_VERTICES)[idx] >= RIGID)


def _regions(obj: bpy.types.Object, weights: dict[str, np.ndarray]) -> None:
    for region, w in weights.items():
        group = obj.vertex_groups.get(region) or obj.vertex_groups.new(name=region)
        for value in np.unique(np.round(w[w > 0.01], 2)):
            idx = np.nonzero(np.abs(np.round(w, 2) - value) < 1e-6)[0]
            group.add(idx.tolist(), float(value), "REPLACE")


def _subdivide(obj: bpy.types.Object) -> None:
    mod = obj.modifiers.get(SUBDIVISION) or obj.modifiers.new(SUBDIVISION, "SUBSURF")
    assert isinstance(mod, bpy.types.SubsurfModifier)
    mod.levels = 1
    mod.render_levels = 1


def _garment(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, geo: PersonGeometry) -> bpy.types.Object:
    obj = _object(scene, collection, PERSON_GARMENT_PART, GARMENT_NAME)
    mesh = obj.data
    assert isinstance(mesh, bpy.types.Mesh)
    verts, quads = garment_shell(geo, spec.subject.garment)
    fill_mesh(mesh, verts, quads)
    mesh.materials.append(fabric_material(spec.subject.garment))
    hem = obj.modifiers.get(SOLIDIFY) or obj.modifiers.new(SOLIDIFY, "SOLIDIFY")
    assert isinstance(hem, bpy.types.SolidifyModifier)
    hem.thickness = THICKNESS_M
    hem.offset = 1.0  # outwards: the inner face stays at the offset from the skin
    hem.use_even_offset = True
    if obj.modifiers.find(SUBDIVISION) < 0:
        _subdivide(obj)
    return obj


def _curves(scene: bpy.types.Scene, collection: bpy.types.Collection, part: str, name: str,
            strands: Strands | None, material: bpy.types.Material) -> bpy.types.Object | None:
    """Hair curves for ``strands`` (a rebuild replaces the curves data), or none: the object of
    a part without strands is removed."""
    obj = find_part(scene, part)
    if strands is None:
        if obj is not None:
            bpy.data.objects.remove(obj, do_unlink=True)
        return None
    data = bpy.data.hair_curves.new(name)
    n, k, _ = strands.points.shape
    data.add_curves([k] * n)
    positions = of_type(data.attributes["position"], bpy.types.FloatVectorAttribute)
    positions.data.foreach_set("vector", np.ascontiguousarray(strands.points, dtype=np.float32).ravel())
    radius = of_type(data.attributes.new("radius", "FLOAT", "POINT"), bpy.types.FloatAttribute)
    radius.data.foreach_set("value", np.tile(strands.radius, n).astype(np.float32))
    if strands.white is not None:
        white = of_type(data.attributes.new(HAIR_WHITE_ATTRIBUTE, "FLOAT", "CURVE"), bpy.types.FloatAttribute)
        white.data.foreach_set("value", strands.white.astype(np.float32))
    data.materials.append(material)
    obj = _part_with_data(scene, collection, part, name, data)
    set_clumps(obj, strands.points, strands.guide)
    return obj


def _aim(gaze: np.ndarray) -> np.ndarray:
    """Rotation taking the eyeball's local -Y onto ``gaze``, its local +Z as close to up as it goes."""
    y = -gaze / np.linalg.norm(gaze)
    z = np.array([0.0, 0.0, 1.0]) - y[2] * y
    z /= np.linalg.norm(z)
    return np.column_stack([np.cross(y, z), y, z])


def build_person(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection,
                 eye_point: tuple[float, float, float]) -> PersonParts:
    if spec.subject.hair.style in CLUMPED:
        # Appended (or found missing: a SpecError) before any part is touched, so a Blender
        # without its hair assets leaves the sitter as it was, not half rebuilt.
        hair_group("Clump Hair Curves")
    focus = np.asarray(eye_point, dtype=np.float64)
    geo = person_geometry(spec.subject, focus, camera_position(spec, focus), cut_height(spec, focus))
    smoothed, _ = under_garment(geo, spec.subject.garment)
    geo = dataclasses.replace(geo, verts=smoothed)
    body = _object(scene, collection, PERSON_PART, BODY_NAME)
    mesh = body.data
    assert isinstance(mesh, bpy.types.Mesh)
    fill_mesh(mesh, geo.verts, geo.quads)
    _measurable(mesh, geo)
    body.vertex_groups.clear()
    weights = region_weights(geo)
    _regions(body, weights)
    _subdivide(body)
    garment = _garment(spec, scene, collection, geo)
    hair_mat = hair_material(spec.subject.hair)
    hair_spec = spec.subject.hair
    grown = (scalp_hair(geo, weights["ears"] > 0.5, hair_spec,
                        body_collider(geo, hair_spec.volume, body_turn(spec.subject.pose.body_turn_deg))),
             eyebrows(geo, hair_spec.brow_density * 1e4),
             eyelashes(geo, hair_spec.lash_length_mm * 1e-3))
    hair = [obj for (part, name), strands in zip(HAIR_PARTS, grown, strict=True)
            if (obj := _curves(scene, collection, part, name, strands, hair_mat)) is not None]
    eyes = []
    for part, name, eye in zip(PERSON_EYE_PARTS, EYE_NAMES, geo.eyes, strict=True):
        obj = _object(scene, collection, part, name)
        assert isinstance(obj.data, bpy.types.Mesh)
        eyeball_mesh(obj.data, eye.radius)
        m = np.eye(4)
        m[:3, :3] = _aim(eye.gaze)
        m[:3, 3] = eye.centre
        obj.matrix_world = Matrix(m.tolist())  # rows; a nested list assigned directly reads as columns
        eyes.append(obj)
    chin_z = float(geo.verts[weights["chin"] > 0.5][:, 2].min())
    below = max(CHAIN_REST_MIN_BELOW_EYES_M, float(focus[2]) - chin_z + CHAIN_CLEAR_OF_CHIN_M)
    return PersonParts(body=body, eyes=eyes, garment=[garment], hair=hair, geometry=geo,
                       neck_axis_xy=(float(geo.neck_axis[0]), float(geo.neck_axis[1])), rest_below_eyes_m=below)
