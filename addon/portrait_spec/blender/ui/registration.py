"""Registering and unregistering every UI class from one tuple, in order and in reverse.

The order matters: property groups before the classes that point at them, operators and the
preset menu before the panels that draw them. The scene property is added after the classes
and removed before them. The add-on installs no handlers and keeps no module-level state.
"""

from __future__ import annotations

import bpy

from ..compat import PointerProperty
from . import operators, panel, presets, prompt_ops, properties
from .preferences import PORTRAITSPEC_AP_preferences

CLASSES: tuple[type, ...] = (
    *properties.CLASSES,
    PORTRAITSPEC_AP_preferences,
    *operators.CLASSES,
    *prompt_ops.CLASSES,
    *presets.CLASSES,
    *panel.CLASSES,
)


def register() -> None:
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    setattr(bpy.types.Scene, properties.SCENE_PROPERTY,
            PointerProperty(type=properties.PORTRAITSPEC_PG_settings, name="Portrait Spec"))


def unregister() -> None:
    if hasattr(bpy.types.Scene, properties.SCENE_PROPERTY):
        delattr(bpy.types.Scene, properties.SCENE_PROPERTY)
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
