"""Build (or rebuild in place) the whole studio from a spec.

Order: studio collection, subject (``subject.build_subject``; then ``chain.build_chain`` when that
module exists), the ``focus`` empty at the eye point, camera, cyclorama (sized from the camera),
key/fill/rim, the bounce reflector and the flag (``reflector.py``), the background light in
gradient mode, light linking, render and colour settings, and the spec stored as JSON on the scene.

Rebuilding: every object is found by its ``portrait_spec_role`` and updated in place (meshes are
replaced, never duplicated); a light the spec disables is deleted; objects without the role are
never touched. If anything raises, every object this run created is removed again and the
exception propagates, so a failed build leaves no half-built studio behind.

Updating (``reuse``, the sweep's worker and ``render --vary``): each part is rewritten only when
what it is built from changed since the last build of this scene, so a light-only variant
touches only the lights whose spec changed, and a camera-only one only the camera (and the
cyclorama when the new frame resizes it): Cycles' persistent data then re-syncs only those.
What a part is built from: the focus (everything), the frame and camera spec (camera), the
cyclorama's size, wall and background spec (backdrop), a light's spec and the focus (that light;
its power comes from the unoccluded meter model, so no other object changes it), the frame and
background spec (the gradient light). Parts are recognised by their objects' pointers; loading a
new file invalidates them (``forget_built``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import bpy
from mathutils import Matrix

from ...core.backdrop_gradient import GradientPlacement, place_background_light
from ...core.cyclorama_profile import CycloramaSize, size_for_camera
from ...core.framing import CameraFrame, portrait_camera
from ...core.meter.exposure import irradiance_for_stops
from ...core.reflector import placement as bounce_placement
from ...core.spec import RIG_ROLES, BackgroundSpec, CameraSpec, LightSpec, Spec
from ...core.vec import Vec3
from ..contract import ROLE_KEY, find_one, objects_with_role, remove_object, tag
from ..measure.meter import light_colour, rig_emitter
from ..narrow import area_light, light_of, rig_light
from .camera import configure_camera
from .cyclorama import backdrop_material, cyclorama_mesh, set_ray_visibility
from .lights import (
    BACKDROP_ONLY,
    UNLINKED_FROM_BACKDROP,
    configure_background_light,
    configure_rig_light,
    linking_collection,
    remove_orphan_deflectors,
    set_power,
    set_receivers,
)
from .reflector import configure_bounce, configure_flag

NAMES: dict[str, str] = {
    "cyclorama": "PS_Cyclorama", "key": "PS_Key", "fill": "PS_Fill", "rim": "PS_Rim",
    "background_light": "PS_Background_Light", "camera": "PS_Camera", "focus": "PS_Focus",
    "bounce": "PS_Bounce", "flag": "PS_Flag",
}


@dataclass(frozen=True, kw_only=True)
class _Built:
    """What a scene's studio was last built from, and the datablocks it was built into."""

    focus: Vec3
    frame: CameraFrame
    camera: CameraSpec
    backdrop: tuple[CycloramaSize, float, float, BackgroundSpec]  # size, wall y, cove radius, background
    isolate_backdrop: bool
    lights: tuple[tuple[str, LightSpec], ...]
    pointers: tuple[tuple[str, int], ...]  # part -> its object's (or data's) ``as_pointer()``


# The last build of each scene (by the scene's pointer), for ``build_studio(reuse=True)``.
_BUILT: dict[int, _Built] = {}


def forget_built() -> None:
    """Drop every record: a new file (factory settings, open) frees the objects they point at, and
    new objects may be allocated at the same addresses."""
    _BUILT.clear()


def _pointers(objects: dict[str, bpy.types.Object]) -> tuple[tuple[str, int], ...]:
    found = [(role, obj.as_pointer()) for role, obj in objects.items()]
    found += [(f"{role}.data", obj.data.as_pointer()) for role, obj in objects.items() if obj.data is not None]
    return tuple(sorted(found))


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
    elif kind == "light" and role not in RIG_ROLES and isinstance(obj.data, bpy.types.Light) and obj.data.type != "AREA":
        obj.data.type = "AREA"  # a rig light's type follows its modifier (lights.configure_rig_light)
    return obj


