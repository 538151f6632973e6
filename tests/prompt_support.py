"""Shared by the prompt tests: the presets and a Hypothesis strategy for random valid specs."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from portrait_spec.core.schema import spec_from_data
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import load_spec
from portrait_spec.core.units import METRES_PER_UNIT

ROOT = Path(__file__).resolve().parents[1]
PRESETS: dict[str, Path] = {p.stem: p for p in sorted((ROOT / "scenes").glob("*.toml"))}


def preset(name: str) -> Spec:
    return load_spec(PRESETS[name])


def _distance(meta: dict[str, Any]) -> st.SearchStrategy[Any]:
    lo, hi = meta["lo"], meta["hi"]

    def in_unit(args: tuple[float, str]) -> str:
        metres, unit = args
        return f"{metres / METRES_PER_UNIT[unit]!r} {unit}"

    # Kept off the exact limits: metres -> feet -> metres may round past them.
    inside = st.floats(lo * (1 + 1e-9), hi * (1 - 1e-9))
    return st.tuples(inside, st.sampled_from(sorted(METRES_PER_UNIT))).map(in_unit)


def _field(meta: dict[str, Any], fl: dataclasses.Field[Any]) -> st.SearchStrategy[Any]:
    kind = meta["kind"]
    if kind == "section":
        return _section(type(fl.default_factory()))  # type: ignore[misc]
    strategies: dict[str, Any] = {
        "float": lambda: st.floats(meta["lo"], meta["hi"]),
        "int": lambda: st.integers(meta["lo"], meta["hi"]),
        "bool": st.booleans,
        "str": lambda: st.sampled_from(["6", "7", "6.1"]),
        "choice": lambda: st.sampled_from(meta["choices"]),
        "distance": lambda: _distance(meta),
        "distance?": lambda: st.one_of(st.just(meta["sentinel"]), _distance(meta)),
        "color": lambda: st.lists(st.integers(0, 255), min_size=3, max_size=3),
        "vec3": lambda: st.lists(st.floats(meta["lo"], meta["hi"]), min_size=3, max_size=3),
        "res": lambda: st.lists(st.integers(64, 4096), min_size=2, max_size=2),
        "names": lambda: st.lists(st.sampled_from(meta["choices"]), unique=True),
        "table": lambda: st.dictionaries(st.sampled_from(meta["choices"]), st.floats(meta["lo"], meta["hi"])),
        "strtable": lambda: st.just({}),
    }
    return strategies[kind]()


def _section(cls: type) -> st.SearchStrategy[dict[str, Any]]:
    fields = {fl.name: _field(dict(fl.metadata), fl) for fl in dataclasses.fields(cls)}
    return st.fixed_dictionaries({}, optional=fields)


def _valid(data: dict[str, Any]) -> dict[str, Any]:
    """Satisfy the cross-field rules (schema._cross_checks) instead of filtering them out."""
    data.setdefault("subject", {})["kind"] = "bust"
    key = data.setdefault("lights", {}).setdefault("key", {})
    key["stops"], key["enabled"] = 0.0, True
    if data.get("background", {}).get("mode", "extraction") == "extraction":
        data.setdefault("render", {}).update(view_transform="Standard", exposure_ev=0.0)
    return data


random_specs: st.SearchStrategy[Spec] = _section(Spec).map(_valid).map(spec_from_data)


def _with(spec: Spec, path: str, value: Any) -> Spec:
    """``spec`` with one dotted field replaced (dataclasses all the way down)."""
    head, _, rest = path.partition(".")
    if not rest:
        return dataclasses.replace(spec, **{head: value})
    return dataclasses.replace(spec, **{head: _with(getattr(spec, head), rest, value)})


COLOUR_EXAMPLES: tuple[tuple[int, int, int], ...] = (
    (255, 0, 0), (255, 128, 0), (255, 230, 0), (150, 230, 0), (0, 200, 60), (0, 220, 220), (0, 80, 255),
    (140, 0, 255), (255, 0, 128), (120, 80, 30), (20, 10, 60), (255, 200, 200), (255, 255, 255),
    (190, 190, 190), (128, 128, 128), (50, 50, 50), (5, 5, 5),
)


def variant_specs() -> list[Spec]:
    """Every preset, plus the seed changed one field at a time so that every branch of the
    wording rules runs: each shape, side, band, class, choice and colour name at least once."""
    from portrait_spec.core.color import Color8
    from portrait_spec.core.spec import SKIN_REGIONS
    from portrait_spec.core.units import Distance

    base = preset("seed_portrait")
    changes: list[tuple[str, Any]] = [
        ("lights.key.shape", "disk"), ("lights.key.shape", "ellipse"), ("lights.key.shape", "square"),
        ("lights.key.width", Distance(0.1, "m")), ("lights.key.spread_deg", 30.0),
        ("lights.key.azimuth_deg", 0.0), ("lights.key.azimuth_deg", -45.0), ("lights.key.elevation_deg", 0.0),
        ("lights.key.elevation_deg", -30.0), ("lights.key.temperature_k", 3200.0), ("lights.key.temperature_k", 4300.0),
        ("lights.key.temperature_k", 7500.0), ("lights.rim.temperature_k", 3200.0), ("lights.fill.stops", 0.0), ("lights.fill.stops", 1.0),
        ("lights.fill.stops", -1.0), ("lights.fill.stops", 0.5), ("lights.fill.enabled", False),
        ("lights.rim.azimuth_deg", 180.0), ("lights.rim.azimuth_deg", 150.0), ("lights.rim.stops", -1.0),
        ("lights.rim.enabled", False), ("camera.framing", "closeup"), ("camera.framing", "half_body"),
        ("camera.height", Distance(1.2, "m")), ("prompt.units", "metric"), ("prompt.engine_tags", True),
        ("jewelry.enabled", False), ("jewelry.micro_scratches", False), ("jewelry.chain.style", "curb"),
        ("skin.pores.visible", False), ("skin.vellus_hair.visible", False), ("skin.sebum.regions", ()),
        ("skin.subsurface.thin_regions", ()), ("skin.roughness", {"default": 0.4}),
        ("skin.pores.regions", SKIN_REGIONS), ("skin.vellus_hair.regions", SKIN_REGIONS),
        ("skin.subsurface.thin_regions", SKIN_REGIONS), ("skin.sebum.regions", SKIN_REGIONS),
        ("skin.roughness", {"default": 0.45, **{r: 0.3 for r in SKIN_REGIONS}}),
        ("render.resolution", (1920, 1080)), ("render.resolution", (1024, 1024)),
        ("background.mode", "gradient"), ("background.mode", "lit"), ("background.level_stops", 1.0),
        ("subject.distance_to_background", Distance(0.3048, "m")),
    ]
    changes += [("jewelry.karat", k) for k in ("22k", "18k", "14k", "rose", "white")]
    changes += [("jewelry.finish", f) for f in ("polished", "brushed")]
    changes += [("skin.tone.melanin", m) for m in (0.01, 0.15, 0.2, 0.3, 0.45)]
    changes += [("background.color", Color8(*rgb)) for rgb in COLOUR_EXAMPLES]
    out = [preset(name) for name in PRESETS]
    out += [_with(base, path, value) for path, value in changes]
    out.append(_with(_with(base, "background.mode", "gradient"), "background.gradient.side", "right"))
    out.append(_with(_with(base, "background.mode", "gradient"), "background.level_stops", 0.0))
    out.append(_with(_with(base, "jewelry.karat", "rose"), "jewelry.finish", "polished"))
    return out
