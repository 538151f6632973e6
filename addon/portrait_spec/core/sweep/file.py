"""Reading a sweep file: a base spec and how to vary it.

::

    base = "../seed_portrait.toml"          # required, relative to this file
    set = ["render.resolution=[256, 320]"]  # optional --set overrides of the base

    [grid]                                  # optional: every combination, first axis slowest
    "lights.fill.stops" = [-1, -2, -3]      # a list of values per field
    "lights.key.azimuth_deg" = [30, 45, 60]

    [sample]                                # optional
    method = "latin_hypercube"              # or "random"
    count = 100
    seed = 7
    [sample.ranges]                         # see axes.py for the forms
    "lights.key.azimuth_deg" = [20, 70]
    "background.color" = { choices = ["#FF0080", [0, 177, 64]] }

    retries = 2                             # optional: attempts after a variant fails
    task_timeout = 900                      # optional: seconds a variant may take
    mix_lights = true                       # optional: sum fill and rim levels from one render (mix.py)

``retries`` and ``task_timeout`` belong to the sweep (a dataset's variants and the time each
may take), so they live in the file; ``--retries`` and ``--task-timeout`` override them.

Field paths may be written quoted (``"lights.fill.stops"``) or as TOML dotted keys and tables
(``[grid.lights.fill] stops = [...]``); both name the same field. With both a grid and samples,
every grid point gets every sample. Every problem is reported at once, each with its place in
the file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, SpecError
from ..toml_io import read_toml_data
from .axes import AXIS_KEYS, Axis, check_path, parse_axis
from .sampling import METHODS, Method

TOP_KEYS = ("base", "set", "grid", "sample", "retries", "task_timeout", "mix_lights")
SAMPLE_KEYS = ("method", "count", "seed", "ranges")
MAX_VARIANTS = 1_000_000
MAX_RETRIES = 100


@dataclass(frozen=True)
class Sampling:
    method: Method
    count: int
    seed: int
    axes: tuple[Axis, ...]


@dataclass(frozen=True, kw_only=True)
class SweepFile:
    source: Path
    base: Path
    overrides: tuple[str, ...]
    grid: tuple[tuple[str, tuple[Any, ...]], ...]  # (field path, values) per axis, in file order
    sampling: Sampling | None
    retries: int | None = None  # None: the runner's default (``--retries``)
    task_timeout: float | None = None  # seconds; None: no limit unless ``--task-timeout``
    mix_lights: bool = False  # variants differing only in fill and rim levels mixed from one render


def _leaves(table: dict[str, Any], prefix: str, *, is_leaf: Any) -> list[tuple[str, Any]]:
    """Flatten TOML tables into (dotted path, value) until ``is_leaf`` says stop."""
    found: list[tuple[str, Any]] = []
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not is_leaf(value):
            found += _leaves(value, f"{path}.", is_leaf=is_leaf)
        else:
            found.append((path, value))
    return found


def _is_axis_table(value: dict[str, Any]) -> bool:
    return any(k in value for k in AXIS_KEYS)


def _whole(raw: object, lo: int, hi: int) -> bool:
    return isinstance(raw, int) and not isinstance(raw, bool) and lo <= raw <= hi


def parse_sweep(data: dict[str, Any], source: Path) -> SweepFile:
    problems: list[Problem] = []
    for key in data:
        if key not in TOP_KEYS:
            problems.append(Problem(key, "an unknown key", "one of " + ", ".join(TOP_KEYS)))
    base = data.get("base")
    if not isinstance(base, str) or not base:
        problems.append(Problem("base", repr(base) if base is not None else "nothing", "the path of a .toml scene spec"))
    overrides = data.get("set", [])
    if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
        problems.append(Problem("set", repr(overrides), 'a list of "dotted.path=value" strings'))
        overrides = []

    grid: list[tuple[str, tuple[Any, ...]]] = []
    raw_grid = data.get("grid", {})
    if not isinstance(raw_grid, dict):
        problems.append(Problem("grid", repr(raw_grid), "a table of field = [values]"))
        raw_grid = {}
    for path, values in _leaves(raw_grid, "", is_leaf=lambda _v: False):
        bad = check_path(path, "grid")
        if bad is not None:
            problems.append(bad)
        elif not isinstance(values, list) or not values:
            problems.append(Problem(f"grid.{path}", repr(values), "a non-empty list of values"))
        else:
            grid.append((path, tuple(values)))

    sampling: Sampling | None = None
    raw_sample = data.get("sample")
    if raw_sample is not None:
        sampling = _parse_sampling(raw_sample, problems)
    if not grid and sampling is None and not problems:
        problems.append(Problem("(sweep)", "neither [grid] nor [sample]", "at least one of them"))
    count = 1
    for _, values in grid:
        count *= len(values)
    count *= sampling.count if sampling is not None else 1
    if count > MAX_VARIANTS:
        problems.append(Problem("(sweep)", f"{count} variants", f"at most {MAX_VARIANTS:,}"))
    retries, task_timeout = data.get("retries"), data.get("task_timeout")
    if retries is not None and not _whole(retries, 0, MAX_RETRIES):
        problems.append(Problem("retries", repr(retries), f"a whole number from 0 to {MAX_RETRIES}"))
    if task_timeout is not None and not is_seconds(task_timeout):
        problems.append(Problem("task_timeout", repr(task_timeout), "a finite number of seconds above 0"))
    mix_lights = data.get("mix_lights", False)
    if not isinstance(mix_lights, bool):
        problems.append(Problem("mix_lights", repr(mix_lights), "true or false"))
    if problems:
        raise SpecError(problems, str(source))
    assert isinstance(base, str)
    return SweepFile(source=source, base=(source.parent / base).resolve(), overrides=tuple(overrides),
                     grid=tuple(grid), sampling=sampling, retries=retries,
                     task_timeout=float(task_timeout) if task_timeout is not None else None,
                     mix_lights=mix_lights is True)


def is_seconds(raw: object) -> bool:
    """A time limit: a finite number of seconds above 0 (the file's ``task_timeout`` and
    ``--task-timeout``)."""
    return isinstance(raw, int | float) and not isinstance(raw, bool) and math.isfinite(raw) and raw > 0


def _parse_sampling(raw: object, problems: list[Problem]) -> Sampling | None:
    if not isinstance(raw, dict):
        problems.append(Problem("sample", repr(raw), "a table with method, count, seed and ranges"))
        return None
    start = len(problems)
    for key in raw:
        if key not in SAMPLE_KEYS:
            problems.append(Problem(f"sample.{key}", "an unknown key", "one of " + ", ".join(SAMPLE_KEYS)))
    method = raw.get("method", "latin_hypercube")
    if method not in METHODS:
        problems.append(Problem("sample.method", repr(method), "one of " + ", ".join(repr(m) for m in METHODS)))
    count, seed = raw.get("count"), raw.get("seed", 0)
    if not _whole(count, 1, MAX_VARIANTS):
        problems.append(Problem("sample.count", repr(count), f"a whole number from 1 to {MAX_VARIANTS}"))
    if not _whole(seed, 0, 2**63 - 1):
        problems.append(Problem("sample.seed", repr(seed), "a whole number of at least 0"))
    ranges = raw.get("ranges")
    axes: list[Axis] = []
    if not isinstance(ranges, dict) or not ranges:
        problems.append(Problem("sample.ranges", repr(ranges) if ranges is not None else "nothing",
                                "a table of field = range or { choices = [...] }"))
    else:
        for path, spec in _leaves(ranges, "", is_leaf=_is_axis_table):
            bad = check_path(path, "sample.ranges")
            if bad is not None:
                problems.append(bad)
                continue
            axis, found = parse_axis(path, spec, "sample.ranges")
            problems += found
            if axis is not None:
                axes.append(axis)
    if len(problems) > start:
        return None
    return Sampling(method=method, count=int(count), seed=int(seed), axes=tuple(axes))  # type: ignore[arg-type]


def read_sweep(path: str | Path) -> SweepFile:
    """Load and check a sweep file; raises SpecError naming every problem."""
    path = Path(path).resolve()
    return parse_sweep(read_toml_data(path), path)