def _remove_role(scene: bpy.types.Scene, role: str) -> None:
    for obj in objects_with_role(scene, role):
        remove_object(obj)


def build_studio(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, eye_point: Vec3, *,
                 reuse: bool = False) -> StudioResult:
    """Build the studio, or update it in place; ``reuse`` rewrites only the parts whose inputs
    changed since this scene's last build (see the module's docstring)."""
    view_layer = scene.view_layers[0]
    focus: Vec3 = (float(eye_point[0]), float(eye_point[1]), float(eye_point[2]))
    last = _BUILT.pop(scene.as_pointer(), None)  # a build that raises leaves no record behind
    before: dict[str, int] = dict(last.pointers) if reuse and last is not None else {}

    def kept(part: str, obj: bpy.types.Object) -> bool:
        """``obj`` and its data are the ones the last build made for ``part``."""
        return (before.get(part) == obj.as_pointer()
                and (obj.data is None or before.get(f"{part}.data") == obj.data.as_pointer()))

    focus_obj = _ensure(scene, collection, "focus", "empty")
    same_focus = kept("focus", focus_obj) and last is not None and last.focus == focus
    if not same_focus:
        focus_obj.location = focus
        focus_obj.empty_display_type = "SPHERE"
        focus_obj.empty_display_size = 0.02

    height = spec.camera.height.metres if spec.camera.height is not None else None
    frame = portrait_camera(spec.camera.focal_length_mm, spec.camera.sensor_width_mm, spec.camera.framing,
                            focus, spec.render.resolution, height)
    camera_obj = _ensure(scene, collection, "camera", "camera")
    if not (same_focus and kept("camera", camera_obj) and last is not None
            and (last.frame, last.camera) == (frame, spec.camera)):
        configure_camera(camera_obj, frame, spec.camera, focus_obj)
    if scene.camera != camera_obj:  # assigning even the same camera tags the scene for a re-sync
        scene.camera = camera_obj

    wall_y = focus[1] + spec.subject.distance_to_background.metres
    cove = spec.background.cove_radius.metres
    backdrop = (size_for_camera(frame, wall_y, cove), wall_y, cove, spec.background)
    cyclorama = _ensure(scene, collection, "cyclorama", "mesh")
    same_backdrop = kept("cyclorama", cyclorama) and last is not None and last.backdrop == backdrop
    if not same_backdrop:
        old_mesh = cyclorama.data
        cyclorama.data = cyclorama_mesh(NAMES["cyclorama"], backdrop[0], wall_y, cove)
        if isinstance(old_mesh, bpy.types.Mesh) and old_mesh.users == 0:
            bpy.data.meshes.remove(old_mesh)
        cyclorama.matrix_world = Matrix.Identity(4)
        cyclorama.data.materials.clear()
        cyclorama.data.materials.append(backdrop_material(spec.background))
        set_ray_visibility(cyclorama, spec.background.mode)

    objects: dict[str, bpy.types.Object] = {"focus": focus_obj, "camera": camera_obj, "cyclorama": cyclorama}
    energies: dict[str, float] = {}
    isolate_backdrop = spec.background.mode in ("extraction", "gradient")
    # The linking collections list the cyclorama object (not its mesh): kept while it and the mode's isolation are.
    same_links = (before.get("cyclorama") == cyclorama.as_pointer() and last is not None
                  and last.isolate_backdrop == isolate_backdrop)
    without_backdrop: bpy.types.Collection | None = None
    if isolate_backdrop:
        existing = bpy.data.collections.get(UNLINKED_FROM_BACKDROP)
        same_links = same_links and existing is not None
        without_backdrop = existing if same_links else linking_collection(UNLINKED_FROM_BACKDROP, [cyclorama], "EXCLUDE")
    lights_before: dict[str, Any] = dict(last.lights) if last is not None else {}
    for role in RIG_ROLES:
        light_spec = spec.lights.rig(role)
        if not light_spec.enabled:
            _remove_role(scene, role)
            continue
        obj = _ensure(scene, collection, role, "light")
        objects[role] = obj
        if same_focus and same_links and kept(role, obj) and lights_before.get(role) == light_spec:
            energies[role] = float(rig_light(obj).energy)
            continue
        configure_rig_light(obj, light_spec, focus)
        linking = obj.light_linking
        if (linking.receiver_collection, linking.blocker_collection) != (without_backdrop, None):
            # Assigning even the same collection rebuilds the depsgraph's relations: every object re-syncs.
            set_receivers(obj, without_backdrop)
        # The key defines the level (E = pi); its own ``stops`` is 0 by definition.
        stops = 0.0 if role == "key" else light_spec.stops
        energies[role] = set_power(obj, view_layer, focus, irradiance_for_stops(stops))

    remove_orphan_deflectors(scene)
    _build_modifiers(spec, scene, collection, focus, objects)

    placement: GradientPlacement | None = None
    if spec.background.mode == "gradient":
        gradient = spec.background.gradient
        placement = place_background_light(frame, wall_y, focus, gradient.stops, gradient.side)
        obj = _ensure(scene, collection, "background_light", "light")
        objects["background_light"] = obj
        if same_focus and same_backdrop and same_links and kept("background_light", obj) and last is not None \
                and last.frame == frame and bpy.data.collections.get(BACKDROP_ONLY) is not None:
            energies["background_light"] = float(area_light(obj).energy)
        else:
            backdrop_only = linking_collection(BACKDROP_ONLY, [cyclorama], "INCLUDE")
            set_receivers(obj, backdrop_only, backdrop_only)
            energies["background_light"] = configure_background_light(
                obj, placement, view_layer, irradiance_for_stops(spec.background.level_stops))
    else:
        _remove_role(scene, "background_light")

    _BUILT[scene.as_pointer()] = _Built(
        focus=focus, frame=frame, camera=spec.camera, backdrop=backdrop, isolate_backdrop=isolate_backdrop,
        lights=tuple((role, spec.lights.rig(role)) for role in RIG_ROLES if role in objects),
        pointers=_pointers(objects))
    return StudioResult(objects=objects, focus=focus, camera_frame=frame, wall_y=wall_y, gradient=placement,
                        energies=energies)


