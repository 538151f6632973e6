"""Converting between plain data (parsed TOML or JSON) and the typed ``Spec``.

``spec_from_data`` checks everything and raises one ``SpecError`` listing every problem, each
with its dotted path, the value found and what is allowed, plus the nearest key for a misspelt
one. ``spec_to_data`` is its exact inverse, so spec -> TOML -> spec is lossless.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
import unicodedata
from typing import Any, TypeVar, assert_never

from . import fields as f
from .chain_layout import link_width_mm
from .color import ALLOWED_COLOR, parse_color
from .cyclorama_profile import cove_clear_of_sitter, largest_clear_cove
from .errors import Problem, SpecError
from .fields import FieldMeta
from .hairstyle import length_allowed, length_fits
from .modifiers import dish_reaches_focus, size_problems
from .pattern_placement import place_key
from .pattern_placement import problems as pattern_problems
from .reflector import problems as reflector_problems
from .spec import RIG_ROLES, Spec
from .units import ALLOWED_DISTANCE, parse_distance

T = TypeVar("T")


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _num_range(meta: f.Ranged, *, integer: bool = False) -> str:
    unit = f" {meta.unit}" if meta.unit else ""
    kind = "an integer" if integer else "a number"
    return f"{kind} from {meta.lo:g} to {meta.hi:g}{unit}"


def _number(raw: object, meta: f.Ranged) -> float | None:
    """``raw`` if it is a number (a bool is not) from meta.lo to meta.hi; NaN fails the comparison."""
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not meta.lo <= raw <= meta.hi:
        return None
    return raw


def _integer(raw: object, meta: f.Ranged) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, int) or not meta.lo <= raw <= meta.hi:
        return None
    return raw


def _text_ok(raw: str, meta: f.Text) -> bool:
    if len(raw) > meta.max_length or any(unicodedata.category(c) == "Cc" for c in raw):
        return False
    return not meta.pattern or re.fullmatch(meta.pattern, raw) is not None


def _names(choices: tuple[str, ...]) -> str:
    return ", ".join(repr(c) for c in choices)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, raw: object, allowed: str) -> None:
        self.problems.append(Problem(path, _show(raw), allowed))

    def unknown(self, path: str, key: str, known: list[str] | tuple[str, ...]) -> None:
        here = f"{path}.{key}" if path else key
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        hint = f"; did you mean {path + '.' if path else ''}{close[0]}?" if close else ""
        self.problems.append(Problem(here, "an unknown key", f"one of {', '.join(known)}{hint}"))

    def section(self, default: T, raw: object, path: str) -> T:
        """Fields missing from ``raw`` keep the section's own defaults (a fill keeps fill defaults)."""
        if not isinstance(raw, dict):
            self.fail(path or "(root)", raw, "a table")
            return default
        known = dict(f.spec_fields(default))
        for key in raw:
            if key not in known:
                self.unknown(path, key, list(known))
        values: dict[str, object] = {}
        for name, meta in known.items():
            if name not in raw:
                continue
            here = f"{path}.{name}" if path else name
            converted = self.value(meta, raw[name], here, getattr(default, name))
            if converted is not _INVALID:
                values[name] = converted
        return dataclasses.replace(default, **values)  # type: ignore[type-var]

    def value(self, meta: FieldMeta, raw: object, path: str, default: object) -> object:
        """``raw`` as the field's value, or _INVALID after recording why."""
        match meta:
            case f.Section():
                return self.section(default, raw, path)
            case f.Number():
                number = _number(raw, meta)
                if number is None:
                    self.fail(path, raw, _num_range(meta))
                    return _INVALID
                return float(number)
            case f.Integer():
                integer = _integer(raw, meta)
                if integer is None:
                    self.fail(path, raw, _num_range(meta, integer=True))
                    return _INVALID
                return integer
            case f.Flag():
                if not isinstance(raw, bool):
                    self.fail(path, raw, "true or false")
                    return _INVALID
                return raw
            case f.Text():
                if not isinstance(raw, str):
                    self.fail(path, raw, "a string")
                    return _INVALID
                if not _text_ok(raw, meta):
                    shown = raw if len(raw) <= 60 else f"{raw[:60]}... ({len(raw)} characters)"
                    self.fail(path, shown, f"{meta.pattern_doc or 'text'}: at most {meta.max_length} characters, "
                                           "no control characters or line breaks")
                    return _INVALID
                return raw
            case f.Choice():
                if raw not in meta.choices:
                    close = difflib.get_close_matches(str(raw), meta.choices, n=1, cutoff=0.5)
                    hint = f"; did you mean {close[0]!r}?" if close and isinstance(raw, str) else ""
                    self.fail(path, raw, "one of " + _names(meta.choices) + hint)
                    return _INVALID
                return raw
            case f.Length():
                return self.length(meta, raw, path, "")
            case f.OptionalLength():
                if raw == meta.sentinel:
                    return None
                return self.length(meta, raw, path, f", or {meta.sentinel!r}")
            case f.Color():
                try:
                    return parse_color(raw)
                except ValueError:
                    self.fail(path, raw, ALLOWED_COLOR)
                    return _INVALID
            case f.Vector3():
                if not (isinstance(raw, list) and len(raw) == 3 and all(_number(c, meta) is not None for c in raw)):
                    self.fail(path, raw, f"[R, G, B], each {_num_range(meta)}")
                    return _INVALID
                return tuple(float(c) for c in raw)
            case f.Resolution():
                if not (isinstance(raw, list) and len(raw) == 2 and all(_integer(c, meta) is not None for c in raw)):
                    self.fail(path, raw, f"[width, height], integers from {meta.lo:g} to {meta.hi:g} px")
                    return _INVALID
                return (int(raw[0]), int(raw[1]))
            case f.Names():
                if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
                    self.fail(path, raw, "a list of names from " + ", ".join(meta.choices))
                    return _INVALID
                if any(c not in meta.choices for c in raw):
                    self.fail(path, raw, "names from " + ", ".join(meta.choices))
                    return _INVALID
                if len(set(raw)) != len(raw):
                    self.fail(path, raw, "each name at most once")
                    return _INVALID
                return tuple(raw)
            case f.NumberTable():
                if not isinstance(raw, dict):
                    self.fail(path, raw, "a table of region = number")
                    return _INVALID
                numbers: dict[str, float] = {}
                for key, item in raw.items():
                    number = _number(item, meta)
                    if key not in meta.keys:
                        self.unknown(path, key, meta.keys)
                    elif number is None:
                        self.fail(f"{path}.{key}", item, _num_range(meta))
                    else:
                        numbers[key] = float(number)
                return numbers
            case f.StringTable():
                if not isinstance(raw, dict):
                    self.fail(path, raw, "a table of name = role")
                    return _INVALID
                roles: dict[str, str] = {}
                for key, item in raw.items():
                    if item not in meta.choices:
                        self.fail(f"{path}.{key}", item, "one of " + _names(meta.choices))
                    else:
                        roles[key] = item
                return roles
            case _:
                assert_never(meta)

    def length(self, meta: f.Length | f.OptionalLength, raw: object, path: str, alternative: str) -> object:
        allowed = f"{ALLOWED_DISTANCE}, from {meta.lo:g} m to {meta.hi:g} m{alternative}"
        try:
            dist = parse_distance(raw)
        except ValueError:
            self.fail(path, raw, allowed)
            return _INVALID
        if not meta.lo <= dist.metres <= meta.hi:
            self.fail(path, raw, allowed)
            return _INVALID
        return dist


