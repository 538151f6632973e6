"""``--scheduler tcp://HOST:PORT``: the same tasks on a Dask distributed cluster.

The runner (a Dask client) submits one task per variant; a Dask worker runs ``run_task``, which
hands the task to a Blender worker process of its own (``process.WorkerProcess``, one per Dask
worker thread, kept between tasks so variants that share a sitter reuse it as on one machine).
The render therefore runs in its own process: a Blender crash fails that one task (recorded and
retried by the runner), never the Dask worker. A Dask worker that dies mid-task (killed, lost
machine) has its task re-run elsewhere by the scheduler, and its Blender process, re-parented,
exits at once. Workers must see the sweep folder at the same path (a shared file system) and
import ``portrait_spec`` with bpy (start ``dask worker`` from the bpy wheel's Python).

Cycles threads on a worker: the runner's ``--threads`` if given, else ``PORTRAIT_SPEC_THREADS``
on the worker, else the machine's cores divided by that Dask worker's threads.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path
from typing import Any

from .local import machine_cores
from .process import WorkerDied, WorkerProcess
from .task import RenderTask, SheetTask, TaskResult, task_from_json, task_to_json

THREADS_ENV = "PORTRAIT_SPEC_THREADS"

_processes: dict[int, WorkerProcess] = {}
_processes_lock = threading.Lock()


def _process_for_this_thread(log_dir: Path, threads: int) -> WorkerProcess:
    """This Dask worker thread's Blender process, bound to ``threads`` cores of its own (those
    of its first task: a process keeps its binding)."""
    with _processes_lock:
        ident = threading.get_ident()
        if ident not in _processes:
            log = log_dir / f"dask-{os.uname().nodename}-{os.getpid()}-{len(_processes) + 1}.log"
            _processes[ident] = WorkerProcess(log, threads)
        return _processes[ident]


def _threads_here() -> int:
    if os.environ.get(THREADS_ENV, "").isdigit():
        return max(1, int(os.environ[THREADS_ENV]))
    from distributed import get_worker

    return max(1, machine_cores() // max(1, get_worker().state.nthreads))


def run_task(task_json: str, log_dir: str) -> str:
    """Runs on a Dask worker: the task in this thread's Blender worker process."""
    task = task_from_json(task_json)
    if isinstance(task, RenderTask) and task.threads == 0:
        task = dataclasses.replace(task, threads=_threads_here())
    name = task.id if isinstance(task, RenderTask) else Path(task.out).name
    try:
        threads = task.threads if isinstance(task, RenderTask) else _threads_here()
        return _process_for_this_thread(Path(log_dir), threads).call(task).to_json()
    except WorkerDied as exc:
        return TaskResult(id=name, ok=False, error=str(exc)).to_json()


class DaskPool:
    def __init__(self, address: str, log_dir: Path, timeout_s: float = 30.0) -> None:
        from distributed import Client, as_completed

        self.client = Client(address, timeout=timeout_s, set_as_default=False)
        self.log_dir = log_dir
        self._done: Any = as_completed(loop=self.client.loop)
        self._tasks: dict[str, RenderTask] = {}

    @property
    def slots(self) -> int:
        workers = self.client.scheduler_info()["workers"].values()
        return max(1, sum(int(w.get("nthreads", 1)) for w in workers))

    def submit(self, task: RenderTask) -> None:
        key = f"portrait-spec-{task.id}-{task.attempt}"
        future = self.client.submit(run_task, task_to_json(task), str(self.log_dir), key=key, pure=False)
        self._tasks[future.key] = task
        self._done.add(future)

    def next_result(self) -> TaskResult:
        future = next(self._done)
        task = self._tasks.pop(future.key)
        try:
            return TaskResult.from_json(future.result())
        except Exception as exc:  # e.g. KilledWorker: the task killed every worker it ran on
            return TaskResult(id=task.id, ok=False, error=f"{type(exc).__name__}: {exc}")
        finally:
            future.release()

    def run_sheet(self, task: SheetTask) -> TaskResult:
        future = self.client.submit(run_task, task_to_json(task), str(self.log_dir), pure=False)
        try:
            return TaskResult.from_json(future.result())
        except Exception as exc:
            return TaskResult(id=Path(task.out).name, ok=False, error=f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        self.client.close()
