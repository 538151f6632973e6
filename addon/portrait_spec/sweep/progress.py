"""The sweep's progress line: done, failed, remaining and an ETA from this run's pace.

On a terminal the line redraws in place as a bar; otherwise (a log file, CI) it prints one line
per finished variant.
"""

from __future__ import annotations

import sys
import time
from typing import IO

BAR_WIDTH = 24


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class SweepProgress:
    def __init__(self, total: int, already_done: int, stream: IO[str] | None = None) -> None:
        self.total = total
        self.done = already_done
        self.failed = 0
        self.finished_here = 0  # rendered by this run: the pace counts only these
        self.started = time.monotonic()
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty()

    @property
    def remaining(self) -> int:
        return self.total - self.done - self.failed

    def eta_seconds(self) -> float | None:
        if self.finished_here == 0:
            return None
        return (time.monotonic() - self.started) / self.finished_here * self.remaining

    def line(self) -> str:
        eta = self.eta_seconds()
        filled = round(BAR_WIDTH * (self.done + self.failed) / max(self.total, 1))
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        return (f"[{bar}] {self.done + self.failed}/{self.total}  done {self.done}, failed {self.failed}, "
                f"remaining {self.remaining}, elapsed {_clock(time.monotonic() - self.started)}, "
                f"ETA {_clock(eta) if eta is not None else '?'}")

    def show(self) -> None:
        if self.tty:
            self.stream.write("\r" + self.line())
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def variant_done(self) -> None:
        self.done += 1
        self.finished_here += 1
        self.show()

    def variant_failed(self) -> None:
        self.failed += 1
        self.finished_here += 1
        self.show()

    def say(self, text: str) -> None:
        self.stream.write(("\n" if self.tty else "") + text + "\n")
        self.stream.flush()

    def end(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
