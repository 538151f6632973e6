"""The Stable Diffusion "infotext" written into reference.png's ``parameters`` text chunk: the
SDXL prompt, a ``Negative prompt:`` line and a settings line, in AUTOMATIC1111's layout, so that
the image opened in AUTOMATIC1111 or Forge ("PNG Info", "send to txt2img"), dropped on ComfyUI or
read by sd-parsers gives a working recipe. Whatever the spec's default target, this chunk is
always the SD text (Midjourney's ``--`` parameters mean nothing to those tools).

::

    <SDXL prompt, one line>
    Negative prompt: <SDXL negative prompt>
    Steps: 30, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 5, Seed: 0, Size: 1024x1280, Model: sd_xl_base_1.0

What each reader needs, from their code:

* AUTOMATIC1111 ``modules/infotext_utils.py`` ``parse_generation_parameters``: the last line is
  the settings line only if its ``re_param`` finds at least 3 ``key: value`` pairs; lines
  before it are prompt until one starts with ``Negative prompt:``. Values holding ``,``, ``:`` or
  a newline are quoted as JSON strings (its ``quote``), which it unquotes.
* ComfyUI frontend ``src/scripts/pnginfo.ts`` ``importA1111``: the settings line must start with
  ``Steps:`` (it searches ``"\\nSteps:"``) and a ``"\\nNegative prompt:"`` line must come before
  it, or nothing is imported; each setting's value is cut at its first ``:``.
* sd-parsers 0.6 ``parsers/_automatic1111.py``: scans lines from the bottom for one with at
  least three of Sampler, CFG scale, Seed, Steps, ENSD, Schedule type, and needs ``Sampler``;
  it splits items at ``,`` and ``:`` without quoting.

So the prompt and negative are single lines with no line starting ``Negative prompt:``, the
negative is never empty, ``Steps`` comes first, and only the model hint can need quoting.
"""

from __future__ import annotations

import json

from ..spec import GenerationSpec

NEGATIVE_LABEL = "Negative prompt: "


def quote(value: str) -> str:
    """A settings value as AUTOMATIC1111 writes it (``modules/infotext_utils.py`` ``quote``)."""
    if "," not in value and "\n" not in value and ":" not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def settings_line(generation: GenerationSpec, size: tuple[int, int]) -> str:
    items = [
        ("Steps", str(generation.steps)),
        ("Sampler", generation.sampler),
        ("Schedule type", generation.scheduler),
        ("CFG scale", f"{generation.cfg_scale:g}"),
        ("Seed", str(generation.seed)),
        ("Size", f"{size[0]}x{size[1]}"),
        ("Model", quote(generation.model)),
    ]
    return ", ".join(f"{key}: {value}" for key, value in items)


def infotext(prompt: str, negative: str, generation: GenerationSpec, size: tuple[int, int]) -> str:
    for name, text in (("prompt", prompt), ("negative prompt", negative)):
        if "\n" in text or text.startswith(NEGATIVE_LABEL.strip()):
            raise ValueError(f"the SD {name} must be one line that does not start with {NEGATIVE_LABEL.strip()!r}")
    if not negative:
        raise ValueError("ComfyUI imports an infotext only with a negative prompt line")
    return f"{prompt}\n{NEGATIVE_LABEL}{negative}\n{settings_line(generation, size)}"
