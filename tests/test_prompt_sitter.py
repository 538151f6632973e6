"""The sitter comes first in every target, in words people use: age, sex and build, skin tone on
the Fitzpatrick and Monk scales beside the melanin fraction, expression, hair, head turn and
gaze on the camera's sides, and clothing."""

from __future__ import annotations

import pytest
from prompt_support import PRESETS, _with, preset

from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.prompt.claims import ClaimLog
from portrait_spec.core.prompt.facts import gather_facts
from portrait_spec.core.prompt.hair_color import hair_shade
from portrait_spec.core.prompt.sitter import skin_scales, tone_phrase
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
                           "with light skin of Fitzpatrick III and Monk 6 at 1.5% melanin")
    assert ("The sitter has a slight smile, side-parted brown bob, face turned 8° to camera left, chin level, "
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
    assert skin_scales(0.015, 0.002)[0] == "II"  # light skin with Jacques's body-wide blood
    assert skin_scales(0.015, 0.01)[0] == "III"  # the seed's face: ITA 37 deg, as measured faces (Yun et al. 2010)
    assert skin_scales(0.43, 0.002)[0] == "VI" and skin_scales(0.43, 0.002)[1] >= 8
    assert tone_phrase(0.25, 0.002).startswith("dark skin of Fitzpatrick")


def test_hair_words():
    assert hair_shade(0.99, 0.2) == "black" and hair_shade(0.9, 0.3) == "dark brown" and hair_shade(0.2, 0.1) == "blonde"
    assert hair_shade(0.9, 0.8) == "auburn" and hair_shade(0.2, 0.8) == "strawberry blonde"


@pytest.mark.parametrize(("hair", "words", "claims"), [
    (('style="shaved"', "length_cm=0"), "a shaved head and brown eyebrows", {"style": "shaved"}),
    (('style="close_cropped"', "length_cm=1", 'parting="none"'), "close-cropped brown hair", {"style": "close_cropped"}),
    (('style="short"', "length_cm=5", 'parting="none"'), "short brown hair combed back", {"style": "short"}),
    (('style="short"', "length_cm=5", 'parting="right"'), "side-parted short brown hair", {"style": "short", "parting": "side"}),
    ((), "side-parted brown bob", {"style": "bob", "parting": "side"}),
    (('style="long"', "length_cm=50", 'parting="centre"'), "centre-parted long brown hair behind the shoulders",
     {"style": "long", "parting": "centre"}),
    (('style="ponytail"', "length_cm=40", 'parting="none"'), "brown hair tied back in a ponytail", {"style": "ponytail"}),
    (('style="bun"', "length_cm=45", 'parting="none"', "greying=0.3"), "brown hair tied back in a bun with 30% grey",
     {"style": "bun", "greying": 30.0}),
])
def test_the_haircut_is_said_as_a_person_would_each_word_a_claim(hair, words, claims):
    from portrait_spec.core.prompt.sitter import stated_in
    from portrait_spec.core.toml_io import loads_spec

    spec = loads_spec("", ['subject.kind="person"', *(f"subject.hair.{h}" for h in hair)])
    found = {c.path.rsplit(".", 1)[1]: c for c in build_prompts(spec).claims if c.path.startswith("subject.hair.")}
    assert found["style"].phrase == words
    assert {k: c.stated for k, c in found.items() if k != "melanin"} == claims
    for c in found.values():
        assert stated_in(c.path, c.phrase) == c.stated


@pytest.mark.parametrize(("style", "length", "allowed"), [
    ("shaved", 2.0, "0 (no strands)"), ("close_cropped", 3.0, "0.2-1.5 cm"), ("short", 12.0, "1.5-10 cm"),
    ("bob", 10.0, "15-30 cm"), ("long", 30.0, "35-90 cm"), ("ponytail", 20.0, "25-90 cm"), ("bun", 28.0, "30-90 cm"),
])
def test_a_length_that_does_not_make_the_style_is_refused_naming_the_style_and_its_lengths(style, length, allowed):
    from portrait_spec.core.errors import SpecError
    from portrait_spec.core.toml_io import loads_spec

    with pytest.raises(SpecError) as err:
        loads_spec("", [f'subject.hair.style="{style}"', f"subject.hair.length_cm={length}"])
    assert f"subject.hair.length_cm: found {length:g} cm with style '{style}'; allowed: {allowed} for '{style}' hair" in str(err.value)


def test_greying_is_stated_as_the_share_of_grey_strands_only_when_there_is_some():
    from portrait_spec.core.prompt.sitter import stated_in

    grey = build_prompts(_with(preset("seed_portrait"), "subject.hair.greying", 0.3))
    claim = next(c for c in grey.claims if c.path == "subject.hair.greying")
    assert claim.phrase == "side-parted brown bob with 30% grey"
    assert claim.value == pytest.approx(30.0) and stated_in(claim.path, claim.phrase) == pytest.approx(30.0)
    assert all(c.path != "subject.hair.greying" for c in build_prompts(preset("seed_portrait")).claims)
    shaved = _with(_with(_with(preset("seed_portrait"), "subject.hair.greying", 0.3), "subject.hair.style", "shaved"),
                   "subject.hair.length_cm", 0.0)
    assert all(c.path != "subject.hair.greying" for c in build_prompts(shaved).claims)  # no scalp hair to grey
