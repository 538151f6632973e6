"""Reading the skin and gold parameters back out of the materials the scene really uses.

The materials are found through the studio's objects (``subject`` for skin, ``chain`` then
``subject`` for gold: a user's model may carry gold), by their key node ("skin_bsdf",
"gold_bsdf"), never by material name alone: a material nobody renders proves nothing. Values
are read from the named nodes the sitter's builders create (``materials/skin.py``,
``materials/gold.py``) and converted back to the spec's units with the same constants; a region
list is read from the Attribute nodes (vertex groups) feeding a value's mask.

Effective values only: a value counts when it reaches what the render uses. Links are followed
through reroutes and muted nodes (a muted node passes on only the input its internal link names,
so a muted Mix passes A and a muted BSDF nothing); muted links count as absent; a Mix whose factor
is a constant 0 or 1 passes only that side; a Bump of strength or distance 0 passes no height.
The key BSDF must reach the active material output unmixed (``output_problem``), and a weight
that scales a claimed effect must be the builder's (subsurface weight 1): a hand edit that takes
the effect away fails the claim, however the radius socket reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import bpy

from ...core.gold_optics import gold_optics
from ...core.skin_tone_fit import ChromophoreFit, fit_chromophores
from ...core.vellus import vellus_length_from_coverage
from ..contract import objects_with_role
from ..measure.texture import mean_colour
from ..narrow import color_socket, float_socket, lookup, shader_tree, vector_socket
from ..nodes import socket as socket_by_id

KARATS: tuple[str, ...] = ("24k", "22k", "18k", "14k", "rose", "white")
SUBSURFACE_WEIGHT = 1.0  # what materials/skin.py sets: the radius takes its full effect
NK_TOLERANCE = 1e-4  # the node stores float32
TEXTURE_MEAN_TOLERANCE = 0.01  # the gain is stored as float32; texel sampling is exact


def find_material(scene: bpy.types.Scene, roles: tuple[str, ...], key_node: str) -> bpy.types.Material | None:
    """The first material with ``key_node`` on an object of one of ``roles`` (in that order)."""
    for role in roles:
        for obj in objects_with_role(scene, role):
            for slot in obj.material_slots:
                mat = slot.material
                if mat is not None and mat.node_tree is not None and lookup(mat.node_tree.nodes, key_node) is not None:
                    return mat
    return None


MAX_HOPS = 256  # a node tree is acyclic; this only bounds a malformed one


def source(sock: Any) -> Any | None:
    """The output socket whose value the input ``sock`` receives, through reroutes and muted
    nodes; None when it receives none (unlinked, a muted link, a muted node with no pass-through)."""
    for _ in range(MAX_HOPS):
        link = next((lk for lk in sock.links if lk.is_valid and not lk.is_muted), None) if sock.is_linked else None
        if link is None:
            return None
        node = link.from_node
        if node.type == "REROUTE":
            sock = node.inputs[0]
        elif node.mute:
            through = next((lk for lk in node.internal_links if lk.to_socket == link.from_socket), None)
            if through is None:
                return None
            sock = through.from_socket
        else:
            return link.from_socket
    return None


def source_node(sock: Any) -> Any | None:
    out = source(sock)
    return out.node if out is not None else None


def constant(sock: Any) -> float | None:
    """The input's own value when nothing effective is linked to it, else None."""
    return float(sock.default_value) if source(sock) is None else None


def _effective_inputs(node: Any) -> list[Any]:
    """The inputs of a (not muted) node that can change its output."""
    if node.bl_idname in ("ShaderNodeMix", "ShaderNodeMixShader"):
        fac = socket_by_id(node.inputs, "Factor_Float") if node.bl_idname == "ShaderNodeMix" else node.inputs[0]
        value = constant(fac)
        if value in (0.0, 1.0):
            if node.bl_idname == "ShaderNodeMixShader":
                return [node.inputs[1 if value == 0.0 else 2]]
            suffix = node.data_type.title() if node.data_type != "RGBA" else "Color"
            side = "A" if value == 0.0 else "B"
            return [s for s in node.inputs if s.identifier == f"{side}_{suffix}"]
    if node.bl_idname == "ShaderNodeBump" and (constant(node.inputs["Strength"]) == 0.0
                                               or constant(node.inputs["Distance"]) == 0.0):
        return [node.inputs["Normal"]]
    return list(node.inputs)


