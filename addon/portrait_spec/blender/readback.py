"""Read a live scene back into a Spec, so the prompt states what the scene is now.

Start from the spec stored on the scene (``scene["portrait_spec"]``) for everything a scene
cannot show (framing, skin regions, prompt settings ...), then take from the objects, found by
their ``portrait_spec_role``:

* key, fill, rim: azimuth, elevation and distance of the light's centre around the ``focus``
  empty (``core.placement.angles_from_position``); emitting size from the light data times the
  object's scale (a square or disk scaled unevenly becomes a rectangle or ellipse); grid spread;
  colour temperature; stops from the real power and geometry with the incident meter at the
  focus (``light_readings.stops_relative_to_key``). A light deleted or hidden from renders is
  disabled. A key with a lighting pattern keeps it while it stands where the pattern puts it
  for the head as read back (``core.pattern_placement``); moved by hand, it reads back as
  ``pattern = "none"`` at its own angles.
* camera: focal length and f-number.
* backdrop: colour of the ``PS_Cyclorama`` material (an RGB node named ``backdrop_color`` if there
  is one, else the colour of the shader feeding the output) and the wall's distance from the focus.
* materials: the base roughness of the gold (``gold_bsdf``, or the ``roughness_scratched`` mix
  under micro-scratches) and of the skin (``skin_bsdf``) where it is one plain value; skin
  roughness painted per region is driven by masks and keeps the stored values.
* bounce and flag: their objects' angles (and the flag's distance and size) around the focus;
  the bounce's stops predicted from the key and the reflector as they stand
  (``core.meter.bounce``); deleted or hidden from renders, each is off.
* render resolution.
* the person: head yaw, pitch and roll and the body turn measured from its mesh (the rigid fits
  of ``measure.head``, so a sitter turned by hand is described as it now stands), and the
  garment's colour from ``PS_Fabric``.

Each value read is compared with the stored one: within half a rounding step it keeps the stored
value exactly (so an untouched scene reads back to exactly the spec that built it); otherwise it
is rounded (angles 0.1 deg, stops 0.01, lengths 1 mm, kelvin 1 K, roughness 0.001) and written in
the unit the stored spec used for that field.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import bpy

from ..core.color import Color8
from ..core.errors import Problem, SpecError
from ..core.meter.bounce import bounce_stops, reflector_panels
from ..core.modifiers import KINDS, MODIFIERS, Modifier, uses_height
from ..core.pattern_placement import is_placed
from ..core.pattern_placement import problems as pattern_problems
from ..core.placement import angles_from_position
from ..core.schema import spec_from_data, spec_to_data
from ..core.spec import BounceSpec, FlagSpec, LightShape, LightSpec, Spec, SubjectSpec
from ..core.toml_io import spec_from_json
from ..core.units import Distance
from ..core.vec import Vec3
from .contract import MODIFIER_KEY, ROLE_KEY, SPEC_KEY, deflector_of, find_one, stored_spec_json
from .measure.head import body_turn, head_pose, person_body
from .measure.meter import emitter_of, light_colour, rig_emitter, stops_relative_to_key
from .narrow import color_socket, float_socket, light_of, lookup, present

ANGLE_STEP = 0.1
STOPS_STEP = 0.01
LENGTH_STEP_M = 0.001
KELVIN_STEP = 1.0
ROUGHNESS_STEP = 0.001
FOCAL_STEP = 0.1
FSTOP_STEP = 0.01
CYCLORAMA_MATERIAL = "PS_Cyclorama"
FABRIC_MATERIAL = "PS_Fabric"
BACKDROP_NODE = "backdrop_color"
SHAPES_BACK: dict[str, LightShape] = {"RECTANGLE": "rectangle", "SQUARE": "square", "DISK": "disk", "ELLIPSE": "ellipse"}
RIG_LIGHTS = (bpy.types.AreaLight, bpy.types.PointLight, bpy.types.SpotLight)


def settle(stored: float, observed: float, step: float) -> float:
    """The stored value if the scene still agrees with it to half a step, else the observed one
    rounded to ``step``."""
    if abs(observed - stored) <= step / 2.0 + 1e-9:
        return stored
    return round(round(observed / step) * step, 10)


def settle_distance(stored: Distance, observed_m: float) -> Distance:
    if abs(observed_m - stored.metres) <= LENGTH_STEP_M / 2.0 + 1e-9:
        return stored
    value = Distance.from_metres(observed_m, stored.unit).value
    # A millimetre in the stored unit, as a short decimal: 4 places in ft/in/m, fewer in cm/mm.
    places = {"m": 3, "ft": 4, "in": 2, "cm": 1, "mm": 0}[stored.unit]
    return Distance(round(value, places), stored.unit)


def _focus(scene: bpy.types.Scene, spec: Spec) -> Vec3:
    obj = find_one(scene, "focus")
    if obj is None:
        return (0.0, 0.0, spec.subject.eye_height.metres)
    t = obj.matrix_world.translation
    return (float(t.x), float(t.y), float(t.z))


def modifier_in_scene(obj: bpy.types.Object) -> Modifier:
    """The modifier a rig light is: the one stored on it (``contract.MODIFIER_KEY``) while its
    light type and deflector still fit it, else what its type says (a point light is a bare
    flash, a spot a Fresnel, an area light with a deflector a beauty dish, a disk an octabox, any
    other area light a softbox)."""
    light = light_of(obj)
    if light.type == "POINT":
        return "bare"
    if light.type == "SPOT":
        return "fresnel"
    if deflector_of(obj) is not None:
        return "beauty_dish"
    disk = isinstance(light, bpy.types.AreaLight) and light.shape == "DISK"
    stored = obj.get(MODIFIER_KEY)
    if isinstance(stored, str) and stored in MODIFIERS and stored != "beauty_dish" and KINDS[stored].emitter == "area" \
            and (stored == "softbox" or KINDS[stored].round == disk):
        return stored
    return "octabox" if disk else "softbox"


def _sphere_light(stored: LightSpec, light: bpy.types.PointLight | bpy.types.SpotLight, modifier: Modifier) -> LightSpec:
    """A bare flash or Fresnel's size (the sphere's diameter) and a Fresnel's beam."""
    spread = stored.spread_deg
    if isinstance(light, bpy.types.SpotLight):
        spread = settle(stored.spread_deg, math.degrees(float(light.spot_size)), ANGLE_STEP)
    return dataclasses.replace(stored, modifier=modifier, width=settle_distance(stored.width, 2.0 * float(light.shadow_soft_size)),
                               spread_deg=spread)


