"""Blender properties for every spec field, generated from the spec's own field metadata.

One PropertyGroup class is generated per spec section *path* (``lights.key``, ``lights.fill``
and ``lights.rim`` each get their own), so every property's default is that section's default
and a fresh scene's panel equals ``Spec()``. Kind, unit, range and tooltip come from
``core/fields.py`` metadata: a field added to the spec gets a property, a tooltip and a place in
the panel without any edit here.

Some kinds need helper properties beside the field's own one, named ``<field><SUFFIX>``:

* distance: the number in its written unit, plus ``__unit`` (changing the unit keeps the length);
  an optional distance also has ``__derive`` (the spec's sentinel word, e.g. "eye_level").
* color: the exact 8-bit sRGB triple, plus ``__as_hex`` (how the TOML writes it) and
  ``__swatch`` (a colour picker that reads and writes the same triple).
* names: the ordered, comma-separated names (the truth), plus ``__pick`` (toggle buttons).
* strtable: a collection of items, each a name (the item's own ``name``) and a ``role``.
* table: a sub-group with, per allowed key, the value and ``use_<key>`` (whether it is present).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Literal, assert_never

import bpy

from ...core import fields as f
from ...core.fields import FieldMeta
from ...core.spec import PROMPT_TARGETS, Spec
from ...core.units import METRES_PER_UNIT, Distance
from ..compat import (
    BoolProperty,
    CollectionProperty,
    EnumProperty,
    FloatProperty,
    FloatVectorProperty,
    IntProperty,
    IntVectorProperty,
    PointerProperty,
    StringProperty,
)
from ..narrow import of_type

CLASS_PREFIX = "PORTRAITSPEC_PG_"
SCENE_PROPERTY = "portrait_spec_settings"  # not "portrait_spec": that key holds the built spec's JSON

UNIT = "__unit"
DERIVE = "__derive"
AS_HEX = "__as_hex"
SWATCH = "__swatch"
PICK = "__pick"
USE = "use_"

UNIT_NAMES = MappingProxyType({"m": "metres", "cm": "centimetres", "mm": "millimetres", "ft": "feet", "in": "inches"})
UNIT_KEYS: tuple[str, ...] = tuple(METRES_PER_UNIT)

# How a metadata unit is shown after the label; "" shows none.
_UNIT_LABELS = MappingProxyType({"deg": "°", "fraction": "", "samples": "", "": ""})
# Trailing name words that only repeat the unit ("focal_length_mm" -> "Focal Length (mm)").
_UNIT_WORDS = frozenset({"mm", "deg", "k", "ev", "stops"})
_PRECISION = MappingProxyType({"K": 0, "deg": 1, "stops": 2, "fraction": 3, "mm": 2, "EV": 2})
# Stops drag in thirds; Blender's step is in hundredths.
_STEP = MappingProxyType({"stops": 33, "K": 10000, "deg": 100})
# Narrower drag ranges where the valid range is far wider than what portraits use.
_SOFT = MappingProxyType({
    "camera.focal_length_mm": (35.0, 300.0),
    "camera.f_number": (1.4, 22.0),
    "render.samples": (0, 4096),
    "render.seed": (0, 1000),
})
_SUBTYPES: Mapping[str, Literal["FILE_PATH", "NONE"]] = MappingProxyType({"subject.model": "FILE_PATH"})


def class_name(path: str) -> str:
    return CLASS_PREFIX + (path.replace(".", "_") if path else "spec")


def label_for(name: str, unit: str | None) -> str:
    words = name.split("_")
    if len(words) > 1 and words[-1] in _UNIT_WORDS:
        words = words[:-1]
    title = " ".join(w.capitalize() for w in words)
    shown = _UNIT_LABELS.get(unit or "", unit or "")
    return f"{title} ({shown})" if shown and shown.lower() != title.lower() else title


def _range_text(meta: f.Ranged) -> str:
    unit_text = {"deg": "°", "m": " m"}.get(meta.unit, f" {meta.unit}" if meta.unit else "")
    return f" Valid: {meta.lo:g} to {meta.hi:g}{unit_text}."


def tooltip(meta: FieldMeta) -> str:
    return meta.doc + (_range_text(meta) if isinstance(meta, f.Ranged) else "")


def walk_sections(instance: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, default instance) for every section, children before their parent."""
    for name, meta in f.spec_fields(instance):
        if isinstance(meta, f.Section):
            yield from walk_sections(getattr(instance, name), f"{path}.{name}" if path else name)
    yield path, instance


