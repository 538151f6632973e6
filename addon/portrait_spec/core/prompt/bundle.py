"""The prompts for every target from one spec, with their claims and CLIP token counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..spec import PROMPT_TARGETS, Spec
from . import tokens
from .claims import Claim, ClaimLog
from .facts import gather_facts
from .negative import negative_prompt
from .targets import midjourney, prose, sdxl

NEGATIVE_LABEL = "Negative prompt: "  # the line Automatic1111 writes and reads in PNG "parameters"


@dataclass(frozen=True)
class PromptBundle:
    default_target: str
    prompts: dict[str, str]
    negatives: dict[str, str]
    claims: tuple[Claim, ...]
    token_counts: dict[str, dict[str, int]]

    def text_for(self, target: str) -> str:
        """The prompt as a user pastes it; SDXL's negative prompt follows on its own labelled line."""
        text = self.prompts[target]
        if target in self.negatives:
            text += f"\n{NEGATIVE_LABEL}{self.negatives[target]}"
        return text

    def to_data(self) -> dict[str, Any]:
        return {
            "default_target": self.default_target,
            "prompts": dict(self.prompts),
            "negative_prompts": dict(self.negatives),
            "claims": [c.to_data() for c in self.claims],
            "clip_tokens": {t: dict(v) for t, v in self.token_counts.items()},
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
        "midjourney": midjourney.write(facts, spec.prompt.midjourney_version),
        "sdxl": sdxl.write(facts),
        "flux": prose.write_flux(facts),
        "dalle": prose.write_dalle(facts),
    }
    negatives = {"sdxl": negative_prompt(spec)}
    # CLIP tokens (start/end not counted) as the SD tools see the text: SDXL without its weights.
    counts = {
        "midjourney": _token_counts(prompts["midjourney"]),
        "sdxl": _sdxl_counts(sd_tags),
        "sdxl_negative": _token_counts(negatives["sdxl"]),
        "flux": _token_counts(prompts["flux"]),
        "dalle": _token_counts(prompts["dalle"]),
    }
    assert tuple(prompts) == PROMPT_TARGETS
    return PromptBundle(spec.prompt.target, prompts, negatives, tuple(log.claims), counts)
