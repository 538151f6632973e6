"""``render --vary PATH=V1,V2,...``: one variant per value, a grid when repeated.

Each variant is a list of ``--set`` overrides (so a variant is validated exactly like a file) and
a folder name made of its ``path=value`` pairs. Values are split on commas outside brackets and
quotes, so ``background.color=[255,0,128],"#00B140"`` gives two colours.

Folder names are unique and bounded: characters a file name cannot hold safely become ``_``; a
name that would then be shared by two variants (values differing only in punctuation or letter
case, one folder on macOS and Windows) or is longer than ``MAX_FOLDER_CHARS`` keeps a readable
prefix and ends in a hash of the exact overrides. The same value given twice is refused.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from dataclasses import dataclass

from .errors import Problem, SpecError

_UNSAFE = re.compile(r"[^A-Za-z0-9._=+-]+")
MAX_FOLDER_CHARS = 96  # far below the 255 bytes a file name may have on common file systems
HASH_CHARS = 10


def _plain_name(overrides: tuple[str, ...]) -> str:
    return "__".join(_UNSAFE.sub("_", o).strip("_") for o in overrides)


def _hashed_name(overrides: tuple[str, ...]) -> str:
    digest = hashlib.sha256("\n".join(overrides).encode("utf-8")).hexdigest()[:HASH_CHARS]
    return f"{_plain_name(overrides)[:MAX_FOLDER_CHARS - HASH_CHARS - 1]}-{digest}"


@dataclass(frozen=True)
class Variant:
    overrides: tuple[str, ...]
    folder: str = ""  # set by ``grid`` when the plain name would be shared or too long

    @property
    def folder_name(self) -> str:
        return self.folder or _plain_name(self.overrides)


def split_values(text: str) -> list[str]:
    values: list[str] = []
    depth, quote, current = 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            values.append(current.strip())
            current = ""
            continue
        current += ch
    values.append(current.strip())
    return values


def expand(vary: list[str]) -> list[Variant]:
    """All combinations of the ``--vary`` arguments, in the order given."""
    axes: list[list[str]] = []
    problems: list[Problem] = []
    for text in vary:
        path, sep, raw = text.partition("=")
        values = split_values(raw) if sep else []
        if not sep or not path.strip() or not values or any(not v for v in values):
            problems.append(Problem("--vary", repr(text), "PATH=V1,V2,... e.g. lights.fill.stops=-1,-2,-3"))
            continue
        axes.append([f"{path.strip()}={v}" for v in values])
    if problems:
        raise SpecError(problems)
    return grid(axes)


def grid(axes: list[list[str]]) -> list[Variant]:
    """Every combination of one override per axis, the first axis slowest (``--vary`` and the
    ``[grid]`` of a sweep file)."""
    if not axes:
        return []
    combos = [tuple(combo) for combo in itertools.product(*axes)]
    twice = [c for c, n in Counter(combos).items() if n > 1]
    if twice:
        raise SpecError([Problem("--vary", f"{' '.join(twice[0])!r} twice", "each value once")])
    plain = [_plain_name(c).casefold() for c in combos]
    shared = {name for name, n in Counter(plain).items() if n > 1}
    return [Variant(c, _hashed_name(c) if name in shared or len(name) > MAX_FOLDER_CHARS or name in ("", ".", "..") else "")
            for c, name in zip(combos, plain, strict=True)]
