"""Which cores a sweep worker's Blender process runs on: its own ``threads`` of them, not shared
with the machine's other workers.

Why: while Cycles renders with fewer threads than the process may use, Blender 4.5's TBB keeps
its spare worker threads spinning in ``sched_yield`` (measured here: a 1-thread render of the
default cube takes 1.98 cores; Blender 5.3 does not). Two 1-thread workers on 2 cores then run
each render at half speed, and two Dask workers gave 0.97x the throughput of one. A process
bound to ``threads`` cores before bpy is imported starts TBB with no spare thread (TBB sizes its
pool from the affinity mask).

A worker claims slot k (cores k*threads .. (k+1)*threads - 1 of those it may use) by an
exclusive ``flock`` on a file per slot in the temp folder, held for the process's life and
released by the kernel when it ends however it ends; so local pools and Dask workers on one
machine take different cores. With no slot free (more workers than cores) it is not bound.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ENV = "PORTRAIT_SPEC_WORKER_CORES"  # the parent's ``threads`` for this worker process
LOCKS = Path(tempfile.gettempdir()) / f"portrait_spec-cores-{os.getuid()}"


@dataclass(frozen=True)
class Claim:
    slot: int
    cores: frozenset[int]
    lock: IO[bytes]  # held open: the slot is ours while this file is


def claim(threads: int, available: frozenset[int] | None = None, folder: Path = LOCKS) -> Claim | None:
    """The first free slot of ``threads`` cores among ``available`` (default: the cores this
    process may use), or None when ``threads`` is all of them, no slot is free or the lock
    folder cannot be written (then the worker simply is not bound)."""
    cores = sorted(available if available is not None else os.sched_getaffinity(0))
    if threads < 1 or threads >= len(cores):
        return None
    slots = len(cores) // threads
    for slot in range(slots):
        try:
            folder.mkdir(exist_ok=True)
            lock = open(folder / f"{slot}-of-{slots}.lock", "ab")
        except OSError:
            return None
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        return Claim(slot, frozenset(cores[slot * threads:(slot + 1) * threads]), lock)
    return None


def bind_from_environment() -> Claim | None:
    """In a worker process, before bpy is imported: bind it to its claimed cores if its parent
    asked (``ENV``)."""
    wanted = os.environ.get(ENV, "")
    if not wanted.isdigit():
        return None
    held = claim(int(wanted))
    if held is not None:
        os.sched_setaffinity(0, held.cores)
    return held
