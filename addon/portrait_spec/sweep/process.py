"""One worker process (``python -m portrait_spec worker``) seen from the side that feeds it.

The command is this Python with ``-m portrait_spec worker`` when it can import bpy (the bpy
wheel), or Blender itself (``blender -b --factory-startup -P cli.py -- worker``) when the runner
is running inside a Blender; ``PORTRAIT_SPEC_WORKER`` (a command line, split like a shell's)
names another. A worker that dies mid-task (a crash, an out-of-memory kill) costs that task
only: ``call`` raises ``WorkerDied`` and the next call starts a new process. A render task with
``timeout_s`` has its worker killed when no answer came in that time, times the task's variants
(a render and the variants mixed from it, ``core.sweep.mix``) (``WorkerTimedOut``); the
clock starts when the task is sent to a worker that said it is ready (bpy imported), so Blender's
start-up never counts against a variant.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

from . import cores
from .task import READY, RenderTask, SheetTask, TaskResult, task_to_json

WORKER_ENV = "PORTRAIT_SPEC_WORKER"
CLI = Path(__file__).resolve().parents[1] / "cli.py"


class WorkerDied(RuntimeError):
    """The worker process ended before answering."""


class WorkerTimedOut(WorkerDied):
    """The task took longer than its ``timeout_s``; its worker was killed."""


def worker_command() -> list[str]:
    if os.environ.get(WORKER_ENV):
        return shlex.split(os.environ[WORKER_ENV])
    # Inside Blender, bpy.app.binary_path is the blender executable; the bpy wheel leaves it empty.
    loaded = sys.modules.get("bpy")
    if loaded is not None and loaded.app.binary_path:
        return [str(loaded.app.binary_path), "-b", "--factory-startup", "-P", str(CLI), "--", "worker"]
    importable = loaded is not None or ("bpy" not in sys.modules and importlib.util.find_spec("bpy") is not None)
    if not importable:  # the CLI says how to run it with Blender
        raise ModuleNotFoundError(f"No module named 'bpy' (or set {WORKER_ENV} to a worker command)", name="bpy")
    return [sys.executable, "-m", "portrait_spec", "worker"]


class WorkerProcess:
    """A worker started on first use and restarted after it dies; its stderr goes to ``log``."""

    def __init__(self, log: Path | None = None, threads: int = 0) -> None:
        """``threads``: the Cycles threads its renders get; the process is then bound to that
        many cores of its own (``cores``; 0: not bound)."""
        self.log = log
        self.threads = threads
        self._proc: subprocess.Popen[str] | None = None
        self._log_file: IO[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _start(self) -> subprocess.Popen[str]:
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self._log_file = open(self.log, "ab")
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        if self.threads > 0:
            env[cores.ENV] = str(self.threads)
        proc = subprocess.Popen(worker_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=self._log_file if self._log_file is not None else subprocess.DEVNULL,
                                text=True, bufsize=1, env=env)
        assert proc.stdout is not None
        greeting = proc.stdout.readline()
        if greeting.strip() != READY:
            if proc.poll() is None:
                proc.kill()
            code = proc.wait()
            raise WorkerDied(f"the worker process (pid {proc.pid}) exited with code {code} while starting"
                             + (f" (it said {greeting.strip()[:200]!r})" if greeting.strip() else ""))
        return proc

    def call(self, task: RenderTask | SheetTask) -> TaskResult:
        if self._proc is None or self._proc.poll() is not None:
            self.close()
            self._proc = self._start()
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        limit = task.timeout_s * len(task.ids) if isinstance(task, RenderTask) else 0.0
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            proc.kill()

        timer = threading.Timer(limit, expire) if limit > 0 else None
        try:
            proc.stdin.write(task_to_json(task) + "\n")
            proc.stdin.flush()
            if timer is not None:
                timer.daemon = True
                timer.start()
            line = proc.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        finally:
            if timer is not None:
                timer.cancel()
        if not line:
            code = proc.wait()
            self._proc = None
            if expired.is_set():
                count = len(task.ids) if isinstance(task, RenderTask) else 1
                what = "the variant" if count == 1 else f"the task's {count} variants"
                raise WorkerTimedOut(f"timed out: {what} took longer than {limit:g} s (--task-timeout, or task_timeout "
                                     f"in the sweep file, per variant), so its worker process (pid {proc.pid}) was stopped")
            raise WorkerDied(f"the worker process (pid {proc.pid}) exited with code {code} before answering")
        return TaskResult.from_json(line)

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.stdin is not None:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
