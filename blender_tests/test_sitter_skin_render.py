"""Backlit thin skin glows red: a 2 mm slab of the spec's skin, lit only from behind, transmits
more red than blue through subsurface scattering, and switching subsurface off changes that."""

from __future__ import annotations

import bmesh
import bpy
import numpy as np

from portrait_spec.blender.measure.pixels import render_linear
from portrait_spec.blender.sitter.materials.skin import skin_material
from portrait_spec.core.spec import Spec


def _backlit_slab(scene) -> bpy.types.Material:
    mesh = bpy.data.meshes.new("slab")
    bm = bmesh.new()
    bmesh.ops.create_cube(bm, size=1.0)
    bmesh.ops.scale(bm, vec=(0.06, 0.06, 0.002), verts=bm.verts)  # 6 x 6 cm, 2 mm thick
    bm.to_mesh(mesh)
    bm.free()
    slab = bpy.data.objects.new("slab", mesh)
    scene.collection.objects.link(slab)
    ears = slab.vertex_groups.new(name="ears")  # a thin region, as an ear is
    ears.add(list(range(len(mesh.vertices))), 1.0, "REPLACE")
    mat = skin_material(Spec())
    mesh.materials.append(mat)
    light = bpy.data.objects.new("back", bpy.data.lights.new("back", "AREA"))
    light.data.size = 0.05
    light.data.energy = 20.0
    light.location = (0.0, 0.0, -0.05)
    light.rotation_euler = (3.14159265, 0.0, 0.0)  # facing up, at the slab's back
    scene.collection.objects.link(light)
    cam = bpy.data.objects.new("cam", bpy.data.cameras.new("cam"))
    cam.data.type = "ORTHO"
    cam.data.ortho_scale = 0.03
    cam.location = (0.0, 0.0, 0.5)
    scene.collection.objects.link(cam)
    scene.camera = cam
    scene.world = None  # black surroundings: only light that crossed the slab reaches the camera
    scene.render.resolution_x = scene.render.resolution_y = 16
    scene.cycles.samples = 16
    scene.cycles.use_denoising = False
    return mat


def _front_light(scene) -> np.ndarray:
    return render_linear(scene)[4:12, 4:12, :3].reshape(-1, 3).mean(axis=0)


def test_backlit_thin_skin_transmits_red(scene):
    mat = _backlit_slab(scene)
    with_sss = _front_light(scene)
    assert with_sss[0] > 0.01
    assert with_sss[0] > 2.0 * with_sss[2]  # red through, blue absorbed
    assert with_sss[0] > with_sss[1] > with_sss[2]
    mat.node_tree.nodes["skin_bsdf"].inputs["Subsurface Weight"].default_value = 0.0
    without = _front_light(scene)
    assert with_sss[0] > 5.0 * without[0] + 1e-3  # an opaque diffuse slab lets nothing through
