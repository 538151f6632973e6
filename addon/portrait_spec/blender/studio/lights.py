"""Key, fill, rim and the background light as Cycles area lights, with powers from the meter.

Placement: ``core.placement.light_position`` from azimuth (0 = camera side, + = camera left),
elevation and distance around the focus point; orientation from ``core.placement.aim_basis``
(-Z at the focus, height axis as close to world up as possible). The object's matrix is built
from that basis, so the geometry the meter model reads back is the geometry that was planned.

Powers: each light's ``energy`` is solved from the incident reading it must give at the focus
(``light_readings``, the same model ``verify`` and the prompt use): key ``E = pi``
(``core.exposure``), fill and rim ``pi * 2**stops``. That is a form-factor computation per light
(size, distance, angle, spread grid), never a power ratio. Colour temperature uses the light's
own ``temperature`` (Blender normalises its colour to luminance 1, so kelvin never changes the
reading). Softbox lights are invisible to the camera (never a white card in frame) but visible
to glossy rays, so eyes keep their catchlights.
"""

from __future__ import annotations

import math
from typing import Literal

import bpy
from mathutils import Matrix, Vector

from ...core.backdrop_gradient import GradientPlacement
from ...core.placement import aim_basis, light_position
from ...core.spec import LightSpec
from ...core.vec import Vec3
from ..compat import light_nodes_off
from ..measure.meter import emitter_of, light_colour, luminance, reading_per_watt
from ..narrow import area_light

AreaShape = Literal["SQUARE", "RECTANGLE", "DISK", "ELLIPSE"]
SHAPES: dict[str, AreaShape] = {"rectangle": "RECTANGLE", "square": "SQUARE", "disk": "DISK", "ellipse": "ELLIPSE"}
WALL_NORMAL: Vec3 = (0.0, -1.0, 0.0)
UNLINKED_FROM_BACKDROP = "Portrait Spec · lights without backdrop"
BACKDROP_ONLY = "Portrait Spec · backdrop only"


def aimed_matrix(position: Vec3, target: Vec3) -> Matrix:
    x, y, z = aim_basis(position, target)
    m = Matrix((x, y, z)).transposed().to_4x4()
    m.translation = Vector(position)
    return m


def _area_data(light: bpy.types.AreaLight, shape: AreaShape, width: float, height: float, spread_rad: float) -> None:
    light.shape = shape
    light.size = width
    light.size_y = height
    light.spread = spread_rad
    light.color = (1.0, 1.0, 1.0)
    light.exposure = 0.0
    light.normalize = True
    light_nodes_off(light)


def configure_rig_light(obj: bpy.types.Object, light_spec: LightSpec, focus: Vec3) -> None:
    """Shape, size, grid, temperature and placement; power is set separately by ``set_power``."""
    light = area_light(obj)
    _area_data(light, SHAPES[light_spec.shape], light_spec.width.metres, light_spec.height.metres,
               math.radians(light_spec.spread_deg))
    light.use_temperature = True
    light.temperature = light_spec.temperature_k
    position = light_position(focus, light_spec.azimuth_deg, light_spec.elevation_deg, light_spec.distance.metres)
    obj.matrix_world = aimed_matrix(position, focus)
    obj.visible_camera = False


def set_power(obj: bpy.types.Object, view_layer: bpy.types.ViewLayer, meter_at: Vec3, target_reading: float) -> float:
    """Energy (W) that makes the meter at ``meter_at`` read ``target_reading``."""
    view_layer.update()
    light = area_light(obj)
    light.energy = 1.0
    per_watt = reading_per_watt(obj, meter_at)
    if per_watt <= 0.0:
        raise ValueError(f"{obj.name!r} sends no light to the focus point: is it behind it or facing away?")
    light.energy = target_reading / per_watt
    return float(light.energy)


def configure_background_light(obj: bpy.types.Object, placement: GradientPlacement, view_layer: bpy.types.ViewLayer,
                               bright_irradiance: float) -> float:
    """Place the gradient light and set its power so the wall at the bright edge receives
    ``bright_irradiance``. Returns the energy."""
    light = area_light(obj)
    _area_data(light, "SQUARE", placement.size, placement.size, math.pi)
    light.use_temperature = False  # neutral white: the paint alone sets the backdrop's colour
    obj.matrix_world = aimed_matrix(placement.position, placement.target)
    obj.visible_camera = False
    view_layer.update()
    per_watt = emitter_of(obj).irradiance_per_watt(placement.bright_point, WALL_NORMAL) * luminance(light_colour(light))
    light.energy = bright_irradiance / per_watt
    return float(light.energy)


def linking_collection(name: str, members: list[bpy.types.Object], state: Literal["INCLUDE", "EXCLUDE"]) -> bpy.types.Collection:
    """A data-only collection (not in the scene) listing ``members`` with link state ``state``."""
    coll = bpy.data.collections.get(name) or bpy.data.collections.new(name)
    for obj in list(coll.objects):
        coll.objects.unlink(obj)
    for obj in members:
        coll.objects.link(obj)
    for entry in coll.collection_objects:
        entry.light_linking.link_state = state
    return coll


def set_receivers(light_obj: bpy.types.Object, receivers: bpy.types.Collection | None,
                  blockers: bpy.types.Collection | None = None) -> None:
    light_obj.light_linking.receiver_collection = receivers
    light_obj.light_linking.blocker_collection = blockers
