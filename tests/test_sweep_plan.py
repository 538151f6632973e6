"""Sweep files: grids and samples expanded into validated variants with stable ids, every problem
reported with its place in the file, and the ``sweep`` command's bad input (exit 2, nothing
written) in a Python without bpy."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from portrait_spec.core.errors import SpecError
from portrait_spec.core.schema import spec_to_data
from portrait_spec.core.sweep.expand import plan_sweep, variant_overrides
from portrait_spec.core.sweep.file import parse_sweep, read_sweep
from portrait_spec.core.sweep.identity import subject_key, variant_id
from portrait_spec.core.sweep.sampling import unit_points
from portrait_spec.core.toml_io import loads_spec

ROOT = Path(__file__).resolve().parents[1]
BASE = "[render]\nresolution = [64, 80]\n"


def sweep_at(tmp_path: Path, text: str):
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    path = tmp_path / "sweep.toml"
    path.write_text(text, encoding="utf-8")
    return read_sweep(path)


def test_a_grid_is_every_combination_first_axis_slowest(tmp_path):
    sweep = sweep_at(tmp_path, 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1, -2]\n'
                               '"background.color" = [[255, 0, 128], "#00B140"]\n')
    assert variant_overrides(sweep) == [
        ("lights.fill.stops=-1", "background.color=[255, 0, 128]"),
        ("lights.fill.stops=-1", 'background.color="#00B140"'),
        ("lights.fill.stops=-2", "background.color=[255, 0, 128]"),
        ("lights.fill.stops=-2", 'background.color="#00B140"'),
    ]
    plan = plan_sweep(sweep)
    assert len(plan.variants) == 4 and plan.duplicates == 0
    first = plan.variants[0].spec
    assert first.lights.fill.stops == -1.0 and first.background.color.rgb == (255, 0, 128)
    assert first.render.resolution == (64, 80)  # the base file underneath


def test_dotted_tables_name_the_same_fields_as_quoted_paths(tmp_path):
    quoted = sweep_at(tmp_path, 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1, -2]\n')
    nested = sweep_at(tmp_path, 'base = "base.toml"\n[grid.lights.fill]\nstops = [-1, -2]\n')
    assert variant_overrides(quoted) == variant_overrides(nested)


def test_the_id_is_the_hash_of_the_resolved_spec(tmp_path):
    sweep = sweep_at(tmp_path, 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-2, -2.0, -3]\n')
    plan = plan_sweep(sweep)
    assert plan.duplicates == 1 and len(plan.variants) == 2  # -2 and -2.0 are the same spec
    variant = plan.variants[0]
    canonical = json.dumps(spec_to_data(variant.spec), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert variant.id == hashlib.sha256(canonical.encode()).hexdigest()[:16]
    # The same spec reached another way (a --set on the base) has the same id.
    assert variant_id(loads_spec(BASE, ["lights.fill.stops=-2"])) == variant.id


def test_command_line_overrides_apply_under_the_variant_and_render_options_over_it(tmp_path):
    sweep = sweep_at(tmp_path, 'base = "base.toml"\nset = ["lights.rim.stops=-1"]\n'
                               '[grid]\n"lights.fill.stops" = [-1]\n"render.samples" = [8]\n')
    plan = plan_sweep(sweep, ["lights.fill.stops=-4", "lights.key.azimuth_deg=30"], ["render.samples=2"])
    spec = plan.variants[0].spec
    assert (spec.lights.rim.stops, spec.lights.fill.stops, spec.lights.key.azimuth_deg, spec.render.samples) == (-1, -1, 30, 2)


def test_light_only_variants_share_the_sitter_key(tmp_path):
    sweep = sweep_at(tmp_path, 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1, -2]\n"skin.tone.melanin" = [0.02, 0.2]\n')
    keys = [subject_key(v.spec) for v in plan_sweep(sweep).variants]
    assert keys[0] == keys[2] and keys[1] == keys[3] and keys[0] != keys[1]


SAMPLED = '''base = "base.toml"
[sample]
method = "{method}"
count = {count}
seed = {seed}
[sample.ranges]
"lights.key.azimuth_deg" = [20, 70]
"lights.fill.stops" = {{ min = -4, max = -1, step = 0.5 }}
"subject.distance_to_background" = ["4 ft", "12 ft"]
"render.seed" = [0, 9]
"jewelry.karat" = {{ choices = ["24k", "18k", "rose"] }}
'''


def test_samples_are_reproducible_inside_their_ranges_and_typed(tmp_path):
    text = SAMPLED.format(method="latin_hypercube", count=12, seed=7)
    plan = plan_sweep(sweep_at(tmp_path, text))
    again = plan_sweep(sweep_at(tmp_path, text))
    other = plan_sweep(sweep_at(tmp_path, SAMPLED.format(method="latin_hypercube", count=12, seed=8)))
    assert [v.id for v in plan.variants] == [v.id for v in again.variants]
    assert [v.id for v in plan.variants] != [v.id for v in other.variants]
    for variant in plan.variants:
        spec = variant.spec
        assert 20 <= spec.lights.key.azimuth_deg <= 70
        assert -4 <= spec.lights.fill.stops <= -1 and (spec.lights.fill.stops * 2).is_integer()
        distance = spec.subject.distance_to_background
        assert distance.unit == "ft" and 4 <= distance.value <= 12  # drawn in metres, written in feet
        assert isinstance(spec.render.seed, int) and 0 <= spec.render.seed <= 9
    # Latin hypercube: 3 choices over 12 samples land 4 times each.
    assert Counter(v.spec.jewelry.karat for v in plan.variants) == {"24k": 4, "18k": 4, "rose": 4}


def test_latin_hypercube_puts_one_point_in_every_stratum_of_every_axis():
    count = 50
    points = unit_points("latin_hypercube", count, 3, seed=1)
    for axis in range(3):
        assert sorted(int(p[axis] * count) for p in points) == list(range(count))
    randoms = unit_points("random", count, 3, seed=1)
    assert all(0 <= x < 1 for p in randoms for x in p)
    # Plain random draws leave strata empty (the reason for the hypercube).
    assert len({int(p[0] * count) for p in randoms}) < count


def test_a_grid_and_samples_give_every_grid_point_every_sample(tmp_path):
    text = SAMPLED.format(method="random", count=3, seed=1) + '[grid]\n"lights.rim.stops" = [-1, 0]\n'
    overrides = variant_overrides(sweep_at(tmp_path, text))
    assert len(overrides) == 6
    assert [o[0] for o in overrides] == ["lights.rim.stops=-1"] * 3 + ["lights.rim.stops=0"] * 3
    assert [o[1:] for o in overrides[:3]] == [o[1:] for o in overrides[3:]]


def test_every_problem_in_the_sweep_file_is_named_with_its_place(tmp_path):
    with pytest.raises(SpecError) as caught:
        sweep_at(tmp_path, 'base = "base.toml"\ncolour = 1\n[grid]\n"lights.fill.stop" = [-1]\n'
                           '[sample]\ncount = 0\nmethod = "sobol"\n[sample.ranges]\n'
                           '"lights.fill.stops" = [-10, -1]\n"camera.framing" = [1, 2]\n"render.seed" = [0.5, 2]\n')
    text = caught.value.message()
    assert "colour: found an unknown key" in text
    assert "grid.lights.fill.stop: found an unknown spec field" in text and "did you mean lights.fill.stops" in text
    assert "sample.count: found 0" in text
    assert "sample.method: found 'sobol'" in text
    assert "sample.ranges.lights.fill.stops" in text and "-8 to 4 stops" in text
    assert "sample.ranges.render.seed" in text and "two whole numbers" in text
    assert len(caught.value.problems) == 6  # camera.framing = [1, 2] is two choices, checked per variant


def test_an_invalid_variant_is_reported_before_anything_renders(tmp_path):
    sweep = sweep_at(tmp_path, 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1, 99, 98]\n')
    with pytest.raises(SpecError) as caught:
        plan_sweep(sweep)
    text = caught.value.message()
    assert "variant 2 (lights.fill.stops=99)" in text
    assert "lights.fill.stops: found 99" in text and "-8 to 4" in text
    assert "2 invalid variants" in text


def test_a_sweep_file_needs_a_base_and_something_to_vary(tmp_path):
    with pytest.raises(SpecError) as caught:
        parse_sweep({}, tmp_path / "empty.toml")
    assert [p.path for p in caught.value.problems] == ["base"]
    with pytest.raises(SpecError) as caught:
        parse_sweep({"base": "base.toml"}, tmp_path / "empty.toml")
    assert [p.path for p in caught.value.problems] == ["(sweep)"]


_NO_BLENDER = "import sys; sys.modules['bpy'] = None; sys.modules['numpy'] = None; import runpy; "


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    code = _NO_BLENDER + "runpy.run_module('portrait_spec', run_name='__main__', alter_sys=True)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon"), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PORTRAIT_SPEC_WORKER", None)
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_sweep_command_exits_2_on_an_invalid_variant_and_writes_nothing(tmp_path):
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "bad.toml").write_text('base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1, 99]\n', encoding="utf-8")
    result = _cli("sweep", str(tmp_path / "bad.toml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "lights.fill.stops: found 99" in result.stderr
    assert not (tmp_path / "out").exists()
    result = _cli("sweep", str(tmp_path / "bad.toml"), "--out", str(tmp_path / "out"), "--set", "lights.fill.stops=1",
                  "--workers", "0")
    assert result.returncode == 2 and "--workers: found 0" in result.stderr


def test_the_sweep_command_refuses_a_folder_that_is_not_a_sweep(tmp_path):
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "ok.toml").write_text('base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1]\n', encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep", encoding="utf-8")
    result = _cli("sweep", str(tmp_path / "ok.toml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "holds no sweep" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["mine.txt"]


def test_without_blender_the_sweep_command_says_so_and_writes_nothing(tmp_path):
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "ok.toml").write_text('base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1]\n', encoding="utf-8")
    result = _cli("sweep", str(tmp_path / "ok.toml"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "needs Blender" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_shipped_sweeps_are_valid():
    grid = plan_sweep(read_sweep(ROOT / "scenes" / "sweeps" / "lighting_grid.toml"))
    assert len(grid.variants) == 9
    assert len({subject_key(v.spec) for v in grid.variants}) == 1  # light only: one sitter for all nine
    dataset = plan_sweep(read_sweep(ROOT / "scenes" / "sweeps" / "dataset.toml"))
    assert len(dataset.variants) == 200 and dataset.duplicates == 0


# ---------------------------------------------------------------- before any work: the folder and the cost

OK_SWEEP = 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1, -2]\n'


def test_the_sweep_command_refuses_an_out_it_cannot_write(tmp_path):
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "ok.toml").write_text(OK_SWEEP, encoding="utf-8")
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    result = _cli("sweep", str(tmp_path / "ok.toml"), "--out", str(blocker / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "--out" in result.stderr and "Not a directory" in result.stderr


def test_a_second_sweep_into_a_folder_being_written_is_refused(tmp_path):
    from portrait_spec.folder_lock import output_lock

    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "ok.toml").write_text(OK_SWEEP, encoding="utf-8")
    out = tmp_path / "out"
    with output_lock(out, "sweep"):  # the first sweep, still running
        result = _cli("sweep", str(tmp_path / "ok.toml"), "--out", str(out))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert f"--out: found '{out}' is being written by another sweep (process {os.getpid()})" in result.stderr
        assert [p.name for p in out.iterdir()] == [".portrait_spec.lock"]  # nothing of the second run's
    result = _cli("sweep", str(tmp_path / "ok.toml"), "--out", str(out))
    assert result.returncode == 1 and "needs Blender" in result.stderr  # free again: it gets as far as the workers
    assert list(out.iterdir()) == []  # and a run that stops there leaves nothing behind


def test_a_sweep_bigger_than_the_machine_is_refused_with_its_numbers(tmp_path):
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "ok.toml").write_text(OK_SWEEP, encoding="utf-8")
    out = tmp_path / "out"
    result = _cli("sweep", str(tmp_path / "ok.toml"), "--out", str(out), "--resolution", "16384x16384",
                  "--quality", "final")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "render.resolution" in result.stderr and " GB" in result.stderr and "--allow-large" in result.stderr
    assert "render.samples" in result.stderr and " of rendering on " in result.stderr
    assert not out.exists()
    allowed = _cli("sweep", str(tmp_path / "ok.toml"), "--out", str(out), "--resolution", "16384x16384",
                   "--quality", "final", "--allow-large")
    assert allowed.returncode == 1 and "needs Blender" in allowed.stderr  # past the cost check


def test_a_sweeps_memory_counts_every_worker_and_it_has_no_variant_limit():
    from portrait_spec.core.render_cost import BASE_BYTES, MAX_VARIANTS, Job, estimate, over_limits

    job = Job(width=1000, height=1000, samples=16, exr=False)
    one = estimate([job] * 3, cores=2)
    assert estimate([job] * 3, cores=2, concurrent=2).memory_bytes == 2 * one.memory_bytes > 2 * BASE_BYTES
    assert estimate([job], cores=2, concurrent=4).memory_bytes == one.memory_bytes  # one job: one render at once
    many = estimate([job] * (MAX_VARIANTS + 1), cores=2)
    assert [p.path for p in over_limits(many, None)] == ["--vary"]
    assert over_limits(many, None, max_variants=None) == []


@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf"])
def test_a_task_timeout_must_be_positive(tmp_path, value):
    (tmp_path / "base.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "ok.toml").write_text(OK_SWEEP, encoding="utf-8")
    result = _cli("sweep", str(tmp_path / "ok.toml"), "--out", str(tmp_path / "out"), "--task-timeout", value)
    assert result.returncode == 2 and "--task-timeout: found" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_the_sweep_file_sets_retries_and_a_task_timeout_the_command_line_overrides(tmp_path):
    from portrait_spec.sweep.run import DEFAULT_RETRIES, SweepOptions, with_file_defaults

    sweep = sweep_at(tmp_path, 'base = "base.toml"\nretries = 5\ntask_timeout = 90\n[grid]\n"lights.fill.stops" = [-1]\n')
    assert (sweep.retries, sweep.task_timeout) == (5, 90.0)
    from_file = with_file_defaults(SweepOptions(out=tmp_path / "out"), sweep)
    assert (from_file.retries, from_file.task_timeout) == (5, 90.0)
    given = with_file_defaults(SweepOptions(out=tmp_path / "out", retries=0, task_timeout=1.5), sweep)
    assert (given.retries, given.task_timeout) == (0, 1.5)
    plain = sweep_at(tmp_path, 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-1]\n')
    defaults = with_file_defaults(SweepOptions(out=tmp_path / "out"), plain)
    assert (defaults.retries, defaults.task_timeout) == (DEFAULT_RETRIES, None)


@pytest.mark.parametrize(("line", "named"), [
    ("retries = -1", "retries"), ("retries = 1.5", "retries"), ("retries = true", "retries"), ("retries = 101", "retries"),
    ("task_timeout = 0", "task_timeout"), ("task_timeout = -3.0", "task_timeout"), ("task_timeout = nan", "task_timeout"),
    ("task_timeout = inf", "task_timeout"), ('task_timeout = "10 min"', "task_timeout"), ("task_timeout = false", "task_timeout"),
])
def test_bad_retries_or_task_timeout_in_the_sweep_file_are_named(tmp_path, line, named):
    with pytest.raises(SpecError) as caught:
        sweep_at(tmp_path, f'base = "base.toml"\n{line}\n[grid]\n"lights.fill.stops" = [-1]\n')
    assert [p.path for p in caught.value.problems] == [named]
    assert f"{named}: found" in caught.value.message()
