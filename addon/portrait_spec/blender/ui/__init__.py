"""The Blender user interface: sidebar panel, operators, presets and add-on preferences.

``registration`` is the only entry point the package uses; everything else is reached from it.
"""
