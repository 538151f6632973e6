"""``portrait_spec sweep`` on this machine: a 2x2 grid into a dataset whose manifest agrees with
every variant's own files; a killed sweep (and a killed worker) resumes and renders only what
is missing; a failing variant is recorded and the others still finish."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess

from sweep_support import (
    GRID_2X2,
    ROOT,
    alive,
    children,
    done,
    env,
    local_grid,
    manifest_lines,
    run_sweep,
    sweep_command,
    wait_for,
    write_sweep,
)

from portrait_spec.blender.measure.image_files import read_png
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.schema import spec_from_data
from portrait_spec.core.sweep.expand import plan_sweep
from portrait_spec.core.sweep.file import read_sweep


def test_a_2x2_sweep_writes_4_variants_and_a_manifest_that_matches_their_files(tmp_path):
    out = local_grid()
    plan = plan_sweep(read_sweep(write_sweep(tmp_path, GRID_2X2)))
    entries = done(out)
    assert len(manifest_lines(out)) == 4
    assert set(entries) == {v.id for v in plan.variants}
    assert sorted(p.name for p in (out / "variants").iterdir()) == sorted(entries)  # no partial folder left
    for variant in plan.variants:
        entry = entries[variant.id]
        folder = out / "variants" / variant.id
        scene = json.loads((folder / "scene.json").read_text(encoding="utf-8"))
        prompts = json.loads((folder / "prompts.json").read_text(encoding="utf-8"))
        assert entry["claims"] == scene["claims"] == prompts["claims"]
        assert entry["prompts"]["prompts"] == prompts["prompts"]
        assert entry["prompts"]["negative_prompts"] == prompts["negative_prompts"]
        assert spec_from_data(entry["spec"]) == spec_from_data(scene["spec"]) == variant.spec
        assert scene["variant"] == entry["overrides"] == list(variant.overrides)
        assert entry["prompts"]["prompts"] == build_prompts(variant.spec).to_data()["prompts"]
        assert entry["render"] == scene["render"] and entry["render"]["quality"] == "draft"
        assert set(entry["outputs"]) == {"reference.png", "depth.png", "depth_metric.png", "normal.png", "mask.png",
                                         "prompt.txt", "prompts.json", "scene.json"}
        for name, record in entry["outputs"].items():
            data = (out / record["path"]).read_bytes()
            assert record["path"] == f"variants/{variant.id}/{name}"
            assert record["sha256"] == hashlib.sha256(data).hexdigest() and record["bytes"] == len(data)
        assert entry["attempts"] == 1 and entry["error"] is None
    # Two workers, two variants each; light-only changes keep each worker's sitter.
    assert sum(e["timing"]["sitter_reused"] for e in entries.values()) >= 2
    # Variant by variant the renders differ as their specs do: more fill lifts the face.
    by_overrides = {tuple(e["overrides"]): read_png(out / e["outputs"]["reference.png"]["path"]) for e in entries.values()}
    bright = by_overrides[("lights.fill.stops=-0.5", "lights.key.azimuth_deg=30")][30:60, 20:44, :3].mean()
    dark = by_overrides[("lights.fill.stops=-4", "lights.key.azimuth_deg=30")][30:60, 20:44, :3].mean()
    assert bright > dark + 2
    sheet = read_png(out / "contact_sheet.png")
    assert sheet.shape[0] > 2 * 80 and sheet.shape[1] > 2 * 64  # two rows of two, labelled


def test_a_killed_sweep_resumes_and_renders_only_the_missing_variants(tmp_path):
    sweep = write_sweep(tmp_path, 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1, -2, -3]\n'
                                  '"lights.rim.stops" = [-1, 0]\n')
    out = tmp_path / "out"
    log = open(tmp_path / "first.log", "w")
    first = subprocess.Popen(sweep_command(sweep, out, "--workers", "1"), cwd=ROOT, env=env(), stdout=log, stderr=log)
    try:
        wait_for(lambda: len(done(out)) >= 1, 300, "a first variant")
        (worker,) = children(first.pid)
        os.kill(worker, signal.SIGKILL)  # a crashed Blender: its variant is retried on a new worker
        wait_for(lambda: len(done(out)) >= 3, 300, "three variants")
        workers = children(first.pid)
        first.send_signal(signal.SIGKILL)  # the runner itself, mid-sweep
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
        log.close()
    wait_for(lambda: not any(alive(pid) for pid in workers), 10, "the orphaned worker to exit")
    assert "exited with code -9" in (tmp_path / "first.log").read_text()
    before = done(out)
    assert 3 <= len(before) < 6
    kept = (out / "manifest.jsonl").read_bytes()
    stamps = {vid: (out / "variants" / vid / "reference.png").stat().st_mtime_ns for vid in before}

    second = run_sweep(sweep, out, "--workers", "1")
    assert second.returncode == 0, second.stderr
    after = done(out)
    assert len(after) == 6
    assert f"{6 - len(before)} rendered, {len(before)} already done" in second.stdout
    assert (out / "manifest.jsonl").read_bytes().startswith(kept)  # nothing finished is rewritten
    assert all((out / "variants" / vid / "reference.png").stat().st_mtime_ns == stamp for vid, stamp in stamps.items())
    assert len(manifest_lines(out)) == 6  # one line per variant
    assert not list((out / "variants").glob(".partial-*"))
    third = run_sweep(sweep, out, "--workers", "1")
    assert third.returncode == 0 and "0 rendered, 6 already done" in third.stdout


def test_a_failing_variant_is_recorded_and_does_not_stop_the_others(tmp_path):
    base = '[subject]\nkind = "mannequin"\nmodel = "missing.glb"\n[render]\nresolution = [64, 80]\nquality = "draft"\nsamples = 4\n'
    sweep = write_sweep(tmp_path, 'base = "base.toml"\n[grid]\n"subject.kind" = ["model", "mannequin"]\n'
                                  '"lights.fill.stops" = [-1, -2]\n', base=base)
    out = tmp_path / "out"
    result = run_sweep(sweep, out, "--workers", "1", "--retries", "1")
    assert result.returncode == 1 and "2 variant(s) failed" in result.stderr
    lines = manifest_lines(out)
    assert len(lines) == 4
    failed = [e for e in lines if e["status"] == "failed"]
    assert [e["overrides"][0] for e in failed] == ['subject.kind="model"'] * 2
    for entry in failed:
        assert "missing.glb" in entry["error"] and entry["attempts"] == 2 and entry["outputs"] == {}
        assert entry["claims"] and entry["prompts"]["prompts"]  # what the variant would have claimed
        assert not (out / "variants" / entry["id"]).exists()
    assert len(done(out)) == 2
    again = run_sweep(sweep, out, "--workers", "1", "--retries", "0")  # a new run retries only the failed
    assert again.returncode == 1 and "0 rendered, 2 already done, 2 failed" in again.stdout
    assert [e["attempts"] for e in manifest_lines(out)[4:]] == [3, 3]


def test_a_variant_over_its_task_timeout_is_stopped_recorded_and_retried(tmp_path):
    """A real variant under a timeout far below what any render takes: each attempt's worker is
    killed, the variant is retried, recorded as failed with the timeout as its error, and the
    sweep goes on to the next variant (its worker restarted). The limit and the retries come from
    the sweep file here (the Dask test gives them on the command line)."""
    sweep = write_sweep(tmp_path, 'base = "base.toml"\nretries = 1\ntask_timeout = 0.05\n'
                                  '[grid]\n"lights.fill.stops" = [-1, -2]\n')
    out = tmp_path / "out"
    result = run_sweep(sweep, out, "--workers", "1")
    assert result.returncode == 1 and "2 variant(s) failed" in result.stderr, result.stderr
    assert result.stderr.count("retrying: timed out") == 2
    lines = manifest_lines(out)
    assert [e["status"] for e in lines] == ["failed", "failed"]
    for entry in lines:
        assert entry["attempts"] == 2 and entry["error"].startswith("timed out: the variant took longer than 0.05 s")
    assert list((out / "variants").iterdir()) == []  # no partial folder left


def test_a_kept_sitter_renders_what_a_fresh_build_renders(tmp_path):
    """The worker's reuse (sitter kept, persistent data on) is only an optimisation: variant B
    rendered after A in one scene equals B rendered from a fresh scene."""
    from sweep_support import BASE

    from portrait_spec.blender.api import SweepRenderer
    from portrait_spec.core.toml_io import loads_spec

    a = loads_spec(BASE, ["lights.fill.stops=-0.5"])
    b = loads_spec(BASE, ["lights.fill.stops=-4", "lights.key.azimuth_deg=60"])
    other_skin = loads_spec(BASE, ["lights.fill.stops=-4", "skin.tone.melanin=0.3"])
    kept = SweepRenderer()
    assert not kept.render(a, tmp_path / "a", threads=1).sitter_reused
    reused = kept.render(b, tmp_path / "b_kept", threads=1)
    assert reused.sitter_reused
    assert not kept.render(other_skin, tmp_path / "skin", threads=1).sitter_reused  # the skin is the sitter's
    fresh = SweepRenderer().render(b, tmp_path / "b_fresh", threads=1)
    assert not fresh.sitter_reused
    kept_png = read_png(tmp_path / "b_kept" / "reference.png").astype(int)
    fresh_png = read_png(tmp_path / "b_fresh" / "reference.png").astype(int)
    assert abs(kept_png - fresh_png).max() <= 1
    for name in ("prompts.json", "prompt.txt", "depth.png", "mask.png"):
        assert (tmp_path / "b_kept" / name).read_bytes() == (tmp_path / "b_fresh" / name).read_bytes(), name
