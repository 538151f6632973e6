"""``manifest.jsonl``: one JSON object per line, one line per variant outcome, append-only.

A line is appended with one ``write`` on a file opened for appending and flushed to disk
(``fsync``) before the runner moves on, so a line is either whole or (a process killed inside
that ``write``) a tail without its newline. Opening the manifest cuts such a tail off; reading
ignores it. Nothing else ever changes an existing line: a variant that finished is never
rewritten, and a later line for the same id (a failed variant retried by a resumed sweep)
supersedes only a ``failed`` one. Only the runner writes it, one line at a time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

MANIFEST = "manifest.jsonl"
FORMAT = "portrait_spec.sweep/1"


def _whole_lines(data: bytes) -> Iterator[dict[str, Any]]:
    for raw in data.split(b"\n")[:-1]:  # the part after the last newline is not a whole line
        if raw.strip():
            yield json.loads(raw)


def read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    """Each id's entry: its ``done`` line if it has one, else its last line."""
    entries: dict[str, dict[str, Any]] = {}
    if not path.is_file():
        return entries
    for entry in _whole_lines(path.read_bytes()):
        if entries.get(entry["id"], {}).get("status") != "done":
            entries[entry["id"]] = entry
    return entries


class Manifest:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._repair()

    def _repair(self) -> None:
        """Cut off a line a killed run left half-written (it never finished, so nothing is lost)."""
        if not self.path.is_file():
            return
        data = self.path.read_bytes()
        whole = data.rfind(b"\n") + 1
        if whole != len(data):
            with open(self.path, "r+b") as fh:
                fh.truncate(whole)
                os.fsync(fh.fileno())

    def entries(self) -> dict[str, dict[str, Any]]:
        return read_manifest(self.path)

    def append(self, entry: dict[str, Any]) -> None:
        line = (json.dumps(entry, ensure_ascii=False, allow_nan=False, sort_keys=False) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            written = os.write(fd, line)
            if written != len(line):  # a short write to a regular file means the disk is full
                os.ftruncate(fd, size)
                raise OSError(f"only {written} of {len(line)} bytes of a manifest line were written")
            os.fsync(fd)
        finally:
            os.close(fd)
