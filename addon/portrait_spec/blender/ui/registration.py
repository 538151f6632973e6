"""Registering and unregistering every UI class from one tuple, in order and in reverse."""

from __future__ import annotations

import bpy

CLASSES: tuple[type, ...] = ()


def register() -> None:
    for cls in CLASSES:
        bpy.utils.register_class(cls)


def unregister() -> None:
    for cls in reversed(CLASSES):
        bpy.utils.unregister_class(cls)