def _build_modifiers(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, focus: Vec3,
                     objects: dict[str, bpy.types.Object]) -> None:
    """The bounce reflector, placed from the key as built, and the black flag
    (``studio/reflector.py``). Both are small meshes, rewritten on every build (also with ``reuse``)."""
    key = objects.get("key")
    if spec.lights.bounce.enabled and key is not None:
        scene.view_layers[0].update()  # the key's matrix as just set
        emitter = rig_emitter(key)
        placed = bounce_placement(spec, emitter, focus, light_colour(light_of(key)))
        if placed is None:
            raise ValueError(f"lights.bounce.stops = {spec.lights.bounce.stops:g}: no reflector distance reaches it for "
                             "the key as built")
        obj = _ensure(scene, collection, "bounce", "mesh")
        configure_bounce(obj, placed, emitter.centre)
        objects["bounce"] = obj
    else:
        _remove_role(scene, "bounce")
    if spec.lights.flag.enabled:
        obj = _ensure(scene, collection, "flag", "mesh")
        configure_flag(obj, spec.lights.flag, focus)
        objects["flag"] = obj
    else:
        _remove_role(scene, "flag")


def studio_objects(scene: bpy.types.Scene) -> dict[str, bpy.types.Object]:
    """Our objects by role (first of each), for measuring a scene that was built earlier."""
    found: dict[str, bpy.types.Object] = {}
    for obj in scene.objects:
        role = obj.get(ROLE_KEY)
        if isinstance(role, str) and role not in found:
            found[role] = obj
    return found


__all__ = ["StudioResult", "build_studio", "find_one", "forget_built", "studio_objects"]
