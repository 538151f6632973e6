"""Field declarations for the spec dataclasses: type, unit, range and meaning in one place.

Each helper returns a ``dataclasses.field`` carrying one ``FieldMeta``, a frozen record whose
class is the field's kind. ``FieldMeta`` is a closed union: every reader of it (the loader and
the writer in ``schema.py``, the panel's properties, bridge and layout, the tests' spec
strategy) handles it in one ``match`` that ends in ``assert_never``, so a new kind fails mypy
until each of them does (``tests/typing/test_field_kinds_exhaustive.py`` shows it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias, TypeVar, final

from .color import Color8
from .units import Distance

C = TypeVar("C", bound=str)


@dataclass(frozen=True, kw_only=True)
class Described:
    """What every kind states: the field's meaning (the panel's tooltip)."""

    doc: str


@dataclass(frozen=True, kw_only=True)
class Ranged(Described):
    """A kind with limits: ``lo`` to ``hi`` in ``unit`` ("" for none; metres for lengths)."""

    lo: float
    hi: float
    unit: str


@final
@dataclass(frozen=True, kw_only=True)
class Number(Ranged):
    """A float."""


@final
@dataclass(frozen=True, kw_only=True)
class Integer(Ranged):
    """An int."""


@final
@dataclass(frozen=True, kw_only=True)
class Flag(Described):
    """A bool."""


@final
@dataclass(frozen=True, kw_only=True)
class Text(Described):
    """A string of at most ``max_length`` characters with no control characters (no line breaks:
    text reaches prompts and PNG text chunks, one parameter per line); with ``pattern``, it must
    match it whole (``pattern_doc`` says how in words)."""

    max_length: int = 256
    pattern: str = ""
    pattern_doc: str = ""


@final
@dataclass(frozen=True, kw_only=True)
class Choice(Described):
    """One of ``choices``; the field is typed as the Literal of exactly these."""

    choices: tuple[str, ...]


@final
@dataclass(frozen=True, kw_only=True)
class Length(Ranged):
    """A ``Distance``; ``lo`` and ``hi`` in metres."""


@final
@dataclass(frozen=True, kw_only=True)
class OptionalLength(Ranged):
    """A ``Distance``, or the word ``sentinel`` (stored as None) for "derive it"."""

    sentinel: str


@final
@dataclass(frozen=True, kw_only=True)
class Color(Described):
    """A ``Color8``."""


@final
@dataclass(frozen=True, kw_only=True)
class Vector3(Ranged):
    """Three floats (R, G, B), each from ``lo`` to ``hi``."""


@final
@dataclass(frozen=True, kw_only=True)
class Resolution(Ranged):
    """Width and height in pixels, each an int from ``lo`` to ``hi``."""


@final
@dataclass(frozen=True, kw_only=True)
class Names(Described):
    """An ordered tuple of distinct names from ``choices``."""

    choices: tuple[str, ...]


@final
@dataclass(frozen=True, kw_only=True)
class NumberTable(Ranged):
    """A dict from some of ``keys`` to floats from ``lo`` to ``hi``."""

    keys: tuple[str, ...]


@final
@dataclass(frozen=True, kw_only=True)
class StringTable(Described):
    """A dict from free-form names to one of ``choices``."""

    choices: tuple[str, ...]


@final
@dataclass(frozen=True, kw_only=True)
class Section(Described):
    """A nested spec dataclass, ``cls``."""

    cls: type[Any]


FieldMeta: TypeAlias = (
    Number | Integer | Flag | Text | Choice | Length | OptionalLength | Color | Vector3 | Resolution
    | Names | NumberTable | StringTable | Section
)

_KEY: Final = "portrait_spec"


def _declared(meta: FieldMeta) -> dict[str, FieldMeta]:
    return {_KEY: meta}


def meta_of(fl: dataclasses.Field[Any]) -> FieldMeta:
    meta = fl.metadata.get(_KEY)
    if not isinstance(meta, FieldMeta):
        raise TypeError(f"spec field {fl.name!r} is not declared with a core/fields.py helper")
    return meta


def spec_fields(section: Any) -> Iterator[tuple[str, FieldMeta]]:
    """(name, metadata) of each field of a spec section (its class or an instance), in order."""
    for fl in dataclasses.fields(section):
        yield fl.name, meta_of(fl)


def number(default: float, lo: float, hi: float, unit: str, doc: str, *, integer: bool = False) -> Any:
    kind = Integer if integer else Number
    return field(default=default, metadata=_declared(kind(doc=doc, lo=lo, hi=hi, unit=unit)))


def choice(default: C, choices: tuple[C, ...], doc: str) -> C:
    """Annotate the field with the Literal that ``choices`` is ``get_args`` of (mypy then checks
    the default; tests/test_spec.py checks that every choice field's Literal allows exactly these)."""
    if default not in choices:
        raise ValueError(f"default {default!r} is not one of {choices}")
    return field(default=default, metadata=_declared(Choice(doc=doc, choices=tuple(choices))))


def flag(default: bool, doc: str) -> Any:
    return field(default=default, metadata=_declared(Flag(doc=doc)))


def text(default: str, doc: str, *, max_length: int = 256, pattern: str = "", pattern_doc: str = "") -> Any:
    return field(default=default, metadata=_declared(Text(doc=doc, max_length=max_length, pattern=pattern,
                                                          pattern_doc=pattern_doc)))


def distance(default: Distance, lo_m: float, hi_m: float, doc: str) -> Any:
    return field(default=default, metadata=_declared(Length(doc=doc, lo=lo_m, hi=hi_m, unit="m")))


def optional_distance(sentinel: str, lo_m: float, hi_m: float, doc: str) -> Any:
    """A length, or the word ``sentinel`` (stored as None) for "derive it"."""
    return field(default=None, metadata=_declared(OptionalLength(doc=doc, lo=lo_m, hi=hi_m, unit="m", sentinel=sentinel)))


def color(default: Color8, doc: str) -> Any:
    return field(default=default, metadata=_declared(Color(doc=doc)))


def vector3(default: tuple[float, float, float], lo: float, hi: float, unit: str, doc: str) -> Any:
    return field(default=default, metadata=_declared(Vector3(doc=doc, lo=lo, hi=hi, unit=unit)))


def resolution(default: tuple[int, int], lo: int, hi: int, doc: str) -> Any:
    return field(default=default, metadata=_declared(Resolution(doc=doc, lo=lo, hi=hi, unit="px")))


def names(default: tuple[C, ...], choices: tuple[C, ...], doc: str) -> tuple[C, ...]:
    """Annotate the field as a tuple of the Literal that ``choices`` is ``get_args`` of."""
    if any(name not in choices for name in default):
        raise ValueError(f"default {default!r} has names that are not among {choices}")
    return field(default=default, metadata=_declared(Names(doc=doc, choices=tuple(choices))))


def number_table(default: dict[str, float], keys: tuple[str, ...], lo: float, hi: float, unit: str, doc: str) -> Any:
    return field(
        default_factory=lambda: dict(default),
        metadata=_declared(NumberTable(doc=doc, keys=tuple(keys), lo=lo, hi=hi, unit=unit)),
    )


def string_table(choices: tuple[C, ...], doc: str) -> dict[str, C]:
    """Free-form keys (e.g. a model's material names) mapped to one of ``choices`` (annotate the
    values with the Literal that ``choices`` is ``get_args`` of)."""
    return field(default_factory=dict, metadata=_declared(StringTable(doc=doc, choices=tuple(choices))))


def section(factory: Callable[[], Any], doc: str) -> Any:
    # The factory may be a function (default_fill) rather than the class, so ask what it builds.
    return field(default_factory=factory, metadata=_declared(Section(doc=doc, cls=type(factory()))))
