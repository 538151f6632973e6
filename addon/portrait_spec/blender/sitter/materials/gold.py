"""The gold material "PS_Gold": a Metallic BSDF in Physical Conductor mode, every value from
``spec.jewelry``.

* n and k per channel from ``core.gold_optics`` (24k measured; other karats approximations,
  flagged on the material as ``portrait_spec_gold_measured``).
* Finish: "hammered" dents the surface with one shallow spherical dimple per Voronoi cell of
  ``facet_size_mm`` (a hammer blow leaves a dimple; neighbouring dimples meet in creases), with
  at most ~9 deg of tilt at a facet's rim; "brushed" stretches noise along the link (the
  anisotropic polish lines); "polished" leaves the normal alone.
* Roughness: ``jewelry.roughness``; with ``micro_scratches`` it rises by ``SCRATCH_ROUGHNESS``
  along fine scratch lines, only where the chain rubs: on links touching the skin (instance
  attribute ``ps_contact`` written by the chain builder, 1 at contact) and at every link's
  ends, where it bears on its neighbours.
"""

from __future__ import annotations

import bpy

from ....core.gold_optics import gold_optics
from ....core.spec import Spec
from ...narrow import float_socket, of_type, present, vector_socket
from ...nodes import fresh_material, link, math, node

NAME = "PS_Gold"
DIMPLE_DEPTH_PER_FACET = 0.15  # dimple depth / facet size: rim tilt atan(0.15) ~ 9 deg
SCRATCH_ROUGHNESS = 0.2
SCRATCH_WIDTH_M = 2e-5  # 20 um lines
CONTACT_ATTRIBUTE = "ps_contact"
LINK_HALF_LENGTH_ATTRIBUTE = "ps_link_half_length"


def gold_material(spec: Spec) -> bpy.types.Material:
    jewel = spec.jewelry
    optics = gold_optics(jewel.karat)
    mat = fresh_material(NAME)
    mat["portrait_spec_material"] = "gold"
    mat["portrait_spec_gold_measured"] = optics.measured
    mat["portrait_spec_gold_source"] = optics.source
    out = node(mat, "ShaderNodeOutputMaterial", "output", (900.0, 0.0))
    bsdf = node(mat, "ShaderNodeBsdfMetallic", "gold_bsdf", (500.0, 0.0))
    link(mat, bsdf.outputs[0], out.inputs["Surface"])
    metallic = of_type(bsdf, bpy.types.ShaderNodeBsdfMetallic)
    metallic.fresnel_type = "PHYSICAL_CONDUCTOR"
    metallic.distribution = "MULTI_GGX"
    vector_socket(bsdf.inputs["IOR"]).default_value = optics.n
    vector_socket(bsdf.inputs["Extinction"]).default_value = optics.k
    float_socket(bsdf.inputs["Roughness"]).default_value = jewel.roughness
    coords = node(mat, "ShaderNodeTexCoord", "gold_coords", (-900.0, 0.0))
    normal: bpy.types.NodeSocket | None = None
    if jewel.finish == "hammered":
        normal = _hammered(mat, coords, jewel.facet_size_mm * 1e-3)
    elif jewel.finish == "brushed":
        normal = _brushed(mat, coords)
    if jewel.micro_scratches:
        normal = _scratches(mat, bsdf, coords, normal, jewel.roughness, jewel.chain.link_length_mm * 1e-3)
    if normal is not None:
        link(mat, normal, bsdf.inputs["Normal"])
    return mat


def _hammered(mat: bpy.types.Material, coords: bpy.types.Node, facet_m: float) -> bpy.types.NodeSocket:
    cells = node(mat, "ShaderNodeTexVoronoi", "hammer_facets", (-700.0, 300.0))
    voronoi = of_type(cells, bpy.types.ShaderNodeTexVoronoi)
    voronoi.voronoi_dimensions = "3D"
    voronoi.feature = "F1"
    float_socket(cells.inputs["Scale"]).default_value = 1.0 / facet_m
    link(mat, coords.outputs["Object"], cells.inputs["Vector"])
    dimple = math(mat, "POWER", cells.outputs["Distance"], 2.0, (-500.0, 300.0), "hammer_dimple")
    bump = node(mat, "ShaderNodeBump", "hammer_bump", (-300.0, 300.0))
    float_socket(bump.inputs["Strength"]).default_value = 1.0
    float_socket(bump.inputs["Distance"]).default_value = DIMPLE_DEPTH_PER_FACET * facet_m
    link(mat, dimple, bump.inputs["Height"])
    return bump.outputs["Normal"]


