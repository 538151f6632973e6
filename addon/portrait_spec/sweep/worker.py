"""``python -m portrait_spec worker``: a long-lived Blender process that renders many variants.

Once bpy is imported it says ``READY``; then it reads one task per line (JSON) on stdin and
answers one result per line. Blender and Cycles print to the C-level stdout, so the answers go
to a private copy of the original stdout and file descriptor 1 is pointed at stderr before bpy
is imported: nothing Blender prints can break a line of the protocol. A task that raises is answered with its error and the next task starts
from a fresh scene; the process itself only ends at end of input, or when its parent dies (a
killed runner or Dask worker must not leave renders running that nobody will collect).
"""

from __future__ import annotations

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
    from ..blender.api import SweepRenderer

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
    out = Path(task.out)
    shutil.rmtree(out, ignore_errors=True)  # what an earlier, interrupted attempt left
    spec = spec_from_data(task.spec, f"variant {task.id}")
    rendered = renderer.render(spec, out, spec_dir=Path(task.spec_dir) if task.spec_dir else None,
                               threads=task.threads, label=task.label)
    return TaskResult(id=task.id, ok=True, files=file_records(out), build_seconds=round(rendered.build_seconds, 3),
                      render_seconds=round(rendered.render_seconds, 3), sitter_reused=rendered.sitter_reused)


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
