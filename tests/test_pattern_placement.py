"""A requested lighting pattern (``lights.key.pattern``): the key placed for the face and head
turn so the prompt's prediction names that pattern, on the side asked for; resolved once when
the spec is read (and kept through a round trip); and a clear message when it cannot hold."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from portrait_spec.core.errors import Problem, SpecError
from portrait_spec.core.pattern_placement import KEY_REACH_DEG, PLACEMENT, key_angles, lower_sources, place_key
from portrait_spec.core.patterns import predict, side
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.schema import spec_from_data, spec_to_data
from portrait_spec.core.toml_io import load_spec

SCENES = Path(__file__).resolve().parents[1] / "scenes"
YAWS = [float(y) for y in range(-60, 61, 5)]
PITCHES = [-30.0, -10.0, 0.0, 5.0, 30.0]


def spec(pattern: str, *, yaw: float = 0.0, pitch: float = 0.0, face_side: str = "short",
         fill: dict[str, object] | None = None, **key: object) -> dict[str, object]:
    fill = fill if fill is not None else ({"azimuth_deg": yaw, "elevation_deg": pitch - 25.0} if pattern == "clamshell"
                                          else {"azimuth_deg": -40.0, "elevation_deg": pitch + 10.0})
    return {"subject": {"pose": {"head_yaw_deg": yaw, "head_pitch_deg": pitch}},
            "lights": {"key": {"pattern": pattern, "face_side": face_side, **key}, "fill": fill}}


def problems_of(data: dict[str, object]) -> dict[str, Problem]:
    with pytest.raises(SpecError) as info:
        spec_from_data(data)
    return {p.path: p for p in info.value.problems}


@pytest.mark.parametrize(("pattern", "face_side"), list(itertools.product(sorted(PLACEMENT), ("short", "broad"))))
def test_the_placed_key_makes_the_pattern_asked_for_on_the_side_asked_for(pattern, face_side):
    """For every head turn and pitch the pattern can hold at, the prompt's prediction from the
    placed key is the pattern asked for, and broad or short is the side asked for; every pattern
    holds for head turns up to 20 deg either way."""
    held: set[float] = set()
    for yaw, pitch in itertools.product(YAWS, PITCHES):
        data = spec(pattern, yaw=yaw, pitch=pitch, face_side=face_side)
        try:
            placed = spec_from_data(data)
        except SpecError as exc:
            assert {p.path for p in exc.problems} == {"lights.key.pattern"}, exc
            assert abs(key_angles(pattern, face_side, yaw, pitch)[0]) > KEY_REACH_DEG
            continue
        held.add(yaw)
        key = placed.lights.key
        got = predict(key.azimuth_deg, key.elevation_deg, yaw, pitch, lower_sources(placed))
        assert got == pattern, (yaw, pitch, key.azimuth_deg, key.elevation_deg)
        if pattern not in ("butterfly", "clamshell") and abs(yaw) >= 5.0:
            assert side(key.azimuth_deg, yaw) == face_side, (yaw, key.azimuth_deg)
    assert held >= {yaw for yaw in YAWS if abs(yaw) <= 20.0}


def test_placement_is_relative_to_the_head():
    assert key_angles("rembrandt", "short", 15.0, 0.0) == (65.0, 40.0)   # rembrandt.toml
    assert key_angles("rembrandt", "broad", 15.0, 0.0) == (-35.0, 40.0)
    assert key_angles("loop", "short", -15.0, 0.0) == (-40.0, 35.0)      # loop.toml
    assert key_angles("split", "short", 0.0, 0.0) == (90.0, 15.0)        # split.toml: facing the camera, camera left
    assert key_angles("butterfly", "broad", 20.0, 5.0) == (20.0, 45.0)   # on the face's axis, above its pitch
    assert key_angles("clamshell", "short", -10.0, -10.0) == (-10.0, 30.0)


def test_the_pattern_replaces_the_given_angles_once_and_the_round_trip_keeps_them():
    placed = spec_from_data(spec("split", yaw=10.0, azimuth_deg=20.0, elevation_deg=60.0))
    assert (placed.lights.key.azimuth_deg, placed.lights.key.elevation_deg) == (100.0, 15.0)
    assert place_key(placed) is placed
    assert spec_from_data(spec_to_data(placed)) == placed
    turned = spec_to_data(placed)
    turned["subject"]["pose"]["head_yaw_deg"] = -10.0  # a --set of the head turn re-places the key,
    assert spec_from_data(turned).lights.key.azimuth_deg == -100.0  # short: now on the camera-right side


def test_no_pattern_keeps_the_angles_as_given():
    given = spec_from_data({"lights": {"key": {"azimuth_deg": 20.0, "elevation_deg": 60.0}}})
    assert (given.lights.key.azimuth_deg, given.lights.key.elevation_deg) == (20.0, 60.0)
    assert place_key(given) is given


def test_only_the_key_takes_a_pattern():
    found = problems_of({"lights": {"fill": {"pattern": "loop"}, "rim": {"pattern": "split"}}})
    assert set(found) == {"lights.fill.pattern", "lights.rim.pattern"}
    assert "only the key" in found["lights.fill.pattern"].allowed and "'none'" in found["lights.rim.pattern"].allowed


def test_a_key_that_would_stand_behind_the_sitter_is_refused_with_the_turn_allowed():
    found = problems_of(spec("split", yaw=40.0))
    p = found["lights.key.pattern"]
    assert "130 deg azimuth" in p.found and "turned 40 deg" in p.found
    assert "at most 20 deg for short split" in p.allowed and "face_side = 'broad'" in p.allowed
    assert spec_from_data(spec("split", yaw=40.0, face_side="broad")).lights.key.azimuth_deg == -50.0


def test_clamshell_needs_the_fill_below_the_face():
    found = problems_of(spec("clamshell", yaw=10.0, fill={"azimuth_deg": 10.0, "elevation_deg": 0.0}))
    p = found["lights.fill.elevation_deg"]
    assert "azimuth -20 to 40 deg" in p.allowed and "elevation -50 to -15 deg" in p.allowed
    assert "lights.fill.azimuth_deg" in problems_of(spec("clamshell", fill={"azimuth_deg": -60.0, "elevation_deg": -30.0}))
    assert "lights.fill.enabled" in problems_of(spec("clamshell", fill={"enabled": False}))
    pitched = problems_of(spec("clamshell", pitch=10.0, fill={"azimuth_deg": 0.0, "elevation_deg": 0.0}))
    assert "elevation -40 to -5 deg for this head pitch" in pitched["lights.fill.elevation_deg"].allowed


def test_butterfly_refuses_a_fill_from_below_and_names_clamshell():
    found = problems_of(spec("butterfly", fill={"azimuth_deg": 0.0, "elevation_deg": -25.0}))
    p = found["lights.fill.elevation_deg"]
    assert "at least -5 deg" in p.allowed and "'clamshell'" in p.allowed


def test_a_pattern_needs_a_person():
    found = problems_of({**spec("loop"), "subject": {"kind": "mannequin"}})
    assert "subject.kind = 'person'" in found["lights.key.pattern"].allowed


def test_clamshell_takes_a_bounce_reflector_below_the_face_as_its_lower_half():
    data = spec("clamshell", fill={"azimuth_deg": -40.0, "elevation_deg": 10.0})
    assert "lights.fill.azimuth_deg" in problems_of(data)
    data["lights"]["bounce"] = {"enabled": True, "azimuth_deg": 0.0, "elevation_deg": -30.0}
    assert lower_sources(spec_from_data(data))[1].elevation_deg == -30.0
    butterfly = spec("butterfly")
    butterfly["lights"]["bounce"] = {"enabled": True, "azimuth_deg": 0.0, "elevation_deg": -30.0}
    assert "at least -5 deg" in problems_of(butterfly)["lights.bounce.elevation_deg"].allowed


@pytest.mark.parametrize(("name", "side_claim"), [
    ("rembrandt", "short"), ("loop", "short"), ("split", None), ("butterfly", None), ("clamshell", None),
    ("broad", "broad"), ("short", "short"),
])
def test_each_pattern_preset_asks_for_its_pattern_and_the_prompt_names_it(name, side_claim):
    spec = load_spec(SCENES / f"{name}.toml")
    assert spec.lights.key.pattern != "none"
    claims = {c.path: c.value for c in build_prompts(spec).claims}
    assert claims["lights.key.pattern"] == spec.lights.key.pattern
    assert claims.get("lights.key.side") == side_claim

