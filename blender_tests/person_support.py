"""Shared by the person tests: build the sitter alone and read its meshes back."""

from __future__ import annotations

import bpy
import numpy as np

from portrait_spec.blender.contract import studio_collection
from portrait_spec.blender.measure.head import person_body, person_eyes, world_vertices
from portrait_spec.blender.sitter.subject import SubjectResult, build_subject
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import loads_spec


def build_person(scene: bpy.types.Scene, *overrides: str) -> tuple[Spec, SubjectResult]:
    spec = loads_spec("", ['subject.kind="person"', *overrides])
    result = build_subject(spec, scene, studio_collection(scene))
    bpy.context.view_layer.update()
    return spec, result


def body(scene: bpy.types.Scene) -> bpy.types.Object:
    found = person_body(scene)
    assert found is not None
    return found


def skin_vertices(scene: bpy.types.Scene) -> np.ndarray:
    return world_vertices(body(scene))


def region(scene: bpy.types.Scene, name: str, threshold: float = 0.5) -> np.ndarray:
    """World positions of the skin vertices in ``name`` at ``threshold`` or more."""
    obj = body(scene)
    index = obj.vertex_groups[name].index
    mesh = obj.data
    chosen = [v.index for v in mesh.vertices if any(g.group == index and g.weight >= threshold for g in v.groups)]
    return np.asarray(world_vertices(obj)[chosen])


def pupils(scene: bpy.types.Scene) -> list[np.ndarray]:
    """Each eye's pupil: its centre plus its axis (local -y) times the globe's radius."""
    out = []
    for eye in person_eyes(scene):
        mw = np.array(eye.matrix_world)
        co = np.array([tuple(v.co) for v in eye.data.vertices])
        radius = float(np.median(np.linalg.norm(co, axis=1)))
        axis = -mw[:3, 1] / np.linalg.norm(mw[:3, 1])
        out.append(mw[:3, 3] + axis * radius)
    return out
