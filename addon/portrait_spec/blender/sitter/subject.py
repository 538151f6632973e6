"""The sitter: the built-in stand-in bust or the user's own model, with skin, eye and gold
materials from the spec.

Interface (kept stable for the studio builder): ``build_subject`` creates or updates the
subject so that its eye point (midpoint between the pupils) sits at the focus point
(0, 0, subject.eye_height), tags every object it creates with role "subject", and returns what
the builder needs. On a rebuild it finds its objects by role and updates them in place; it never
touches an object without ``portrait_spec_role``. The chain is built by ``chain.build_chain``
with this result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import bpy

from ...core.spec import Spec
from ..contract import objects_with_role
from .bust import PART_KEY, build_bust
from .materials.eyes import eye_material
from .materials.skin import skin_material


@dataclass(kw_only=True)
class SubjectResult:
    """What the chain and the studio need from the sitter."""

    kind: Literal["bust", "model"]
    objects: list[bpy.types.Object]
    eye_point: tuple[float, float, float]
    #: the meshes the chain drapes on (the bust's body, or the model's skin-mapped objects)
    skin_objects: list[bpy.types.Object]
    eye_objects: list[bpy.types.Object]
    #: the model file, for an imported model
    source: str | None = None
    #: skin regions the subject carries as vertex groups
    regions: list[str] = field(default_factory=list)


def _assign(obj: bpy.types.Object, mat: bpy.types.Material) -> None:
    if len(obj.data.materials) == 0:
        obj.data.materials.append(mat)
    else:
        for i in range(len(obj.data.materials)):
            obj.data.materials[i] = mat


def _remove_other_kind(scene: bpy.types.Scene, keep_bust: bool) -> None:
    """Switching between bust and model removes our objects of the other kind (tagged only)."""
    for obj in objects_with_role(scene, "subject"):
        is_bust = obj.get(PART_KEY) is not None
        if is_bust != keep_bust:
            bpy.data.objects.remove(obj, do_unlink=True)


def build_subject(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, spec_dir: Path | None = None) -> SubjectResult:
    eye = (0.0, 0.0, spec.subject.eye_height.metres)
    skin = skin_material(spec)
    if spec.subject.kind == "model":
        from .model_import import import_model

        _remove_other_kind(scene, keep_bust=False)
        imported = import_model(spec, scene, collection, spec_dir, eye)
        return SubjectResult(kind="model", objects=imported.objects, eye_point=eye, skin_objects=imported.skin_objects,
                             eye_objects=imported.eye_objects, source=imported.source, regions=imported.regions)
    _remove_other_kind(scene, keep_bust=True)
    parts = build_bust(scene, collection, eye)
    _assign(parts.body, skin)
    eyes = eye_material()
    for obj in parts.eyes:
        _assign(obj, eyes)
    return SubjectResult(kind="bust", objects=[parts.body, *parts.eyes], eye_point=eye, skin_objects=[parts.body],
                         eye_objects=list(parts.eyes), regions=[g.name for g in parts.body.vertex_groups])
