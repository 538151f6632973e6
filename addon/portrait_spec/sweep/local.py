"""The embedded engine: a pool of long-lived worker processes on this machine.

Each pool thread owns one ``WorkerProcess`` and feeds it tasks from a shared queue, so a worker
renders many variants in one Blender (the runner sorts the variants so that those sharing a
sitter come one after another). Cycles in each worker gets ``cores // workers`` threads, so the
machine's cores are used without oversubscription.
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path

from .process import WorkerDied, WorkerProcess
from .task import RenderTask, SheetTask, TaskResult

_STOP = None


def machine_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class LocalPool:
    def __init__(self, workers: int, log_dir: Path, threads: int = 0) -> None:
        self.slots = max(1, workers)
        self._tasks: queue.Queue[RenderTask | None] = queue.Queue()
        self._results: queue.Queue[TaskResult] = queue.Queue()
        self._workers = [WorkerProcess(log_dir / f"worker-{i + 1}.log", threads) for i in range(self.slots)]
        self._threads = [threading.Thread(target=self._serve, args=(w,), name=f"sweep-worker-{i + 1}", daemon=True)
                         for i, w in enumerate(self._workers)]
        for thread in self._threads:
            thread.start()

    def _serve(self, worker: WorkerProcess) -> None:
        while (task := self._tasks.get()) is not _STOP:
            try:
                result = worker.call(task)
            except WorkerDied as exc:
                result = TaskResult(id=task.id, ok=False, error=str(exc))
            except Exception as exc:  # e.g. the worker command cannot start: fail the task, not the pool
                result = TaskResult(id=task.id, ok=False, error=f"{type(exc).__name__}: {exc}")
            self._results.put(result)

    def submit(self, task: RenderTask) -> None:
        self._tasks.put(task)

    def next_result(self) -> TaskResult:
        return self._results.get()

    def run_sheet(self, task: SheetTask) -> TaskResult:
        """On the first worker's process, between renders (called when no render is queued)."""
        try:
            return self._workers[0].call(task)
        except WorkerDied as exc:
            return TaskResult(id=Path(task.out).name, ok=False, error=str(exc))

    def worker_pids(self) -> list[int]:
        return [pid for w in self._workers if (pid := w.pid) is not None]

    def close(self) -> None:
        while True:  # tasks not started yet are dropped (an interrupted sweep leaves them for the next run)
            try:
                self._tasks.get_nowait()
            except queue.Empty:
                break
        for _ in self._threads:
            self._tasks.put(_STOP)
        for thread in self._threads:
            thread.join()
        for worker in self._workers:
            worker.close()