def _light(scene: bpy.types.Scene, role: str, stored: LightSpec, focus: Vec3) -> LightSpec:
    obj = find_one(scene, role)
    light = obj.data if obj is not None else None
    if obj is None or not isinstance(light, RIG_LIGHTS) or obj.hide_render or light.energy <= 0.0:
        return dataclasses.replace(stored, enabled=False)
    t = obj.matrix_world.translation
    azimuth, elevation, distance = angles_from_position(focus, (float(t.x), float(t.y), float(t.z)))
    modifier = modifier_in_scene(obj)
    placed = dataclasses.replace(stored, enabled=True, azimuth_deg=settle(stored.azimuth_deg, azimuth, ANGLE_STEP),
                                 elevation_deg=settle(stored.elevation_deg, elevation, ANGLE_STEP),
                                 distance=settle_distance(stored.distance, distance))
    if light.use_temperature:
        placed = dataclasses.replace(placed, temperature_k=settle(stored.temperature_k, float(light.temperature), KELVIN_STEP))
    if not isinstance(light, bpy.types.AreaLight):
        return _sphere_light(placed, light, modifier)
    emitter = emitter_of(obj)
    if modifier != "softbox":  # the modifier sets the emitter's shape; the spec's shape is a softbox's
        height = settle_distance(stored.height, emitter.len_v) if uses_height(modifier, stored.shape) else stored.height
        return dataclasses.replace(placed, modifier=modifier, width=settle_distance(stored.width, emitter.len_u),
                                   height=height, spread_deg=settle(stored.spread_deg, math.degrees(float(light.spread)), ANGLE_STEP))
    stored = dataclasses.replace(stored, modifier=modifier)
    shape: LightShape = SHAPES_BACK.get(light.shape, "rectangle")
    width_m, height_m = emitter.len_u, emitter.len_v
    if shape in ("square", "disk") and abs(width_m - height_m) > LENGTH_STEP_M / 2.0:
        shape = "rectangle" if shape == "square" else "ellipse"  # scaled unevenly in the viewport
    width = settle_distance(stored.width, width_m)
    # Square and disk keep the stored height (the spec ignores it for them).
    height = stored.height if shape in ("square", "disk") else settle_distance(stored.height, height_m)
    temperature = stored.temperature_k
    if light.use_temperature:
        temperature = settle(stored.temperature_k, float(light.temperature), KELVIN_STEP)
    return dataclasses.replace(
        stored,
        enabled=True,
        shape=shape,
        width=width,
        height=height,
        azimuth_deg=settle(stored.azimuth_deg, azimuth, ANGLE_STEP),
        elevation_deg=settle(stored.elevation_deg, elevation, ANGLE_STEP),
        distance=settle_distance(stored.distance, distance),
        spread_deg=settle(stored.spread_deg, math.degrees(float(light.spread)), ANGLE_STEP),
        temperature_k=temperature,
    )


