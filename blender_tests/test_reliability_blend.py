"""A .blend edited by hand into something Portrait Spec cannot read is exit 2 with a message naming
the object and what to do, never a traceback: the key light turned into a point light, moved onto
the focus point, given a NaN location or a zero scale; the stored spec's JSON corrupted; every
studio object deleted; the camera deleted. And removing a studio light keeps a user's object that
was parented to it where it was."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import bpy
import pytest

from portrait_spec.blender.api import build_fresh, build_scene, render_to_folder, verify_scene
from portrait_spec.blender.contract import ROLE_KEY, SPEC_KEY
from portrait_spec.blender.scene_file import spec_from_blend
from portrait_spec.core.errors import SpecError
from portrait_spec.core.toml_io import load_spec

ROOT = Path(__file__).resolve().parents[1]
SETS = ['subject.kind="mannequin"', "jewelry.enabled=false", "render.resolution=[32, 40]"]


@pytest.fixture(scope="module")
def studio_blend(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build_fresh(load_spec(ROOT / "scenes" / "seed_portrait.toml", SETS))
    path = tmp_path_factory.mktemp("blend") / "studio.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(path), check_existing=False)
    return path


def _edited(source: Path, target: Path, edit: Callable[[], None]) -> Path:
    bpy.ops.wm.open_mainfile(filepath=str(source), load_ui=False)
    edit()
    bpy.ops.wm.save_as_mainfile(filepath=str(target), check_existing=False)
    return target


def _key() -> bpy.types.Object:
    return bpy.data.objects["PS_Key"]


def _to_point() -> None:
    _key().data.type = "POINT"


def _onto_focus() -> None:
    _key().location = bpy.data.objects["PS_Focus"].location


def _nan_location() -> None:
    _key().location.x = math.nan


def _zero_scale() -> None:
    _key().scale = (0.0, 0.0, 0.0)


def _corrupt_json() -> None:
    bpy.context.scene[SPEC_KEY] = '{"camera": {"focal_length_mm": 1'


def _delete_ours() -> None:
    for obj in [o for o in bpy.data.objects if o.get(ROLE_KEY) is not None]:
        bpy.data.objects.remove(obj, do_unlink=True)


def _delete_key() -> None:
    bpy.data.objects.remove(_key(), do_unlink=True)


@pytest.mark.parametrize(("edit", "named", "says"), [
    (_to_point, "lights.key (object 'PS_Key')", "point light"),
    (_onto_focus, "lights.key (object 'PS_Key')", "from the focus point"),
    (_nan_location, "object 'PS_Key' (key)", "not a finite number"),
    (_zero_scale, "lights.key (object 'PS_Key')", "scale of zero"),
    (_corrupt_json, "(stored spec)", "JSON that cannot be read"),
    (_delete_ours, "(scene)", "all were deleted"),
    (_delete_key, "lights.key", "deleted, hidden from renders or at 0 W"),
], ids=lambda v: v.__name__.strip("_") if callable(v) else None)
def test_a_hand_edited_blend_is_a_spec_error_naming_the_object(studio_blend, tmp_path, edit, named, says):
    path = _edited(studio_blend, tmp_path / "edited.blend", edit)
    with pytest.raises(SpecError) as err:
        spec_from_blend(path)
    problems = err.value.problems
    assert [p.path for p in problems] == [named], err.value.message()
    assert says in str(problems[0])


def test_a_deleted_camera_is_a_spec_error_for_render_and_verify(studio_blend, tmp_path):
    path = _edited(studio_blend, tmp_path / "no_camera.blend", lambda: bpy.data.objects.remove(
        bpy.data.objects["PS_Camera"], do_unlink=True))
    spec = spec_from_blend(path)  # the prompt needs no camera
    with pytest.raises(SpecError) as err:
        render_to_folder(spec, tmp_path / "out", from_blend=True, log=lambda line: None)
    assert err.value.problems[0].path == "camera" and "deleted" in err.value.problems[0].found
    with pytest.raises(SpecError):
        verify_scene(spec, from_blend=True)


def test_the_cli_says_exit_2_for_a_point_key(studio_blend, tmp_path):
    path = _edited(studio_blend, tmp_path / "point.blend", _to_point)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon")}
    for command in (["prompt", str(path)], ["render", str(path), "--out", str(tmp_path / "out")], ["verify", str(path)]):
        result = subprocess.run([sys.executable, "-m", "portrait_spec", *command], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=240)
        assert result.returncode == 2, result.stderr[-2000:]
        assert "PS_Key" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_users_object_parented_to_a_studio_light_keeps_its_place(scene):
    spec = load_spec(ROOT / "scenes" / "seed_portrait.toml", SETS)
    build_scene(spec, scene)
    fill = bpy.data.objects["PS_Fill"]
    flag = bpy.data.objects.new("Users_Flag", None)
    scene.collection.objects.link(flag)
    flag.location = (0.3, -0.5, 1.9)
    flag.parent = fill  # as a script parents: no inverse, so the flag rides on the light's transform
    bpy.context.view_layer.update()
    before = flag.matrix_world.copy()
    assert (before.translation - flag.location).length > 0.1  # it is not where its own location says

    build_scene(load_spec(ROOT / "scenes" / "seed_portrait.toml", [*SETS, "lights.fill.enabled=false"]), scene)
    bpy.context.view_layer.update()
    assert "PS_Fill" not in bpy.data.objects
    assert flag.name in scene.objects and flag.parent is None
    assert all(abs(a - b) < 1e-6 for ra, rb in zip(flag.matrix_world, before, strict=True)
               for a, b in zip(ra, rb, strict=True))
