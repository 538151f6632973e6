"""Sweep workers bound to cores of their own (``sweep.cores``): two 1-thread workers on a core
each, a worker with every core's threads not bound. Why it matters (Blender 4.5's TBB spinning
on the cores a render leaves free) is in ``sweep/cores.py``; ``bench/sweep.py`` measures it."""

from __future__ import annotations

import os

import numpy as np

from portrait_spec.blender.measure.image_files import write_png
from portrait_spec.sweep.process import WorkerProcess
from portrait_spec.sweep.task import SheetTask


def allowed_cores(pid: int) -> set[int]:
    return os.sched_getaffinity(pid)


def test_one_thread_workers_each_run_on_a_core_of_their_own(tmp_path):
    cores = os.sched_getaffinity(0)
    assert len(cores) >= 2  # CI's machine has 2
    image = tmp_path / "cell.png"
    write_png(image, np.zeros((8, 8, 3), dtype=np.uint8))
    workers = [WorkerProcess(tmp_path / f"w{i}.log", threads) for i, threads in enumerate((1, 1, 0))]
    try:
        for i, worker in enumerate(workers):  # a contact sheet starts each process
            result = worker.call(SheetTask(images=((str(image), ("x",)),), columns=1, out=str(tmp_path / f"sheet{i}.png")))
            assert result.ok, result.error
        bound = [allowed_cores(worker.pid) for worker in workers if worker.pid is not None]
        assert len(bound[0]) == len(bound[1]) == 1 and bound[0] != bound[1]
        assert bound[2] == cores
    finally:
        for worker in workers:
            worker.close()
    # once they are gone their cores are free again: two new ones are bound as the first were
    again = [WorkerProcess(tmp_path / f"again{i}.log", 1) for i in range(2)]
    try:
        for i, worker in enumerate(again):
            worker.call(SheetTask(images=((str(image), ("x",)),), columns=1, out=str(tmp_path / f"again{i}.png")))
        assert [allowed_cores(worker.pid) for worker in again if worker.pid is not None] == bound[:2]
    finally:
        for worker in again:
            worker.close()
