"""MakeHuman targets: reading ``.target(.gz)`` files and MakeHuman's macro weighting.

A target is lines of ``index dx dy dz``: a displacement, in decimetres in MakeHuman's frame
(Y up, face towards +Z), of the base-mesh vertex ``index``. A shape is the base mesh plus the
weighted sum of targets.

Macro weighting follows MakeHuman (MPFB2 ``services/targetservice.py``,
``calculate_target_stack_from_macro_info_dict``, with the parts of ``macrodetails/macro.json``):
each macro value (gender, age, muscle, weight, height, proportions) falls in one "part" of its
scale and becomes linear weights of that part's low and high target names; weights multiply
across macros, ancestry x gender x age for the ``<ancestry>-<gender>-<age>`` targets and
gender x age x muscle x weight (x height, x proportions) for the others; a product under 0.01
is skipped. Age in years maps to the 0..1 scale as MakeHuman's ``setAgeYears``: 1 y -> 0,
25 y -> 0.5, 90 y -> 1, linear in between.

Parsed targets are cached in memory and in the temp folder (``sitter/cache.py``), since parsing
text is most of the cost of a first build.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..cache import cached, file_digest
from . import data

CUTOFF = 0.01
MIN_AGE, MID_AGE, MAX_AGE = 1.0, 25.0, 90.0
MACRO_JSON = "mpfb2/targets/macrodetails/macro.json"
ANCESTRIES: tuple[str, ...] = ("african", "asian", "caucasian")


@dataclass(frozen=True)
class Target:
    indices: np.ndarray  # (n,) int32 base-mesh vertex indices
    deltas: np.ndarray   # (n, 3) float32 displacements, decimetres, MakeHuman frame


def _parse(path: Path) -> np.ndarray:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("ascii")
    if "#" in text:  # MakeHuman allows comment lines; the shipped files have none
        text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    values = np.fromstring(text, dtype=np.float64, sep=" ")
    return values.reshape(-1, 4)


@lru_cache(maxsize=512)
def read_target(relative: str) -> Target:
    """The target at ``relative`` (to the data root), e.g. ``mpfb2/targets/nose/nose-scale-horiz-incr.target.gz``."""
    path = data.path(relative)
    table = cached("target_" + file_digest(path), lambda: {"table": _parse(path)})["table"]
    return Target(indices=table[:, 0].astype(np.int32), deltas=table[:, 1:].astype(np.float32))


def apply_targets(base: np.ndarray, weighted: list[tuple[str, float]]) -> np.ndarray:
    """``base`` (N, 3) plus every target times its weight."""
    out = base.copy()
    for relative, weight in weighted:
        target = read_target(relative)
        if len(target.indices):
            np.add.at(out, target.indices, weight * target.deltas)
    return out


def age_value(years: float) -> float:
    """MakeHuman's age scale from years (``setAgeYears``)."""
    if years < MID_AGE:
        return (years - MIN_AGE) / ((MID_AGE - MIN_AGE) * 2.0)
    return (years - MID_AGE) / ((MAX_AGE - MID_AGE) * 2.0) + 0.5


@lru_cache(maxsize=1)
def _macro_parts() -> dict[str, list[tuple[float, float, str, str]]]:
    config = json.loads(data.path(MACRO_JSON).read_text())
    return {name: [(p["lowest"], p["highest"], p["low"], p["high"]) for p in macro["parts"]]
            for name, macro in config["macrotargets"].items()}


def components(macro: str, value: float) -> list[tuple[str, float]]:
    """(part name, weight) pairs of one macro value, as MPFB2's ``_interpolate_macro_components``."""
    out = []
    for lowest, highest, low, high in _macro_parts()[macro]:
        if lowest < value < highest:
            t = (value - lowest) / (highest - lowest)
            if low:
                out.append((low, round(1.0 - t, 4)))
            if high:
                out.append((high, round(t, 4)))
    return out


@dataclass(frozen=True, kw_only=True)
class Macros:
    """MakeHuman's macro values: 0..1 each, ancestry weights summing to 1."""

    gender: float
    age: float
    muscle: float
    weight: float
    height: float
    proportions: float
    ancestry: dict[str, float]


def macro_targets(m: Macros) -> list[tuple[str, float]]:
    """(target path, weight) of every macro target the values call for."""
    root = "mpfb2/targets/macrodetails/"
    c = {name: components(name, getattr(m, name)) for name in ("gender", "age", "muscle", "weight", "height", "proportions")}
    out: list[tuple[str, float]] = []

    def add(name: str, weight: float) -> None:
        if weight > CUTOFF:
            out.append((f"{root}{name}.target.gz", weight))

    for race, share in m.ancestry.items():
        if share > 0.0001:
            for g, wg in c["gender"]:
                for a, wa in c["age"]:
                    add(f"{race}-{g}-{a}", share * wg * wa)
    for g, wg in c["gender"]:
        for a, wa in c["age"]:
            for mu, wm in c["muscle"]:
                for we, ww in c["weight"]:
                    base = wg * wa * wm * ww
                    add(f"universal-{g}-{a}-{mu}-{we}", base)
                    for h, wh in c["height"]:
                        add(f"height/{g}-{a}-{mu}-{we}-{h}", base * wh)
                    if a != "baby":  # MakeHuman has no baby proportions targets
                        for p, wp in c["proportions"]:
                            add(f"proportions/{g}-{a}-{mu}-{we}-{p}", base * wp)
    return out
