"""Ctrl-C (SIGINT) and SIGTERM stop a render within seconds with exit 130 / 143 and leave nothing:
no output file, no staging folder, no temporary render, no Blender session folder. While a render
writes into a folder, a second render into it is refused (exit 2) at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENE = ROOT / "scenes" / "chroma_extraction.toml"
STOP_WITHIN_S = 10.0
CACHE = "portrait_spec_cache"  # sitter meshes kept between runs (sitter/bust.py)


def _render(out: Path, temp: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon"), "TMPDIR": str(temp)}
    args = [sys.executable, "-m", "portrait_spec", "render", str(SCENE), "--out", str(out),
            "--set", 'subject.kind="mannequin"', "--set", "jewelry.enabled=false",
            "--resolution", "96x120", "--quality", "final", "--samples", "60000", *extra]
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_samples(proc: subprocess.Popen[str]) -> str:
    """Read stderr until Cycles reports samples (the render is under way)."""
    assert proc.stderr is not None
    seen = ""
    deadline = time.monotonic() + 240
    for line in proc.stderr:
        seen += line
        if "sample " in line:
            return seen
        if time.monotonic() > deadline:
            break
    proc.kill()
    pytest.fail(f"the render never reported samples:\n{seen[-2000:]}")


def _stop(proc: subprocess.Popen[str], sig: signal.Signals) -> tuple[int, float]:
    started = time.monotonic()
    proc.send_signal(sig)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"{sig.name} did not stop the render within 60 s")
    return proc.returncode, time.monotonic() - started


def _left(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_a_signal_mid_render_stops_it_and_leaves_nothing(tmp_path: Path, sig: signal.Signals, status: int):
    out, temp = tmp_path / "out", tmp_path / "tmp"
    temp.mkdir()
    proc = _render(out, temp)
    _wait_for_samples(proc)
    code, seconds = _stop(proc, sig)
    assert code == status
    assert seconds < STOP_WITHIN_S, f"took {seconds:.1f} s"
    assert _left(out) == []  # no final file, no staging folder, no lock
    # No temporary render, no Blender session folder (the mannequin's mesh cache is meant to stay).
    assert [p for p in _left(temp) if not p.startswith(CACHE)] == []


def test_a_second_render_into_a_busy_folder_is_refused(tmp_path: Path):
    out, temp = tmp_path / "out", tmp_path / "tmp"
    temp.mkdir()
    first = _render(out, temp)
    _wait_for_samples(first)
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "addon")}
        second = subprocess.run(
            [sys.executable, "-m", "portrait_spec", "render", str(SCENE), "--out", str(out), "--force",
             "--set", 'subject.kind="mannequin"', "--resolution", "32x40", "--samples", "1"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert second.returncode == 2, second.stderr[-2000:]
        assert "being written by another render" in second.stderr and "Traceback" not in second.stderr
        assert "building" not in second.stderr  # refused before any work
    finally:
        code, _seconds = _stop(first, signal.SIGTERM)
    assert code == 143
    assert _left(out) == []