def _with_stops(scene: bpy.types.Scene, role: str, light: LightSpec, focus: Vec3) -> LightSpec:
    key_obj, obj = find_one(scene, "key"), find_one(scene, role)
    if not light.enabled or key_obj is None or obj is None:
        return light
    stops = stops_relative_to_key(obj, key_obj, focus)
    if not math.isfinite(stops):
        return light
    return dataclasses.replace(light, stops=settle(light.stops, stops, STOPS_STEP))


def _bounce(scene: bpy.types.Scene, stored: BounceSpec, key: LightSpec, focus: Vec3) -> BounceSpec:
    """The reflector's angles from its object (a V-flat's hinge), and its level predicted from the
    key and reflector as they stand (``core.meter.bounce``, the face turned as the builder turns
    it); deleted or hidden from renders, the bounce is off."""
    obj = find_one(scene, "bounce")
    key_obj = find_one(scene, "key")
    if not stored.enabled or obj is None or obj.hide_render:
        return dataclasses.replace(stored, enabled=False)
    t = obj.matrix_world.translation
    azimuth, elevation, distance = angles_from_position(focus, (float(t.x), float(t.y), float(t.z)))
    observed = dataclasses.replace(stored, azimuth_deg=settle(stored.azimuth_deg, azimuth, ANGLE_STEP),
                                   elevation_deg=settle(stored.elevation_deg, elevation, ANGLE_STEP))
    if key_obj is None or not key.enabled or distance <= 0.0:
        return observed
    emitter = rig_emitter(key_obj)
    reflector = reflector_panels(stored.kind, stored.size.metres, focus, emitter.centre, azimuth, elevation, distance)
    stops = bounce_stops(reflector, emitter, focus, light_colour(light_of(key_obj)))
    if not math.isfinite(stops):
        return observed
    return dataclasses.replace(observed, stops=settle(stored.stops, stops, STOPS_STEP))


def _flag(scene: bpy.types.Scene, stored: FlagSpec, focus: Vec3) -> FlagSpec:
    obj = find_one(scene, "flag")
    if not stored.enabled or obj is None or obj.hide_render:
        return dataclasses.replace(stored, enabled=False)
    t = obj.matrix_world.translation
    azimuth, elevation, distance = angles_from_position(focus, (float(t.x), float(t.y), float(t.z)))
    size = obj.dimensions  # the flat panel's width and height, object scale included
    return dataclasses.replace(stored, azimuth_deg=settle(stored.azimuth_deg, azimuth, ANGLE_STEP),
                               elevation_deg=settle(stored.elevation_deg, elevation, ANGLE_STEP),
                               distance=settle_distance(stored.distance, distance),
                               width=settle_distance(stored.width, float(size.x)),
                               height=settle_distance(stored.height, float(size.y)))


