"""Shared by the sweep tests: tiny sweep files, the CLI in a subprocess, reading a sweep folder."""

from __future__ import annotations

import atexit
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The stand-in mannequin, 64x80, 4 draft samples: a variant renders in about a second.
BASE = '[subject]\nkind = "mannequin"\n[render]\nresolution = [64, 80]\nquality = "draft"\nsamples = 4\n'
GRID_2X2 = 'base = "base.toml"\n[grid]\n"lights.fill.stops" = [-0.5, -4]\n"lights.key.azimuth_deg" = [30, 60]\n'


def write_sweep(folder: Path, text: str, name: str = "sweep.toml", base: str = BASE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.toml").write_text(base, encoding="utf-8")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "addon")}


def sweep_command(sweep: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "portrait_spec", "sweep", str(sweep), "--out", str(out), *extra]


def run_sweep(sweep: Path, out: Path, *extra: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(sweep_command(sweep, out, *extra), cwd=ROOT, env=env(), capture_output=True, text=True,
                          timeout=timeout, check=False)


def manifest_lines(out: Path) -> list[dict[str, Any]]:
    path = out / "manifest.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_bytes().split(b"\n")[:-1] if line.strip()]


def done(out: Path) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in manifest_lines(out) if e["status"] == "done"}


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def children(pid: int) -> list[int]:
    """Direct child processes, whichever thread started them (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:  # the thread ended meanwhile
            continue
    return found


def alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


@functools.cache
def local_grid() -> Path:
    """The 2x2 grid rendered once per test process by the local pool (two workers)."""
    folder = Path(tempfile.mkdtemp(prefix="portrait_spec-sweep-test-"))
    atexit.register(shutil.rmtree, folder, True)  # before conftest's exit on 4.5 (atexit runs last-in first)
    sweep = write_sweep(folder, GRID_2X2)
    result = run_sweep(sweep, folder / "out", "--workers", "2", "--task-timeout", "600")  # a limit no variant reaches
    assert result.returncode == 0, result.stderr
    return folder / "out"


def without_timing(scene: dict[str, Any]) -> dict[str, Any]:
    """scene.json minus the one thing that differs between two renders of a spec: the time taken."""
    render = {k: v for k, v in scene["render"].items() if k != "render_seconds"}
    return {**scene, "render": render}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """A Dask scheduler and single-threaded workers on 127.0.0.1, each process in its own session
    (killing a worker's process group is killing that worker); logs in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.dask = str(Path(sys.executable).parent / "dask")
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.workers: list[subprocess.Popen[bytes]] = []
        self.scheduler = self._start("scheduler", [self.dask, "scheduler", "--host", "127.0.0.1",
                                                   "--port", self.address.rsplit(":", 1)[1], "--no-dashboard"])

    def _start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        with open(self.folder / f"{name}.log", "wb") as log:
            return subprocess.Popen(args, cwd=self.folder, env=env(), stdout=log, stderr=log, start_new_session=True)

    def add_worker(self) -> subprocess.Popen[bytes]:
        name = f"worker-{len(self.workers) + 1}"
        (self.folder / name).mkdir()
        worker = self._start(name, [self.dask, "worker", self.address, "--host", "127.0.0.1", "--nthreads", "1",
                                    "--no-nanny", "--no-dashboard", "--local-directory", str(self.folder / name)])
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=60) as client:
            client.wait_for_workers(count, timeout=120)

    def close(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
