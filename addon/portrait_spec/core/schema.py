"""Converting between plain data (parsed TOML or JSON) and the typed ``Spec``.

``spec_from_data`` checks everything and raises one ``SpecError`` listing every problem, each
with its dotted path, the value found and what is allowed, plus the nearest key for a misspelt
one. ``spec_to_data`` is its exact inverse, so spec -> TOML -> spec is lossless.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from typing import Any, TypeVar

from .color import ALLOWED_COLOR, Color8, parse_color
from .errors import Problem, SpecError
from .spec import Spec
from .units import ALLOWED_DISTANCE, Distance, parse_distance

T = TypeVar("T")


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _num_range(meta: dict[str, Any]) -> str:
    unit = f" {meta['unit']}" if meta.get("unit") else ""
    kind = "an integer" if meta["kind"] == "int" else "a number"
    return f"{kind} from {meta['lo']:g} to {meta['hi']:g}{unit}"


def _is_number(raw: object) -> bool:
    return isinstance(raw, (int, float)) and not isinstance(raw, bool)


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, raw: object, allowed: str) -> None:
        self.problems.append(Problem(path, _show(raw), allowed))

    def section(self, default: T, raw: object, path: str) -> T:
        """Fields missing from ``raw`` keep the section's own defaults (a fill keeps fill defaults)."""
        if not isinstance(raw, dict):
            self.fail(path or "(root)", raw, "a table")
            return default
        known = {fl.name: fl for fl in dataclasses.fields(default)}  # type: ignore[arg-type]
        for key in raw:
            if key not in known:
                here = f"{path}.{key}" if path else key
                close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                hint = f"; did you mean {path + '.' if path else ''}{close[0]}?" if close else ""
                self.problems.append(Problem(here, "an unknown key", f"one of {', '.join(known)}{hint}"))
        values: dict[str, Any] = {}
        for name, fl in known.items():
            if name not in raw:
                continue
            here = f"{path}.{name}" if path else name
            converted = self.value(fl.metadata, raw[name], here, fl)
            if converted is not _INVALID:
                values[name] = converted
        return dataclasses.replace(default, **values)  # type: ignore[type-var]

    def value(self, meta: Any, raw: object, path: str, fl: dataclasses.Field[Any]) -> Any:
        kind = meta["kind"]
        if kind == "section":
            return self.section(fl.default_factory(), raw, path)  # type: ignore[operator]
        if kind in ("float", "int"):
            ok_type = _is_number(raw) and (kind == "float" or isinstance(raw, int))
            if not ok_type or not math.isfinite(float(raw)) or not meta["lo"] <= raw <= meta["hi"]:  # type: ignore[arg-type]
                self.fail(path, raw, _num_range(meta))
                return _INVALID
            return float(raw) if kind == "float" else int(raw)  # type: ignore[arg-type, call-overload]
        if kind == "bool":
            if not isinstance(raw, bool):
                self.fail(path, raw, "true or false")
                return _INVALID
            return raw
        if kind == "str":
            if not isinstance(raw, str):
                self.fail(path, raw, "a string")
                return _INVALID
            return raw
        if kind == "choice":
            if raw not in meta["choices"]:
                close = difflib.get_close_matches(str(raw), meta["choices"], n=1, cutoff=0.5)
                hint = f"; did you mean {close[0]!r}?" if close and isinstance(raw, str) else ""
                self.fail(path, raw, "one of " + ", ".join(repr(c) for c in meta["choices"]) + hint)
                return _INVALID
            return raw
        if kind in ("distance", "distance?"):
            if kind == "distance?" and raw == meta["sentinel"]:
                return None
            allowed = f"{ALLOWED_DISTANCE}, from {meta['lo']:g} m to {meta['hi']:g} m"
            if kind == "distance?":
                allowed += f", or {meta['sentinel']!r}"
            try:
                dist = parse_distance(raw)
            except ValueError:
                self.fail(path, raw, allowed)
                return _INVALID
            if not meta["lo"] <= dist.metres <= meta["hi"]:
                self.fail(path, raw, allowed)
                return _INVALID
            return dist
        if kind == "color":
            try:
                return parse_color(raw)
            except ValueError:
                self.fail(path, raw, ALLOWED_COLOR)
                return _INVALID
        if kind == "vec3":
            if not (isinstance(raw, list) and len(raw) == 3 and all(_is_number(c) and meta["lo"] <= c <= meta["hi"] for c in raw)):
                self.fail(path, raw, f"[R, G, B], each {_num_range({**meta, 'kind': 'float'})}")
                return _INVALID
            return tuple(float(c) for c in raw)
        if kind == "res":
            if not (isinstance(raw, list) and len(raw) == 2
                    and all(isinstance(c, int) and not isinstance(c, bool) and meta["lo"] <= c <= meta["hi"] for c in raw)):
                self.fail(path, raw, f"[width, height], integers from {meta['lo']} to {meta['hi']} px")
                return _INVALID
            return (int(raw[0]), int(raw[1]))
        if kind == "names":
            if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
                self.fail(path, raw, "a list of names from " + ", ".join(meta["choices"]))
                return _INVALID
            bad = [c for c in raw if c not in meta["choices"]]
            if bad:
                self.fail(path, raw, "names from " + ", ".join(meta["choices"]))
                return _INVALID
            if len(set(raw)) != len(raw):
                self.fail(path, raw, "each name at most once")
                return _INVALID
            return tuple(raw)
        if kind == "table":
            if not isinstance(raw, dict):
                self.fail(path, raw, "a table of region = number")
                return _INVALID
            result: dict[str, float] = {}
            for key, item in raw.items():
                here = f"{path}.{key}"
                if key not in meta["choices"]:
                    close = difflib.get_close_matches(key, meta["choices"], n=1, cutoff=0.6)
                    hint = f"; did you mean {path}.{close[0]}?" if close else ""
                    self.problems.append(Problem(here, "an unknown key", "one of " + ", ".join(meta["choices"]) + hint))
                elif not (_is_number(item) and meta["lo"] <= item <= meta["hi"]):
                    self.fail(here, item, _num_range({**meta, "kind": "float"}))
                else:
                    result[key] = float(item)
            return result
        if kind == "strtable":
            if not isinstance(raw, dict):
                self.fail(path, raw, "a table of name = role")
                return _INVALID
            mapping: dict[str, str] = {}
            for key, item in raw.items():
                if item not in meta["choices"]:
                    self.fail(f"{path}.{key}", item, "one of " + ", ".join(repr(c) for c in meta["choices"]))
                else:
                    mapping[key] = item
            return mapping
        raise AssertionError(f"unhandled field kind {kind}")  # pragma: no cover


