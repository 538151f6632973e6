"""Every panel's draw() runs against a recording layout that checks each property, operator
and menu it names, and together the panels show every field of every spec section."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace

import bpy
from ui_support import PRESETS, draw_with_recorder, leaf_fields, section_paths, settings, ui_fixture  # noqa: F401  (ui_fixture provides the ui fixture)

from portrait_spec.blender.ui import panel
from portrait_spec.blender.ui.field_layout import length_readout
from portrait_spec.blender.ui.presets import PORTRAITSPEC_MT_presets
from portrait_spec.blender.ui.spec_bridge import spec_from_props
from portrait_spec.core.spec import Spec

SPEC_PREFIX = "portrait_spec_settings.spec"


def _spec_path_of(data) -> str | None:
    path = data.path_from_id()
    if not path.startswith(SPEC_PREFIX):
        return None
    return path[len(SPEC_PREFIX):].lstrip(".")


def _drawn(log) -> set[tuple[str, str]]:
    """(section path, property name) for every prop drawn on the spec."""
    shown = set()
    for name, args, _ in log:
        if name in ("prop", "prop_enum"):
            where = _spec_path_of(args[0])
            if where is not None:
                shown.add((where, args[1]))
        if name == "operator_props" and "path" in args[0].values:
            path = args[0].values["path"]
            section, _, field = path.rpartition(".")
            shown.add((section, field))
    return shown


def _all_panels_log(context) -> list:
    log = []
    for cls in panel.CLASSES:
        log += draw_with_recorder(cls, context)
    return log


def _labels(log) -> list[str]:
    return [kwargs.get("text", "") for name, _, kwargs in log if name == "label"]


def test_every_panel_draws_and_every_spec_field_is_shown(ui):
    settings().spec.subject.materials.add().name = "Skin"  # so a table row is drawn too
    log = _all_panels_log(bpy.context)
    shown = _drawn(log)
    missing = []
    for path, name, _meta in leaf_fields():
        if not any(where == path and (prop == name or prop.startswith(name + "__")) for where, prop in shown) \
                and not any(where.startswith(f"{path}.{name}") for where, _ in shown):
            missing.append(f"{path}.{name}")
    assert missing == []


def test_every_nested_section_has_its_own_collapsible_header(ui):
    log = _all_panels_log(bpy.context)
    panel_ids = {args[0] for name, args, _ in log if name == "panel"}
    nested = [p for p in section_paths() if "." in p]
    assert nested
    for path in nested:
        assert f"PORTRAITSPEC_{path.replace('.', '_')}" in panel_ids


def test_each_sub_panel_shows_its_sections_and_buttons(ui):
    ops = {}
    for cls in panel.CLASSES:
        log = draw_with_recorder(cls, bpy.context)
        ops[cls.bl_label] = [args[0].idname for name, args, _ in log if name == "operator_props"]
    assert "portrait_spec.build_studio" in ops["Portrait Spec"] and "portrait_spec.read_from_scene" in ops["Portrait Spec"]
    assert ops["Lights"].count("portrait_spec.nudge_fill") == 2 and ops["Lights"].count("portrait_spec.nudge_rim") == 2
    assert "portrait_spec.apply_skin" in ops["Subject and Skin"]
    assert {"portrait_spec.apply_gold", "portrait_spec.add_chain"} <= set(ops["Gold"])
    assert {"portrait_spec.render_reference", "portrait_spec.verify"} <= set(ops["Render"])
    assert {"portrait_spec.prompt_copy", "portrait_spec.prompt_export"} <= set(ops["Prompt"])
    assert panel.claimed_sections() == frozenset(panel.top_sections())


def test_nudge_buttons_go_in_both_directions_and_the_ratio_is_shown(ui):
    log = draw_with_recorder(panel.PORTRAITSPEC_PT_lights, bpy.context)
    directions = sorted(args[0].values["direction"] for name, args, _ in log
                        if name == "operator_props" and args[0].idname == "portrait_spec.nudge_fill")
    assert directions == [-1, 1]
    assert "Key:fill 4:1" in _labels(log)


def test_the_prompt_box_shows_the_chosen_targets_prompt(ui):
    from portrait_spec.core.prompt import build_prompts

    settings().preview_target = "flux"
    log = draw_with_recorder(panel.PORTRAITSPEC_PT_prompt, bpy.context)
    labels = _labels(log)
    expected = build_prompts(spec_from_props(settings().spec)).text_for("flux")
    start = labels.index("flux prompt") + 1
    shown = " ".join(labels[start:])
    assert " ".join(expected.split()) in " ".join(shown.split())


def test_the_prompt_box_lists_the_problems_of_an_invalid_panel(ui):
    settings().spec.render.view_transform = "AgX"
    labels = _labels(draw_with_recorder(panel.PORTRAITSPEC_PT_prompt, bpy.context))
    assert "No prompt:" in labels
    assert any("render.view_transform" in text for text in labels)


def test_lengths_get_a_readout_in_the_preferred_units():
    assert length_readout(8.0, "ft", "METRIC") == "= 2.438 m"
    assert length_readout(2.0, "m", "IMPERIAL") == "= 6.56 ft"
    assert length_readout(2.0, "m", "METRIC") is None


def test_a_section_no_sub_panel_claims_is_drawn_in_the_main_panel(ui, monkeypatch):
    monkeypatch.setattr(panel, "claimed_sections", lambda: frozenset(panel.top_sections()) - {"camera"})
    shown = _drawn(draw_with_recorder(panel.PORTRAITSPEC_PT_main, bpy.context))
    assert {("camera", fl.name) for fl in dataclasses.fields(type(Spec().camera)) if fl.name != "height"} <= shown


def test_the_preset_menu_lists_every_shipped_preset(ui):
    log = draw_with_recorder(PORTRAITSPEC_MT_presets, SimpleNamespace(preferences=bpy.context.preferences))
    files = {Path(args[0].values["filepath"]).name for name, args, _ in log
             if name == "operator_props" and args[0].idname == "portrait_spec.preset_load"}
    assert files == {p.name for p in PRESETS}
    assert any(name == "operator_props" and args[0].idname == "portrait_spec.preset_save" for name, args, _ in log)


def test_the_verify_result_is_shown_after_a_verify(ui):
    settings().verify_state = "FAILED"
    settings().verify_report = "key:fill  -2.000 stops  -1.000 stops  ±0.1 stop  FAIL"
    labels = _labels(draw_with_recorder(panel.PORTRAITSPEC_PT_render, bpy.context))
    assert "Last verify: FAILED" in labels and settings().verify_report in labels


