"""PS_Eye on a model's eyes.

PS_Eye draws sclera, iris and pupil by the angle from the gaze around the eyeball's centre, read
from object coordinates: right for the built-in eyes, each its own object centred on its globe
and looking along -Y. A model's eyes are faces somewhere in a bigger mesh, so "PS_Eye model" (a
copy of PS_Eye for the model's globe radius) reads the centre and the gaze from two point
attributes written on the eye faces' vertices instead: ``ps_eye_centre`` (the centre of the eye
the vertex belongs to) and ``ps_eye_gaze`` (the face's direction), both in the object's own
space, as the Texture Coordinate node's Object output is. Attributes travel with the vertices
through the armature and shape keys, so they are written from the posed mesh at the build.
"""

from __future__ import annotations

import bpy
import numpy as np

from ...measure.eyes import GLOBE_RADIUS_IN_IPD, Eyes
from ...narrow import of_type, shader_tree
from ...nodes import link, node
from ..materials.eyes import NAME as EYE_NAME
from ..materials.eyes import eye_material

NAME = f"{EYE_NAME} model"
CENTRE_ATTRIBUTE = "ps_eye_centre"
GAZE_ATTRIBUTE = "ps_eye_gaze"
MIN_GLOBE_RADIUS_M = 0.008  # a globe smaller than this could not hold PS_Eye's 6 mm iris


def globe_radius(eyes: Eyes) -> float:
    """The eyes' radius: from each centre to its pupil (the cornea's apex, ~2 mm proud of the
    globe, left in: the iris then spans a slightly smaller angle, as on the built-in eye). Eyes
    modelled as flat or shallow patches (no globe to measure) get an adult globe for their size."""
    measured = float(0.5 * (np.linalg.norm(eyes.left_pupil - eyes.left) + np.linalg.norm(eyes.right_pupil - eyes.right)))
    return measured if measured >= MIN_GLOBE_RADIUS_M else GLOBE_RADIUS_IN_IPD * eyes.interpupillary


def model_eye_material(radius_m: float) -> bpy.types.Material:
    base = eye_material(radius_m)
    if NAME in bpy.data.materials:
        bpy.data.materials.remove(bpy.data.materials[NAME])
    mat = base.copy()
    mat.name = NAME
    nodes = shader_tree(mat).nodes
    coords, unit, cosine = nodes["eye_coords"], nodes["gaze_dir"], nodes["gaze_cos"]
    centre = node(mat, "ShaderNodeAttribute", "eye_centre", (-1000.0, -200.0))
    of_type(centre, bpy.types.ShaderNodeAttribute).attribute_type = "GEOMETRY"
    of_type(centre, bpy.types.ShaderNodeAttribute).attribute_name = CENTRE_ATTRIBUTE
    gaze = node(mat, "ShaderNodeAttribute", "eye_gaze", (-1000.0, -400.0))
    of_type(gaze, bpy.types.ShaderNodeAttribute).attribute_type = "GEOMETRY"
    of_type(gaze, bpy.types.ShaderNodeAttribute).attribute_name = GAZE_ATTRIBUTE
    offset = node(mat, "ShaderNodeVectorMath", "eye_offset", (-700.0, -100.0))
    of_type(offset, bpy.types.ShaderNodeVectorMath).operation = "SUBTRACT"
    link(mat, coords.outputs["Object"], offset.inputs[0])
    link(mat, centre.outputs["Vector"], offset.inputs[1])
    link(mat, offset.outputs[0], unit.inputs[0])
    link(mat, gaze.outputs["Vector"], cosine.inputs[1])
    return mat


def write_eye_attributes(objects: list[bpy.types.Object], eyes: Eyes, eye_slots: dict[str, list[int]]) -> None:
    """Centre and gaze on the vertices of each object's eye faces (object space)."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    for obj in objects:
        slots = eye_slots.get(obj.name)
        mesh = obj.data
        if not slots or not isinstance(mesh, bpy.types.Mesh):
            continue
        ev = obj.evaluated_get(depsgraph)
        evaluated = ev.to_mesh()
        try:
            n = len(evaluated.vertices)
            if n != len(mesh.vertices):
                continue
            co = np.empty(n * 3)
            evaluated.vertices.foreach_get("co", co)
        finally:
            ev.to_mesh_clear()
        points = co.reshape(-1, 3)
        inverse = np.linalg.inv(np.array(obj.matrix_world))
        local = [inverse[:3, :3] @ c + inverse[:3, 3] for c in (eyes.left, eyes.right)]
        gaze = inverse[:3, :3] @ eyes.forward
        gaze /= np.linalg.norm(gaze)
        nearer_left = np.linalg.norm(points - local[0], axis=1) < np.linalg.norm(points - local[1], axis=1)
        centres = np.where(nearer_left[:, None], local[0], local[1])
        for name, values in ((CENTRE_ATTRIBUTE, centres), (GAZE_ATTRIBUTE, np.broadcast_to(gaze, (n, 3)))):
            if name in mesh.attributes and (mesh.attributes[name].data_type != "FLOAT_VECTOR"
                                            or mesh.attributes[name].domain != "POINT"):
                mesh.attributes.remove(mesh.attributes[name])
            attribute = mesh.attributes[name] if name in mesh.attributes else mesh.attributes.new(name, "FLOAT_VECTOR", "POINT")
            vectors = of_type(attribute, bpy.types.FloatVectorAttribute)
            vectors.data.foreach_set("vector", np.ascontiguousarray(values, dtype=np.float32).ravel())
        for i, slot in enumerate(obj.material_slots):
            if i in slots:
                slot.material = bpy.data.materials[NAME]
