"""The skin material "PS_Skin": every value from ``spec.skin``.

* Base colour: linear albedo from ``core.skin_tone`` (melanin + haemoglobin), node "skin_tone";
  on the lips (the vermilion, ``person/regions.py``) the same melanin over ``LIP_HAEMOGLOBIN`` blood, mixed
  in by the lips' mask (node "skin_lips").
* Subsurface: Random Walk (Skin), Scale 0.001 m so the radius vector reads in millimetres;
  radius ``spec.skin.subsurface.radius_mm``, and in the thin regions the whole vector scaled
  so red equals ``thin_radius_mm`` (ears and nostrils glow red when backlit).
* Roughness: ``spec.skin.roughness["default"]``, mixed to each listed region's value by that
  region's mask (cheekbones 0.3 in the seed), then to ``sebum.roughness`` on the sebum regions,
  where the specular IOR also rises from skin's 1.4 to sebum's 1.47 (an oil film).
* Subsurface anisotropy 0.8: skin scatters forwards (g ~0.8 in the visible; Jacques, "Optical
  properties of biological tissues: a review", Phys. Med. Biol. 58 R37, 2013). Cycles' random
  walk remaps the albedo with g, so the base colour still is the multiple-scattering albedo.
* Microrelief, everywhere on the skin: the network of primary lines that divides the skin surface
  into polygons (Voronoi cell edges, ``RELIEF_CELL_MM`` across, ``RELIEF_DEPTH_MM`` deep); it
  breaks up the specular sheen the way the skin's surface does in a photograph.
* Pores: a pit at every Voronoi cell centre, ``diameter_mm`` wide and ``depth_mm`` deep, as a
  bump in object space (metres), masked by ``pores.regions``, over the microrelief.
* Vellus hair: Principled sheen (a microfibre layer, Zeltner et al. 2022) on
  ``vellus_hair.regions``, weighted by the fraction of skin the lying hairs cover (density x
  ``length_mm`` x diameter); see the README for why sheen rather than hair curves.

Region masks are Attribute nodes named "mask_<region>" reading the vertex group of that name.
"""

from __future__ import annotations

import math as pymath

import bpy

from ....core.skin_tone import skin_albedo
from ....core.spec import Spec
from ....core.vellus import vellus_coverage
from ...narrow import color_socket, float_socket, of_type, vector_socket
from ...nodes import fresh_material, link, mask, math, mix_float, mix_vector, node, socket, union, value_out

NAME = "PS_Skin"
SKIN_IOR = 1.4  # stratum corneum (Jacques 2013: ~1.4-1.55); also the subsurface IOR
SEBUM_IOR = 1.47  # skin surface lipids are oil-like; plant and mineral oils are 1.46-1.48
PORES_PER_CM2 = 60.0  # facial pore counts are tens per cm2 on the nose; spacing ~1.3 mm
SHEEN_ROUGHNESS = 0.5  # fibres standing at mixed angles; Blender's microfibre default
SUBSURFACE_ANISOTROPY = 0.8  # skin's scattering anisotropy g in the visible (Jacques 2013)
# The primary lines of the skin surface form polygons about half a millimetre across on the face,
# their furrows 20-200 um deep (Bibb, "Medical Modelling", 2006, sec. 6.17.3; deeper with age):
# a young face's shallow end.
RELIEF_CELL_MM = 0.5
RELIEF_DEPTH_MM = 0.02
RELIEF_FILTER_PX = 1.0
# The vermilion's thin, barely keratinised epidermis shows the dense capillary bed beneath it:
# lips measure redder in hue than the skin round the mouth, at the same chroma, and darker in
# every group but African American women (Baras et al., L'Oreal Institute for Ethnic Hair and
# Skin Research: 914 women, the vermilion against the perioral skin). 5 % blood with the default
# melanin gives the albedo CIELAB (52, 18, 18), hue 44 deg against the face's 66 deg at (64, 8,
# 18): redder and darker, chroma near the skin's. The melanin stays the skin's (a modelling
# choice: only the blood differs), so darker skin has darker lips.
LIP_HAEMOGLOBIN = 0.05


def thin_radius(radius_mm: tuple[float, float, float], thin_red_mm: float) -> tuple[float, float, float]:
    """The radius vector scaled so its red component is ``thin_red_mm`` (colour ratios kept)."""
    s = thin_red_mm / radius_mm[0]
    return (radius_mm[0] * s, radius_mm[1] * s, radius_mm[2] * s)


