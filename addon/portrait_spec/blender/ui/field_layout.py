"""Drawing spec fields generically from their metadata, so a new spec field needs no panel edit.

``draw_section`` lays out every field of a spec section: numbers with their unit in the label,
lengths with their unit menu and a readout in the preferred units, colours as a picker plus the
exact 8-bit values, region lists as toggles, tables as rows, and nested sections as collapsible
layout panels. ``extras`` lets a panel add buttons after a given section (the stop nudges).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import bpy

from ...core.units import METRES_PER_UNIT
from .properties import AS_HEX, DERIVE, PICK, SWATCH, UNIT, USE, label_for, section_class

Extras = Mapping[str, Callable[[Any, bpy.types.Context], None]]
NO_EXTRAS: Extras = MappingProxyType({})
IMPERIAL_UNITS = frozenset({"ft", "in"})


def section_type(spec_type: type, path: str) -> type:
    """The dataclass of the section at a dotted path ("" is the Spec itself)."""
    cls = spec_type
    for part in filter(None, path.split(".")):
        field = next(fl for fl in dataclasses.fields(cls) if fl.name == part)
        cls = section_class(field)
    return cls


def group_at(root: Any, path: str) -> Any:
    group = root
    for part in filter(None, path.split(".")):
        group = getattr(group, part)
    return group


def length_readout(value: float, unit: str, preferred: str) -> str | None:
    """The same length in the preferred system when it is written in the other one."""
    metres = value * METRES_PER_UNIT[unit]
    if preferred == "IMPERIAL" and unit not in IMPERIAL_UNITS:
        return f"= {metres / METRES_PER_UNIT['ft']:.2f} ft"
    if preferred == "METRIC" and unit in IMPERIAL_UNITS:
        return f"= {metres:.3f} m"
    return None


def _draw_distance(col: Any, group: Any, name: str, meta: dict[str, Any], units: str) -> None:
    if meta["kind"] == "distance?":
        col.prop(group, name + DERIVE)
    row = col.row(align=True)
    if meta["kind"] == "distance?":
        row.active = not getattr(group, name + DERIVE)
    row.prop(group, name)
    row.prop(group, name + UNIT, text="")
    readout = length_readout(getattr(group, name), getattr(group, name + UNIT), units)
    if readout:
        sub = col.row()
        sub.alignment = "RIGHT"
        sub.label(text=readout)


def _draw_color(col: Any, group: Any, name: str) -> None:
    col.prop(group, name + SWATCH)
    col.prop(group, name, text="sRGB 0-255")
    r, g, b = getattr(group, name)
    row = col.row()
    row.prop(group, name + AS_HEX)
    row.label(text=f"#{r:02X}{g:02X}{b:02X}")


def _draw_names(col: Any, group: Any, name: str, meta: dict[str, Any]) -> None:
    col.label(text=label_for(name, None))
    grid = col.grid_flow(columns=3, even_columns=True, align=True)
    for choice in meta["choices"]:
        grid.prop_enum(group, name + PICK, choice)


def _draw_table(col: Any, group: Any, name: str, meta: dict[str, Any]) -> None:
    table = getattr(group, name)
    col.label(text=label_for(name, meta.get("unit")))
    flat = col.column(align=True)
    flat.use_property_split = False
    for key in meta["choices"]:
        row = flat.row(align=True)
        row.prop(table, USE + key, text=key.replace("_", " ").title())
        sub = row.row(align=True)
        sub.active = getattr(table, USE + key)
        sub.prop(table, key, text="")


def _draw_strtable(col: Any, group: Any, name: str, path: str) -> None:
    items = getattr(group, name)
    col.label(text=label_for(name, None))
    flat = col.column(align=True)
    flat.use_property_split = False
    for index, item in enumerate(items):
        row = flat.row(align=True)
        row.prop(item, "name", text="")
        row.prop(item, "role", text="")
        remove = row.operator("portrait_spec.table_remove", text="", icon="X")
        remove.path = path
        remove.index = index
    add = flat.operator("portrait_spec.table_add", icon="ADD")
    add.path = path


def draw_field(col: Any, group: Any, name: str, meta: dict[str, Any], path: str, units: str) -> None:
    kind = meta["kind"]
    if kind in ("distance", "distance?"):
        _draw_distance(col, group, name, meta, units)
    elif kind == "color":
        _draw_color(col, group, name)
    elif kind == "names":
        _draw_names(col, group, name, meta)
    elif kind == "table":
        _draw_table(col, group, name, meta)
    elif kind == "strtable":
        _draw_strtable(col, group, name, path)
    else:
        col.prop(group, name)


def draw_section(layout: Any, context: bpy.types.Context, group: Any, cls: type, path: str, units: str,
                 extras: Extras = NO_EXTRAS) -> None:
    """Every field of the section ``cls`` at ``path``; nested sections become collapsible panels."""
    col = layout.column()
    for field in dataclasses.fields(cls):
        meta = dict(field.metadata)
        here = f"{path}.{field.name}" if path else field.name
        if meta["kind"] == "section":
            header, body = col.panel(f"PORTRAITSPEC_{here.replace('.', '_')}", default_closed=False)
            header.label(text=label_for(field.name, None))
            if body is not None:
                draw_section(body, context, getattr(group, field.name), section_class(field), here, units, extras)
        else:
            draw_field(col, group, field.name, meta, here, units)
    if path in extras:
        extras[path](col, context)
