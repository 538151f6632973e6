"""``render``: reference.png through colour management (exact backdrop level), the output-folder
guard, and ``--vary`` variants."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from portrait_spec.blender.api import render_to_folder
from portrait_spec.blender.measure.image_files import read_png
from portrait_spec.core.errors import SpecError
from portrait_spec.core.toml_io import load_spec

ROOT = Path(__file__).resolve().parents[1]


def _levels(path: Path) -> np.ndarray:
    return read_png(path).astype(int)


def test_cli_render_writes_an_8bit_reference_with_the_exact_backdrop(scene, tmp_path):
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "addon"))
    args = [sys.executable, "-m", "portrait_spec", "render", str(ROOT / "scenes" / "chroma_extraction.toml"),
            "--out", str(out), "--resolution", "40x50", "--samples", "2"]
    first = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert first.returncode == 0, first.stderr
    levels = _levels(out / "reference.png")
    assert levels.shape[:2] == (50, 40)
    for corner in (levels[0, 0], levels[0, -1]):  # (the shoulders may fill the bottom corners)
        assert tuple(corner[:3]) == (0x00, 0xB1, 0x40)
    again = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert again.returncode == 2 and "--force" in again.stderr
    forced = subprocess.run([*args, "--force"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert forced.returncode == 0, forced.stderr


def test_vary_renders_one_folder_per_value(scene, scenes_dir, tmp_path):
    spec = load_spec(scenes_dir / "chroma_extraction.toml")
    outputs = render_to_folder(spec, tmp_path / "grid", resolution=(40, 50), samples=4,
                               vary=["lights.fill.stops=-0.5,-4", "background.color=[255,0,128],\"#0000FF\""])
    written = [p for p in outputs if p.name == "reference.png"]
    names = sorted(p.parent.name for p in written)
    assert len(written) == 4 and all(p.is_file() for p in written)
    assert "lights.fill.stops=-0.5__background.color=_255_0_128" in names
    by_name = {p.parent.name: _levels(p) for p in written}
    magenta = by_name["lights.fill.stops=-0.5__background.color=_255_0_128"]
    blue = by_name["lights.fill.stops=-0.5__background.color=_0000FF"]
    assert tuple(magenta[0, 0, :3]) == (255, 0, 128) and tuple(blue[0, 0, :3]) == (0, 0, 255)
    # More fill lifts the subject: compare the frame centre, where the face is.
    bright = by_name["lights.fill.stops=-0.5__background.color=_255_0_128"][15:35, 12:28, :3].mean()
    dark = by_name["lights.fill.stops=-4__background.color=_255_0_128"][15:35, 12:28, :3].mean()
    assert bright > dark
    with pytest.raises(SpecError):
        render_to_folder(spec, tmp_path / "bad", vary=["lights.fill.stops=-1,99"])
    assert not (tmp_path / "bad").exists()
