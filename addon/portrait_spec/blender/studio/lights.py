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

Modifiers (``core.modifiers``): softbox, strip box, octabox, umbrellas and beauty dish are area
lights (a beauty dish with its deflector disk, ``configure_deflector``); a bare flash is a point
light and a Fresnel a spot light, each a small sphere. The modifier is stored on the object
(``contract.MODIFIER_KEY``) for read-back and ``verify``.
"""

from __future__ import annotations

import math
from typing import Literal

import bpy
from mathutils import Matrix, Vector

from ...core.backdrop_gradient import GradientPlacement
from ...core.modifiers import DEFLECTOR_FRACTION, DEFLECTOR_GAP_M, FRESNEL_BLEND, KINDS, Emitter, uses_height
from ...core.placement import aim_basis, light_position
from ...core.spec import RIG_ROLES, LightSpec
from ...core.vec import Vec3
from ..compat import light_nodes_off
from ..contract import DEFLECTOR_ROLE, MODIFIER_KEY, deflector_of, objects_with_role, remove_object, role_of, tag
from ..measure.meter import emitter_of, light_colour, luminance, reading_per_watt
from ..narrow import area_light, color_socket, light_of, mesh_of, rig_light, shader_tree
from ..nodes import fresh_material

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


LIGHT_TYPES: dict[Emitter, Literal["AREA", "POINT", "SPOT"]] = {"area": "AREA", "point": "POINT", "spot": "SPOT"}
DEFLECTOR_NAME = "PS_Deflector"
DEFLECTOR_SEGMENTS = 48


def _typed(obj: bpy.types.Object, emitter: Emitter) -> bpy.types.Light:
    """The object's light data, switched to the type ``emitter`` needs (the datablock is kept)."""
    light = light_of(obj)
    if light.type != LIGHT_TYPES[emitter]:
        light.type = LIGHT_TYPES[emitter]
    return light_of(obj)  # the data's Python type follows its light type


def _sphere_data(light: bpy.types.PointLight | bpy.types.SpotLight, radius: float) -> None:
    light.shadow_soft_size = radius
    light.use_soft_falloff = False  # a true sphere: the meter model's (no falloff where geometry touches it)
    light.color = (1.0, 1.0, 1.0)
    light.exposure = 0.0
    light.normalize = True
    light_nodes_off(light)


def _modifier_data(obj: bpy.types.Object, light_spec: LightSpec) -> bpy.types.Light:
    """The light data of ``light_spec.modifier`` (see ``core.modifiers``)."""
    modifier, kind = light_spec.modifier, KINDS[light_spec.modifier]
    light = _typed(obj, kind.emitter)
    width = light_spec.width.metres
    if isinstance(light, bpy.types.AreaLight):
        shape: AreaShape = SHAPES[light_spec.shape] if modifier == "softbox" else ("DISK" if kind.round else "RECTANGLE")
        height = light_spec.height.metres if uses_height(modifier, light_spec.shape) else width
        _area_data(light, shape, width, height, math.radians(light_spec.spread_deg))
    elif isinstance(light, bpy.types.SpotLight):
        _sphere_data(light, width / 2.0)
        light.spot_size = math.radians(light_spec.spread_deg)
        light.spot_blend = FRESNEL_BLEND
        light.show_cone = False
    elif isinstance(light, bpy.types.PointLight):
        _sphere_data(light, width / 2.0)
    obj[MODIFIER_KEY] = modifier
    return light


def _disk_mesh(name: str, diameter: float) -> bpy.types.Mesh:
    r = diameter / 2.0
    ring = [(r * math.cos(2.0 * math.pi * i / DEFLECTOR_SEGMENTS), r * math.sin(2.0 * math.pi * i / DEFLECTOR_SEGMENTS), 0.0)
            for i in range(DEFLECTOR_SEGMENTS)]
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata(ring, [], [tuple(range(DEFLECTOR_SEGMENTS))])
    return mesh


def _deflector_material() -> bpy.types.Material:
    """Black: the deflector's face towards the sitter is unlit (its lit side faces the emitter)."""
    mat = fresh_material(DEFLECTOR_NAME)
    tree = shader_tree(mat)
    diffuse = tree.nodes.new("ShaderNodeBsdfDiffuse")
    color_socket(diffuse.inputs["Color"]).default_value = (0.0, 0.0, 0.0, 1.0)
    out = tree.nodes.new("ShaderNodeOutputMaterial")
    tree.links.new(diffuse.outputs[0], out.inputs["Surface"])
    return mat


def configure_deflector(obj: bpy.types.Object, light_spec: LightSpec) -> None:
    """A beauty dish's deflector: an opaque disk ``DEFLECTOR_FRACTION`` of the dish across,
    ``DEFLECTOR_GAP_M`` in front of the emitter, parented to the light, seen by shadow and
    glossy rays (it hides the dish's centre from the face and from the eyes: a ring catchlight),
    not by the camera. Any other modifier has none (an old one is removed)."""
    found = deflector_of(obj)
    if light_spec.modifier != "beauty_dish":
        if found is not None:
            _remove_with_mesh(found)
        return
    disk = _disk_mesh(DEFLECTOR_NAME, DEFLECTOR_FRACTION * light_spec.width.metres)
    if found is None:
        found = bpy.data.objects.new(DEFLECTOR_NAME, disk)
        for coll in obj.users_collection:
            coll.objects.link(found)
        tag(found, DEFLECTOR_ROLE)
    else:
        old = found.data
        found.data = disk
        if isinstance(old, bpy.types.Mesh) and old.users == 0:
            bpy.data.meshes.remove(old)
    mesh_of(found).materials.append(_deflector_material())
    found.parent = obj
    found.matrix_parent_inverse = Matrix.Identity(4)
    found.matrix_basis = Matrix.Translation((0.0, 0.0, -DEFLECTOR_GAP_M))  # the light emits along its local -Z
    found.visible_camera = False
    found.visible_diffuse = False
    found.visible_transmission = False
    found.visible_volume_scatter = False
    found.visible_glossy = True
    found.visible_shadow = True


def _remove_with_mesh(obj: bpy.types.Object) -> None:
    mesh = obj.data
    remove_object(obj)
    if isinstance(mesh, bpy.types.Mesh) and mesh.users == 0:
        bpy.data.meshes.remove(mesh)


def remove_orphan_deflectors(scene: bpy.types.Scene) -> None:
    """Deflectors whose light was deleted (a light the spec disabled): deleting a light unparents them."""
    for obj in objects_with_role(scene, DEFLECTOR_ROLE):
        if obj.parent is None or role_of(obj.parent) not in RIG_ROLES:
            _remove_with_mesh(obj)


def configure_rig_light(obj: bpy.types.Object, light_spec: LightSpec, focus: Vec3) -> None:
    """Modifier (light type, shape, size, grid or beam, a beauty dish's deflector), temperature and
    placement; power is set separately by ``set_power``."""
    light = _modifier_data(obj, light_spec)
    configure_deflector(obj, light_spec)
    light.use_temperature = True
    light.temperature = light_spec.temperature_k
    position = light_position(focus, light_spec.azimuth_deg, light_spec.elevation_deg, light_spec.distance.metres)
    obj.matrix_world = aimed_matrix(position, focus)
    obj.visible_camera = False


def set_power(obj: bpy.types.Object, view_layer: bpy.types.ViewLayer, meter_at: Vec3, target_reading: float) -> float:
    """Energy (W) that makes the meter at ``meter_at`` read ``target_reading``."""
    view_layer.update()
    light = rig_light(obj)
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
