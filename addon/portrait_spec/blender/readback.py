"""Read a live scene back into a Spec, so the prompt states what the scene is now.

Start from the spec stored on the scene (``scene["portrait_spec"]``) for everything a scene
cannot show (framing, skin regions, prompt settings ...), then take from the objects, found by
their ``portrait_spec_role``:

* key, fill, rim: azimuth, elevation and distance of the light's centre around the ``focus``
  empty (``core.placement.angles_from_position``); emitting size from the light data times the
  object's scale (a square or disk scaled unevenly becomes a rectangle or ellipse); grid spread;
  colour temperature; stops from the real power and geometry with the incident meter at the
  focus (``light_readings.stops_relative_to_key``). A light deleted or hidden from renders is
  disabled.
* camera: focal length and f-number.
* backdrop: colour of the ``PS_Cyclorama`` material (an RGB node named ``backdrop_color`` if there
  is one, else the colour of the shader feeding the output) and the wall's distance from the focus.
* materials: the base roughness of the gold (``gold_bsdf``, or the ``roughness_scratched`` mix
  under micro-scratches) and of the skin (``skin_bsdf``) where it is one plain value; skin
  roughness painted per region is driven by masks and keeps the stored values.
* render resolution.

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
from ..core.placement import angles_from_position
from ..core.schema import spec_from_data, spec_to_data
from ..core.spec import LightSpec, Spec
from ..core.toml_io import spec_from_json
from ..core.units import Distance
from ..core.vec import Vec3
from .contract import find_one, stored_spec_json
from .measure.meter import emitter_of, stops_relative_to_key

ANGLE_STEP = 0.1
STOPS_STEP = 0.01
LENGTH_STEP_M = 0.001
KELVIN_STEP = 1.0
ROUGHNESS_STEP = 0.001
FOCAL_STEP = 0.1
FSTOP_STEP = 0.01
CYCLORAMA_MATERIAL = "PS_Cyclorama"
BACKDROP_NODE = "backdrop_color"
SHAPES_BACK: dict[str, str] = {"RECTANGLE": "rectangle", "SQUARE": "square", "DISK": "disk", "ELLIPSE": "ellipse"}


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


def _light(scene: bpy.types.Scene, role: str, stored: LightSpec, focus: Vec3) -> LightSpec:
    obj = find_one(scene, role)
    if obj is None or obj.type != "LIGHT" or obj.data.type != "AREA" or obj.hide_render or obj.data.energy <= 0.0:
        return dataclasses.replace(stored, enabled=False)
    light = obj.data
    emitter = emitter_of(obj)
    t = obj.matrix_world.translation
    azimuth, elevation, distance = angles_from_position(focus, (float(t.x), float(t.y), float(t.z)))
    shape = SHAPES_BACK.get(light.shape, "rectangle")
    width_m, height_m = emitter.len_u, emitter.len_v
    if shape in ("square", "disk") and abs(width_m - height_m) > LENGTH_STEP_M / 2.0:
        shape = "rectangle" if shape == "square" else "ellipse"  # scaled unevenly in the viewport
    width = settle_distance(stored.width, width_m)
    # Square and disk keep the stored height (the spec ignores it for them).
    height = stored.height if shape in ("square", "disk") else settle_distance(stored.height, height_m)
    temperature = stored.temperature_k
    if getattr(light, "use_temperature", False):
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


def _input_value(node: bpy.types.Node, name: str) -> Any:
    socket: Any = node.inputs.get(name)  # the stubs say never None; a renamed input is
    if socket is None or socket.is_linked:
        return None
    return socket.default_value


def _backdrop_color(stored: Color8) -> Color8:
    mat: Any = bpy.data.materials.get(CYCLORAMA_MATERIAL)
    if mat is None or mat.node_tree is None:
        return stored
    nodes = mat.node_tree.nodes
    rgb: Any = None
    named = nodes.get(BACKDROP_NODE)
    if named is not None and named.type == "RGB":
        rgb = named.outputs[0].default_value
    else:
        output = next((n for n in nodes if n.type == "OUTPUT_MATERIAL" and n.inputs["Surface"].is_linked), None)
        if output is not None:
            rgb = _input_value(output.inputs["Surface"].links[0].from_node, "Color")
    if rgb is None:
        return stored
    observed = Color8.from_linear((float(rgb[0]), float(rgb[1]), float(rgb[2])))
    return stored if observed.rgb == stored.rgb else dataclasses.replace(observed, as_hex=stored.as_hex)


def _wall_distance(scene: bpy.types.Scene, focus: Vec3) -> float | None:
    obj = find_one(scene, "cyclorama")
    if obj is None or obj.type != "MESH" or not obj.data.vertices:
        return None
    mw = obj.matrix_world
    wall_y = max((mw @ v.co).y for v in obj.data.vertices)
    return float(wall_y) - focus[1]


# Where a material keeps its base roughness as one number: the BSDF's own input, or (gold with
# micro-scratches) the scratch mix whose third input is the unscratched roughness.
ROUGHNESS_SOURCES: dict[str, tuple[tuple[str, str | int], ...]] = {
    "skin_bsdf": (("skin_bsdf", "Roughness"),),
    "gold_bsdf": (("gold_bsdf", "Roughness"), ("roughness_scratched", 2)),
}


def _node_roughness(name: str) -> float | None:
    for mat in bpy.data.materials:
        if mat.node_tree is None or mat.node_tree.nodes.get(name) is None:
            continue
        for node_name, socket in ROUGHNESS_SOURCES[name]:
            node: Any = mat.node_tree.nodes.get(node_name)
            if node is None:
                continue
            value = _input_value(node, socket) if isinstance(socket, str) else (
                None if node.inputs[socket].is_linked else node.inputs[socket].default_value)
            if value is not None:
                return float(value)
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
    return spec_from_json(text)


def spec_from_scene(scene: bpy.types.Scene) -> Spec:
    """The spec that describes ``scene`` as it is now (see the module docstring)."""
    spec = stored_spec(scene)
    focus = _focus(scene, spec)
    lights = {role: _light(scene, role, getattr(spec.lights, role), focus) for role in ("key", "fill", "rim")}
    lights = {role: _with_stops(scene, role, light, focus) if role != "key" else light for role, light in lights.items()}

    camera = spec.camera
    cam_obj = find_one(scene, "camera")
    if cam_obj is not None and cam_obj.type == "CAMERA":
        cam = cam_obj.data
        camera = dataclasses.replace(
            camera,
            focal_length_mm=settle(camera.focal_length_mm, float(cam.lens), FOCAL_STEP),
            f_number=settle(camera.f_number, float(cam.dof.aperture_fstop), FSTOP_STEP) if cam.dof.use_dof else camera.f_number,
        )

    subject = spec.subject
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
        lights=dataclasses.replace(spec.lights, **lights),
        background=background,
        render=render,
        skin=dataclasses.replace(spec.skin, **skin_changes),
        jewelry=dataclasses.replace(spec.jewelry, **jewelry_changes),
    )
    # Through plain data so a light dragged out of range is reported like a bad TOML value.
    return spec_from_data(spec_to_data(observed), f"scene {scene.name!r}")