def skin_material(spec: Spec) -> bpy.types.Material:
    skin = spec.skin
    mat = fresh_material(NAME)
    out = node(mat, "ShaderNodeOutputMaterial", "output", (900.0, 0.0))
    bsdf = node(mat, "ShaderNodeBsdfPrincipled", "skin_bsdf", (500.0, 0.0))
    link(mat, bsdf.outputs[0], out.inputs["Surface"])
    mat["portrait_spec_material"] = "skin"

    tone = node(mat, "ShaderNodeRGB", "skin_tone", (200.0, 300.0))
    color_socket(tone.outputs[0]).default_value = (*skin_albedo(skin.tone.melanin, skin.tone.haemoglobin), 1.0)
    _lips(mat, tone.outputs[0], bsdf.inputs["Base Color"], skin.tone.melanin, max(skin.tone.haemoglobin, LIP_HAEMOGLOBIN))

    of_type(bsdf, bpy.types.ShaderNodeBsdfPrincipled).subsurface_method = "RANDOM_WALK_SKIN"
    float_socket(bsdf.inputs["Subsurface Weight"]).default_value = 1.0
    float_socket(bsdf.inputs["Subsurface Scale"]).default_value = 0.001
    float_socket(bsdf.inputs["Subsurface IOR"]).default_value = SKIN_IOR
    float_socket(bsdf.inputs["Subsurface Anisotropy"]).default_value = SUBSURFACE_ANISOTROPY
    r0, r1, r2 = skin.subsurface.radius_mm
    radius = (r0, r1, r2)
    thin = union(mat, tuple(skin.subsurface.thin_regions), "thin", (-400.0, -600.0))
    if thin is None:
        vector_socket(bsdf.inputs["Subsurface Radius"]).default_value = radius
    else:
        r = mix_vector(mat, "subsurface_radius", thin, radius, thin_radius(radius, skin.subsurface.thin_radius_mm), (200.0, -600.0))
        link(mat, r, bsdf.inputs["Subsurface Radius"])

    rough: float | bpy.types.NodeSocket = skin.roughness.get("default", 0.45)
    y = 0.0
    for region, value in skin.roughness.items():
        if region == "default":
            continue
        m = union(mat, (region,), f"rough_{region}", (-400.0, y))
        assert m is not None
        rough = mix_float(mat, f"roughness_{region}", m, rough, value, (0.0, y))
        y -= 160.0
    sebum = union(mat, tuple(skin.sebum.regions), "sebum", (-400.0, y - 200.0))
    ior: float | bpy.types.NodeSocket = SKIN_IOR
    if sebum is not None:
        rough = mix_float(mat, "roughness_sebum", sebum, rough, skin.sebum.roughness, (0.0, y - 200.0))
        ior = mix_float(mat, "ior_sebum", sebum, SKIN_IOR, SEBUM_IOR, (0.0, y - 360.0))
    _feed(mat, bsdf.inputs["Roughness"], rough)
    _feed(mat, bsdf.inputs["IOR"], ior)

    hair = union(mat, tuple(skin.vellus_hair.regions), "vellus", (-400.0, -1100.0)) if skin.vellus_hair.visible else None
    if hair is not None:
        weight = math(mat, "MULTIPLY", hair, vellus_coverage(skin.vellus_hair.length_mm), (200.0, -1100.0), "vellus_sheen")
        link(mat, weight, bsdf.inputs["Sheen Weight"])
        float_socket(bsdf.inputs["Sheen Roughness"]).default_value = SHEEN_ROUGHNESS
        color_socket(bsdf.inputs["Sheen Tint"]).default_value = (1.0, 1.0, 1.0, 1.0)  # vellus hair is unpigmented

    relief = _relief(mat)
    pores = union(mat, tuple(skin.pores.regions), "pores", (-700.0, -1400.0)) if skin.pores.visible else None
    if pores is not None:
        pore_bump = _pores(mat, pores, skin.pores.diameter_mm, skin.pores.depth_mm)
        link(mat, relief, pore_bump.inputs["Normal"])
        link(mat, pore_bump.outputs["Normal"], bsdf.inputs["Normal"])
    else:
        link(mat, relief, bsdf.inputs["Normal"])
    return mat


def _lips(mat: bpy.types.Material, tone: bpy.types.NodeSocket, into: bpy.types.NodeSocket,
          melanin: float, haemoglobin: float) -> None:
    """The skin's tone, and the lips' own albedo where the lips' mask is (node "skin_lips")."""
    lips = mask(mat, "lips", (-100.0, 500.0))
    mix = node(mat, "ShaderNodeMix", "skin_lips", (350.0, 300.0))
    typed = of_type(mix, bpy.types.ShaderNodeMix)
    typed.data_type = "RGBA"
    typed.blend_type = "MIX"
    link(mat, value_out(lips), socket(mix.inputs, "Factor_Float"))
    link(mat, tone, socket(mix.inputs, "A_Color"))
    color_socket(socket(mix.inputs, "B_Color")).default_value = (*skin_albedo(melanin, haemoglobin), 1.0)
    link(mat, socket(mix.outputs, "Result_Color"), into)


