"""Each target's form: Midjourney V7 parameters with ``--no``, SDXL weights and negative prompt,
Flux and DALL-E paragraphs, the structured JSON; and the wording rules every target keeps: the
photograph and the sitter first, the backdrop before the lights, unambiguous directions, no
phrase repeated, no orphan fragment, no negative against a light the scene has, no quality
adjectives, disabled parts unmentioned; byte-identical output for the same spec."""

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
from portrait_spec.core.prompt.limits import budgets
from portrait_spec.core.prompt.negative import negative_terms
from portrait_spec.core.prompt.phrases import REGION_WORDS
from portrait_spec.core.prompt.targets import sdxl, structured
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


def shared_values(claims) -> set[str]:
    """Claim phrases stated for more than one light (the same level, or temperature, twice)."""
    owners: dict[str, set[str]] = {}
    for claim in claims:
        owners.setdefault(claim.phrase, set()).add(claim.path.rsplit(".", 1)[0])
    return {phrase for phrase, paths in owners.items() if len(paths) > 1 and phrase.startswith("metered")}


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=\.)\s+", text.strip()) if s]


# ---------------------------------------------------------------- Midjourney

def test_midjourney_ends_with_v7_parameters_and_its_negatives_after_no():
    spec = preset("seed_portrait")
    text = build_prompts(spec).prompts["midjourney"]
    prompt, _, params = text.partition(" --ar ")
    assert params == "4:5 --style raw --v 7 --no porcelain, plastic, wax, seams, color spill, gradient"
    assert "--" not in prompt
    assert spec.prompt.midjourney_version == "7"


def test_midjourney_aspect_and_version_follow_the_spec():
    spec = _with(_with(preset("seed_portrait"), "render.resolution", (1920, 1080)), "prompt.midjourney_version", "6.1")
    assert " --ar 16:9 --style raw --v 6.1 --no " in build_prompts(spec).prompts["midjourney"]


def test_midjourney_states_no_negations_in_its_text():
    for spec in variant_specs():
        text = build_prompts(spec).prompts["midjourney"].split(" --ar ")[0]
        assert not re.search(r"\bno\b", text)


def test_midjourney_no_never_names_what_the_picture_wants():
    """``--no`` weighs each of its words negatively: none may be a word of the positive prompt."""
    for spec in variant_specs():
        text, _, params = build_prompts(spec).prompts["midjourney"].partition(" --ar ")
        words = set(re.findall(r"[a-z]+", text.lower()))
        negative = params.split(" --no ")[1] if " --no " in params else ""
        assert not (set(re.findall(r"[a-z]+", negative)) & words), negative


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
    for target in ("midjourney", "flux", "dalle", "structured"):
        assert "Negative prompt" not in bundle.text_for(target)


def test_each_light_is_one_sdxl_tag():
    tags = sdxl.plain(gather_facts(preset("seed_portrait"), ClaimLog()))
    for role in ("key light", "fill", "rim light"):
        assert sum(f" {role} " in f" {t} " for t in tags) == 1, role


def test_negative_prompt_names_what_the_spec_guards_against():
    seed = build_prompts(preset("seed_portrait")).negatives["sdxl"]
    for term in ("porcelain skin", "plastic skin", "flat lighting", "painted-looking metal", "background seams", "color spill"):
        assert term in seed
    no_gold = build_prompts(_with(preset("seed_portrait"), "jewelry.enabled", False)).negatives["sdxl"]
    assert "metal" not in no_gold and "gold" not in no_gold
    gradient = build_prompts(preset("gradient_backdrop")).negatives["sdxl"]
    assert "gradient" not in gradient and "color spill" not in gradient  # the gradient is wanted there


