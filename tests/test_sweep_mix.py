"""Which sweep variants one render serves (``core.sweep.mix``), the render task that carries them,
and how the runner reads a task's results (``sweep/run.py``): pure, no Blender."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portrait_spec.core.errors import SpecError
from portrait_spec.core.schema import spec_to_data
from portrait_spec.core.sweep.expand import plan_sweep
from portrait_spec.core.sweep.file import read_sweep
from portrait_spec.core.sweep.mix import GROUP_SIZE, mix_groups, mix_key
from portrait_spec.sweep.run import _outcomes
from portrait_spec.sweep.task import FileRecord, MixMember, RenderTask, TaskResult, task_from_json, task_to_json

BASE = "[render]\nresolution = [64, 80]\n"


def _plan(tmp_path: Path, grid: str):
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    path = tmp_path / "sweep.toml"
    path.write_text(f'base = "base.toml"\nmix_lights = true\n[grid]\n{grid}', encoding="utf-8")
    sweep = read_sweep(path)
    assert sweep.mix_lights
    return plan_sweep(sweep).variants


def test_variants_differing_only_in_fill_and_rim_levels_share_a_group(tmp_path):
    variants = _plan(tmp_path, '"lights.key.elevation_deg" = [25, 45]\n"lights.fill.stops" = [-1, -2]\n'
                               '"lights.rim.stops" = [0, -1]\n')
    groups = mix_groups(variants)
    assert [len(g) for g in groups] == [4, 4]
    for group in groups:
        assert len({v.spec.lights.key.elevation_deg for v in group}) == 1
        assert len({(v.spec.lights.fill.stops, v.spec.lights.rim.stops) for v in group}) == 4
    assert [v.id for g in groups for v in g] == [v.id for v in variants]  # plan order kept


@pytest.mark.parametrize("field", ['"lights.fill.azimuth_deg" = [-40, -60]', '"lights.fill.temperature_k" = [5600, 3200]',
                                   '"lights.key.distance" = ["1.5 m", "2 m"]', '"lights.bounce.stops" = [-1, -2]',
                                   '"background.color" = ["#FF0080", "#00B140"]', '"render.seed" = [0, 1]'])
def test_anything_but_the_fill_and_rim_levels_is_a_group_of_its_own(tmp_path, field):
    variants = _plan(tmp_path, field + "\n")
    assert [len(g) for g in mix_groups(variants)] == [1, 1]


def test_groups_are_at_most_group_size_long(tmp_path):
    levels = ", ".join(str(-0.25 * i) for i in range(GROUP_SIZE + 3))
    variants = _plan(tmp_path, f'"lights.fill.stops" = [{levels}]\n')
    assert [len(g) for g in mix_groups(variants)] == [GROUP_SIZE, 3]


def test_the_mix_key_drops_only_the_mixable_levels(tmp_path):
    variants = _plan(tmp_path, '"lights.fill.stops" = [-1, -2]\n')
    a, b = (spec_to_data(v.spec) for v in variants)
    assert a != b and mix_key(a) == mix_key(b)
    assert "stops" in a["lights"]["fill"]  # the spec's own data is not changed


def test_mix_lights_must_be_a_boolean(tmp_path):
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "sweep.toml").write_text('base = "base.toml"\nmix_lights = "yes"\n[grid]\n"lights.fill.stops" = [-1]\n',
                                         encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        read_sweep(tmp_path / "sweep.toml")
    assert [p.path for p in caught.value.problems] == ["mix_lights"]


def _task() -> RenderTask:
    return RenderTask(id="a", spec={"x": 1}, spec_dir="/s", out="/o/a", threads=1, label=("lights.fill.stops=-1",),
                      timeout_s=2.0, mixes=(MixMember(id="b", spec={"x": 2}, out="/o/b", label=("lights.fill.stops=-2",)),
                                            MixMember(id="c", spec={"x": 3}, out="/o/c")))


def test_a_task_with_its_mixes_and_its_results_survive_json():
    task = _task()
    assert task_from_json(task_to_json(task)) == task
    assert task.ids == ("a", "b", "c")
    result = TaskResult(id="a", ok=True, files=(FileRecord("reference.png", "0" * 64, 10),), worker="h:1",
                        mixes=(TaskResult(id="b", ok=True, mixed_from="a", worker="h:1"),
                               TaskResult(id="c", ok=False, error="ValueError: no", worker="h:1")))
    assert TaskResult.from_json(result.to_json()) == result
    assert json.loads(result.to_json())["mixes"][0]["mixed_from"] == "a"


def test_every_variant_of_a_task_gets_an_outcome_and_a_failed_render_fails_its_mixes():
    task = _task()
    failed = TaskResult(id="a", ok=False, error="WorkerDied: gone", worker="h:1")
    outcomes = _outcomes(task, failed)
    assert [(vid, str(out), r.ok) for vid, out, r in outcomes] == [("a", "/o/a", False), ("b", "/o/b", False),
                                                                   ("c", "/o/c", False)]
    assert outcomes[1][2].error == "not mixed: WorkerDied: gone"
    partly = TaskResult(id="a", ok=True, worker="h:1", mixes=(TaskResult(id="b", ok=True, mixed_from="a", worker="h:1"),))
    got = {vid: r for vid, _, r in _outcomes(task, partly)}
    assert got["a"].ok and got["b"].ok and got["b"].mixed_from == "a"
    assert not got["c"].ok and "no result" in (got["c"].error or "")
