"""Build (or rebuild in place) the whole studio from a spec.

Order: studio collection, subject (``subject.build_subject``; then ``chain.build_chain`` when that
module exists), the ``focus`` empty at the eye point, camera, cyclorama (sized from the camera),
key/fill/rim, the background light in gradient mode, light linking, render and colour settings,
and the spec stored as JSON on the scene.

Rebuilding: every object is found by its ``portrait_spec_role`` and updated in place (meshes are
replaced, never duplicated); a light the spec disables is deleted; objects without the role are
never touched. If anything raises, every object this run created is removed again and the
exception propagates, so a failed build leaves no half-built studio behind.
"""

from __future__ import annotations

from dataclasses import dataclass

import bpy
from mathutils import Matrix

from ...core.backdrop_gradient import GradientPlacement, place_background_light
from ...core.cyclorama_profile import size_for_camera
from ...core.framing import CameraFrame, portrait_camera
from ...core.meter.exposure import irradiance_for_stops
from ...core.spec import RIG_ROLES, Spec
from ...core.vec import Vec3
from ..contract import ROLE_KEY, find_one, objects_with_role, remove_object, tag
from .camera import configure_camera
from .cyclorama import backdrop_material, cyclorama_mesh, set_ray_visibility
from .lights import (
    BACKDROP_ONLY,
    UNLINKED_FROM_BACKDROP,
    configure_background_light,
    configure_rig_light,
    linking_collection,
    set_power,
    set_receivers,
)

NAMES: dict[str, str] = {
    "cyclorama": "PS_Cyclorama", "key": "PS_Key", "fill": "PS_Fill", "rim": "PS_Rim",
    "background_light": "PS_Background_Light", "camera": "PS_Camera", "focus": "PS_Focus",
}


@dataclass(kw_only=True)
class StudioResult:
    objects: dict[str, bpy.types.Object]
    focus: Vec3
    camera_frame: CameraFrame
    wall_y: float
    gradient: GradientPlacement | None
    energies: dict[str, float]


def _ensure(scene: bpy.types.Scene, collection: bpy.types.Collection, role: str, kind: str) -> bpy.types.Object:
    """The one object with ``role``, created if missing (or if it is no longer of the right kind)."""
    found = objects_with_role(scene, role)
    for extra in found[1:]:  # a duplicated studio object (e.g. Shift+D keeps the role): keep one
        remove_object(extra)
    obj = found[0] if found else None
    wanted_type = {"light": "LIGHT", "camera": "CAMERA", "mesh": "MESH", "empty": "EMPTY"}[kind]
    if obj is not None and obj.type != wanted_type:
        remove_object(obj)
        obj = None
    if obj is None:
        name = NAMES[role]
        data: bpy.types.ID | None
        if kind == "light":
            data = bpy.data.lights.new(name, "AREA")
        elif kind == "camera":
            data = bpy.data.cameras.new(name)
        elif kind == "mesh":
            data = bpy.data.meshes.new(name)
        else:
            data = None
        obj = bpy.data.objects.new(name, data)
        collection.objects.link(obj)
        tag(obj, role)
    elif kind == "light" and isinstance(obj.data, bpy.types.Light) and obj.data.type != "AREA":
        obj.data.type = "AREA"
    return obj


def _remove_role(scene: bpy.types.Scene, role: str) -> None:
    for obj in objects_with_role(scene, role):
        remove_object(obj)


def build_studio(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, eye_point: Vec3) -> StudioResult:
    view_layer = scene.view_layers[0]
    focus: Vec3 = (float(eye_point[0]), float(eye_point[1]), float(eye_point[2]))

    focus_obj = _ensure(scene, collection, "focus", "empty")
    focus_obj.location = focus
    focus_obj.empty_display_type = "SPHERE"
    focus_obj.empty_display_size = 0.02

    height = spec.camera.height.metres if spec.camera.height is not None else None
    frame = portrait_camera(spec.camera.focal_length_mm, spec.camera.sensor_width_mm, spec.camera.framing,
                            focus, spec.render.resolution, height)
    camera_obj = _ensure(scene, collection, "camera", "camera")
    configure_camera(camera_obj, frame, spec.camera, focus_obj)
    scene.camera = camera_obj

    wall_y = focus[1] + spec.subject.distance_to_background.metres
    cove = spec.background.cove_radius.metres
    cyclorama = _ensure(scene, collection, "cyclorama", "mesh")
    old_mesh = cyclorama.data
    cyclorama.data = cyclorama_mesh(NAMES["cyclorama"], size_for_camera(frame, wall_y, cove), wall_y, cove)
    if isinstance(old_mesh, bpy.types.Mesh) and old_mesh.users == 0:
        bpy.data.meshes.remove(old_mesh)
    cyclorama.matrix_world = Matrix.Identity(4)
    cyclorama.data.materials.clear()
    cyclorama.data.materials.append(backdrop_material(spec.background))
    set_ray_visibility(cyclorama, spec.background.mode)

    objects: dict[str, bpy.types.Object] = {"focus": focus_obj, "camera": camera_obj, "cyclorama": cyclorama}
    energies: dict[str, float] = {}
    isolate_backdrop = spec.background.mode in ("extraction", "gradient")
    without_backdrop = linking_collection(UNLINKED_FROM_BACKDROP, [cyclorama], "EXCLUDE") if isolate_backdrop else None
    for role in RIG_ROLES:
        light_spec = spec.lights.rig(role)
        if not light_spec.enabled:
            _remove_role(scene, role)
            continue
        obj = _ensure(scene, collection, role, "light")
        configure_rig_light(obj, light_spec, focus)
        set_receivers(obj, without_backdrop)
        # The key defines the level (E = pi); its own ``stops`` is 0 by definition.
        stops = 0.0 if role == "key" else light_spec.stops
        energies[role] = set_power(obj, view_layer, focus, irradiance_for_stops(stops))
        objects[role] = obj

    placement: GradientPlacement | None = None
    if spec.background.mode == "gradient":
        gradient = spec.background.gradient
        placement = place_background_light(frame, wall_y, focus, gradient.stops, gradient.side)
        obj = _ensure(scene, collection, "background_light", "light")
        backdrop_only = linking_collection(BACKDROP_ONLY, [cyclorama], "INCLUDE")
        set_receivers(obj, backdrop_only, backdrop_only)
        energies["background_light"] = configure_background_light(
            obj, placement, view_layer, irradiance_for_stops(spec.background.level_stops))
        objects["background_light"] = obj
    else:
        _remove_role(scene, "background_light")

    return StudioResult(objects=objects, focus=focus, camera_frame=frame, wall_y=wall_y, gradient=placement,
                        energies=energies)


def studio_objects(scene: bpy.types.Scene) -> dict[str, bpy.types.Object]:
    """Our objects by role (first of each), for measuring a scene that was built earlier."""
    found: dict[str, bpy.types.Object] = {}
    for obj in scene.objects:
        role = obj.get(ROLE_KEY)
        if isinstance(role, str) and role not in found:
            found[role] = obj
    return found


__all__ = ["StudioResult", "build_studio", "find_one", "studio_objects"]