# What a negative term fights, stated here independently of negative.py: the term may only be
# used when the scene has none of it.
CONTRADICTS = {
    "multiple shadows": lambda s: s.lights.fill.enabled or s.lights.rim.enabled,  # each light casts one
    "flat lighting": lambda s: s.lights.fill.enabled and s.lights.fill.stops > -1.0,  # under 2:1 is flat on purpose
    "background gradient": lambda s: s.background.mode != "extraction",  # lit: the rig falls off across it
    "color spill": lambda s: s.background.mode != "extraction",
    "light spill on background": lambda s: s.background.mode != "extraction",
    "plastic gold": lambda s: False,
    "airbrushed skin": lambda s: not build_prompts(s).claims or not any(
        c.path == "skin.pores.diameter_mm" for c in build_prompts(s).claims),  # texture only where it shows
}


@pytest.mark.parametrize("spec", [*variant_specs(), _with(_with(preset("seed_portrait"), "lights.fill.enabled", False),
                                                          "lights.rim.enabled", False)], ids=lambda s: "")
def test_no_negative_contradicts_the_scene(spec):
    for term in negative_terms(spec):
        rule = CONTRADICTS.get(term)
        assert rule is None or not rule(spec), term


def test_multiple_shadows_only_for_a_single_light():
    three = build_prompts(preset("seed_portrait")).negatives["sdxl"]
    single = _with(_with(preset("seed_portrait"), "lights.fill.enabled", False), "lights.rim.enabled", False)
    assert "multiple shadows" not in three
    assert "multiple shadows" in build_prompts(single).negatives["sdxl"]


def test_priority_tags_fit_the_first_clip_chunk_for_every_preset():
    for name in PRESETS:
        counts = build_prompts(preset(name)).token_counts["sdxl"]
        assert counts["tags_in_first_chunk"] >= counts["priority_tags"] == 3, name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs)
def test_photograph_and_key_always_fit_the_first_chunk(spec):
    tags = sdxl.tags(gather_facts(spec, ClaimLog()))
    assert "photograph" in tags[0].text and " key light " in f" {tags[1].text} "
    assert [t.priority for t in tags[:2]] == [1, 1]
    assert tokens.tags_in_first_chunk([t.text for t in tags]) >= 2


# ---------------------------------------------------------------- Flux, DALL-E, structured

def test_flux_is_three_paragraphs_of_sentences_and_opens_with_the_picture():
    bundle = build_prompts(preset("seed_portrait"))
    text = bundle.prompts["flux"]
    paragraphs = text.split("\n\n")
    assert len(paragraphs) == 3
    for p in paragraphs:
        assert p[0].isupper() and p.endswith(".")
        assert all(s[0].isupper() for s in sentences(p))
    # Flux's CLIP encoder reads 77 tokens: the first sentence (photograph, sitter, chain) fits.
    assert bundle.token_counts["flux_first_sentence"]["tokens"] <= tokens.CHUNK_TOKENS


def test_dalle_names_an_orientation_openai_can_make_never_an_aspect_ratio():
    bundle = build_prompts(preset("seed_portrait"))
    text = bundle.prompts["dalle"]
    assert "\n" not in text
    assert text.startswith("A vertical head-and-shoulders studio portrait photograph")
    assert not re.search(r"\d+:\d+ (?!key)", text) and "4:5" not in text
    assert bundle.openai_sizes == {"gpt-image-1": "1024x1536", "dall-e-3": "1024x1792"}
    wide = build_prompts(_with(preset("seed_portrait"), "render.resolution", (1920, 1080)))
    assert wide.prompts["dalle"].startswith("A horizontal ")
    assert wide.openai_sizes == {"gpt-image-1": "1536x1024", "dall-e-3": "1792x1024"}
    square = build_prompts(_with(preset("seed_portrait"), "render.resolution", (1024, 1024)))
    assert square.openai_sizes == {"gpt-image-1": "1024x1024", "dall-e-3": "1024x1024"}


def test_structured_target_is_json_with_the_parts_as_fields():
    bundle = build_prompts(preset("seed_portrait"))
    data = json.loads(bundle.prompts["structured"])
    assert data == structured.data(gather_facts(preset("seed_portrait"), ClaimLog()))
    assert set(data) >= {"scene", "subjects", "color_palette", "lighting", "background", "composition", "camera"}
    assert data["color_palette"] == ["#FF0080"]
    assert set(data["lighting"]) == {"key", "fill", "rim", "color_temperature"}
    assert data["camera"] == {"lens": "105mm lens", "f-number": "f/5.6", "position": "camera at eye level"}
    facts = gather_facts(preset("seed_portrait"), ClaimLog())
    assert data["subjects"][0]["description"].startswith(facts.subject.who)
    assert "1.5% melanin" in data["subjects"][0]["description"]
    assert "rim" not in json.loads(build_prompts(preset("rembrandt")).prompts["structured"])["lighting"]


