"""The sitter: the parametric person (default), the stand-in mannequin or the user's own model,
with skin, eye and gold materials from the spec.

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

import bpy

from ...core.spec import Spec, SubjectKind
from ..contract import objects_with_role, remove_object
from ..narrow import mesh_of
from .bust import PART_KEY, build_bust
from .materials.eyes import eye_material
from .materials.skin import skin_material


@dataclass(frozen=True)
class NeckGuide:
    """Where a necklace hangs: the neck's vertical axis (world x, y), how far below the eyes the
    chain may first rest in front (under the chin), and which way the chest faces."""

    axis_xy: tuple[float, float]
    rest_below_eyes_m: float
    #: the chest's turn from the camera (+ towards camera left): where the chain's front hangs
    facing_deg: float = 0.0


@dataclass(kw_only=True)
class SubjectResult:
    """What the chain and the studio need from the sitter."""

    kind: SubjectKind
    objects: list[bpy.types.Object]
    eye_point: tuple[float, float, float]
    #: the meshes the chain drapes on (the body, or the model's skin-mapped objects)
    skin_objects: list[bpy.types.Object]
    eye_objects: list[bpy.types.Object]
    #: other surfaces the chain may rest on (the person's garment)
    rest_objects: list[bpy.types.Object] = field(default_factory=list)
    #: the model file, for an imported model
    source: str | None = None
    #: skin regions the subject carries as vertex groups
    regions: list[str] = field(default_factory=list)
    #: the person's neck, for the chain (the mannequin and models use the chain's defaults)
    neck: NeckGuide | None = None


def _assign(obj: bpy.types.Object, mat: bpy.types.Material) -> None:
    materials = mesh_of(obj).materials
    if len(materials) == 0:
        materials.append(mat)
    else:
        for i in range(len(materials)):
            materials[i] = mat


def kind_of(obj: bpy.types.Object) -> SubjectKind:
    """Which kind of sitter built ``obj``: a model's objects carry no part key."""
    part = obj.get(PART_KEY)
    if part is None:
        return "model"
    return "person" if str(part).startswith("person") else "mannequin"


def _remove_other_kinds(scene: bpy.types.Scene, keep: SubjectKind) -> None:
    """Switching kinds removes our objects of the other kinds (tagged only)."""
    for obj in objects_with_role(scene, "subject"):
        if kind_of(obj) != keep:
            remove_object(obj)


def build_subject(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, spec_dir: Path | None = None) -> SubjectResult:
    eye = (0.0, 0.0, spec.subject.eye_height.metres)
    skin = skin_material(spec)
    kind = spec.subject.kind
    if kind == "model":
        from .model_import import import_model

        _remove_other_kinds(scene, "model")
        imported = import_model(spec, scene, collection, spec_dir, eye)
        neck = NeckGuide(imported.neck_axis_xy, imported.rest_below_eyes_m) if imported.neck_axis_xy is not None else None
        return SubjectResult(kind="model", objects=imported.objects, eye_point=eye, skin_objects=imported.skin_objects,
                             eye_objects=imported.eye_objects, rest_objects=imported.rest_objects,
                             source=imported.source, regions=imported.regions, neck=neck)
    _remove_other_kinds(scene, kind)
    if kind == "person":
        from .person.builder import build_person

        person = build_person(spec, scene, collection, eye)
        _assign(person.body, skin)
        eyes_mat = eye_material(person.geometry.eyes[0].radius)
        for obj in person.eyes:
            _assign(obj, eyes_mat)
        return SubjectResult(kind="person", objects=[person.body, *person.eyes, *person.garment, *person.hair], eye_point=eye,
                             skin_objects=[person.body], eye_objects=list(person.eyes), rest_objects=list(person.garment),
                             regions=[g.name for g in person.body.vertex_groups],
                             neck=NeckGuide(person.neck_axis_xy, person.rest_below_eyes_m, spec.subject.pose.body_turn_deg))
    parts = build_bust(scene, collection, eye)
    _assign(parts.body, skin)
    eyes = eye_material()
    for obj in parts.eyes:
        _assign(obj, eyes)
    return SubjectResult(kind="mannequin", objects=[parts.body, *parts.eyes], eye_point=eye, skin_objects=[parts.body],
                         eye_objects=list(parts.eyes), regions=[g.name for g in parts.body.vertex_groups])
