"""Panel properties <-> Spec: exact round trips (default spec, every preset, edited values),
what each generated property shows, and settings surviving a save and reload of the .blend."""

from __future__ import annotations

import dataclasses
import math

import bpy
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_
from hypothesis import strategies as st
from spec_strategy import Draw, specs
from ui_support import PRESETS, leaf_fields, settings, ui_fixture  # noqa: F401  (ui_fixture provides the ui fixture)

from portrait_spec.blender.ui.float32 import as_float32, intended
from portrait_spec.blender.ui.properties import DERIVE, PICK, SWATCH, UNIT, USE
from portrait_spec.blender.ui.spec_bridge import data_from_props, props_from_spec, respell_like, spec_from_props
from portrait_spec.core.color import Color8
from portrait_spec.core.errors import SpecError
from portrait_spec.core.schema import spec_to_data
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import load_spec
from portrait_spec.core.units import Distance


def _group(path: str):
    group = settings().spec
    for part in path.split("."):
        group = getattr(group, part)
    return group


def test_a_fresh_scene_panel_is_the_default_spec(ui):
    assert spec_from_props(settings().spec) == Spec()
    # Per-path defaults: the fill is not a copy of the key.
    assert settings().spec.lights.fill.stops == -2.0 and settings().spec.lights.key.stops == 0.0


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.stem)
def test_every_preset_round_trips_exactly(ui, preset):
    spec = load_spec(preset)
    props_from_spec(settings().spec, spec)
    back = spec_from_props(settings().spec)
    assert back == spec
    assert spec_to_data(back) == spec_to_data(spec)  # units and hex-vs-list spelling kept too


def test_an_edited_spec_of_every_kind_round_trips(ui):
    base = Spec()
    spec = dataclasses.replace(
        base,
        camera=dataclasses.replace(base.camera, focal_length_mm=85.5, height=Distance(150.0, "cm"), framing="closeup"),
        subject=dataclasses.replace(base.subject, kind="model", model="heads/anna.glb",
                                    materials={"Skin.001": "skin", "Necklace": "gold", "Eyes": "eyes"}),
        skin=dataclasses.replace(
            base.skin,
            subsurface=dataclasses.replace(base.skin.subsurface, radius_mm=(4.1, 1.25, 0.7), thin_regions=("nostrils", "ears", "lips")),
            roughness={"default": 0.4, "lips": 0.2, "forehead": 0.35},
        ),
        lights=dataclasses.replace(base.lights, fill=dataclasses.replace(base.lights.fill, stops=-5.0 / 3.0, enabled=False)),
        background=dataclasses.replace(base.background, color=Color8(18, 52, 86, True), cove_radius=Distance(40.0, "in")),
        render=dataclasses.replace(base.render, resolution=(640, 800), seed=2**31 - 1, samples=1024),
        prompt=dataclasses.replace(base.prompt, target="sdxl", midjourney_version="6.1", engine_tags=True),
    )
    props_from_spec(settings().spec, spec)
    assert spec_from_props(settings().spec) == spec


def test_every_leaf_field_is_a_property_with_its_doc_as_tooltip(ui):
    for path, name, meta in leaf_fields():
        group = _group(path) if path else settings().spec
        assert name in group.bl_rna.properties, f"{path}.{name}"
        assert meta.doc in group.bl_rna.properties[name].description


def test_numbers_carry_their_range_and_unit(ui):
    fill = settings().spec.lights.fill
    azimuth = fill.bl_rna.properties["azimuth_deg"]
    assert azimuth.name == "Azimuth (°)"
    assert (azimuth.hard_min, azimuth.hard_max) == (-180.0, 180.0)
    assert fill.bl_rna.properties["stops"].name == "Stops"
    assert settings().spec.background.bl_rna.properties["level_stops"].name == "Level (stops)"
    assert "Valid: -8 to 4 stops" in fill.bl_rna.properties["stops"].description
    camera = settings().spec.camera.bl_rna.properties
    assert camera["focal_length_mm"].name == "Focal Length (mm)"
    assert (camera["focal_length_mm"].soft_min, camera["focal_length_mm"].soft_max) == (35.0, 300.0)
    assert settings().spec.lights.key.bl_rna.properties["temperature_k"].name == "Temperature (K)"
    with pytest.raises((ValueError, TypeError)):
        fill.azimuth_deg = "left"
    fill.azimuth_deg = 500.0  # clamped to the spec's valid range
    assert fill.azimuth_deg == 180.0


def test_changing_a_length_unit_keeps_the_length(ui):
    subject = settings().spec.subject
    assert (subject.distance_to_background, subject.distance_to_background__unit) == (8.0, "ft")
    subject.distance_to_background__unit = "m"
    assert math.isclose(subject.distance_to_background, 2.4384, rel_tol=1e-6)
    assert spec_from_props(settings().spec).subject.distance_to_background == Distance(2.4384, "m")
    subject.distance_to_background__unit = "ft"
    assert spec_from_props(settings().spec).subject.distance_to_background == Distance(8.0, "ft")


