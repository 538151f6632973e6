"""The one Hypothesis strategy for valid specs, drawn from the spec's own field declarations (so a
new field is covered without an edit here, and a new kind fails mypy here until it is drawn).
Shared by the pure tests and the Blender tests (blender_tests/conftest.py puts this folder on
the path); it imports neither bpy nor numpy.

``spec_data`` draws plain data as a TOML file holds it: any subset of each section's keys, each
value inside its field's range and in every accepted spelling (a length as bare metres or with a
unit, a colour as a list or as hex), with the cross-field rules satisfied. ``Draw`` narrows what is
drawn to what a consumer can hold exactly.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, assert_never

from hypothesis import strategies as st

from portrait_spec.core import fields as f
from portrait_spec.core.chain_layout import link_width_mm
from portrait_spec.core.cyclorama_profile import SITTER_DEPTH_M, cove_clear_of_sitter
from portrait_spec.core.fields import FieldMeta
from portrait_spec.core.hairstyle import LENGTH_CM
from portrait_spec.core.modifiers import KINDS, dish_reaches_focus, size_problems
from portrait_spec.core.pattern_placement import KEY_REACH_DEG, key_angles
from portrait_spec.core.schema import spec_from_data
from portrait_spec.core.spec import RIG_ROLES, LightSpec, Spec
from portrait_spec.core.units import METRES_PER_UNIT, Distance, parse_distance


@dataclass(frozen=True, kw_only=True)
class Draw:
    """How values are drawn: ``floats(lo, hi)`` for every float (lo and hi inclusive), ``text``
    for free strings (a text field without a pattern, a string table's names); ``every_key`` draws
    every field instead of any subset."""

    floats: Callable[[float, float], st.SearchStrategy[float]] = st.floats
    every_key: bool = False
    # A text field refuses control characters (they would break prompt and PNG text lines).
    text: st.SearchStrategy[str] = field(
        default_factory=lambda: st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12))


ANY = Draw()


def _length(meta: f.Length | f.OptionalLength, draw: Draw) -> st.SearchStrategy[object]:
    def in_unit(unit: str) -> st.SearchStrategy[object]:
        per = METRES_PER_UNIT[unit]
        return draw.floats(meta.lo / per, meta.hi / per).map(lambda value: Distance(value, unit).to_toml())

    spelled = st.one_of(draw.floats(meta.lo, meta.hi), st.sampled_from(sorted(METRES_PER_UNIT)).flatmap(in_unit))
    # Back in metres a value can land one ulp outside the range; such a draw is not a valid spec.
    return spelled.filter(lambda raw: meta.lo <= parse_distance(raw).metres <= meta.hi)


def _text_fits(text: str, meta: f.Text) -> bool:
    return len(text) <= meta.max_length and not any(unicodedata.category(c) == "Cc" for c in text)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02X}{:02x}".format(*rgb)  # mixed case: both are read


def _value(meta: FieldMeta, draw: Draw) -> st.SearchStrategy[Any]:
    match meta:
        case f.Section():
            return _section(meta.cls, draw)
        case f.Number():
            return draw.floats(meta.lo, meta.hi)
        case f.Integer():
            return st.integers(int(meta.lo), int(meta.hi))
        case f.Flag():
            return st.booleans()
        case f.Text() if meta.pattern:
            return st.from_regex(meta.pattern, fullmatch=True).filter(lambda text: _text_fits(text, meta))
        case f.Text():
            return draw.text.filter(lambda text: _text_fits(text, meta))
        case f.Choice():
            return st.sampled_from(meta.choices)
        case f.Length():
            return _length(meta, draw)
        case f.OptionalLength():
            return st.one_of(st.just(meta.sentinel), _length(meta, draw))
        case f.Color():
            channel = st.integers(0, 255)
            return st.one_of(st.lists(channel, min_size=3, max_size=3), st.tuples(channel, channel, channel).map(_hex))
        case f.Vector3():
            return st.lists(draw.floats(meta.lo, meta.hi), min_size=3, max_size=3)
        case f.Resolution():
            return st.lists(st.integers(int(meta.lo), int(meta.hi)), min_size=2, max_size=2)
        case f.Names():
            return st.lists(st.sampled_from(meta.choices), unique=True)
        case f.NumberTable():
            return st.dictionaries(st.sampled_from(meta.keys), draw.floats(meta.lo, meta.hi))
        case f.StringTable():
            return st.dictionaries(draw.text, st.sampled_from(meta.choices), max_size=3)
        case _:
            assert_never(meta)


def _section(cls: type[Any], draw: Draw) -> st.SearchStrategy[dict[str, Any]]:
    # Any subset of the keys: a missing key keeps the section's default.
    values = {name: _value(meta, draw) for name, meta in f.spec_fields(cls)}
    return st.fixed_dictionaries(values) if draw.every_key else st.fixed_dictionaries({}, optional=values)


def _satisfy_cross_field_rules(data: dict[str, Any]) -> dict[str, Any]:
    """What schema._cross_checks asks of a whole spec, set rather than filtered for."""
    key = data.setdefault("lights", {}).setdefault("key", {})
    key["stops"], key["enabled"] = 0.0, True
    if data.get("background", {}).get("mode", Spec().background.mode) == "extraction":
        data.setdefault("render", {}).update(view_transform="Standard", exposure_ev=0.0)
    subject = data.get("subject", {})
    if subject.get("kind") == "model" and not subject.get("model"):
        subject["model"] = "sitter.glb"
    ancestry = subject.get("ancestry", {})
    if ancestry and sum(ancestry.get(k, 1.0) for k in ("african", "asian", "caucasian")) <= 0.0:
        ancestry["caucasian"] = 1.0  # the three weights are normalised: one must be above 0
    hair = subject.get("hair", {})
    lo, hi = LENGTH_CM[hair.get("style", Spec().subject.hair.style)]
    if not lo <= hair.get("length_cm", Spec().subject.hair.length_cm) <= hi:
        hair["length_cm"] = min(max(hair.get("length_cm", lo), lo), hi)  # the nearest length the style allows
    for role in RIG_ROLES:
        _satisfy_modifier(data["lights"].setdefault(role, {}), Spec().lights.rig(role))
    # A bounce's stops are reachable only for some key and reflector geometries, which takes the
    # reflector's quadrature to tell (core.reflector); drawn values round-trip with it off, and
    # tests/test_bounce.py covers it on.
    bounce = data["lights"].get("bounce")
    if bounce is not None:
        bounce["enabled"] = False
    _satisfy_pattern(data)
    return _satisfy_geometry_rules(data)


def _satisfy_pattern(data: dict[str, Any]) -> None:
    """What core.pattern_placement.problems asks: a pattern on the key only, on a person, with the
    placed key within reach (else no pattern), clamshell's fill below the face, butterfly's not."""
    lights = data["lights"]
    for role in ("fill", "rim"):
        lights.get(role, {}).pop("pattern", None)
    key = lights["key"]
    pattern = key.get("pattern", "none")
    pose = data.get("subject", {}).get("pose", {})
    yaw, pitch = pose.get("head_yaw_deg", 0.0), pose.get("head_pitch_deg", 0.0)
    if pattern == "none":
        return
    azimuth, _ = key_angles(pattern, key.get("face_side", "short"), yaw, pitch)
    if data.get("subject", {}).get("kind", "person") != "person" or abs(azimuth) > KEY_REACH_DEG:
        key["pattern"] = "none"
    elif pattern == "clamshell":
        lights.setdefault("fill", {}).update(enabled=True, azimuth_deg=yaw, elevation_deg=pitch - 25.0)
    elif pattern == "butterfly":
        lights.setdefault("fill", {})["elevation_deg"] = max(pitch, -60.0)


def _satisfy_modifier(light: dict[str, Any], default: LightSpec) -> None:
    """A light's sizes inside its modifier's (core.modifiers): a size outside them set to the
    middle of the range in centimetres, a softbox of 3:1 or longer made as tall as it is wide, a
    Fresnel's beam set to 30 deg, a grid removed where none fits."""
    modifier = light.get("modifier", default.modifier)
    shape = light.get("shape", default.shape)
    width = parse_distance(light.get("width", default.width.to_toml())).metres
    height = parse_distance(light.get("height", default.height.to_toml())).metres
    spread = light.get("spread_deg", default.spread_deg)
    for found in size_problems(modifier, shape, width, height, spread):
        kind = KINDS[modifier]
        if found.field == "spread_deg":
            light["spread_deg"] = 30.0 if kind.beam is not None else 180.0
        elif found.field == "modifier":
            light["height"] = light.get("width", default.width.to_toml())  # a square box
        elif modifier == "stripbox":
            light.update(width="0.3 m", height="1.2 m")
        elif found.field == "width" and kind.width is not None:
            light["width"] = f"{round(sum(kind.width) * 50.0)} cm"
    if modifier == "beauty_dish":  # a grid so narrow that the deflector hides all it lets through: removed
        width = parse_distance(light.get("width", default.width.to_toml())).metres
        distance = parse_distance(light.get("distance", default.distance.to_toml())).metres
        if not dish_reaches_focus(width, distance, light.get("spread_deg", default.spread_deg)):
            light["spread_deg"] = 180.0


def _satisfy_geometry_rules(data: dict[str, Any]) -> dict[str, Any]:
    """What schema._geometry_checks asks: a link opening that passes the next link's wire (the
    wire thinned to fit), and a cove that stays clear of the sitter (the wall moved back)."""
    default = Spec()
    chain = data.get("jewelry", {}).get("chain", {})
    style = chain.get("style", default.jewelry.chain.style)
    link = chain.get("link_length_mm", default.jewelry.chain.link_length_mm)
    widest = link_width_mm(style, link) / 3.0
    if chain.get("wire_gauge_mm", default.jewelry.chain.wire_gauge_mm) > widest:
        # Rounded down to 0.001 mm: a value people type, which the panel's 32-bit floats hold back
        # exactly; the shortest link (1 mm) still allows the thinnest wire (0.2 mm).
        chain["wire_gauge_mm"] = math.floor(widest * 999.0) / 1000.0
        data.setdefault("jewelry", {})["chain"] = chain
    subject = data.get("subject", {})
    wall = parse_distance(subject.get("distance_to_background", default.subject.distance_to_background.to_toml())).metres
    eyes = parse_distance(subject.get("eye_height", default.subject.eye_height.to_toml())).metres
    cove = parse_distance(data.get("background", {}).get("cove_radius", default.background.cove_radius.to_toml())).metres
    if not cove_clear_of_sitter(wall, cove, eyes):
        # Rounded up to the centimetre: a distance people type, which 32-bit floats hold back exactly.
        data.setdefault("subject", {})["distance_to_background"] = math.ceil((cove + SITTER_DEPTH_M + 0.01) * 100.0) / 100.0
    return data


def spec_data(draw: Draw = ANY) -> st.SearchStrategy[dict[str, Any]]:
    """Plain data (as parsed from TOML) that spec_from_data accepts."""
    return _section(Spec, draw).map(_satisfy_cross_field_rules)


def specs(draw: Draw = ANY) -> st.SearchStrategy[Spec]:
    return spec_data(draw).map(spec_from_data)
