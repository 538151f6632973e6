"""``python -m portrait_spec worker``: a long-lived Blender process that renders many variants.

Once bpy is imported it says ``READY``; then it reads one task per line (JSON) on stdin and
answers one result per line. Blender and Cycles print to the C-level stdout, so the answers go
to a private copy of the original stdout and file descriptor 1 is pointed at stderr before bpy
is imported: nothing Blender prints can break a line of the protocol. A task that raises is answered with its error and the next task starts
from a fresh scene; the process itself only ends at end of input, or when its parent dies (a
killed runner or Dask worker must not leave renders running that nobody will collect).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..core.schema import spec_from_data
from ..streams import private_stdout
from .cores import bind_from_environment
from .task import READY, RenderTask, SheetTask, TaskResult, file_records, task_from_json

if TYPE_CHECKING:
    from ..blender.api import SweepRenderer, VariantRender

PARENT_POLL_S = 0.5


def _watch_parent() -> None:
    """Exit at once when the parent process is gone (this process was re-parented)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(PARENT_POLL_S)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def render_task(renderer: SweepRenderer, task: RenderTask) -> TaskResult:
    from ..blender.api import MixJob

    for folder in (task.out, *(m.out for m in task.mixes)):
        shutil.rmtree(folder, ignore_errors=True)  # what an earlier, interrupted attempt left
    spec = spec_from_data(task.spec, f"variant {task.id}")
    mixes, unreadable = [], []
    for member in task.mixes:
        try:
            mixes.append(MixJob(name=member.id, spec=spec_from_data(member.spec, f"variant {member.id}"),
                                out_dir=Path(member.out), label=member.label))
        except Exception as exc:  # a spec this version cannot read fails that variant only
            unreadable.append(TaskResult(id=member.id, ok=False, error=f"{type(exc).__name__}: {exc}"))
    own, mixed = renderer.render_group(spec, Path(task.out), tuple(mixes), name=task.id,
                                       spec_dir=Path(task.spec_dir) if task.spec_dir else None,
                                       threads=task.threads, label=task.label)
    results = [_result(job.name, Path(job.out_dir), outcome) for job, outcome in zip(mixes, mixed, strict=True)]
    return dataclasses.replace(_result(task.id, Path(task.out), own), mixes=(*results, *unreadable))


def _result(name: str, out: Path, outcome: VariantRender | Exception) -> TaskResult:
    if isinstance(outcome, Exception):
        return TaskResult(id=name, ok=False, error=f"{type(outcome).__name__}: {outcome}")
    return TaskResult(id=name, ok=True, files=file_records(out), build_seconds=round(outcome.build_seconds, 3),
                      render_seconds=round(outcome.render_seconds, 3), sitter_reused=outcome.sitter_reused,
                      mixed_from=outcome.mixed_from)


def sheet_task(task: SheetTask) -> TaskResult:
    from ..blender.api import write_contact_sheet

    write_contact_sheet([(Path(image), label) for image, label in task.images], task.columns, Path(task.out))
    return TaskResult(id=Path(task.out).name, ok=True)


def serve(lines: IO[str], answers: IO[str]) -> int:
    from ..blender.api import SweepRenderer

    renderer = SweepRenderer()
    answers.write(READY + "\n")  # the runner's timeouts start once Blender is up
    answers.flush()
    for line in lines:
        if not line.strip():
            continue
        task = task_from_json(line)
        try:
            result = render_task(renderer, task) if isinstance(task, RenderTask) else sheet_task(task)
        except Exception as exc:  # recorded per variant; the worker goes on with the next task
            traceback.print_exc(file=sys.stderr)
            renderer.reset()
            name = task.id if isinstance(task, RenderTask) else Path(task.out).name
            result = TaskResult(id=name, ok=False, error=f"{type(exc).__name__}: {exc}")
        answers.write(result.to_json() + "\n")
        answers.flush()
    return 0


def main() -> int:
    held = bind_from_environment()  # first: bpy's threads inherit the binding
    _watch_parent()
    answers = private_stdout()
    try:
        return serve(sys.stdin, answers)
    finally:
        if held is not None:
            held.lock.close()