# --- property factories per kind -------------------------------------------------------------


def _unit_getter(key: str, default: int) -> Callable[[Any], int]:
    def get(self: Any) -> int:
        return int(self.get(key, default))

    return get


def _unit_setter(key: str, value_name: str, default: int) -> Callable[[Any, int], None]:
    def set_unit(self: Any, index: int) -> None:
        # Changing the unit re-expresses the same length, so the physical distance never jumps.
        old = UNIT_KEYS[int(self.get(key, default))]
        new = UNIT_KEYS[index]
        metres = getattr(self, value_name) * METRES_PER_UNIT[old]
        setattr(self, value_name, metres / METRES_PER_UNIT[new])
        self[key] = index

    return set_unit


def _distance_props(name: str, meta: f.Length | f.OptionalLength, default: Distance | None) -> dict[str, Any]:
    shown = default or Distance(min(max(1.0, meta.lo), meta.hi), "m")
    unit_index = UNIT_KEYS.index(shown.unit)
    unit_key = name + UNIT
    props: dict[str, Any] = {
        name: FloatProperty(
            name=label_for(name, None), description=tooltip(meta), default=shown.value,
            min=0.0, soft_min=0.0, precision=3, step=10,
        ),
        unit_key: EnumProperty(
            name="Unit", description="Unit this length is written in (changing it keeps the length)",
            items=[(u, u, UNIT_NAMES[u], i) for i, u in enumerate(UNIT_KEYS)],
            get=_unit_getter(unit_key, unit_index), set=_unit_setter(unit_key, name, unit_index),
        ),
    }
    if isinstance(meta, f.OptionalLength):
        props[name + DERIVE] = BoolProperty(
            name=meta.sentinel.replace("_", " ").title(), default=default is None,
            description=f'Use "{meta.sentinel}" instead of a length: {meta.doc}',
        )
    return props


def _swatch_getter(name: str) -> Callable[[Any], tuple[float, float, float]]:
    def get(self: Any) -> tuple[float, float, float]:
        r, g, b = getattr(self, name)
        return (r / 255.0, g / 255.0, b / 255.0)

    return get


def _swatch_setter(name: str) -> Callable[[Any, Any], None]:
    def set_swatch(self: Any, value: Any) -> None:
        setattr(self, name, tuple(min(255, max(0, round(c * 255.0))) for c in value))

    return set_swatch


def _color_props(name: str, meta: f.Color, default: Any) -> dict[str, Any]:
    return {
        name: IntVectorProperty(
            name=label_for(name, None), description=tooltip(meta) + " 8-bit sRGB, 0 to 255 per channel.",
            size=3, min=0, max=255, default=default.rgb, subtype="NONE",
        ),
        name + AS_HEX: BoolProperty(name="Write as Hex", default=default.as_hex,
                                    description='Write this colour as "#RRGGBB" in saved TOML'),
        name + SWATCH: FloatVectorProperty(
            name=label_for(name, None), description=meta.doc, size=3, min=0.0, max=1.0,
            subtype="COLOR_GAMMA", get=_swatch_getter(name), set=_swatch_setter(name),
        ),
    }


def _pick_getter(name: str, choices: tuple[str, ...]) -> Callable[[Any], int]:
    def get(self: Any) -> int:
        chosen = [c for c in getattr(self, name).split(",") if c]
        return sum(1 << choices.index(c) for c in chosen if c in choices)

    return get


