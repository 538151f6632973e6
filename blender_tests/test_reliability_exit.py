"""The CLI ends with its status once its work is done: on a .blend whose scripted driver Blender
blocked (auto-run is off), bpy 4.5's own exit waits forever on its audio thread after every file
is written; ``prompt``, ``render`` and ``verify`` must still return, and leave no Blender temporary
folder behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import bpy
import pytest

from portrait_spec.blender.api import build_fresh
from portrait_spec.core.toml_io import load_spec

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def driven_blend(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = load_spec(ROOT / "scenes" / "chroma_extraction.toml",
                     ['subject.kind="mannequin"', "jewelry.enabled=false", "render.resolution=[32, 40]"])
    build_fresh(spec)
    focus = bpy.data.objects["PS_Focus"]
    curve = focus.driver_add("empty_display_size")
    curve.driver.type = "SCRIPTED"
    curve.driver.expression = "__import__('os').getpid() * 0 + 0.02"  # Python: blocked with auto-run off
    path = tmp_path_factory.mktemp("driver") / "driven.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(path), check_existing=False)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    return path


@pytest.mark.parametrize(("args", "status", "seconds"), [
    (["prompt"], 0, 90),
    (["render", "--out", "{out}", "--samples", "1"], 0, 240),
    (["verify"], 0, 400),
], ids=lambda a: a[0] if isinstance(a, list) else None)
def test_the_cli_exits_on_a_blend_with_a_blocked_driver(driven_blend: Path, tmp_path: Path, args: list[str],
                                                        status: int, seconds: int):
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon"), "TMPDIR": str(temp)}
    command = [sys.executable, "-m", "portrait_spec", args[0], str(driven_blend),
               *(a.format(out=out) for a in args[1:])]
    try:
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=seconds)
    except subprocess.TimeoutExpired as hung:
        pytest.fail(f"{args[0]} did not exit within {seconds} s (stderr: {str(hung.stderr)[-500:]})")
    assert result.returncode == status, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    if args[0] == "prompt":
        assert result.stdout.strip()
    if args[0] == "render":
        assert (out / "scene.json").is_file()
    assert list(temp.iterdir()) == []  # Blender's session folder and ours are gone
