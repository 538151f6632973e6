"""Garment fabrics as Principled BSDF surface values, shared by the fabric material and verify.

* matte_cotton: diffuse (roughness 0.9, specular IOR level 0.3) with Principled's microfibre
  sheen (Zeltner et al. 2022) at weight 0.6, roughness 0.5: the soft halo of cotton's loose
  fibres at grazing angles.
* silk: roughness 0.3 with sheen weight 1.0, roughness 0.25, and anisotropy 0.6: the
  directional gloss of smooth filaments.
"""

from __future__ import annotations

#: fabric -> Principled BSDF input -> value
SURFACES: dict[str, dict[str, float]] = {
    "matte_cotton": {"Roughness": 0.9, "Specular IOR Level": 0.3, "Sheen Weight": 0.6, "Sheen Roughness": 0.5, "Anisotropic": 0.0},
    "silk": {"Roughness": 0.3, "Specular IOR Level": 0.5, "Sheen Weight": 1.0, "Sheen Roughness": 0.25, "Anisotropic": 0.6},
}
