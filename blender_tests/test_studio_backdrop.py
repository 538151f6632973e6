"""The cyclorama: exact extraction colour with a subject in front, no spill, no colour bleed onto
the subject, the 2-stop gradient, lit mode, the wall distance, and a frame-filling seamless sweep."""

import itertools
import math

import numpy as np
import pytest

from portrait_spec.blender.api import build_scene
from portrait_spec.blender.measure.meter import luminance
from portrait_spec.blender.measure.pixels import render_linear
from portrait_spec.blender.measure.probe import (
    backdrop_distance,
    backdrop_exactness,
    eye_row_v,
    gradient_edges,
    grow,
    luminance_of,
    small_render,
    subject_mask,
    temporary_settings,
)
from portrait_spec.blender.studio.cyclorama import set_ray_visibility
from portrait_spec.core.toml_io import load_spec


def _spec(scenes_dir, name, *overrides):
    # The chain is the sitter's business and slow to place; these tests are about the studio.
    return load_spec(scenes_dir / f"{name}.toml", ["jewelry.enabled=false", *overrides])


@pytest.mark.parametrize("colour", ["[255, 0, 128]", '"#00B140"', "[3, 7, 250]"])
def test_extraction_backdrop_is_the_exact_8bit_colour_with_a_subject_in_front(scene, scenes_dir, colour):
    spec = _spec(scenes_dir, "seed_portrait", f"background.color={colour}")
    result = build_scene(spec, scene)
    cyclorama = result.objects["cyclorama"]
    with small_render(scene, 80, 4):
        mask = subject_mask(scene, cyclorama)
        exact = backdrop_exactness(scene, cyclorama, spec.background.color.rgb)
    assert mask.mean() > 0.05  # the sitter really is in front of the backdrop
    assert exact.pixels > 0.3 * mask.size
    assert exact.fraction >= 0.995


def test_no_spill_reaches_the_backdrop_in_extraction_mode(scene, scenes_dir):
    """Swap the emission for a white diffuse paper: with the rig linked away from the cyclorama
    it stays black under direct light, so no key, fill or rim light lands on it."""
    result = build_scene(_spec(scenes_dir, "seed_portrait"), scene)
    cyclorama = result.objects["cyclorama"]
    for role in ("key", "fill", "rim"):
        receivers = result.objects[role].light_linking.receiver_collection
        assert receivers is not None and cyclorama.name in receivers.objects
    material = cyclorama.data.materials[0]
    nodes = material.node_tree.nodes
    diffuse = nodes.new("ShaderNodeBsdfDiffuse")
    diffuse.inputs["Color"].default_value = (1, 1, 1, 1)
    material.node_tree.links.new(diffuse.outputs[0], nodes["Material Output"].inputs["Surface"])
    set_ray_visibility(cyclorama, "lit")
    with small_render(scene, 48, 4), temporary_settings([(scene.cycles, "max_bounces", 0)]):
        mask = subject_mask(scene, cyclorama)
        lit = render_linear(scene)
    backdrop = ~grow(mask, 4)
    assert float(luminance_of(lit[..., :3])[backdrop].max()) < 1e-3


def _edge_band(scene, cyclorama):
    """Subject pixels whose every camera sample hits the subject (so any backdrop colour in them
    is bleed, not the pixel filter or depth of field), within 3 px of the silhouette."""
    with temporary_settings([(cyclorama, "hide_render", True), (scene.render, "film_transparent", True)]):
        alpha = render_linear(scene)[..., 3]
    covered = alpha > 0.9999
    return covered & grow(~covered, 3)


def _render_with_backdrop(scene, cyclorama, rgb):
    emission = cyclorama.data.materials[0].node_tree.nodes["Emission"]
    with temporary_settings([(emission.inputs["Color"], "default_value", (*rgb, 1.0))]):
        return render_linear(scene)[..., :3]


def test_backdrop_colour_does_not_bleed_onto_the_subject_edges(scene, scenes_dir):
    result = build_scene(_spec(scenes_dir, "seed_portrait"), scene)
    cyclorama = result.objects["cyclorama"]
    with small_render(scene, 96, 8):
        band = _edge_band(scene, cyclorama)
        magenta = _render_with_backdrop(scene, cyclorama, (1.0, 0.0, 0.2159))
        neutral = _render_with_backdrop(scene, cyclorama, (0.2159, 0.2159, 0.2159))
        assert band.sum() > 30
        assert float(np.abs(magenta - neutral)[band].max()) < 1e-4
        # Control: the same backdrop visible to bounce light does tint those edges, so the
        # measurement above would catch bleed.
        set_ray_visibility(cyclorama, "lit")
        bleed_magenta = _render_with_backdrop(scene, cyclorama, (1.0, 0.0, 0.2159))
        bleed_neutral = _render_with_backdrop(scene, cyclorama, (0.2159, 0.2159, 0.2159))
    tint = (bleed_magenta[..., 0] - bleed_magenta[..., 1]) - (bleed_neutral[..., 0] - bleed_neutral[..., 1])
    assert float(tint[band].mean()) > 0.01


