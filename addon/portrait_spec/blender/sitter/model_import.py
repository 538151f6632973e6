"""Your own subject: a model file through Blender's own importers, with the spec's material
mapping.

Supported: .glb/.gltf (``import_scene.gltf``), .fbx (``import_scene.fbx``), .obj
(``wm.obj_import``). Every imported object is tagged role "subject" (so a rebuild can find and
replace it, and nothing else is touched) and remembers the file it came from; a rebuild with
the same file keeps the objects and only re-applies placement and materials.

Materials: ``spec.subject.materials`` maps the model's material names to a role: "skin" gets
PS_Skin, "gold" PS_Gold, "eyes" PS_Eye, "keep" leaves it. Regions: where the model has vertex
groups (or attributes) named as ``core.spec.SKIN_REGIONS``, the skin shader's masks read them
directly; where it has none, those masks read zero and the defaults apply everywhere.

Placement: the model is moved so the midpoint between its eye objects (materials mapped to
"eyes") lands on the eye point; without eye objects, the top of its bounding box is taken to
be 11 cm above the eyes (an adult head) and its horizontal centre under them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bpy
import numpy as np
from mathutils import Vector

from ...core.errors import Problem, SpecError
from ...core.spec import SKIN_REGIONS, Spec
from ..contract import objects_with_role, tag
from .materials.eyes import eye_material
from .materials.gold import gold_material
from .materials.skin import skin_material

SOURCE_KEY = "portrait_spec_source"
ORIGINALS_KEY = "portrait_spec_original_materials"
EYES_BELOW_TOP_M = 0.11


@dataclass(kw_only=True)
class ImportResult:
    objects: list[bpy.types.Object]
    source: str
    skin_objects: list[bpy.types.Object]
    gold_objects: list[bpy.types.Object]
    eye_objects: list[bpy.types.Object]
    regions: list[str]


def _importer(path: Path) -> Callable[[], object]:
    suffix = path.suffix.lower()
    if suffix in (".glb", ".gltf"):
        return lambda: bpy.ops.import_scene.gltf(filepath=str(path))
    if suffix == ".fbx":
        return lambda: bpy.ops.import_scene.fbx(filepath=str(path))
    if suffix == ".obj":
        return lambda: bpy.ops.wm.obj_import(filepath=str(path))
    raise SpecError([Problem("subject.model", repr(path.name), "a .glb, .gltf, .fbx or .obj file")])


def resolve_model_path(spec: Spec, spec_dir: Path | None) -> Path:
    path = Path(spec.subject.model).expanduser()
    if not path.is_absolute() and spec_dir is not None:
        path = spec_dir / path
    if not spec.subject.model or not path.is_file():
        raise SpecError([Problem("subject.model", f"{str(path)!r} (no such file)", "an existing model file")])
    _importer(path)  # rejects an unsupported type before anything is removed
    return path


def _import_objects(scene: bpy.types.Scene, collection: bpy.types.Collection, path: Path) -> list[bpy.types.Object]:
    before = set(bpy.data.objects)
    with bpy.context.temp_override(scene=scene, collection=collection) if hasattr(bpy.context, "temp_override") else _nullcontext():
        _importer(path)()
    new = [o for o in bpy.data.objects if o not in before]
    for obj in new:
        for coll in list(obj.users_collection):
            if coll is not collection:
                coll.objects.unlink(obj)
        if obj.name not in collection.objects:
            collection.objects.link(obj)
        tag(obj, "subject")
        obj[SOURCE_KEY] = str(path)
    return new


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def material_role(mapping: dict[str, str], name: str) -> str:
    """The mapped role of a material name; Blender's ".001" de-duplication suffix is ignored."""
    if name in mapping:
        return mapping[name]
    base = re.sub(r"\.\d{3}$", "", name)
    return mapping.get(base, "keep")


def _apply_materials(objects: list[bpy.types.Object], spec: Spec) -> dict[str, list[bpy.types.Object]]:
    """Object-level material slots override the mapped ones; the model's own stay in its data."""
    mapping = dict(spec.subject.materials)
    made = {"skin": skin_material(spec), "gold": gold_material(spec), "eyes": eye_material()}
    by_role: dict[str, list[bpy.types.Object]] = {"skin": [], "gold": [], "eyes": []}
    for obj in objects:
        if obj.type != "MESH":
            continue
        if obj.get(ORIGINALS_KEY) is None:  # first import: remember the model's own material names
            obj[ORIGINALS_KEY] = [s.material.name if s.material else "" for s in obj.material_slots]
        originals = list(obj[ORIGINALS_KEY])
        for slot, original in zip(obj.material_slots, originals, strict=False):
            role = material_role(mapping, original)
            if role in made:
                slot.link = "OBJECT"
                slot.material = made[role]
                if obj not in by_role[role]:
                    by_role[role].append(obj)
            else:
                slot.link = "DATA"
    return by_role


def _world_bounds(objects: list[bpy.types.Object]) -> tuple[np.ndarray, np.ndarray]:
    pts = [obj.matrix_world @ Vector(c) for obj in objects if obj.type == "MESH" for c in obj.bound_box]
    arr = np.array([(p.x, p.y, p.z) for p in pts]) if pts else np.zeros((1, 3))
    return arr.min(axis=0), arr.max(axis=0)


def _place(objects: list[bpy.types.Object], eyes: list[bpy.types.Object], eye_point: tuple[float, float, float]) -> None:
    bpy.context.view_layer.update()
    roots = [o for o in objects if o.parent is None or o.parent not in objects]
    if eyes:
        lo, hi = _world_bounds(eyes)
        current = (lo + hi) * 0.5
        current[1] = lo[1]  # the front of the eyes, where the pupils are
    else:
        lo, hi = _world_bounds(objects)
        current = np.array([(lo[0] + hi[0]) * 0.5, (lo[1] + hi[1]) * 0.5, hi[2] - EYES_BELOW_TOP_M])
    shift = Vector(tuple(np.array(eye_point) - current))
    for obj in roots:
        obj.location = obj.location + shift


def import_model(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, spec_dir: Path | None,
                 eye_point: tuple[float, float, float]) -> ImportResult:
    path = resolve_model_path(spec, spec_dir)
    existing = [o for o in objects_with_role(scene, "subject") if o.get(SOURCE_KEY) == str(path)]
    if existing:
        objects = existing
    else:
        for obj in objects_with_role(scene, "subject"):
            bpy.data.objects.remove(obj, do_unlink=True)
        objects = _import_objects(scene, collection, path)
    by_role = _apply_materials(objects, spec)
    _place(objects, by_role["eyes"], eye_point)
    regions = sorted({g.name for o in objects if o.type == "MESH" for g in o.vertex_groups if g.name in SKIN_REGIONS})
    return ImportResult(objects=objects, source=str(path), skin_objects=by_role["skin"], gold_objects=by_role["gold"],
                        eye_objects=by_role["eyes"], regions=regions)
