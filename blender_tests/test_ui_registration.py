"""Registration: one tuple of classes, nothing left behind after three register/unregister
cycles, every scene-changing operator undoable, preferences found as an add-on."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import addon_utils
import bpy
from ui_support import settings

import portrait_spec
import portrait_spec.blender.ui as ui_package
from portrait_spec.blender.ui import registration
from portrait_spec.blender.ui.preferences import ADDON_ID, PreferenceValues, preferences_of
from portrait_spec.blender.ui.properties import SCENE_PROPERTY

# Operators that only read the scene or write a file outside it.
READ_ONLY_OPERATORS = {"portrait_spec.prompt_copy", "portrait_spec.prompt_export"}


def _handler_state() -> dict[str, int]:
    return {name: len(getattr(bpy.app.handlers, name)) for name in dir(bpy.app.handlers)
            if isinstance(getattr(bpy.app.handlers, name), list)}


def _our_handlers() -> list[str]:
    return [f"{name}:{fn}" for name in dir(bpy.app.handlers) if isinstance(getattr(bpy.app.handlers, name), list)
            for fn in getattr(bpy.app.handlers, name) if getattr(fn, "__module__", "").startswith("portrait_spec")]


def _ui_classes_defined() -> set[type]:
    """Every Blender class defined anywhere in the ui package (generated ones included)."""
    found: set[type] = set()
    for info in pkgutil.iter_modules(ui_package.__path__):
        module = importlib.import_module(f"{ui_package.__name__}.{info.name}")
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, bpy.types.bpy_struct) and value.__module__ == module.__name__ \
                    and (hasattr(value, "bl_idname") or issubclass(value, bpy.types.PropertyGroup)) and not value.__name__.startswith("_"):
                found.add(value)
        for value in getattr(module, "CLASSES", ()):
            found.add(value)
    return found


def _operator_registered(idname: str) -> bool:
    module, name = idname.split(".")
    try:
        getattr(getattr(bpy.ops, module), name).get_rna_type()
    except KeyError:
        return False
    return True


def test_every_ui_class_is_in_the_one_registration_tuple():
    defined = _ui_classes_defined()
    assert defined <= set(registration.CLASSES), {c.__name__ for c in defined - set(registration.CLASSES)}
    assert len(set(registration.CLASSES)) == len(registration.CLASSES)


def test_three_register_unregister_cycles_leave_nothing_behind(scene):
    handlers = _handler_state()
    for _ in range(3):
        portrait_spec.register()
        assert all(cls.is_registered for cls in registration.CLASSES)
        assert hasattr(bpy.types.Scene, SCENE_PROPERTY)
        assert _operator_registered("portrait_spec.build_studio")
        assert settings(scene).spec.lights.fill.stops == -2.0
        portrait_spec.unregister()
        assert not any(cls.is_registered for cls in registration.CLASSES)
        assert not hasattr(bpy.types.Scene, SCENE_PROPERTY)
        assert SCENE_PROPERTY not in bpy.types.Scene.bl_rna.properties
        assert not [name for name in dir(bpy.types) if name.startswith("PORTRAITSPEC_")]
        operators = [cls.bl_idname for cls in registration.CLASSES if issubclass(cls, bpy.types.Operator)]
        assert operators and not [op for op in operators if _operator_registered(op)]
        assert _handler_state() == handlers
        assert _our_handlers() == []


def test_scene_changing_operators_are_undoable_and_say_why_when_greyed_out():
    operators = [cls for cls in registration.CLASSES if issubclass(cls, bpy.types.Operator)]
    assert len(operators) >= 13
    for cls in operators:
        assert "REGISTER" in cls.bl_options, cls.bl_idname
        if cls.bl_idname not in READ_ONLY_OPERATORS:
            assert "UNDO" in cls.bl_options, cls.bl_idname
        assert (cls.__doc__ or "").strip(), f"{cls.bl_idname} has no tooltip"


def test_panels_live_in_the_portrait_sidebar_tab():
    from portrait_spec.blender.ui.panel import CLASSES as PANELS

    labels = [cls.bl_label for cls in PANELS]
    assert labels == ["Portrait Spec", "Backdrop", "Lights", "Subject and Skin", "Gold", "Camera", "Render", "Prompt"]
    for cls in PANELS:
        assert (cls.bl_space_type, cls.bl_region_type, cls.bl_category) == ("VIEW_3D", "UI", "Portrait")


def test_preferences_id_is_derived_from_the_package():
    assert ADDON_ID == portrait_spec.__name__
    assert ADDON_ID == "portrait_spec"  # as imported from addon/ here; bl_ext.<repo>.portrait_spec as an extension


def test_preferences_exist_when_enabled_as_an_add_on_and_defaults_otherwise(scene):
    assert preferences_of(bpy.context) == PreferenceValues()
    addon_utils.enable(ADDON_ID, default_set=True, handle_error=None)
    try:
        prefs = preferences_of(bpy.context)
        assert not isinstance(prefs, PreferenceValues)
        assert (prefs.prompt_target, prefs.units) == ("SPEC", "METRIC")
        prefs.units = "IMPERIAL"
        assert preferences_of(bpy.context).units == "IMPERIAL"
    finally:
        addon_utils.disable(ADDON_ID, default_set=True, handle_error=None)
    assert not any(cls.is_registered for cls in registration.CLASSES)
    assert preferences_of(bpy.context) == PreferenceValues()