def _edge_stops_in_camera_render(scene, focus, side):
    with small_render(scene, 160, 16):
        pixels = luminance_of(render_linear(scene)[..., :3])
        row = round((1.0 - eye_row_v(scene, scene.camera, focus)) * pixels.shape[0])
    band = pixels[row - 2:row + 3]
    left, right = float(band[:, :2].mean()), float(band[:, -2:].mean())
    return math.log2(left / right) if side == "left" else math.log2(right / left)


@pytest.mark.parametrize(("side", "stops"), [("left", 2.0), ("right", 1.0)])
def test_gradient_falls_off_by_the_spec_stops_from_the_stated_side(scene, scenes_dir, side, stops):
    spec = _spec(scenes_dir, "gradient_backdrop", f"background.gradient.side={side}", f"background.gradient.stops={stops}")
    result = build_scene(spec, scene)
    # The full render through the camera, subject and rig in place: frame edges on the eye row.
    assert _edge_stops_in_camera_render(scene, result.focus, side) == pytest.approx(stops, abs=0.1)
    probe = gradient_edges(scene, side, result.focus, luminance(spec.background.color.linear))
    assert probe.stops == pytest.approx(stops, abs=0.1)
    assert math.log2(probe.bright_irradiance / math.pi) == pytest.approx(spec.background.level_stops, abs=0.1)


def test_lit_backdrop_is_lit_by_the_rig(scene, scenes_dir):
    result = build_scene(_spec(scenes_dir, "rembrandt"), scene)
    cyclorama = result.objects["cyclorama"]
    assert result.objects["key"].light_linking.receiver_collection is None
    with small_render(scene, 48, 8):
        backdrop = ~grow(subject_mask(scene, cyclorama), 4)
        with_key = luminance_of(render_linear(scene)[..., :3])[backdrop].mean()
        with temporary_settings([(result.objects["key"], "hide_render", True)]):
            without_key = luminance_of(render_linear(scene)[..., :3])[backdrop].mean()
    assert with_key > 1.5 * without_key > 0


@pytest.mark.parametrize("distance", ['"8 ft"', '"1.5 m"', '"4 m"'])
def test_subject_to_background_distance(scene, scenes_dir, distance):
    spec = _spec(scenes_dir, "seed_portrait", f"subject.distance_to_background={distance}")
    result = build_scene(spec, scene)
    wanted = spec.subject.distance_to_background.metres
    assert backdrop_distance(result.objects["cyclorama"], result.focus) == pytest.approx(wanted, abs=0.01)
    wall = [v.co.y for v in result.objects["cyclorama"].data.vertices if v.co.z > spec.background.cove_radius.metres + 0.01]
    assert wall and all(y == pytest.approx(result.focus[1] + wanted, abs=1e-5) for y in wall)


@pytest.mark.parametrize("overrides", [(), ("camera.focal_length_mm=35", "camera.framing=half_body", "camera.height=0.8")])
def test_cyclorama_is_one_smooth_surface_that_fills_the_frame(scene, scenes_dir, overrides):
    result = build_scene(_spec(scenes_dir, "seed_portrait", *overrides), scene)
    cyclorama = result.objects["cyclorama"]
    mesh = cyclorama.data
    assert all(p.use_smooth for p in mesh.polygons)
    normals = [p.normal.copy() for p in sorted(mesh.polygons, key=lambda p: p.index)]
    turns = [math.degrees(a.angle(b)) for a, b in itertools.pairwise(normals)]
    assert max(turns) < 2.0 and sum(turns) == pytest.approx(90.0, abs=0.5)  # no corner anywhere
    subject = [o for o in scene.objects if o.get("portrait_spec_role") in ("subject", "chain")]
    with small_render(scene, 32, 1), temporary_settings(
            [(o, "hide_render", True) for o in subject] + [(scene.render, "film_transparent", True)]):
        alpha = render_linear(scene)[..., 3]
    assert float(alpha.min()) > 0.999  # every pixel sees the backdrop
