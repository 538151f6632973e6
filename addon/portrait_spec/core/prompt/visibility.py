"""What a render can show: millimetre detail is claimed only where it spans at least a pixel.

The pixel's footprint is taken at the focus distance, where the face and the chain are: the
framing's frame height there (``core.framing.FRAME_HEIGHT_M``: 0.40 m close-up, 0.55 m head and
shoulders, 1.10 m half length) over the render's height in pixels. The seed scene (head and
shoulders, 1280 px) has 0.43 mm pixels.

The rule, per feature (``FEATURES``): a size at or above ``MIN_PIXELS`` pixels is stated with
its number; a smaller one is left out, or, where its aggregate still changes the picture,
worded as what is visible instead:

* pores (``skin.pores.diameter_mm``): left out; their average is part of the stated roughness.
* vellus hair: each hair is about 30 um thick (``core.vellus``), under a pixel at every framing
  up to ~13,000 px tall, so the hairs are worded as the sheen they make ("vellus-hair sheen").
* micro-scratches on the gold: 20 um lines (the width ``blender/sitter/materials/gold.py``
  draws), worded as the dulled highlights where the links rub.
* hammer facets, chain wire and links, the thin-region subsurface radius: left out when under
  a pixel (the finish word "hammered" and the chain stay).

``verify`` checks the stated ones against the scene's real camera and resolution
(``core.claim_coverage.ON_SCREEN``).
"""

from __future__ import annotations

from ..framing import FRAME_HEIGHT_M
from ..spec import Spec
from ..vellus import VELLUS_DIAMETER_M

MIN_PIXELS = 1.0
SCRATCH_WIDTH_MM = 0.02
VELLUS_DIAMETER_MM = VELLUS_DIAMETER_M * 1000.0

# Claim path -> what on screen is that size (the verify row's name).
FEATURES: dict[str, str] = {
    "skin.pores.diameter_mm": "pore diameter",
    "skin.vellus_hair.length_mm": "vellus hair thickness",
    "skin.subsurface.thin_radius_mm": "thin-region subsurface radius",
    "jewelry.facet_size_mm": "hammer facet",
    "jewelry.chain.wire_gauge_mm": "chain wire",
    "jewelry.chain.link_length_mm": "chain link",
}


def feature_mm(path: str, value: float) -> float:
    """The on-screen size of the feature a claim at ``path`` with ``value`` (mm) describes: a
    vellus claim states the hairs' length, but what must span a pixel is their thickness."""
    return VELLUS_DIAMETER_MM if path == "skin.vellus_hair.length_mm" else value


def pixel_mm(spec: Spec) -> float:
    """Millimetres one pixel spans at the focus distance."""
    return FRAME_HEIGHT_M[spec.camera.framing] * 1000.0 / spec.render.resolution[1]


def on_screen(size_mm: float, spec: Spec) -> bool:
    """Whether a feature ``size_mm`` across spans at least ``MIN_PIXELS`` in ``spec``'s render."""
    return size_mm >= MIN_PIXELS * pixel_mm(spec)
