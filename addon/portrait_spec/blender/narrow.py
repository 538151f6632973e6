"""Blender data as the type the code needs, checked where it is read.

fake-bpy-module types ``Object.data`` as the union of every datablock, pointer properties
(``Material.node_tree``, ``Camera.dof``, ``Scene.view_settings`` ...) as optional, ``Nodes.new``
as returning a plain ``Node`` and every socket as a ``NodeSocket`` without ``default_value``; the
settings the Cycles add-on registers are not in the stubs at all. Each accessor here checks at
run time that the object is what the caller needs and raises a TypeError naming it otherwise, so
a wrong object fails where it is taken, by name, and mypy sees the type the object really has.

Sockets are checked by their RNA ``type`` (``VALUE``, ``RGBA``, ``VECTOR``), not their class:
Blender adds socket subclasses between versions (5.x adds ``NodeSocketFloatPixel``), and every
subclass of a type has the same ``default_value``. Socket values are typed by protocols because
the 5.x stubs declare array values as a bare ``bpy_prop_array`` (no indexing, iteration or
assignment), while Blender reads and writes them as sequences of floats
(https://docs.blender.org/api/current/bpy.types.bpy_prop_array.html).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol, TypeGuard, TypeVar

import bpy

T = TypeVar("T")
ItemT = TypeVar("ItemT")
DataT = TypeVar("DataT", bound=bpy.types.ID)


def lookup(collection: bpy.types.bpy_prop_collection[ItemT], key: str) -> ItemT | None:
    """``collection.get(key)``, which the stubs type as always None (they bind its result to the
    type of the absent ``default``)."""
    return collection[key] if key in collection else None


def of_type(value: object, kind: type[T]) -> T:
    """``value``, which must be a ``kind``: a node of a known ``bl_idname``, a modifier or an
    attribute we added, which the stubs type as their base class (``Node``, ``Modifier``,
    ``Attribute``). A typed node's stub declares its sockets optional: keep the plain ``Node`` for
    its sockets and this for its own properties."""
    if not isinstance(value, kind):
        raise TypeError(f"{value!r} is a {type(value).__name__}, not a {kind.__name__}")
    return value


def present(value: T | None, what: str) -> T:
    """``value``, which Blender always sets (the stubs type every pointer property as optional)."""
    if value is None:
        raise TypeError(f"{what} is missing")
    return value


# Display devices, view transforms and looks are enums whose items come from the OpenColorIO
# configuration at run time, so the stubs know only their default item, "NONE".


def colour_space(image: bpy.types.Image) -> str:
    name: str = present(image.colorspace_settings, f"image {image.name!r} colour space").name
    return name


def set_display_device(display: bpy.types.ColorManagedDisplaySettings, device: str) -> None:
    display.display_device = device  # type: ignore[assignment]


def set_view_transform(view: bpy.types.ColorManagedViewSettings, transform: str) -> None:
    """The view transform ``transform``, with no look."""
    view.view_transform = transform  # type: ignore[assignment]
    view.look = "None"  # type: ignore[assignment]


# --- object data --------------------------------------------------------------------------------


def data_of(obj: bpy.types.Object, kind: type[DataT]) -> DataT:
    """The object's data, which must be a ``kind``."""
    data = obj.data
    if not isinstance(data, kind):
        held = "no data" if data is None else f"{type(data).__name__} {data.name!r}"
        raise TypeError(f"object {obj.name!r} holds {held}, not a {kind.__name__}")
    return data


def light_of(obj: bpy.types.Object) -> bpy.types.Light:
    return data_of(obj, bpy.types.Light)


def area_light(obj: bpy.types.Object) -> bpy.types.AreaLight:
    return data_of(obj, bpy.types.AreaLight)


RigLight = bpy.types.AreaLight | bpy.types.PointLight | bpy.types.SpotLight


def rig_light(obj: bpy.types.Object) -> RigLight:
    """A key, fill or rim light's data: area, point (bare flash) or spot (Fresnel)."""
    light = light_of(obj)
    if not isinstance(light, (bpy.types.AreaLight, bpy.types.PointLight, bpy.types.SpotLight)):
        raise TypeError(f"object {obj.name!r} holds a {light.type.lower()} light, not an area, point or spot light")
    return light


def mesh_of(obj: bpy.types.Object) -> bpy.types.Mesh:
    return data_of(obj, bpy.types.Mesh)


def camera_of(obj: bpy.types.Object) -> bpy.types.Camera:
    return data_of(obj, bpy.types.Camera)


# --- array properties ---------------------------------------------------------------------------


def values_of(array: bpy.types.bpy_prop_array) -> tuple[float, ...]:
    """The values of an array property (``Image.size``, a colour): the 5.x stubs declare
    ``bpy_prop_array`` without indexing or iteration."""
    return tuple(float(v) for v in array)  # type: ignore[attr-defined, unused-ignore]


def pixels_of(image: bpy.types.Image) -> bpy.types.bpy_prop_array:
    """``image.pixels``, the flat float array (the 4.5 stubs type it as one float)."""
    return image.pixels  # type: ignore[return-value, unused-ignore]


# --- node trees and nodes -----------------------------------------------------------------------


