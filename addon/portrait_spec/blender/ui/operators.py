"""The panel's operators. Each one resolves the panel's spec, calls one builder, and reports.

They contain no building logic of their own: the studio, materials, chain, renderer, verifier and
read-back are called through the facade ``blender.api``. Every operator that
changes the scene carries ``{'REGISTER', 'UNDO'}``; each poll says why its button is greyed out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import bpy

from ...core.errors import SpecError
from ...core.fields import Number
from ...core.schema import field_meta
from ...core.spec import RigRole, Spec
from .. import api
from ..compat import BoolProperty, IntProperty, StringProperty
from ..contract import find_one, stored_spec_json
from ..narrow import mesh_of, of_type, present
from .preferences import preferences_of, resolve_folder
from .properties import settings_of
from .spec_bridge import props_from_spec, respell_like, spec_from_props

if TYPE_CHECKING:
    from bpy.stub_internal.rna_enums import OperatorReturnItems

STOP_STEP = 1.0 / 3.0


# --- what every operator shares ----------------------------------------------------------------


def panel_spec(context: bpy.types.Context, op: bpy.types.Operator) -> Spec | None:
    """The panel's spec, or None after reporting every problem in it."""
    try:
        return spec_from_props(settings_of(context.scene).spec)
    except SpecError as exc:
        op.report({"ERROR"}, exc.message())
        return None


def current_scene(context: bpy.types.Context) -> bpy.types.Scene:
    if context.scene is None:
        raise RuntimeError("Portrait Spec needs a scene in the context")
    return context.scene


def spec_dir(context: bpy.types.Context) -> Path | None:
    """Where relative paths in the spec are read from: the preset's folder, else the .blend's."""
    folder = settings_of(context.scene).spec_dir
    if folder:
        return Path(bpy.path.abspath(folder))
    return Path(bpy.data.filepath).parent if bpy.data.filepath else None


def for_build(spec: Spec) -> Spec:
    """A model path picked with Blender's file browser may be //-relative to the .blend."""
    model = spec.subject.model
    if model.startswith("//"):
        return dataclasses.replace(spec, subject=dataclasses.replace(spec.subject, model=bpy.path.abspath(model)))
    return spec


def studio_built(cls: type[bpy.types.Operator], context: bpy.types.Context) -> bool:
    scene = context.scene
    if scene is not None and find_one(scene, "camera") is not None and stored_spec_json(scene):
        return True
    cls.poll_message_set("Build the studio first (Build or Update Studio): this scene has no Portrait Spec studio")
    return False


def selected_meshes(context: bpy.types.Context) -> list[bpy.types.Object]:
    return [obj for obj in (context.selected_objects or ()) if obj.type == "MESH"]


def run_guarded(op: bpy.types.Operator, work: Callable[[], str]) -> set[OperatorReturnItems]:
    """Run ``work()``; a SpecError becomes an error report instead of a traceback."""
    try:
        message = work()
    except SpecError as exc:
        op.report({"ERROR"}, exc.message())
        return {"CANCELLED"}
    if message:
        op.report({"INFO"}, message)
    return {"FINISHED"}


def build_studio(context: bpy.types.Context, spec: Spec) -> api.BuildResult:
    return api.build_scene(for_build(spec), current_scene(context), spec_dir(context))


# --- studio -------------------------------------------------------------------------------------


class PORTRAITSPEC_OT_build_studio(bpy.types.Operator):
    """Build the studio from the panel's spec, or update the one already built in place"""

    bl_idname = "portrait_spec.build_studio"
    bl_label = "Build or Update Studio"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        context = present(context, "context")
        return context.scene is not None

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        spec = panel_spec(context, self)
        if spec is None:
            return {"CANCELLED"}

        def work() -> str:
            result = build_studio(context, spec)
            return f"Studio built: {len(result.objects)} studio objects updated"

        return run_guarded(self, work)


