"""The measuring primitive itself: an emissive plane renders at its known linear value."""

import bpy
import numpy as np

from portrait_spec.blender.nodes import fresh_material


def test_emission_plane_measures_its_strength(scene):
    bpy.ops.mesh.primitive_plane_add(size=4.0, location=(0, 0, 0))
    plane = bpy.context.active_object
    mat = fresh_material("emit")
    nodes = mat.node_tree.nodes
    emit = nodes.new("ShaderNodeEmission")
    emit.inputs["Strength"].default_value = 0.5
    out = nodes.new("ShaderNodeOutputMaterial")
    mat.node_tree.links.new(emit.outputs[0], out.inputs[0])
    plane.data.materials.append(mat)
    cam_data = bpy.data.cameras.new("cam")
    cam = bpy.data.objects.new("cam", cam_data)
    scene.collection.objects.link(cam)
    cam.location = (0, 0, 3)
    scene.camera = cam
    scene.render.resolution_x = scene.render.resolution_y = 32
    scene.cycles.samples = 1
    scene.cycles.use_denoising = False
    from portrait_spec.blender.measure.pixels import render_display8, render_linear

    linear = render_linear(scene)
    assert linear.shape == (32, 32, 4)
    assert np.allclose(linear[..., :3], 0.5, atol=1e-3)
    scene.view_settings.view_transform = "Standard"
    scene.render.dither_intensity = 0.0  # dither would scatter exact levels by +-1
    emit.inputs["Strength"].default_value = 0.25
    levels = render_display8(scene)
    assert np.all(levels[..., :3] == 137)  # sRGB encoding of 0.25 linear is 136.9