def upstream(sock: Any) -> Iterator[bpy.types.Node]:
    """Every node whose output can change the value ``sock`` receives (each once)."""
    seen: set[str] = set()
    stack = [sock]
    while stack:
        node = source_node(stack.pop())
        if node is None or node.name in seen:
            continue
        seen.add(node.name)
        yield node
        stack.extend(_effective_inputs(node))


def upstream_names(sock: Any) -> set[str]:
    return {n.name for n in upstream(sock)}


def output_problem(mat: bpy.types.Material, key_node: str) -> str | None:
    """Why ``key_node`` is not what the material renders (None when it is): it must reach the
    active Cycles material output's Surface alone, through reroutes, muted pass-throughs and
    mixes that select it fully."""
    outputs = [n for n in shader_tree(mat).nodes
               if isinstance(n, bpy.types.ShaderNodeOutputMaterial) and n.target in ("ALL", "CYCLES")]
    # As a plain Node: a typed node's stub types its sockets as optional.
    output: bpy.types.Node | None = next((n for n in outputs if n.is_active_output), outputs[0] if outputs else None)
    if output is None:
        return "no material output"
    sock = output.inputs["Surface"]
    for _ in range(MAX_HOPS):
        node = source_node(sock)
        if node is None:
            return f"{key_node} does not reach the material output (disconnected or muted)"
        if node.name == key_node:
            return None
        if node.bl_idname != "ShaderNodeMixShader":
            return f"{node.name!r} ({node.bl_label}) between {key_node} and the material output"
        fac = constant(node.inputs[0])
        if fac not in (0.0, 1.0):
            shown = "a linked factor" if fac is None else f"factor {fac:.2f}"
            return f"{key_node} mixed with another shader in {node.name!r} ({shown})"
        sock = node.inputs[1 if fac == 0.0 else 2]
    return f"{key_node} does not reach the material output"


def mask_regions(sock: Any) -> tuple[str, ...]:
    """Vertex groups (geometry attributes) read by the mask feeding ``sock``, sorted."""
    return tuple(sorted(n.attribute_name for n in upstream(sock)
                        if isinstance(n, bpy.types.ShaderNodeAttribute) and n.attribute_type == "GEOMETRY"))


def mix_chain(sock: Any) -> tuple[list[str], float | None]:
    """The float Mix nodes chained into ``sock`` through their A inputs (effective ones only) and
    the value at the start of the chain; None if something else drives it."""
    names: list[str] = []
    for _ in range(MAX_HOPS):
        node = source_node(sock)
        if node is None:
            return names, float(sock.default_value)
        if node.bl_idname != "ShaderNodeMix" or node.data_type != "FLOAT":
            return names, None
        names.append(node.name)
        sock = socket_by_id(node.inputs, "A_Float")
    return names, None


def base_float(sock: Any) -> float | None:
    """The value at the start of a chain of Mix nodes into ``sock`` (each mix's A input), or the
    socket's own value when unlinked; None if something else drives it."""
    return mix_chain(sock)[1]


def mix_value(mat: bpy.types.Material, name: str) -> tuple[float, tuple[str, ...]] | None:
    """B value and factor regions of the float Mix node ``name``."""
    node = lookup(shader_tree(mat).nodes, name)
    if node is None or node.bl_idname != "ShaderNodeMix":
        return None
    b = socket_by_id(node.inputs, "B_Float")
    if source(b) is not None:  # something else drives the region's value
        return None
    return float(float_socket(b).default_value), mask_regions(socket_by_id(node.inputs, "Factor_Float"))


def _feeds(mat: bpy.types.Material, key_node: str, name: str, into: str) -> bool:
    """Whether node ``name`` is what the key node's input ``into`` receives (effective path)."""
    node = source_node(shader_tree(mat).nodes[key_node].inputs[into])
    return node is not None and node.name == name


def _in_chain(mat: bpy.types.Material, key_node: str, name: str, into: str) -> bool:
    return name in mix_chain(shader_tree(mat).nodes[key_node].inputs[into])[0]


# --- skin -----------------------------------------------------------------------------------

