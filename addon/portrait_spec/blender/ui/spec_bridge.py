"""Converting the panel's properties to a validated Spec and back, exactly.

``spec_from_props`` goes through the same ``spec_from_data`` as a TOML file, so the panel gets
the same checks and messages; ``props_from_spec`` writes every field. For every spec whose
numbers have up to six significant digits (all presets do), ``spec_from_props(props_from_spec(s))
== s``: floats are recovered from Blender's 32-bit storage by ``float32.intended``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, assert_never

from ...core import fields as f
from ...core.color import Color8
from ...core.fields import FieldMeta
from ...core.schema import spec_from_data
from ...core.spec import Spec
from ...core.units import METRES_PER_UNIT, Distance
from .float32 import intended
from .properties import AS_HEX, DERIVE, UNIT, USE


def _length(group: Any, name: str) -> object:
    return Distance(intended(getattr(group, name)), getattr(group, name + UNIT)).to_toml()


def _plain(meta: FieldMeta, group: Any, name: str) -> Any:
    """One field's value as TOML-shaped data (what a spec file would hold)."""
    value = getattr(group, name)
    match meta:
        case f.Section():
            return data_from_props(value, meta.cls)
        case f.Number():
            return intended(value)
        case f.Integer() | f.Flag() | f.Text() | f.Choice():
            return value
        case f.Length():
            return _length(group, name)
        case f.OptionalLength():
            return meta.sentinel if getattr(group, name + DERIVE) else _length(group, name)
        case f.Color():
            return Color8(int(value[0]), int(value[1]), int(value[2]), as_hex=bool(getattr(group, name + AS_HEX))).to_toml()
        case f.Vector3():
            return [intended(c) for c in value]
        case f.Resolution():
            return [int(c) for c in value]
        case f.Names():
            return [c for c in value.split(",") if c]
        case f.NumberTable():
            return {key: intended(getattr(value, key)) for key in meta.keys if getattr(value, USE + key)}
        case f.StringTable():
            return {item.name: item.role for item in value}
        case _:
            assert_never(meta)


def data_from_props(group: Any, section: type[Any] = Spec) -> dict[str, Any]:
    """The panel's values as plain spec data, not yet validated."""
    return {name: _plain(meta, group, name) for name, meta in f.spec_fields(section)}


def spec_from_props(group: Any, source: str = "Portrait panel") -> Spec:
    """The validated Spec the panel describes; raises SpecError listing every problem."""
    return spec_from_data(data_from_props(group), source)


def _write_length(group: Any, name: str, value: Distance) -> None:
    # Unit first: setting it re-expresses the current number, which is overwritten next.
    setattr(group, name + UNIT, value.unit)
    setattr(group, name, value.value)


def _write(meta: FieldMeta, group: Any, name: str, value: Any) -> None:
    match meta:
        case f.Section():
            props_from_spec(getattr(group, name), value)
        case f.Number() | f.Integer() | f.Flag() | f.Text() | f.Choice():
            setattr(group, name, value)
        case f.Length():
            _write_length(group, name, value)
        case f.OptionalLength():
            setattr(group, name + DERIVE, value is None)
            if value is not None:
                _write_length(group, name, value)
        case f.Color():
            setattr(group, name, value.rgb)
            setattr(group, name + AS_HEX, value.as_hex)
        case f.Vector3() | f.Resolution():
            setattr(group, name, tuple(value))
        case f.Names():
            setattr(group, name, ",".join(value))
        case f.NumberTable():
            table = getattr(group, name)
            for key in meta.keys:
                setattr(table, USE + key, key in value)
                if key in value:
                    setattr(table, key, value[key])
        case f.StringTable():
            items = getattr(group, name)
            items.clear()
            for key, role in value.items():
                item = items.add()
                item.name = key
                item.role = role
        case _:
            assert_never(meta)


def props_from_spec(group: Any, spec: Any) -> None:
    """Write every field of ``spec`` (a Spec or one of its sections) into the panel's group."""
    for name, meta in f.spec_fields(spec):
        _write(meta, group, name, getattr(spec, name))


def respell_like(new: Any, old: Any) -> Any:
    """``new`` with each length written in the unit ``old`` used for it, so reading a scene back
    keeps "8 ft" in feet rather than switching it to metres."""
    changes: dict[str, Any] = {}
    for name, meta in f.spec_fields(new):
        value, before = getattr(new, name), getattr(old, name)
        if isinstance(meta, f.Section):
            changes[name] = respell_like(value, before)
        elif isinstance(value, Distance) and isinstance(before, Distance) and value.unit != before.unit:
            changes[name] = Distance(intended(value.metres / METRES_PER_UNIT[before.unit]), before.unit)
    return dataclasses.replace(new, **changes)