@pytest.mark.parametrize("spec", variant_specs(), ids=lambda s: "")
def test_length_limits(spec):
    bundle = build_prompts(spec)
    for target, budget in budgets(bundle.prompts).items():
        assert budget.fits, (target, budget)


# ---------------------------------------------------------------- content rules for every target

def positive_text(target: str, prompt: str) -> str:
    """What a reader reads: SDXL without its weight syntax, Midjourney without parameters."""
    if target == "sdxl":
        return ", ".join(sd_items(prompt))
    if target == "midjourney":
        return prompt.split(" --ar ")[0]
    return prompt


@pytest.mark.parametrize("name", PRESETS)
def test_photograph_and_sitter_come_first_then_backdrop_then_lights(name):
    bundle = build_prompts(preset(name))
    who = gather_facts(preset(name), ClaimLog()).subject.who
    for target, prompt in bundle.prompts.items():
        text = positive_text(target, prompt)
        first = text.split(". ")[0] if target != "structured" else json.loads(text)["scene"]
        assert "photograph" in first, target
        if target == "structured":
            continue
        assert f"photograph of {who}" in first, target
        backdrop, key = text.index("cyclorama"), text.index("key light")
        assert (backdrop < key) == (target != "sdxl"), target  # SDXL puts the lights in its first chunk


def test_disabled_parts_are_not_mentioned():
    rembrandt = build_prompts(preset("rembrandt"))  # rim disabled
    chroma = build_prompts(preset("chroma_extraction"))  # no jewellery
    for target in PROMPT_TARGETS:
        assert "rim" not in rembrandt.prompts[target]
        assert not re.search(r"gold|chain|collarbone|hammer", chroma.prompts[target])
    no_fill = build_prompts(_with(preset("seed_portrait"), "lights.fill.enabled", False))
    for target in PROMPT_TARGETS:
        assert "fill" not in no_fill.prompts[target]
    assert not any(c.path.startswith("lights.rim") for c in rembrandt.claims)


def test_backdrop_modes_are_worded_differently():
    extraction = build_prompts(preset("seed_portrait")).prompts["flux"]
    gradient = build_prompts(preset("gradient_backdrop")).prompts["flux"]
    lit = build_prompts(preset("rembrandt")).prompts["flux"]
    assert "deep pink cyclorama in exact RGB 255/0/128 with no light spill" in extraction
    assert "2-stop gradient falling off from camera left" in gradient and "exact RGB" not in gradient
    assert "painted RGB 70/62/56, 8 feet from the sitter, lit by the portrait lights" in lit and "no light spill" not in lit


def test_engine_tags_are_a_switch():
    off = build_prompts(preset("seed_portrait"))
    on = build_prompts(_with(preset("seed_portrait"), "prompt.engine_tags", True))
    for target in PROMPT_TARGETS:
        assert "Cycles" not in off.prompts[target]
        assert "Blender Cycles path tracing" in on.prompts[target]


