"""Structured JSON, as FLUX.2 and Bria FIBO take it: the picture as named fields instead of one
paragraph, so each part can be edited alone.

The field names follow FLUX.2's JSON prompting guide (Black Forest Labs: ``scene``,
``subjects`` with ``description`` and details, ``color_palette`` as hex codes,
``lighting``, ``background``, ``composition``, ``camera`` with lens and f-number); Bria FIBO's
structured captions have the same parts (objects, background, lighting, photographic
characteristics). Both read the JSON as text through their language encoder, so every value is
a phrase, and each light is its own field. Values are the same claimed phrases the other
targets use; the backdrop colour is also given as hex.
"""

from __future__ import annotations

import json
from typing import Any

from ..facts import Facts
from ..wording import ROLE_NOUNS, backdrop_phrase, light_phrase, lights_in_order, temperature_items, temperature_tag


def data(facts: Facts) -> dict[str, Any]:
    cam, skin, j, bg = facts.camera, facts.skin, facts.jewelry, facts.background
    sitter: dict[str, Any] = {
        "description": ", ".join([f"{facts.subject.who} with {facts.subject.tone}", *facts.subject.look]),
        "skin": [p for p in (skin.pores, skin.subsurface, skin.vellus) if p] + [
            "specular roughness " + ", ".join(skin.roughness)],
    }
    subjects = [sitter]
    if j:
        subjects.append({"description": f"{j.chain} on the collarbones", "details": [p for p in (j.links, j.surface, j.scratches) if p]})
    lighting: dict[str, str] = {ROLE_NOUNS[light.role].replace(" light", ""): light_phrase(light, first)
                                for light, first in lights_in_order(facts)}
    if facts.bounce:
        lighting["bounce"] = facts.bounce
    if facts.flag:
        lighting["flag"] = f"{facts.flag} as negative fill"
    lighting["color_temperature"] = ", ".join(temperature_tag(t, r) for t, r in temperature_items(facts.lights, facts.same_temperature))
    out: dict[str, Any] = {
        "scene": f"{cam.framing} studio portrait photograph",
        "subjects": subjects,
        "color_palette": [bg.hex],
        "lighting": lighting,
        "background": backdrop_phrase(facts, spill=True),
        "composition": f"{facts.orientation} {facts.aspect} frame",
        "camera": {"lens": cam.lens, "f-number": cam.aperture, "position": f"camera {cam.height}"},
    }
    if facts.engine:
        out["style"] = facts.engine
    return out


def write(facts: Facts) -> str:
    return json.dumps(data(facts), indent=2, ensure_ascii=False)