def _unlinked(node: bpy.types.Node, key: str | int) -> bpy.types.NodeSocket | None:
    """Input ``key`` of ``node`` when it holds its own value: None when it is linked, or when an
    edit renamed it away."""
    if isinstance(key, str):
        socket = lookup(node.inputs, key)
    else:
        socket = node.inputs[key] if key < len(node.inputs) else None
    return None if socket is None or socket.is_linked else socket


def _backdrop_color(stored: Color8) -> Color8:
    mat = lookup(bpy.data.materials, CYCLORAMA_MATERIAL)
    if mat is None or mat.node_tree is None:
        return stored
    nodes = mat.node_tree.nodes
    colour: bpy.types.NodeSocket | None = None
    named = lookup(nodes, BACKDROP_NODE)
    if named is not None and named.type == "RGB":
        colour = named.outputs[0]
    else:
        output = next((n for n in nodes if n.type == "OUTPUT_MATERIAL" and n.inputs["Surface"].is_linked), None)
        links = output.inputs["Surface"].links if output is not None else None
        shader = links[0].from_node if links else None
        colour = _unlinked(shader, "Color") if shader is not None else None
    rgb = color_socket(colour).default_value if colour is not None and colour.type == "RGBA" else None
    if rgb is None:
        return stored
    observed = Color8.from_linear((float(rgb[0]), float(rgb[1]), float(rgb[2])))
    return stored if observed.rgb == stored.rgb else dataclasses.replace(observed, as_hex=stored.as_hex)


def _person(scene: bpy.types.Scene, subject: SubjectSpec) -> SubjectSpec:
    """The person's head and body turn measured from its mesh (``measure.head``), and its
    garment's colour from the fabric material; a mannequin or a model keeps the stored values."""
    body = person_body(scene) if subject.kind == "person" else None
    if body is None:
        return subject
    pose = subject.pose
    head = head_pose(body)
    turn = body_turn(body)
    if head is not None:
        pose = dataclasses.replace(pose, head_yaw_deg=settle(pose.head_yaw_deg, head.yaw_deg, ANGLE_STEP),
                                   head_pitch_deg=settle(pose.head_pitch_deg, head.pitch_deg, ANGLE_STEP),
                                   head_roll_deg=settle(pose.head_roll_deg, head.roll_deg, ANGLE_STEP))
    if turn is not None:
        pose = dataclasses.replace(pose, body_turn_deg=settle(pose.body_turn_deg, turn, ANGLE_STEP))
    garment = subject.garment
    mat = lookup(bpy.data.materials, FABRIC_MATERIAL)
    bsdf = lookup(mat.node_tree.nodes, "fabric_bsdf") if mat is not None and mat.node_tree is not None else None
    if bsdf is not None:
        rgb = color_socket(bsdf.inputs["Base Color"]).default_value
        observed = Color8.from_linear((float(rgb[0]), float(rgb[1]), float(rgb[2])))
        if observed.rgb != garment.color.rgb:
            garment = dataclasses.replace(garment, color=dataclasses.replace(observed, as_hex=garment.color.as_hex))
    return dataclasses.replace(subject, pose=pose, garment=garment)


def _wall_distance(scene: bpy.types.Scene, focus: Vec3) -> float | None:
    obj = find_one(scene, "cyclorama")
    mesh = obj.data if obj is not None else None
    if obj is None or not isinstance(mesh, bpy.types.Mesh) or not mesh.vertices:
        return None
    mw = obj.matrix_world
    wall_y = max((mw @ v.co).y for v in mesh.vertices)
    return float(wall_y) - focus[1]


# Where a material keeps its base roughness as one number: the BSDF's own input, or (gold with
# micro-scratches) the scratch mix whose third input is the unscratched roughness.
ROUGHNESS_SOURCES: dict[str, tuple[tuple[str, str | int], ...]] = {
    "skin_bsdf": (("skin_bsdf", "Roughness"),),
    "gold_bsdf": (("gold_bsdf", "Roughness"), ("roughness_scratched", 2)),
}