def _brushed(mat: bpy.types.Material, coords: bpy.types.Node) -> bpy.types.NodeSocket:
    stretch = node(mat, "ShaderNodeMapping", "brush_stretch", (-700.0, 300.0))
    vector_socket(stretch.inputs["Scale"]).default_value = (2e3, 1e5, 1e5)  # lines run along the link's X
    link(mat, coords.outputs["Object"], stretch.inputs["Vector"])
    noise = node(mat, "ShaderNodeTexNoise", "brush_lines", (-500.0, 300.0))
    link(mat, stretch.outputs[0], noise.inputs["Vector"])
    bump = node(mat, "ShaderNodeBump", "brush_bump", (-300.0, 300.0))
    float_socket(bump.inputs["Distance"]).default_value = 2e-6
    link(mat, noise.outputs["Fac"], bump.inputs["Height"])
    return bump.outputs["Normal"]


def _scratches(mat: bpy.types.Material, bsdf: bpy.types.Node, coords: bpy.types.Node, normal: bpy.types.NodeSocket | None,
               roughness: float, link_length_m: float) -> bpy.types.NodeSocket:
    contact = node(mat, "ShaderNodeAttribute", "mask_contact", (-700.0, -300.0))
    attribute = of_type(contact, bpy.types.ShaderNodeAttribute)
    attribute.attribute_type = "INSTANCER"
    attribute.attribute_name = CONTACT_ATTRIBUTE
    # Link ends: |x| beyond 30 % of the link's length from its centre, in the link's own space.
    sep = node(mat, "ShaderNodeSeparateXYZ", "link_axis", (-700.0, -500.0))
    link(mat, coords.outputs["Object"], sep.inputs[0])
    ax = math(mat, "ABSOLUTE", sep.outputs["X"], 0.0, (-500.0, -500.0))
    ends = node(mat, "ShaderNodeMapRange", "mask_link_ends", (-300.0, -500.0))
    float_socket(ends.inputs["From Min"]).default_value = 0.3 * link_length_m
    float_socket(ends.inputs["From Max"]).default_value = 0.45 * link_length_m
    link(mat, ax, ends.inputs["Value"])
    wear = math(mat, "MAXIMUM", contact.outputs[2], ends.outputs[0], (-100.0, -400.0), "scratch_mask")
    # Scratch lines: thin ridges of a distorted wave, random in direction, ~20 um wide.
    wave = node(mat, "ShaderNodeTexWave", "scratch_lines", (-500.0, -800.0))
    bands = of_type(wave, bpy.types.ShaderNodeTexWave)
    bands.wave_type = "BANDS"
    bands.wave_profile = "SIN"
    float_socket(wave.inputs["Scale"]).default_value = 1.0 / (50.0 * SCRATCH_WIDTH_M)
    float_socket(wave.inputs["Distortion"]).default_value = 12.0
    float_socket(wave.inputs["Detail"]).default_value = 4.0
    link(mat, coords.outputs["Object"], wave.inputs["Vector"])
    lines = node(mat, "ShaderNodeMapRange", "scratch_profile", (-300.0, -800.0))
    float_socket(lines.inputs["From Min"]).default_value = 0.85
    float_socket(lines.inputs["From Max"]).default_value = 1.0
    link(mat, wave.outputs["Fac"], lines.inputs["Value"])
    scratches = math(mat, "MULTIPLY", lines.outputs[0], wear, (-100.0, -800.0), "scratches")
    rough = math(mat, "MULTIPLY_ADD", scratches, SCRATCH_ROUGHNESS, (100.0, -400.0), "roughness_scratched", clamp=True)
    float_socket(present(rough.node, "roughness_scratched").inputs[2]).default_value = roughness
    link(mat, rough, bsdf.inputs["Roughness"])
    bump = node(mat, "ShaderNodeBump", "scratch_bump", (100.0, -800.0))
    of_type(bump, bpy.types.ShaderNodeBump).invert = True  # scratches are grooves
    float_socket(bump.inputs["Distance"]).default_value = 2e-6
    link(mat, scratches, bump.inputs["Height"])
    if normal is not None:
        link(mat, normal, bump.inputs["Normal"])
    return bump.outputs["Normal"]
