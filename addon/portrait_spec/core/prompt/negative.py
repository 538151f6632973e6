"""The SDXL negative prompt: the failure modes the spec guards against, named only when the
spec actually guards against them (no gold, no metal terms; a gradient backdrop is wanted, so
"background gradient" is only negated for the flat extraction and lit modes).

Each entry says which spec setting it protects, so the list stays honest when the spec changes.
"""

from __future__ import annotations

from ..spec import Spec

SKIN = ("porcelain skin", "plastic skin", "waxy skin")  # skin.subsurface: light enters the skin
PORES = ("airbrushed skin", "smoothed skin")            # skin.pores.visible: texture kept
FLAT = ("flat lighting",)                                # lights.fill below the key: a ratio exists
SHADOWS = ("multiple shadows",)                          # one key light casts the only hard-edged shadow
METAL = ("painted-looking metal", "plastic gold")        # jewelry: a measured conductor, not a colour
SEAMS = ("background seams", "visible floor line")       # background: a seamless cyclorama
EXTRACTION = ("color spill", "light spill on background", "background gradient", "background texture")
LIT = ("background gradient",)                           # lit mode: the rig lights an even backdrop wall


def negative_terms(spec: Spec) -> list[str]:
    terms: list[str] = [*SKIN]
    if spec.skin.pores.visible and spec.skin.pores.regions:
        terms += PORES
    fill = spec.lights.fill
    if not fill.enabled or fill.stops <= -0.5:
        terms += FLAT
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
