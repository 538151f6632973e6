"""The live prompt: which target the panel shows, its text, and the Copy and Export operators.

The prompt is written from the panel's spec on every redraw (the writer is pure Python and
fast), so it always states what the panel says; Verify checks it against the scene.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import bpy
from bpy_extras.io_utils import ExportHelper

from ...core.errors import SpecError
from ...core.prompt import build_prompts
from ...core.spec import Spec
from ..compat import StringProperty
from ..narrow import present
from .preferences import preferences_of
from .properties import settings_of
from .spec_bridge import spec_from_props

if TYPE_CHECKING:
    from bpy.stub_internal.rna_enums import OperatorReturnItems


@dataclass(frozen=True)
class LivePrompt:
    target: str
    text: str | None  # None when there is no prompt to show; ``problem`` says why
    problem: str | None = None


def chosen_target(context: bpy.types.Context, spec: Spec) -> str:
    """The panel's choice, else the preference's, else the spec's own prompt.target."""
    target = settings_of(context.scene).preview_target
    if target == "DEFAULT":
        target = preferences_of(context).prompt_target
    return spec.prompt.target if target == "SPEC" else target


def live_prompt(context: bpy.types.Context) -> LivePrompt:
    try:
        spec = spec_from_props(settings_of(context.scene).spec)
    except SpecError as exc:
        return LivePrompt("", None, exc.message())
    target = chosen_target(context, spec)
    try:
        return LivePrompt(target, build_prompts(spec).text_for(target))
    except SpecError as exc:
        return LivePrompt(target, None, exc.message())


def _poll_prompt(cls: type[bpy.types.Operator], context: bpy.types.Context) -> bool:
    if context.scene is None:
        cls.poll_message_set("Portrait Spec needs a scene")
        return False
    return True


class PORTRAITSPEC_OT_prompt_copy(bpy.types.Operator):
    """Copy the prompt shown in the panel to the clipboard"""

    bl_idname = "portrait_spec.prompt_copy"
    bl_label = "Copy Prompt"
    bl_options = {"REGISTER"}  # noqa: RUF012  (changes nothing in the .blend: no undo step)

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        context = present(context, "context")
        return _poll_prompt(cls, context)

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        live = live_prompt(context)
        if live.text is None:
            self.report({"ERROR"}, live.problem or "No prompt")
            return {"CANCELLED"}
        present(context.window_manager, "window manager").clipboard = live.text
        self.report({"INFO"}, f"Copied the {live.target} prompt ({len(live.text)} characters)")
        return {"FINISHED"}


# ExportHelper (scripts/modules/bpy_extras/io_utils.py in Blender's source) is stubbed with
# invoke() returning None (4.5) or a set of str (5.2), unlike Operator.invoke, and check()
# returning None (4.5); neither stub release declares its filepath property.
class PORTRAITSPEC_OT_prompt_export(bpy.types.Operator, ExportHelper):  # type: ignore[misc]
    """Write the prompt shown in the panel to a .txt file, or every target with its claims to a .json file"""

    bl_idname = "portrait_spec.prompt_export"
    bl_label = "Export Prompt"
    bl_options = {"REGISTER"}  # noqa: RUF012  (changes nothing in the .blend: no undo step)

    filename_ext = ".txt"
    filter_glob: StringProperty(default="*.txt;*.json", options={"HIDDEN"})  # type: ignore[valid-type]
    if TYPE_CHECKING:
        filepath: str  # ExportHelper's property

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        context = present(context, "context")
        return _poll_prompt(cls, context)

    def check(self, context: bpy.types.Context | None) -> bool:  # type: ignore[override, unused-ignore]
        # Keep a .json the user typed instead of forcing .txt onto it.
        context = present(context, "context")
        if self.filepath.lower().endswith(".json"):
            return False
        return bool(ExportHelper.check(self, context))  # type: ignore[func-returns-value, unused-ignore]

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        try:
            spec = spec_from_props(settings_of(context.scene).spec)
        except SpecError as exc:
            self.report({"ERROR"}, exc.message())
            return {"CANCELLED"}
        bundle = build_prompts(spec)
        path = Path(bpy.path.abspath(self.filepath))
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps(bundle.to_data(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        else:
            path.write_text(bundle.text_for(chosen_target(context, spec)) + "\n", encoding="utf-8")
        self.report({"INFO"}, f"Wrote {path}")
        return {"FINISHED"}


CLASSES: tuple[type, ...] = (PORTRAITSPEC_OT_prompt_copy, PORTRAITSPEC_OT_prompt_export)
