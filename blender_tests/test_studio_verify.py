"""``verify`` passes on every preset, and fails (exit 3) end to end when a light in a saved .blend is
moved by hand so the ratio no longer holds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import bpy
import pytest
from mathutils import Vector

from portrait_spec.blender.api import verify_scene
from portrait_spec.core.toml_io import load_spec

ROOT = Path(__file__).resolve().parents[1]
PRESETS = sorted(p.stem for p in (ROOT / "scenes").glob("*.toml"))


def _cli(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "addon"))
    return subprocess.run([sys.executable, "-m", "portrait_spec", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)


@pytest.mark.parametrize("preset", PRESETS)
def test_verify_passes_on_every_preset(scene, scenes_dir, preset):
    report = verify_scene(load_spec(scenes_dir / f"{preset}.toml"), spec_dir=scenes_dir)
    assert report.passed, report.table()
    names = {c.name for c in report.claims}
    assert {"key azimuth", "key elevation", "key:fill", "subject to background"} <= names
    data = report.to_data()
    assert data["passed"] is True and len(data["claims"]) == len(report.claims)


def _move_key_by_hand(blend: Path, moved: Path) -> None:
    bpy.ops.wm.open_mainfile(filepath=str(blend), load_ui=False)
    scene = bpy.context.scene
    focus = next(o for o in scene.objects if o.get("portrait_spec_role") == "focus").location.copy()
    key = next(o for o in scene.objects if o.get("portrait_spec_role") == "key")
    key.location = focus + (key.location - focus) * 1.6  # dragged back: about a stop less light
    bpy.ops.wm.save_as_mainfile(filepath=str(moved), check_existing=False)


def test_verify_cli_on_a_saved_blend_passes_then_fails_after_a_light_is_moved(scene, tmp_path):
    blend, moved = tmp_path / "studio.blend", tmp_path / "moved.blend"
    built = _cli("build", ROOT / "scenes" / "chroma_extraction.toml", "--save", blend)
    assert built.returncode == 0, built.stderr
    untouched = _cli("verify", blend, "--json")
    assert untouched.returncode == 0, untouched.stdout + untouched.stderr
    assert json.loads(untouched.stdout)["passed"] is True

    _move_key_by_hand(blend, moved)
    result = _cli("verify", moved, "--json")
    assert result.returncode == 3, result.stdout + result.stderr
    claims = {c["name"]: c for c in json.loads(result.stdout)["claims"]}
    assert claims["key:fill"]["passed"] is False
    assert claims["key:fill"]["measured"] > claims["key:fill"]["spec"] + 0.5  # fill now closer to the key's level
    assert claims["key distance"]["passed"] is False
    assert claims["key azimuth"]["passed"] is True  # moved straight back: the angle still holds
    table = _cli("verify", moved)
    assert table.returncode == 3 and "FAIL" in table.stdout


def test_verify_reads_the_promise_not_the_moved_scene(scene, tmp_path, scenes_dir):
    """In-process: the claims come from the spec stored at build time."""
    blend, moved = tmp_path / "studio.blend", tmp_path / "moved.blend"
    from portrait_spec.blender.api import build_and_save

    spec = load_spec(scenes_dir / "chroma_extraction.toml")
    build_and_save(spec, blend, scenes_dir)
    _move_key_by_hand(blend, moved)
    bpy.ops.wm.open_mainfile(filepath=str(moved), load_ui=False)
    report = verify_scene(spec, from_blend=True)
    assert not report.passed
    assert {c.name for c in report.failures()} >= {"key:fill", "key:rim", "key level (E = pi)", "key distance"}
    key = next(o for o in bpy.context.scene.objects if o.get("portrait_spec_role") == "key")
    assert Vector(key.location).length > 0