def _node_roughness(name: str) -> float | None:
    for mat in bpy.data.materials:
        if mat.node_tree is None or lookup(mat.node_tree.nodes, name) is None:
            continue
        for node_name, key in ROUGHNESS_SOURCES[name]:
            node = lookup(mat.node_tree.nodes, node_name)
            socket = _unlinked(node, key) if node is not None else None
            if socket is not None and socket.type == "VALUE":
                return float(float_socket(socket).default_value)
        return None
    return None


def _materials(spec: Spec) -> tuple[dict[str, Any], dict[str, Any]]:
    skin: dict[str, Any] = {}
    jewelry: dict[str, Any] = {}
    skin_r = _node_roughness("skin_bsdf")
    if skin_r is not None:
        table = dict(spec.skin.roughness)
        table["default"] = settle(table.get("default", 0.45), skin_r, ROUGHNESS_STEP)
        skin["roughness"] = table
    gold_r = _node_roughness("gold_bsdf")
    if gold_r is not None and spec.jewelry.enabled:
        jewelry["roughness"] = settle(spec.jewelry.roughness, gold_r, ROUGHNESS_STEP)
    return skin, jewelry


def stored_spec(scene: bpy.types.Scene) -> Spec:
    """The spec the scene was built from, as stored on it."""
    text = stored_spec_json(scene)
    if text is None:
        raise SpecError([Problem("(scene)", f"scene {scene.name!r} without Portrait Spec data",
                                 "a scene built by Portrait Spec (it stores its spec in scene['portrait_spec'])")])
    return spec_from_json(text, f"scene {scene.name!r} (its {SPEC_KEY!r} property)")


MIN_LIGHT_DISTANCE_M = 0.01  # a light's centre closer to the focus than this has no direction to read


def _finite(obj: bpy.types.Object) -> bool:
    mw = obj.matrix_world
    return all(math.isfinite(float(mw[row][col])) for row in range(4) for col in range(4))


def _light_problem(obj: bpy.types.Object, role: str, focus: Vec3) -> Problem | None:
    where = f"lights.{role} (object {obj.name!r})"
    if obj.type != "LIGHT" or not isinstance(obj.data, bpy.types.Light):
        return Problem(where, f"a {obj.type.lower()} object", "an area light: rebuild the studio, or delete the object "
                       "to switch the light off")
    if obj.data.type not in ("AREA", "POINT", "SPOT"):
        return Problem(where, f"a {obj.data.type.lower()} light", "an area, point or spot light (Portrait Spec meters "
                       "and powers those): set its type back, or delete it to switch the light off")
    mw = obj.matrix_world
    size = mw.to_scale()  # the lengths of the object's axes
    if obj.data.type == "AREA" and (size.x == 0.0 or size.y == 0.0):
        return Problem(where, "a scale of zero", "a non-zero scale (an area light of no size emits nothing)")
    if isinstance(obj.data, (bpy.types.PointLight, bpy.types.SpotLight)) and obj.data.shadow_soft_size <= 0.0:
        return Problem(where, f"a {obj.data.type.lower()} light of no size", "a lamp 5-20 cm across (radius 2.5-10 cm: "
                       "a bare flash or a Fresnel spot), or an area light")
    t = mw.translation
    away = math.dist((float(t.x), float(t.y), float(t.z)), focus)
    if away < MIN_LIGHT_DISTANCE_M:
        return Problem(where, f"its centre {away * 100.0:.1f} cm from the focus point",
                       f"a light at least {MIN_LIGHT_DISTANCE_M * 100:g} cm from the focus (the meter reads it there)")
    return None


