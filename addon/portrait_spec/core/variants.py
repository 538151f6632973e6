"""``render --vary PATH=V1,V2,...``: one variant per value, a grid when repeated.

Each variant is a list of ``--set`` overrides (so a variant is validated exactly like a file) and
a folder name made of its ``path=value`` pairs. Values are split on commas outside brackets and
quotes, so ``background.color=[255,0,128],"#00B140"`` gives two colours.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .errors import Problem, SpecError

_UNSAFE = re.compile(r"[^A-Za-z0-9._=+-]+")


@dataclass(frozen=True)
class Variant:
    overrides: tuple[str, ...]

    @property
    def folder_name(self) -> str:
        return "__".join(_UNSAFE.sub("_", o).strip("_") for o in self.overrides)


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
    if not axes:
        return []
    return [Variant(tuple(combo)) for combo in itertools.product(*axes)]
