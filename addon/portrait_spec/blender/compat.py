"""Where Blender versions differ, in one place (4.5 LTS, 5.2 LTS, 5.3).

Blender 5.0 made node trees always on for materials, worlds and lights and deprecated their
``use_nodes`` switches (writing them warns); 4.5 still needs the switch.

The type stubs differ as well (fake-bpy-module's 4.5 and 5.2 releases, both checked by mypy):
an ignore that one release needs and the other does not lists ``unused-ignore`` among its codes.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Literal, ParamSpec

import bpy

from .narrow import present

P = ParamSpec("P")

NODES_ALWAYS_ON = bpy.app.version >= (5, 0, 0)
# Blender 5.0 moved multilayer EXR out of the file formats into ImageFormatSettings.media_type.
MEDIA_TYPES = bpy.app.version >= (5, 0, 0)
MediaType = Literal["IMAGE", "MULTI_LAYER_IMAGE", "VIDEO"]


def _definition(define: Callable[P, object]) -> Callable[P, object]:
    """``define`` itself, typed as returning a value: a ``bpy.props`` function returns the property
    definition that Blender reads from a class's annotations
    (https://docs.blender.org/api/current/bpy.props.html); the 4.5 stubs say it returns None."""
    return define


BoolProperty = _definition(bpy.props.BoolProperty)
CollectionProperty = _definition(bpy.props.CollectionProperty)
EnumProperty = _definition(bpy.props.EnumProperty)
FloatProperty = _definition(bpy.props.FloatProperty)
FloatVectorProperty = _definition(bpy.props.FloatVectorProperty)
IntProperty = _definition(bpy.props.IntProperty)
IntVectorProperty = _definition(bpy.props.IntVectorProperty)
PointerProperty = _definition(bpy.props.PointerProperty)
StringProperty = _definition(bpy.props.StringProperty)


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


def scene_context(scene: bpy.types.Scene, view_layer: bpy.types.ViewLayer | None = None) -> AbstractContextManager[object]:
    """``bpy.context`` with ``scene`` (and ``view_layer``) in it, for an operator run on a scene
    that is not the window's."""
    if view_layer is None:
        override = bpy.context.temp_override(scene=scene)
    else:
        override = bpy.context.temp_override(scene=scene, view_layer=view_layer)
    # The 5.2 stubs give ContextTempOverride no __enter__/__exit__; it is a context manager
    # (https://docs.blender.org/api/current/bpy.types.Context.html#bpy.types.Context.temp_override).
    return override  # type: ignore[return-value, unused-ignore]


def media_type(settings: bpy.types.ImageFormatSettings) -> MediaType | None:
    """The media type of ``settings``; None before Blender 5, which has none."""
    if not MEDIA_TYPES:
        return None
    return settings.media_type  # type: ignore[attr-defined, unused-ignore]  # a 5.x property: not in the 4.5 stubs


def set_media_type(settings: bpy.types.ImageFormatSettings, media: MediaType) -> None:
    """Set the media type (Blender 5; nothing to set before)."""
    if MEDIA_TYPES:
        settings.media_type = media  # type: ignore[attr-defined, unused-ignore]  # a 5.x property: not in the 4.5 stubs


def set_modifier_input(modifier: bpy.types.NodesModifier, identifier: str, value: float | int | bool) -> None:
    """A Geometry Nodes modifier's input value: ID properties on the modifier in 4.5
    (``modifier["Socket_0"]``), ``modifier.properties.inputs.Socket_0.value`` in 5.x, where the
    modifier no longer takes ID properties."""
    if NODES_ALWAYS_ON:
        socket = getattr(modifier.properties.inputs, identifier)  # type: ignore[attr-defined, union-attr, unused-ignore]
        socket.value = value
    else:
        modifier[identifier] = value


# Blender 5.0 gave the compositor node groups of its own (``Scene.compositing_node_group``, the
# image leaving through a Group Output) in place of the scene's node tree and its Composite node;
# 5.3 holds them in a scene's compositor effects and deprecates ``compositing_node_group``.
COMPOSITOR_GROUPS = bpy.app.version >= (5, 0, 0)
COMPOSITOR_EFFECTS = bpy.app.version >= (5, 3, 0)


def compositor_tree(scene: bpy.types.Scene, name: str) -> tuple[bpy.types.NodeTree, bpy.types.NodeSocket]:
    """A new, empty compositor node tree on ``scene`` and the socket whose image rendering the
    scene gives (the Composite node's in 4.5, a Group Output's in 5.x)."""
    if COMPOSITOR_GROUPS:
        tree = bpy.data.node_groups.new(name, "CompositorNodeTree")
        if COMPOSITOR_EFFECTS:  # not in the 5.2 stubs
            scene.compositor_effects.new(name=name).node_group = tree  # type: ignore[attr-defined, unused-ignore]
        else:
            scene.compositing_node_group = tree  # type: ignore[attr-defined, unused-ignore]  # 5.x: not in the 4.5 stubs
        interface = present(tree.interface, f"node group {name!r} interface")
        # The 5.2 stubs allow only "DEFAULT" as a socket type; Blender takes any socket idname.
        interface.new_socket("Image", in_out="OUTPUT", socket_type="NodeSocketColor")  # type: ignore[arg-type, unused-ignore]
        output = tree.nodes.new("NodeGroupOutput")
        return tree, output.inputs[0]
    scene.use_nodes = True
    composite = present(scene.node_tree, f"scene {scene.name!r} compositor node tree")  # type: ignore[attr-defined, unused-ignore]  # 4.x only
    for node in list(composite.nodes):
        composite.nodes.remove(node)
    return composite, composite.nodes.new("CompositorNodeComposite").inputs["Image"]


def set_denoise_options(node: bpy.types.Node, prefilter: str, quality: str) -> None:
    """The Denoise node's prefilter and quality as Cycles names them (``ACCURATE``, ``HIGH``):
    properties of the node in 4.5, menu inputs named in title case in 5.x."""
    if COMPOSITOR_GROUPS:
        node.inputs["Prefilter"].default_value = prefilter.title()  # type: ignore[attr-defined, unused-ignore]
        node.inputs["Quality"].default_value = quality.title()  # type: ignore[attr-defined, unused-ignore]
    else:
        node.prefilter = prefilter  # type: ignore[attr-defined, unused-ignore]
        node.quality = quality  # type: ignore[attr-defined, unused-ignore]
