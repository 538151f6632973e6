"""Expressions as weights of ARKit-style face units (the MakeHuman community's ``faceunits01``,
CC0), by the Facial Action Coding System's description of each (Ekman & Friesen 1978; Ekman,
Friesen & Hager 2002):

* smile: AU12 lip corner puller (``mouthSmile``) with AU6 cheek raiser (``cheekSquint``) and a
  little lid tightening (``eyeSquint``): the Duchenne smile; lips stay closed (the mouth's
  interior is not modelled).
* slight smile: AU12 at half, AU6 faint.
* serious: AU4 brow lowerer (``browDown``) with AU24 lip pressor (``mouthPress``), lightly.
* neutral: no unit.

``subject.expression.intensity`` scales every weight. Shared by the person builder and verify.
"""

from __future__ import annotations

from .spec import ExpressionSpec

#: expression -> face unit -> weight at intensity 1
UNITS: dict[str, dict[str, float]] = {
    "neutral": {},
    "slight_smile": {"mouthSmileLeft": 0.35, "mouthSmileRight": 0.35, "cheekSquintLeft": 0.1, "cheekSquintRight": 0.1},
    "smile": {"mouthSmileLeft": 0.7, "mouthSmileRight": 0.7, "cheekSquintLeft": 0.35, "cheekSquintRight": 0.35,
              "eyeSquintLeft": 0.15, "eyeSquintRight": 0.15},
    "serious": {"browDownLeft": 0.3, "browDownRight": 0.3, "mouthPressLeft": 0.35, "mouthPressRight": 0.35},
}
#: every unit any expression uses, in a fixed order: the basis verify fits the face on
BASIS: tuple[str, ...] = tuple(sorted({unit for units in UNITS.values() for unit in units}))


def unit_weights(expression: ExpressionSpec) -> dict[str, float]:
    """Weight of every basis unit for the spec's expression and intensity (0 for unused units)."""
    used = UNITS[expression.kind]
    return {unit: used.get(unit, 0.0) * expression.intensity for unit in BASIS}
