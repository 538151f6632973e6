"""How long each target's prompt may be, and how long ours is.

Counted with a real tokenizer where its vocabulary ships in a package (CLIP's BPE, exact for
our words: ``tokens``), and in the unit of the documented limit otherwise:

* sdxl: CLIP reads 75-token chunks; AUTOMATIC1111 and ComfyUI join further chunks, so there is
  no hard total, but the first chunk is what the model weighs most reliably: the priority tags
  must fit it (``sdxl``, counted as ``tags_in_first_chunk``).
* flux: FLUX.1's T5 encoder takes 512 tokens (``max_sequence_length`` in diffusers'
  FluxPipeline) and its CLIP encoder the first 77. No package ships T5's SentencePiece
  vocabulary, so its count is estimated by CLIP's BPE count (both are subword vocabularies of
  English of similar size); the estimate must leave a fifth of the 512 free.
* dalle: OpenAI's image API takes at most 4,000 characters for DALL-E 3 (32,000 for
  gpt-image-1); the smaller limit is checked.
* structured: read by FLUX.2's and FIBO's language-model encoders, not CLIP; no documented
  length limit, so neither a budget nor a CLIP count.
* midjourney: no documented length limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import tokens

T5_TOKENS = 512
T5_MARGIN = 0.8
T5_BUDGET = int(T5_TOKENS * T5_MARGIN)
DALLE3_CHARACTERS = 4000


@dataclass(frozen=True)
class Budget:
    unit: str          # "CLIP tokens (estimate of T5 tokens)", "characters"
    used: int
    limit: int
    source: str

    @property
    def fits(self) -> bool:
        return self.used <= self.limit

    def to_data(self) -> dict[str, Any]:
        return {"unit": self.unit, "used": self.used, "limit": self.limit, "source": self.source, "fits": self.fits}


def budgets(prompts: dict[str, str]) -> dict[str, Budget]:
    return {
        "flux": Budget("CLIP tokens (estimate of T5 tokens)", tokens.count_tokens(prompts["flux"]), T5_BUDGET,
                       "FLUX.1 T5 max_sequence_length 512, a fifth kept free"),
        "dalle": Budget("characters", len(prompts["dalle"]), DALLE3_CHARACTERS, "OpenAI image API: DALL-E 3 prompt length"),
    }
