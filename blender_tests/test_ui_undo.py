"""One undo step per operator, in background mode: each operator, called with undo on, pushes a
step of its own, so a single ``ed.undo`` takes the file back to the state just before it (the
marker step), not further. A read-only operator is the negative control: it pushes nothing."""

from __future__ import annotations

import math

import bpy
import pytest
from mathutils import Matrix
from ui_support import PRESETS, at_marker, mark_undo_point, settings, ui_fixture, undo_once  # noqa: F401  (ui_fixture provides the ui fixture)

from portrait_spec.blender.contract import find_one, objects_with_role
from portrait_spec.blender.ui.spec_bridge import spec_from_props
from portrait_spec.core.spec import Spec


def _run(idname: str, **props) -> set[str]:
    return getattr(bpy.ops.portrait_spec, idname)("EXEC_DEFAULT", True, **props)


def _undo_lands_on_marker() -> None:
    undo_once()
    assert at_marker(), "undo went past the step before the operator: the operator pushed no undo step"


def _studio_objects() -> int:
    return sum(len(objects_with_role(bpy.context.scene, role)) for role in ("camera", "key", "fill", "rim", "cyclorama"))


def _selected_sphere(name: str) -> None:
    bpy.ops.mesh.primitive_uv_sphere_add(radius=0.1, segments=12, ring_count=6)
    bpy.context.active_object.name = name


def test_the_check_tells_a_missing_undo_step_apart(ui):
    # Negative control: Copy changes nothing in the file and pushes no step, so undo goes past the marker.
    mark_undo_point()
    _run("prompt_copy")
    undo_once()
    assert not at_marker()


def test_build_studio(ui):
    mark_undo_point()
    _run("build_studio")
    assert _studio_objects() == 5
    _undo_lands_on_marker()
    assert _studio_objects() == 0


def test_read_from_scene(ui):
    bpy.ops.portrait_spec.build_studio()
    key, focus = find_one(ui, "key"), find_one(ui, "focus").location.copy()
    turn = Matrix.Translation(focus) @ Matrix.Rotation(math.radians(20.0), 4, "Z") @ Matrix.Translation(-focus)
    key.matrix_world = turn @ key.matrix_world
    mark_undo_point()
    _run("read_from_scene")
    assert abs(settings().spec.lights.key.azimuth_deg - 45.0) > 10.0
    _undo_lands_on_marker()
    assert settings().spec.lights.key.azimuth_deg == 45.0


@pytest.mark.parametrize(("op", "key", "material"), [("apply_skin", "skin", "PS_Skin"), ("apply_gold", "gold", "PS_Gold")])
def test_apply_material(ui, op, key, material):
    _selected_sphere("Head")
    mark_undo_point()
    _run(op)
    assert [m.name for m in bpy.data.objects["Head"].data.materials] == [material]
    _undo_lands_on_marker()
    assert len(bpy.data.objects["Head"].data.materials) == 0


def test_add_chain(ui):
    # A neck and shoulders on which the default 45 cm chain rests (its length is checked
    # against the body it drapes on).
    bpy.ops.mesh.primitive_cylinder_add(radius=0.06, depth=0.4, location=(0.0, 0.0, 1.55))
    neck = bpy.context.active_object
    bpy.ops.mesh.primitive_uv_sphere_add(radius=0.25, location=(0.0, 0.0, 1.25), scale=(1.0, 0.6, 0.5))
    neck.select_set(True)
    mark_undo_point()
    _run("add_chain")
    assert len(objects_with_role(bpy.context.scene, "chain")) == 1
    _undo_lands_on_marker()
    assert objects_with_role(bpy.context.scene, "chain") == []


def test_render_reference(ui, tmp_path):
    settings().spec.render.resolution = (16, 20)
    settings().spec.render.samples = 1
    mark_undo_point()
    _run("render_reference", directory=str(tmp_path / "out"))
    assert (tmp_path / "out" / "reference.png").is_file() and _studio_objects() == 5
    _undo_lands_on_marker()
    assert _studio_objects() == 0  # the studio it built for the render is undone; the files stay


def test_verify(ui):
    settings().spec.render.resolution = (16, 20)
    bpy.ops.portrait_spec.build_studio()
    mark_undo_point()
    _run("verify")
    assert settings().verify_state == "PASSED"
    _undo_lands_on_marker()
    assert settings().verify_state == "NONE"


@pytest.mark.parametrize("light", ["fill", "rim"])
def test_nudges(ui, light):
    start = getattr(settings().spec.lights, light).stops
    mark_undo_point()
    _run(f"nudge_{light}", direction=1)
    assert getattr(spec_from_props(settings().spec).lights, light).stops == start + 1.0 / 3.0
    _undo_lands_on_marker()
    assert getattr(settings().spec.lights, light).stops == start


def test_preset_load(ui):
    mark_undo_point()
    _run("preset_load", filepath=str(next(p for p in PRESETS if p.stem == "butterfly")))
    assert spec_from_props(settings().spec) != Spec()
    _undo_lands_on_marker()
    assert spec_from_props(settings().spec) == Spec()


def test_preset_save(ui, tmp_path):
    mark_undo_point()
    _run("preset_save", name="Kept", directory=str(tmp_path))
    assert settings().preset_name == "Kept" and (tmp_path / "kept.toml").is_file()
    _undo_lands_on_marker()


def test_table_rows(ui):
    mark_undo_point()
    _run("table_add", path="subject.materials", name="Skin")
    assert len(settings().spec.subject.materials) == 1
    _undo_lands_on_marker()
    assert len(settings().spec.subject.materials) == 0
    bpy.ops.portrait_spec.table_add(path="subject.materials", name="Skin")
    mark_undo_point()
    _run("table_remove", path="subject.materials", index=0)
    assert len(settings().spec.subject.materials) == 0
    _undo_lands_on_marker()
    assert [item.name for item in settings().spec.subject.materials] == ["Skin"]
