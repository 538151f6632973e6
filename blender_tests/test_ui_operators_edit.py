"""Materials, chain, presets, prompt and table operators on a fresh scene and on a scene holding
the user's own objects (which must come through unchanged), and the reasons a greyed-out button
gives."""

from __future__ import annotations

import json
from types import SimpleNamespace

import bmesh
import bpy
import pytest
from ui_support import PRESETS, WITH_USER, assert_user_objects_unchanged, poll_with_reason, prepare, settings, ui_fixture  # noqa: F401  (ui_fixture provides the ui fixture)

from portrait_spec.blender.contract import objects_with_role
from portrait_spec.blender.ui import operators, prompt_ops
from portrait_spec.blender.ui.spec_bridge import props_from_spec, spec_from_props
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import load_spec


def _mesh(name: str, slots: int = 0, location=(0.0, 0.0, 0.0)) -> bpy.types.Object:
    mesh = bpy.data.meshes.new(name)
    bm = bmesh.new()
    bmesh.ops.create_uvsphere(bm, u_segments=16, v_segments=8, radius=0.1)
    bm.to_mesh(mesh)
    bm.free()
    obj = bpy.data.objects.new(name, mesh)
    for i in range(slots):
        mesh.materials.append(bpy.data.materials.new(f"{name}_own_{i}"))
    obj.location = location
    bpy.context.scene.collection.objects.link(obj)
    return obj


def _select_only(*objects: bpy.types.Object) -> None:
    for obj in bpy.context.scene.objects:
        obj.select_set(False)
    for obj in objects:
        obj.select_set(True)
    bpy.context.view_layer.objects.active = objects[0] if objects else None


# --- materials ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "key", "material"), [("apply_skin", "skin", "PS_Skin"), ("apply_gold", "gold", "PS_Gold")])
@WITH_USER
def test_apply_material_fills_the_active_slot_of_each_selected_mesh(ui, user_objects, op, key, material):
    before = prepare(ui, user_objects)
    cls = getattr(operators, f"PORTRAITSPEC_OT_{op}")
    ok, reasons = poll_with_reason(cls, bpy.context)
    assert not ok and reasons[0].startswith("Select one or more mesh objects")
    bare = _mesh("Bare")
    two_slots = _mesh("TwoSlots", slots=2)
    two_slots.active_material_index = 1
    _select_only(bare, two_slots)
    assert getattr(bpy.ops.portrait_spec, op)() == {"FINISHED"}
    assert [m.name for m in bare.data.materials] == [material]
    assert [m.name for m in two_slots.data.materials] == ["TwoSlots_own_0", material]
    assert bare.get("portrait_spec_role") is None  # applying never claims the user's object
    assert_user_objects_unchanged(before)


def test_the_skin_follows_the_panel(ui):
    settings().spec.skin.tone.melanin = 0.3
    _select_only(_mesh("Head"))
    bpy.ops.portrait_spec.apply_skin()
    dark = bpy.data.materials["PS_Skin"].node_tree.nodes["skin_tone"].outputs[0].default_value[:3]
    settings().spec.skin.tone.melanin = 0.01
    bpy.ops.portrait_spec.apply_skin()
    fair = bpy.data.materials["PS_Skin"].node_tree.nodes["skin_tone"].outputs[0].default_value[:3]
    assert sum(fair) > sum(dark) * 1.5


# --- chain -------------------------------------------------------------------------------------


@WITH_USER
def test_add_chain_drapes_a_tagged_chain_around_the_selected_subject(ui, user_objects):
    before = prepare(ui, user_objects)
    # A neck and shoulders on which the default 45 cm chain rests (its length is checked
    # against the body it drapes on).
    bpy.ops.mesh.primitive_cylinder_add(radius=0.06, depth=0.4, location=(0.0, 0.0, 1.55))
    neck = bpy.context.active_object
    bpy.ops.mesh.primitive_uv_sphere_add(radius=0.25, location=(0.0, 0.0, 1.25), scale=(1.0, 0.6, 0.5))
    torso = bpy.context.active_object
    _select_only(neck, torso)
    verts = (len(neck.data.vertices), len(torso.data.vertices))
    assert bpy.ops.portrait_spec.add_chain() == {"FINISHED"}
    chains = objects_with_role(ui, "chain")
    assert len(chains) == 1 and len(chains[0].data.vertices) > 0
    bpy.ops.portrait_spec.add_chain()
    assert len(objects_with_role(ui, "chain")) == 1  # updated, not duplicated
    assert (len(neck.data.vertices), len(torso.data.vertices)) == verts
    assert neck.get("portrait_spec_role") is None
    settings().spec.jewelry.enabled = False
    ok, reasons = poll_with_reason(operators.PORTRAITSPEC_OT_add_chain, bpy.context)
    assert not ok and reasons == ["Jewelry is switched off in the Gold section"]
    assert_user_objects_unchanged(before)