def scene_problems(scene: bpy.types.Scene) -> list[Problem]:
    """What makes ``scene`` unreadable as a Portrait Spec studio, each naming the object and what
    to do: everything we built deleted, a transform that is not finite, a rig light that is no
    longer an area light, has no size or sits on the focus point, or no key light at all."""
    ours = [obj for obj in scene.objects if obj.get(ROLE_KEY) is not None]
    if not ours:
        return [Problem("(scene)", f"no Portrait Spec objects in scene {scene.name!r} (all were deleted)",
                        "the studio Portrait Spec built: undo the deletion or rebuild it "
                        "(`portrait_spec build SPEC --save FILE.blend`)")]
    problems = [Problem(f"object {obj.name!r} ({obj.get(ROLE_KEY)})", "a location, rotation or scale that is not a "
                        "finite number (NaN or infinity)", "finite values: fix its transform or rebuild the studio")
                for obj in ours if not _finite(obj)]
    if problems:
        return problems
    focus_obj = find_one(scene, "focus")
    t = focus_obj.matrix_world.translation if focus_obj is not None else None
    focus: Vec3 = (float(t.x), float(t.y), float(t.z)) if t is not None else (math.nan, math.nan, math.nan)
    for role in ("key", "fill", "rim"):
        obj = find_one(scene, role)
        found = _light_problem(obj, role, focus) if obj is not None else None
        if found is not None:
            problems.append(found)
    key = find_one(scene, "key")
    if key is None or key.hide_render or (isinstance(key.data, RIG_LIGHTS) and key.data.energy <= 0.0):
        problems.append(Problem("lights.key", f"no key light that renders in scene {scene.name!r} (deleted, hidden "
                                "from renders or at 0 W)", "a key light: the exposure and every ratio are set from "
                                "it; undo the change or rebuild the studio"))
    return problems


def spec_from_scene(scene: bpy.types.Scene) -> Spec:
    """The spec that describes ``scene`` as it is now (see the module docstring); a scene that
    cannot be read (``scene_problems``) raises SpecError naming the objects."""
    spec = stored_spec(scene)
    problems = scene_problems(scene)
    if problems:
        raise SpecError(problems, f"scene {scene.name!r}")
    focus = _focus(scene, spec)
    lights = {role: _light(scene, role, getattr(spec.lights, role), focus) for role in ("key", "fill", "rim")}
    lights = {role: _with_stops(scene, role, light, focus) if role != "key" else light for role, light in lights.items()}

    camera = spec.camera
    cam_obj = find_one(scene, "camera")
    cam = cam_obj.data if cam_obj is not None else None
    if isinstance(cam, bpy.types.Camera):
        dof = present(cam.dof, f"camera {cam.name!r} depth of field")
        camera = dataclasses.replace(
            camera,
            focal_length_mm=settle(camera.focal_length_mm, float(cam.lens), FOCAL_STEP),
            f_number=settle(camera.f_number, float(dof.aperture_fstop), FSTOP_STEP) if dof.use_dof else camera.f_number,
        )

    subject = _person(scene, spec.subject)
    wall = _wall_distance(scene, focus)
    if wall is not None:
        subject = dataclasses.replace(subject, distance_to_background=settle_distance(subject.distance_to_background, wall))
    background = dataclasses.replace(spec.background, color=_backdrop_color(spec.background.color))

    r = scene.render
    pct = r.resolution_percentage / 100.0
    render = dataclasses.replace(spec.render, resolution=(round(r.resolution_x * pct), round(r.resolution_y * pct)))

    skin_changes, jewelry_changes = _materials(spec)
    observed = dataclasses.replace(
        spec,
        camera=camera,
        subject=subject,
        lights=dataclasses.replace(spec.lights, **lights, bounce=_bounce(scene, spec.lights.bounce, lights["key"], focus),
                                   flag=_flag(scene, spec.lights.flag, focus)),
        background=background,
        render=render,
        skin=dataclasses.replace(spec.skin, **skin_changes),
        jewelry=dataclasses.replace(spec.jewelry, **jewelry_changes),
    )
    if observed.lights.key.pattern != "none" and (not is_placed(observed) or pattern_problems(observed)):
        # The key or the head moved by hand: the key no longer stands where its pattern puts it
        # (spec_from_data would put it back), so the scene is described by the key's own angles.
        key = dataclasses.replace(observed.lights.key, pattern="none")
        observed = dataclasses.replace(observed, lights=dataclasses.replace(observed.lights, key=key))
    # Through plain data so a light dragged out of range is reported like a bad TOML value.
    return spec_from_data(spec_to_data(observed), f"scene {scene.name!r}")
