"""The sitter. PLACEHOLDER until the stand-in bust lands: a sphere head on a cylinder neck.

Interface (kept stable for the studio builder): ``build_subject`` creates or updates the
subject so that its eye point (midpoint between the pupils) sits at the focus point
(0, 0, subject.eye_height), tags every object it creates with role "subject" (or "chain"),
and returns what the builder needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import bpy

from ..core.spec import Spec
from .contract import find_one, tag


@dataclass
class SubjectResult:
    objects: list[bpy.types.Object]
    eye_point: tuple[float, float, float]
    chain: bpy.types.Object | None = None
    extra: dict[str, object] = field(default_factory=dict)


def build_subject(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, spec_dir: Path | None = None) -> SubjectResult:
    eye = (0.0, 0.0, spec.subject.eye_height.metres)
    obj = find_one(scene, "subject")
    if obj is None:
        mesh = bpy.data.meshes.new("PS_Subject")
        obj = bpy.data.objects.new("PS_Subject", mesh)
        collection.objects.link(obj)
        tag(obj, "subject")
    import bmesh

    bm = bmesh.new()
    bmesh.ops.create_uvsphere(bm, u_segments=48, v_segments=24, radius=0.1)
    bmesh.ops.translate(bm, vec=(0.0, 0.0, 0.02), verts=bm.verts)
    bm.to_mesh(obj.data)
    bm.free()
    obj.location = eye
    return SubjectResult(objects=[obj], eye_point=eye)
