"""Writing output files so that no half-written file ever carries a final name.

A render's files are first written into a hidden staging folder inside the output folder (same
file system), each flushed to disk; ``Staging.commit`` then moves them into place one
``os.replace`` each, which is atomic. If anything raises before or during the commit, the
staging folder and everything in it are removed, so the output folder holds only whole files:
the ones from before the run, or whole new ones. A process killed outright (SIGKILL, power
loss) can leave only hidden staging folders or files (``.portrait_spec-partial-*``), never a partial
``reference.png``; ``render --force`` removes such leftovers.

A set is complete when its ``scene.json`` is there: a commit removes the old one first and moves
the new one last, and a stop (SIGINT, SIGTERM: ``shutdown``) waits for a commit to finish and
removes the staging folders. One run at a time writes into a folder: ``folder_lock.output_lock``
holds an advisory lock on ``.portrait_spec.lock`` inside it for the whole run (released by the
system when the process dies, so a killed run never blocks the next one).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ...folder_lock import LOCK_NAME
from ...shutdown import forget, remove_on_stop, uninterrupted

STAGING_PREFIX = ".portrait_spec-partial-"


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def write_fully(path: Path, data: bytes) -> None:
    """Write ``data`` and flush it to disk (the step an interruption can cut short)."""
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Have ``write`` make a temporary file in ``path``'s folder, flush it and ``os.replace`` it
    onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{STAGING_PREFIX}{path.name}.", suffix=path.suffix)
    os.close(fd)
    remove_on_stop(Path(tmp))
    try:
        write(Path(tmp))
        _fsync(Path(tmp))
        with uninterrupted():
            os.replace(tmp, path)
            forget(Path(tmp))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        forget(Path(tmp))
        raise
    return path


class Staging:
    """A run's files before they are moved into ``out_dir``."""

    def __init__(self, folder: Path, out_dir: Path) -> None:
        self.folder = folder
        self.out_dir = out_dir

    def path(self, name: str) -> Path:
        return self.folder / name

    def write(self, name: str, data: bytes) -> Path:
        path = self.path(name)
        write_fully(path, data)
        return path

    def commit(self, last: tuple[str, ...] = ()) -> list[Path]:
        """Move every staged file into ``out_dir``; the names in ``last`` go last, in that order
        (``scene.json`` last of all: when it is there, the set it describes is complete, so the old
        one is removed before anything moves)."""
        names = sorted(p.name for p in self.folder.iterdir() if p.is_file())
        order = [n for n in names if n not in last] + [n for n in last if n in names]
        for name in order:
            _fsync(self.folder / name)
        moved = []
        with uninterrupted():
            if last:
                (self.out_dir / last[-1]).unlink(missing_ok=True)
            for name in order:
                target = self.out_dir / name
                os.replace(self.folder / name, target)
                moved.append(target)
        return moved


@contextlib.contextmanager
def staged(out_dir: Path) -> Iterator[Staging]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=out_dir, prefix=STAGING_PREFIX))
    remove_on_stop(folder)
    try:
        yield Staging(folder, out_dir)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        forget(folder)


def ours(name: str) -> bool:
    """A hidden file of this module's (staging, lock) rather than an output or a user's file."""
    return name.startswith(STAGING_PREFIX) or name == LOCK_NAME


def remove_leftovers(out_dir: Path) -> None:
    """Staging folders and temporary files a killed run left behind (only ours, by name)."""
    if not Path(out_dir).is_dir():
        return
    for entry in list(Path(out_dir).rglob(f"{STAGING_PREFIX}*")):
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