_INVALID = object()


def _cross_checks(spec: Spec) -> list[Problem]:
    """Rules that involve more than one field."""
    problems: list[Problem] = []
    if spec.subject.kind == "model" and not spec.subject.model:
        problems.append(Problem("subject.model", "''", 'a model file path when subject.kind = "model"'))
    if spec.background.mode == "extraction":
        if spec.render.view_transform != "Standard":
            problems.append(Problem("render.view_transform", repr(spec.render.view_transform),
                                    "'Standard' when background.mode = 'extraction' (other transforms change the exact colour)"))
        if spec.render.exposure_ev != 0.0:
            problems.append(Problem("render.exposure_ev", repr(spec.render.exposure_ev),
                                    "0 when background.mode = 'extraction' (exposure changes the exact colour)"))
    if spec.lights.key.stops != 0.0:
        problems.append(Problem("lights.key.stops", repr(spec.lights.key.stops), "0 (the key is the reference for the other lights)"))
    if not spec.lights.key.enabled:
        problems.append(Problem("lights.key.enabled", "false", "true (exposure and every ratio are set from the key)"))
    return problems


def spec_from_data(data: object, source: str = "") -> Spec:
    """Validate plain data into a Spec, or raise SpecError listing every problem."""
    reader = _Reader()
    spec = reader.section(Spec(), data, "")
    problems = reader.problems or _cross_checks(spec)
    if problems:
        raise SpecError(problems, source)
    return spec


def _plain(meta: Any, value: Any) -> Any:
    kind = meta["kind"]
    if kind == "section":
        return spec_to_data(value)
    if isinstance(value, (Distance, Color8)):
        return value.to_toml()
    if kind == "distance?" and value is None:
        return meta["sentinel"]
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def spec_to_data(spec: Any) -> dict[str, Any]:
    """The exact inverse of spec_from_data: plain data ready for TOML or JSON."""
    return {fl.name: _plain(fl.metadata, getattr(spec, fl.name)) for fl in dataclasses.fields(spec)}


def field_meta(path: str) -> dict[str, Any]:
    """The metadata (kind, unit, range, doc) of a dotted spec path such as 'lights.fill.stops'."""
    cls: Any = Spec
    meta: dict[str, Any] = {}
    for part in path.split("."):
        matches = [fl for fl in dataclasses.fields(cls) if fl.name == part]
        if not matches:
            raise KeyError(path)
        meta = dict(matches[0].metadata)
        if meta["kind"] == "section":
            cls = type(matches[0].default_factory())  # type: ignore[operator]
    return meta
