"""How bright the key is: the exposure target that makes a render correctly exposed untouched.

The key alone gives an incident-meter reading (at the focus point, diffuser facing the key) of
``E = pi`` in scene-linear units. A Lambertian card of albedo ``a`` facing the key then renders
``a * E / pi = a``: an 18 % grey card renders 0.18, the scene-linear mid grey that every view
transform (Standard, AgX, Filmic) maps to its middle grey, at ``render.exposure_ev`` = 0. Fill and
rim are stated relative to the key, so the whole rig follows from this one number. The gradient
backdrop's bright edge is set relative to the same level (``background.level_stops``).
"""

from __future__ import annotations

import math

KEY_IRRADIANCE: float = math.pi
MID_GREY: float = 0.18


def irradiance_for_stops(stops: float) -> float:
    """Incident reading ``stops`` above (or below) the key's."""
    return KEY_IRRADIANCE * 2.0 ** stops


def stops_from_irradiance(irradiance: float) -> float:
    return math.log2(irradiance / KEY_IRRADIANCE)
