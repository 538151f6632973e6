"""Points in the unit hypercube [0, 1)^d for a sweep's sampled axes, reproducible from a seed.

* ``random``: independent uniform draws.
* ``latin_hypercube``: Latin hypercube sampling (McKay, Beckman and Conover 1979, "A comparison
  of three methods for selecting values of input variables in the analysis of output from a
  computer code", Technometrics 21(2):239-245): each axis is cut into ``count`` equal strata and
  every stratum of every axis holds exactly one point, at a uniform position inside it; the
  strata are paired across axes by independent random permutations. So 20 samples cover each
  range in 20 evenly spread slices, where 20 random draws leave gaps and clumps.

``random.Random`` with an integer seed gives the same sequence on every platform and Python 3
release (its Mersenne Twister and ``shuffle`` are documented as reproducible), so a sweep file
names its variants once and for all.
"""

from __future__ import annotations

import random
from typing import Literal

Method = Literal["random", "latin_hypercube"]
METHODS: tuple[Method, ...] = ("random", "latin_hypercube")


def unit_points(method: Method, count: int, dims: int, seed: int) -> list[tuple[float, ...]]:
    """``count`` points of ``dims`` coordinates, each in [0, 1)."""
    rng = random.Random(seed)
    if method == "random":
        return [tuple(rng.random() for _ in range(dims)) for _ in range(count)]
    columns: list[list[float]] = []
    for _ in range(dims):
        strata = list(range(count))
        rng.shuffle(strata)
        columns.append([(stratum + rng.random()) / count for stratum in strata])
    return [tuple(column[i] for column in columns) for i in range(count)]
