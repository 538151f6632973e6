"""``portrait_spec sweep``: plan the variants, render what is missing, keep the dataset whole.

The sweep folder::

    DIR/manifest.jsonl          one line per variant outcome (manifest.py)
    DIR/sweep.json              this run's plan: sweep file, overrides, every variant's id and overrides
    DIR/variants/<id>/          reference.png, depth.png, depth_metric.png, normal.png, mask.png,
                                prompt.txt, prompts.json, scene.json (exactly what ``render`` writes)
    DIR/contact_sheet.png       the plan's finished variants, labelled (contact_sheet-001.png, ... per page)
    DIR/logs/                   each worker's stderr

A variant renders into a hidden ``variants/.partial-<id>-<attempt>`` folder, which is renamed to
``variants/<id>`` only when every file is in it; then its manifest line is appended. So a
variant folder is whole or absent, and a killed sweep, run again, skips every id the manifest
records as done (or whose folder is whole: killed between the rename and the line) and renders
only the rest. A failed variant is retried ``--retries`` times (else the sweep file's
``retries``), then recorded with its error; a later run tries it again; a variant that runs
longer than ``--task-timeout`` (else the sweep file's ``task_timeout``) has its worker killed and
counts as failed. Nothing finished is rewritten. With ``mix_lights`` a task is a group of
variants (``core.sweep.mix``): the first rendered, the others mixed from it, each with its own
folder, manifest line and outcome; a failed one is retried on its own.

Before any work, as for ``render``: the run's cost (``core.render_cost``: the variants still to
render, each worker's render in memory at once) must fit this machine unless ``--allow-large``
(a Dask sweep renders elsewhere, so only its own workers can tell), and ``DIR`` is locked for the
run (``folder_lock``: a second sweep into it is refused with exit 2, an unwritable one too).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from ..core.errors import Problem, SpecError
from ..core.prompt import build_prompts
from ..core.render_cost import estimate, job_for, machine_memory_bytes, over_limits
from ..core.schema import spec_to_data
from ..core.sweep.expand import Plan, PlannedVariant, plan_sweep, render_overrides
from ..core.sweep.file import SweepFile, is_seconds, read_sweep
from ..core.sweep.identity import subject_key
from ..core.sweep.mix import mix_groups
from ..folder_lock import LOCK_NAME, output_lock
from .local import LocalPool, machine_cores
from .manifest import FORMAT, MANIFEST, Manifest, read_manifest
from .process import worker_command
from .progress import SweepProgress
from .task import MixMember, RenderTask, SheetTask, TaskResult, file_records

VARIANTS = "variants"
LOGS = "logs"
SWEEP_JSON = "sweep.json"
PARTIAL_PREFIX = ".partial-"
SHEET_STEM = "contact_sheet"
SCENE_JSON = "scene.json"
REFERENCE_PNG = "reference.png"
DEFAULT_SHEET_PAGE = 64
DEFAULT_RETRIES = 2
MAX_DEFAULT_WORKERS = 4


class Pool(Protocol):
    @property
    def slots(self) -> int: ...
    def submit(self, task: RenderTask) -> None: ...
    def next_result(self) -> TaskResult: ...
    def run_sheet(self, task: SheetTask) -> TaskResult: ...
    def close(self) -> None: ...


@dataclass(frozen=True, kw_only=True)
class SweepOptions:
    out: Path
    overrides: tuple[str, ...] = ()
    quality: str | None = None
    resolution: tuple[int, int] | None = None
    samples: int | None = None
    workers: int | None = None  # local pool size (default: the cores, at most 4)
    threads: int | None = None  # Cycles threads per render (default: cores // workers)
    scheduler: str | None = None  # tcp://HOST:PORT of a Dask scheduler
    retries: int | None = None  # None: the sweep file's, else DEFAULT_RETRIES
    sheet_page: int = DEFAULT_SHEET_PAGE
    task_timeout: float | None = None  # seconds a variant may take before its worker is killed (None: the sweep file's)
    allow_large: bool = False  # render even when the cost estimate exceeds this machine


@dataclass(frozen=True, kw_only=True)
class SweepSummary:
    planned: int
    duplicates: int
    already_done: int
    adopted: int
    rendered: int
    failed: int
    sheets: tuple[Path, ...]
    seconds: float


def check_options(options: SweepOptions) -> None:
    problems = []
    if options.workers is not None and options.workers < 1:
        problems.append(Problem("--workers", str(options.workers), "a whole number of at least 1"))
    if options.threads is not None and options.threads < 1:
        problems.append(Problem("--threads", str(options.threads), "a whole number of at least 1"))
    if options.retries is not None and options.retries < 0:
        problems.append(Problem("--retries", str(options.retries), "a whole number of at least 0"))
    if options.samples is not None and options.samples < 1:
        problems.append(Problem("--samples", str(options.samples), "a whole number of at least 1"))
    if options.task_timeout is not None and not is_seconds(options.task_timeout):
        problems.append(Problem("--task-timeout", str(options.task_timeout), "a finite number of seconds above 0"))
    if options.sheet_page < 1:
        problems.append(Problem("--sheet-page", str(options.sheet_page), "a whole number of at least 1"))
    if options.scheduler is not None and "://" not in options.scheduler:
        problems.append(Problem("--scheduler", repr(options.scheduler), "a Dask scheduler address, e.g. tcp://10.0.0.5:8786"))
    out = options.out
    if out.exists() and not out.is_dir():
        problems.append(Problem("--out", f"{str(out)!r} is a file", "a new folder or a sweep folder to resume"))
    elif (out.is_dir() and any(p.name != LOCK_NAME for p in out.iterdir()) and not (out / MANIFEST).exists()
          and not (out / SWEEP_JSON).exists()):  # a running sweep's lock alone: the lock says it is busy
        problems.append(Problem("--out", f"{str(out)!r} is not empty and holds no sweep",
                                "a new or empty folder, or a sweep folder to resume"))
    if problems:
        raise SpecError(problems)


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes it private; the plan is as readable as the renders
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_partials(variants: Path) -> None:
    for entry in variants.glob(f"{PARTIAL_PREFIX}*"):
        shutil.rmtree(entry, ignore_errors=True)


def _entry(variant: PlannedVariant, status: str, attempts: int) -> dict[str, Any]:
    bundle = build_prompts(variant.spec).to_data()
    claims = bundle.pop("claims")
    return {"format": FORMAT, "id": variant.id, "status": status, "attempts": attempts,
            "overrides": list(variant.overrides), "spec": spec_to_data(variant.spec), "prompts": bundle, "claims": claims}


def done_entry(variant: PlannedVariant, out: Path, attempts: int, result: TaskResult | None) -> dict[str, Any]:
    """The manifest line of a variant whose folder is in place (``result`` None: adopted)."""
    folder = out / VARIANTS / variant.id
    scene = json.loads((folder / SCENE_JSON).read_text(encoding="utf-8"))
    files = file_records(folder, relative_to=out)
    timing = None if result is None else {"build_s": result.build_seconds, "render_s": result.render_seconds,
                                          "sitter_reused": result.sitter_reused, "mixed_from": result.mixed_from}
    return {**_entry(variant, "done", attempts),
            "outputs": {Path(f.path).name: {"path": f.path, "sha256": f.sha256, "bytes": f.bytes} for f in files},
            "render": scene.get("render"), "timing": timing,
            "worker": result.worker if result is not None else None,
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "error": None}


def failed_entry(variant: PlannedVariant, attempts: int, result: TaskResult) -> dict[str, Any]:
    return {**_entry(variant, "failed", attempts), "outputs": {}, "render": None, "timing": None,
            "worker": result.worker, "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "error": result.error}


def _outcomes(task: RenderTask, result: TaskResult) -> list[tuple[str, Path, TaskResult]]:
    """(variant id, its partial folder, its result) for every variant of ``task``: a member the
    worker did not reach (its render failed, the worker died) fails with the task's error."""
    reached = {m.id: m for m in result.mixes}
    missing = f"not mixed: {result.error}" if not result.ok else "not mixed: the worker gave no result for it"
    return [(task.id, Path(task.out), result)] + [
        (m.id, Path(m.out), reached.get(m.id) or TaskResult(id=m.id, ok=False, error=missing, worker=result.worker))
        for m in task.mixes]


