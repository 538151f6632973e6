"""Colour names (core.prompt.color_names): CIEDE2000 against the published test data, the CSS
name list against a well-kept library's copy of it, and the names our presets get."""

from __future__ import annotations

import pytest
from PIL import ImageColor

from portrait_spec.core.prompt.ciede2000 import delta_e_2000, lab_from_srgb8
from portrait_spec.core.prompt.color_names import CSS_COLORS, color_name

# Sharma, Wu and Dalal 2005, Table 1: (L, a, b) pairs and their CIEDE2000 difference.
SHARMA: list[tuple[tuple[float, float, float], tuple[float, float, float], float]] = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
    ((50.0, 2.8361, -74.0200), (50.0, 0.0, -82.7485), 3.4412),
    ((50.0, -1.3802, -84.2814), (50.0, 0.0, -82.7485), 1.0000),
    ((50.0, -1.1848, -84.8006), (50.0, 0.0, -82.7485), 1.0000),
    ((50.0, -0.9009, -85.5211), (50.0, 0.0, -82.7485), 1.0000),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, -1.0, 2.0), (50.0, 0.0, 0.0), 2.3669),
    ((50.0, 2.4900, -0.0010), (50.0, -2.4900, 0.0009), 7.1792),
    ((50.0, 2.4900, -0.0010), (50.0, -2.4900, 0.0010), 7.1792),
    ((50.0, 2.4900, -0.0010), (50.0, -2.4900, 0.0011), 7.2195),
    ((50.0, 2.4900, -0.0010), (50.0, -2.4900, 0.0012), 7.2195),
    ((50.0, -0.0010, 2.4900), (50.0, 0.0009, -2.4900), 4.8045),
    ((50.0, -0.0010, 2.4900), (50.0, 0.0010, -2.4900), 4.8045),
    ((50.0, -0.0010, 2.4900), (50.0, 0.0011, -2.4900), 4.7461),
    ((50.0, 2.5, 0.0), (50.0, 0.0, -2.5), 4.3065),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (61.0, -5.0, 29.0), 22.8977),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((50.0, 2.5, 0.0), (58.0, 24.0, 15.0), 19.4535),
    ((50.0, 2.5, 0.0), (50.0, 3.1736, 0.5854), 1.0000),
    ((50.0, 2.5, 0.0), (50.0, 3.2972, 0.0), 1.0000),
    ((50.0, 2.5, 0.0), (50.0, 1.8634, 0.5757), 1.0000),
    ((50.0, 2.5, 0.0), (50.0, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab1", "lab2", "expected"), SHARMA)
def test_ciede2000_matches_sharma_wu_dalal(lab1, lab2, expected):
    assert delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=5e-5)
    assert delta_e_2000(lab2, lab1) == pytest.approx(expected, abs=5e-5)  # symmetric


def test_lab_of_srgb_white_black_and_red():
    assert lab_from_srgb8((255, 255, 255)) == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    assert lab_from_srgb8((0, 0, 0)) == pytest.approx((0.0, 0.0, 0.0), abs=1e-9)
    assert lab_from_srgb8((255, 0, 0)) == pytest.approx((53.24, 80.09, 67.20), abs=0.05)  # the usual sRGB red (4-digit matrix)


def test_css_list_is_pillows_css_list_as_words():
    """Every CSS Color 4 name (Pillow's ImageColor.colormap holds the same 148) appears once,
    with its exact value; only synonyms are dropped (aqua, fuchsia, the "gray" spellings)."""
    ours = {name.replace(" ", ""): value for name, value in CSS_COLORS}
    assert len(ours) == len(CSS_COLORS)
    theirs = {name: int(hex_value[1:], 16) for name, hex_value in ImageColor.colormap.items()}
    assert len(theirs) == 148
    dropped = set(theirs) - set(ours)
    assert dropped == {"aqua", "fuchsia"} | {n for n in theirs if "gray" in n}
    assert all(theirs[n] == v for n, v in ours.items())


@pytest.mark.parametrize(("name", "value"), CSS_COLORS)
def test_every_css_colour_is_named_by_itself(name, value):
    assert color_name(((value >> 16) & 255, (value >> 8) & 255, value & 255)) == name


@pytest.mark.parametrize(("rgb", "name"), [
    ((255, 0, 128), "deep pink"),            # the seed's backdrop: hue 330, not "magenta" (255/0/255)
    ((0, 177, 64), "medium sea green"),      # chroma green
    ((128, 128, 128), "grey"),
    ((232, 228, 222), "gainsboro"),
    ((70, 62, 56), "dim grey"),
])
def test_preset_backdrops(rgb, name):
    assert color_name(rgb) == name
