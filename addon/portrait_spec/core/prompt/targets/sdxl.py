"""SDXL: short tags with emphasis weights, the most important first, plus a negative prompt.

Tags are ordered by priority (1 before 2), then by section. Priority 1 holds what most
changes the picture and what models ignore unless told, in this order: framing, key direction
and size, the fill level and ratio, pore texture, the cyclorama, the exact colour when the
backdrop is an extraction plate, and the metal. The token counts report how many leading tags
fit whole in the first 75-token CLIP chunk: for every preset that is all of priority 1, and for
any spec it always includes framing, key and fill (tests/test_prompt_targets.py).

Weights use the Automatic1111 / ComfyUI syntax ``(tag:1.2)``; weight 1.0 is written bare.
Parentheses are never used inside tags, since those tools read them as emphasis.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..facts import Facts, LightFacts
from ..wording import brightest, levelled_role, position, source_noun, temperature_items, temperature_tag

# Emphasis by what the tag carries: light direction and ratio and the exact backdrop colour are
# the constraints SDXL most often averages away; 1.2 stays below the point where it distorts.
WEIGHTS: dict[str, float] = {
    "framing": 1.0, "key": 1.2, "fill_level": 1.2, "fill_ratio": 1.2, "pores": 1.1,
    "cyclorama": 1.1, "color_exact": 1.2, "color_paint": 1.1, "metal": 1.1, "rim": 1.1,
    "skin_optics": 1.1, "other": 1.0,
}


@dataclass(frozen=True)
class Tag:
    text: str
    priority: int
    weight: float

    def render(self) -> str:
        return self.text if self.weight == 1.0 else f"({self.text}:{self.weight:g})"


def _light_tags(light: LightFacts) -> list[Tag]:
    if light.role == "key":
        head = f"{light.source} key light {light.direction}"
        detail = f"key light at {light.distance}" + (f" {light.grid}" if light.grid else "")
        return [Tag(head, 1, WEIGHTS["key"]), Tag(detail, 2, WEIGHTS["other"])]
    if light.role == "fill":
        tags = [Tag(levelled_role(light), 1, WEIGHTS["fill_level"])]
        if light.ratio:
            tags.append(Tag(light.ratio, 1, WEIGHTS["fill_ratio"]))
        tags.append(Tag(f"fill from a {source_noun(light)} {position(light)}", 2, WEIGHTS["other"]))
        return tags
    return [Tag(f"{levelled_role(light)} from a {source_noun(light)} {position(light)}", 2, WEIGHTS["rim"])]


def tags(facts: Facts) -> list[Tag]:
    cam, skin, bg, j = facts.camera, facts.skin, facts.background, facts.jewelry
    out = [Tag(f"{cam.framing} studio portrait", 1, WEIGHTS["framing"])]
    for light in facts.lights:
        out += _light_tags(light)
    if skin.pores:
        out.append(Tag(skin.pores, 1, WEIGHTS["pores"]))
    out.append(Tag(bg.cyclorama, 1, WEIGHTS["cyclorama"]))
    if bg.mode == "extraction":
        out.append(Tag(bg.color, 1, WEIGHTS["color_exact"]))
    if j:
        out.append(Tag(f"{j.metal} {j.chain}", 1, WEIGHTS["metal"]))
    out += [Tag(f"{cam.lens} at {cam.aperture}", 2, WEIGHTS["other"]), Tag(f"camera {cam.height}", 2, WEIGHTS["other"])]
    out += [Tag(temperature_tag(t, r), 2, WEIGHTS["other"]) for t, r in temperature_items(facts.lights, facts.same_temperature)]
    out += [Tag(p, 2, WEIGHTS["skin_optics"]) for p in (skin.subsurface, *skin.specular) if p]
    out += [Tag(p, 2, WEIGHTS["other"]) for p in (skin.base_roughness, skin.tone, skin.vellus, skin.sebum) if p]
    if j:
        out += [Tag(f"{j.length} chain of {j.links}", 2, WEIGHTS["other"]), Tag(j.surface, 2, WEIGHTS["metal"])]
        if j.scratches:
            out.append(Tag(j.scratches, 2, WEIGHTS["other"]))
    if bg.mode != "extraction":
        out.append(Tag(bg.color, 2, WEIGHTS["color_paint"]))  # paint under light: its look, not a pixel value
    out.append(Tag(f"subject {bg.distance}", 2, WEIGHTS["other"]))
    if bg.gradient:
        out += [Tag(bg.gradient, 2, WEIGHTS["other"]), Tag(f"backdrop {brightest(bg.level or '')}", 2, WEIGHTS["other"])]
    if bg.lit:
        out.append(Tag(f"backdrop {bg.lit}", 2, WEIGHTS["other"]))
    if facts.engine:
        out.append(Tag(facts.engine, 2, WEIGHTS["other"]))
    return sorted(out, key=lambda t: t.priority)  # stable: section order kept within a priority


def write(facts: Facts) -> str:
    return ", ".join(t.render() for t in tags(facts))


def plain(facts: Facts) -> list[str]:
    """The tags as CLIP sees them once the emphasis syntax is parsed away."""
    return [t.text for t in tags(facts)]
