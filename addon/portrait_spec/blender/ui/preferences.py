"""Add-on preferences: default prompt target, length units for readouts, output folder.

``bl_idname`` must be the add-on's module name, which differs between a plain add-on
(``portrait_spec``) and an extension (``bl_ext.<repo>.portrait_spec``), so it is derived.
When the package is registered without being enabled as an add-on (tests, scripts), the
preferences do not exist and ``preferences_of`` returns the defaults below.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import bpy

from ...core.spec import PROMPT_TARGETS
from ..compat import EnumProperty, StringProperty
from ..narrow import lookup, present

ADDON_ID = __package__.removesuffix(".blender.ui")

DEFAULT_OUTPUT = "//portrait_spec_renders/"


@dataclass(frozen=True)
class PreferenceValues:
    prompt_target: str = "SPEC"
    units: str = "METRIC"
    output_folder: str = DEFAULT_OUTPUT
    preset_folder: str = ""


class PORTRAITSPEC_AP_preferences(bpy.types.AddonPreferences):
    bl_idname = ADDON_ID

    prompt_target: EnumProperty(  # type: ignore[valid-type]
        name="Default Prompt Target",
        description="Prompt shown, copied and exported when the panel's target is Default",
        items=(("SPEC", "As in the Spec", "Use the spec's prompt.target"),
               *((t, t.upper() if t == "sdxl" else t.capitalize(), f"Prompt for {t}") for t in PROMPT_TARGETS)),
    )
    units: EnumProperty(  # type: ignore[valid-type]
        name="Units",
        description="Units for the converted length readouts and for lengths read back from the scene",
        items=(("METRIC", "Metres", "Show lengths in metres"), ("IMPERIAL", "Feet", "Show lengths in feet")),
    )
    output_folder: StringProperty(  # type: ignore[valid-type]
        name="Output Folder", subtype="DIR_PATH", default=DEFAULT_OUTPUT,
        description="Where Render Reference writes; // is the .blend's folder (a temporary folder if unsaved)",
    )
    preset_folder: StringProperty(  # type: ignore[valid-type]
        name="User Presets", subtype="DIR_PATH", default="",
        description="Folder for your own presets (spec TOML files); empty uses Blender's user preset folder",
    )

    def draw(self, context: bpy.types.Context) -> None:
        layout = self.layout
        layout.use_property_split = True
        for name in ("prompt_target", "units", "output_folder", "preset_folder"):
            layout.prop(self, name)


def preferences_of(context: bpy.types.Context) -> PreferenceValues | PORTRAITSPEC_AP_preferences:
    addon = lookup(present(context.preferences, "Blender's preferences").addons, ADDON_ID)
    prefs = addon.preferences if addon is not None else None
    return prefs if isinstance(prefs, PORTRAITSPEC_AP_preferences) else PreferenceValues()


def resolve_folder(path: str, fallback_name: str) -> Path:
    """An absolute folder for a preference path; a // path in an unsaved file goes to the temp dir."""
    if path.startswith("//") and not bpy.data.filepath:
        return Path(tempfile.gettempdir()) / fallback_name / path[2:]
    return Path(bpy.path.abspath(path)).resolve()
