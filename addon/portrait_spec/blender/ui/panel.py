"""The "Portrait" tab in the 3D viewport sidebar: presets and build on top, then one sub-panel
per part of the studio. Fields are drawn from the spec's metadata (``field_layout``); each
sub-panel adds only its buttons. A top-level spec section that no sub-panel claims is drawn in
the main panel, so a new section still appears.
"""

from __future__ import annotations

import textwrap
from typing import Any, ClassVar

import bpy

from ...core import fields as f
from ...core.spec import Spec
from ..narrow import present
from .field_layout import draw_section, group_at, section_type
from .operators import PORTRAITSPEC_OT_nudge_fill, PORTRAITSPEC_OT_nudge_rim
from .preferences import preferences_of
from .presets import PORTRAITSPEC_MT_presets
from .prompt_ops import live_prompt
from .properties import settings_of

CATEGORY = "Portrait"
MAIN_ID = "PORTRAITSPEC_PT_main"
CHAR_WIDTH_PX = 7  # average label glyph width at 1x UI scale, for wrapping the prompt
DEFAULT_REGION_PX = 300


def _spec_group(context: bpy.types.Context) -> Any:
    return settings_of(context.scene).spec


def _units(context: bpy.types.Context) -> str:
    return str(preferences_of(context).units)


def wrapped(text: str, width: int) -> list[str]:
    """Label lines for a long text; hyphenated words stay whole so the prompt reads as written."""
    return [piece for line in text.splitlines() for piece in textwrap.wrap(line, width, break_on_hyphens=False) or [""]]


def sub_panel(layout: bpy.types.UILayout, idname: str, *, default_closed: bool) -> tuple[bpy.types.UILayout, bpy.types.UILayout | None]:
    """``layout.panel()``: a header and a body that is None while the panel is closed
    (https://docs.blender.org/api/current/bpy.types.UILayout.html#bpy.types.UILayout.panel); the
    stubs type the body as always present."""
    header, body = layout.panel(idname, default_closed=default_closed)
    return header, body


class _SidebarPanel(bpy.types.Panel):
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = CATEGORY

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        return context is not None and context.scene is not None


class _SectionPanel(_SidebarPanel):
    """A sub-panel drawing the spec sections named in ``sections``, then its buttons."""

    bl_parent_id = MAIN_ID
    sections: ClassVar[tuple[str, ...]] = ()

    def draw(self, context: bpy.types.Context | None) -> None:
        context, layout = present(context, "context"), present(self.layout, f"{self.bl_idname} layout")
        layout.use_property_split = True
        layout.use_property_decorate = False
        root = _spec_group(context)
        for path in self.sections:
            target: bpy.types.UILayout | None = layout
            if len(self.sections) > 1:
                header, target = sub_panel(layout, f"PORTRAITSPEC_{path}", default_closed=False)
                header.label(text=path.replace("_", " ").title())
                if target is None:
                    continue
            draw_section(target, context, group_at(root, path), section_type(Spec, path), path, _units(context), self.extras())
        self.draw_buttons(layout, context)

    def extras(self) -> dict[str, Any]:
        return {}

    def draw_buttons(self, layout: bpy.types.UILayout, context: bpy.types.Context) -> None:
        pass


class PORTRAITSPEC_PT_main(_SidebarPanel):
    bl_idname = MAIN_ID
    bl_label = "Portrait Spec"

    def draw(self, context: bpy.types.Context | None) -> None:
        context, layout = present(context, "context"), present(self.layout, f"{self.bl_idname} layout")
        settings = settings_of(context.scene)
        row = layout.row(align=True)
        row.menu(PORTRAITSPEC_MT_presets.bl_idname, text=settings.preset_name or "Presets", icon="PRESET")
        row.operator("portrait_spec.preset_save", text="", icon="ADD")
        col = layout.column(align=True)
        col.scale_y = 1.4
        col.operator("portrait_spec.build_studio", icon="LIGHT_AREA")
        layout.operator("portrait_spec.read_from_scene", icon="FILE_REFRESH")
        unclaimed = [path for path in top_sections() if path not in claimed_sections()]
        for path in unclaimed:
            header, body = sub_panel(layout, f"PORTRAITSPEC_{path}", default_closed=True)
            header.label(text=path.replace("_", " ").title())
            if body is not None:
                body.use_property_split = True
                draw_section(body, context, group_at(_spec_group(context), path), section_type(Spec, path), path, _units(context))


def _nudge_row(light: str, operator: str) -> Any:
    """The key:light ratio and the third-of-a-stop buttons, drawn after that light's fields."""

    def draw(col: Any, context: bpy.types.Context) -> None:
        stops = getattr(_spec_group(context).lights, light).stops
        row = col.row(align=True)
        row.label(text=f"Key:{light} {2.0 ** -stops:.3g}:1")
        darker = row.operator(operator, text="-1/3 stop")
        darker.direction = -1
        brighter = row.operator(operator, text="+1/3 stop")
        brighter.direction = 1

    return draw