def _columns(sweep: SweepFile, count: int) -> int:
    """A grid of two or more axes: a row per value of the others (as ``render --vary``); else 8 across."""
    if sweep.sampling is None and len(sweep.grid) >= 2:
        return len(sweep.grid[-1][1])
    return min(count, 8)


def _sheet_tasks(sweep: SweepFile, plan: Plan, out: Path, done: set[str], page: int) -> list[SheetTask]:
    finished = [v for v in plan.variants if v.id in done]
    pages = [finished[i:i + page] for i in range(0, len(finished), page)]
    tasks = []
    for number, variants in enumerate(pages, start=1):
        name = f"{SHEET_STEM}.png" if len(pages) == 1 else f"{SHEET_STEM}-{number:03d}.png"
        images = tuple((str(out / VARIANTS / v.id / REFERENCE_PNG), v.overrides or (v.id,)) for v in variants)
        tasks.append(SheetTask(images=images, columns=_columns(sweep, len(variants)), out=str(out / name)))
    return tasks


def _plan_json(sweep: SweepFile, plan: Plan, options: SweepOptions, render: list[str]) -> str:
    return json.dumps({
        "format": "portrait_spec.sweep-plan/1", "sweep_file": str(sweep.source), "base": str(sweep.base),
        "overrides": [*sweep.overrides, *options.overrides], "render_overrides": render,
        "duplicates": plan.duplicates,
        "variants": [{"id": v.id, "overrides": list(v.overrides)} for v in plan.variants],
    }, indent=1, ensure_ascii=False) + "\n"


