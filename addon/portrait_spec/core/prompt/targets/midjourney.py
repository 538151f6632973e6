"""Midjourney (V7): the picture described in sentences, then parameters.

V7 reads natural language, so the prompt is the same ordered description as the other sentence
targets (``prose``), in one paragraph, without the negation "no light spill": a "no ..." inside
a Midjourney prompt tends to draw what it names. Parameters (Midjourney's parameter list):
``--ar`` from the render resolution reduced by its gcd, ``--style raw`` (less of Midjourney's own
styling over the stated physics), ``--v`` from spec.prompt.midjourney_version (7 by default, the
current model), and ``--no`` with the negative concepts (``negative.midjourney_no``), which is
where Midjourney takes them.
"""

from __future__ import annotations

from ..facts import Facts
from . import prose


def sentences(facts: Facts) -> list[str]:
    return [s for p in prose.paragraphs(facts, "a", spill=False) for s in p if s]


def parameters(facts: Facts, version: str, negatives: list[str]) -> str:
    params = f"--ar {facts.aspect} --style raw --v {version}"
    return f"{params} --no {', '.join(negatives)}" if negatives else params


def write(facts: Facts, version: str, negatives: list[str]) -> str:
    return f"{' '.join(sentences(facts))} {parameters(facts, version, negatives)}"
