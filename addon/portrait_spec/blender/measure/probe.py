"""Measuring a built studio: probe renders and geometry read from the scene as it is now.

Probe renders never change the user's scene for good: the incident meter and the gradient probe
render in a temporary scene that links the existing objects (and is deleted afterwards); the
backdrop probe renders the scene itself under ``temporary_settings``, which restores everything.

* ``metered_irradiance``: a 2 cm white Lambertian card (albedo 1) at the meter point, facing the
  light's centre, lit by that light alone, seen square-on by an orthographic probe camera;
  direct light only. Cycles renders it ``E / pi``, so ``E = pi * Y(pixels)``.
* ``gradient_edges``: the backdrop (subject absent) lit by the background light alone through
  the scene camera; the outermost pixel columns on the image row through the eyes.
* ``backdrop_exactness``: the 8-bit render through colour management with the subject in
  front; the subject mask comes from a second render with the backdrop hidden and a
  transparent film, grown by 4 px.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import bpy
import numpy as np
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector

from ...core.placement import angles_from_position
from ...core.vec import Vec3
from ..contract import ROLE_KEY, deflector_of
from ..narrow import color_socket, cycles_of, float_socket, present, set_view_transform, shader_tree, use_cycles
from ..nodes import fresh_material
from .meter import REC709_LUMA
from .pixels import render_display8, render_linear

CARD_HALF_SIZE_M = 0.01
PROBE_SAMPLES = 16


@contextmanager
def temporary_settings(pairs: list[tuple[Any, str, Any]]) -> Iterator[None]:
    """Set ``(owner, attribute, value)`` triples, restoring the old values afterwards."""
    saved = [(owner, attr, getattr(owner, attr)) for owner, attr, _ in pairs]
    try:
        for owner, attr, value in pairs:
            setattr(owner, attr, value)
        yield
    finally:
        for owner, attr, value in reversed(saved):
            setattr(owner, attr, value)


@contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence Blender's per-render log lines (written by C code to fd 1) so that a command's own
    output, e.g. ``verify --json``, stays clean."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _linear(scene: bpy.types.Scene) -> np.ndarray:
    with quiet_stdout():
        return render_linear(scene)


def _display8(scene: bpy.types.Scene) -> np.ndarray:
    with quiet_stdout():
        return render_display8(scene)


@contextmanager
def probe_scene(name: str = "PS_Probe") -> Iterator[bpy.types.Scene]:
    """An empty Cycles scene (black, no world) deleted with everything created for it."""
    scene = bpy.data.scenes.new(name)
    before = {obj.as_pointer() for obj in bpy.data.objects}
    cycles = use_cycles(scene)
    cycles.device = "CPU"
    cycles.use_denoising = False
    cycles.samples = PROBE_SAMPLES
    cycles.seed = 0
    scene.render.dither_intensity = 0.0
    view = present(scene.view_settings, f"scene {scene.name!r} view settings")
    set_view_transform(view, "Standard")
    view.exposure = 0.0
    view.gamma = 1.0
    scene.world = None
    try:
        yield scene
    finally:
        created = [obj for obj in scene.objects if obj.as_pointer() not in before]
        bpy.data.scenes.remove(scene)
        for obj in created:
            data = obj.data
            bpy.data.objects.remove(obj, do_unlink=True)
            if data is not None and data.users == 0:
                if isinstance(data, bpy.types.Mesh):
                    bpy.data.meshes.remove(data)
                elif isinstance(data, bpy.types.Camera):
                    bpy.data.cameras.remove(data)


def luminance_of(pixels: np.ndarray) -> np.ndarray:
    return pixels[..., 0] * REC709_LUMA[0] + pixels[..., 1] * REC709_LUMA[1] + pixels[..., 2] * REC709_LUMA[2]


def _white_card_material() -> bpy.types.Material:
    mat = fresh_material("PS_Probe_White")
    tree = shader_tree(mat)
    diffuse = tree.nodes.new("ShaderNodeBsdfDiffuse")
    color_socket(diffuse.inputs["Color"]).default_value = (1.0, 1.0, 1.0, 1.0)
    float_socket(diffuse.inputs["Roughness"]).default_value = 0.0
    out = tree.nodes.new("ShaderNodeOutputMaterial")
    tree.links.new(diffuse.outputs[0], out.inputs["Surface"])
    return mat


def metered_irradiance(light_obj: bpy.types.Object, meter_at: Vec3, samples: int = PROBE_SAMPLES) -> float:
    """Incident-meter reading of one light by probe render (see module docstring)."""
    meter = Vector(meter_at)
    facing = light_obj.matrix_world.translation - meter
    if facing.length == 0.0:
        return 0.0
    facing.normalize()
    with probe_scene() as scene:
        scene.collection.objects.link(light_obj)
        deflector = deflector_of(light_obj)
        if deflector is not None:  # a beauty dish's deflector is part of its light
            scene.collection.objects.link(deflector)
        cycles_of(scene).samples = samples
        cycles_of(scene).max_bounces = 0  # a meter reads the light itself, not the room
        scene.render.resolution_x = scene.render.resolution_y = 8
        _card_and_camera(scene, meter, facing)
        pixels = _linear(scene)[..., :3]
    return math.pi * float(luminance_of(pixels).mean())


BOUNCE_PROBE_PX = 16
BOUNCE_PROBE_SAMPLES = 256


def world_centre(obj: bpy.types.Object) -> Vec3:
    """Mean of a mesh object's vertices in world space (a reflector's centre, a V-flat's mouth)."""
    mesh = obj.data
    if not isinstance(mesh, bpy.types.Mesh) or not mesh.vertices:
        t = obj.matrix_world.translation
        return (float(t.x), float(t.y), float(t.z))
    total = Vector((0.0, 0.0, 0.0))
    for v in mesh.vertices:
        total += obj.matrix_world @ v.co
    c = total / len(mesh.vertices)
    return (float(c.x), float(c.y), float(c.z))