def _pick_setter(name: str, choices: tuple[str, ...]) -> Callable[[Any, int], None]:
    def set_pick(self: Any, bits: int) -> None:
        # Keep the order the user (or the TOML) gave; newly ticked names go at the end.
        on = {c for i, c in enumerate(choices) if bits & (1 << i)}
        kept = [c for c in getattr(self, name).split(",") if c in on]
        added = [c for c in choices if c in on and c not in kept]
        setattr(self, name, ",".join(kept + added))

    return set_pick


def _names_props(name: str, meta: f.Names, default: tuple[str, ...]) -> dict[str, Any]:
    choices = meta.choices
    return {
        name: StringProperty(name=label_for(name, None), default=",".join(default),
                             description=meta.doc + " (comma-separated, in order)"),
        name + PICK: EnumProperty(
            name=label_for(name, None), description=meta.doc, options={"ENUM_FLAG"},
            items=[(c, c.replace("_", " ").title(), c, 1 << i) for i, c in enumerate(choices)],
            get=_pick_getter(name, choices), set=_pick_setter(name, choices),
        ),
    }


def _table_class(path: str, meta: f.NumberTable, default: dict[str, float]) -> type:
    annotations: dict[str, Any] = {}
    fallback = default.get("default", meta.lo)
    for key in meta.keys:
        annotations[key] = FloatProperty(
            name=key.replace("_", " ").title(), description=f"{meta.doc} ({key})" + _range_text(meta),
            default=default.get(key, fallback), min=meta.lo, max=meta.hi,
            precision=_PRECISION.get(meta.unit, 3),
        )
        annotations[USE + key] = BoolProperty(name=f"Set {key}", default=key in default,
                                              description=f"Whether the spec states a value for {key}")
    return type(class_name(path), (bpy.types.PropertyGroup,), {"__annotations__": annotations, "__doc__": meta.doc})


def _strtable_item_class(path: str, meta: f.StringTable) -> type:
    annotations = {
        "role": EnumProperty(name="Role", description=meta.doc,
                             items=[(c, c.title(), c) for c in meta.choices]),
    }
    return type(class_name(path) + "_item", (bpy.types.PropertyGroup,),
                {"__annotations__": annotations, "__doc__": "One name mapped to a role; the name is the item's name."})


def _field_props(path: str, name: str, meta: FieldMeta, default: Any, made: Mapping[str, type],
                 extra_classes: list[type]) -> dict[str, Any]:
    """The properties that hold one field (see the module docstring); a table or a string table
    also makes a class of its own, which is appended to ``extra_classes`` for registration."""
    desc = tooltip(meta)
    match meta:
        case f.Section():
            return {name: PointerProperty(type=made[path], name=label_for(name, None), description=meta.doc)}
        case f.Number():
            soft_lo, soft_hi = _SOFT.get(path, (meta.lo, meta.hi))
            return {name: FloatProperty(name=label_for(name, meta.unit), description=desc, default=default, min=meta.lo,
                                        max=meta.hi, soft_min=soft_lo, soft_max=soft_hi,
                                        precision=_PRECISION.get(meta.unit, 3), step=_STEP.get(meta.unit, 3))}
        case f.Integer():
            soft_lo, soft_hi = _SOFT.get(path, (meta.lo, meta.hi))
            return {name: IntProperty(name=label_for(name, meta.unit), description=desc, default=default, min=int(meta.lo),
                                      max=int(meta.hi), soft_min=int(soft_lo), soft_max=int(soft_hi))}
        case f.Flag():
            return {name: BoolProperty(name=label_for(name, None), description=desc, default=default)}
        case f.Text():
            return {name: StringProperty(name=label_for(name, None), description=desc, default=default,
                                         subtype=_SUBTYPES.get(path, "NONE"))}
        case f.Choice():
            items = [(c, c.replace("_", " ").title(), desc) for c in meta.choices]
            return {name: EnumProperty(name=label_for(name, None), description=desc, items=items, default=default)}
        case f.Length() | f.OptionalLength():
            return _distance_props(name, meta, default)
        case f.Color():
            return _color_props(name, meta, default)
        case f.Vector3():
            return {name: FloatVectorProperty(name=label_for(name, meta.unit), description=desc + " Channels R, G, B.", size=3,
                                              default=default, min=meta.lo, max=meta.hi,
                                              precision=_PRECISION.get(meta.unit, 3))}
        case f.Resolution():
            return {name: IntVectorProperty(name=label_for(name, meta.unit), description=desc, size=2, default=default,
                                            min=int(meta.lo), max=int(meta.hi))}
        case f.Names():
            return _names_props(name, meta, default)
        case f.NumberTable():
            table_cls = _table_class(path, meta, default)
            extra_classes.append(table_cls)
            return {name: PointerProperty(type=table_cls, name=label_for(name, None), description=meta.doc)}
        case f.StringTable():
            item_cls = _strtable_item_class(path, meta)
            extra_classes.append(item_cls)
            return {name: CollectionProperty(type=item_cls, name=label_for(name, None), description=meta.doc)}
        case _:
            assert_never(meta)


