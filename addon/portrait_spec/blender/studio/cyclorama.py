"""The cyclorama: one continuous mesh (floor, cove, wall) and its material per background mode.

* extraction: an Emission shader of the exact linear colour at strength 1. Seen by camera rays
  only: invisible to diffuse, glossy, transmission and volume rays and to shadow rays, and with
  emission sampling off, so it neither lights nor tints the subject (no bleed on hair, ears,
  nose) nor blocks any light. The rig lights are linked away from it (see ``lights``), so no
  spill lands on it either. With view transform Standard, look None, exposure 0, gamma 1 and
  dither 0 every backdrop pixel is the requested 8-bit value.
* gradient: a Lambertian (Diffuse BSDF) paper of the spec colour lit only by the background
  light. It is invisible to diffuse rays so no light bounces between floor, cove and wall: its
  luminance is exactly the designed direct falloff.
* lit: the same paper, lit by the rig and bouncing light like a real studio sweep.
"""

from __future__ import annotations

import bpy

from ...core.cyclorama_profile import CycloramaSize, profile
from ...core.spec import BackgroundSpec
from ..narrow import color_socket, cycles_material_of, float_socket, shader_tree
from ..nodes import fresh_material

MATERIAL_NAME = "PS_Cyclorama"

# (camera, diffuse, glossy, transmission, volume scatter, shadow) per background mode.
VISIBILITY: dict[str, tuple[bool, bool, bool, bool, bool, bool]] = {
    "extraction": (True, False, False, False, False, False),
    "gradient": (True, False, True, False, False, True),
    "lit": (True, True, True, True, True, True),
}


def cyclorama_mesh(name: str, size: CycloramaSize, wall_y: float, cove_radius: float) -> bpy.types.Mesh:
    """The profile swept across X; faces wound so normals face the subject (+Z floor, -Y wall)."""
    points = profile(wall_y, cove_radius, size.floor_front_y, size.top_z)
    hw = size.half_width
    verts: list[tuple[float, float, float]] = []
    for y, z in points:
        verts += [(-hw, y, z), (hw, y, z)]
    faces = [(2 * i, 2 * i + 1, 2 * i + 3, 2 * i + 2) for i in range(len(points) - 1)]
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata(verts, [], faces)
    mesh.validate()
    mesh.shade_smooth()
    return mesh


def backdrop_material(background: BackgroundSpec) -> bpy.types.Material:
    """The backdrop's material for its mode (rebuilt in place on every build)."""
    mat = fresh_material(MATERIAL_NAME)
    tree = shader_tree(mat)
    nodes, links = tree.nodes, tree.links
    out = nodes.new("ShaderNodeOutputMaterial")
    colour = (*background.color.linear, 1.0)
    if background.mode == "extraction":
        shader = nodes.new("ShaderNodeEmission")
        color_socket(shader.inputs["Color"]).default_value = colour
        float_socket(shader.inputs["Strength"]).default_value = 1.0
        cycles_material_of(mat).emission_sampling = "NONE"
    else:
        shader = nodes.new("ShaderNodeBsdfDiffuse")
        color_socket(shader.inputs["Color"]).default_value = colour
        float_socket(shader.inputs["Roughness"]).default_value = 0.0
        cycles_material_of(mat).emission_sampling = "AUTO"
    links.new(shader.outputs[0], out.inputs["Surface"])
    mat.diffuse_color.foreach_set(colour)  # viewport solid colour (the 5.x stubs cannot type an array assignment)
    return mat


def set_ray_visibility(obj: bpy.types.Object, mode: str) -> None:
    cam, diffuse, glossy, transmission, scatter, shadow = VISIBILITY[mode]
    obj.visible_camera = cam
    obj.visible_diffuse = diffuse
    obj.visible_glossy = glossy
    obj.visible_transmission = transmission
    obj.visible_volume_scatter = scatter
    obj.visible_shadow = shadow
