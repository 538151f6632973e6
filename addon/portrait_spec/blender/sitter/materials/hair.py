"""The hair material "PS_Hair": Cycles' Principled Hair BSDF (Chiang et al. 2016 model) coloured
by pigment, node "hair_bsdf": ``melanin`` and ``redness`` from ``spec.subject.hair`` (the
melanin parametrisation of d'Eon et al. 2011: absorption from eumelanin and pheomelanin
concentrations), roughness 0.3 and radial roughness 0.3 (Blender's defaults, measured-looking
human hair), a little random colour between strands (0.1) as real hair has.

Greying: strands whose curve attribute ``contract.HAIR_WHITE_ATTRIBUTE`` is 1 take node
"grey_bsdf", the same fibre with melanin 0 (no pigment: white; Tobin and Paus 2001, greying hair
is such fibres among pigmented ones), through the mix node "greying"; where the attribute is
absent (the brows) it reads 0, so they keep the pigment.
"""

from __future__ import annotations

import bpy

from ....core.spec import HairSpec
from ...contract import HAIR_WHITE_ATTRIBUTE
from ...narrow import float_socket, of_type
from ...nodes import fresh_material, link, node, value_out

NAME = "PS_Hair"
RANDOM_COLOR = 0.1


def hair_material(hair: HairSpec) -> bpy.types.Material:
    mat = fresh_material(NAME)
    mat["portrait_spec_material"] = "hair"
    out = node(mat, "ShaderNodeOutputMaterial", "output", (400.0, 0.0))
    bsdf = node(mat, "ShaderNodeBsdfHairPrincipled", "hair_bsdf", (0.0, 0.0))
    of_type(bsdf, bpy.types.ShaderNodeBsdfHairPrincipled).parametrization = "MELANIN"
    grey = node(mat, "ShaderNodeBsdfHairPrincipled", "grey_bsdf", (0.0, -400.0))
    of_type(grey, bpy.types.ShaderNodeBsdfHairPrincipled).parametrization = "MELANIN"
    white = of_type(node(mat, "ShaderNodeAttribute", "white", (-300.0, 200.0)), bpy.types.ShaderNodeAttribute)
    white.attribute_name = HAIR_WHITE_ATTRIBUTE
    mix = node(mat, "ShaderNodeMixShader", "greying", (200.0, 0.0))
    link(mat, value_out(white), mix.inputs[0])
    link(mat, bsdf.outputs[0], mix.inputs[1])
    link(mat, grey.outputs[0], mix.inputs[2])
    link(mat, mix.outputs[0], out.inputs["Surface"])
    for shader, melanin in ((bsdf, hair.melanin), (grey, 0.0)):
        float_socket(shader.inputs["Melanin"]).default_value = melanin
        float_socket(shader.inputs["Melanin Redness"]).default_value = hair.redness
        float_socket(shader.inputs["Random Color"]).default_value = RANDOM_COLOR
    return mat
