"""Field declarations for the spec dataclasses: type, unit, range and meaning in one place.

Each helper returns a ``dataclasses.field`` whose metadata the loader (``schema.py``), the TOML
writer and the UI read, so a range or a unit is stated once.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from .color import Color8
from .units import Distance


def _meta(kind: str, doc: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "doc": doc, **extra}


def number(default: float, lo: float, hi: float, unit: str, doc: str, *, integer: bool = False) -> Any:
    kind = "int" if integer else "float"
    return field(default=default, metadata=_meta(kind, doc, lo=lo, hi=hi, unit=unit))


def choice(default: str, choices: tuple[str, ...], doc: str) -> Any:
    return field(default=default, metadata=_meta("choice", doc, choices=choices))


def flag(default: bool, doc: str) -> Any:
    return field(default=default, metadata=_meta("bool", doc))


def text(default: str, doc: str) -> Any:
    return field(default=default, metadata=_meta("str", doc))


def distance(default: Distance, lo_m: float, hi_m: float, doc: str) -> Any:
    return field(default=default, metadata=_meta("distance", doc, lo=lo_m, hi=hi_m, unit="m"))


def optional_distance(sentinel: str, lo_m: float, hi_m: float, doc: str) -> Any:
    """A length, or the word ``sentinel`` (stored as None) for "derive it"."""
    return field(default=None, metadata=_meta("distance?", doc, lo=lo_m, hi=hi_m, unit="m", sentinel=sentinel))


def color(default: Color8, doc: str) -> Any:
    return field(default=default, metadata=_meta("color", doc))


def vector3(default: tuple[float, float, float], lo: float, hi: float, unit: str, doc: str) -> Any:
    return field(default=default, metadata=_meta("vec3", doc, lo=lo, hi=hi, unit=unit))


def resolution(default: tuple[int, int], lo: int, hi: int, doc: str) -> Any:
    return field(default=default, metadata=_meta("res", doc, lo=lo, hi=hi, unit="px"))


def names(default: tuple[str, ...], choices: tuple[str, ...], doc: str) -> Any:
    return field(default=default, metadata=_meta("names", doc, choices=choices))


def number_table(default: dict[str, float], keys: tuple[str, ...], lo: float, hi: float, unit: str, doc: str) -> Any:
    return field(
        default_factory=lambda: dict(default),
        metadata=_meta("table", doc, choices=keys, lo=lo, hi=hi, unit=unit),
    )


def string_table(choices: tuple[str, ...], doc: str) -> Any:
    """Free-form keys (e.g. a model's material names) mapped to one of ``choices``."""
    return field(default_factory=dict, metadata=_meta("strtable", doc, choices=choices))


def section(factory: Any, doc: str) -> Any:
    return field(default_factory=factory, metadata=_meta("section", doc))
