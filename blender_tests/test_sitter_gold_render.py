"""Rendered gold reflects like the measured conductor: a mirror-polished plane under a uniform
white environment shows F0 per channel at normal incidence and brightens toward grazing."""

from __future__ import annotations

import math

import bpy
import numpy as np
import pytest

from portrait_spec.blender.measure.pixels import render_linear
from portrait_spec.blender.sitter.materials.gold import gold_material
from portrait_spec.core.gold_optics import AU_K, AU_N, fresnel_conductor
from portrait_spec.core.toml_io import loads_spec

MEASURED_F0 = (0.94, 0.85, 0.39)


def _gold_plane_view(scene, tilt_deg: float) -> np.ndarray:
    spec = loads_spec("", ['jewelry.finish="polished"', "jewelry.micro_scratches=false", "jewelry.roughness=0.0"])
    bpy.ops.mesh.primitive_plane_add(size=1.0, location=(0.0, 0.0, 0.0))
    plane = bpy.context.active_object
    plane.rotation_euler = (math.radians(tilt_deg), 0.0, 0.0)
    plane.data.materials.append(gold_material(spec))
    world = bpy.data.worlds.new("white")
    if bpy.app.version < (5, 0, 0):  # always on (and deprecated) from 5.0
        world.use_nodes = True
    world.node_tree.nodes["Background"].inputs["Color"].default_value = (1.0, 1.0, 1.0, 1.0)
    world.node_tree.nodes["Background"].inputs["Strength"].default_value = 1.0
    scene.world = world
    cam = bpy.data.objects.new("cam", bpy.data.cameras.new("cam"))
    cam.data.type = "ORTHO"  # parallel rays: one incidence angle over the whole plane
    cam.data.ortho_scale = 0.1
    cam.location = (0.0, 0.0, 3.0)
    scene.collection.objects.link(cam)
    scene.camera = cam
    scene.render.resolution_x = scene.render.resolution_y = 16
    scene.cycles.samples = 4
    scene.cycles.use_denoising = False
    scene.cycles.max_bounces = 2
    return render_linear(scene)[4:12, 4:12, :3].reshape(-1, 3).mean(axis=0)


def test_normal_incidence_reflectance_is_measured_f0(scene):
    rgb = _gold_plane_view(scene, 0.0)
    assert tuple(rgb) == pytest.approx(MEASURED_F0, abs=0.03)


def test_reflectance_rises_toward_grazing_like_fresnel(scene):
    rgb = _gold_plane_view(scene, 75.0)
    expected = [fresnel_conductor(math.cos(math.radians(75.0)), n, k) for n, k in zip(AU_N, AU_K, strict=False)]
    assert tuple(rgb) == pytest.approx(tuple(expected), abs=0.03)
    assert rgb[2] > MEASURED_F0[2] + 0.1  # blue climbs most: gold whitens at grazing angles
    assert all(c >= f - 0.01 for c, f in zip(rgb, MEASURED_F0, strict=False))
