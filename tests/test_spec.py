"""The spec model and its validation: presets load, spec -> TOML -> spec is lossless (for every
preset and for random valid specs), and a bad file gets every problem reported at once with its
dotted path, the value found and what is allowed."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from spec_strategy import spec_data

from portrait_spec.core import fields as f
from portrait_spec.core.color import Color8
from portrait_spec.core.errors import Problem, SpecError
from portrait_spec.core.schema import field_meta, spec_from_data, spec_to_data
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import dumps_spec, load_spec, loads_spec, spec_from_json, spec_to_json
from portrait_spec.core.units import Distance

SCENES = Path(__file__).resolve().parents[1] / "scenes"
PRESETS = sorted(SCENES.glob("*.toml"))


def problems_of(data: object) -> list[Problem]:
    with pytest.raises(SpecError) as info:
        spec_from_data(data)
    return info.value.problems


def by_path(problems: list[Problem]) -> dict[str, Problem]:
    return {p.path: p for p in problems}


# ---------------------------------------------------------------- presets and round trips

def test_the_required_presets_exist():
    names = {p.stem for p in PRESETS}
    assert {"seed_portrait", "chroma_extraction", "gradient_backdrop"} <= names
    assert len(names - {"seed_portrait", "chroma_extraction", "gradient_backdrop"}) >= 2  # classic patterns


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_preset_round_trips_losslessly(path: Path):
    spec = load_spec(path)
    text = dumps_spec(spec)
    assert loads_spec(text) == spec
    assert dumps_spec(loads_spec(text)) == text  # the writer is stable, not just equivalent
    assert spec_from_json(spec_to_json(spec)) == spec


def test_default_spec_is_valid_and_round_trips():
    spec = Spec()
    assert spec_from_data(spec_to_data(spec)) == spec
    assert loads_spec(dumps_spec(spec)) == spec
    assert loads_spec("") == spec  # an empty file is the default scene


def test_seed_portrait_states_the_article_scene():
    spec = load_spec(SCENES / "seed_portrait.toml")
    assert spec.background.mode == "extraction"
    assert spec.background.color.rgb == (255, 0, 128)
    assert spec.subject.distance_to_background == Distance(8.0, "ft")
    assert spec.subject.distance_to_background.metres == pytest.approx(2.4384)
    key, fill, rim = spec.lights.key, spec.lights.fill, spec.lights.rim
    assert (key.azimuth_deg, key.elevation_deg) == (45.0, 45.0)  # upper camera-left
    assert key.width.metres * key.height.metres >= 1.0  # a large softbox
    assert fill.stops == -2.0
    assert 90.0 < abs(rim.azimuth_deg) < 180.0 and rim.azimuth_deg < 0  # behind, camera right
    assert "nasal_bridge" in spec.skin.pores.regions and spec.skin.pores.visible
    assert "jawline" in spec.skin.vellus_hair.regions and spec.skin.vellus_hair.visible
    assert "forehead" in spec.skin.sebum.regions
    assert set(spec.skin.subsurface.thin_regions) == {"ears", "nostrils"}
    assert spec.skin.subsurface.thin_radius_mm == 3.0
    assert spec.skin.roughness["cheekbones"] == 0.3
    assert (spec.jewelry.karat, spec.jewelry.finish, spec.jewelry.micro_scratches) == ("24k", "hammered", True)


def test_feet_stay_feet_in_the_written_toml():
    spec = loads_spec('[subject]\ndistance_to_background = "8 ft"\n')
    assert 'distance_to_background = "8 ft"' in dumps_spec(spec)


# Random valid specs, drawn from the field declarations themselves so new fields are covered too.

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec_data())
def test_random_valid_specs_round_trip_through_toml_and_json(data: dict[str, Any]):
    spec = spec_from_data(data)
    text = dumps_spec(spec)
    assert loads_spec(text) == spec, text
    assert dumps_spec(loads_spec(text)) == text
    assert spec_from_json(spec_to_json(spec)) == spec


# ---------------------------------------------------------------- reporting problems

def test_every_problem_is_reported_at_once_with_path_value_and_range():
    problems = by_path(problems_of({
        "camera": {"focal_length_mm": "long", "f_number": 100},
        "lights": {"key": {"azimuth_deg": 200}, "fill": {"stops": -20, "enabled": "yes"}},
        "subject": {"distance_to_background": "8 parsecs"},
        "background": {"color": [300, 0, 0], "mode": "green"},
        "render": {"resolution": [1024], "samples": 1.5},
    }))
    assert set(problems) == {
        "camera.focal_length_mm", "camera.f_number", "lights.key.azimuth_deg", "lights.fill.stops",
        "lights.fill.enabled", "subject.distance_to_background", "background.color", "background.mode",
        "render.resolution", "render.samples",
    }
    assert problems["camera.f_number"].found == "100"
    assert problems["camera.f_number"].allowed == "a number from 0.95 to 64 f/"
    assert problems["camera.focal_length_mm"].found == "'long'"
    assert "14 to 600 mm" in problems["camera.focal_length_mm"].allowed
    assert problems["lights.key.azimuth_deg"].allowed == "a number from -180 to 180 deg"
    assert problems["lights.fill.stops"].allowed == "a number from -8 to 4 stops"
    assert problems["lights.fill.enabled"].allowed == "true or false"
    assert problems["subject.distance_to_background"].found == "'8 parsecs'"
    assert "ft" in problems["subject.distance_to_background"].allowed
    assert "0.3 m to 15 m" in problems["subject.distance_to_background"].allowed
    assert problems["background.color"].found == "[300, 0, 0]"
    assert "0-255" in problems["background.color"].allowed
    assert "'gradient'" in problems["background.mode"].allowed
    assert "an integer" in problems["render.samples"].allowed


def test_the_message_lists_every_problem_on_its_own_line():
    with pytest.raises(SpecError) as info:
        spec_from_data({"camera": {"f_number": 0.1, "framing": "wide"}}, "scene.toml")
    message = info.value.message()
    lines = message.splitlines()
    assert lines[0] == "scene.toml: 2 problems in the scene spec:"
    assert any(line.startswith("  - camera.f_number: found 0.1; allowed: a number from 0.95") for line in lines)
    assert any(line.startswith("  - camera.framing: found 'wide'") for line in lines)


@pytest.mark.parametrize(("data", "path", "suggestion"), [
    ({"lights": {"fil": {}}}, "lights.fil", "did you mean lights.fill?"),
    ({"camera": {"focal_lenght_mm": 85}}, "camera.focal_lenght_mm", "did you mean camera.focal_length_mm?"),
    ({"lighs": {}}, "lighs", "did you mean lights?"),
    ({"skin": {"roughness": {"cheekbone": 0.3}}}, "skin.roughness.cheekbone", "did you mean skin.roughness.cheekbones?"),
    ({"background": {"mode": "gradiant"}}, "background.mode", "did you mean 'gradient'?"),
])
def test_a_misspelt_key_or_choice_gets_the_nearest_suggestion(data, path, suggestion):
    problems = by_path(problems_of(data))
    assert path in problems
    assert suggestion in problems[path].allowed


def test_an_unknown_key_far_from_any_name_gets_no_guess():
    problem = by_path(problems_of({"camera": {"zzzzzz": 1}}))["camera.zzzzzz"]
    assert problem.found == "an unknown key"
    assert "did you mean" not in problem.allowed
    assert "focal_length_mm" in problem.allowed  # the valid keys are listed instead


def test_a_section_that_is_not_a_table_is_a_problem():
    problem = by_path(problems_of({"lights": {"key": 3}}))["lights.key"]
    assert (problem.found, problem.allowed) == ("3", "a table")


@pytest.mark.parametrize(("data", "path"), [
    ({"lights": {"key": {"stops": -1.0}}}, "lights.key.stops"),
    ({"lights": {"key": {"enabled": False}}}, "lights.key.enabled"),
    ({"background": {"mode": "extraction"}, "render": {"view_transform": "AgX"}}, "render.view_transform"),
    ({"background": {"mode": "extraction"}, "render": {"exposure_ev": 1.0}}, "render.exposure_ev"),
    ({"subject": {"kind": "model"}}, "subject.model"),
])
def test_rules_across_fields_are_checked(data, path):
    assert path in by_path(problems_of(data))


def test_cross_field_rules_accept_the_same_values_where_they_do_not_apply():
    spec = spec_from_data({"background": {"mode": "lit"}, "render": {"view_transform": "AgX", "exposure_ev": 1.0}})
    assert spec.render.view_transform == "AgX"


def test_booleans_are_not_numbers_and_numbers_are_not_booleans():
    problems = by_path(problems_of({"camera": {"f_number": True}, "jewelry": {"enabled": 1}}))
    assert set(problems) == {"camera.f_number", "jewelry.enabled"}


def test_missing_fields_keep_their_own_sections_defaults():
    spec = spec_from_data({"lights": {"fill": {"azimuth_deg": -30.0}}})
    assert spec.lights.fill.azimuth_deg == -30.0
    assert spec.lights.fill.stops == -2.0  # the fill's default, not the key's 0
    assert spec.lights.rim.spread_deg == Spec().lights.rim.spread_deg


def test_field_meta_gives_unit_range_and_doc():
    meta = field_meta("lights.fill.stops")
    assert meta == f.Number(doc=meta.doc, lo=-8.0, hi=4.0, unit="stops")
    assert meta.doc
    assert isinstance(field_meta("lights.fill"), f.Section)
    for wrong in ("lights.fill.nope", "lights.fill.stops.enabled", "", "lights..stops"):
        with pytest.raises(KeyError):
            field_meta(wrong)


def _leaves(cls: type, prefix: str = ""):
    """(path, class, metadata) of every field below cls, sections included."""
    for name, meta in f.spec_fields(cls):
        yield f"{prefix}{name}", cls, meta
        if isinstance(meta, f.Section):
            yield from _leaves(meta.cls, f"{prefix}{name}.")


def test_every_field_documents_itself_and_ranges_are_not_empty():
    fields = {path: meta for path, _, meta in _leaves(Spec)}
    assert len(fields) > 50
    for path, meta in fields.items():
        assert meta.doc, f"{path} has no doc"
        if isinstance(meta, f.Ranged):
            assert meta.lo < meta.hi, path


def test_every_choice_field_is_typed_as_the_literal_of_exactly_its_choices():
    # The one place that ties a choice field's annotation to the values the loader and the panel
    # allow (fields.choice takes the tuple; mypy sees only the annotation).
    checked = 0
    for path, cls, meta in _leaves(Spec):
        if isinstance(meta, f.Choice):
            annotation = typing.get_type_hints(cls)[path.rsplit(".", 1)[-1]]
            assert typing.get_origin(annotation) is Literal, f"{path} is annotated {annotation}, not a Literal"
            assert typing.get_args(annotation) == meta.choices, path
            checked += 1
    assert checked >= 12


def test_a_field_not_declared_with_a_fields_helper_is_refused():
    @dataclasses.dataclass(frozen=True)
    class Loose:
        x: float = 1.0

    with pytest.raises(TypeError, match=r"'x' is not declared with a core/fields\.py helper"):
        list(f.spec_fields(Loose))


def test_a_choice_default_must_be_one_of_its_choices():
    with pytest.raises(ValueError, match="'up'"):
        f.choice("up", ("left", "right"), "Side.")


def test_colours_keep_how_they_were_written():
    hexed = loads_spec('[background]\ncolor = "#ff0080"\n')
    listed = loads_spec("[background]\ncolor = [255, 0, 128]\n")
    assert hexed.background.color.rgb == listed.background.color.rgb == (255, 0, 128)
    assert 'color = "#FF0080"' in dumps_spec(hexed)
    assert "color = [255, 0, 128]" in dumps_spec(listed)
    assert isinstance(hexed.background.color, Color8)
