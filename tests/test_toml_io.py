"""Reading TOML files and --set overrides, and writing TOML back.

An override must get exactly the checks and messages a value written in the file gets."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from portrait_spec.core.errors import Problem, SpecError
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import apply_overrides, dumps_spec, load_spec, loads_spec, parse_override
from portrait_spec.core.units import Distance

SEED = Path(__file__).resolve().parents[1] / "scenes" / "seed_portrait.toml"


def problems(call, *args, **kwargs) -> list[Problem]:
    with pytest.raises(SpecError) as info:
        call(*args, **kwargs)
    return info.value.problems


@pytest.mark.parametrize(("text", "path", "value"), [
    ("lights.fill.stops=-1", "lights.fill.stops", -1),
    ("lights.fill.stops = -1.5", "lights.fill.stops", -1.5),
    ("jewelry.enabled=false", "jewelry.enabled", False),
    ('subject.distance_to_background="2.5 m"', "subject.distance_to_background", "2.5 m"),
    ("subject.distance_to_background=8 ft", "subject.distance_to_background", "8 ft"),
    ("background.mode=gradient", "background.mode", "gradient"),
    ("render.resolution=[64, 80]", "render.resolution", [64, 80]),
    ('background.color="#00B140"', "background.color", "#00B140"),
    ("prompt.midjourney_version=6.1", "prompt.midjourney_version", 6.1),
])
def test_override_values_are_read_as_toml_or_a_bare_string(text, path, value):
    assert parse_override(text) == (path, value)


def test_an_override_without_equals_is_bad_input():
    found = problems(parse_override, "lights.fill.stops")
    assert found[0].path == "lights.fill.stops"
    assert "dotted.path=value" in found[0].allowed


def test_overrides_set_values_and_leave_the_input_alone():
    data = {"lights": {"fill": {"stops": -2.0}}}
    result = apply_overrides(data, ["lights.fill.stops=-1", "lights.rim.enabled=false", "camera.f_number=8"])
    assert result["lights"]["fill"]["stops"] == -1
    assert result["lights"]["rim"]["enabled"] is False
    assert result["camera"]["f_number"] == 8
    assert data == {"lights": {"fill": {"stops": -2.0}}}


def test_overrides_apply_in_order():
    spec = load_spec(SEED, ["lights.fill.stops=-1", "lights.fill.stops=-3"])
    assert spec.lights.fill.stops == -3.0


def test_overrides_change_a_loaded_spec():
    spec = load_spec(SEED, ["lights.fill.stops=-1", "subject.distance_to_background=10 ft", "background.mode=lit"])
    assert spec.lights.fill.stops == -1.0
    assert spec.subject.distance_to_background == Distance(10.0, "ft")
    assert spec.background.mode == "lit"


def test_an_override_is_validated_exactly_like_the_file(tmp_path: Path):
    bad_file = tmp_path / "bad.toml"
    bad_file.write_text(SEED.read_text(encoding="utf-8").replace("stops = -2.0", "stops = -20"), encoding="utf-8")
    from_file = problems(load_spec, bad_file)
    from_set = problems(load_spec, SEED, ["lights.fill.stops=-20"])
    assert from_file == from_set == [Problem("lights.fill.stops", "-20", "a number from -8 to 4 stops")]


def test_a_misspelt_override_path_gets_a_suggestion():
    found = problems(load_spec, SEED, ["lights.fill.stop=-1"])
    assert [p.path for p in found] == ["lights.fill.stop"]
    assert "did you mean lights.fill.stops?" in found[0].allowed


def test_every_bad_override_is_reported_together():
    found = problems(load_spec, SEED, ["camera.f_number=0", "lights.rim.azimuth_deg=999", "render.quality=best"])
    assert {p.path for p in found} == {"camera.f_number", "lights.rim.azimuth_deg", "render.quality"}


def test_an_override_through_a_value_that_is_not_a_table():
    found = problems(apply_overrides, {"camera": {"framing": "closeup"}}, ["camera.framing.width=2"])
    assert found[0].path == "camera.framing.width"
    assert "not a table" in found[0].found


def test_loads_spec_takes_overrides_too():
    assert loads_spec("", ["camera.focal_length_mm=85"]).camera.focal_length_mm == 85.0


# ---------------------------------------------------------------- files

def test_a_missing_file_is_bad_input(tmp_path: Path):
    found = problems(load_spec, tmp_path / "nope.toml")
    assert found[0].path == "(file)"
    assert "nope.toml" in found[0].found


def test_malformed_toml_is_bad_input_with_the_parser_position(tmp_path: Path):
    path = tmp_path / "broken.toml"
    path.write_text("[camera\nf_number = 2\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert info.value.problems[0].path == "(syntax)"
    assert "line 1" in info.value.problems[0].found
    assert str(path) in info.value.message()


def test_a_file_that_is_not_utf8_is_bad_input(tmp_path: Path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[subject]\nmodel = "caf\xe9.glb"\n'.encode("latin-1"))
    assert problems(load_spec, path)[0].path == "(file)"


def test_loads_spec_reports_syntax_errors():
    assert problems(loads_spec, "camera = = 1")[0].path == "(syntax)"


# ---------------------------------------------------------------- writing

def test_the_written_toml_is_valid_toml_with_a_header():
    text = dumps_spec(Spec())
    assert text.startswith("# Portrait Spec scene\n")
    data = tomllib.loads(text)
    assert set(data) == {"camera", "subject", "skin", "jewelry", "lights", "background", "render", "prompt",
                         "generation"}
    assert data["lights"]["fill"]["stops"] == -2.0


def test_keys_and_strings_that_need_quoting_are_quoted():
    spec = loads_spec('[subject]\nkind = "model"\nmodel = "my \\"bust\\".glb"\n'
                      '[subject.materials]\n"Skin.001" = "skin"\n"gold chain" = "gold"\n"Ünïcode" = "keep"\n')
    text = dumps_spec(spec)
    assert loads_spec(text) == spec
    assert spec.subject.materials == {"Skin.001": "skin", "gold chain": "gold", "Ünïcode": "keep"}
    assert spec.subject.model == 'my "bust".glb'


def test_control_characters_and_astral_characters_survive_writing():
    # Text fields refuse control characters (they would break prompt lines); a model's material names may hold them.
    spec = loads_spec('[subject.materials]\n"a\\u007Fb\\tc" = "keep"\n"\\U0001F600 skin" = "skin"\n')
    assert loads_spec(dumps_spec(spec)) == spec
