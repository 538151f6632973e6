"""Drawing spec fields generically from their metadata, so a new spec field needs no panel edit.

``draw_section`` lays out every field of a spec section: numbers with their unit in the label,
lengths with their unit menu and a readout in the preferred units, colours as a picker plus the
exact 8-bit values, region lists as toggles, tables as rows, and nested sections as collapsible
layout panels. ``extras`` lets a panel add buttons after a given section (the stop nudges).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, assert_never

import bpy

from ...core import fields as f
from ...core.fields import FieldMeta
from ...core.units import METRES_PER_UNIT
from .properties import AS_HEX, DERIVE, PICK, SWATCH, UNIT, USE, label_for

Extras = Mapping[str, Callable[[Any, bpy.types.Context], None]]
NO_EXTRAS: Extras = MappingProxyType({})
IMPERIAL_UNITS = frozenset({"ft", "in"})


def section_type(spec_type: type, path: str) -> type:
    """The dataclass of the section at a dotted path ("" is the Spec itself)."""
    cls = spec_type
    for part in filter(None, path.split(".")):
        meta = dict(f.spec_fields(cls))[part]
        if not isinstance(meta, f.Section):
            raise KeyError(f"{path!r} is not a spec section")
        cls = meta.cls
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


def _draw_distance(col: Any, group: Any, name: str, meta: f.Length | f.OptionalLength, units: str) -> None:
    derive = isinstance(meta, f.OptionalLength)
    if derive:
        col.prop(group, name + DERIVE)
    row = col.row(align=True)
    if derive:
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


def _draw_names(col: Any, group: Any, name: str, meta: f.Names) -> None:
    col.label(text=label_for(name, None))
    grid = col.grid_flow(columns=3, even_columns=True, align=True)
    for choice in meta.choices:
        grid.prop_enum(group, name + PICK, choice)


def _draw_table(col: Any, group: Any, name: str, meta: f.NumberTable) -> None:
    table = getattr(group, name)
    col.label(text=label_for(name, meta.unit))
    flat = col.column(align=True)
    flat.use_property_split = False
    for key in meta.keys:
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


def draw_field(col: Any, context: bpy.types.Context, group: Any, name: str, meta: FieldMeta, path: str, units: str,
               extras: Extras = NO_EXTRAS) -> None:
    match meta:
        case f.Section():
            header, body = col.panel(f"PORTRAITSPEC_{path.replace('.', '_')}", default_closed=False)
            header.label(text=label_for(name, None))
            if body is not None:
                draw_section(body, context, getattr(group, name), meta.cls, path, units, extras)
        case f.Length() | f.OptionalLength():
            _draw_distance(col, group, name, meta, units)
        case f.Color():
            _draw_color(col, group, name)
        case f.Names():
            _draw_names(col, group, name, meta)
        case f.NumberTable():
            _draw_table(col, group, name, meta)
        case f.StringTable():
            _draw_strtable(col, group, name, path)
        case f.Number() | f.Integer() | f.Flag() | f.Text() | f.Choice() | f.Vector3() | f.Resolution():
            col.prop(group, name)
        case _:
            assert_never(meta)


def draw_section(layout: Any, context: bpy.types.Context, group: Any, cls: type, path: str, units: str,
                 extras: Extras = NO_EXTRAS) -> None:
    """Every field of the section ``cls`` at ``path``; nested sections become collapsible panels."""
    col = layout.column()
    for name, meta in f.spec_fields(cls):
        draw_field(col, context, group, name, meta, f"{path}.{name}" if path else name, units, extras)
    if path in extras:
        extras[path](col, context)
