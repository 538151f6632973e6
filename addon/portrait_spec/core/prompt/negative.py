"""Negative prompts: the failure modes the spec guards against, named only when the spec
actually guards against them and never against something the scene has.

Each term says which spec setting it protects and when it applies:

* skin (always: the skin scatters light under its surface): porcelain, plastic and waxy skin;
* pores stated (they span a pixel, ``visibility``): airbrushed and smoothed skin;
* flat lighting: only while the fill is off or at least 1 stop under the key (a 2:1 ratio or
  more); a fill near the key's level is flat on purpose;
* multiple shadows: only when the key is the only light (a fill or a rim casts shadows too);
* gold (jewelry on): painted-looking metal, plastic gold;
* the cyclorama (always seamless): background seams, visible floor line;
* extraction backdrop (no light reaches it, no gradient): color spill, light spill on
  background, background gradient, background texture; a lit backdrop takes only background
  texture (the rig does reach it, and falls off across it), a gradient backdrop none.

SDXL takes the terms as its negative prompt. Midjourney takes them after ``--no``, which weighs
every word of a term negatively, so it gets only the terms whose words the picture does not
need (``MIDJOURNEY_NO``): "plastic gold" would push the gold away, "porcelain" does not.
Flux, DALL-E and the structured target have no negative prompt; the sentence targets say
"no light spill" in the text instead.
"""

from __future__ import annotations

from ..spec import Spec
from .visibility import on_screen

SKIN = ("porcelain skin", "plastic skin", "waxy skin")
PORES = ("airbrushed skin", "smoothed skin")
FLAT = ("flat lighting",)
SHADOWS = ("multiple shadows",)
METAL = ("painted-looking metal", "plastic gold")
SEAMS = ("background seams", "visible floor line")
EXTRACTION = ("color spill", "light spill on background", "background gradient", "background texture")
LIT = ("background texture",)
FLAT_FILL_STOPS = -1.0

# The Midjourney form of a term: one concept the picture never wants, or None to leave it out.
MIDJOURNEY_NO: dict[str, str | None] = {
    "porcelain skin": "porcelain", "plastic skin": "plastic", "waxy skin": "wax", "airbrushed skin": "airbrushing",
    "smoothed skin": None, "flat lighting": None, "multiple shadows": None, "painted-looking metal": None,
    "plastic gold": None, "background seams": "seams", "visible floor line": None, "color spill": "color spill",
    "light spill on background": None, "background gradient": "gradient", "background texture": None,
}


def negative_terms(spec: Spec) -> list[str]:
    terms: list[str] = [*SKIN]
    pores = spec.skin.pores
    if pores.visible and pores.regions and on_screen(pores.diameter_mm, spec):
        terms += PORES
    fill, rim = spec.lights.fill, spec.lights.rim
    if not fill.enabled or fill.stops <= FLAT_FILL_STOPS:
        terms += FLAT
    if not fill.enabled and not rim.enabled:
        terms += SHADOWS
    if spec.jewelry.enabled:
        terms += METAL
    terms += SEAMS
    if spec.background.mode == "extraction":
        terms += EXTRACTION
    elif spec.background.mode == "lit":
        terms += LIT
    return terms


def negative_prompt(spec: Spec) -> str:
    return ", ".join(negative_terms(spec))


def midjourney_no(spec: Spec) -> list[str]:
    """The concepts for Midjourney's ``--no``, each once, in the order of ``negative_terms``."""
    out: list[str] = []
    for term in negative_terms(spec):
        word = MIDJOURNEY_NO[term]
        if word is not None and word not in out:
            out.append(word)
    return out