class PORTRAITSPEC_OT_read_from_scene(bpy.types.Operator):
    """Set the panel from the scene as it is now (lights, camera, backdrop moved in the viewport)"""

    bl_idname = "portrait_spec.read_from_scene"
    bl_label = "Read From Scene"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        context = present(context, "context")
        return studio_built(cls, context)

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        group = settings_of(context.scene).spec

        def work() -> str:
            observed = api.spec_from_scene(current_scene(context))
            try:
                observed = respell_like(observed, spec_from_props(group))
            except SpecError:
                pass  # the panel held an invalid spec: nothing to take units from
            props_from_spec(group, observed)
            return "Panel updated from the scene"

        return run_guarded(self, work)


# --- materials and chain ------------------------------------------------------------------------


def _assign_to_active_slot(obj: bpy.types.Object, material: bpy.types.Material) -> None:
    # The active slot only: a model's eyes or clothes in other slots keep their materials.
    if len(obj.material_slots) == 0:
        mesh_of(obj).materials.append(material)
    else:
        obj.material_slots[obj.active_material_index or 0].material = material


class _ApplyMaterial(bpy.types.Operator):
    what: ClassVar[Literal["skin", "gold"]]

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        context = present(context, "context")
        if not selected_meshes(context):
            cls.poll_message_set(f"Select one or more mesh objects to apply {cls.what} to")
            return False
        return True

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        spec = panel_spec(context, self)
        if spec is None:
            return {"CANCELLED"}
        targets = selected_meshes(context)

        def work() -> str:
            material = api.material_for(self.what, spec)
            for obj in targets:
                _assign_to_active_slot(obj, material)
            return f"{material.name} applied to {len(targets)} object(s)"

        return run_guarded(self, work)


class PORTRAITSPEC_OT_apply_skin(_ApplyMaterial):
    """Give the selected meshes (their active material slot) the spec's subsurface skin material"""

    bl_idname = "portrait_spec.apply_skin"
    bl_label = "Apply Skin to Selected"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)
    what = "skin"


class PORTRAITSPEC_OT_apply_gold(_ApplyMaterial):
    """Give the selected meshes (their active material slot) the spec's gold material"""

    bl_idname = "portrait_spec.apply_gold"
    bl_label = "Apply Gold to Selected"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)
    what = "gold"


class PORTRAITSPEC_OT_add_chain(bpy.types.Operator):
    """Drape the spec's gold chain around the selected subject's neck, at the focus height"""

    bl_idname = "portrait_spec.add_chain"
    bl_label = "Add Gold Chain"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        context = present(context, "context")
        if not selected_meshes(context):
            cls.poll_message_set("Select the subject (one or more meshes) to hang the chain around")
            return False
        if not settings_of(context.scene).spec.jewelry.enabled:
            cls.poll_message_set("Jewelry is switched off in the Gold section")
            return False
        return True

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        spec = panel_spec(context, self)
        if spec is None:
            return {"CANCELLED"}
        scene = current_scene(context)
        meshes = selected_meshes(context)

        def work() -> str:
            chain = api.add_chain(spec, scene, meshes)
            return f"Chain {chain.name} added" if chain is not None else "No chain: jewelry is off"

        return run_guarded(self, work)


# --- render and verify --------------------------------------------------------------------------


