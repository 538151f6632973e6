"""The garment material "PS_Fabric": a Principled BSDF (node "fabric_bsdf") whose base colour is
the spec's sRGB colour (linearised: the fabric's albedo) and whose surface values are the
fabric's (``core.fabric``).
"""

from __future__ import annotations

import bpy

from ....core.color import srgb_to_linear
from ....core.fabric import SURFACES
from ....core.spec import GarmentSpec
from ...narrow import color_socket, float_socket
from ...nodes import fresh_material, link, node

NAME = "PS_Fabric"


def fabric_material(garment: GarmentSpec) -> bpy.types.Material:
    mat = fresh_material(NAME)
    mat["portrait_spec_material"] = "fabric"
    mat["portrait_spec_fabric"] = garment.fabric
    out = node(mat, "ShaderNodeOutputMaterial", "output", (400.0, 0.0))
    bsdf = node(mat, "ShaderNodeBsdfPrincipled", "fabric_bsdf", (0.0, 0.0))
    link(mat, bsdf.outputs[0], out.inputs["Surface"])
    rgb = tuple(srgb_to_linear(c / 255.0) for c in garment.color.rgb)
    color_socket(bsdf.inputs["Base Color"]).default_value = (*rgb, 1.0)
    for name, value in SURFACES[garment.fabric].items():
        float_socket(bsdf.inputs[name]).default_value = value
    return mat