_INVALID = object()


def _cross_checks(spec: Spec) -> list[Problem]:
    """Rules that involve more than one field."""
    problems: list[Problem] = []
    if spec.subject.kind == "model" and not spec.subject.model:
        problems.append(Problem("subject.model", "''", 'a model file path when subject.kind = "model"'))
    ancestry = spec.subject.ancestry
    if ancestry.african + ancestry.asian + ancestry.caucasian <= 0.0:
        problems.append(Problem("subject.ancestry", "all three weights 0",
                                "at least one of african, asian, caucasian above 0 (they are normalised to sum 1)"))
    if spec.background.mode == "extraction":
        if spec.render.view_transform != "Standard":
            problems.append(Problem("render.view_transform", repr(spec.render.view_transform),
                                    "'Standard' when background.mode = 'extraction' (other transforms change the exact colour)"))
        if spec.render.exposure_ev != 0.0:
            problems.append(Problem("render.exposure_ev", repr(spec.render.exposure_ev),
                                    "0 when background.mode = 'extraction' (exposure changes the exact colour)"))
    hair = spec.subject.hair
    if not length_fits(hair.style, hair.length_cm):
        problems.append(Problem("subject.hair.length_cm", f"{hair.length_cm:g} cm with style {hair.style!r}",
                                f"{length_allowed(hair.style)} for {hair.style!r} hair (core.hairstyle), or another style"))
    if spec.lights.key.stops != 0.0:
        problems.append(Problem("lights.key.stops", repr(spec.lights.key.stops), "0 (the key is the reference for the other lights)"))
    if not spec.lights.key.enabled:
        problems.append(Problem("lights.key.enabled", "false", "true (exposure and every ratio are set from the key)"))
    for role in RIG_ROLES:
        light = spec.lights.rig(role)
        for found in size_problems(light.modifier, light.shape, light.width.metres, light.height.metres, light.spread_deg):
            of = "" if found.field == "modifier" else f" for modifier {light.modifier!r}"
            problems.append(Problem(f"lights.{role}.{found.field}", found.found + of, found.allowed))
        if light.enabled and light.modifier == "beauty_dish" and \
                not dish_reaches_focus(light.width.metres, light.distance.metres, light.spread_deg):
            problems.append(Problem(f"lights.{role}.spread_deg", f"{light.spread_deg:g} deg with a {light.width.metres:g} m "
                                    f"beauty dish at {light.distance.metres:g} m",
                                    "a wider grid: this one lets through only the light its deflector blocks"))
    return problems + _geometry_checks(spec) + pattern_problems(spec)