def skin_tone(mat: bpy.types.Material) -> ChromophoreFit | None:
    node = lookup(shader_tree(mat).nodes, "skin_tone")
    if node is None or node.type != "RGB" or not (_feeds(mat, "skin_bsdf", "skin_tone", "Base Color")
                                                  or _lips_keep_tone(mat) or _texture_keeps_tone(mat)):
        return None
    c = color_socket(node.outputs[0]).default_value
    return fit_chromophores((float(c[0]), float(c[1]), float(c[2])))


def _lips_keep_tone(mat: bpy.types.Material) -> bool:
    """The lips' own colour in front of the tone (``sitter/materials/skin.py``): a colour Mix
    "skin_lips" of skin_tone (A) and a constant (B), its factor the lips' mask alone, so every
    other region's base colour is the tone."""
    mix = source_node(shader_tree(mat).nodes["skin_bsdf"].inputs["Base Color"])
    if mix is None or mix.name != "skin_lips" or mix.bl_idname != "ShaderNodeMix" or mix.data_type != "RGBA" \
            or mix.blend_type != "MIX" or not mix.clamp_factor:
        return False
    tone = source_node(socket_by_id(mix.inputs, "A_Color"))
    factor = socket_by_id(mix.inputs, "Factor_Float")
    return (tone is not None and tone.name == "skin_tone" and source(socket_by_id(mix.inputs, "B_Color")) is None
            and source(factor) is not None and mask_regions(factor) == ("lips",))


def _texture_keeps_tone(mat: bpy.types.Material) -> bool:
    """A model's colour texture in front of the tone (``sitter/model/skin_texture.py``): base
    colour = skin_texture x skin_tone x gain, whose mean over the faces using the material is the
    tone exactly when the gain is the inverse of the texture's mean there (measured, within
    ``TEXTURE_MEAN_TOLERANCE``)."""
    gain = source_node(shader_tree(mat).nodes["skin_bsdf"].inputs["Base Color"])
    if gain is None or gain.name != "skin_texture_gain" or gain.bl_idname != "ShaderNodeVectorMath" \
            or gain.operation != "MULTIPLY" or source(gain.inputs[1]) is not None:
        return False
    toned = source_node(gain.inputs[0])
    if toned is None or toned.name != "skin_texture_tone" or toned.bl_idname != "ShaderNodeVectorMath" \
            or toned.operation != "MULTIPLY":
        return False
    texture, tone = source_node(toned.inputs[0]), source_node(toned.inputs[1])
    if texture is None or texture.type != "TEX_IMAGE" or texture.image is None or tone is None or tone.name != "skin_tone":
        return False
    uv = source_node(texture.inputs["Vector"])
    uv_map = str(uv.uv_map) if uv is not None and uv.type == "UVMAP" else ""
    faces = [(o, [i for i, slot in enumerate(o.material_slots) if slot.material == mat])
             for o in bpy.data.objects if o.type == "MESH"]
    mean = mean_colour(texture.image, uv_map, [(o, slots) for o, slots in faces if slots])
    g = gain.inputs[1].default_value
    return mean is not None and all(abs(float(m) * float(k) - 1.0) <= TEXTURE_MEAN_TOLERANCE for m, k in zip(mean, g, strict=False))


def pore_diameter_mm(mat: bpy.types.Material) -> tuple[float, tuple[str, ...]] | None:
    """Pit diameter: the profile reaches the surface at ``From Max`` Voronoi units (1/scale m)."""
    nodes = shader_tree(mat).nodes
    profile, cells, height = lookup(nodes, "pore_profile"), lookup(nodes, "pore_cells"), lookup(nodes, "pore_height")
    if profile is None or cells is None or height is None \
            or "pore_cells" not in upstream_names(nodes["skin_bsdf"].inputs["Normal"]):
        return None
    scale = float(float_socket(cells.inputs["Scale"]).default_value)
    radius_m = float(float_socket(profile.inputs["From Max"]).default_value) / scale
    return 2000.0 * radius_m, mask_regions(height.inputs[1])


def vellus_length_mm(mat: bpy.types.Material) -> tuple[float, bool, tuple[str, ...]] | None:
    """(length, clamped, regions): the sheen weight is coverage = density x length x diameter,
    capped at 1; at the cap only a lower bound on the length is known."""
    node = lookup(shader_tree(mat).nodes, "vellus_sheen")
    if node is None or not _feeds(mat, "skin_bsdf", "vellus_sheen", "Sheen Weight"):
        return None
    length, clamped = vellus_length_from_coverage(float(float_socket(node.inputs[1]).default_value))
    return length, clamped, mask_regions(node.inputs[0])


