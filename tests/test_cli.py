"""The command line as a user runs it, in a subprocess of a Python where ``bpy`` (and numpy)
cannot be imported: ``prompt`` works, bad input exits 2 naming every problem with no
traceback, and the Blender commands say they need Blender."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "scenes" / "seed_portrait.toml"
CLI_FILE = ROOT / "addon" / "portrait_spec" / "cli.py"
BAD_PRESET = ROOT / "tests" / "data" / "bad_preset.toml"

# Whatever this interpreter has installed, the child cannot import bpy or numpy: the core
# and the prompt command must not need them.
_NO_BLENDER = "import sys; sys.modules['bpy'] = None; sys.modules['numpy'] = None; import runpy; "


def run(*args: str, cwd: Path = ROOT, as_file: bool = False) -> subprocess.CompletedProcess[str]:
    if as_file:  # how Blender's -P runs it: a file, not a module
        code = _NO_BLENDER + f"runpy.run_path({str(CLI_FILE)!r}, run_name='__main__')"
    else:
        code = _NO_BLENDER + "runpy.run_module('portrait_spec', run_name='__main__', alter_sys=True)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon"), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.fixture
def bad_preset(tmp_path: Path) -> Path:
    """A wrong type, an unknown key and an out-of-range value, alone in an empty folder."""
    path = tmp_path / "bad.toml"
    shutil.copyfile(BAD_PRESET, path)
    return path


# ---------------------------------------------------------------- prompt without bpy

def test_prompt_runs_without_bpy():
    result = run("prompt", str(SEED.relative_to(ROOT)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("target", ["midjourney", "sdxl", "flux", "dalle"])
def test_prompt_for_every_target(target):
    result = run("prompt", str(SEED), "--target", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_prompt_json_is_json():
    result = run("prompt", str(SEED), "--json")
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads(result.stdout), dict)


def test_prompt_takes_overrides():
    imperial = run("prompt", str(SEED))
    metric = run("prompt", str(SEED), "--set", "prompt.units=metric")
    assert metric.returncode == 0, metric.stderr
    assert metric.stdout != imperial.stdout  # the override reached the prompt writer


def test_the_cli_file_runs_as_blender_runs_it():
    direct = run("prompt", str(SEED), as_file=True)
    after_dashes = run("--", "prompt", str(SEED), as_file=True)  # blender -b -P cli.py -- prompt ...
    assert direct.returncode == after_dashes.returncode == 0, direct.stderr + after_dashes.stderr
    assert direct.stdout == after_dashes.stdout == run("prompt", str(SEED)).stdout


# ---------------------------------------------------------------- bad input: exit 2

@pytest.mark.parametrize("command", [["prompt"], ["build", "--save", "out.blend"], ["render", "--out", "renders"], ["verify"]])
def test_a_bad_preset_exits_2_naming_all_three_problems(bad_preset: Path, command: list[str]):
    result = run(command[0], str(bad_preset), *command[1:], cwd=bad_preset.parent)
    assert_clean_failure(result, 2)
    for path in ("camera.f_number", "lights.key.colour", "lights.fill.stops"):
        assert path in result.stderr
    assert "3 problems" in result.stderr
    assert sorted(p.name for p in bad_preset.parent.iterdir()) == ["bad.toml"]  # nothing was built


def test_a_missing_file_exits_2(tmp_path: Path):
    result = run("prompt", str(tmp_path / "missing.toml"))
    assert_clean_failure(result, 2)
    assert "missing.toml" in result.stderr


def test_malformed_toml_exits_2(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text("[camera]\nf_number = \n", encoding="utf-8")
    result = run("prompt", str(path))
    assert_clean_failure(result, 2)
    assert "(syntax)" in result.stderr


def test_a_bad_override_exits_2_like_a_bad_file():
    result = run("prompt", str(SEED), "--set", "lights.fill.stops=-20", "--set", "camera.focal_lenght_mm=50")
    assert_clean_failure(result, 2)
    assert "lights.fill.stops: found -20; allowed: a number from -8 to 4 stops" in result.stderr
    assert "did you mean camera.focal_length_mm?" in result.stderr


def test_an_override_without_equals_exits_2():
    assert_clean_failure(run("prompt", str(SEED), "--set", "lights.fill.stops"), 2)


@pytest.mark.parametrize("args", [
    [],
    ["paint", "x.toml"],
    ["prompt", "scenes/seed_portrait.toml", "--target", "photoshop"],
    ["render", "scenes/seed_portrait.toml", "--out", "x", "--resolution", "12"],
    ["render", "scenes/seed_portrait.toml", "--out", "x", "--samples", "many"],
    ["build", "scenes/seed_portrait.toml"],
])
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "usage:" in result.stderr


def test_help_exits_0():
    result = run("--help")
    assert result.returncode == 0
    for command in ("prompt", "build", "render", "verify"):
        assert command in result.stdout


# ---------------------------------------------------------------- Blender commands without Blender

@pytest.mark.parametrize("command", [["build", "--save", "out.blend"], ["render", "--out", "renders"], ["verify"]])
def test_blender_commands_without_bpy_say_so(tmp_path: Path, command: list[str]):
    result = run(command[0], str(SEED), *command[1:], cwd=tmp_path)
    assert_clean_failure(result, 1)
    assert "needs Blender" in result.stderr
    assert list(tmp_path.iterdir()) == []
