"""Incident-meter readings of the lights in a Blender scene, from the objects as they are.

The meter convention (used by the builder to set powers, by ``verify`` and by the prompt's
read-back alike): an incident meter at ``meter_at`` (normally the ``focus`` point, the midpoint
between the pupils) with its flat diffuser facing the centre of the light being measured. The
reading is scene-linear irradiance weighted by luminance:

    reading = E_per_watt * energy * 2**exposure * Y(color * temperature_color)

* ``E_per_watt`` comes from ``core.area_emitter`` with the object's real world transform (location,
  rotation, scale), the light's ``shape``, ``size``/``size_y``, ``spread`` and ``normalize``: the
  form factor of ``core.photometry`` for spread 180, Cycles' grid model integrated otherwise.
* ``Y`` is Rec.709 luminance (0.2126, 0.7152, 0.0722), the scene-linear space of Blender's
  default colour configuration. Blender normalises ``temperature_color`` to Y = 1 (3200 K gives
  (1.679, 0.866, 0.326)), so switching temperature keeps the reading; a coloured gel lowers it.
* A white Lambertian card (albedo 1) at the meter renders ``reading / pi`` in the linear image,
  so the builder's key target ``E = pi`` renders an 18 % grey card at 0.18 (mid grey).

Point and spot lights (a bare flash, a Fresnel) and a beauty dish (an area light whose deflector
hides its centre) are read by ``rig_emitter`` (``core.meter.emitter``).

Readings ignore occluders and light linking: like a handheld meter they measure what the light
sends to that point. Shader nodes on a light (``use_nodes``) are not modelled; the builder never
uses them.
"""

from __future__ import annotations

import dataclasses
import math

import bpy
from mathutils import Vector

from ...core.meter.emitter import AreaEmitter, RigEmitter, SphereEmitter
from ...core.vec import Vec3, dot, length, normalize, scale, sub
from ..contract import deflector_of
from ..narrow import RigLight, area_light, light_of, rig_light

REC709_LUMA: tuple[float, float, float] = (0.2126, 0.7152, 0.0722)
ROUND_SHAPES: tuple[str, ...] = ("DISK", "ELLIPSE")
SYMMETRIC_SHAPES: tuple[str, ...] = ("SQUARE", "DISK")


def luminance(rgb: tuple[float, float, float]) -> float:
    return sum(w * c for w, c in zip(REC709_LUMA, rgb, strict=True))


def light_colour(light: bpy.types.Light) -> tuple[float, float, float]:
    """Linear RGB multiplier Cycles applies to the light's power: colour times temperature colour."""
    c = light.color
    colour = (float(c[0]), float(c[1]), float(c[2]))
    if light.use_temperature:
        t = light.temperature_color
        colour = (colour[0] * float(t[0]), colour[1] * float(t[1]), colour[2] * float(t[2]))
    return colour


def radiant_power(light: RigLight) -> float:
    """Watts as Cycles uses them: energy scaled by the light's exposure (in stops)."""
    return float(light.energy) * 2.0 ** float(light.exposure)


def emitter_of(light_obj: bpy.types.Object) -> AreaEmitter:
    """The object's area light in world space (object scale included, as Cycles does)."""
    light = area_light(light_obj)
    mw = light_obj.matrix_world
    basis = mw.to_3x3()
    col_u, col_v = basis @ Vector((1.0, 0.0, 0.0)), basis @ Vector((0.0, 1.0, 0.0))  # the light's scaled local axes
    su, sv = col_u.length, col_v.length
    if su == 0.0 or sv == 0.0:
        raise ValueError(f"{light_obj.name!r} has zero scale")
    size_v = light.size if light.shape in SYMMETRIC_SHAPES else light.size_y
    axis_u = scale((float(col_u.x), float(col_u.y), float(col_u.z)), 1.0 / su)
    axis_v = scale((float(col_v.x), float(col_v.y), float(col_v.z)), 1.0 / sv)
    centre: Vec3 = (float(mw.translation.x), float(mw.translation.y), float(mw.translation.z))
    return AreaEmitter(
        centre=centre,
        axis_u=axis_u,
        axis_v=axis_v,
        len_u=float(light.size) * su,
        len_v=float(size_v) * sv,
        round_shape=light.shape in ROUND_SHAPES,
        spread_rad=float(light.spread),
        normalize=bool(light.normalize),
    )


def _world(v: Vector) -> Vec3:
    return (float(v.x), float(v.y), float(v.z))


def rig_emitter(light_obj: bpy.types.Object) -> RigEmitter:
    """Any rig light as Cycles emits it: an area light (with a beauty dish's deflector, when a
    deflector disk is parented to it: its world diameter and its height above the emitter), a
    point light or a spot light (``core.meter.emitter.SphereEmitter``)."""
    light = light_of(light_obj)
    mw = light_obj.matrix_world
    if isinstance(light, bpy.types.AreaLight):
        emitter = emitter_of(light_obj)
        deflector = deflector_of(light_obj)
        if deflector is None or deflector.hide_render:
            return emitter
        size = deflector.dimensions
        gap = dot(sub(_world(deflector.matrix_world.translation), emitter.centre), emitter.normal)
        return dataclasses.replace(emitter, deflector=float(max(size.x, size.y)), deflector_gap=gap)
    if isinstance(light, (bpy.types.PointLight, bpy.types.SpotLight)):
        centre = _world(mw.translation)
        radius = float(light.shadow_soft_size)
        if isinstance(light, bpy.types.SpotLight):
            axis = normalize(_world(mw.to_3x3() @ Vector((0.0, 0.0, -1.0))))  # a spot shines down its local -Z
            return SphereEmitter(centre, radius, axis, float(light.spot_size), float(light.spot_blend))
        return SphereEmitter(centre, radius)
    raise TypeError(f"{light_obj.name!r} is a {light.type.lower()} light: the meter reads area, point and spot lights")


def reading_per_watt(light_obj: bpy.types.Object, meter_at: Vec3) -> float:
    """Luminance-weighted reading per watt of ``energy`` (exposure 0): what the builder divides by."""
    meter: Vec3 = (float(meter_at[0]), float(meter_at[1]), float(meter_at[2]))
    return rig_emitter(light_obj).meter_reading_per_watt(meter) * luminance(light_colour(light_of(light_obj)))


def incident_reading(light_obj: bpy.types.Object, meter_at: Vec3) -> float:
    """Incident-meter reading (luminance-weighted scene-linear irradiance) at ``meter_at`` for a
    meter facing this light. Reads ``light_obj.matrix_world``: update the view layer after moving
    the object (``view_layer.update()``) before asking."""
    meter: Vec3 = (float(meter_at[0]), float(meter_at[1]), float(meter_at[2]))
    return reading_per_watt(light_obj, meter) * radiant_power(rig_light(light_obj))


def stops_relative_to_key(light_obj: bpy.types.Object, key_obj: bpy.types.Object, meter_at: Vec3) -> float:
    """log2 of this light's reading over the key's, both metered at ``meter_at``."""
    key = incident_reading(key_obj, meter_at)
    other = incident_reading(light_obj, meter_at)
    if key <= 0.0 or other <= 0.0:
        return -math.inf if other <= 0.0 else math.inf
    return math.log2(other / key)


def distance_to(light_obj: bpy.types.Object, point: Vec3) -> float:
    t = light_obj.matrix_world.translation
    return length((t.x - point[0], t.y - point[1], t.z - point[2]))