def _relief(mat: bpy.types.Material) -> bpy.types.NodeSocket:
    """The microrelief's normal: furrows along the Voronoi cell edges (distance to the nearest
    edge, 0 on it), a smooth V ``RELIEF_DEPTH_MM`` deep and a quarter of a cell wide."""
    coords = node(mat, "ShaderNodeTexCoord", "relief_coords", (-700.0, -2100.0))
    cells = node(mat, "ShaderNodeTexVoronoi", "relief_cells", (-500.0, -2100.0))
    voronoi = of_type(cells, bpy.types.ShaderNodeTexVoronoi)
    voronoi.voronoi_dimensions = "3D"
    voronoi.feature = "DISTANCE_TO_EDGE"
    float_socket(cells.inputs["Scale"]).default_value = 1.0 / (RELIEF_CELL_MM * 1e-3)  # cells per metre
    float_socket(cells.inputs["Randomness"]).default_value = 1.0
    link(mat, coords.outputs["Object"], cells.inputs["Vector"])
    furrow = node(mat, "ShaderNodeMapRange", "relief_profile", (-300.0, -2100.0))
    of_type(furrow, bpy.types.ShaderNodeMapRange).interpolation_type = "SMOOTHSTEP"
    float_socket(furrow.inputs["From Min"]).default_value = 0.0
    float_socket(furrow.inputs["From Max"]).default_value = 0.12  # cell units: the furrow's half-width, 60 um
    float_socket(furrow.inputs["To Min"]).default_value = -1.0
    float_socket(furrow.inputs["To Max"]).default_value = 0.0
    link(mat, cells.outputs["Distance"], furrow.inputs["Value"])
    bump = node(mat, "ShaderNodeBump", "relief_bump", (200.0, -2100.0))
    float_socket(bump.inputs["Strength"]).default_value = 1.0
    float_socket(bump.inputs["Distance"]).default_value = RELIEF_DEPTH_MM * 1e-3  # object space is metres
    # Slopes taken over a whole pixel's footprint (Blender's default is a tenth): where the cells
    # are smaller than a pixel the relief flattens instead of turning into sparkling noise, and
    # it shows where a close, large render resolves it, as a camera would.
    float_socket(bump.inputs["Filter Width"]).default_value = RELIEF_FILTER_PX
    link(mat, furrow.outputs[0], bump.inputs["Height"])
    return bump.outputs["Normal"]


def _feed(mat: bpy.types.Material, into: bpy.types.NodeSocket, value: float | bpy.types.NodeSocket) -> None:
    """A constant or a link into an input socket."""
    if isinstance(value, bpy.types.NodeSocket):
        link(mat, value, into)
    else:
        float_socket(into).default_value = value


def _pores(mat: bpy.types.Material, region_mask: bpy.types.NodeSocket, diameter_mm: float, depth_mm: float) -> bpy.types.Node:
    coords = node(mat, "ShaderNodeTexCoord", "pore_coords", (-700.0, -1700.0))
    cells = node(mat, "ShaderNodeTexVoronoi", "pore_cells", (-500.0, -1700.0))
    scale = pymath.sqrt(PORES_PER_CM2 * 1e4)  # cells per metre
    voronoi = of_type(cells, bpy.types.ShaderNodeTexVoronoi)
    voronoi.voronoi_dimensions = "3D"
    voronoi.feature = "F1"
    float_socket(cells.inputs["Scale"]).default_value = scale
    float_socket(cells.inputs["Randomness"]).default_value = 1.0
    link(mat, coords.outputs["Object"], cells.inputs["Vector"])
    pit = node(mat, "ShaderNodeMapRange", "pore_profile", (-300.0, -1700.0))
    of_type(pit, bpy.types.ShaderNodeMapRange).interpolation_type = "SMOOTHSTEP"
    float_socket(pit.inputs["From Min"]).default_value = 0.0
    float_socket(pit.inputs["From Max"]).default_value = 0.5 * diameter_mm * 1e-3 * scale  # radius in cell units
    float_socket(pit.inputs["To Min"]).default_value = -1.0
    float_socket(pit.inputs["To Max"]).default_value = 0.0
    link(mat, cells.outputs["Distance"], pit.inputs["Value"])
    height = math(mat, "MULTIPLY", pit.outputs[0], region_mask, (-100.0, -1700.0), "pore_height")
    bump = node(mat, "ShaderNodeBump", "pore_bump", (200.0, -1700.0))
    float_socket(bump.inputs["Strength"]).default_value = 1.0
    float_socket(bump.inputs["Distance"]).default_value = depth_mm * 1e-3  # object space is metres
    link(mat, height, bump.inputs["Height"])
    return bump
