"""Presets are spec TOML files: the shipped ``scenes/`` and the user's own preset folder.

The preset menu lists both (Blender's ``Menu.path_menu``); loading validates the file exactly
as the CLI does and fills the panel; saving writes the panel's spec with ``core.toml_io``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import bpy

from ...core.errors import SpecError
from ...core.toml_io import dumps_spec, load_spec
from ..compat import BoolProperty, StringProperty
from ..narrow import present
from .operators import panel_spec
from .preferences import ADDON_ID, preferences_of
from .properties import settings_of
from .spec_bridge import props_from_spec

if TYPE_CHECKING:
    from bpy.stub_internal.rna_enums import OperatorReturnItems

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
PRESET_EXT = ".toml"
USER_SUBDIR = "presets"


def shipped_dirs() -> list[Path]:
    """``scenes/`` inside the package (an installed extension) or beside ``addon/`` (a checkout)."""
    candidates = (PACKAGE_ROOT / "scenes", PACKAGE_ROOT.parents[1] / "scenes")
    return [d for d in candidates if d.is_dir()]


def user_dir(context: bpy.types.Context, create: bool = False) -> Path:
    chosen = preferences_of(context).preset_folder
    if chosen:
        folder = Path(bpy.path.abspath(chosen))
    elif ADDON_ID.startswith("bl_ext."):
        folder = Path(bpy.utils.extension_path_user(ADDON_ID, path=USER_SUBDIR, create=create))
    else:
        folder = Path(bpy.utils.user_resource("SCRIPTS", path=f"presets/{ADDON_ID}", create=create))
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def preset_dirs(context: bpy.types.Context) -> list[Path]:
    user = user_dir(context)
    return [*shipped_dirs(), *([user] if user.is_dir() else [])]


def display_name(path: str) -> str:
    return Path(path).stem.replace("_", " ").title()


class PORTRAITSPEC_MT_presets(bpy.types.Menu):
    """Scene presets: the shipped scenes and your own saved specs"""

    bl_idname = "PORTRAITSPEC_MT_presets"
    bl_label = "Presets"

    def draw(self, context: bpy.types.Context | None) -> None:
        context = present(context, "context")
        self.path_menu(
            [str(d) for d in preset_dirs(context)], PORTRAITSPEC_OT_preset_load.bl_idname,
            filter_ext=lambda ext: ext.lower() == PRESET_EXT, display_name=display_name,
        )
        layout = present(self.layout, "preset menu layout")
        layout.separator()
        layout.operator(PORTRAITSPEC_OT_preset_save.bl_idname, icon="ADD")


class PORTRAITSPEC_OT_preset_load(bpy.types.Operator):
    """Fill the panel from a preset (a spec TOML file); nothing is built until you build"""

    bl_idname = "portrait_spec.preset_load"
    bl_label = "Load Preset"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)

    filepath: StringProperty(name="Preset File", subtype="FILE_PATH", options={"SKIP_SAVE"})  # type: ignore[valid-type]

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        context = present(context, "context")
        return context.scene is not None

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        path = Path(bpy.path.abspath(self.filepath))
        try:
            spec = load_spec(path)
        except SpecError as exc:
            self.report({"ERROR"}, exc.message())
            return {"CANCELLED"}
        settings = settings_of(context.scene)
        props_from_spec(settings.spec, spec)
        settings.preset_name = display_name(str(path))
        # A model path in the preset is relative to the preset's own folder.
        settings.spec_dir = str(path.parent)
        self.report({"INFO"}, f"Loaded preset {settings.preset_name}")
        return {"FINISHED"}


class PORTRAITSPEC_OT_preset_save(bpy.types.Operator):
    """Save the panel's spec as a preset (a TOML file in your preset folder)"""

    bl_idname = "portrait_spec.preset_save"
    bl_label = "Save Preset"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)

    name: StringProperty(name="Name", default="My Portrait", description="Preset name (also the file name)")  # type: ignore[valid-type]
    directory: StringProperty(  # type: ignore[valid-type]
        name="Folder", subtype="DIR_PATH", default="", options={"SKIP_SAVE"},
        description="Folder to save into; empty uses your preset folder",
    )
    overwrite: BoolProperty(name="Overwrite", default=False, description="Replace a preset of the same name")  # type: ignore[valid-type]

    def invoke(self, context: bpy.types.Context | None, event: bpy.types.Event | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        return present(context.window_manager, "window manager").invoke_props_dialog(self)

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        spec = panel_spec(context, self)
        if spec is None:
            return {"CANCELLED"}
        stem = bpy.path.clean_name(self.name.strip()).lower()
        if not stem.strip("_"):
            self.report({"ERROR"}, "Give the preset a name")
            return {"CANCELLED"}
        folder = Path(bpy.path.abspath(self.directory)) if self.directory else user_dir(context, create=True)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}{PRESET_EXT}"
        if path.exists() and not self.overwrite:
            self.report({"ERROR"}, f"{path} exists; tick Overwrite to replace it")
            return {"CANCELLED"}
        path.write_text(dumps_spec(spec), encoding="utf-8")
        settings_of(context.scene).preset_name = display_name(str(path))
        self.report({"INFO"}, f"Saved preset {path}")
        return {"FINISHED"}


CLASSES: tuple[type, ...] = (PORTRAITSPEC_OT_preset_load, PORTRAITSPEC_OT_preset_save, PORTRAITSPEC_MT_presets)