def _card_and_camera(scene: bpy.types.Scene, meter: Vector, facing: Vector) -> None:
    """The meter's white card at ``meter`` facing ``facing``, filling an orthographic camera that
    sits just in front of it (so it hides nothing the card sees)."""
    s = CARD_HALF_SIZE_M
    mesh = bpy.data.meshes.new("PS_Probe_Card")
    mesh.from_pydata([(-s, -s, 0.0), (s, -s, 0.0), (s, s, 0.0), (-s, s, 0.0)], [], [(0, 1, 2, 3)])
    mesh.materials.append(_white_card_material())
    card = bpy.data.objects.new("PS_Probe_Card", mesh)
    scene.collection.objects.link(card)
    card.location = meter
    card.rotation_euler = facing.to_track_quat("Z", "Y").to_euler()
    cam_data = bpy.data.cameras.new("PS_Probe_Camera")
    cam_data.type = "ORTHO"
    cam_data.ortho_scale = 1.2 * s  # the card overfills the frame: every pixel is card
    cam_data.clip_start = 0.001
    cam = bpy.data.objects.new("PS_Probe_Camera", cam_data)
    scene.collection.objects.link(cam)
    cam.location = meter + facing * 0.005
    cam.rotation_euler = (-facing).to_track_quat("-Z", "Y").to_euler()
    scene.camera = cam


def _card_with_and_without(objects: list[bpy.types.Object], toggled: bpy.types.Object, meter_at: Vec3,
                           samples: int) -> tuple[float, float] | None:
    """Mean luminance of the meter's white card at ``meter_at`` facing ``toggled``'s centre, in a
    probe scene holding ``objects``, rendered with ``toggled`` and without it (indirect light on,
    caustics on, no glossy filter so a mirror stays a mirror, no clamp); None when the card sits
    at that centre."""
    meter = Vector(meter_at)
    facing = Vector(world_centre(toggled)) - meter
    if facing.length == 0.0:
        return None
    facing.normalize()
    readings = []
    with probe_scene() as scene:
        for obj in objects:
            scene.collection.objects.link(obj)
        cycles = cycles_of(scene)
        cycles.samples = samples
        cycles.max_bounces = cycles.diffuse_bounces = cycles.glossy_bounces = 4
        cycles.caustics_reflective = True
        cycles.blur_glossy = 0.0
        cycles.sample_clamp_indirect = 0.0
        scene.render.resolution_x = scene.render.resolution_y = BOUNCE_PROBE_PX
        _card_and_camera(scene, meter, facing)
        for hidden in (False, True):
            with temporary_settings([(toggled, "hide_render", hidden)]):
                readings.append(float(luminance_of(_linear(scene)[..., :3]).mean()))
    return readings[0], readings[1]


