"""The sitter comes first in every target, in words people use: age, sex and build, skin tone on
the Fitzpatrick and Monk scales beside the melanin fraction, expression, hair, head turn and
gaze on the camera's sides, and clothing."""

from __future__ import annotations

import pytest
from prompt_support import PRESETS, _with, preset

from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.prompt.claims import ClaimLog
from portrait_spec.core.prompt.facts import gather_facts
from portrait_spec.core.prompt.sitter import hair_cut, hair_shade, skin_scales, tone_phrase
from portrait_spec.core.prompt.targets import sdxl


@pytest.mark.parametrize("name", PRESETS)
def test_every_target_opens_with_the_sitter(name):
    spec = preset(name)
    bundle = build_prompts(spec)
    age = f"{round(spec.subject.body.age_years)}-year-old"
    for target, prompt in bundle.prompts.items():
        if target == "sdxl":
            continue
        opening = prompt[:260]
        assert age in opening and "skin of Fitzpatrick" in opening, (target, opening)
    # SDXL's first CLIP chunk holds the photograph, who, the key and the fill (the priority tags,
    # test_prompt_targets); the skin tone opens the tags after them, behind the key's pattern only.
    tags = sdxl.tags(gather_facts(spec, ClaimLog()))
    rest = [t.text for t in tags if t.priority == 2]
    assert age in tags[0].text and "skin of Fitzpatrick" in " ".join(rest[:2]), rest[:2]
    said = {c.path for c in bundle.claims}
    assert {"subject.body.age_years", "subject.body.sex", "subject.expression.kind", "subject.pose.head_yaw_deg",
            "subject.garment.color", "subject.hair.melanin"} <= said


def test_seed_words():
    bundle = build_prompts(preset("seed_portrait"))
    flux = bundle.prompts["flux"]
    assert flux.startswith("A head-and-shoulders studio portrait photograph of a 32-year-old woman of average build "
                           "with light skin of Fitzpatrick II and Monk 5 at 1.5% melanin")
    assert ("The sitter has a slight smile, short dark brown hair combed back, face turned 8° to camera left, chin level, "
            "shoulders turned 20° to camera left, eyes on the lens, in a black matte cotton off-shoulder top in RGB 28/30/38."
            ) in flux


def test_turns_name_the_cameras_sides():
    base = preset("seed_portrait")
    left = build_prompts(_with(base, "subject.pose.head_yaw_deg", 20.0)).prompts["flux"]
    right = build_prompts(_with(base, "subject.pose.head_yaw_deg", -20.0)).prompts["flux"]
    assert "face turned 20° to camera left" in left and "face turned 20° to camera right" in right
    level = build_prompts(_with(base, "subject.pose.head_yaw_deg", 0.0)).prompts["flux"]
    assert "facing the camera" in level
    gaze = _with(_with(_with(base, "subject.pose.gaze", "direction"), "subject.pose.gaze_yaw_deg", -15.0),
                 "subject.pose.gaze_pitch_deg", 5.0)
    assert "eyes 15° right of and 5° above the lens" in build_prompts(gaze).prompts["flux"]


def test_a_mannequin_is_a_sitter_without_a_person_s_words():
    bundle = build_prompts(_with(preset("seed_portrait"), "subject.kind", "mannequin"))
    assert "photograph of a sitter with light skin" in bundle.prompts["flux"]
    assert not any(c.path.startswith(("subject.body", "subject.pose", "subject.garment")) for c in bundle.claims)


def test_skin_scales_darken_with_melanin():
    """More melanin: a smaller ITA, a later Fitzpatrick type and a later Monk tone, never back."""
    numerals = ["I", "II", "III", "IV", "V", "VI"]
    last = (-1, 0, 90.0)
    for melanin in [i / 100 for i in range(0, 51)]:
        phototype, monk, ita = skin_scales(melanin, 0.002)
        now = (numerals.index(phototype), monk, ita)
        assert now[0] >= last[0] and now[1] >= last[1] and now[2] <= last[2], melanin
        last = now
    assert skin_scales(0.015, 0.002)[0] == "II"  # the seed's light skin
    assert skin_scales(0.43, 0.002)[0] == "VI" and skin_scales(0.43, 0.002)[1] >= 8
    assert tone_phrase(0.25, 0.002).startswith("dark skin of Fitzpatrick")


def test_hair_words():
    assert hair_shade(0.95, 0.2) == "black" and hair_shade(0.8, 0.3) == "dark brown" and hair_shade(0.2, 0.1) == "blond"
    assert hair_shade(0.5, 0.8) == "auburn" and hair_shade(0.2, 0.8) == "strawberry blond"
    assert hair_cut(0.0) == "shaved" and hair_cut(4.0) == "buzz-cut" and hair_cut(20.0) == "short"


def test_greying_is_stated_as_the_share_of_grey_strands_only_when_there_is_some():
    from portrait_spec.core.prompt.sitter import stated_in

    grey = build_prompts(_with(preset("seed_portrait"), "subject.hair.greying", 0.3))
    claim = next(c for c in grey.claims if c.path == "subject.hair.greying")
    assert "short dark brown hair with 30% grey combed back" in claim.phrase
    assert claim.value == pytest.approx(30.0) and stated_in(claim.path, claim.phrase) == pytest.approx(30.0)
    assert all(c.path != "subject.hair.greying" for c in build_prompts(preset("seed_portrait")).claims)
    shaved = _with(_with(preset("seed_portrait"), "subject.hair.greying", 0.3), "subject.hair.length_mm", 0.0)
    assert all(c.path != "subject.hair.greying" for c in build_prompts(shaved).claims)  # no scalp hair to grey