def local_sizes(options: SweepOptions) -> tuple[int, int]:
    """The local pool's worker processes and each render's Cycles threads."""
    cores = machine_cores()
    workers = options.workers or min(cores, MAX_DEFAULT_WORKERS)
    return workers, options.threads or max(1, cores // workers)


def open_pool(options: SweepOptions) -> tuple[Pool, int]:
    """The engine and the Cycles threads each render gets (0: the Dask worker decides)."""
    logs = (options.out / LOGS).resolve()
    if options.scheduler is not None:
        from .cluster import DaskPool

        return DaskPool(options.scheduler, logs), options.threads or 0
    workers, threads = local_sizes(options)
    return LocalPool(workers, logs, threads), threads


def check_cost(variants: list[PlannedVariant], options: SweepOptions) -> None:
    """Refuse (SpecError, exit 2) a local sweep whose variants to render exceed this machine:
    each worker's render in memory at once, and the total time on the cores the pool uses. No
    variant limit: a dataset is meant to be large, and the time limit bounds it."""
    if options.allow_large or options.scheduler is not None or not variants:
        return
    workers, threads = local_sizes(options)
    cost = estimate([job_for(v.spec) for v in variants], min(machine_cores(), workers * threads), concurrent=workers)
    problems = over_limits(cost, machine_memory_bytes(), max_variants=None)
    if problems:
        raise SpecError(problems)


def _adopt(plan: Plan, out: Path, manifest: Manifest, done: set[str], attempts: dict[str, int]) -> int:
    """Record whole variant folders whose manifest line a killed run never wrote (the rename
    happened, the append did not); returns how many."""
    adopted = 0
    for variant in plan.variants:
        if variant.id not in done and (out / VARIANTS / variant.id / SCENE_JSON).is_file():
            manifest.append(done_entry(variant, out, attempts.get(variant.id, 0), None))
            done.add(variant.id)
            adopted += 1
    return adopted


def with_file_defaults(options: SweepOptions, sweep: SweepFile) -> SweepOptions:
    """The command line's ``--retries`` and ``--task-timeout``, else the sweep file's, else the defaults."""
    retries = options.retries if options.retries is not None else sweep.retries
    return dataclasses.replace(options, retries=DEFAULT_RETRIES if retries is None else retries,
                               task_timeout=options.task_timeout if options.task_timeout is not None else sweep.task_timeout)


def run_sweep(sweep_path: Path, options: SweepOptions, stream: IO[str] | None = None) -> SweepSummary:
    """Render every variant of the sweep not yet done into ``options.out``."""
    started = time.monotonic()
    check_options(options)
    sweep = read_sweep(sweep_path)
    options = with_file_defaults(options, sweep)
    render = render_overrides(options.quality, options.resolution, options.samples)
    plan = plan_sweep(sweep, list(options.overrides), render)  # every variant valid, or nothing starts
    out = options.out.resolve()
    finished = {vid for vid, e in read_manifest(out / MANIFEST).items() if e.get("status") == "done"}
    check_cost([v for v in plan.variants if v.id not in finished], options)
    with output_lock(out, "sweep"):
        if options.scheduler is None:
            worker_command()  # this machine can start a Blender worker, or nothing is written
        return _run_locked(sweep, plan, options, render, out, started, stream)


def _run_locked(sweep: SweepFile, plan: Plan, options: SweepOptions, render: list[str], out: Path, started: float,
                stream: IO[str] | None) -> SweepSummary:
    variants_dir = out / VARIANTS
    variants_dir.mkdir(parents=True, exist_ok=True)
    _remove_partials(variants_dir)
    manifest = Manifest(out / MANIFEST)
    entries = manifest.entries()
    _write_atomic(out / SWEEP_JSON, _plan_json(sweep, plan, options, render))

    done = {vid for vid, e in entries.items() if e.get("status") == "done"}
    already_done = sum(1 for v in plan.variants if v.id in done)
    attempts = {vid: int(e.get("attempts", 0)) for vid, e in entries.items()}
    adopted = _adopt(plan, out, manifest, done, attempts)
    spec_dir = str(sweep.base.parent)
    todo = [v for v in plan.variants if v.id not in done]
    todo.sort(key=lambda v: subject_key(v.spec, spec_dir))  # stable: a worker keeps one sitter for a run of variants
    progress = SweepProgress(len(plan.variants), already_done + adopted, stream)
    progress.say(f"sweep: {len(plan.variants)} variants ({plan.duplicates} duplicates dropped), "
                 f"{already_done + adopted} already done, {len(todo)} to render")
    by_id = {v.id: v for v in plan.variants}
    rendered = failed = 0
    sheets: list[Path] = []
    pool, threads = open_pool(options)
    try:
        def task(variant: PlannedVariant, attempt: int, mixes: Sequence[PlannedVariant] = ()) -> RenderTask:
            def partial(v: PlannedVariant) -> str:
                return str(variants_dir / f"{PARTIAL_PREFIX}{v.id}-{attempt}")

            return RenderTask(id=variant.id, spec=spec_to_data(variant.spec), spec_dir=spec_dir, out=partial(variant),
                              threads=threads, label=variant.overrides, attempt=attempt,
                              timeout_s=options.task_timeout or 0.0,
                              mixes=tuple(MixMember(id=m.id, spec=spec_to_data(m.spec), out=partial(m), label=m.overrides)
                                          for m in mixes))

        groups = mix_groups(todo) if sweep.mix_lights else [[v] for v in todo]
        queue = deque(task(group[0], 1, group[1:]) for group in groups)
        in_flight: dict[str, RenderTask] = {}
        window = max(2 * pool.slots, 4)
        while queue or in_flight:
            while queue and len(in_flight) < window:
                sent = queue.popleft()
                pool.submit(sent)
                in_flight[sent.id] = sent
            result = pool.next_result()
            finished = in_flight.pop(result.id)
            for vid, partial, outcome in _outcomes(finished, result):
                variant = by_id[vid]
                tries = finished.attempt
                total_attempts = attempts.get(variant.id, 0) + tries
                if outcome.ok:
                    final = variants_dir / variant.id
                    if final.exists():  # never replace a finished folder
                        shutil.rmtree(partial, ignore_errors=True)
                    else:
                        os.rename(partial, final)
                    manifest.append(done_entry(variant, out, total_attempts, outcome))
                    done.add(variant.id)
                    rendered += 1
                    progress.variant_done()
                elif tries <= (options.retries or 0):  # set by with_file_defaults
                    shutil.rmtree(partial, ignore_errors=True)
                    progress.say(f"variant {variant.id} failed (attempt {tries}), retrying: {outcome.error}")
                    queue.append(task(variant, tries + 1))  # on its own: its group's render may be what failed
                else:
                    shutil.rmtree(partial, ignore_errors=True)
                    manifest.append(failed_entry(variant, total_attempts, outcome))
                    failed += 1
                    progress.variant_failed()
                    progress.say(f"variant {variant.id} failed after {tries} attempts: {outcome.error}")
        progress.end()
        for sheet in _sheet_tasks(sweep, plan, out, done, options.sheet_page):
            made = pool.run_sheet(sheet)
            if made.ok:
                sheets.append(Path(sheet.out))
            else:
                progress.say(f"contact sheet {Path(sheet.out).name} failed: {made.error}")
    finally:
        pool.close()
    return SweepSummary(planned=len(plan.variants), duplicates=plan.duplicates, already_done=already_done,
                        adopted=adopted, rendered=rendered, failed=failed, sheets=tuple(sheets),
                        seconds=time.monotonic() - started)

