"""Flux and DALL-E / GPT Image (and Midjourney's text): natural-language paragraphs, in order
of importance.

Both read sentences (T5 for Flux, a language model for OpenAI's image models), so the facts are
written as plain description, with negations allowed. Flux gets one paragraph per topic (the
picture; the light; the detail) and its first sentence carries the photograph, the sitter and
the chain, since Flux's CLIP encoder reads only the first 77 tokens. The OpenAI prompt is one
paragraph that opens with the frame's orientation: their models make only fixed sizes (gpt-image-1
1024x1024, 1024x1536, 1536x1024; DALL-E 3 1024x1024, 1792x1024, 1024x1792), so the prompt names
the orientation, never an aspect ratio they cannot make, and ``bundle.openai_sizes`` gives the
size of that orientation to request.
"""

from __future__ import annotations

from .. import tokens
from ..facts import Facts, LightFacts
from ..wording import (
    ROLE_NOUNS,
    backdrop_phrase,
    camera_phrase,
    chain_phrase,
    indefinite,
    level,
    lights_in_order,
    listing,
    look_phrases,
    sentence,
    subject_phrase,
    temperature_items,
)


def _light_sentence(light: LightFacts, first: bool, catchlights: bool) -> str:
    """"The key light is a large softbox 45° camera left and 45° up, 5 feet away." """
    noun = f"{light.source} {light.grid}" if light.grid else light.source
    joiner = ", " if light.grid and first else " "
    where = f"{light.direction}, {light.distance} away" if first else f"at {light.distance}, {light.direction}"
    return sentence(f"the {ROLE_NOUNS[light.role]} is {indefinite(noun)} {noun}{joiner}{where}{level(light, catchlight_too=catchlights)}")


def _temperature_sentence(facts: Facts) -> str:
    items = temperature_items(facts.lights, facts.same_temperature)
    if items[0][1] == "all lights":
        return sentence(f"all lights are {items[0][0]}")
    first, *rest = items
    verb = "are" if " and " in first[1] else "is"
    parts = [f"the {first[1]} {verb} {first[0]}"] + [f"the {role} {temp}" for temp, role in rest]
    return sentence(listing([*parts]))


def _picture(facts: Facts, lead: str, spill: bool) -> list[str]:
    chain = chain_phrase(facts)
    subject = f"{lead} {subject_phrase(facts, look=False)}" + (f", wearing {chain}" if chain else "")
    backdrop = backdrop_phrase(facts, spill=spill)
    lens = camera_phrase(facts)
    look = [sentence(f"the sitter has {', '.join(look_phrases(facts))}")] if look_phrases(facts) else []
    return [sentence(subject), *look, sentence(f"the backdrop is {indefinite(backdrop)} {backdrop}"),
            sentence(f"shot on {indefinite(lens)} {lens}")]


def _detail(facts: Facts) -> list[str]:
    skin, j = facts.skin, facts.jewelry
    out = []
    features = [skin.pores, skin.subsurface, f"{indefinite(skin.vellus)} {skin.vellus}" if skin.vellus else None]
    if any(features):
        out.append(sentence(f"the skin has {listing(features)}"))
        out.append(sentence(f"its specular roughness is {listing(list(skin.roughness))}"))
    else:
        out.append(sentence(f"the skin's specular roughness is {listing(list(skin.roughness))}"))
    if j:
        out.append(sentence(f"the chain has {listing([j.links, j.surface, j.scratches])}"))
    if facts.engine:
        out.append(sentence(f"rendered with {facts.engine}"))
    return out


def paragraphs(facts: Facts, lead: str, *, spill: bool = True, catchlights: bool = True) -> list[list[str]]:
    """The picture (photograph, sitter, chain, backdrop, lens); the light; the detail.
    ``spill``: whether the backdrop sentence may say "with no light spill"; ``catchlights``:
    whether each light names its catchlight (not for Flux: ``facts.CATCHLIGHT_TARGETS``)."""
    lighting = [_light_sentence(light, first, catchlights) for light, first in lights_in_order(facts)]
    if facts.bounce:
        lighting.append(sentence(f"bounce fill comes from {indefinite(facts.bounce)} {facts.bounce}"))
    if facts.flag:
        lighting.append(sentence(f"{indefinite(facts.flag)} {facts.flag} absorbs bounced light as negative fill"))
    return [_picture(facts, lead, spill), [*lighting, _temperature_sentence(facts)], _detail(facts)]


def _join(sentences: list[str]) -> str:
    return " ".join(s for s in sentences if s)


def write_flux(facts: Facts, limit: int) -> str:
    """Flux's paragraphs within ``limit`` tokens (its T5 budget, ``limits``): when the whole
    text is longer, the detail paragraph's sentences go, last first (the engine, the chain's
    finish, the skin's roughness and features), before anything about the picture or the light.
    A claim whose phrase is dropped is not made to Flux (``bundle``)."""
    picture, light, detail = paragraphs(facts, "a", catchlights=False)
    while True:
        text = "\n\n".join(_join(p) for p in (picture, light, detail) if _join(p))
        if not detail or tokens.count_tokens(text) <= limit:
            return text
        detail = detail[:-1]


def write_dalle(facts: Facts) -> str:
    lead = f"{indefinite(facts.orientation)} {facts.orientation}"
    return _join([s for p in paragraphs(facts, lead) for s in p])
