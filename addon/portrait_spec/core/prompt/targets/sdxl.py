"""SDXL: short tags with emphasis weights, the most important first, plus a negative prompt.

Tags are ordered by priority (1 before 2), then by section. Priority 1 holds what most changes
the picture and what models ignore unless told: the photograph and who the sitter is (framing,
age, sex, build), the key light, and the fill with its ratio. Priority 2 opens with the key's
lighting pattern, the skin tone and the rest of the person (a tag each), then the backdrop with
its exact colour, the chain and the rim. Each light is one tag (source, role, place, level), so
a light's weight covers all of it; the fill's level is its ratio alone ("4:1 key-to-fill" says what "2 stops under the key"
does, in fewer tokens). The token counts report how many leading tags fit whole in the first
75-token CLIP chunk: for every preset that is all of priority 1, and for any spec it includes
the photograph and the key (tests/test_prompt_targets.py).

Weights use the Automatic1111 / ComfyUI syntax ``(tag:1.2)``; weight 1.0 is written bare, so a
tag holding a comma (a light, a list of regions) is always weighted: the parentheses keep it one
tag for the reader. Parentheses are never used inside tags, since those tools read them as
emphasis.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import Facts
from ..wording import (
    ROLE_NOUNS,
    backdrop_phrase,
    camera_phrase,
    chain_phrase,
    light_phrase,
    lights_in_order,
    look_phrases,
    roughness_list,
    subject_phrase,
    temperature_items,
    temperature_tag,
)

# Emphasis by what the tag carries: light direction and ratio and the exact backdrop colour are
# the constraints SDXL most often averages away; 1.2 stays below the point where it distorts.
WEIGHTS: dict[str, float] = {
    "subject": 1.0, "key": 1.2, "fill": 1.2, "rim": 1.1, "backdrop_exact": 1.2, "backdrop": 1.1, "chain": 1.1,
    "skin_optics": 1.1, "metal": 1.1, "other": 1.0,
}


@dataclass(frozen=True)
class Tag:
    text: str
    priority: int
    weight: float

    def render(self) -> str:
        return self.text if self.weight == 1.0 else f"({self.text}:{self.weight:g})"


def tags(facts: Facts) -> list[Tag]:
    skin, bg, j = facts.skin, facts.background, facts.jewelry
    out = [Tag(subject_phrase(facts, look=False, tone=False), 1, WEIGHTS["subject"])]
    # The key's lighting pattern, the skin tone (its scales and melanin fraction, 15 CLIP tokens)
    # and then the person's expression, hair, head turn, gaze and clothing lead priority 2, each
    # its own tag: the first chunk keeps the photograph, who, the key and the fill.
    out += [Tag(light.pattern, 2, WEIGHTS["key"]) for light in facts.lights if light.pattern]
    out.append(Tag(facts.subject.tone, 2, WEIGHTS["subject"]))
    out += [Tag(part, 2, WEIGHTS["subject"]) for part in look_phrases(facts)]
    rims: list[Tag] = []
    for light, first in lights_in_order(facts):
        tag = Tag(light_phrase(light, first, sd_tag=True), 2 if light.role == "rim" else 1, WEIGHTS[light.role])
        (rims if light.role == "rim" else out).append(tag)
    # Each catchlight is a tag of its own ("fill's catchlight at 2 o'clock"): an SD tag is one
    # light's phrase without its level.
    out += [Tag(f"{ROLE_NOUNS[light.role]}'s {light.catchlight}", 2, WEIGHTS["other"])
            for light in facts.lights if light.catchlight]
    exact = bg.mode == "extraction"
    out.append(Tag(backdrop_phrase(facts, spill=False), 2, WEIGHTS["backdrop_exact" if exact else "backdrop"]))
    chain = chain_phrase(facts)
    if chain:
        out.append(Tag(chain, 2, WEIGHTS["chain"]))
    out += rims
    # Weighted like the fill they add or take away: the parentheses also keep each one tag.
    out += [Tag(part, 2, WEIGHTS["fill"]) for part in (facts.bounce, facts.flag) if part]
    out += [Tag(temperature_tag(t, r), 2, WEIGHTS["other"]) for t, r in temperature_items(facts.lights, facts.same_temperature)]
    out.append(Tag(camera_phrase(facts), 2, WEIGHTS["other"]))
    out += [Tag(p, 2, WEIGHTS["skin_optics"]) for p in (skin.pores, skin.subsurface) if p]
    if skin.vellus:
        out.append(Tag(skin.vellus, 2, WEIGHTS["skin_optics"]))
    out.append(Tag(roughness_list(facts), 2, WEIGHTS["skin_optics"]))
    if j:
        out += [Tag(p, 2, WEIGHTS["metal"]) for p in (j.links, j.surface) if p]
        if j.scratches:
            out.append(Tag(j.scratches, 2, WEIGHTS["other"]))
    if facts.engine:
        out.append(Tag(facts.engine, 2, WEIGHTS["other"]))
    return sorted(out, key=lambda t: t.priority)  # stable: section order kept within a priority


def write(facts: Facts) -> str:
    return ", ".join(t.render() for t in tags(facts))


def plain(facts: Facts) -> list[str]:
    """The tags as CLIP sees them once the emphasis syntax is parsed away."""
    return [t.text for t in tags(facts)]