_RESERVED = frozenset(dir(bpy.types.PropertyGroup)) | frozenset(bpy.types.PropertyGroup.bl_rna.properties.keys())


def _check_name(path: str, name: str) -> None:
    if name in _RESERVED or name.startswith("bl_"):
        raise AssertionError(f"spec field {path!r} clashes with a PropertyGroup attribute; rename the field")


def _generate() -> tuple[tuple[type, ...], type]:
    """All spec PropertyGroup classes in registration order (children first), and the root."""
    made: dict[str, type] = {}
    ordered: list[type] = []
    for path, instance in walk_sections(Spec()):
        annotations: dict[str, Any] = {}
        for name, meta in f.spec_fields(instance):
            here = f"{path}.{name}" if path else name
            _check_name(here, name)
            annotations.update(_field_props(here, name, meta, getattr(instance, name), made, ordered))
        doc = "Portrait Spec: " + (path or "the whole scene spec")
        cls = type(class_name(path), (bpy.types.PropertyGroup,), {"__annotations__": annotations, "__doc__": doc})
        made[path] = cls
        ordered.append(cls)
    return tuple(ordered), made[""]


SPEC_CLASSES, SpecProperties = _generate()

TARGET_ITEMS = (
    ("DEFAULT", "Default", "The target set in the add-on preferences, or the spec's prompt.target"),
    *((t, t.upper() if t == "sdxl" else t.capitalize(), f"Prompt for {t}") for t in PROMPT_TARGETS),
)


class PORTRAITSPEC_PG_settings(bpy.types.PropertyGroup):
    """Everything the panel keeps on the scene: the spec's fields and a little UI state."""

    spec: PointerProperty(type=SpecProperties, name="Spec")  # type: ignore[valid-type]
    preview_target: EnumProperty(  # type: ignore[valid-type]
        name="Target", description="Which prompt the Prompt box shows, copies and exports", items=TARGET_ITEMS,
    )
    preset_name: StringProperty(name="Preset", description="The preset last loaded or saved")  # type: ignore[valid-type]
    spec_dir: StringProperty(  # type: ignore[valid-type]
        name="Spec Folder", subtype="DIR_PATH",
        description="Folder that relative paths in the spec (a model file) are read from; the .blend's folder when empty",
    )
    verify_report: StringProperty(name="Verify Report", description="The last Verify table")  # type: ignore[valid-type]
    verify_state: EnumProperty(  # type: ignore[valid-type]
        name="Verify Result",
        items=(("NONE", "Not Verified", ""), ("PASSED", "Passed", ""), ("FAILED", "Failed", "")),
    )


CLASSES: tuple[type, ...] = (*SPEC_CLASSES, PORTRAITSPEC_PG_settings)


def settings_of(scene: bpy.types.Scene | None) -> PORTRAITSPEC_PG_settings:
    if scene is None:
        raise RuntimeError("Portrait Spec needs a scene in the context")
    return of_type(getattr(scene, SCENE_PROPERTY), PORTRAITSPEC_PG_settings)
