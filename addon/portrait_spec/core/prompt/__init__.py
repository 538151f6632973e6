"""Prompt writing: spec -> prompts for Midjourney, SDXL, Flux and DALL-E, where every
quantitative phrase is a claim tied to the spec value it states. Pure Python (no bpy)."""

from .bundle import PromptBundle, build_prompts
from .claims import Claim

__all__ = ["Claim", "PromptBundle", "build_prompts"]
