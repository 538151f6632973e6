"""Converting the panel's properties to a validated Spec and back, exactly.

``spec_from_props`` goes through the same ``spec_from_data`` as a TOML file, so the panel gets
the same checks and messages; ``props_from_spec`` writes every field. For every spec whose
numbers have up to six significant digits (all presets do), ``spec_from_props(props_from_spec(s))
== s``: floats are recovered from Blender's 32-bit storage by ``float32.intended``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ...core.color import Color8
from ...core.schema import spec_from_data
from ...core.spec import Spec
from ...core.units import METRES_PER_UNIT, Distance
from .float32 import intended
from .properties import AS_HEX, DERIVE, UNIT, USE, section_class


def _plain(meta: dict[str, Any], group: Any, name: str) -> Any:
    """One field's value as TOML-shaped data (what a spec file would hold)."""
    kind = meta["kind"]
    value = getattr(group, name)
    if kind == "float":
        return intended(value)
    if kind in ("int", "bool", "str", "choice"):
        return value
    if kind in ("distance", "distance?"):
        if kind == "distance?" and getattr(group, name + DERIVE):
            return meta["sentinel"]
        return Distance(intended(value), getattr(group, name + UNIT)).to_toml()
    if kind == "color":
        return Color8(int(value[0]), int(value[1]), int(value[2]), as_hex=bool(getattr(group, name + AS_HEX))).to_toml()
    if kind == "vec3":
        return [intended(c) for c in value]
    if kind == "res":
        return [int(c) for c in value]
    if kind == "names":
        return [c for c in value.split(",") if c]
    if kind == "table":
        return {key: intended(getattr(value, key)) for key in meta["choices"] if getattr(value, USE + key)}
    if kind == "strtable":
        return {item.name: item.role for item in value}
    raise AssertionError(f"unhandled field kind {kind!r}")


def data_from_props(group: Any, section: Any = Spec) -> dict[str, Any]:
    """The panel's values as plain spec data, not yet validated."""
    data: dict[str, Any] = {}
    for fl in dataclasses.fields(section):
        meta = dict(fl.metadata)
        if meta["kind"] == "section":
            data[fl.name] = data_from_props(getattr(group, fl.name), section_class(fl))
        else:
            data[fl.name] = _plain(meta, group, fl.name)
    return data


def spec_from_props(group: Any, source: str = "Portrait panel") -> Spec:
    """The validated Spec the panel describes; raises SpecError listing every problem."""
    return spec_from_data(data_from_props(group), source)


def _write(meta: dict[str, Any], group: Any, name: str, value: Any) -> None:
    kind = meta["kind"]
    if kind in ("float", "int", "bool", "str", "choice"):
        setattr(group, name, value)
    elif kind in ("distance", "distance?"):
        if kind == "distance?":
            setattr(group, name + DERIVE, value is None)
            if value is None:
                return
        # Unit first: setting it re-expresses the current number, which is overwritten next.
        setattr(group, name + UNIT, value.unit)
        setattr(group, name, value.value)
    elif kind == "color":
        setattr(group, name, value.rgb)
        setattr(group, name + AS_HEX, value.as_hex)
    elif kind in ("vec3", "res"):
        setattr(group, name, tuple(value))
    elif kind == "names":
        setattr(group, name, ",".join(value))
    elif kind == "table":
        table = getattr(group, name)
        for key in meta["choices"]:
            setattr(table, USE + key, key in value)
            if key in value:
                setattr(table, key, value[key])
    elif kind == "strtable":
        items = getattr(group, name)
        items.clear()
        for key, role in value.items():
            item = items.add()
            item.name = key
            item.role = role
    else:
        raise AssertionError(f"unhandled field kind {kind!r}")


def props_from_spec(group: Any, spec: Any) -> None:
    """Write every field of ``spec`` (a Spec or one of its sections) into the panel's group."""
    for fl in dataclasses.fields(spec):
        meta = dict(fl.metadata)
        value = getattr(spec, fl.name)
        if meta["kind"] == "section":
            props_from_spec(getattr(group, fl.name), value)
        else:
            _write(meta, group, fl.name, value)


def respell_like(new: Any, old: Any) -> Any:
    """``new`` with each length written in the unit ``old`` used for it, so reading a scene back
    keeps "8 ft" in feet rather than switching it to metres."""
    changes: dict[str, Any] = {}
    for fl in dataclasses.fields(new):
        value, before = getattr(new, fl.name), getattr(old, fl.name)
        if fl.metadata["kind"] == "section":
            changes[fl.name] = respell_like(value, before)
        elif isinstance(value, Distance) and isinstance(before, Distance) and value.unit != before.unit:
            changes[fl.name] = Distance(intended(value.metres / METRES_PER_UNIT[before.unit]), before.unit)
    return dataclasses.replace(new, **changes)
