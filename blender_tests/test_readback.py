"""Read-back (blender.readback, blender.scene_file): a built scene reads back to exactly the spec
that built it; after moving and re-powering lights by hand the prompt states the new scene; a
saved .blend works as the SCENE argument, with the same --set validation as TOML."""

from __future__ import annotations

import dataclasses

import bpy
import pytest

from portrait_spec.blender.api import build_scene
from portrait_spec.blender.contract import find_one
from portrait_spec.blender.readback import spec_from_scene
from portrait_spec.blender.scene_file import spec_from_blend
from portrait_spec.blender.studio.lights import aimed_matrix
from portrait_spec.core.errors import SpecError
from portrait_spec.core.placement import angles_from_position, light_position
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.toml_io import load_spec


def focus_of(scene) -> tuple[float, float, float]:
    t = find_one(scene, "focus").matrix_world.translation
    return (t.x, t.y, t.z)


def move_light(scene, role: str, azimuth: float, elevation: float, distance: float) -> None:
    """What a photographer does in the viewport: move the light and aim it back at the face."""
    focus = focus_of(scene)
    find_one(scene, role).matrix_world = aimed_matrix(light_position(focus, azimuth, elevation, distance), focus)
    scene.view_layers[0].update()


@pytest.mark.parametrize("name", ["seed_portrait", "butterfly", "gradient_backdrop"])
def test_untouched_scene_reads_back_to_exactly_its_spec(scene, scenes_dir, name):
    spec = load_spec(scenes_dir / f"{name}.toml")
    build_scene(spec, scene)
    assert spec_from_scene(scene) == spec


def test_moved_key_and_halved_fill_are_what_the_prompt_now_says(scene, scenes_dir):
    spec = load_spec(scenes_dir / "seed_portrait.toml")
    build_scene(spec, scene)
    key = spec.lights.key
    move_light(scene, "key", 30.0, key.elevation_deg, key.distance.metres)
    find_one(scene, "fill").data.energy *= 0.5

    back = spec_from_scene(scene)
    assert back.lights.key.azimuth_deg == 30.0
    assert back.lights.fill.stops == -3.0  # halving the watts is exactly one stop at the meter
    assert dataclasses.replace(back, lights=spec.lights) == spec  # nothing else changed
    bundle = build_prompts(back)
    for target in ("midjourney", "sdxl", "flux", "dalle"):
        text = bundle.prompts[target]
        assert "30° camera left and 45° up" in text and "45° camera left" not in text
        assert "8:1 key-to-fill" in text and "4:1 key-to-fill" not in text
    assert "metered 3 stops under the key" in bundle.prompts["midjourney"]


def test_resized_light_deleted_rim_and_repainted_backdrop_are_read(scene, scenes_dir):
    spec = load_spec(scenes_dir / "seed_portrait.toml")
    build_scene(spec, scene)
    find_one(scene, "key").scale = (0.5, 0.5, 1.0)  # a 0.5 x 0.7 m box at 1.5 m: "medium"
    bpy.data.objects.remove(find_one(scene, "rim"), do_unlink=True)
    surface = bpy.data.materials["PS_Cyclorama"].node_tree.nodes
    shader = next(n for n in surface if n.type == "EMISSION")
    shader.inputs["Color"].default_value = (0.0, 1.0, 0.0, 1.0)
    scene.view_layers[0].update()

    back = spec_from_scene(scene)
    assert (back.lights.key.width.metres, back.lights.key.height.metres) == pytest.approx((0.5, 0.7))
    assert not back.lights.rim.enabled
    assert back.background.color.rgb == (0, 255, 0)
    text = build_prompts(back).prompts["midjourney"]
    assert "key light is a medium softbox" in text and "rim light" not in text and "exact RGB 0/255/0" in text


def test_light_dragged_out_of_range_is_reported_like_a_bad_file(scene, scenes_dir):
    spec = load_spec(scenes_dir / "seed_portrait.toml")
    build_scene(spec, scene)
    focus = focus_of(scene)
    find_one(scene, "fill").location = (focus[0], focus[1], focus[2] + 20.0)  # 20 m straight up
    scene.view_layers[0].update()
    with pytest.raises(SpecError) as info:
        spec_from_scene(scene)
    paths = {p.path for p in info.value.problems}
    assert {"lights.fill.elevation_deg", "lights.fill.distance"} <= paths


def test_saved_blend_is_a_scene_argument_with_overrides(scene, scenes_dir, tmp_path):
    spec = load_spec(scenes_dir / "rembrandt.toml")
    build_scene(spec, scene)
    move_light(scene, "fill", -35.0, 5.0, 2.0)
    path = tmp_path / "studio.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(path))

    back = spec_from_blend(path, ["prompt.units=metric"])
    az, el, dist = angles_from_position(focus_of(bpy.context.scene), tuple(find_one(bpy.context.scene, "fill").location))
    assert (back.lights.fill.azimuth_deg, back.lights.fill.elevation_deg) == (round(az, 1), round(el, 1)) == (-35.0, 5.0)
    assert back.lights.fill.distance.metres == pytest.approx(dist, abs=5e-4)
    assert "fill is a large square softbox at 2 m, 35° camera right and 5° up" in build_prompts(back).prompts["midjourney"]

    with pytest.raises(SpecError, match=r"lights\.fill\.stops"):
        spec_from_blend(path, ["lights.fill.stops=9"])


def test_blend_problems_are_named(tmp_path):
    with pytest.raises(SpecError, match=r"existing \.blend"):
        spec_from_blend(tmp_path / "missing.blend")
    not_blend = tmp_path / "text.blend"
    not_blend.write_text("hello")
    with pytest.raises(SpecError, match="cannot open"):
        spec_from_blend(not_blend)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    plain = tmp_path / "plain.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(plain))
    with pytest.raises(SpecError, match="no scene with Portrait Spec data"):
        spec_from_blend(plain)
