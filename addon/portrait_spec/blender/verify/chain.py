"""Measuring the built gold chain as a jeweller would, from its mesh.

The chain object (role ``chain``, built by ``chain.py``) holds one anchor vertex per link (the
``ps_anchor`` attribute; its Geometry Nodes modifier puts a link on each) and one link's
geometry centred on the origin, long axis X, in the link's own plane XY. From that link:

* outer length: its extent along X (callipers over the ends);
* inner opening: twice the smallest |x| of the vertices on the long axis (the inside of the two
  end bends), so the wire gauge is (outer - inner) / 2 and the pitch of interlocking links is
  the inner opening (``core.chain_layout``);
* width and thickness: extents along Y and Z; a cable link is flat (thickness = wire), a curb
  link twisted (thicker), and the width / length ratio differs: the style is the one whose
  centreline (``core.chain_layout.link_centreline``) gives the nearest width and thickness.

The chain's length is the links counted on it times the pitch. Object scale multiplies all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import bpy
import numpy as np

from ...core import chain_layout as layout
from ..contract import CHAIN_ANCHOR_ATTRIBUTE as ANCHOR_ATTRIBUTE

STYLES: tuple[str, ...] = ("cable", "curb")
ON_AXIS_FRACTION = 1e-4  # of the link length: "on the long axis" for float32 vertices


@dataclass(frozen=True, kw_only=True)
class ChainReading:
    links: int
    outer_mm: float
    inner_mm: float
    width_mm: float
    thickness_mm: float
    style: str
    style_error_mm: float  # distance of (width, thickness) from the chosen style's

    @property
    def wire_mm(self) -> float:
        return 0.5 * (self.outer_mm - self.inner_mm)

    @property
    def length_mm(self) -> float:
        return self.links * self.inner_mm


def _style(outer_mm: float, wire_mm: float, width_mm: float, thickness_mm: float) -> tuple[str, float]:
    errors = {}
    for style in STYLES:
        z = [p[2] for p in layout.link_centreline(style, outer_mm, wire_mm)]
        expected_width = layout.link_width_mm(style, outer_mm)
        expected_thickness = (max(z) - min(z)) * 1000.0 + wire_mm
        errors[style] = math.hypot(width_mm - expected_width, thickness_mm - expected_thickness)
    best = min(errors, key=lambda s: errors[s])
    return best, errors[best]


def read_chain(obj: bpy.types.Object) -> ChainReading | None:
    mesh = obj.data
    if not isinstance(mesh, bpy.types.Mesh) or ANCHOR_ATTRIBUTE not in mesh.attributes or not mesh.vertices:
        return None
    n = len(mesh.vertices)
    co = np.empty(n * 3, dtype=np.float64)
    mesh.vertices.foreach_get("co", co)
    anchor_layer = mesh.attributes[ANCHOR_ATTRIBUTE]
    if not isinstance(anchor_layer, bpy.types.BoolAttribute):
        return None
    anchor = np.zeros(n, dtype=bool)
    anchor_layer.data.foreach_get("value", anchor)
    link = co.reshape(-1, 3)[~anchor]
    if len(link) == 0:
        return None
    axes = obj.matrix_world.to_scale()  # the lengths of the object's axes
    scale = (axes.x + axes.y + axes.z) / 3.0
    lo, hi = link.min(axis=0), link.max(axis=0)
    outer = float(hi[0] - lo[0])
    near_axis = ON_AXIS_FRACTION * outer
    on_axis = link[(np.abs(link[:, 1]) <= near_axis) & (np.abs(link[:, 2]) <= near_axis)]
    inner = 2.0 * float(np.abs(on_axis[:, 0]).min()) if len(on_axis) else math.nan
    outer_mm, inner_mm = outer * scale * 1000.0, inner * scale * 1000.0
    width_mm, thickness_mm = float(hi[1] - lo[1]) * scale * 1000.0, float(hi[2] - lo[2]) * scale * 1000.0
    if math.isfinite(inner_mm) and inner_mm > 0.0:
        style, error = _style(outer_mm, 0.5 * (outer_mm - inner_mm), width_mm, thickness_mm)
    else:  # no end bend on the long axis: not a link chain.py builds
        style, error = "unrecognised link", math.inf
    return ChainReading(links=int(anchor.sum()), outer_mm=outer_mm, inner_mm=inner_mm, width_mm=width_mm,
                        thickness_mm=thickness_mm, style=style, style_error_mm=error)
