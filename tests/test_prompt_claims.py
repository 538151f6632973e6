"""Every quantitative phrase is a checked claim.

Property (Hypothesis, random valid specs): every claim's phrase appears verbatim in each prompt it
names; reading the phrase back with ``core.prompt.parse`` gives exactly what the claim says it
states; that number is within the claim's own tolerance of the spec value (rounding never uses
more than half of it); and every digit in every prompt lies inside some claim's phrase (no
number is said without a claim behind it)."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from prompt_support import PRESETS, _with, preset, random_specs, variant_specs

from portrait_spec.core.prompt import Claim, build_prompts
from portrait_spec.core.prompt import phrases as ph
from portrait_spec.core.prompt.claims import STEPS, TOLERANCES
from portrait_spec.core.prompt.parse import stated_in
from portrait_spec.core.spec import Spec

SD_WEIGHT = re.compile(r"\(([^()]*):\d+(?:\.\d+)?\)")


def check_claim(claim: Claim, prompts: dict[str, str]) -> None:
    for target in claim.targets:
        assert claim.phrase in prompts[target], (target, claim.phrase)
    stated = stated_in(claim)
    if isinstance(claim.stated, float):
        assert isinstance(stated, float) and math.isclose(stated, claim.stated, abs_tol=1e-9), (claim, stated)
    else:
        assert stated == claim.stated, (claim, stated)
    rule, value = claim.rule, claim.value
    if rule in STEPS:
        assert isinstance(value, float) and isinstance(stated, float) and claim.tolerance is not None
        if claim.path.endswith("azimuth_deg") and abs(stated) == 180.0:
            assert abs(value) >= 179.5, claim  # "directly behind" is +180 and -180 alike
            return
        # The number said is within the claim's tolerance of the spec, and rounding used at
        # most half of it (the rest is for what a render can measure).
        assert abs(stated - value) <= claim.tolerance + 1e-9, claim
        assert abs(stated - value) <= claim.tolerance / 2 + 1e-9, claim
    elif rule == "ratio":
        assert isinstance(value, float) and isinstance(stated, float) and claim.tolerance is not None
        assert abs(stated - value) <= claim.tolerance, claim
    elif rule == "size_class":
        lo, hi = claim.band or (None, None)
        assert (lo is None or value >= lo) and (hi is None or value < hi), claim
    elif rule == "aspect":
        assert isinstance(value, tuple) and stated == ph.ratio_from_resolution(*value)
    elif rule == "orientation":
        assert isinstance(value, tuple) and stated == ph.orientation(*value)
    else:
        assert stated == value, claim  # rgb and choices are stated exactly


def test_every_rounding_step_is_at_most_its_tolerance():
    for rule, step in STEPS.items():
        assert step <= TOLERANCES[rule], rule


def numbers_outside_claims(target: str, prompt: str, claims: tuple[Claim, ...]) -> list[str]:
    text = SD_WEIGHT.sub(lambda m: m.group(1) + " " * (len(m.group(0)) - len(m.group(1))), prompt)
    if target == "midjourney":  # the version number after --v is not a scene quantity
        cut = text.index(" --style raw --v ")
        text = text[:cut] + " " * (len(text) - cut)
    covered = [False] * len(text)
    for claim in claims:
        if target in claim.targets:
            for match in re.finditer(re.escape(claim.phrase), text):
                covered[match.start():match.end()] = [True] * (match.end() - match.start())
    return [text[max(0, m.start() - 20):m.end() + 20] for m in re.finditer(r"\d", text) if not covered[m.start()]]


def check_bundle(spec: Spec) -> None:
    bundle = build_prompts(spec)
    for claim in bundle.claims:
        check_claim(claim, bundle.prompts)
    for target, prompt in bundle.prompts.items():
        assert numbers_outside_claims(target, prompt, bundle.claims) == [], target


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs)
def test_random_specs_every_claim_is_in_the_prompt_and_reads_back(spec):
    check_bundle(spec)


@pytest.mark.parametrize("spec", variant_specs(), ids=lambda s: "")
def test_every_variant_every_claim_is_in_the_prompt_and_reads_back(spec):
    check_bundle(spec)


@pytest.mark.parametrize("name", PRESETS)
def test_every_enabled_light_claims_its_geometry_and_level(name):
    spec = preset(name)
    paths = {c.path for c in build_prompts(spec).claims}
    for role in ("key", "fill", "rim"):
        light = getattr(spec.lights, role)
        expected = {f"lights.{role}.{f}" for f in ("azimuth_deg", "elevation_deg", "distance", "temperature_k",
                                                     "apparent_size")}
        if role != "key":
            expected.add(f"lights.{role}.stops")
        assert expected <= paths if light.enabled else not any(p.startswith(f"lights.{role}.") for p in paths)
    assert {"camera.focal_length_mm", "camera.f_number", "background.color", "subject.distance_to_background"} <= paths


def test_the_article_phrases_come_from_the_seed_scene():
    bundle = build_prompts(preset("seed_portrait"))
    said = {c.path: c.phrase for c in bundle.claims}
    assert said["lights.key.azimuth_deg"] == "45° camera left and 45° up"
    assert said["lights.rim.azimuth_deg"] == "behind the sitter's left shoulder, 135° camera right and 30° up"
    assert said["lights.key.apparent_size"] == "large softbox"
    assert said["lights.fill.stops"] == "4:1 key-to-fill"  # the last claim on the path: the ratio
    assert said["lights.rim.stops"] == "metered equal to the key"
    assert "metered 2 stops under the key (4:1 key-to-fill)" in bundle.prompts["midjourney"]
    assert said["subject.distance_to_background"] == "8 feet from the sitter"
    assert said["jewelry.karat"] == "18-inch 24k hammered gold cable chain"
    assert said["background.color"] == "#FF0080"  # the last: the structured target's hex
    assert "deep pink cyclorama in exact RGB 255/0/128" in bundle.prompts["flux"]
    assert said["skin.tone.melanin"].startswith("light skin") and said["skin.tone.melanin"].endswith(" at 1.5% melanin")
    assert said["skin.subsurface.thin_radius_mm"] == "3 mm subsurface scattering in the ears and nostrils"
    assert said["skin.roughness.cheekbones"] == "0.3 on the cheekbones"
    assert said["skin.vellus_hair.visible"] == "vellus-hair sheen on the jawline"


def test_metric_units_change_the_words_not_the_claimed_quantity():
    imperial = {c.path: c for c in build_prompts(preset("seed_portrait")).claims}
    metric = {c.path: c for c in build_prompts(_with(preset("seed_portrait"), "prompt.units", "metric")).claims}
    a, b = imperial["subject.distance_to_background"], metric["subject.distance_to_background"]
    assert (a.phrase, a.unit, a.stated) == ("8 feet from the sitter", "ft", 8.0)
    assert (b.phrase, b.unit, b.stated) == ("2.4 m from the sitter", "m", 2.4)
    assert a.value * 0.3048 == pytest.approx(b.value)
