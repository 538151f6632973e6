"""Reading a spec from TOML (with --set overrides) and writing one back.

The writer only needs the spec's own shapes (tables of scalars, arrays and sub-tables), so it
is a few lines here rather than a bundled dependency in the extension.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from .errors import Problem, SpecError
from .schema import spec_from_data, spec_to_data
from .spec import Spec


def parse_override(text: str) -> tuple[str, Any]:
    """``dotted.path=value``; the value is read as TOML (so 2, -1.5, true, "8 ft", [1, 2]) and
    falls back to a bare string (so ``background.mode=gradient`` works without quotes)."""
    if "=" not in text:
        raise SpecError([Problem(text, "no '='", "dotted.path=value, e.g. lights.fill.stops=-2")], "--set")
    path, raw = (part.strip() for part in text.split("=", 1))
    try:
        value = parse_toml(f"v = {raw}")["v"]
    except SpecError as exc:
        if exc.problems[0].path != "(syntax)":  # too deep or too long: not a bare word either
            raise SpecError([Problem(path, exc.problems[0].found, exc.problems[0].allowed)], "--set") from None
        value = raw
    return path, value


def parse_toml(text: str) -> dict[str, Any]:
    """TOML text as data; every way it can fail is a SpecError. A UTF-8 byte order mark (which
    some Windows editors write) is skipped: TOML 1.0 does not allow one, but it is no content."""
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([Problem("(syntax)", str(exc), "valid TOML")]) from None
    except RecursionError:
        raise SpecError([Problem("(nesting)", "arrays or tables nested too deeply to read",
                                 "a scene spec (its tables nest three levels deep)")]) from None
    except ValueError as exc:  # Python refuses to convert integers of more than 4300 digits
        raise SpecError([Problem("(number)", str(exc).split(";")[0], "numbers in the ranges the spec states")]) from None


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Return a copy of ``data`` with each ``dotted.path=value`` set; validation happens later,
    so an override gets exactly the same checks and messages as the file."""
    try:
        result: dict[str, Any] = json.loads(json.dumps(data))
    except RecursionError:
        raise SpecError([Problem("(nesting)", "tables nested too deeply to read",
                                 "a scene spec (its tables nest three levels deep)")]) from None
    for text in overrides:
        path, value = parse_override(text)
        node = result
        parts = path.split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise SpecError([Problem(path, f"{part} is not a table", "a dotted path to a spec field")], "--set")
            node = child
        node[parts[-1]] = value
    return result


def read_toml_data(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise SpecError([Problem("(file)", repr(str(path)), "an existing .toml scene file")], str(path))
    try:
        return parse_toml(path.read_text(encoding="utf-8"))
    except SpecError as exc:
        raise SpecError(exc.problems, str(path)) from None
    except UnicodeDecodeError:
        raise SpecError([Problem("(file)", "bytes that are not UTF-8", "a UTF-8 text file")], str(path)) from None
    except OSError as exc:
        raise SpecError([Problem("(file)", f"{str(path)!r}: {exc.strerror or exc}", "a readable .toml scene file")],
                        str(path)) from None


def load_spec(path: str | Path, overrides: list[str] | None = None) -> Spec:
    """Load and validate a TOML scene; raises SpecError naming every problem."""
    path = Path(path)
    try:
        data = apply_overrides(read_toml_data(path), overrides or [])
    except SpecError as exc:
        raise SpecError(exc.problems, exc.source or str(path)) from None
    return spec_from_data(data, str(path))


def loads_spec(text: str, overrides: list[str] | None = None) -> Spec:
    return spec_from_data(apply_overrides(parse_toml(text), overrides or []))


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _basic_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def toml_value(value: Any) -> str:
    """``value`` as TOML value text (what a ``--set path=...`` reads back): tables inline."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    return _scalar(value)


def _basic_string(text: str) -> str:
    # TOML forbids raw control characters (and DEL) and, unlike JSON, surrogate escapes, so
    # escape exactly those and keep every other character literal.
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _key(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() and name.isascii() else _basic_string(name)


def _write_table(lines: list[str], prefix: str, table: dict[str, Any]) -> None:
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in table.items() if isinstance(v, dict)}
    if prefix and (scalars or not tables):
        lines.append(f"\n[{prefix}]")
    for key, value in scalars.items():
        lines.append(f"{_key(key)} = {_scalar(value)}")
    for key, value in tables.items():
        _write_table(lines, f"{prefix}.{_key(key)}" if prefix else _key(key), value)


def dumps_spec(spec: Spec) -> str:
    """The spec as TOML text; loads_spec(dumps_spec(s)) == s."""
    lines: list[str] = ["# Portrait Spec scene"]
    _write_table(lines, "", spec_to_data(spec))
    return "\n".join(lines).strip() + "\n"


def spec_to_json(spec: Spec) -> str:
    return json.dumps(spec_to_data(spec), sort_keys=True)


def spec_from_json(text: str, source: str = "scene JSON") -> Spec:
    """The spec stored as JSON (``scene["portrait_spec"]``); unreadable JSON is a SpecError too."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise SpecError([Problem("(stored spec)", f"JSON that cannot be read ({reason})",
                                 "the spec Portrait Spec stored when it built the scene: rebuild the studio "
                                 "(`portrait_spec build SPEC --save FILE.blend`) or restore the property")],
                        source) from None
    return spec_from_data(data, source)
