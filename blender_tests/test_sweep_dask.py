"""``portrait_spec sweep --scheduler``: a real Dask scheduler and two workers started here on
127.0.0.1 (free ports, nothing else listens). The same 2x2 sweep gives the same manifest as the
local pool (ids, spec, prompts, claims, checksums of the files that are not images); killing one
Dask worker mid-sweep still completes every variant, and the killed worker's Blender exits; a
variant over ``--task-timeout`` is stopped on the Dask worker and recorded as failed; a sweep with
``mix_lights`` mixes on Dask as on this machine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sweep_support import (
    GRID_2X2,
    ROOT,
    Cluster,
    alive,
    children,
    done,
    env,
    local_grid,
    manifest_lines,
    run_sweep,
    sweep_command,
    wait_for,
    without_timing,
    write_sweep,
)

NOT_IMAGES = ("prompt.txt", "prompts.json")


def _two_workers(folder: Path) -> Iterator[Cluster]:
    running = Cluster(folder)
    try:
        running.add_worker()
        running.add_worker()
        running.wait_for_workers(2)
        yield running
    finally:
        running.close()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A cluster of its own, for a test that kills a worker."""
    yield from _two_workers(tmp_path)


@pytest.fixture(scope="module")
def shared_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """One cluster for the tests that leave it whole (starting and stopping one costs ~25 s)."""
    yield from _two_workers(tmp_path_factory.mktemp("cluster"))


def test_a_sweep_on_dask_gives_the_same_manifest_as_on_this_machine(shared_cluster, tmp_path):
    local = done(local_grid())
    sweep = write_sweep(tmp_path / "sweep", GRID_2X2)
    result = run_sweep(sweep, tmp_path / "out", "--scheduler", shared_cluster.address, "--sheet-page", "3")
    assert result.returncode == 0, result.stderr
    remote = done(tmp_path / "out")
    assert set(remote) == set(local) and len(remote) == 4
    workers = set()
    for vid, entry in remote.items():
        mine = local[vid]
        for key in ("overrides", "spec", "prompts", "claims"):
            assert entry[key] == mine[key], key
        for name in NOT_IMAGES:
            assert entry["outputs"][name]["sha256"] == mine["outputs"][name]["sha256"], name
        theirs, ours = (json.loads((root / entry["outputs"]["scene.json"]["path"]).read_text(encoding="utf-8"))
                        for root in (tmp_path / "out", local_grid()))
        assert without_timing(theirs) == without_timing(ours)  # scene.json also holds the time taken
        workers.add(entry["worker"])
    assert len(workers) == 2  # both Dask workers' Blender processes rendered
    sheets = sorted(p.name for p in (tmp_path / "out").glob("contact_sheet*.png"))
    assert sheets == ["contact_sheet-001.png", "contact_sheet-002.png"]  # 3 variants a page


def test_a_variant_over_its_task_timeout_fails_on_dask_too(shared_cluster, tmp_path):
    sweep = write_sweep(tmp_path / "sweep", 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1]\n')
    out = tmp_path / "out"
    result = run_sweep(sweep, out, "--scheduler", shared_cluster.address, "--retries", "0", "--task-timeout", "0.05")
    assert result.returncode == 1 and "1 variant(s) failed" in result.stderr, result.stderr
    [entry] = manifest_lines(out)
    assert entry["status"] == "failed" and entry["error"].startswith("timed out: the variant took longer than 0.05 s")
    assert list((out / "variants").iterdir()) == []


def test_a_mixed_sweep_on_dask_renders_one_variant_and_mixes_the_others(shared_cluster, tmp_path):
    sweep = write_sweep(tmp_path / "sweep", 'base = "base.toml"\nmix_lights = true\n[grid]\n'
                                            '"lights.fill.stops" = [-1, -2, -3]\n')
    out = tmp_path / "out"
    result = run_sweep(sweep, out, "--scheduler", shared_cluster.address)
    assert result.returncode == 0, result.stderr
    lines = manifest_lines(out)
    assert [e["status"] for e in lines] == ["done"] * 3
    first = lines[0]["id"]
    assert [e["timing"]["mixed_from"] for e in lines] == [None, first, first]  # one task: in its order
    for entry in lines[1:]:
        scene = json.loads((out / entry["outputs"]["scene.json"]["path"]).read_text(encoding="utf-8"))
        assert scene["render"]["light_mix"]["mixed_from"] == first and entry["claims"] == scene["claims"]


def test_killing_a_dask_worker_mid_sweep_still_completes_every_variant(cluster, tmp_path):
    sweep = write_sweep(tmp_path / "sweep", 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1, -2, -3]\n'
                                            '"lights.rim.stops" = [-1, 0]\n')
    out = tmp_path / "out"
    log = open(tmp_path / "runner.log", "w")
    runner = subprocess.Popen(sweep_command(sweep, out, "--scheduler", cluster.address), cwd=ROOT, env=env(),
                              stdout=log, stderr=log)
    try:
        wait_for(lambda: len(done(out)) >= 1, 300, "a first variant")
        victim = cluster.workers[0]
        blenders = children(victim.pid)
        assert blenders, "the Dask worker runs its renders in a Blender process of its own"
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        runner.wait(timeout=600)
    finally:
        if runner.poll() is None:
            runner.kill()
        log.close()
    assert runner.returncode == 0, (tmp_path / "runner.log").read_text()
    assert len(done(out)) == 6
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in blenders) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in blenders)  # re-parented, it noticed and exited