class PORTRAITSPEC_PT_backdrop(_SectionPanel):
    bl_idname = "PORTRAITSPEC_PT_backdrop"
    bl_label = "Backdrop"
    sections = ("background",)


class PORTRAITSPEC_PT_lights(_SectionPanel):
    bl_idname = "PORTRAITSPEC_PT_lights"
    bl_label = "Lights"
    sections = ("lights",)

    def extras(self) -> dict[str, Any]:
        return {
            "lights.fill": _nudge_row("fill", PORTRAITSPEC_OT_nudge_fill.bl_idname),
            "lights.rim": _nudge_row("rim", PORTRAITSPEC_OT_nudge_rim.bl_idname),
        }


class PORTRAITSPEC_PT_subject(_SectionPanel):
    bl_idname = "PORTRAITSPEC_PT_subject"
    bl_label = "Subject and Skin"
    sections = ("subject", "skin")

    def draw_buttons(self, layout: bpy.types.UILayout, context: bpy.types.Context) -> None:
        layout.operator("portrait_spec.apply_skin", icon="MATERIAL")


class PORTRAITSPEC_PT_gold(_SectionPanel):
    bl_idname = "PORTRAITSPEC_PT_gold"
    bl_label = "Gold"
    sections = ("jewelry",)

    def draw_buttons(self, layout: bpy.types.UILayout, context: bpy.types.Context) -> None:
        col = layout.column(align=True)
        col.operator("portrait_spec.apply_gold", icon="MATERIAL")
        col.operator("portrait_spec.add_chain", icon="LINKED")


class PORTRAITSPEC_PT_camera(_SectionPanel):
    bl_idname = "PORTRAITSPEC_PT_camera"
    bl_label = "Camera"
    sections = ("camera",)


class PORTRAITSPEC_PT_render(_SectionPanel):
    bl_idname = "PORTRAITSPEC_PT_render"
    bl_label = "Render"
    sections = ("render",)

    def draw_buttons(self, layout: bpy.types.UILayout, context: bpy.types.Context) -> None:
        col = layout.column(align=True)
        col.operator("portrait_spec.render_reference", icon="RENDER_STILL")
        col.operator("portrait_spec.verify", icon="CHECKMARK")
        settings = settings_of(context.scene)
        if settings.verify_state != "NONE":
            box = layout.box()
            passed = settings.verify_state == "PASSED"
            box.label(text="Last verify: passed" if passed else "Last verify: FAILED", icon="CHECKMARK" if passed else "ERROR")
            for line in settings.verify_report.splitlines():
                box.label(text=line)


class PORTRAITSPEC_PT_prompt(_SectionPanel):
    bl_idname = "PORTRAITSPEC_PT_prompt"
    bl_label = "Prompt"
    sections = ("prompt", "generation")  # generation: the SD settings written beside the prompt in reference.png

    def draw_buttons(self, layout: bpy.types.UILayout, context: bpy.types.Context) -> None:
        layout.prop(settings_of(context.scene), "preview_target")
        live = live_prompt(context)
        box = layout.box()
        region = context.region
        width = max(20, int((region.width if region is not None else DEFAULT_REGION_PX) / CHAR_WIDTH_PX))
        if live.text is None:
            box.label(text="No prompt:", icon="ERROR")
            lines = wrapped(live.problem or "", width)
        else:
            box.label(text=f"{live.target} prompt", icon="TEXT")
            lines = wrapped(live.text, width)
        col = box.column(align=True)
        col.scale_y = 0.8
        for line in lines:
            col.label(text=line)
        row = layout.row(align=True)
        row.operator("portrait_spec.prompt_copy", icon="COPYDOWN", text="Copy")
        row.operator("portrait_spec.prompt_export", icon="EXPORT", text="Export")


SECTION_PANELS: tuple[type[_SectionPanel], ...] = (
    PORTRAITSPEC_PT_backdrop,
    PORTRAITSPEC_PT_lights,
    PORTRAITSPEC_PT_subject,
    PORTRAITSPEC_PT_gold,
    PORTRAITSPEC_PT_camera,
    PORTRAITSPEC_PT_render,
    PORTRAITSPEC_PT_prompt,
)


def top_sections() -> tuple[str, ...]:
    return tuple(name for name, meta in f.spec_fields(Spec) if isinstance(meta, f.Section))


def claimed_sections() -> frozenset[str]:
    return frozenset(path for panel in SECTION_PANELS for path in panel.sections)


CLASSES: tuple[type, ...] = (PORTRAITSPEC_PT_main, *SECTION_PANELS)
