"""Shared by the prompt tests: the presets and a Hypothesis strategy for random valid specs."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from spec_strategy import Draw, specs

from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import load_spec

ROOT = Path(__file__).resolve().parents[1]
PRESETS: dict[str, Path] = {p.stem: p for p in sorted((ROOT / "scenes").glob("*.toml"))}


def preset(name: str) -> Spec:
    return load_spec(PRESETS[name])


# Free text from real version strings: the Midjourney version is written into --v, and no other
# free text reaches a prompt.
random_specs: st.SearchStrategy[Spec] = specs(Draw(text=st.sampled_from(["6", "7", "6.1"])))


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
    from portrait_spec.core.spec import SKIN_REGIONS, BounceSpec, FlagSpec, LightSpec
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
        # (a small strip box: the rim is a medium one, and the prose would repeat itself)
        *[("lights.key", LightSpec(modifier=m, width=Distance(w, "m"), height=Distance(0.9, "m"), spread_deg=s))
          for m, w, s in (("stripbox", 0.2, 30.0), ("octabox", 1.5, 180.0), ("beauty_dish", 0.55, 180.0),
                          ("umbrella_shoot_through", 1.0, 180.0), ("umbrella_reflective", 1.0, 180.0),
                          ("bare", 0.1, 180.0), ("fresnel", 0.1, 30.0))],
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
    # Resolution decides what detail is stated (core.prompt.visibility): 0.14 mm pixels show the
    # pores; a 16384 px close-up (0.024 mm) even single vellus hairs; 256 px hides facets and wire.
    out.append(_with(base, "render.resolution", (4096, 5120)))
    out.append(_with(_with(base, "render.resolution", (13104, 16384)), "camera.framing", "closeup"))
    out.append(_with(base, "render.resolution", (200, 256)))
    out.append(_with(_with(base, "lights.fill.enabled", False), "lights.rim.enabled", False))  # the key alone
    # A reflector of each kind under or beside the face, and a flag (both off in every preset).
    out += [_with(base, "lights.bounce", BounceSpec(enabled=True, kind=kind, azimuth_deg=az, elevation_deg=el, stops=stops))
            for kind, az, el, stops in (("white", -60.0, 0.0, -2.0), ("silver", 0.0, -40.0, -1.5),
                                        ("gold", 0.0, -40.0, -1.5), ("vflat", -70.0, 0.0, -2.0))]
    out.append(_with(base, "lights.flag", FlagSpec(enabled=True)))
    out += _sitter_variants(base)
    return out


def _sitter_variants(base: Spec) -> list[Spec]:
    """The person's wording rules (``core.prompt.sitter``): each sex and build class, every
    expression, neckline and fabric, turns to both sides, a gaze off the lens, and the other kinds."""
    changes: list[tuple[str, Any]] = [
        ("subject.kind", "mannequin"), ("subject.body.sex", 1.0), ("subject.body.sex", 0.5), ("subject.body.age_years", 18.0),
        ("subject.body.age_years", 81.0), ("subject.body.weight", 0.1), ("subject.body.weight", 0.9),
        ("subject.body.muscle", 0.9), ("subject.pose.head_yaw_deg", 0.0), ("subject.pose.head_yaw_deg", -25.0),
        ("subject.pose.head_pitch_deg", 10.0), ("subject.pose.head_pitch_deg", -10.0), ("subject.pose.head_roll_deg", 6.0),
        ("subject.pose.head_roll_deg", -6.0), ("subject.pose.body_turn_deg", 0.0), ("subject.pose.body_turn_deg", -30.0),
        ("subject.expression.intensity", 0.5), ("subject.garment.fabric", "silk"),
        ("subject.hair.parting", "none"), ("subject.hair.parting", "centre"), ("subject.hair.melanin", 0.05),
        ("subject.hair.melanin", 0.2), ("subject.hair.melanin", 0.4), ("subject.hair.melanin", 0.6),
        ("subject.hair.melanin", 0.95), ("subject.hair.redness", 0.8), ("subject.hair.greying", 0.3),
    ]
    changes += [("subject.expression.kind", k) for k in ("neutral", "smile", "serious")]
    changes += [("subject.garment.neckline", n) for n in ("strapless", "scoop", "boat")]
    out = [_with(base, path, value) for path, value in changes]
    for style, length_cm in (("shaved", 0.0), ("close_cropped", 1.0), ("short", 5.0), ("long", 50.0), ("ponytail", 40.0), ("bun", 45.0)):
        out.append(_with(_with(base, "subject.hair.style", style), "subject.hair.length_cm", length_cm))
    gaze = _with(base, "subject.pose.gaze", "direction")
    out += [_with(_with(gaze, "subject.pose.gaze_yaw_deg", 15.0), "subject.pose.gaze_pitch_deg", -5.0),
            _with(gaze, "subject.pose.gaze_yaw_deg", -12.0), _with(gaze, "subject.pose.gaze_pitch_deg", 8.0)]
    return out
