"""Shared helpers for the UI tests: registering the add-on, a recording layout, the user's own
objects (which must survive every operator), undo in background mode, and poll reasons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bpy
import pytest

import portrait_spec
from portrait_spec.blender.ui.properties import SCENE_PROPERTY
from portrait_spec.core import fields as f
from portrait_spec.core.fields import FieldMeta
from portrait_spec.core.spec import Spec

ROOT = Path(__file__).resolve().parents[1]
PRESETS = sorted((ROOT / "scenes").glob("*.toml"))


@pytest.fixture(name="ui")
def ui_fixture(scene: bpy.types.Scene) -> Iterator[bpy.types.Scene]:
    """A fresh empty scene with the add-on registered; unregistered afterwards (Blender can hang
    at exit with classes left registered)."""
    portrait_spec.register()
    try:
        yield bpy.context.scene
    finally:
        portrait_spec.unregister()


def settings(scene: bpy.types.Scene | None = None) -> Any:
    return getattr(scene or bpy.context.scene, SCENE_PROPERTY)


# --- the user's own objects --------------------------------------------------------------------

# Every operator test runs on a fresh scene and on one that already holds the user's objects.
WITH_USER = pytest.mark.parametrize("user_objects", [False, True], ids=["fresh", "with-user-objects"])


def prepare(scene: bpy.types.Scene, user_objects: bool) -> dict[str, Any]:
    """Add the user's objects when asked; returns their snapshot ({} when there are none)."""
    return add_user_objects(scene) if user_objects else {}



def add_user_objects(scene: bpy.types.Scene) -> dict[str, Any]:
    """A mesh with its own material, a light and a camera that the add-on must never touch."""
    mesh = bpy.data.meshes.new("UserMesh")
    mesh.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
    obj = bpy.data.objects.new("UserMesh", mesh)
    mat = bpy.data.materials.new("UserPaint")
    mesh.materials.append(mat)
    obj.location = (4.0, -3.0, 0.5)
    scene.collection.objects.link(obj)
    light = bpy.data.objects.new("UserLamp", bpy.data.lights.new("UserLamp", "POINT"))
    light.location = (-3.0, -2.0, 2.0)
    light.data.energy = 123.0
    scene.collection.objects.link(light)
    cam = bpy.data.objects.new("UserCam", bpy.data.cameras.new("UserCam"))
    cam.location = (0.0, -9.0, 1.0)
    scene.collection.objects.link(cam)
    return snapshot_user_objects()


def snapshot_user_objects() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in ("UserMesh", "UserLamp", "UserCam"):
        obj = bpy.data.objects.get(name)
        if obj is None:
            continue
        state: dict[str, Any] = {"location": tuple(round(c, 6) for c in obj.location), "data": obj.data.name,
                                 "role": obj.get("portrait_spec_role")}
        if obj.type == "MESH":
            state["materials"] = [m.name if m else None for m in obj.data.materials]
            state["vertices"] = len(obj.data.vertices)
        if obj.type == "LIGHT":
            state["energy"] = obj.data.energy
        found[name] = state
    return found


def assert_user_objects_unchanged(before: dict[str, Any]) -> None:
    assert snapshot_user_objects() == before


# --- undo in background mode -------------------------------------------------------------------


def undo_once() -> None:
    """``ed.undo`` needs a window and an area in context; background mode has both, unfocused."""
    window = bpy.context.window_manager.windows[0]
    area = next(a for a in window.screen.areas if a.type == "VIEW_3D")
    with bpy.context.temp_override(window=window, area=area):
        bpy.ops.ed.undo()


def mark_undo_point() -> None:
    """Push a step whose state carries a marker, so an undo that lands here can be told apart from
    one that goes further back (which is what happens when an operator pushes no step)."""
    bpy.ops.ed.undo_push(message="before marker")
    settings().preset_name = "undo marker"
    bpy.ops.ed.undo_push(message="undo marker")


def at_marker() -> bool:
    return settings().preset_name == "undo marker"


# --- poll reasons ------------------------------------------------------------------------------


def poll_with_reason(cls: type, context: Any) -> tuple[bool, list[str]]:
    messages: list[str] = []
    probe = type("Probe", (cls,), {"poll_message_set": classmethod(lambda c, msg, *a: messages.append(msg))})
    return bool(probe.poll(context)), messages


# --- a recording layout ------------------------------------------------------------------------

CONTAINERS = frozenset({"row", "column", "box", "split", "grid_flow", "column_flow"})


class OperatorProps:
    def __init__(self, idname: str) -> None:
        object.__setattr__(self, "idname", idname)
        object.__setattr__(self, "values", {})

    def __setattr__(self, name: str, value: Any) -> None:
        self.values[name] = value


class Recorder:
    """Stands in for ``UILayout``: records every call and checks each one the way Blender would
    (a missing property or operator in a real layout only prints, so the panel would silently
    lose a field)."""

    def __init__(self, log: list[tuple[str, tuple[Any, ...], dict[str, Any]]]) -> None:
        object.__setattr__(self, "_log", log)

    def __setattr__(self, name: str, value: Any) -> None:
        self._log.append(("set", (name, value), {}))

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            self._log.append((name, args, kwargs))
            if name in CONTAINERS:
                return Recorder(self._log)
            if name == "panel":
                return Recorder(self._log), Recorder(self._log)
            if name in ("prop", "prop_enum"):
                data, prop = args[0], args[1]
                assert prop in data.bl_rna.properties, f"layout.{name}: {data!r} has no property {prop!r}"
                if name == "prop_enum":
                    items = data.bl_rna.properties[prop].enum_items
                    assert args[2] in items, f"{prop} has no item {args[2]!r}"
                return None
            if name == "operator":
                module, op = args[0].split(".")
                getattr(getattr(bpy.ops, module), op).get_rna_type()  # raises KeyError if not registered
                props = OperatorProps(args[0])
                self._log.append(("operator_props", (props,), {}))
                return props
            if name == "menu":
                assert hasattr(bpy.types, args[0]), f"no menu {args[0]}"
            return None

        return call


class PanelSelf:
    """``self`` for calling a Panel or Menu class's draw() with a recording layout."""

    def __init__(self, cls: type, layout: Recorder) -> None:
        self._cls = cls
        self.layout = layout

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._cls, name)
        if callable(attr) and hasattr(attr, "__get__") and not isinstance(attr, type):
            return attr.__get__(self)
        return attr


def draw_with_recorder(cls: type, context: Any) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    log: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
    cls.draw(PanelSelf(cls, Recorder(log)), context)  # type: ignore[attr-defined]
    return log


def leaf_fields(cls: type = Spec, path: str = "") -> Iterator[tuple[str, str, FieldMeta]]:
    """(section path, field name, metadata) of every non-section field of the spec."""
    for name, meta in f.spec_fields(cls):
        if isinstance(meta, f.Section):
            yield from leaf_fields(meta.cls, f"{path}.{name}" if path else name)
        else:
            yield path, name, meta


def section_paths(cls: type = Spec, path: str = "") -> Iterator[str]:
    for name, meta in f.spec_fields(cls):
        if isinstance(meta, f.Section):
            here = f"{path}.{name}" if path else name
            yield here
            yield from section_paths(meta.cls, here)
