"""The bounce reflector (or V-flat) and the black flag as meshes (``lights.bounce``, ``lights.flag``).

The reflector is placed by ``core.reflector.placement`` from the key as built (its real emitter
and colour), so its distance gives the bounce its ``stops`` at the meter; its face turned to the
bisector of key and focus (``core.meter.bounce``). The faces (mesh normals) look along the local
-Z, as the lights do; the back of a reflector is black (a 5-in-1's other face is not modelled).
Materials: white and V-flat a Lambertian albedo 0.9; silver a sharp mirror of aluminium's
reflectance; gold a sharp mirror of gold's reflectance at the centre's angle of incidence (a
Glossy BSDF at roughness 0 reflects its colour exactly, so build and prediction agree).

The flag is a ``width`` x ``height`` panel facing the focus, Lambertian albedo ``FLAG_ALBEDO``
on both sides: black duvetyne, the matte cotton twill commercial flags are made of
(https://en.wikipedia.org/wiki/Duvetyne); 0.03 is a little above the 1-2 % that opaque dark woven
fabrics reflect in measured bidirectional reflectance of shading fabrics.

Both are hidden from camera rays, like the softboxes (never a card in frame), and seen by every
other ray: they bounce, block and show in the eyes.
"""

from __future__ import annotations

import math

import bpy
from mathutils import Matrix

from ...core.gold_optics import AU_K, AU_N, fresnel_conductor
from ...core.meter.bounce import ALUMINIUM_F0, WHITE_ALBEDO, BouncePlacement, Panel
from ...core.placement import light_position
from ...core.spec import FlagSpec
from ...core.vec import Vec3, dot, normalize, sub
from ..narrow import color_socket, float_socket, shader_tree
from ..nodes import fresh_material
from .lights import aimed_matrix

FLAG_ALBEDO = 0.03
DISK_SEGMENTS = 64


def _panel_vertices(panel: Panel, origin: Vec3) -> list[tuple[float, float, float]]:
    """Corners (or a disk's rim, area-equal) relative to ``origin``, clockwise seen from the face's
    back, so the polygon's normal is the face's (-cross(u, v))."""
    hu, hv = panel.len_u / 2.0, panel.len_v / 2.0
    if panel.round_shape:
        k = math.sqrt(math.pi / ((DISK_SEGMENTS / 2.0) * math.sin(2.0 * math.pi / DISK_SEGMENTS)))
        local = [(math.cos(t) * hu * k, -math.sin(t) * hv * k) for t in
                 (2.0 * math.pi * i / DISK_SEGMENTS for i in range(DISK_SEGMENTS))]
    else:
        local = [(-hu, -hv), (-hu, hv), (hu, hv), (hu, -hv)]
    out = []
    for a, b in local:
        p = [panel.centre[i] - origin[i] + panel.axis_u[i] * a + panel.axis_v[i] * b for i in range(3)]
        out.append((p[0], p[1], p[2]))
    return out


def _mesh(name: str, panels: tuple[Panel, ...], origin: Vec3) -> bpy.types.Mesh:
    verts: list[tuple[float, float, float]] = []
    faces: list[tuple[int, ...]] = []
    for panel in panels:
        corners = _panel_vertices(panel, origin)
        faces.append(tuple(range(len(verts), len(verts) + len(corners))))
        verts.extend(corners)
    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata(verts, [], faces)
    mesh.update()
    return mesh


def _reflector_material(kind: str, cos_incidence: float) -> bpy.types.Material:
    mat = fresh_material(f"PS_Bounce_{kind}")
    tree = shader_tree(mat)
    if kind in ("silver", "gold"):
        face = tree.nodes.new("ShaderNodeBsdfGlossy")
        if kind == "silver":
            rgb = ALUMINIUM_F0
        else:
            r, g, b = (fresnel_conductor(cos_incidence, n, k) for n, k in zip(AU_N, AU_K, strict=True))
            rgb = (r, g, b)
        color_socket(face.inputs["Color"]).default_value = (*rgb, 1.0)
        float_socket(face.inputs["Roughness"]).default_value = 0.0
    else:
        face = tree.nodes.new("ShaderNodeBsdfDiffuse")
        color_socket(face.inputs["Color"]).default_value = (WHITE_ALBEDO, WHITE_ALBEDO, WHITE_ALBEDO, 1.0)
    face.name = "bounce_face"
    back = tree.nodes.new("ShaderNodeBsdfDiffuse")
    color_socket(back.inputs["Color"]).default_value = (FLAG_ALBEDO, FLAG_ALBEDO, FLAG_ALBEDO, 1.0)
    geometry = tree.nodes.new("ShaderNodeNewGeometry")
    mix = tree.nodes.new("ShaderNodeMixShader")
    tree.links.new(geometry.outputs["Backfacing"], mix.inputs[0])
    tree.links.new(face.outputs[0], mix.inputs[1])
    tree.links.new(back.outputs[0], mix.inputs[2])
    out = tree.nodes.new("ShaderNodeOutputMaterial")
    tree.links.new(mix.outputs[0], out.inputs["Surface"])
    return mat


def _flag_material() -> bpy.types.Material:
    mat = fresh_material("PS_Flag")
    tree = shader_tree(mat)
    black = tree.nodes.new("ShaderNodeBsdfDiffuse")
    black.name = "flag_face"
    color_socket(black.inputs["Color"]).default_value = (FLAG_ALBEDO, FLAG_ALBEDO, FLAG_ALBEDO, 1.0)
    out = tree.nodes.new("ShaderNodeOutputMaterial")
    tree.links.new(black.outputs[0], out.inputs["Surface"])
    return mat


def _replace_mesh(obj: bpy.types.Object, mesh: bpy.types.Mesh, material: bpy.types.Material) -> None:
    old = obj.data
    obj.data = mesh
    if isinstance(old, bpy.types.Mesh) and old.users == 0:
        bpy.data.meshes.remove(old)
    mesh.materials.append(material)
    obj.visible_camera = False


def configure_bounce(obj: bpy.types.Object, placed: BouncePlacement, key_centre: Vec3) -> None:
    reflector = placed.reflector
    origin = reflector.position
    panel = reflector.panels[0]
    cos_incidence = abs(dot(normalize(sub(key_centre, panel.centre)), panel.normal))
    _replace_mesh(obj, _mesh(obj.name, reflector.panels, origin), _reflector_material(reflector.kind, cos_incidence))
    obj.matrix_world = Matrix.Translation(origin)


def configure_flag(obj: bpy.types.Object, flag: FlagSpec, focus: Vec3) -> None:
    position = light_position(focus, flag.azimuth_deg, flag.elevation_deg, flag.distance.metres)
    w, h = flag.width.metres / 2.0, flag.height.metres / 2.0
    mesh = bpy.data.meshes.new(obj.name)
    mesh.from_pydata([(-w, -h, 0.0), (-w, h, 0.0), (w, h, 0.0), (w, -h, 0.0)], [], [(0, 1, 2, 3)])
    mesh.update()
    _replace_mesh(obj, mesh, _flag_material())
    obj.matrix_world = aimed_matrix(position, focus)
