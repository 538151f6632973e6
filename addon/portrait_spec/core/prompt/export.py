"""What ``render`` writes beside its images: the prompt files, and the prompt inside each PNG.

* ``prompt.txt``: the default target's prompt as printed by ``portrait_spec prompt`` (SDXL adds
  its "Negative prompt:" line);
* ``prompts.json``: what ``portrait_spec prompt --json`` prints: every target, the negative
  prompts, the claims and the CLIP token counts;
* in each PNG: a ``parameters`` text chunk with the default target's prompt (the chunk Stable
  Diffusion tools read; for SDXL it is their own "prompt / Negative prompt:" layout) and a
  ``portrait_spec`` chunk with the spec as JSON, so the image carries the scene it shows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..png_text import add_text_to_file
from ..spec import Spec
from ..toml_io import spec_to_json
from .bundle import build_prompts

PROMPT_TXT = "prompt.txt"
PROMPTS_JSON = "prompts.json"
PARAMETERS_KEY = "parameters"
SPEC_KEY = "portrait_spec"


def write_prompt_outputs(spec: Spec, out_dir: Path, png_paths: Iterable[Path] = ()) -> list[Path]:
    """Write prompt.txt and prompts.json into ``out_dir`` and tag every PNG; returns the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    bundle = build_prompts(spec)
    text = bundle.text_for(spec.prompt.target)
    prompt_txt, prompts_json = out_dir / PROMPT_TXT, out_dir / PROMPTS_JSON
    prompt_txt.write_text(text + "\n", encoding="utf-8")
    prompts_json.write_text(json.dumps(bundle.to_data(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    entries = {PARAMETERS_KEY: text, SPEC_KEY: spec_to_json(spec)}
    for png in png_paths:
        if Path(png).suffix.lower() == ".png":
            add_text_to_file(Path(png), entries)
    return [prompt_txt, prompts_json]
