"""Reading the skin and gold parameters back out of the materials the scene really uses.

The materials are found through the studio's objects (``subject`` for skin, ``chain`` then
``subject`` for gold: a user's model may carry gold), by their key node ("skin_bsdf",
"gold_bsdf"), never by material name alone: a material nobody renders proves nothing. Values
are read from the named nodes the sitter's builders create (``materials/skin.py``,
``materials/gold.py``) and converted back to the spec's units with the same constants; a region
list is read from the Attribute nodes (vertex groups) feeding a value's mask.
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
from ..nodes import socket as socket_by_id

KARATS: tuple[str, ...] = ("24k", "22k", "18k", "14k", "rose", "white")
NK_TOLERANCE = 1e-4  # the node stores float32


def find_material(scene: bpy.types.Scene, roles: tuple[str, ...], key_node: str) -> bpy.types.Material | None:
    """The first material with ``key_node`` on an object of one of ``roles`` (in that order)."""
    for role in roles:
        for obj in objects_with_role(scene, role):
            for slot in obj.material_slots:
                mat = slot.material
                if mat is not None and mat.node_tree is not None and mat.node_tree.nodes.get(key_node) is not None:
                    return mat
    return None


def upstream(sock: Any) -> Iterator[bpy.types.Node]:
    """Every node feeding ``sock``, directly or not (each once)."""
    seen: set[str] = set()
    stack = [link.from_node for link in sock.links] if sock.is_linked else []
    while stack:
        node = stack.pop()
        if node.name in seen:
            continue
        seen.add(node.name)
        yield node
        stack.extend(link.from_node for s in node.inputs if s.is_linked for link in s.links)


def upstream_names(sock: Any) -> set[str]:
    return {n.name for n in upstream(sock)}


def mask_regions(sock: Any) -> tuple[str, ...]:
    """Vertex groups (geometry attributes) read by the mask feeding ``sock``, sorted."""
    return tuple(sorted(n.attribute_name for n in upstream(sock)
                        if n.type == "ATTRIBUTE" and n.attribute_type == "GEOMETRY"))


def base_float(sock: Any) -> float | None:
    """The value at the start of a chain of Mix nodes into ``sock`` (each mix's A input), or the
    socket's own value when unlinked; None if something else drives it."""
    while sock.is_linked:
        node = sock.links[0].from_node
        if node.bl_idname != "ShaderNodeMix":
            return None
        sock = socket_by_id(node.inputs, "A_Float")
    return float(sock.default_value)


def mix_value(mat: bpy.types.Material, name: str) -> tuple[float, tuple[str, ...]] | None:
    """B value and factor regions of the float Mix node ``name``."""
    node = mat.node_tree.nodes.get(name)
    if node is None or node.bl_idname != "ShaderNodeMix":
        return None
    b = socket_by_id(node.inputs, "B_Float")
    return float(b.default_value), mask_regions(socket_by_id(node.inputs, "Factor_Float"))


def _feeds(mat: bpy.types.Material, key_node: str, name: str) -> bool:
    bsdf = mat.node_tree.nodes[key_node]
    return any(name in upstream_names(s) for s in bsdf.inputs if s.is_linked)


# --- skin -----------------------------------------------------------------------------------

def skin_tone(mat: bpy.types.Material) -> ChromophoreFit | None:
    node = mat.node_tree.nodes.get("skin_tone")
    if node is None or node.type != "RGB" or not _feeds(mat, "skin_bsdf", "skin_tone"):
        return None
    c = node.outputs[0].default_value
    return fit_chromophores((float(c[0]), float(c[1]), float(c[2])))


def pore_diameter_mm(mat: bpy.types.Material) -> tuple[float, tuple[str, ...]] | None:
    """Pit diameter: the profile reaches the surface at ``From Max`` Voronoi units (1/scale m)."""
    nodes = mat.node_tree.nodes
    profile, cells, height = nodes.get("pore_profile"), nodes.get("pore_cells"), nodes.get("pore_height")
    if profile is None or cells is None or height is None or not _feeds(mat, "skin_bsdf", "pore_bump"):
        return None
    scale = float(cells.inputs["Scale"].default_value)
    radius_m = float(profile.inputs["From Max"].default_value) / scale
    return 2000.0 * radius_m, mask_regions(height.inputs[1])


def vellus_length_mm(mat: bpy.types.Material) -> tuple[float, bool, tuple[str, ...]] | None:
    """(length, clamped, regions): the sheen weight is coverage = density x length x diameter,
    capped at 1; at the cap only a lower bound on the length is known."""
    node = mat.node_tree.nodes.get("vellus_sheen")
    if node is None or not _feeds(mat, "skin_bsdf", "vellus_sheen"):
        return None
    length, clamped = vellus_length_from_coverage(float(node.inputs[1].default_value))
    return length, clamped, mask_regions(node.inputs[0])


def thin_radius_mm(mat: bpy.types.Material) -> tuple[float, tuple[str, ...]] | None:
    node, bsdf = mat.node_tree.nodes.get("subsurface_radius"), mat.node_tree.nodes["skin_bsdf"]
    if node is None or not _feeds(mat, "skin_bsdf", "subsurface_radius"):
        return None
    radius = socket_by_id(node.inputs, "B_Vector").default_value
    scale_m = float(bsdf.inputs["Subsurface Scale"].default_value)
    return float(radius[0]) * scale_m * 1000.0, mask_regions(socket_by_id(node.inputs, "Factor_Float"))


def skin_roughness(mat: bpy.types.Material, region: str) -> tuple[float, tuple[str, ...]] | None:
    """``default``: the base of the roughness network; a region: its mix value and mask."""
    if region == "default":
        value = base_float(mat.node_tree.nodes["skin_bsdf"].inputs["Roughness"])
        return None if value is None else (value, ())
    if not _feeds(mat, "skin_bsdf", f"roughness_{region}"):
        return None
    return mix_value(mat, f"roughness_{region}")


def sebum_roughness(mat: bpy.types.Material) -> tuple[float, tuple[str, ...]] | None:
    if not _feeds(mat, "skin_bsdf", "roughness_sebum"):
        return None
    return mix_value(mat, "roughness_sebum")


# --- gold -----------------------------------------------------------------------------------

@dataclass(frozen=True)
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
    nodes = mat.node_tree.nodes
    bsdf = nodes["gold_bsdf"]
    n = _rgb(bsdf.inputs["IOR"].default_value)
    k = _rgb(bsdf.inputs["Extinction"].default_value)
    karat = next((c for c in KARATS
                  if all(abs(a - b) <= NK_TOLERANCE for a, b in zip((*n, *k), (*gold_optics(c).n, *gold_optics(c).k), strict=True))),
                 None)
    normal = upstream_names(bsdf.inputs["Normal"])
    finish = "hammered" if "hammer_facets" in normal else "brushed" if "brush_lines" in normal else "polished"
    facets = nodes.get("hammer_facets")
    facet_mm = 1000.0 / float(facets.inputs["Scale"].default_value) if facets is not None and finish == "hammered" else None
    rough_in: Any = bsdf.inputs["Roughness"]
    roughness: float | None
    if not rough_in.is_linked:
        roughness = float(rough_in.default_value)
    else:
        src = rough_in.links[0].from_node
        roughness = float(src.inputs[2].default_value) if src.name == "roughness_scratched" and not src.inputs[2].is_linked else None
    scratches = "scratch_lines" in upstream_names(rough_in) and "scratch_lines" in normal
    return GoldReading(karat, n, k, bsdf.fresnel_type == "PHYSICAL_CONDUCTOR", finish, facet_mm, roughness, scratches)