class PORTRAITSPEC_OT_render_reference(bpy.types.Operator):
    """Update the studio from the panel, then render the reference outputs (as the CLI's render) into a folder"""

    bl_idname = "portrait_spec.render_reference"
    bl_label = "Render Reference"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)

    directory: StringProperty(  # type: ignore[valid-type]
        name="Output Folder", subtype="DIR_PATH", default="",
        description="Folder to write into; empty uses the add-on preference",
    )
    force: BoolProperty(  # type: ignore[valid-type]
        name="Overwrite", default=False, description="Write into a folder that already holds files",
    )

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        context = present(context, "context")
        return context.scene is not None

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        spec = panel_spec(context, self)
        if spec is None:
            return {"CANCELLED"}
        out = Path(bpy.path.abspath(self.directory)) if self.directory else resolve_folder(
            preferences_of(context).output_folder, "portrait_spec_renders")
        if out.is_dir() and any(out.iterdir()) and not self.force:
            self.report({"ERROR"}, f"{out} is not empty: tick Overwrite or choose another folder")
            return {"CANCELLED"}
        wm = present(context.window_manager, "window manager")
        progress: Callable[[float], None] = lambda fraction: wm.progress_update(1 + 98 * float(fraction))  # noqa: E731

        def work() -> str:
            wm.progress_begin(0, 100)
            try:
                build_studio(context, spec)
                wm.progress_update(1)
                # from_blend: render the scene that is open (never a fresh file, which would drop the user's scene).
                written = api.render_to_folder(spec, out, force=self.force, spec_dir=spec_dir(context), from_blend=True,
                                               progress=progress)
                wm.progress_update(100)
            finally:
                wm.progress_end()
            return f"Wrote {len(written)} file(s) to {out}"

        return run_guarded(self, work)

    def invoke(self, context: bpy.types.Context | None, event: bpy.types.Event | None) -> set[OperatorReturnItems]:
        # Ask where to write (and whether to overwrite) before a render that can take minutes.
        context = present(context, "context")
        if not self.directory:
            self.directory = str(resolve_folder(preferences_of(context).output_folder, "portrait_spec_renders"))
        return present(context.window_manager, "window manager").invoke_props_dialog(self, width=420)


class PORTRAITSPEC_OT_verify(bpy.types.Operator):
    """Measure the scene as it is now against every claim of the panel's prompt"""

    bl_idname = "portrait_spec.verify"
    bl_label = "Verify"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        context = present(context, "context")
        return studio_built(cls, context)

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        spec = panel_spec(context, self)
        if spec is None:
            return {"CANCELLED"}
        settings = settings_of(context.scene)
        try:
            report = api.verify_scene(spec, spec_dir=spec_dir(context), from_blend=True)
        except SpecError as exc:
            self.report({"ERROR"}, exc.message())
            return {"CANCELLED"}
        settings.verify_report = report.table()
        settings.verify_state = "PASSED" if report.passed else "FAILED"
        self.report({"INFO"} if report.passed else {"WARNING"}, settings.verify_report)
        return {"FINISHED"}

    def invoke(self, context: bpy.types.Context | None, event: bpy.types.Event | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        result = self.execute(context)
        if "FINISHED" in result:
            return present(context.window_manager, "window manager").invoke_popup(self, width=640)
        return result

    def draw(self, context: bpy.types.Context | None) -> None:
        context = present(context, "context")
        settings = settings_of(context.scene)
        col = present(self.layout, "verify popup layout").column(align=True)
        states = of_type(settings.bl_rna.properties["verify_state"], bpy.types.EnumProperty).enum_items
        col.label(text="Verify: " + states[settings.verify_state].name,
                  icon="CHECKMARK" if settings.verify_state == "PASSED" else "ERROR")
        for line in settings.verify_report.splitlines():
            col.label(text=line)


# --- stop nudges -------------------------------------------------------------------------------


def nudged(stops: float, direction: int) -> float:
    """``stops`` moved by exactly one third; values on the thirds grid stay on it exactly."""
    thirds = round(stops * 3.0)
    if abs(stops * 3.0 - thirds) < 1e-6:
        return (thirds + direction) / 3.0
    return stops + direction * STOP_STEP


class _NudgeStops(bpy.types.Operator):
    light: ClassVar[RigRole]

    direction: IntProperty(  # type: ignore[valid-type]
        name="Direction", default=1, min=-1, max=1, description="+1 a third of a stop brighter, -1 darker",
    )

    @classmethod
    def poll(cls, context: bpy.types.Context | None) -> bool:
        context = present(context, "context")
        if context.scene is None:
            return False
        if not getattr(settings_of(context.scene).spec.lights, cls.light).enabled:
            cls.poll_message_set(f"The {cls.light} light is switched off")
            return False
        return True

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        if self.direction == 0:
            return {"CANCELLED"}
        group = getattr(settings_of(context.scene).spec.lights, self.light)
        meta = field_meta(f"lights.{self.light}.stops")
        if not isinstance(meta, Number):
            raise TypeError(f"lights.{self.light}.stops is declared as {type(meta).__name__}, not a number")
        spec = panel_spec(context, self)
        if spec is None:
            return {"CANCELLED"}
        new = nudged(spec.lights.rig(self.light).stops, self.direction)
        if not meta.lo <= new <= meta.hi:
            self.report({"WARNING"}, f"The {self.light} is already at the limit ({meta.lo:g} to {meta.hi:g} stops)")
            return {"CANCELLED"}
        group.stops = new
        ratio = 2.0 ** -new
        message = f"{self.light.capitalize()} at {new:+.2f} stops (key:{self.light} {ratio:.3g}:1)"
        if find_one(current_scene(context), self.light) is None:
            self.report({"INFO"}, message + "; build the studio to apply it")
            return {"FINISHED"}

        def work() -> str:
            # Rebuilding sets each light's power from its stops, so the ratio is exact by construction.
            build_studio(context, spec_from_props(settings_of(context.scene).spec))
            return message

        return run_guarded(self, work)


class PORTRAITSPEC_OT_nudge_fill(_NudgeStops):
    """Move the fill a third of a stop (the key:fill ratio changes by exactly 2^(1/3)) and update the lights"""

    bl_idname = "portrait_spec.nudge_fill"
    bl_label = "Nudge Fill"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)
    light = "fill"


