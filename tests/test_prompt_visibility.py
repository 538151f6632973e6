"""Sub-pixel claims (core.prompt.visibility): millimetre detail is stated only where it spans at
least a pixel of the render at its framing and resolution; below that it is left out, or worded
as what shows (vellus hair as a sheen, scratches as dulled highlights)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from prompt_support import _with, preset, random_specs

from portrait_spec.core.claim_coverage import MEASURED, ON_SCREEN, coverage
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.prompt.visibility import FEATURES, VELLUS_DIAMETER_MM, feature_mm, on_screen, pixel_mm


def paths(spec) -> dict[str, str]:
    return {c.path: c.phrase for c in build_prompts(spec).claims}


def test_pixel_footprint_of_the_seed():
    assert pixel_mm(preset("seed_portrait")) == pytest.approx(550.0 / 1280.0)  # 0.43 mm


def test_seed_leaves_out_its_sub_pixel_pores_and_words_hair_and_scratches_as_what_shows():
    spec = preset("seed_portrait")  # 0.15 mm pores at 0.43 mm per pixel: 0.35 px
    said = paths(spec)
    assert "skin.pores.diameter_mm" not in said
    assert said["skin.vellus_hair.visible"] == "vellus-hair sheen on the jawline"
    assert "skin.vellus_hair.length_mm" not in said
    assert said["jewelry.micro_scratches"] == "highlights dulled where the links rub"
    assert said["jewelry.facet_size_mm"] == "1.2 mm hammer facets at 0.12 roughness"  # 2.2 px
    bundle = build_prompts(spec)
    for target, prompt in bundle.prompts.items():
        assert "pores" not in prompt and "micro-scratches" not in prompt and "vellus hair on" not in prompt, target
    assert "airbrushed skin" not in bundle.negatives["sdxl"]  # no texture claim to protect


def test_a_sharper_render_states_the_pores():
    spec = _with(preset("seed_portrait"), "render.resolution", (4096, 5120))  # 0.137 mm pixels
    said = paths(spec)
    assert said["skin.pores.diameter_mm"] == "visible 0.15 mm pores on the nasal bridge"
    assert "airbrushed skin" in build_prompts(spec).negatives["sdxl"]


def test_single_hairs_only_where_a_hair_spans_a_pixel():
    spec = _with(_with(preset("seed_portrait"), "render.resolution", (13104, 16384)), "camera.framing", "closeup")
    assert pixel_mm(spec) < VELLUS_DIAMETER_MM
    assert paths(spec)["skin.vellus_hair.length_mm"] == "1.5 mm vellus hair on the jawline"


def test_a_small_render_drops_facets_and_wire_but_keeps_the_links():
    spec = _with(preset("seed_portrait"), "render.resolution", (200, 256))  # 2.7 mm pixels
    said = paths(spec)
    assert said["jewelry.chain.link_length_mm"] == "6 mm links"
    assert "jewelry.chain.wire_gauge_mm" not in said and "jewelry.facet_size_mm" not in said
    assert said["jewelry.roughness"] == "hammered to 0.12 roughness"
    assert said["skin.subsurface.thin_radius_mm"].startswith("3 mm subsurface")  # 1.1 px


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs)
def test_every_stated_detail_spans_a_pixel(spec):
    for claim in build_prompts(spec).claims:
        if claim.path in FEATURES:
            assert isinstance(claim.value, float)
            assert on_screen(feature_mm(claim.path, claim.value), spec), claim


def test_verify_checks_every_on_screen_claim():
    assert set(ON_SCREEN) == set(FEATURES)
    for path in ON_SCREEN:
        found = coverage(path)
        assert found is not None and found.measured and path in MEASURED, path
