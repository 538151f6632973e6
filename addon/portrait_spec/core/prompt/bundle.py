"""The prompts for every target from one spec, with their claims, negatives, token counts and
length budgets, and the Stable Diffusion infotext for the PNG."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..spec import PROMPT_TARGETS, Spec
from . import tokens
from .claims import Claim, ClaimLog
from .facts import gather_facts
from .infotext import NEGATIVE_LABEL, infotext
from .limits import T5_BUDGET, Budget, budgets
from .negative import midjourney_no, negative_prompt
from .phrases import orientation
from .targets import midjourney, prose, sdxl, structured

# OpenAI's fixed sizes per orientation (their image API reference): the DALL-E prompt names the
# orientation, and this is the size to request for it.
OPENAI_SIZES: dict[str, dict[str, str]] = {
    "gpt-image-1": {"vertical": "1024x1536", "horizontal": "1536x1024", "square": "1024x1024"},
    "dall-e-3": {"vertical": "1024x1792", "horizontal": "1792x1024", "square": "1024x1024"},
}


@dataclass(frozen=True)
class PromptBundle:
    default_target: str
    prompts: dict[str, str]
    negatives: dict[str, str]
    claims: tuple[Claim, ...]
    token_counts: dict[str, dict[str, int]]
    budgets: dict[str, Budget]
    openai_sizes: dict[str, str]
    spec: Spec

    def text_for(self, target: str) -> str:
        """The prompt as a user pastes it; SDXL's negative prompt follows on its own labelled line."""
        text = self.prompts[target]
        if target in self.negatives:
            text += f"\n{NEGATIVE_LABEL}{self.negatives[target]}"
        return text

    def infotext(self, size: tuple[int, int] | None = None) -> str:
        """The ``parameters`` text of reference.png (``infotext``): the SDXL prompt, its negative
        and the ``[generation]`` settings, at ``size`` (default: the spec's resolution)."""
        return infotext(self.prompts["sdxl"], self.negatives["sdxl"], self.spec.generation, size or self.spec.render.resolution)

    def to_data(self) -> dict[str, Any]:
        return {
            "default_target": self.default_target,
            "prompts": dict(self.prompts),
            "negative_prompts": dict(self.negatives),
            "claims": [c.to_data() for c in self.claims],
            "clip_tokens": {t: dict(v) for t, v in self.token_counts.items()},
            "length_budgets": {t: b.to_data() for t, b in self.budgets.items()},
            "openai_sizes": dict(self.openai_sizes),
            "sd_parameters": self.infotext(),
        }


def _token_counts(text: str) -> dict[str, int]:
    n = tokens.count_tokens(text)
    return {"tokens": n, "chunks": tokens.chunks_needed(n)}


def _sdxl_counts(tags: list[sdxl.Tag]) -> dict[str, int]:
    plain = [t.text for t in tags]
    return {
        **_token_counts(", ".join(plain)),
        "tags_in_first_chunk": tokens.tags_in_first_chunk(plain),
        "priority_tags": sum(1 for t in tags if t.priority == 1),
    }


def build_prompts(spec: Spec) -> PromptBundle:
    log = ClaimLog()
    facts = gather_facts(spec, log)
    sd_tags = sdxl.tags(facts)
    prompts = {
        "midjourney": midjourney.write(facts, spec.prompt.midjourney_version, midjourney_no(spec)),
        "sdxl": sdxl.write(facts),
        "flux": prose.write_flux(facts, T5_BUDGET),
        "dalle": prose.write_dalle(facts),
        "structured": structured.write(facts),
    }
    negatives = {"sdxl": negative_prompt(spec)}
    # CLIP tokens (start/end not counted) as the SD tools see the text: SDXL without its weights.
    # Not the structured JSON: FLUX.2 and FIBO read it with language-model tokenizers, not CLIP,
    # and its hex colour codes are letter runs outside the lexicon (``tokens``), so a count would
    # be neither the encoder's nor exact.
    counts = {
        "midjourney": _token_counts(prompts["midjourney"]),
        "sdxl": _sdxl_counts(sd_tags),
        "sdxl_negative": _token_counts(negatives["sdxl"]),
        "flux": _token_counts(prompts["flux"]),
        "flux_first_sentence": _token_counts(prompts["flux"].split(". ", 1)[0]),
        "dalle": _token_counts(prompts["dalle"]),
    }
    assert tuple(prompts) == PROMPT_TARGETS
    w, h = spec.render.resolution
    sizes = {model: by_orientation[orientation(w, h)] for model, by_orientation in OPENAI_SIZES.items()}
    return PromptBundle(spec.prompt.target, prompts, negatives, _said(log.claims, prompts), counts, budgets(prompts), sizes,
                        spec)


def _said(claims: list[Claim], prompts: dict[str, str]) -> tuple[Claim, ...]:
    """Each claim made only to the targets whose prompt says it: Flux drops detail to fit its
    budget (``prose.write_flux``)."""
    flux = prompts["flux"].lower()
    return tuple(c if "flux" not in c.targets or c.phrase.lower() in flux
                 else replace(c, targets=tuple(t for t in c.targets if t != "flux")) for c in claims)
