"""One run at a time writes into an output folder (``render --out``, ``sweep --out``).

``output_lock`` holds an advisory lock on ``.portrait_spec.lock`` inside the folder for the whole
run: ``flock`` on POSIX, ``msvcrt.locking`` on Windows, both released by the system when the
process dies, so a killed run never blocks the next one. Taking the lock also creates the folder
and a file in it, so an ``--out`` that cannot be written is found before any work.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from .core.errors import Problem, SpecError
from .shutdown import forget, remove_on_stop

LOCK_NAME = ".portrait_spec.lock"


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _busy(out_dir: Path, path: Path, run: str) -> SpecError:
    allowed = f"a folder no other {run} is writing into: wait for it or choose another"
    with contextlib.suppress(OSError, ValueError):
        pid = int(path.read_text(encoding="ascii").strip() or "0")
        who = f"another {run} (process {pid})" if pid else f"another {run}"
        return SpecError([Problem("--out", f"{str(out_dir)!r} is being written by {who}", allowed)])
    return SpecError([Problem("--out", f"{str(out_dir)!r} is being written by another {run}", allowed)])


@contextlib.contextmanager
def output_lock(out_dir: Path, run: str = "render") -> Iterator[None]:
    """Hold ``out_dir`` (created if missing) for one run; raises SpecError naming ``--out`` when
    another run holds it or the folder cannot be written. ``run`` names the kind of run in the
    message ("render", "sweep")."""
    out_dir = Path(out_dir)
    created = not out_dir.exists()
    path = out_dir / LOCK_NAME
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise SpecError([Problem("--out", f"{str(out_dir)!r}: {exc.strerror or exc}",
                                 "a folder this user can create and write")]) from None
    if created:
        remove_on_stop(out_dir, only_if_empty=True)
    # The inode check: a run that opened the file just before the holder removed it would
    # otherwise lock a file nobody else can see.
    if not _try_lock(fd) or not _same_file(fd, path):
        os.close(fd)
        raise _busy(out_dir, path, run)
    remove_on_stop(path)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    except BaseException:
        _release(fd, path, out_dir)
        if created:  # a failed run leaves no folder it made (a killed one: ``shutdown`` removes it)
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        raise
    _release(fd, path, out_dir)


def _release(fd: int, path: Path, out_dir: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
    os.close(fd)
    forget(path)
    forget(out_dir)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False
