"""The axes of a sweep: which spec field each one varies and how a sampled number in [0, 1)
becomes a value of that field.

A sampled axis (``[sample.ranges]``) is one of:

* ``[lo, hi]`` for a number, an integer or a length: uniform over the range (an integer field
  takes each whole number in it equally often; a length such as ``["4 ft", "12 ft"]`` is
  drawn in metres and written in ``lo``'s unit, so the prompt keeps saying feet);
* ``{ min = lo, max = hi, step = s }``: the same, snapped to ``lo + k * s``;
* ``{ choices = [...] }`` for any field (colours, modes, karats, whole light tables): each
  choice equally often. For a field that is not a number or a length a bare list means choices.

Drawn numbers are rounded to six significant digits (what a panel field stores exactly, and far
below any claim's tolerance), so a manifest reads ``37.2154``, not ``37.215412345678904``.
"""

from __future__ import annotations

import difflib
import functools
import math
from dataclasses import dataclass
from typing import Any, Literal, assert_never

from .. import fields as f
from ..errors import Problem
from ..fields import FieldMeta, Ranged, Section, spec_fields
from ..spec import Spec
from ..units import METRES_PER_UNIT, parse_distance

AxisKind = Literal["number", "integer", "length", "choices"]
AXIS_KEYS = ("min", "max", "step", "choices")


@dataclass(frozen=True)
class Axis:
    """One sampled field: ``value(u)`` maps u in [0, 1) onto it."""

    path: str
    kind: AxisKind
    lo: float = 0.0  # metres for a length
    hi: float = 0.0
    step: float = 0.0
    unit: str = ""  # a length's written unit
    choices: tuple[Any, ...] = ()

    def value(self, u: float) -> Any:
        if self.kind == "choices":
            return self.choices[min(int(u * len(self.choices)), len(self.choices) - 1)]
        if self.kind == "integer":
            return min(int(self.lo + math.floor(u * (self.hi - self.lo + 1))), int(self.hi))
        x = self.lo + u * (self.hi - self.lo)
        if self.step > 0.0:
            x = self.lo + round((x - self.lo) / self.step) * self.step
        x = min(max(x, self.lo), self.hi)
        if self.kind == "length":
            return f"{_round6(x / METRES_PER_UNIT[self.unit]):g} {self.unit}"
        return min(max(_round6(x), self.lo), self.hi)


def _round6(x: float) -> float:
    return float(f"{x:.6g}")


@functools.cache
def spec_paths() -> dict[str, FieldMeta]:
    """Every dotted field path of the spec (sections included) and its declaration."""
    paths: dict[str, FieldMeta] = {}

    def walk(cls: Any, prefix: str) -> None:
        for name, meta in spec_fields(cls):
            paths[f"{prefix}{name}"] = meta
            if isinstance(meta, Section):
                walk(meta.cls, f"{prefix}{name}.")

    walk(Spec, "")
    return paths


def check_path(path: str, where: str) -> Problem | None:
    """None when ``path`` names a spec field, else a problem naming the nearest one."""
    if path in spec_paths():
        return None
    close = difflib.get_close_matches(path, list(spec_paths()), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    return Problem(f"{where}.{path}", "an unknown spec field", f"a dotted spec path such as lights.fill.stops{hint}")


def _numeric(meta: FieldMeta) -> Literal["number", "integer", "length"] | None:
    """How a [lo, hi] range is sampled for this kind; None: only a list of choices."""
    match meta:
        case f.Number():
            return "number"
        case f.Integer():
            return "integer"
        case f.Length() | f.OptionalLength():
            return "length"
        case (f.Flag() | f.Text() | f.Choice() | f.Color() | f.Vector3() | f.Resolution() | f.Names()
              | f.NumberTable() | f.StringTable() | f.Section()):
            return None
        case _:
            assert_never(meta)


def _limits(meta: Ranged) -> str:
    unit = f" {meta.unit}" if meta.unit else ""
    return f"{meta.lo:g} to {meta.hi:g}{unit}"


def _number(raw: object) -> float | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(float(raw)):
        return None
    return float(raw)


def parse_axis(path: str, raw: object, where: str) -> tuple[Axis | None, list[Problem]]:
    """The axis ``raw`` describes for ``path`` (already a known field), or the problems."""
    here = f"{where}.{path}"
    meta = spec_paths()[path]
    numeric = _numeric(meta)
    allowed = ("[lo, hi], { min = lo, max = hi, step = s } or { choices = [...] }" if numeric
               else "{ choices = [...] } or a list of choices")
    choices: object = None
    bounds: tuple[object, object, object] | None = None
    if isinstance(raw, dict):
        unknown = [k for k in raw if k not in AXIS_KEYS]
        if unknown:
            return None, [Problem(f"{here}.{unknown[0]}", "an unknown key", "one of " + ", ".join(AXIS_KEYS))]
        if "choices" in raw:
            choices = raw["choices"]
        elif numeric and "min" in raw and "max" in raw:
            bounds = (raw["min"], raw["max"], raw.get("step", 0.0))
        else:
            return None, [Problem(here, "a table without choices" if not numeric else "a table without min and max", allowed)]
    elif isinstance(raw, list) and numeric and len(raw) == 2 and not any(isinstance(v, list) for v in raw):
        bounds = (raw[0], raw[1], 0.0)
    elif isinstance(raw, list) and not numeric:
        choices = raw
    else:
        return None, [Problem(here, repr(raw), allowed)]
    if choices is not None:
        if not isinstance(choices, list) or not choices:
            return None, [Problem(f"{here}.choices" if isinstance(raw, dict) else here, repr(choices), "a non-empty list of values")]
        return Axis(path, "choices", choices=tuple(choices)), []
    assert bounds is not None and numeric is not None and isinstance(meta, Ranged)
    lo_raw, hi_raw, step_raw = bounds
    step = _number(step_raw)
    if step is None or step < 0.0:
        return None, [Problem(f"{here}.step", repr(step_raw), "a number of at least 0 (0: no snapping)")]
    if numeric == "length":
        try:
            lo_d, hi_d = parse_distance(lo_raw), parse_distance(hi_raw)
        except ValueError:
            return None, [Problem(here, repr([lo_raw, hi_raw]), 'two lengths, e.g. ["4 ft", "12 ft"]')]
        lo, hi, unit = lo_d.metres, hi_d.metres, lo_d.unit
        step *= METRES_PER_UNIT[unit]  # a step is written in lo's unit
    else:
        lo_n, hi_n = _number(lo_raw), _number(hi_raw)
        if lo_n is None or hi_n is None or (numeric == "integer" and not (lo_n.is_integer() and hi_n.is_integer())):
            kind = "two whole numbers" if numeric == "integer" else "two numbers"
            return None, [Problem(here, repr([lo_raw, hi_raw]), f"{kind}, low then high")]
        lo, hi, unit = lo_n, hi_n, ""
    if not lo <= hi:
        return None, [Problem(here, repr([lo_raw, hi_raw]), "low then high (low <= high)")]
    if lo < meta.lo or hi > meta.hi:
        return None, [Problem(here, repr([lo_raw, hi_raw]), f"a range inside the field's {_limits(meta)}")]
    return Axis(path, numeric, lo=lo, hi=hi, step=step, unit=unit), []