def shader_tree(owner: bpy.types.Material | bpy.types.World) -> bpy.types.ShaderNodeTree:
    """The node tree of a material or world that uses nodes."""
    return present(owner.node_tree, f"{type(owner).__name__} {owner.name!r} node tree")


def from_nodes(socket: bpy.types.NodeSocket) -> list[bpy.types.Node]:
    """The nodes linked into ``socket`` (the stubs type a socket's links and a link's ends as
    optional)."""
    return [node for link in socket.links or () if (node := link.from_node) is not None]


# --- socket values ------------------------------------------------------------------------------


class FloatSocket(Protocol):
    """A socket of RNA type ``VALUE``."""

    default_value: float


class StringSocket(Protocol):
    """A socket of RNA type ``STRING``."""

    default_value: str


class ArraySocket(Protocol):
    """A socket of RNA type ``RGBA`` (4 values) or ``VECTOR`` (3)."""

    default_value: Sequence[float]


def _is_float(socket: bpy.types.NodeSocket) -> TypeGuard[FloatSocket]:
    return socket.type == "VALUE"


def _is_string(socket: bpy.types.NodeSocket) -> TypeGuard[StringSocket]:
    return socket.type == "STRING"


def _is_array(socket: bpy.types.NodeSocket, kind: Literal["RGBA", "VECTOR"]) -> TypeGuard[ArraySocket]:
    return socket.type == kind


def _wrong(socket: bpy.types.NodeSocket, wanted: str) -> TypeError:
    node = f" of node {socket.node.name!r}" if socket.node is not None else ""
    return TypeError(f"socket {socket.identifier!r}{node} is {socket.type}, not {wanted}")


def float_socket(socket: bpy.types.NodeSocket) -> FloatSocket:
    if not _is_float(socket):
        raise _wrong(socket, "VALUE")
    return socket


def string_socket(socket: bpy.types.NodeSocket) -> StringSocket:
    if not _is_string(socket):
        raise _wrong(socket, "STRING")
    return socket


def color_socket(socket: bpy.types.NodeSocket) -> ArraySocket:
    if not _is_array(socket, "RGBA"):
        raise _wrong(socket, "RGBA")
    return socket


def vector_socket(socket: bpy.types.NodeSocket) -> ArraySocket:
    if not _is_array(socket, "VECTOR"):
        raise _wrong(socket, "VECTOR")
    return socket


# --- the Cycles add-on's settings ---------------------------------------------------------------
# The add-on registers them as property groups (intern/cycles/blender/addon/properties.py in
# Blender's source), so the stubs know none of them; these protocols list what we use.


class CyclesRender(Protocol):
    """``Scene.cycles`` (CyclesRenderSettings)."""

    device: Literal["CPU", "GPU"]
    samples: int
    seed: int
    time_limit: float
    use_adaptive_sampling: bool
    adaptive_threshold: float
    adaptive_min_samples: int
    use_denoising: bool
    denoiser: Literal["OPENIMAGEDENOISE", "OPTIX"]
    denoising_input_passes: Literal["RGB", "RGB_ALBEDO", "RGB_ALBEDO_NORMAL"]
    denoising_prefilter: Literal["NONE", "FAST", "ACCURATE"]
    use_light_tree: bool
    use_guiding: bool
    caustics_reflective: bool
    caustics_refractive: bool
    sample_clamp_direct: float
    sample_clamp_indirect: float
    blur_glossy: float
    max_bounces: int
    diffuse_bounces: int
    glossy_bounces: int
    transmission_bounces: int
    transparent_max_bounces: int
    volume_bounces: int


class CyclesLayer(Protocol):
    """``ViewLayer.cycles`` (CyclesRenderLayerSettings)."""

    denoising_store_passes: bool


class CyclesMaterial(Protocol):
    """``Material.cycles`` (CyclesMaterialSettings)."""

    emission_sampling: Literal["NONE", "AUTO", "FRONT", "BACK", "FRONT_BACK"]


def use_cycles(scene: bpy.types.Scene) -> CyclesRender:
    """Render ``scene`` with Cycles; its settings. The engine enum lists the engines registered at
    run time (Cycles is an add-on); the stubs list only the built-in ones. Only a change is
    assigned: setting the engine, even to the one it has, makes Cycles drop its persistent data."""
    engine: str = scene.render.engine
    if engine != "CYCLES":
        scene.render.engine = "CYCLES"  # type: ignore[assignment]
    return cycles_of(scene)


def _cycles(owner: bpy.types.bpy_struct, rna: str) -> Any:
    settings = owner.path_resolve("cycles")
    if not isinstance(settings, bpy.types.PropertyGroup) or type(settings).__name__ != rna:
        raise TypeError(f"{owner!r} has no {rna}: is the Cycles add-on enabled?")
    return settings


def cycles_of(scene: bpy.types.Scene) -> CyclesRender:
    return _cycles(scene, "CyclesRenderSettings")


def cycles_layer_of(view_layer: bpy.types.ViewLayer) -> CyclesLayer:
    return _cycles(view_layer, "CyclesRenderLayerSettings")


def cycles_material_of(material: bpy.types.Material) -> CyclesMaterial:
    return _cycles(material, "CyclesMaterialSettings")
