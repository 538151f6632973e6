"""Flux and DALL-E: natural-language paragraphs, in order of importance.

Both read sentences (T5 for Flux, a language model rewriting for DALL-E), so the facts are
written as plain description, with negations allowed. Flux gets one paragraph per topic
(camera and light; skin and metal; backdrop) and its first sentence carries the picture, since
Flux's CLIP encoder reads only the first 77 tokens. DALL-E gets one paragraph that opens with
the frame's orientation and aspect ratio, which it otherwise picks itself.
"""

from __future__ import annotations

from ..facts import Facts, LightFacts
from ..wording import brightest, indefinite, listing, metered, position, sentence, source_noun, temperature_items


def _light_sentence(light: LightFacts, seen: set[str]) -> str:
    comma = "," if light.grid or light.direction.startswith("behind") else ""
    noun = source_noun(light)
    # A second light of the same kind is "another", so the sentence does not repeat the first.
    article = "another" if light.source in seen else indefinite(light.source)
    seen.add(light.source)
    if light.role == "key":
        return sentence(f"the key light is {article} {noun}{comma} {position(light)}")
    ratio = f" ({light.ratio})" if light.ratio else ""
    level = f"{metered(light.level)}{ratio}" if light.level else ""
    if light.role == "fill":
        return sentence(f"the fill is {article} {noun}{comma} {position(light)}, {level}")
    return sentence(f"{article} {noun}, {position(light)}, adds a rim light {level}")


def _temperature_sentence(facts: Facts) -> str:
    items = temperature_items(facts.lights, facts.same_temperature)
    if items[0][1] == "all lights":
        return sentence(f"all lights are {items[0][0]}")
    first, *rest = items
    verb = "are" if " and " in first[1] else "is"
    parts = [f"the {first[1]} {verb} {first[0]}"] + [f"the {role} {temp}" for temp, role in rest]
    return sentence(listing(parts))


def _camera_sentence(facts: Facts, lead: str) -> str:
    cam = facts.camera
    return sentence(f"{lead} {cam.framing} studio portrait photograph shot on {indefinite(cam.lens)} {cam.lens} "
                    f"at {cam.aperture}, camera {cam.height}")


def _skin_sentences(facts: Facts) -> list[str]:
    skin = facts.skin
    sebum = f"{indefinite(skin.sebum)} {skin.sebum}" if skin.sebum else ""
    first = sentence(f"the sitter has {listing([skin.tone, skin.pores or '', skin.vellus or '', sebum])}")
    optics = listing([skin.subsurface or "", *skin.specular, skin.base_roughness])
    return [first, sentence(f"the skin has {optics}")]


def _jewelry_sentence(facts: Facts) -> str:
    j = facts.jewelry
    if j is None:
        return ""
    detail = ", ".join(p for p in (j.surface, j.scratches) if p)
    chain = f"{j.length} {j.metal} {j.chain}"
    return sentence(f"{indefinite(chain)} {chain} of {j.links} rests on the clavicles: {detail}")


def _background_sentence(facts: Facts) -> str:
    bg = facts.background
    if bg.mode == "extraction":
        look = f"{bg.cyclorama} in {bg.color} with {bg.spill}"
    elif bg.mode == "gradient":
        look = f"{bg.cyclorama} {bg.color} under its own light, a {bg.gradient}, {brightest(bg.level or '')}"
    else:
        look = f"{bg.cyclorama} {bg.color} and {bg.lit}"
    return sentence(f"the subject stands {bg.distance}, a {look}")


def _engine_sentence(facts: Facts) -> str:
    return sentence(f"rendered with {facts.engine}") if facts.engine else ""


def paragraphs(facts: Facts, lead: str) -> list[list[str]]:
    seen: set[str] = set()
    lighting = [_light_sentence(light, seen) for light in facts.lights] + [_temperature_sentence(facts)]
    return [
        [_camera_sentence(facts, lead), *lighting],
        [*_skin_sentences(facts), _jewelry_sentence(facts)],
        [_background_sentence(facts), _engine_sentence(facts)],
    ]


def _join(sentences: list[str]) -> str:
    return " ".join(s for s in sentences if s)


def write_flux(facts: Facts) -> str:
    return "\n\n".join(_join(p) for p in paragraphs(facts, "a"))


def write_dalle(facts: Facts) -> str:
    lead = f"{indefinite(facts.orientation)} {facts.orientation} {facts.aspect}"
    return _join([s for p in paragraphs(facts, lead) for s in p])