def bounce_irradiance(key_obj: bpy.types.Object, reflector: bpy.types.Object, meter_at: Vec3,
                      samples: int = BOUNCE_PROBE_SAMPLES) -> float:
    """Incident-meter reading at ``meter_at`` of the key's light that ``reflector`` bounces: the
    white card (``metered_irradiance``) facing the reflector, lit by the key alone, with the
    reflector and without it; the difference is the bounce."""
    deflector = deflector_of(key_obj)  # a beauty dish's deflector is part of its light
    objects = [key_obj, reflector] + ([deflector] if deflector is not None else [])
    readings = _card_with_and_without(objects, reflector, meter_at, samples)
    return 0.0 if readings is None else max(math.pi * (readings[0] - readings[1]), 0.0)


FLAG_PROBE_SAMPLES = 128
SITTER_ROLES: tuple[str, ...] = ("subject", "chain")


def flag_effect_stops(scene: bpy.types.Scene, flag: bpy.types.Object, meter_at: Vec3,
                      samples: int = FLAG_PROBE_SAMPLES) -> float:
    """What a flag takes away, in stops (negative: less light): the white card at ``meter_at``
    facing the flag, lit by the whole studio (every light, the cyclorama's and reflector's bounce;
    the sitter left out, as the meter convention has it), with the flag and without."""
    studio = [obj for obj in scene.objects if isinstance(role := obj.get(ROLE_KEY), str)
              and role not in SITTER_ROLES and obj.type in ("LIGHT", "MESH")]
    readings = _card_with_and_without(studio, flag, meter_at, samples)
    if readings is None:
        return 0.0
    with_flag, without = readings
    return math.log2(with_flag / without) if with_flag > 0.0 and without > 0.0 else math.nan


def light_geometry(light_obj: bpy.types.Object, focus: Vec3) -> tuple[float, float, float, float]:
    """(azimuth, elevation, distance, aim error in deg) of a light around ``focus``, from the scene."""
    mw = light_obj.matrix_world
    position = (mw.translation.x, mw.translation.y, mw.translation.z)
    azimuth, elevation, distance = angles_from_position(focus, position)
    facing = -(mw.to_3x3() @ Vector((0.0, 0.0, 1.0))).normalized()  # the light shines down its local -Z
    to_focus = (Vector(focus) - mw.translation).normalized()
    aim_error = math.degrees(facing.angle(to_focus)) if to_focus.length > 0 else 0.0
    return azimuth, elevation, distance, aim_error


def backdrop_distance(cyclorama: bpy.types.Object, focus: Vec3) -> float:
    """Horizontal distance from ``focus`` to the backdrop straight behind it (+Y), by ray cast
    against the cyclorama mesh alone (the sitter's own head is not in the way)."""
    inverse = cyclorama.matrix_world.inverted()
    origin = inverse @ Vector(focus)
    direction = (inverse.to_3x3() @ Vector((0.0, 1.0, 0.0))).normalized()
    hit, location, _normal, _index = cyclorama.ray_cast(origin, direction)
    if not hit:
        return math.inf
    return float((cyclorama.matrix_world @ location - Vector(focus)).length)


@dataclass(frozen=True)
class GradientEdges:
    bright: float
    dark: float
    bright_irradiance: float  # wall irradiance at the bright edge, from its luminance and albedo

    @property
    def stops(self) -> float:
        return math.log2(self.bright / self.dark) if self.bright > 0 and self.dark > 0 else math.nan


