"""Golden prompts: for every preset in scenes/ and every target, the exact text a user gets from
``portrait_spec prompt SCENE --target T`` is committed under tests/golden/ and reviewed as text a
prompt artist would accept, and so is the Stable Diffusion infotext reference.png carries
(``<preset>.parameters.txt``). Any change to the wording shows up here as a diff to review.

``PORTRAIT_SPEC_UPDATE_GOLDEN=1 pytest tests/test_prompt_golden.py`` rewrites the files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from prompt_support import PRESETS, preset

from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.spec import PROMPT_TARGETS

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = bool(os.environ.get("PORTRAIT_SPEC_UPDATE_GOLDEN"))
PARAMETERS = "parameters"  # reference.png's parameters chunk
CASES = [(name, target) for name in PRESETS for target in (*PROMPT_TARGETS, PARAMETERS)]


def golden_path(name: str, target: str) -> Path:
    return GOLDEN / f"{name}.{target}.txt"


@pytest.mark.parametrize(("name", "target"), CASES, ids=[f"{n}-{t}" for n, t in CASES])
def test_prompt_matches_its_golden_file(name, target):
    bundle = build_prompts(preset(name))
    text = (bundle.infotext() if target == PARAMETERS else bundle.text_for(target)) + "\n"
    path = golden_path(name, target)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing {path.name}: run with PORTRAIT_SPEC_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def test_every_golden_file_belongs_to_a_preset():
    expected = {golden_path(n, t).name for n, t in CASES}
    assert {p.name for p in GOLDEN.glob("*.txt")} == expected
