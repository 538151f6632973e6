"""Each target's form: Midjourney parameters, SDXL weights and negative prompt, Flux and DALL-E
paragraphs; disabled parts unmentioned; no quality adjectives; no repeated phrases; the most
important SDXL constraints in the first CLIP chunk; byte-identical output for the same spec."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from prompt_support import PRESETS, ROOT, _with, preset, random_specs, variant_specs

from portrait_spec.core.prompt import build_prompts, tokens
from portrait_spec.core.prompt.claims import ClaimLog
from portrait_spec.core.prompt.facts import gather_facts
from portrait_spec.core.prompt.phrases import REGION_WORDS
from portrait_spec.core.prompt.targets import midjourney, sdxl
from portrait_spec.core.spec import PROMPT_TARGETS

# Words that judge instead of measure (the article's point); none may appear in a positive prompt.
QUALITY_WORDS = (
    "beautiful", "stunning", "gorgeous", "realistic", "hyperrealistic", "photorealistic", "masterpiece",
    "best quality", "high quality", "detailed", "8k", "4k", "dramatic", "cinematic", "perfect", "soft light",
    "studio lighting", "professional", "award", "epic", "flawless", "amazing", "sharp focus",
)
# Each skin fact names where it is, so a region list may recur ("on the forehead, chin and ...").
REGION_LIST_WORDS = {w for r in REGION_WORDS.values() for w in r.split()} | {"on", "the", "in", "and"}
SD_WEIGHT = re.compile(r"\(([^()]*):(\d+(?:\.\d+)?)\)")


def sd_items(prompt: str) -> list[str]:
    """SDXL tags with their weight syntax removed."""
    return [m.group(1) if (m := SD_WEIGHT.fullmatch(item)) else item for item in split_tags(prompt)]


def split_tags(prompt: str) -> list[str]:
    items, depth, start = [], 0, 0
    for i, ch in enumerate(prompt):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0 and prompt[i + 1:i + 2] == " ":
            items.append(prompt[start:i])
            start = i + 2
    return [*items, prompt[start:]]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=\.)\s+", text.strip()) if s]


# ---------------------------------------------------------------- Midjourney

def test_midjourney_ends_with_its_parameters():
    spec = preset("seed_portrait")
    text = build_prompts(spec).prompts["midjourney"]
    assert text.endswith(" --ar 4:5 --style raw --v 7")
    assert text.count("--") == 3


def test_midjourney_aspect_and_version_follow_the_spec():
    spec = _with(_with(preset("seed_portrait"), "render.resolution", (1920, 1080)), "prompt.midjourney_version", "6.1")
    assert build_prompts(spec).prompts["midjourney"].endswith(" --ar 16:9 --style raw --v 6.1")


def test_midjourney_states_no_negations():
    for spec in variant_specs():
        assert not re.search(r"\bno\b", build_prompts(spec).prompts["midjourney"])


# ---------------------------------------------------------------- SDXL

@pytest.mark.parametrize("name", PRESETS)
def test_sdxl_weights_are_well_formed(name):
    prompt = build_prompts(preset(name)).prompts["sdxl"]
    assert prompt.count("(") == prompt.count(")")
    for item in split_tags(prompt):
        if "(" in item:
            match = SD_WEIGHT.fullmatch(item)
            assert match, item  # only whole-tag emphasis, no stray parentheses inside a tag
            assert 1.0 < float(match.group(2)) <= 1.2


def test_sdxl_text_for_labels_the_negative_prompt_on_its_own_line():
    bundle = build_prompts(preset("chroma_extraction"))
    positive, negative = bundle.text_for("sdxl").split("\n")
    assert positive == bundle.prompts["sdxl"]
    assert negative == "Negative prompt: " + bundle.negatives["sdxl"]
    for target in ("midjourney", "flux", "dalle"):
        assert "Negative prompt" not in bundle.text_for(target)


def test_negative_prompt_names_what_the_spec_guards_against():
    seed = build_prompts(preset("seed_portrait")).negatives["sdxl"]
    for term in ("porcelain skin", "plastic skin", "flat lighting", "multiple shadows", "painted-looking metal",
                 "background seams", "color spill"):
        assert term in seed
    no_gold = build_prompts(_with(preset("seed_portrait"), "jewelry.enabled", False)).negatives["sdxl"]
    assert "metal" not in no_gold and "gold" not in no_gold
    gradient = build_prompts(preset("gradient_backdrop")).negatives["sdxl"]
    assert "gradient" not in gradient and "color spill" not in gradient  # the gradient is wanted there


def test_priority_tags_fit_the_first_clip_chunk_for_every_preset():
    for name in PRESETS:
        counts = build_prompts(preset(name)).token_counts["sdxl"]
        assert counts["tags_in_first_chunk"] >= counts["priority_tags"], name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs)
def test_framing_key_and_fill_always_fit_the_first_chunk(spec):
    tags = sdxl.tags(gather_facts(spec, ClaimLog()))
    leading = 1 + 1 + (2 if spec.lights.fill.enabled else 0)  # framing, key, fill level and ratio
    assert [t.priority for t in tags[:leading]] == [1] * leading
    assert tokens.tags_in_first_chunk([t.text for t in tags]) >= leading


# ---------------------------------------------------------------- Flux and DALL-E

def test_flux_is_three_paragraphs_of_sentences():
    text = build_prompts(preset("seed_portrait")).prompts["flux"]
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 3
    for p in paragraphs:
        assert p[0].isupper() and p.endswith(".")
        assert all(s[0].isupper() for s in sentences(p))


def test_dalle_is_one_paragraph_opening_with_the_frame():
    text = build_prompts(preset("seed_portrait")).prompts["dalle"]
    assert "\n" not in text
    assert text.startswith("A vertical 4:5 head-and-shoulders studio portrait photograph")
    wide = build_prompts(_with(preset("seed_portrait"), "render.resolution", (1920, 1080))).prompts["dalle"]
    assert wide.startswith("A horizontal 16:9 ")


# ---------------------------------------------------------------- content rules for every target

def test_disabled_parts_are_not_mentioned():
    rembrandt = build_prompts(preset("rembrandt"))  # rim disabled
    chroma = build_prompts(preset("chroma_extraction"))  # no jewellery
    for target in PROMPT_TARGETS:
        assert "rim" not in rembrandt.prompts[target]
        assert not re.search(r"gold|chain|clavicle|hammer", chroma.prompts[target])
    no_fill = build_prompts(_with(preset("seed_portrait"), "lights.fill.enabled", False))
    for target in PROMPT_TARGETS:
        assert "fill" not in no_fill.prompts[target]
    assert not any(c.path.startswith("lights.rim") for c in rembrandt.claims)


def test_backdrop_modes_are_worded_differently():
    extraction = build_prompts(preset("seed_portrait")).prompts["flux"]
    gradient = build_prompts(preset("gradient_backdrop")).prompts["flux"]
    lit = build_prompts(preset("rembrandt")).prompts["flux"]
    assert "pure RGB 255/0/128 with no light spill" in extraction
    assert "2-stop gradient falloff from the left" in gradient and "pure RGB" not in gradient
    assert "painted RGB 70/62/56 and lit by the portrait lights" in lit and "no light spill" not in lit


def test_engine_tags_are_a_switch():
    off = build_prompts(preset("seed_portrait"))
    on = build_prompts(_with(preset("seed_portrait"), "prompt.engine_tags", True))
    for target in PROMPT_TARGETS:
        assert "Cycles" not in off.prompts[target]
        assert "Blender Cycles path tracing" in on.prompts[target]


@pytest.mark.parametrize("spec", variant_specs(), ids=lambda s: "")
def test_no_quality_adjectives_and_no_repeated_phrases(spec):
    bundle = build_prompts(spec)
    for target, prompt in bundle.prompts.items():
        lowered = (", ".join(sd_items(prompt)) if target == "sdxl" else prompt).lower()
        for word in QUALITY_WORDS:
            assert not re.search(rf"\b{re.escape(word)}\b", lowered), (target, word)
        facts = gather_facts(spec, ClaimLog())
        items = sdxl.plain(facts) if target == "sdxl" else midjourney.phrases(facts)
        if target in ("midjourney", "sdxl"):
            assert len(items) == len(set(items)), target
        else:
            said = sentences(prompt)
            assert len(said) == len(set(said)), target
        # No run of six words (numbers included) said twice: a repeated phrase, not a shared
        # reference such as "above eye level" with different angles.
        words = [w.strip(".,:;") for w in lowered.replace("(", " ").replace(")", " ").split()]
        grams = [g for i in range(len(words) - 5) if not set(g := tuple(words[i:i + 6])) <= REGION_LIST_WORDS]
        assert len(grams) == len(set(grams)), (target, [g for g in grams if grams.count(g) > 1][:1])


def test_left_and_right_are_never_both_claimed_for_one_light():
    for spec in variant_specs():
        for claim in build_prompts(spec).claims:
            if claim.path.endswith("azimuth_deg"):
                assert not ("left" in claim.phrase and "right" in claim.phrase), claim.phrase


# ---------------------------------------------------------------- determinism and the data shape

def test_same_spec_gives_byte_identical_output_across_processes():
    code = ("import json; from portrait_spec.core.toml_io import load_spec; from portrait_spec.core.prompt import "
            "build_prompts; print(json.dumps(build_prompts(load_spec('scenes/seed_portrait.toml')).to_data(), "
            "ensure_ascii=False))")
    runs = {subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True,
                           env={"PYTHONPATH": str(ROOT / "addon"), "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(runs) == 1
    here = json.dumps(build_prompts(preset("seed_portrait")).to_data(), ensure_ascii=False) + "\n"
    assert runs == {here.encode("utf-8")}


def test_to_data_has_prompts_negatives_claims_and_token_counts():
    data = build_prompts(preset("seed_portrait")).to_data()
    assert set(data) == {"default_target", "prompts", "negative_prompts", "claims", "clip_tokens"}
    assert set(data["prompts"]) == set(PROMPT_TARGETS)
    assert set(data["negative_prompts"]) == {"sdxl"}
    claim = next(c for c in data["claims"] if c["path"] == "lights.fill.stops" and c["unit"] == "stops")
    assert claim == {"path": "lights.fill.stops", "value": -2.0, "unit": "stops", "phrase": "\u22122 stops",
                     "stated": -2.0, "rule": "stops", "tolerance": 0.1, "targets": list(PROMPT_TARGETS)}
    json.dumps(data)  # plain data all the way down