@pytest.mark.parametrize("spec", variant_specs(), ids=lambda s: "")
def test_no_quality_adjectives_and_no_repeated_phrases(spec):
    bundle = build_prompts(spec)
    facts = gather_facts(spec, ClaimLog())
    for target, prompt in bundle.prompts.items():
        lowered = positive_text(target, prompt).lower()
        for word in QUALITY_WORDS:
            assert not re.search(rf"\b{re.escape(word)}\b", lowered), (target, word)
        if target == "sdxl":
            items = sdxl.plain(facts)
            assert len(items) == len(set(items)), target
        elif target != "structured":
            said = sentences(lowered)
            assert len(said) == len(set(said)), target
        # No run of six words (numbers included) said twice: a repeated phrase, not a shared
        # reference such as "camera right" with different angles. Two lights at one level share
        # its phrase ("metered equal to the key"): that is one value said of two things.
        for phrase in shared_values(bundle.claims):
            lowered = lowered.replace(phrase.lower(), " ")
        words = [w.strip(".,:;\"[]{}") for w in lowered.replace("(", " ").replace(")", " ").split()]
        grams = [g for i in range(len(words) - 5) if not set(g := tuple(words[i:i + 6])) <= REGION_LIST_WORDS]
        assert len(grams) == len(set(grams)), (target, [g for g in grams if grams.count(g) > 1][:1])
        # The repeats a prompt artist flagged: "eye level" once (the camera's), "away" once (the
        # first light's distance), "roughness" once for the skin and once for the gold, no "key level".
        assert lowered.count("eye level") <= 1, target
        assert len(re.findall(r"\baway\b", lowered)) <= 1, target
        assert lowered.count("roughness") <= 2, target
        assert "key level" not in lowered, target


# Every SD tag names what it describes (no "5 feet away" or "0.63 elsewhere" standing alone).
HEAD_NOUNS = ("photograph", "key light", "fill", "rim light", "lights", "cyclorama", "chain", "lens", "camera",
              "scattering", "sheen", "pores", "vellus hair", "roughness", "links", "facets", "highlights",
              "micro-scratches", "Cycles", "lighting",  # the key's pattern ("short Rembrandt lighting")
              "skin",  # the sitter's tone ("light skin of Fitzpatrick II ...")
              "smile", "expression", "hair", "bob", "face", "chin", "head", "shoulders", "eyes", "top")  # the person (core.prompt.sitter)


@pytest.mark.parametrize("spec", variant_specs(), ids=lambda s: "")
def test_no_orphan_fragments(spec):
    bundle = build_prompts(spec)
    for tag in sd_items(bundle.prompts["sdxl"]):
        assert any(noun in tag for noun in HEAD_NOUNS), tag
    for target in ("flux", "dalle", "midjourney"):
        for said in sentences(positive_text(target, bundle.prompts[target])):
            assert said[0].isupper() and said.endswith("."), said


def test_directions_name_the_cameras_side_and_the_sitters_shoulder():
    for spec in variant_specs():
        for claim in build_prompts(spec).claims:
            if not claim.path.endswith("azimuth_deg"):
                continue
            az = getattr(spec.lights, claim.path.split(".")[1]).azimuth_deg
            side = "left" if az > 0 else "right"
            assert ("camera left" in claim.phrase) + ("camera right" in claim.phrase) <= 1, claim.phrase
            assert f"camera {'right' if side == 'left' else 'left'}" not in claim.phrase, claim.phrase
            if "shoulder" in claim.phrase:  # the sitter faces the camera: their left is camera right
                assert f"sitter's {'right' if side == 'left' else 'left'} shoulder" in claim.phrase, claim.phrase
            assert re.search(r"(?<!sitter's )\b(left|right) shoulder", claim.phrase) is None  # never a bare shoulder


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


def test_to_data_has_prompts_negatives_claims_token_counts_and_the_sd_parameters():
    bundle = build_prompts(preset("seed_portrait"))
    data = bundle.to_data()
    assert set(data) == {"default_target", "prompts", "negative_prompts", "claims", "clip_tokens", "length_budgets",
                         "openai_sizes", "sd_parameters"}
    assert set(data["prompts"]) == set(PROMPT_TARGETS)
    assert set(data["negative_prompts"]) == {"sdxl"}
    assert data["sd_parameters"] == bundle.infotext()
    claim = next(c for c in data["claims"] if c["path"] == "lights.fill.stops" and c["unit"] == "stops")
    assert claim == {"path": "lights.fill.stops", "value": -2.0, "unit": "stops", "phrase": "metered 2 stops under the key",
                     "stated": -2.0, "rule": "stops", "tolerance": 0.1,
                     "targets": ["midjourney", "flux", "dalle", "structured"]}
    json.dumps(data)  # plain data all the way down
