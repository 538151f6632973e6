"""Lengths with units and 8-bit sRGB colours: parsing, conversion and exact round trips."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portrait_spec.core.color import Color8, linear_to_srgb, parse_color, srgb_to_linear
from portrait_spec.core.units import METRES_PER_UNIT, Distance, feet, parse_distance


@pytest.mark.parametrize(("text", "metres", "unit"), [
    ("8 ft", 2.4384, "ft"),
    ("8ft", 2.4384, "ft"),
    ("8 feet", 2.4384, "ft"),
    ("1 foot", 0.3048, "ft"),
    ("2.44 m", 2.44, "m"),
    ("2.44 metres", 2.44, "m"),
    ("2.44 meters", 2.44, "m"),
    ("30 cm", 0.30, "cm"),
    ("450 mm", 0.45, "mm"),
    ("96 in", 2.4384, "in"),
    ("96 inches", 2.4384, "in"),
    ("  1.5e0 M ", 1.5, "m"),
    (".5 m", 0.5, "m"),
])
def test_distances_with_units(text, metres, unit):
    dist = parse_distance(text)
    assert dist.metres == pytest.approx(metres, rel=1e-12)
    assert dist.unit == unit


def test_bare_numbers_are_metres():
    assert parse_distance(2) == Distance(2.0, "m")
    assert parse_distance(1.25).metres == 1.25


@pytest.mark.parametrize("raw", ["8", "8 parsecs", "eight ft", "ft", "", "8 ft 2 in", True, None, [8, "ft"], {"ft": 8}])
def test_what_is_not_a_length(raw):
    with pytest.raises(ValueError):
        parse_distance(raw)


def test_distance_rejects_an_unknown_unit_and_infinity():
    with pytest.raises(ValueError):
        Distance(1.0, "furlong")
    with pytest.raises(ValueError):
        Distance(math.inf, "m")


def test_from_metres_and_feet():
    assert Distance.from_metres(2.4384, "ft").value == pytest.approx(8.0)
    assert feet(2.4384) == pytest.approx(8.0)


@given(st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from(sorted(METRES_PER_UNIT)))
def test_a_distance_survives_its_own_toml_form(value, unit):
    dist = Distance(value, unit)
    assert parse_distance(dist.to_toml()) == dist


def test_metres_are_written_as_bare_numbers_other_units_as_strings():
    assert Distance(2.5, "m").to_toml() == 2.5
    assert Distance(8.0, "ft").to_toml() == "8 ft"
    assert str(Distance(45.0, "cm")) == "45 cm"


# ---------------------------------------------------------------- colour

def test_srgb_transfer_known_values():
    assert srgb_to_linear(0.0) == 0.0
    assert srgb_to_linear(1.0) == pytest.approx(1.0)
    assert srgb_to_linear(0.04045) == pytest.approx(0.04045 / 12.92)  # the linear toe
    assert srgb_to_linear(0.5) == pytest.approx(0.21404, abs=1e-5)
    assert linear_to_srgb(0.18) == pytest.approx(0.46135, abs=1e-5)  # 18 % grey
    assert linear_to_srgb(-0.1) == 0.0 and linear_to_srgb(2.0) == pytest.approx(1.0)


def test_every_8_bit_level_survives_linear_and_back():
    for level in range(256):
        colour = Color8(level, 255 - level, level // 2)
        assert Color8.from_linear(colour.linear) == colour


def test_the_seed_magenta_in_linear():
    r, g, b = Color8(255, 0, 128).linear
    assert (r, g) == (pytest.approx(1.0), 0.0)
    assert b == pytest.approx(0.21586, abs=1e-5)


@pytest.mark.parametrize(("raw", "rgb", "as_hex"), [
    ("#FF0080", (255, 0, 128), True),
    ("ff0080", (255, 0, 128), True),
    ("  #00b140 ", (0, 177, 64), True),
    ([255, 0, 128], (255, 0, 128), False),
    ((1, 2, 3), (1, 2, 3), False),
])
def test_colour_forms(raw, rgb, as_hex):
    colour = parse_color(raw)
    assert colour.rgb == rgb
    assert colour.as_hex is as_hex


@pytest.mark.parametrize("raw", [
    "#FF008", "#GG0080", "magenta", [256, 0, 0], [-1, 0, 0], [1.0, 0, 0], [True, 0, 0], [1, 2], 0xFF0080, None,
])
def test_what_is_not_a_colour(raw):
    with pytest.raises(ValueError):
        parse_color(raw)


def test_hex_output_is_upper_case_with_hash():
    assert Color8(255, 0, 128).hex == "#FF0080"
    assert Color8(0, 177, 64, as_hex=True).to_toml() == "#00B140"
    assert Color8(0, 177, 64).to_toml() == [0, 177, 64]
