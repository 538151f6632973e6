"""Where Blender versions differ, in one place (4.5 LTS, 5.2 LTS, 5.3).

Blender 5.0 made node trees always on for materials, worlds and lights and deprecated their
``use_nodes`` switches (writing them warns); 4.5 still needs the switch.
"""

from __future__ import annotations

import bpy

NODES_ALWAYS_ON = bpy.app.version >= (5, 0, 0)


def ensure_material_nodes(mat: bpy.types.Material) -> None:
    if mat.node_tree is None or (not NODES_ALWAYS_ON and not mat.use_nodes):
        mat.use_nodes = True


def world_uses_nodes(world: bpy.types.World) -> bool:
    return NODES_ALWAYS_ON or bool(world.use_nodes)


def light_nodes_off(light: bpy.types.Light) -> None:
    """Our lights never get a node tree; on 4.5 say so explicitly (a node tree there would
    override the light's colour and temperature)."""
    if not NODES_ALWAYS_ON:
        light.use_nodes = False
