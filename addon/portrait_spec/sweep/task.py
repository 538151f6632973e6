"""What the runner sends a worker and what comes back, as JSON lines (a worker may be a local
process or one behind a Dask worker on another machine, so everything is plain data)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

Kind = Literal["render", "sheet"]
READY = '{"ready": true}'  # a worker's first line: bpy is imported, tasks may come


@dataclass(frozen=True, kw_only=True)
class MixMember:
    """A variant mixed from its task's render (``core.sweep.mix``) into its own ``out``."""

    id: str
    spec: dict[str, Any]
    out: str
    label: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RenderTask:
    """Render one variant into ``out`` (a partial folder the runner renames when it is whole),
    then each of ``mixes`` summed from that render's light passes into its own folder."""

    id: str
    spec: dict[str, Any]  # the resolved spec as plain data (schema.spec_to_data)
    spec_dir: str  # where a model file named in the spec is looked up
    out: str
    threads: int  # Cycles threads; 0 = every core of the machine
    label: tuple[str, ...] = ()  # the variant's overrides, stored in scene.json
    attempt: int = 1
    timeout_s: float = 0.0  # per variant: the worker is killed when the task takes longer than this
                            # times its variants; 0 = no limit
    mixes: tuple[MixMember, ...] = ()
    kind: Kind = "render"

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.id, *(m.id for m in self.mixes))


@dataclass(frozen=True, kw_only=True)
class SheetTask:
    """A contact sheet of reference images with their labels, written to ``out``."""

    images: tuple[tuple[str, tuple[str, ...]], ...]
    columns: int
    out: str
    kind: Kind = "sheet"


@dataclass(frozen=True)
class FileRecord:
    path: str  # relative to the sweep folder once the variant is in place
    sha256: str
    bytes: int


@dataclass(frozen=True, kw_only=True)
class TaskResult:
    id: str
    ok: bool
    error: str | None = None
    files: tuple[FileRecord, ...] = ()  # paths relative to the task's ``out``
    build_seconds: float = 0.0
    render_seconds: float = 0.0
    sitter_reused: bool = False
    mixed_from: str | None = None  # the variant whose render this one was mixed from
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    mixes: tuple[TaskResult, ...] = ()  # one per ``RenderTask.mixes`` member that was reached

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> TaskResult:
        return cls._from_data(json.loads(text))

    @classmethod
    def _from_data(cls, data: dict[str, Any]) -> TaskResult:
        data["files"] = tuple(FileRecord(**f) for f in data["files"])
        data["mixes"] = tuple(cls._from_data(m) for m in data.get("mixes", ()))
        return cls(**data)


def task_to_json(task: RenderTask | SheetTask) -> str:
    return json.dumps(asdict(task))


def task_from_json(text: str) -> RenderTask | SheetTask:
    data = json.loads(text)
    if data.get("kind") == "sheet":
        data["images"] = tuple((image, tuple(label)) for image, label in data["images"])
        return SheetTask(**data)
    data["label"] = tuple(data.get("label", ()))
    data["mixes"] = tuple(MixMember(**{**m, "label": tuple(m.get("label", ()))}) for m in data.get("mixes", ()))
    return RenderTask(**data)


def sha256_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def file_records(folder: Path, relative_to: Path | None = None) -> tuple[FileRecord, ...]:
    """Every file directly in ``folder`` (hidden staging leftovers excluded), sorted by name."""
    base = relative_to or folder
    return tuple(FileRecord(str(p.relative_to(base)), sha256_file(p), p.stat().st_size)
                 for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith("."))