# --- presets -----------------------------------------------------------------------------------


@WITH_USER
def test_load_preset_fills_the_panel_and_save_writes_a_toml_that_loads_back(ui, user_objects, tmp_path):
    before = prepare(ui, user_objects)
    preset = next(p for p in PRESETS if p.stem == "rembrandt")
    assert bpy.ops.portrait_spec.preset_load(filepath=str(preset)) == {"FINISHED"}
    assert spec_from_props(settings().spec) == load_spec(preset)
    assert settings().preset_name == "Rembrandt"
    bpy.ops.portrait_spec.nudge_fill(direction=-1)
    assert bpy.ops.portrait_spec.preset_save(name="My Rembrandt", directory=str(tmp_path)) == {"FINISHED"}
    saved = tmp_path / "my_rembrandt.toml"
    assert load_spec(saved) == spec_from_props(settings().spec)
    assert load_spec(saved).lights.fill.stops == load_spec(preset).lights.fill.stops - 1.0 / 3.0
    with pytest.raises(RuntimeError, match="exists"):
        bpy.ops.portrait_spec.preset_save(name="My Rembrandt", directory=str(tmp_path))
    assert bpy.ops.portrait_spec.preset_save(name="My Rembrandt", directory=str(tmp_path), overwrite=True) == {"FINISHED"}
    assert_user_objects_unchanged(before)


def test_a_bad_preset_is_reported_and_leaves_the_panel_as_it_was(ui, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[lights.fill]\nstops = "lots"\n[background]\nmode = "neon"\n', encoding="utf-8")
    with pytest.raises(RuntimeError) as err:
        bpy.ops.portrait_spec.preset_load(filepath=str(bad))
    assert "lights.fill.stops" in str(err.value) and "background.mode" in str(err.value)
    assert spec_from_props(settings().spec) == Spec()


# --- prompt ------------------------------------------------------------------------------------


def _fake_context(clipboard_holder: SimpleNamespace) -> SimpleNamespace:
    # Background mode has no clipboard to read back; the operator's window manager is stood in for.
    return SimpleNamespace(scene=bpy.context.scene, preferences=bpy.context.preferences, window_manager=clipboard_holder)


@WITH_USER
def test_copy_puts_the_shown_prompt_on_the_clipboard(ui, user_objects):
    from portrait_spec.core.prompt import build_prompts

    before = prepare(ui, user_objects)
    props_from_spec(settings().spec, load_spec(PRESETS[0]))
    settings().preview_target = "sdxl"
    holder = SimpleNamespace(clipboard="")
    reports: list[str] = []
    me = SimpleNamespace(report=lambda level, text: reports.append(text))
    assert prompt_ops.PORTRAITSPEC_OT_prompt_copy.execute(me, _fake_context(holder)) == {"FINISHED"}
    assert holder.clipboard == build_prompts(load_spec(PRESETS[0])).text_for("sdxl")
    assert "Negative prompt:" in holder.clipboard
    assert bpy.ops.portrait_spec.prompt_copy() == {"FINISHED"}  # and through Blender
    assert_user_objects_unchanged(before)


@WITH_USER
def test_export_writes_the_shown_prompt_or_every_target_as_json(ui, user_objects, tmp_path):
    from portrait_spec.core.prompt import build_prompts

    before = prepare(ui, user_objects)
    settings().preview_target = "DEFAULT"  # preferences say "as in the spec": midjourney
    bundle = build_prompts(Spec())
    txt = tmp_path / "prompt.txt"
    assert bpy.ops.portrait_spec.prompt_export(filepath=str(txt)) == {"FINISHED"}
    assert txt.read_text(encoding="utf-8") == bundle.text_for("midjourney") + "\n"
    js = tmp_path / "all.json"
    assert bpy.ops.portrait_spec.prompt_export(filepath=str(js)) == {"FINISHED"}
    assert json.loads(js.read_text(encoding="utf-8")) == json.loads(json.dumps(bundle.to_data()))
    assert_user_objects_unchanged(before)


# --- the name -> role table and poll reasons ----------------------------------------------------


@WITH_USER
def test_material_role_rows_are_added_and_removed(ui, user_objects):
    before = prepare(ui, user_objects)
    bpy.ops.portrait_spec.table_add(path="subject.materials", name="Skin.001")
    bpy.ops.portrait_spec.table_add(path="subject.materials", name="Chain")
    settings().spec.subject.materials[1].role = "gold"
    assert spec_from_props(settings().spec).subject.materials == {"Skin.001": "skin", "Chain": "gold"}
    bpy.ops.portrait_spec.table_remove(path="subject.materials", index=0)
    assert spec_from_props(settings().spec).subject.materials == {"Chain": "gold"}
    assert bpy.ops.portrait_spec.table_remove(path="subject.materials", index=5) == {"CANCELLED"}
    assert_user_objects_unchanged(before)


