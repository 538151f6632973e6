"""One validation path for every input, flags included, checked before any work: ``--resolution``
and ``--samples`` go through the spec's own ranges (never clamped by Blender), a run that exceeds
the machine is refused with its numbers unless ``--allow-large``, ``--out`` and ``--save`` must be
writable and a model file must be the format its extension says, and an output folder holds one
run's complete set: a second run into it is refused, and variants never share a folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from portrait_spec.blender import api
from portrait_spec.core.errors import SpecError
from portrait_spec.core.toml_io import load_spec
from portrait_spec.folder_lock import output_lock

ROOT = Path(__file__).resolve().parents[1]
SCENE = ROOT / "scenes" / "chroma_extraction.toml"
SETS = ['subject.kind="mannequin"', "jewelry.enabled=false"]
QUICK = dict(resolution=(32, 40), samples=1, log=lambda line: None)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon")}
    sets = [a for s in SETS for a in ("--set", s)]
    return subprocess.run([sys.executable, "-m", "portrait_spec", *args, *sets], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _refused(result: subprocess.CompletedProcess[str], *names: str) -> None:
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert "building" not in result.stderr  # refused before any work
    for name in names:
        assert name in result.stderr, result.stderr


@pytest.mark.parametrize(("flags", "named"), [
    (["--resolution", "100000x100000"], "--resolution"),
    (["--resolution", "0x0"], "--resolution"),
    (["--samples", "1000000000"], "--samples"),
    (["--samples", str(2**31 + 1)], "--samples"),
    (["--samples", "-3"], "--samples"),
])
def test_flags_outside_the_specs_ranges_are_refused(tmp_path, flags, named):
    result = _cli("render", str(SCENE), "--out", str(tmp_path / "out"), *flags, cwd=tmp_path)
    _refused(result, named, "allowed:")
    assert not (tmp_path / "out").exists()


def test_a_render_bigger_than_the_machine_is_refused_with_its_numbers(tmp_path):
    result = _cli("render", str(SCENE), "--out", str(tmp_path / "out"), "--resolution", "16384x16384", cwd=tmp_path)
    _refused(result, "render.resolution", " GB", "--allow-large")
    assert not (tmp_path / "out").exists()


def test_too_many_variants_are_refused(tmp_path):
    values = ",".join(f"{-8 + i * 0.1:.1f}" for i in range(65))
    result = _cli("render", str(SCENE), "--out", str(tmp_path / "out"), "--vary", f"lights.fill.stops={values}",
                  cwd=tmp_path)
    _refused(result, "--vary", "65 variants", "--allow-large")


def test_allow_large_lets_a_run_over_the_limits_through(scene, tmp_path, monkeypatch):
    spec = load_spec(SCENE, SETS)
    monkeypatch.setattr(api, "machine_memory_bytes", lambda: 10 * 2**20)  # a 10 MB machine
    with pytest.raises(SpecError) as err:
        api.render_to_folder(spec, tmp_path / "refused", **QUICK)
    assert err.value.problems[0].path == "render.resolution" and "--allow-large" in err.value.problems[0].allowed
    assert not (tmp_path / "refused").exists()
    written = api.render_to_folder(spec, tmp_path / "allowed", allow_large=True, **QUICK)
    assert (tmp_path / "allowed" / "scene.json") in written


def test_an_out_folder_that_cannot_be_made_is_refused_before_building(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    _refused(_cli("render", str(SCENE), "--out", str(blocker / "out"), cwd=tmp_path), "--out")


def test_a_save_path_that_cannot_be_written_is_refused_before_building(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    result = _cli("build", str(SCENE), "--save", str(blocker / "scene.blend"), cwd=tmp_path)
    _refused(result, "--save")
    assert "Saved" not in result.stdout + result.stderr


@pytest.mark.parametrize("content", [b"", b"this is a note, not a model\n"], ids=["empty", "text"])
def test_a_model_file_that_is_not_a_model_is_refused(tmp_path, content):
    (tmp_path / "head.glb").write_bytes(content)
    spec = tmp_path / "scene.toml"
    spec.write_text('[subject]\nkind = "model"\nmodel = "head.glb"\n[subject.materials]\nSkin = "skin"\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon")}
    result = subprocess.run([sys.executable, "-m", "portrait_spec", "build", str(spec), "--save", "x.blend"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2, result.stderr[-2000:]
    assert "subject.model" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.blend").exists()


def test_a_folder_another_run_holds_is_refused(scene, tmp_path):
    out = tmp_path / "out"
    with output_lock(out), pytest.raises(SpecError) as err:
        api.render_to_folder(load_spec(SCENE, SETS), out, force=True, **QUICK)
    assert err.value.problems[0].path == "--out" and "another render" in err.value.problems[0].found
    api.render_to_folder(load_spec(SCENE, SETS), out, force=True, **QUICK)  # free again once released
    assert not (out / ".portrait_spec.lock").exists()


def test_values_differing_only_in_punctuation_render_into_their_own_folders(scene, tmp_path):
    out = tmp_path / "out"
    api.render_to_folder(load_spec(SCENE, SETS), out, vary=['background.color="#00B140","00B140"'], **QUICK)
    folders = sorted(p for p in out.iterdir() if p.is_dir())
    assert len(folders) == 2
    for folder in folders:
        assert json.loads((folder / "scene.json").read_text())["variant"]