def test_the_eye_level_sentinel_is_a_checkbox(ui):
    camera = settings().spec.camera
    assert getattr(camera, "height" + DERIVE) is True
    setattr(camera, "height" + DERIVE, False)
    camera.height = 1.2
    setattr(camera, "height" + UNIT, "m")
    assert spec_from_props(settings().spec).camera.height == Distance(1.2, "m")


def test_region_toggles_keep_the_written_order(ui):
    sub = settings().spec.skin.subsurface
    assert sub.thin_regions == "ears,nostrils"
    assert getattr(sub, "thin_regions" + PICK) == {"ears", "nostrils"}
    setattr(sub, "thin_regions" + PICK, {"ears", "nostrils", "chin"})
    assert spec_from_props(settings().spec).skin.subsurface.thin_regions == ("ears", "nostrils", "chin")
    setattr(sub, "thin_regions" + PICK, {"chin"})
    assert spec_from_props(settings().spec).skin.subsurface.thin_regions == ("chin",)


def test_roughness_table_rows_are_switched_on_and_off(ui):
    table = settings().spec.skin.roughness
    assert getattr(table, USE + "cheekbones") and not getattr(table, USE + "lips")
    setattr(table, USE + "lips", True)
    table.lips = 0.22
    setattr(table, USE + "cheekbones", False)
    assert spec_from_props(settings().spec).skin.roughness == {"default": 0.63, "lips": 0.22}  # the seed's default


def test_the_colour_swatch_writes_the_exact_8bit_triple(ui):
    background = settings().spec.background
    assert tuple(background.color) == (255, 0, 128)
    assert tuple(round(c, 6) for c in getattr(background, "color" + SWATCH)) == (1.0, 0.0, round(128 / 255, 6))
    setattr(background, "color" + SWATCH, (0.5, 0.25, 1.0))
    assert tuple(background.color) == (128, 64, 255)
    assert spec_from_props(settings().spec).background.color == Color8(128, 64, 255)


def test_an_invalid_panel_reports_every_problem(ui):
    settings().spec.render.view_transform = "AgX"
    settings().spec.render.exposure_ev = 1.0
    with pytest.raises(SpecError) as err:
        spec_from_props(settings().spec)
    paths = {p.path for p in err.value.problems}
    assert paths == {"render.view_transform", "render.exposure_ev"}
    assert data_from_props(settings().spec)["render"]["view_transform"] == "AgX"


def test_reading_back_keeps_each_length_in_the_unit_the_panel_used():
    old = Spec()
    moved = dataclasses.replace(old, subject=dataclasses.replace(old.subject, distance_to_background=Distance(2.7432, "m")))
    respelled = respell_like(moved, old)
    assert respelled.subject.distance_to_background == Distance(9.0, "ft")


def test_float32_recovery_gives_back_what_was_written():
    for value in (0.45, 5600.0, -5.0 / 3.0, -4.0 / 3.0, 2.4384, 1e-5, 3.67, 0.0, -8.0, 123456.7):
        assert intended(as_float32(value)) == value
    assert as_float32(0.45) != 0.45  # the problem being solved


def test_settings_survive_saving_and_reloading_the_blend(ui, tmp_path):
    spec = load_spec(PRESETS[0])
    spec = dataclasses.replace(spec, lights=dataclasses.replace(spec.lights, fill=dataclasses.replace(spec.lights.fill, stops=-4.0 / 3.0)),
                               subject=dataclasses.replace(spec.subject, materials={"Skin": "skin"}))
    props_from_spec(settings().spec, spec)
    settings().preview_target = "flux"
    settings().preset_name = "Mine"
    path = tmp_path / "panel.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(path))
    bpy.ops.wm.read_factory_settings(use_empty=True)
    assert spec_from_props(settings().spec) == Spec()
    bpy.ops.wm.open_mainfile(filepath=str(path))
    assert spec_from_props(settings().spec) == spec
    assert (settings().preview_target, settings().preset_name) == ("flux", "Mine")


# --- any valid spec (numbers with up to six significant digits) round-trips through the panel ---

def _six(lo: float, hi: float) -> st.SearchStrategy[float]:
    # Below float32's normal range (~1.2e-38) a value cannot be stored in a Blender property at all.
    return st.floats(lo, hi).map(lambda x: float(f"{x:.6g}")).filter(lambda x: lo <= x <= hi and (x == 0 or abs(x) > 1e-30))


# What a panel holds exactly: floats of six significant digits (float32.intended recovers them),
# strings without NUL or lone surrogates (Blender stores UTF-8 C strings).
PANEL = Draw(floats=_six, text=st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12))


@settings_(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=specs(PANEL))
def test_random_valid_specs_round_trip_through_the_panel(ui, spec):
    props_from_spec(settings().spec, spec)
    assert spec_from_props(settings().spec) == spec
