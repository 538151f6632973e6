"""Small builders for shader node trees that are rebuilt from the spec on every update.

A material keeps its name and datablock (so objects stay linked to it) while its node tree is
cleared and rebuilt: an update never accumulates stale nodes. Key nodes get stable names so
tests and the read-back can find them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import bpy

from .compat import ensure_material_nodes
from .narrow import float_socket, of_type, shader_tree, vector_socket

if TYPE_CHECKING:
    from bpy.stub_internal.rna_enums import NodeMathItems

Socket = bpy.types.NodeSocket


def fresh_material(name: str) -> bpy.types.Material:
    """The material ``name`` with an empty node tree (created if missing)."""
    mat = bpy.data.materials.get(name) or bpy.data.materials.new(name)
    ensure_material_nodes(mat)
    shader_tree(mat).nodes.clear()
    return mat


def node(mat: bpy.types.Material, kind: str, name: str | None = None, location: tuple[float, float] = (0.0, 0.0)) -> bpy.types.Node:
    n = shader_tree(mat).nodes.new(kind)
    if name:
        n.name = name
        n.label = name
    n.location = location
    return n


def link(mat: bpy.types.Material, out: Socket, into: Socket) -> None:
    shader_tree(mat).links.new(out, into)


def value_out(n: bpy.types.Node) -> Socket:
    """The scalar output of an Attribute node ("Fac" in 4.5, "Factor" in 5.0)."""
    return n.outputs[2]


def mask(mat: bpy.types.Material, region: str, location: tuple[float, float]) -> bpy.types.Node:
    """A region weight read from the mesh's vertex group (or attribute) of the same name."""
    n = node(mat, "ShaderNodeAttribute", f"mask_{region}", location)
    attribute = of_type(n, bpy.types.ShaderNodeAttribute)
    attribute.attribute_type = "GEOMETRY"
    attribute.attribute_name = region
    return n


def union(mat: bpy.types.Material, regions: tuple[str, ...], name: str, location: tuple[float, float]) -> Socket | None:
    """Clamped sum of region masks; None when there are no regions."""
    out: Socket | None = None
    for i, region in enumerate(regions):
        m = value_out(mask(mat, region, (location[0] - 200.0, location[1] - 120.0 * i)))
        if out is None:
            out = m
            continue
        add = node(mat, "ShaderNodeMath", f"{name}_{i}", (location[0], location[1] - 120.0 * i))
        typed = of_type(add, bpy.types.ShaderNodeMath)
        typed.operation = "ADD"
        typed.use_clamp = True
        link(mat, out, add.inputs[0])
        link(mat, m, add.inputs[1])
        out = add.outputs[0]
    return out


def socket(sockets: bpy.types.NodeInputs | bpy.types.NodeOutputs, identifier: str) -> Socket:
    """A socket by identifier: the Mix node has same-named sockets per data type."""
    return next(s for s in sockets if s.identifier == identifier)


def mix_float(mat: bpy.types.Material, name: str, factor: Socket, a: float | Socket, b: float | Socket,
              location: tuple[float, float]) -> Socket:
    n = node(mat, "ShaderNodeMix", name, location)
    of_type(n, bpy.types.ShaderNodeMix).data_type = "FLOAT"
    link(mat, factor, socket(n.inputs, "Factor_Float"))
    for value, ident in ((a, "A_Float"), (b, "B_Float")):
        sock = socket(n.inputs, ident)
        if isinstance(value, bpy.types.NodeSocket):
            link(mat, value, sock)
        else:
            float_socket(sock).default_value = float(value)
    return socket(n.outputs, "Result_Float")


def mix_vector(mat: bpy.types.Material, name: str, factor: Socket, a: tuple[float, float, float], b: tuple[float, float, float],
               location: tuple[float, float]) -> Socket:
    n = node(mat, "ShaderNodeMix", name, location)
    mix = of_type(n, bpy.types.ShaderNodeMix)
    mix.data_type = "VECTOR"
    mix.factor_mode = "UNIFORM"
    link(mat, factor, socket(n.inputs, "Factor_Float"))
    vector_socket(socket(n.inputs, "A_Vector")).default_value = a
    vector_socket(socket(n.inputs, "B_Vector")).default_value = b
    return socket(n.outputs, "Result_Vector")


def math(mat: bpy.types.Material, op: NodeMathItems, a: float | Socket, b: float | Socket, location: tuple[float, float],
         name: str | None = None, clamp: bool = False) -> Socket:
    n = node(mat, "ShaderNodeMath", name, location)
    typed = of_type(n, bpy.types.ShaderNodeMath)
    typed.operation = op
    typed.use_clamp = clamp
    for value, sock in ((a, n.inputs[0]), (b, n.inputs[1])):
        if isinstance(value, bpy.types.NodeSocket):
            link(mat, value, sock)
        else:
            float_socket(sock).default_value = float(value)
    return n.outputs[0]
