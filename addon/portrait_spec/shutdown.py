"""How a command-line run ends: with its exit status as soon as its output is flushed, and within
moments of SIGINT (Ctrl-C) or SIGTERM, leaving no partial output behind.

Exit: once the command is done, ``exit_now`` flushes Python's and C's standard streams, removes
Blender's per-session temporary folder (``bpy.app.tempdir``; Blender's own exit would) and ends
the process with ``os._exit``. Blender's exit handlers are skipped on purpose: with bpy 4.5 they
can wait forever on the audio device's delayed-close thread (``GlobalState::~GlobalState`` in
``pthread_cond_destroy``), for instance after opening a .blend whose scripted driver was blocked
(auto-run off), so a CLI call that has written every file would never return.

Signals: Python runs a signal handler only in the main thread between bytecodes, and during a
render the main thread sits inside Cycles (with the GIL released) for as long as the render
takes, so a KeyboardInterrupt arrives, if at all, inside one of Blender's callbacks, which prints
it and carries on. ``signal.set_wakeup_fd`` makes the C-level handler write the signal number to
a pipe the moment it arrives (Python docs, ``signal.set_wakeup_fd``); a watchdog thread reading
that pipe removes every path registered with ``remove_on_stop`` (staging folders, temporary
renders, the output lock) and exits 128 + the signal number (130 for SIGINT, 143 for SIGTERM, the
shell's convention). A stop waits for an ``uninterrupted`` block (moving a finished set into
place takes milliseconds), so a set is either all there or not there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

STOP_SIGNALS: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM)

_critical = threading.RLock()  # held by an ``uninterrupted`` block and by the stop itself
_registry_lock = threading.Lock()
_paths: dict[Path, Callable[[Path], None]] = {}
_stopping = threading.Event()


def _remove_tree(path: Path) -> None:
    # A writer in the main thread may still be creating files while we remove: try a few times.
    for _ in range(3):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
                path.unlink()
        if not os.path.lexists(path):
            return


def _remove_if_empty(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()


def remove_on_stop(path: Path, *, only_if_empty: bool = False) -> None:
    """Have a stop remove ``path`` (a file or a folder and everything in it; with
    ``only_if_empty``, a folder only when nothing else is left in it)."""
    with _registry_lock:
        _paths[Path(path)] = _remove_if_empty if only_if_empty else _remove_tree


def forget(path: Path) -> None:
    """``path`` is finished (moved into place or removed): a stop leaves it alone."""
    with _registry_lock:
        _paths.pop(Path(path), None)


@contextlib.contextmanager
def scratch_folder(prefix: str = "portrait_spec-") -> Iterator[Path]:
    """A temporary folder, removed afterwards and by a stop."""
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        folder = Path(name)
        remove_on_stop(folder)
        try:
            yield folder
        finally:
            forget(folder)


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """A block a stop waits for (it is short: renames)."""
    with _critical:
        yield


def _blender_tempdir() -> Path | None:
    bpy = sys.modules.get("bpy")
    if bpy is None:
        return None
    folder = Path(str(bpy.app.tempdir))
    # Only Blender's own per-session folder (``blender_XXXXXX``), never a folder a user configured.
    return folder if folder.name.startswith("blender_") else None


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).fflush(None)  # Blender's C printf output still in libc's buffer


def exit_now(status: int) -> NoReturn:
    """Flush, remove Blender's session temporary folder if bpy was imported, and end the process
    with ``status`` without running Blender's exit handlers (see the module docstring)."""
    _flush()
    temp = _blender_tempdir()
    if temp is not None:
        shutil.rmtree(temp, ignore_errors=True)
    os._exit(status)


def stop(signum: int) -> NoReturn:
    """Remove every registered path and exit 128 + ``signum``; waits for an ``uninterrupted`` block."""
    _stopping.set()
    with _critical:
        with _registry_lock:
            registered = list(reversed(_paths.items()))  # the newest first: files before their folders
        for path, remove in registered:
            remove(path)
        with contextlib.suppress(Exception):
            print(f"stopped by {signal.Signals(signum).name}", file=sys.stderr)
        exit_now(128 + signum)


def _watch(read_fd: int) -> None:
    while True:
        try:
            data = os.read(read_fd, 1)
        except InterruptedError:
            continue
        except OSError:
            return
        if not data:
            return
        if data[0] in STOP_SIGNALS:
            stop(data[0])


def _in_main_thread(signum: int, _frame: object) -> None:
    # The watchdog does the work; this only runs when the main thread executes Python, and it must
    # not cut an ``uninterrupted`` block the main thread itself is in.
    del signum


def install_stop_handlers() -> None:
    """SIGINT and SIGTERM stop the process promptly (call from the main thread, once)."""
    try:
        read_fd, write_fd = os.pipe()
        os.set_blocking(write_fd, False)
        signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    except (OSError, ValueError):  # not the main thread, or a platform without pipe wake-ups
        return
    for sig in STOP_SIGNALS:
        signal.signal(sig, _in_main_thread)
    threading.Thread(target=_watch, args=(read_fd,), name="portrait_spec-stop", daemon=True).start()
