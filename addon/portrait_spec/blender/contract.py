"""The scene contract other tools rely on.

Every object the add-on creates carries the custom property ``portrait_spec_role`` with one of
ROLES; the scene carries the resolved spec as JSON in ``scene["portrait_spec"]``. The add-on
only ever changes or deletes objects that carry the role property.
"""

from __future__ import annotations

from collections.abc import Iterator

import bpy

ROLE_KEY = "portrait_spec_role"
SPEC_KEY = "portrait_spec"
COLLECTION_NAME = "Portrait Spec"
#: the chain mesh's per-link anchor vertices (the rest of the mesh is the one instanced link)
CHAIN_ANCHOR_ATTRIBUTE = "ps_anchor"
ROLES: tuple[str, ...] = (
    "cyclorama", "key", "fill", "rim", "background_light", "camera", "focus", "subject", "chain",
)


def role_of(obj: bpy.types.Object) -> str | None:
    role = obj.get(ROLE_KEY)
    return role if isinstance(role, str) else None


def tag(obj: bpy.types.Object, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    obj[ROLE_KEY] = role


def objects_with_role(scene: bpy.types.Scene, role: str) -> list[bpy.types.Object]:
    return [obj for obj in scene.objects if obj.get(ROLE_KEY) == role]


def find_one(scene: bpy.types.Scene, role: str) -> bpy.types.Object | None:
    found = objects_with_role(scene, role)
    return found[0] if found else None


def our_objects(scene: bpy.types.Scene) -> Iterator[bpy.types.Object]:
    return (obj for obj in scene.objects if role_of(obj) is not None)


def studio_collection(scene: bpy.types.Scene) -> bpy.types.Collection:
    """The collection that holds what we build, linked under the scene's root."""
    coll = bpy.data.collections.get(COLLECTION_NAME)
    if coll is None:
        coll = bpy.data.collections.new(COLLECTION_NAME)
    if coll.name not in scene.collection.children:
        scene.collection.children.link(coll)
    return coll


def store_spec_json(scene: bpy.types.Scene, spec_json: str) -> None:
    scene[SPEC_KEY] = spec_json


def stored_spec_json(scene: bpy.types.Scene) -> str | None:
    value = scene.get(SPEC_KEY)
    return value if isinstance(value, str) else None