def eye_row_v(scene: bpy.types.Scene, camera: bpy.types.Object, focus: Vec3) -> float:
    return float(world_to_camera_view(scene, camera, Vector(focus)).y)


def gradient_edges(scene: bpy.types.Scene, side: str, focus: Vec3, albedo_luminance: float,
                   width: int = 256, samples: int = 32) -> GradientEdges:
    """Backdrop luminance at the two frame edges on the eye row, background light alone."""
    objs = {obj.get(ROLE_KEY): obj for obj in scene.objects if obj.get(ROLE_KEY)}
    camera = scene.camera
    if camera is None:
        raise ValueError(f"scene {scene.name!r} has no camera")
    aspect = scene.render.resolution_x / scene.render.resolution_y
    height = max(1, round(width / aspect))
    v = eye_row_v(scene, camera, focus)
    with probe_scene() as probe:
        for role in ("cyclorama", "background_light"):
            probe.collection.objects.link(objs[role])
        probe.collection.objects.link(camera)
        probe.camera = camera
        cycles_of(probe).samples = samples
        probe.render.resolution_x, probe.render.resolution_y = width, height
        # Only a strip of rows round the eyes is rendered: the claim is about that row.
        probe.render.use_border = True
        probe.render.use_crop_to_border = True
        half = 3.0 / height
        probe.render.border_min_x, probe.render.border_max_x = 0.0, 1.0
        probe.render.border_min_y, probe.render.border_max_y = max(0.0, v - half), min(1.0, v + half)
        pixels = luminance_of(_linear(probe)[..., :3])
    left, right = float(pixels[:, :2].mean()), float(pixels[:, -2:].mean())
    bright, dark = (left, right) if side == "left" else (right, left)
    return GradientEdges(bright, dark, math.pi * bright / albedo_luminance if albedo_luminance > 0 else math.nan)


@dataclass(frozen=True)
class BackdropExactness:
    fraction: float
    pixels: int
    worst_error: int


def subject_mask(scene: bpy.types.Scene, cyclorama: bpy.types.Object) -> np.ndarray:
    """Pixels covered by anything but the backdrop (alpha of a render without it)."""
    with temporary_settings([(cyclorama, "hide_render", True), (scene.render, "film_transparent", True)]):
        rgba = _linear(scene)
    return rgba[..., 3] > 1e-4


def grow(mask: np.ndarray, pixels: int) -> np.ndarray:
    """Dilate a boolean mask by a square of ``pixels`` on each side."""
    out = mask.copy()
    h, w = mask.shape
    for dy in range(-pixels, pixels + 1):
        for dx in range(-pixels, pixels + 1):
            shifted = np.zeros_like(mask)
            shifted[max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
                mask[max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
            out |= shifted
    return out


def backdrop_exactness(scene: bpy.types.Scene, cyclorama: bpy.types.Object, rgb: tuple[int, int, int],
                       clearance_px: int = 4) -> BackdropExactness:
    """Share of backdrop pixels farther than ``clearance_px`` from the subject within +-1 level."""
    levels = _display8(scene)[..., :3]
    backdrop = ~grow(subject_mask(scene, cyclorama), clearance_px)
    error = np.abs(levels - np.array(rgb, dtype=np.int32)).max(axis=-1)[backdrop]
    if error.size == 0:
        return BackdropExactness(0.0, 0, 255)
    return BackdropExactness(float((error <= 1).mean()), int(error.size), int(error.max()))


@contextmanager
def small_render(scene: bpy.types.Scene, width: int, samples: int) -> Iterator[None]:
    """Render the scene at ``width`` px (same aspect), few samples, no denoiser; restored after."""
    render = scene.render
    height = max(1, round(width * render.resolution_y / render.resolution_x))
    with temporary_settings([
        (render, "resolution_x", width), (render, "resolution_y", height), (render, "resolution_percentage", 100),
        (render, "use_border", False), (cycles_of(scene), "samples", samples), (cycles_of(scene), "use_denoising", False),
    ]):
        yield
