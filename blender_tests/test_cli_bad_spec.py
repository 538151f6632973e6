"""With Blender available, a bad scene spec still builds nothing: the CLI exits 2, names every
problem by dotted path, prints no traceback and writes no file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "scenes" / "seed_portrait.toml"
BAD_PRESET = ROOT / "tests" / "data" / "bad_preset.toml"
PROBLEM_PATHS = ("camera.f_number", "lights.key.colour", "lights.fill.stops")


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon"), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "portrait_spec", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def bad_preset(tmp_path: Path) -> Path:
    """A wrong type, an unknown key and an out-of-range value, alone in an empty folder."""
    path = tmp_path / "bad.toml"
    shutil.copyfile(BAD_PRESET, path)
    return path


@pytest.mark.parametrize("command", [
    ["build", "--save", "x.blend"],
    ["render", "--out", "renders"],
    ["verify"],
], ids=lambda c: c[0])
def test_a_bad_preset_builds_nothing(bad_preset: Path, command: list[str]):
    result = run_cli(command[0], str(bad_preset), *command[1:], cwd=bad_preset.parent)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for path in PROBLEM_PATHS:
        assert path in result.stderr
    assert sorted(p.name for p in bad_preset.parent.iterdir()) == ["bad.toml"]


def test_a_bad_override_on_a_good_preset_builds_nothing(tmp_path: Path):
    result = run_cli("build", str(SEED), "--save", "x.blend", "--set", "background.color=[256, 0, 0]", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "background.color" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
