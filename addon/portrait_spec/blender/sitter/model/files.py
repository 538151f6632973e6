"""A model file into the scene through Blender's own importers.

Supported: .glb/.gltf (``import_scene.gltf``), .fbx (``import_scene.fbx``), .obj
(``wm.obj_import``), each with its defaults: glTF is metres and Y up by definition (Khronos glTF
2.0 specification, 3.4 "Coordinate System and Units"); FBX carries its unit and axes and the
importer applies them; OBJ has neither, and the importer reads it as metres, Y up.

Only the objects the importer puts in the scene to render are the model: importers also create
helpers they hide (the glTF importer's bone display shape, in a collection it hides from
renders), and those stay where the importer put them. Every model
object is moved into the studio collection, tagged role "subject" and remembers its file, so a
rebuild with the same file keeps them, and the transform (and pose) it had straight after import
is stored so every rebuild starts from the file as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import bpy
from mathutils import Matrix

from ....core.errors import Problem, SpecError
from ....core.paths import check_model_file
from ....core.spec import Spec
from ...compat import scene_context
from ...contract import tag
from ...narrow import present

SOURCE_KEY = "portrait_spec_source"
IMPORT_MATRIX_KEY = "portrait_spec_import_matrix"
IMPORT_POSE_KEY = "portrait_spec_import_pose"


def importer(path: Path) -> Callable[[], object]:
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
    importer(path)  # rejects an unsupported type before anything is removed
    problems = check_model_file(path)  # readable, and the format its extension says
    if problems:
        raise SpecError(problems)
    return path


def import_objects(scene: bpy.types.Scene, collection: bpy.types.Collection, path: Path) -> list[bpy.types.Object]:
    before = set(bpy.data.objects)
    # No collection override: the glTF importer adds its bone display shape to the view layer's
    # active collection and then unlinks it from ``context.collection``, which must be the same.
    try:
        with scene_context(scene, scene.view_layers[0]):
            importer(path)()
    except RuntimeError as exc:  # the importer's own report on a truncated or corrupt file
        _remove_new(before)
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else "unreadable"
        raise SpecError([Problem("subject.model", f"{path.name!r}, which Blender's importer rejects ({reason})",
                                 f"a valid {path.suffix.lower()} model file")]) from None
    if not any(isinstance(o.data, bpy.types.Mesh) and len(o.data.polygons) > 0 for o in set(bpy.data.objects) - before):
        _remove_new(before)
        raise SpecError([Problem("subject.model", f"{path.name!r}, which holds no mesh with faces",
                                 "a model file with the sitter's mesh in it")])
    in_scene = set(scene.objects)
    added = [o for o in bpy.data.objects if o not in before and o in in_scene]
    shapes = {pb.custom_shape for o in added if o.type == "ARMATURE" and o.pose is not None for pb in o.pose.bones}
    new = [o for o in added if o not in shapes and not all(c.hide_render for c in o.users_collection)]
    for obj in new:
        for coll in list(obj.users_collection):
            if coll is not collection:
                coll.objects.unlink(obj)
        if obj.name not in collection.objects:
            collection.objects.link(obj)
        tag(obj, "subject")
        obj[SOURCE_KEY] = str(path)
    present(bpy.context.view_layer, "view layer").update()
    for obj in roots(new):
        obj[IMPORT_MATRIX_KEY] = _values(obj.matrix_world)
    for obj in new:
        if obj.type == "ARMATURE" and obj.pose is not None:
            for pb in obj.pose.bones:
                pb[IMPORT_POSE_KEY] = _values(pb.matrix_basis)
    return new


def _values(matrix: Matrix) -> list[float]:
    """A 4x4 matrix's values row by row (as a custom property stores them)."""
    return [float(matrix[row][col]) for row in range(4) for col in range(4)]


def _remove_new(before: set[bpy.types.Object]) -> None:
    for obj in [o for o in bpy.data.objects if o not in before]:
        bpy.data.objects.remove(obj, do_unlink=True)


def roots(objects: list[bpy.types.Object]) -> list[bpy.types.Object]:
    """The objects whose parent is not one of ``objects``: moving them moves the model."""
    return [o for o in objects if o.parent is None or o.parent not in objects]


def restore_import_state(objects: list[bpy.types.Object]) -> None:
    """Put the model back as it was imported (transform and pose), so a rebuild starts from the file."""
    for obj in roots(objects):
        stored = obj.get(IMPORT_MATRIX_KEY)
        if stored is not None:
            values = list(stored)
            obj.matrix_world = [values[i:i + 4] for i in range(0, 16, 4)]
    for obj in objects:
        if obj.type == "ARMATURE" and obj.pose is not None:
            for pb in obj.pose.bones:
                stored = pb.get(IMPORT_POSE_KEY)
                if stored is not None:
                    values = list(stored)
                    pb.matrix_basis = [values[i:i + 4] for i in range(0, 16, 4)]
    present(bpy.context.view_layer, "view layer").update()
