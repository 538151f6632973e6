"""What ``render`` writes beside its images: the prompt files, and the prompt inside each PNG.

* ``prompt.txt``: the default target's prompt as printed by ``portrait_spec prompt`` (SDXL adds
  its "Negative prompt:" line);
* ``prompts.json``: what ``portrait_spec prompt --json`` prints: every target, the negative
  prompts, the claims, the token counts and length budgets, OpenAI's sizes and the SD infotext;
* in each PNG: a ``parameters`` text chunk with the Stable Diffusion infotext (``infotext``: the
  SDXL prompt, its negative and the ``[generation]`` settings, whatever the default target), a
  ``portrait_spec_prompts`` chunk with ``prompts.json``, and a ``portrait_spec`` chunk with the
  spec as JSON, so the image carries the scene it shows and every prompt for it.
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
PROMPTS_KEY = "portrait_spec_prompts"
SPEC_KEY = "portrait_spec"


def write_prompt_outputs(spec: Spec, out_dir: Path, png_paths: Iterable[Path] = (),
                         size: tuple[int, int] | None = None) -> list[Path]:
    """Write prompt.txt and prompts.json into ``out_dir`` and tag every PNG; returns the files
    written. ``size`` is the rendered image's (the infotext's ``Size``; default the spec's)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    bundle = build_prompts(spec)
    text = bundle.text_for(spec.prompt.target)
    prompt_txt, prompts_json = out_dir / PROMPT_TXT, out_dir / PROMPTS_JSON
    bundle_json = json.dumps(bundle.to_data(), indent=2, ensure_ascii=False)
    prompt_txt.write_text(text + "\n", encoding="utf-8")
    prompts_json.write_text(bundle_json + "\n", encoding="utf-8")
    entries = {PARAMETERS_KEY: bundle.infotext(size), PROMPTS_KEY: bundle_json, SPEC_KEY: spec_to_json(spec)}
    for png in png_paths:
        if Path(png).suffix.lower() == ".png":
            add_text_to_file(Path(png), entries)
    return [prompt_txt, prompts_json]
