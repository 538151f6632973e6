"""Clumps: each scalp strand drawn part of the way towards its nearest guide strand, more towards
the tip, by Blender's own Clump Hair Curves node group (``hair_assets``) as a Geometry Nodes
modifier, so it happens at render time on the strands the builder wrote.

Why: real hair gathers into locks, neighbouring fibres drawn together towards their free ends,
and 100,000 strands that each sit exactly between their guides read as a smooth combed shell:
the edge of the mass is a soft veil, where a photograph shows separate locks with gaps between
them. With ``GUIDES`` = 1500 over ~470 cm2 of scalp, a bob's lock is ~75 strands a few mm across.

The node group moves a point along the line to the same point of the guide strand and then
restores each segment's length (its ``Preserve Length``), so strand lengths, roots (factor 0 at
the root) and the greying count stay what the builder wrote and ``verify`` measures the
evaluated strands (what renders) all the same. Both ends of that line are outside the body; on
the skull's curvature (r ~ 80 mm) the line's middle between points 6 mm apart is
6^2 / (8 x 80) = 0.06 mm lower, within the hair's clearance (``blender_tests/test_hair_styles``
checks the evaluated strands).
"""

from __future__ import annotations

import bpy
import numpy as np

from ...narrow import of_type
from .hair_assets import hair_group, set_input

MODIFIER = "Clumps"
# The guide map the node group reads when "Existing Guide Map" is on (a curve attribute).
GUIDE_ATTRIBUTE = "guide_curve_index"
FACTOR = 0.7  # at the tip: 70 % of the way to the guide
SHAPE = 0.5   # the node group's profile along the strand: more towards the tip
TIP_SPREAD_M = 0.0005  # a random spread of the clumped tips (a distance), so a lock is not a point
# A strand further than this from its guide anywhere (a child that took its nearest guide round
# an ear or the neck, ``hairstyle._children``) is its own guide: drawn across, it could cut
# through the body.
REACH_M = 0.008
SEED = 7


def guide_map(points: np.ndarray, guide: np.ndarray) -> np.ndarray:
    """``guide`` with every strand that strays more than ``REACH_M`` from its guide mapped to
    itself (the node group leaves a strand that is its own guide where it is)."""
    apart = np.linalg.norm(points - points[guide], axis=2).max(axis=1) > REACH_M
    return np.where(apart, np.arange(len(guide)), guide)


def set_clumps(obj: bpy.types.Object, points: np.ndarray, guide: np.ndarray | None) -> None:
    """Clump ``obj``'s strands (``points``, (n, k, 3)) to ``guide`` (each strand's guide, a
    curve index), or take the modifier off with no guides (a close crop, brows and lashes)."""
    if guide is None:
        if (index := obj.modifiers.find(MODIFIER)) >= 0:
            obj.modifiers.remove(obj.modifiers[index])
        return
    data = of_type(obj.data, bpy.types.Curves)
    attribute = of_type(data.attributes.new(GUIDE_ATTRIBUTE, "INT", "CURVE"), bpy.types.IntAttribute)
    attribute.data.foreach_set("value", guide_map(points, guide).astype(np.int32))
    modifier = of_type(obj.modifiers.get(MODIFIER) or obj.modifiers.new(MODIFIER, "NODES"), bpy.types.NodesModifier)
    modifier.node_group = hair_group("Clump Hair Curves")
    for name, value in (("Existing Guide Map", True), ("Factor", FACTOR), ("Shape", SHAPE), ("Tip Spread", TIP_SPREAD_M),
                        ("Seed", SEED), ("Preserve Length", True)):
        set_input(modifier, name, value)
