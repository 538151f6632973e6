"""The expression's face units as targets, and their displacements for verify's basis.

Which units make which expression is ``core.face_units`` (FACS). The units are MakeHuman targets
(``index dx dy dz``, decimetres) in the base mesh's index space, applied after the identity
targets.
"""

from __future__ import annotations

import numpy as np

from ....core.face_units import BASIS, unit_weights
from ....core.spec import ExpressionSpec
from .mesh import to_blender
from .targets import read_target

FACEUNITS = "faceunits01/targets/faceunits/"


def unit_path(unit: str) -> str:
    return f"{FACEUNITS}{unit}.target"


def expression_targets(expression: ExpressionSpec) -> list[tuple[str, float]]:
    return [(unit_path(unit), w) for unit, w in unit_weights(expression).items() if w > 0.0]


def basis_units() -> tuple[str, ...]:
    return BASIS


def unit_displacement(unit: str, count: int) -> np.ndarray:
    """(count, 3) displacement of one face unit at weight 1, metres, scene frame."""
    out = np.zeros((count, 3))
    target = read_target(unit_path(unit))
    np.add.at(out, target.indices, to_blender(target.deltas.astype(np.float64)))
    return out