def thin_radius_mm(mat: bpy.types.Material) -> tuple[float, tuple[str, ...]] | None:
    node, bsdf = lookup(shader_tree(mat).nodes, "subsurface_radius"), shader_tree(mat).nodes["skin_bsdf"]
    if node is None or not _feeds(mat, "skin_bsdf", "subsurface_radius", "Subsurface Radius"):
        return None
    if subsurface_weight(mat) != SUBSURFACE_WEIGHT or constant(bsdf.inputs["Subsurface Scale"]) is None:
        return None
    radius = vector_socket(socket_by_id(node.inputs, "B_Vector")).default_value
    scale_m = float(float_socket(bsdf.inputs["Subsurface Scale"]).default_value)
    return float(radius[0]) * scale_m * 1000.0, mask_regions(socket_by_id(node.inputs, "Factor_Float"))


def skin_roughness(mat: bpy.types.Material, region: str) -> tuple[float, tuple[str, ...]] | None:
    """``default``: the base of the roughness network; a region: its mix value and mask."""
    if region == "default":
        value = base_float(shader_tree(mat).nodes["skin_bsdf"].inputs["Roughness"])
        return None if value is None else (value, ())
    if not _in_chain(mat, "skin_bsdf", f"roughness_{region}", "Roughness"):
        return None
    return mix_value(mat, f"roughness_{region}")


def sebum_roughness(mat: bpy.types.Material) -> tuple[float, tuple[str, ...]] | None:
    if not _in_chain(mat, "skin_bsdf", "roughness_sebum", "Roughness"):
        return None
    return mix_value(mat, "roughness_sebum")


def subsurface_weight(mat: bpy.types.Material) -> float | None:
    """The skin's subsurface weight when it is one plain value (None when something drives it)."""
    return constant(shader_tree(mat).nodes["skin_bsdf"].inputs["Subsurface Weight"])


# --- gold -----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class GoldReading:
    karat: str | None  # the karat whose n and k the node holds; None if none matches
    n: tuple[float, float, float]
    k: tuple[float, float, float]
    conductor: bool  # Physical Conductor Fresnel: n and k are what the render uses
    finish: str  # "hammered", "brushed" or "polished", from the normal network
    facet_mm: float | None
    roughness: float | None
    scratches: bool


def _rgb(values: Any) -> tuple[float, float, float]:
    return (float(values[0]), float(values[1]), float(values[2]))


def gold(mat: bpy.types.Material) -> GoldReading:
    nodes = shader_tree(mat).nodes
    bsdf = nodes["gold_bsdf"]
    n = _rgb(vector_socket(bsdf.inputs["IOR"]).default_value)
    k = _rgb(vector_socket(bsdf.inputs["Extinction"]).default_value)
    linked_nk = source(bsdf.inputs["IOR"]) is not None or source(bsdf.inputs["Extinction"]) is not None
    karat = None if linked_nk else next(
        (c for c in KARATS
         if all(abs(a - b) <= NK_TOLERANCE for a, b in zip((*n, *k), (*gold_optics(c).n, *gold_optics(c).k), strict=True))),
        None)
    normal = upstream_names(bsdf.inputs["Normal"])
    finish = "hammered" if "hammer_facets" in normal else "brushed" if "brush_lines" in normal else "polished"
    facets = lookup(nodes, "hammer_facets")
    facet_mm = 1000.0 / float(float_socket(facets.inputs["Scale"]).default_value) if facets is not None and finish == "hammered" else None
    rough_in: Any = bsdf.inputs["Roughness"]
    roughness: float | None
    src = source_node(rough_in)
    if src is None:
        roughness = float(rough_in.default_value)
    else:
        roughness = constant(src.inputs[2]) if src.name == "roughness_scratched" else None
    scratches = "scratch_lines" in upstream_names(rough_in) and "scratch_lines" in normal
    conductor = isinstance(bsdf, bpy.types.ShaderNodeBsdfMetallic) and bsdf.fresnel_type == "PHYSICAL_CONDUCTOR"
    return GoldReading(karat=karat, n=n, k=k, conductor=conductor, finish=finish, facet_mm=facet_mm, roughness=roughness,
                       scratches=scratches)