class PORTRAITSPEC_OT_nudge_rim(_NudgeStops):
    """Move the rim a third of a stop (the key:rim ratio changes by exactly 2^(1/3)) and update the lights"""

    bl_idname = "portrait_spec.nudge_rim"
    bl_label = "Nudge Rim"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)
    light = "rim"


# --- editing the name -> role table ------------------------------------------------------------


def _group_at(context: bpy.types.Context, path: str) -> Any:
    group: Any = settings_of(context.scene).spec
    for part in path.split("."):
        group = getattr(group, part)
    return group


class PORTRAITSPEC_OT_table_add(bpy.types.Operator):
    """Add a row (a material name and its role)"""

    bl_idname = "portrait_spec.table_add"
    bl_label = "Add Row"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)

    path: StringProperty(name="Spec Path", description="Dotted path of the table field")  # type: ignore[valid-type]
    name: StringProperty(name="Name", default="Material")  # type: ignore[valid-type]

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        items = _group_at(context, self.path)
        item = items.add()
        item.name = self.name
        return {"FINISHED"}


class PORTRAITSPEC_OT_table_remove(bpy.types.Operator):
    """Remove this row"""

    bl_idname = "portrait_spec.table_remove"
    bl_label = "Remove Row"
    bl_options = {"REGISTER", "UNDO"}  # noqa: RUF012  (Blender reads a plain set)

    path: StringProperty(name="Spec Path", description="Dotted path of the table field")  # type: ignore[valid-type]
    index: IntProperty(name="Row", default=0, min=0)  # type: ignore[valid-type]

    def execute(self, context: bpy.types.Context | None) -> set[OperatorReturnItems]:
        context = present(context, "context")
        items = _group_at(context, self.path)
        if self.index >= len(items):
            return {"CANCELLED"}
        items.remove(self.index)
        return {"FINISHED"}


CLASSES: tuple[type, ...] = (
    PORTRAITSPEC_OT_build_studio,
    PORTRAITSPEC_OT_read_from_scene,
    PORTRAITSPEC_OT_apply_skin,
    PORTRAITSPEC_OT_apply_gold,
    PORTRAITSPEC_OT_add_chain,
    PORTRAITSPEC_OT_render_reference,
    PORTRAITSPEC_OT_verify,
    PORTRAITSPEC_OT_nudge_fill,
    PORTRAITSPEC_OT_nudge_rim,
    PORTRAITSPEC_OT_table_add,
    PORTRAITSPEC_OT_table_remove,
)
