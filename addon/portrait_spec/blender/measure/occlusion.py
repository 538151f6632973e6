"""How much of a light reaches a point past the scene's geometry: the occluders the incident meter
(``meter.py``, ``probe.metered_irradiance``) does not see, since it reads each light alone.

Rays are cast from the point to a grid of samples over the light's emitting surface
(``scene.ray_cast`` on the evaluated scene). Each sample is weighted by what it contributes to a
flat diffuser facing the light's centre: cos(at the diffuser) x cos(at the emitter) / distance^2,
the integrand of the form factor (Cohen & Wallace, *Radiosity and Realistic Image Synthesis*,
1993, eq. 4.12). A sample is blocked when a ray meets an object that casts shadows in the render
(``visible_shadow``, not hidden from renders, allowed by the light's shadow linking) before the
light. The sitter (roles ``subject`` and ``chain``) never blocks: the meter convention puts the
meter at the focus with the subject out of the way, as a photographer's handheld meter is.
Glass and other partly transparent occluders count as opaque.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import bpy
from mathutils import Vector

from ...core.meter.emitter import AreaEmitter, RigEmitter
from ...core.vec import Vec3, cross, normalize, sub
from ..contract import DEFLECTOR_ROLE, role_of
from .meter import rig_emitter

GRID = 8  # samples per side of the emitter
SITTER_ROLES: tuple[str, ...] = ("subject", "chain")
STEP_PAST_HIT_M = 1e-5
MAX_HITS_PER_RAY = 64


@dataclass(frozen=True)
class Occlusion:
    unblocked: float  # share of the reading that reaches the point, 0..1
    blockers: tuple[str, ...]  # names of the objects in the way, sorted


def link_includes(collection: bpy.types.Collection | None, obj: bpy.types.Object) -> bool:
    """Whether a light-linking collection (a light's receivers or blockers) lets ``obj`` take part:
    no collection includes everything; a listed object follows its own state; an unlisted one is
    in unless the collection includes someone explicitly (Blender's light linking rule)."""
    if collection is None:
        return True
    states = {o.name: e.light_linking.link_state
              for o, e in zip(collection.objects, collection.collection_objects, strict=False)}
    if obj.name in states:
        return states[obj.name] == "INCLUDE"
    return "INCLUDE" not in states.values()


def _casts_shadow_for(light: bpy.types.Object, obj: bpy.types.Object) -> bool:
    if obj.hide_render or not obj.visible_shadow or role_of(obj) in SITTER_ROLES:
        return False
    if obj.parent == light and role_of(obj) == DEFLECTOR_ROLE:
        return False  # part of the light: the meter model and the probe include it
    return link_includes(light.light_linking.blocker_collection, obj)


def _first_blocker(scene: bpy.types.Scene, depsgraph: bpy.types.Depsgraph, light: bpy.types.Object, origin: Vector,
                   direction: Vector, distance: float) -> str | None:
    travelled = 0.0
    for _ in range(MAX_HITS_PER_RAY):
        hit, location, _normal, _index, obj, _matrix = scene.ray_cast(depsgraph, origin, direction,
                                                                      distance=distance - travelled)
        if not hit or obj is None:
            return None
        original = obj.original or obj  # ray_cast answers with the evaluated copy
        if _casts_shadow_for(light, original):
            return str(original.name)
        step = (location - origin).length + STEP_PAST_HIT_M
        travelled += step
        origin = origin + direction * step
        if travelled >= distance:
            return None
    return None


def _sampled(emitter: RigEmitter, point: Vec3) -> AreaEmitter:
    """The surface the rays aim at: an area light itself; a point or spot light's sphere as the
    disk it shows ``point`` (its silhouette, facing the point)."""
    if isinstance(emitter, AreaEmitter):
        return emitter
    facing = normalize(sub(point, emitter.centre))
    helper: Vec3 = (0.0, 0.0, 1.0) if abs(facing[2]) < 0.9 else (1.0, 0.0, 0.0)
    u = normalize(cross(helper, facing))
    v = cross(facing, u)  # cross(u, v) = -facing: the disk emits towards the point
    diameter = max(2.0 * emitter.radius, 1e-4)
    return AreaEmitter(emitter.centre, u, v, diameter, diameter, round_shape=True)


def occlusion(scene: bpy.types.Scene, light: bpy.types.Object, point: Vec3) -> Occlusion:
    """The share of ``light``'s reading at ``point`` that no occluder blocks (see the module docstring)."""
    emitter = _sampled(rig_emitter(light), point)
    depsgraph = bpy.context.evaluated_depsgraph_get()
    at = Vector(point)
    centre = Vector(emitter.centre)
    facing = centre - at
    if facing.length == 0.0:
        return Occlusion(0.0, ())
    facing.normalize()
    u, v, normal = Vector(emitter.axis_u), Vector(emitter.axis_v), Vector(emitter.normal)
    total = reached = 0.0
    blockers: set[str] = set()
    for i in range(GRID):
        for j in range(GRID):
            a, b = (i + 0.5) / GRID - 0.5, (j + 0.5) / GRID - 0.5
            if emitter.round_shape and a * a + b * b > 0.25:
                continue
            target = centre + u * (a * emitter.len_u) + v * (b * emitter.len_v)
            ray = target - at
            distance = ray.length
            if distance == 0.0:
                continue
            ray /= distance
            weight = max(0.0, ray.dot(facing)) * max(0.0, -ray.dot(normal)) / (distance * distance)
            if weight <= 0.0:
                continue
            total += weight
            blocker = _first_blocker(scene, depsgraph, light, at, ray, distance)
            if blocker is None:
                reached += weight
            else:
                blockers.add(blocker)
    if total <= 0.0 or not math.isfinite(total):
        return Occlusion(0.0, ())
    return Occlusion(reached / total, tuple(sorted(blockers)))
