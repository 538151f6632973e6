"""Arrays worked out from files or code, kept as ``.npz`` in the temp folder between processes.

Parsing MakeHuman's text files and polygonising the mannequin are most of the cost of a first
build in a new process; a later process loads the arrays instead. A file's name is a hash of
what its arrays were made from (a source file's path, size and time; the shape code), so a
changed source is never read stale. Writes are atomic (a parallel build never reads half a
file), and a read-only temp folder only costs the work again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

FOLDER = "portrait_spec_cache"


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
    return h.hexdigest()[:20]


def file_digest(path: Path) -> str:
    """Names what was parsed from ``path``: its path, size and modification time."""
    stat = path.stat()
    return digest(f"{path}|{stat.st_size}|{stat.st_mtime_ns}")


def cached(name: str, make: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The arrays stored as ``name``, or ``make()``'s, stored for the next process."""
    path = Path(tempfile.gettempdir()) / FOLDER / f"{name}.npz"
    try:
        with np.load(path) as stored:
            return {key: stored[key] for key in stored.files}
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
        pass  # absent, or cut short by a killed process: made again
    arrays = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{name}.{os.getpid()}.npz")
        np.savez(tmp, **arrays)  # type: ignore[arg-type]
        os.replace(tmp, path)
    except OSError:
        pass
    return arrays
