"""The lighting-pattern rules of core.patterns: classify measured face light, predict from angles."""

from __future__ import annotations

import pytest

from portrait_spec.core.patterns import FaceLight, classify, predict, side


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
