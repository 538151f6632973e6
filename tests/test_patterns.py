"""The lighting-pattern rules of core.patterns: classify measured face light, predict from angles."""

from __future__ import annotations

import pytest

from portrait_spec.core.patterns import FILL_BELOW, FaceLight, FillAngles, classify, fill_place, predict, side


def light(**kw: float) -> FaceLight:
    base = {"triangle": 1.0, "cheek": 1.0, "band": 1.0, "key_cheek": 1.0, "nose_shadow": 0.4,
            "nose_shadow_lean": 0.0}
    base.update(kw)
    return FaceLight(**base)


@pytest.mark.parametrize(("reading", "pattern"), [
    (light(), "butterfly"),
    (light(nose_shadow_lean=0.15), "loop"),
    (light(triangle=0.4, cheek=0.2, band=0.1, nose_shadow_lean=0.6), "rembrandt"),
    (light(triangle=0.0, cheek=0.0, band=0.0, nose_shadow=1.0), "split"),
    (light(nose_shadow=0.0), "unnamed"),
    (light(key_cheek=0.2), "unnamed"),
    (light(cheek=0.3, nose_shadow_lean=0.0), "unnamed"),  # centred shadow, cheeks unalike
])
def test_classify(reading, pattern):
    assert classify(reading) == pattern


def test_rembrandt_needs_the_lit_triangle():
    """The shadow side dark but no lit patch under the eye is split, not Rembrandt."""
    assert classify(light(triangle=0.05, cheek=0.0, band=0.0)) == "split"
    assert classify(light(triangle=0.3, cheek=0.0, band=0.0)) == "rembrandt"


@pytest.mark.parametrize(("az", "el", "yaw", "pattern"), [
    (0.0, 40.0, 0.0, "butterfly"),
    (25.0, 35.0, 0.0, "loop"),
    (65.0, 40.0, 15.0, "rembrandt"),
    (50.0, 40.0, 15.0, "unnamed"),  # between loop and Rembrandt: the face decides, no claim
    (90.0, 10.0, 0.0, "split"),
    (-90.0, 30.0, 0.0, "split"),
    (20.0, 40.0, 20.0, "butterfly"),  # the key in line with the turned face
    (0.0, 80.0, 0.0, "unnamed"),
    (160.0, 30.0, 0.0, "unnamed"),
])
def test_predict(az, el, yaw, pattern):
    assert predict(az, el, yaw) == pattern


@pytest.mark.parametrize(("az", "yaw", "expected"), [
    (50.0, 15.0, "short"), (-30.0, 15.0, "broad"), (-50.0, -15.0, "short"), (30.0, -15.0, "broad"),
    (45.0, 0.0, "frontal"),
])
def test_side(az, yaw, expected):
    assert side(az, yaw) == expected


def test_a_butterfly_key_over_a_fill_from_below_is_clamshell():
    assert classify(light(), FILL_BELOW) == "clamshell"
    assert classify(light(), FILL_BELOW - 0.01) == "butterfly"
    assert classify(light(nose_shadow_lean=0.15), 2.0) == "loop"  # a fill below does not make loop clamshell


@pytest.mark.parametrize(("fills", "yaw", "pitch", "place"), [
    ((), 0.0, 0.0, "level"),
    ((FillAngles(0.0, 0.0),), 0.0, 0.0, "level"),
    ((FillAngles(0.0, -25.0),), 0.0, 0.0, "below"),
    ((FillAngles(20.0, -25.0),), 20.0, 0.0, "below"),   # on the turned face's axis
    ((FillAngles(0.0, -25.0),), 40.0, 0.0, "between"),  # 40 deg off the turned face's axis
    ((FillAngles(0.0, -10.0),), 0.0, 0.0, "between"),   # below, not far enough for the claim
    ((FillAngles(0.0, -10.0),), 0.0, -10.0, "level"),   # level with a lowered face
    ((FillAngles(0.0, 5.0),), 0.0, 30.0, "below"),      # 25 deg below a raised face
    ((FillAngles(-40.0, 10.0), FillAngles(0.0, -30.0)), 0.0, 0.0, "below"),  # a fill level, a bounce below
    ((FillAngles(-40.0, 10.0), FillAngles(0.0, -10.0)), 0.0, 0.0, "between"),
])
def test_fill_place(fills, yaw, pitch, place):
    assert fill_place(fills, yaw, pitch) == place


def test_predict_is_relative_to_the_head_pitch_and_names_clamshell():
    assert predict(0.0, 45.0, 0.0, 5.0, (FillAngles(0.0, 5.0),)) == "butterfly"   # butterfly.toml
    assert predict(0.0, 40.0, 0.0, 0.0, (FillAngles(0.0, -25.0),)) == "clamshell"  # clamshell.toml
    assert predict(0.0, 40.0, 0.0, 0.0, (FillAngles(0.0, -10.0),)) == "unnamed"    # the face decides
    assert predict(0.0, 70.0, 0.0, 30.0) == "butterfly"  # 40 deg above a raised face
    assert predict(0.0, 70.0, 0.0, 0.0) == "unnamed"
    assert predict(65.0, 40.0, 15.0, 0.0, (FillAngles(15.0, -25.0),)) == "rembrandt"  # a fill below leaves Rembrandt