def _geometry_checks(spec: Spec) -> list[Problem]:
    """Values each in range that cannot be built together."""
    problems: list[Problem] = []
    chain = spec.jewelry.chain
    widest_wire = link_width_mm(chain.style, chain.link_length_mm) / 3.0
    if chain.wire_gauge_mm > widest_wire:  # the link's opening (width - 2 wires) must pass the next link's wire
        problems.append(Problem("jewelry.chain.wire_gauge_mm", f"{chain.wire_gauge_mm:g} mm with {chain.link_length_mm:g} mm "
                                f"{chain.style} links", f"at most {math.floor(widest_wire * 100) / 100:g} mm, so each "
                                "link's opening lets the next link's wire through (or longer links)"))
    wall, cove, eyes = spec.subject.distance_to_background, spec.background.cove_radius, spec.subject.eye_height.metres
    if not cove_clear_of_sitter(wall.metres, cove.metres, eyes):
        largest = largest_clear_cove(wall.metres, eyes)
        problems.append(Problem("background.cove_radius", f"{cove.value:g} {cove.unit} with the wall {wall.value:g} {wall.unit} behind "
                                f"the eyes (the cove would rise into the sitter)",
                                f"at most {math.floor(largest * 100) / 100:g} m for this wall distance and eye height, "
                                "or a farther backdrop"))
    return problems


def spec_from_data(data: object, source: str = "") -> Spec:
    """Validate plain data into a Spec, or raise SpecError listing every problem. A key with a
    lighting pattern comes back placed for the face (``pattern_placement``), so every reader of
    the spec (builder, prompt, scene.json, read-back) sees the same angles."""
    reader = _Reader()
    spec = reader.section(Spec(), data, "")
    problems = reader.problems or _cross_checks(spec)
    if problems:
        raise SpecError(problems, source)
    placed = place_key(spec)
    bounce = reflector_problems(placed)  # the reflector is placed for the key as it will be built
    if bounce:
        raise SpecError(bounce, source)
    return placed


def _plain(meta: FieldMeta, value: Any) -> Any:
    match meta:
        case f.Section():
            return spec_to_data(value)
        case f.Number() | f.Integer() | f.Flag() | f.Text() | f.Choice():
            return value
        case f.Length() | f.Color():
            return value.to_toml()
        case f.OptionalLength():
            return meta.sentinel if value is None else value.to_toml()
        case f.Vector3() | f.Resolution() | f.Names():
            return list(value)
        case f.NumberTable() | f.StringTable():
            return dict(value)
        case _:
            assert_never(meta)


def spec_to_data(spec: Any) -> dict[str, Any]:
    """The exact inverse of spec_from_data: plain data ready for TOML or JSON."""
    return {name: _plain(meta, getattr(spec, name)) for name, meta in f.spec_fields(spec)}


def field_meta(path: str) -> FieldMeta:
    """The metadata (kind, unit, range, doc) of a dotted spec path such as 'lights.fill.stops'."""
    section: type[Any] | None = Spec
    meta: FieldMeta | None = None
    for part in path.split("."):
        found = dict(f.spec_fields(section)).get(part) if section is not None else None
        if found is None:
            raise KeyError(path)
        meta = found
        section = meta.cls if isinstance(meta, f.Section) else None
    assert meta is not None  # str.split gives at least one part
    return meta
