"""Skin that keeps the model's own colour texture.

A model's skin material usually carries a painted colour texture (freckles, lips, brows, veins,
make-up). When a material mapped to ``skin`` has an image feeding its base colour, its faces get
a copy of PS_Skin ("PS_Skin <material>") with that image, on its UV map, in front of the skin
model: base colour = texture x skin_tone / (the texture's mean colour over those faces). All of
PS_Skin stays but its lip colour (the texture paints the lips): Random Walk (Skin) subsurface
with the measured radii, regions, roughness, pores, sheen. The texture's own detail is kept
exactly (every texel keeps its ratio to the mean), and the mean skin colour is the spec's skin
tone, so the prompt's skin tone is what renders and verify's melanin reading (``skin_tone``
feeding ``skin_bsdf``) stays true.

The mean is taken where the texture is used (``measure/texture.py``, which verify reads too).
"""

from __future__ import annotations

from typing import Literal

import bpy

from ...measure.texture import mean_colour
from ...narrow import from_nodes, of_type, shader_tree, vector_socket
from ...nodes import link, node
from ..materials.skin import NAME as SKIN_NAME

PREFIX = f"{SKIN_NAME} "
TEXTURE_KEY = "portrait_spec_texture"
Interpolation = Literal["Linear", "Closest", "Cubic", "Smart"]


def base_colour_image(mat: bpy.types.Material) -> tuple[bpy.types.Image, str, Interpolation] | None:
    """(image, UV map name or "", interpolation) of the texture feeding the base colour."""
    tree = mat.node_tree
    if tree is None:
        return None
    bsdf = next((n for n in tree.nodes if n.type == "BSDF_PRINCIPLED"), None)
    if bsdf is None or not bsdf.inputs["Base Color"].is_linked:
        return None
    stack = from_nodes(bsdf.inputs["Base Color"])
    seen: set[str] = set()
    while stack:
        n = stack.pop()
        if n.name in seen:
            continue
        seen.add(n.name)
        texture = n if isinstance(n, bpy.types.ShaderNodeTexImage) else None
        if texture is not None and texture.image is not None:  # mean_colour skips an image that does not load
            uv = next((m.uv_map for m in from_nodes(n.inputs["Vector"]) if isinstance(m, bpy.types.ShaderNodeUVMap)), "")
            return texture.image, uv, texture.interpolation
        stack.extend(m for s in n.inputs if s.is_linked for m in from_nodes(s))
    return None


def textured_skin(base: bpy.types.Material, original: bpy.types.Material,
                  faces: list[tuple[bpy.types.Object, list[int]]]) -> bpy.types.Material | None:
    """A copy of PS_Skin with ``original``'s colour texture, or None when it has none."""
    found = base_colour_image(original)
    if found is None:
        return None
    image, uv_map, interpolation = found
    mean = mean_colour(image, uv_map, faces)
    if mean is None:
        return None
    name = PREFIX + original.name
    if name in bpy.data.materials:
        bpy.data.materials.remove(bpy.data.materials[name])
    mat = base.copy()
    mat.name = name
    mat[TEXTURE_KEY] = image.name
    nodes = shader_tree(mat).nodes
    bsdf, tone = nodes["skin_bsdf"], nodes["skin_tone"]
    if "skin_lips" in nodes:  # the texture paints the lips itself
        nodes.remove(nodes["skin_lips"])
    uv = node(mat, "ShaderNodeUVMap", "skin_uv", (-500.0, 600.0))
    of_type(uv, bpy.types.ShaderNodeUVMap).uv_map = uv_map
    tex = node(mat, "ShaderNodeTexImage", "skin_texture", (-300.0, 600.0))
    texture = of_type(tex, bpy.types.ShaderNodeTexImage)
    texture.image = image
    texture.interpolation = interpolation
    link(mat, uv.outputs["UV"], tex.inputs["Vector"])
    # Vector multiplies (per channel), not Mix nodes: both factors always count.
    toned = node(mat, "ShaderNodeVectorMath", "skin_texture_tone", (100.0, 500.0))
    of_type(toned, bpy.types.ShaderNodeVectorMath).operation = "MULTIPLY"
    link(mat, tex.outputs["Color"], toned.inputs[0])
    link(mat, tone.outputs[0], toned.inputs[1])
    gain = node(mat, "ShaderNodeVectorMath", "skin_texture_gain", (300.0, 500.0))
    of_type(gain, bpy.types.ShaderNodeVectorMath).operation = "MULTIPLY"
    link(mat, toned.outputs[0], gain.inputs[0])
    vector_socket(gain.inputs[1]).default_value = tuple(float(v) for v in 1.0 / mean)
    link(mat, gain.outputs[0], bsdf.inputs["Base Color"])
    return mat
