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
#: which part of the sitter an object is ("bust", "eye_left", "person", "person_eye_right", ...)
PART_KEY = "portrait_spec_part"
PERSON_PART = "person"
PERSON_EYE_PARTS = ("person_eye_right", "person_eye_left")  # the sitter's right eye (camera left) first
PERSON_GARMENT_PART = "person_garment"
#: on the person's skin mesh: each vertex's rest position (identity shape, unposed, no
#: expression, placed with the same eye point), what moves rigidly with the head or the chest,
#: and each face unit's displacement at weight 1 ("ps_unit_<name>"), so verify can measure the
#: pose and the expression from the mesh as it is
PERSON_REST_ATTRIBUTE = "ps_rest"
PERSON_HEAD_ATTRIBUTE = "ps_head"
PERSON_SKULL_ATTRIBUTE = "ps_skull"
PERSON_TORSO_ATTRIBUTE = "ps_torso"
PERSON_UNIT_PREFIX = "ps_unit_"
#: on the scalp hair curves, per strand: 1 a white (unpigmented) strand, 0 pigmented; the hair
#: material reads it, verify counts it (greying)
HAIR_WHITE_ATTRIBUTE = "ps_white"
#: on a model's root objects: what the build noticed and did (JSON list of sentences), where its
#: eyes came from, and, for eyes estimated by the head rule, the pupils' midpoint in the root's frame
MODEL_NOTES_KEY = "portrait_spec_model_notes"
EYE_SOURCE_KEY = "portrait_spec_eye_source"
EYE_ESTIMATE_KEY = "portrait_spec_eye_local"
#: on a rig light: its modifier (core.modifiers), so read-back and verify name what was built
MODIFIER_KEY = "portrait_spec_modifier"
#: a beauty dish's deflector disk (role "deflector"), parented to its light; one per dish
DEFLECTOR_ROLE = "deflector"
ROLES: tuple[str, ...] = (
    "cyclorama", "key", "fill", "rim", "background_light", "camera", "focus", "subject", "chain", "bounce", "flag",
    DEFLECTOR_ROLE,
)


def role_of(obj: bpy.types.Object) -> str | None:
    role = obj.get(ROLE_KEY)
    return role if isinstance(role, str) else None


def tag(obj: bpy.types.Object, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    obj[ROLE_KEY] = role


def deflector_of(light_obj: bpy.types.Object) -> bpy.types.Object | None:
    """The deflector disk parented to ``light_obj`` (a beauty dish's), if it has one."""
    return next((child for child in light_obj.children if role_of(child) == DEFLECTOR_ROLE), None)


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


def remove_object(obj: bpy.types.Object) -> None:
    """Delete one of our objects. Blender would unparent its children and drop their parent
    inverse, moving them; a child (a user's object parented to a studio light, say) keeps its
    world transform instead."""
    for child in obj.children:
        world = child.matrix_world.copy()
        child.parent = None
        child.matrix_world = world
    bpy.data.objects.remove(obj, do_unlink=True)


def store_spec_json(scene: bpy.types.Scene, spec_json: str) -> None:
    scene[SPEC_KEY] = spec_json


def stored_spec_json(scene: bpy.types.Scene) -> str | None:
    value = scene.get(SPEC_KEY)
    return value if isinstance(value, str) else None
