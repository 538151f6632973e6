"""Key/fill/rim as built: stops measured at the focus by probe renders (each light alone), angles
read back from the scene, and the exposure target (an 18 % grey card facing the key renders 0.18)."""

import math

import bpy
import numpy as np
import pytest
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector

from portrait_spec.blender.api import build_scene
from portrait_spec.blender.measure.pixels import render_linear
from portrait_spec.blender.measure.probe import light_geometry, luminance_of, metered_irradiance, small_render
from portrait_spec.core.toml_io import load_spec


def _spec(scenes_dir, name, *overrides):
    # The chain is the sitter's business and slow to place; these tests are about the studio.
    return load_spec(scenes_dir / f"{name}.toml", ["jewelry.enabled=false", *overrides])


def _stops(result, role):
    return math.log2(metered_irradiance(result.objects[role], result.focus) / metered_irradiance(result.objects["key"], result.focus))


@pytest.mark.parametrize("overrides", [
    (),
    ("lights.fill.stops=-3.0", "lights.rim.stops=1.0", "lights.rim.spread_deg=20"),
    ("lights.fill.stops=-0.5", "lights.fill.distance=3.5", "lights.fill.shape=disk", "lights.rim.stops=-2.5"),
], ids=["seed", "steep", "gentle"])
def test_fill_and_rim_stops_measured_at_the_focus(scene, scenes_dir, overrides):
    spec = _spec(scenes_dir, "seed_portrait", *overrides)
    result = build_scene(spec, scene)
    assert _stops(result, "fill") == pytest.approx(spec.lights.fill.stops, abs=0.1)
    assert _stops(result, "rim") == pytest.approx(spec.lights.rim.stops, abs=0.1)
    # Not a power ratio: the fill's energy differs from the key's by more than 2**stops would say.
    ratio = result.energies["fill"] / result.energies["key"]
    assert abs(math.log2(ratio) - spec.lights.fill.stops) > 0.1


@pytest.mark.parametrize("preset", ["seed_portrait", "rembrandt", "butterfly", "chroma_extraction"])
def test_light_angles_and_distances_read_back_from_the_scene(scene, scenes_dir, preset):
    spec = _spec(scenes_dir, preset)
    result = build_scene(spec, scene)
    for role in ("key", "fill", "rim"):
        light_spec = getattr(spec.lights, role)
        if not light_spec.enabled:
            assert role not in result.objects
            continue
        azimuth, elevation, distance, aim_error = light_geometry(result.objects[role], result.focus)
        assert azimuth == pytest.approx(light_spec.azimuth_deg, abs=1.0)
        assert elevation == pytest.approx(light_spec.elevation_deg, abs=1.0)
        assert distance == pytest.approx(light_spec.distance.metres, abs=0.01)
        assert aim_error < 1.0
    # Camera left is -X: a key at +45 deg azimuth stands on the camera's left.
    if spec.lights.key.azimuth_deg > 0:
        assert result.objects["key"].location.x < 0


def test_light_properties_follow_the_spec(scene, scenes_dir):
    spec = _spec(scenes_dir, "rembrandt")
    result = build_scene(spec, scene)
    key = result.objects["key"].data
    assert (key.shape, key.size) == ("SQUARE", pytest.approx(0.9))
    assert key.use_temperature and key.temperature == pytest.approx(3200.0)
    assert result.objects["key"].visible_camera is False  # never a white card in frame
    rim = build_scene(_spec(scenes_dir, "seed_portrait"), scene).objects["rim"].data
    assert math.degrees(rim.spread) == pytest.approx(40.0)
    assert (rim.size, rim.size_y) == (pytest.approx(0.3), pytest.approx(1.2))


def test_key_alone_renders_an_18_percent_grey_card_at_mid_grey(scene, scenes_dir):
    spec = _spec(scenes_dir, "seed_portrait")
    result = build_scene(spec, scene)
    focus = Vector(result.focus)
    key = result.objects["key"]
    for role in ("fill", "rim", "subject"):
        for obj in [o for o in scene.objects if o.get("portrait_spec_role") == role]:
            obj.hide_render = True
    mesh = bpy.data.meshes.new("grey_card")
    mesh.from_pydata([(-0.05, -0.05, 0), (0.05, -0.05, 0), (0.05, 0.05, 0), (-0.05, 0.05, 0)], [], [(0, 1, 2, 3)])
    mat = bpy.data.materials.new("grey18")
    nodes = mat.node_tree.nodes if mat.node_tree else None
    if nodes is None:
        mat.use_nodes = True
        nodes = mat.node_tree.nodes
    nodes.clear()
    diffuse = nodes.new("ShaderNodeBsdfDiffuse")
    diffuse.inputs["Color"].default_value = (0.18, 0.18, 0.18, 1.0)
    out = nodes.new("ShaderNodeOutputMaterial")
    mat.node_tree.links.new(diffuse.outputs[0], out.inputs["Surface"])
    mesh.materials.append(mat)
    card = bpy.data.objects.new("grey_card", mesh)
    scene.collection.objects.link(card)
    card.location = focus
    card.rotation_euler = (key.matrix_world.translation - focus).to_track_quat("Z", "Y").to_euler()
    scene.cycles.max_bounces = 0
    with small_render(scene, 64, 16):
        pixels = render_linear(scene)
        uv = world_to_camera_view(scene, scene.camera, focus)
        h, w = pixels.shape[:2]
        row, col = int((1.0 - uv.y) * h), int(uv.x * w)
        patch = luminance_of(pixels[row - 1:row + 2, col - 1:col + 2, :3])
    assert float(np.mean(patch)) == pytest.approx(0.18, rel=0.03)
