"""Progress of ``render``: a fraction for Blender's progress bar, lines for the command line.

Cycles reports its state through ``bpy.app.handlers.render_stats`` ("... | Sample 12/64", then
denoising and "Finished"); a render job is its render (90 % of the job's share, by samples)
and then the writing of its files. The handler is removed when the render ends, whatever
happens: a handler left registered keeps the bpy module from exiting.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import bpy

SAMPLE = re.compile(r"Sample (\d+)/(\d+)")
RENDER_SHARE = 0.9
LOG_INTERVAL_S = 2.0


def log_to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class RenderProgress:
    def __init__(self, jobs: int, progress: Callable[[float], None] | None = None,
                 log: Callable[[str], None] | None = None) -> None:
        self.jobs = max(jobs, 1)
        self.progress = progress
        self.log = log
        self.job = 0
        self.prefix = ""
        self._last_log = 0.0
        self._denoising_said = False
        self.samples_seen: tuple[int, int] | None = None

    def _report(self, within_job: float) -> None:
        if self.progress is not None:
            self.progress(min(1.0, (self.job + min(max(within_job, 0.0), 1.0)) / self.jobs))

    def _say(self, text: str) -> None:
        if self.log is not None:
            self.log(f"{self.prefix}{text}")

    def begin(self, job: int, label: str) -> None:
        self.job = job
        self.prefix = f"[{job + 1}/{self.jobs}] " if self.jobs > 1 else ""
        self._denoising_said = False
        self.samples_seen = None
        self._say(label)
        self._report(0.0)

    def step(self, text: str, within_job: float) -> None:
        self._say(text)
        self._report(within_job)

    def finish(self) -> None:
        self.job = self.jobs
        self._report(0.0)

    def on_stats(self, text: object, *_: object) -> None:
        message = str(text)
        found = SAMPLE.search(message)
        if found:
            done, total = int(found.group(1)), int(found.group(2))
            # Cycles reports "Sample 0/N" again while it finishes (e.g. when denoising): keep the most.
            if self.samples_seen is not None and done < self.samples_seen[0]:
                return
            self.samples_seen = (done, total)
            self._report(RENDER_SHARE * done / max(total, 1))
            now = time.monotonic()
            if done > 0 and (now - self._last_log >= LOG_INTERVAL_S or done == total):
                self._last_log = now
                self._say(f"sample {done}/{total}")
        elif "denois" in message.lower() and self.samples_seen is not None and not self._denoising_said:
            self._denoising_said = True
            self._say("denoising")

    @contextmanager
    def watching(self) -> Iterator[None]:
        handlers = bpy.app.handlers.render_stats
        handlers.append(self.on_stats)
        try:
            yield
        finally:
            while self.on_stats in handlers:
                handlers.remove(self.on_stats)
