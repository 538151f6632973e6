"""No half-written file survives an interrupted ``render``: a write cut off halfway, a failure
after some files are staged, an interruption between two renames, and a render killed outright
(SIGKILL) each leave only whole files under their final names, and no temporary files behind
(except a killed run's hidden staging folder, which ``--force`` removes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from portrait_spec.blender.api import render_to_folder
from portrait_spec.blender.render import outputs
from portrait_spec.blender.render import reference as reference_render
from portrait_spec.core.toml_io import load_spec

ROOT = Path(__file__).resolve().parents[1]
QUICK = dict(resolution=(32, 40), samples=2, log=lambda line: None)


def _spec(scenes_dir):
    return load_spec(scenes_dir / "chroma_extraction.toml", ["jewelry.enabled=false"])


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _assert_whole(folder: Path) -> None:
    for path in folder.iterdir():
        assert not path.name.startswith("."), f"left behind: {path.name}"
        if path.suffix == ".png":
            with Image.open(path) as im:
                im.load()  # decodes every row: a truncated file raises
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))


def _half_then_fail(data: bytes):
    def write(path):
        with open(path, "wb") as fh:
            fh.write(data[: len(data) // 2])
        raise OSError(28, "No space left on device (simulated)")
    return write


def test_atomic_write_cut_off_halfway_keeps_the_old_file(tmp_path):
    target = tmp_path / "contact_sheet.png"
    target.write_bytes(b"old and whole")
    with pytest.raises(OSError, match="simulated"):
        outputs.atomic_write(target, _half_then_fail(b"new" * 1000))
    assert target.read_bytes() == b"old and whole"
    assert [p.name for p in tmp_path.iterdir()] == ["contact_sheet.png"]
    # What a killed run leaves (a temporary file that was never replaced), --force removes.
    stray = tmp_path / f"{outputs.STAGING_PREFIX}contact_sheet.png.abc123.png"
    stray.write_bytes(b"half")
    outputs.remove_leftovers(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["contact_sheet.png"]


def test_a_write_failing_halfway_leaves_the_previous_outputs_untouched(scene, scenes_dir, tmp_path, monkeypatch):
    spec = _spec(scenes_dir)
    out = tmp_path / "out"
    render_to_folder(spec, out, **QUICK)
    before = _snapshot(out)
    assert {"reference.png", "depth.png", "normal.png", "mask.png", "scene.json"} <= set(before)

    real = reference_render.write_png
    calls = []

    def flaky(path, array, **kwargs):  # the second map (the third file, after reference.png) is cut off
        calls.append(Path(path).name)
        if len(calls) == 2:
            real(path, array, **kwargs)
            _half_then_fail(Path(path).read_bytes())(path)
        real(path, array, **kwargs)

    monkeypatch.setattr(reference_render, "write_png", flaky)
    with pytest.raises(OSError, match="simulated"):
        render_to_folder(spec, out, force=True, **{**QUICK, "samples": 3})
    assert len(calls) == 2
    assert _snapshot(out) == before  # every old file whole and unchanged, nothing new, no temp files
    _assert_whole(out)

    fresh = tmp_path / "fresh"
    calls.clear()
    with pytest.raises(OSError, match="simulated"):
        render_to_folder(spec, fresh, **QUICK)
    assert not fresh.exists()  # a failed run leaves no folder it made


def test_an_interruption_between_renames_leaves_only_whole_files(scene, scenes_dir, tmp_path, monkeypatch):
    spec = _spec(scenes_dir)
    out = tmp_path / "out"
    render_to_folder(spec, out, **QUICK)
    before = _snapshot(out)
    real_replace = os.replace
    moved = []

    def replace(src, dst):
        if len(moved) == 2:
            raise KeyboardInterrupt  # Ctrl+C after two files were moved into place
        moved.append(Path(dst).name)
        return real_replace(src, dst)

    monkeypatch.setattr(outputs.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        render_to_folder(spec, out, force=True, **{**QUICK, "samples": 5})
    after = _snapshot(out)
    # scene.json is removed before anything moves: without it the folder says its set is incomplete.
    assert set(after) == set(before) - {"scene.json"}
    changed = {name for name in after if after[name] != before[name]}
    assert changed <= set(moved) and len(moved) == 2
    _assert_whole(out)


def test_a_killed_render_leaves_no_output_file(scenes_dir, tmp_path):
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "addon"))
    args = [sys.executable, "-m", "portrait_spec", "render", str(scenes_dir / "chroma_extraction.toml"), "--out",
            str(out), "--set", "jewelry.enabled=false", "--resolution", "64x80", "--samples", "4000"]
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    for line in proc.stderr:  # kill it mid-render, once Cycles reports samples
        if "sample" in line or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    visible = [p.name for p in out.iterdir() if not p.name.startswith(".")] if out.exists() else []
    assert visible == []
    # --force cleans up whatever the killed run left and renders a whole set.
    done = subprocess.run([*args[:-2], "--samples", "2", "--force"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
    _assert_whole(out)
