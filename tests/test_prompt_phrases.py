"""The words-from-numbers rules (core.prompt.phrases) on the article's own examples and on
the band edges the docstring defines."""

from __future__ import annotations

import pytest

from portrait_spec.core.prompt import phrases as ph
from portrait_spec.core.prompt.wording import indefinite

M = "\u2212"


@pytest.mark.parametrize(("x", "step", "text"), [
    (5.0, 0.5, "5"), (4.92, 0.5, "5"), (6.56, 0.5, "6.5"), (0.15, 0.01, "0.15"), (0.25, 0.1, "0.3"),
    (-2.0, 0.1, f"{M}2"), (-0.04, 0.1, "0"), (2.4384, 0.1, "2.4"), (105.0, 1.0, "105"),
])
def test_numbers_round_half_up_and_drop_trailing_zeros(x, step, text):
    assert ph.number(x, step) == text


@pytest.mark.parametrize(("az", "el", "text"), [
    (45, 45, "45° upper left"),
    (-30, 30, "30° upper right"),
    (30, 45, "30° left and 45° above eye level"),
    (-40, 10, "40° right and 10° above eye level"),
    (-20, 0, "20° right at eye level"),
    (0, 40, "on the lens axis, 40° above eye level"),
    (0, -25, "on the lens axis, 25° below eye level"),
    (-135, 30, "behind the right shoulder, 135° right and 30° above eye level"),
    (150, 35, "behind the left shoulder, 150° left and 35° above eye level"),
    (180, 20, "directly behind, 20° above eye level"),
    (75, 75, "75° left and 75° above eye level"),  # outside the "upper" shorthand band
])
def test_direction_uses_camera_left_and_eye_level(az, el, text):
    assert ph.direction_phrase(az, el) == text


@pytest.mark.parametrize(("area", "distance", "word"), [
    (1.4, 1.5, "large"), (1.44, 2.0, "large"), (0.36, 1.8, "medium"), (0.25, 1.0, "medium"), (0.04, 1.5, "small"),
])
def test_size_class_is_apparent_size(area, distance, word):
    assert ph.size_class(ph.apparent_size(area, distance)) == word


@pytest.mark.parametrize(("shape", "w", "h", "word"), [
    ("rectangle", 1.0, 1.4, "softbox"), ("rectangle", 0.3, 1.2, "strip box"), ("square", 1.2, 1.2, "square softbox"),
    ("rectangle", 0.9, 0.9, "square softbox"), ("disk", 0.56, 0.56, "octabox"), ("ellipse", 0.5, 1.0, "oval softbox"),
])
def test_modifier_word_from_shape(shape, w, h, word):
    assert ph.modifier_word(shape, w, h) == word


@pytest.mark.parametrize(("stops", "level", "ratio"), [
    (-2.0, f"{M}2 stops", "4:1"), (-3.0, f"{M}3 stops", "8:1"), (-1.5, f"{M}1.5 stops", "2.8:1"),
    (-1.0, f"{M}1 stop", "2:1"), (0.0, "at key level", "1:1"), (1.0, "+1 stop", "1:2"), (0.5, "+0.5 stops", "1:1.4"),
])
def test_stops_and_ratio(stops, level, ratio):
    assert ph.stops_phrase(stops) == level
    assert ph.ratio_phrase(stops) == ratio


def test_distances_follow_the_unit_preference():
    assert ph.distance_phrase(2.4384, "imperial") == "8 feet"
    assert ph.distance_phrase(2.4384, "metric") == "2.4 m"
    assert ph.distance_phrase(0.3048, "imperial") == "1 foot"
    assert ph.chain_length_phrase(0.45, "imperial") == "18-inch"
    assert ph.chain_length_phrase(0.45, "metric") == "45 cm"


@pytest.mark.parametrize(("kelvin", "text"), [
    (3200, "3200 K tungsten"), (4300, "4300 K warm white"), (5600, "5600 K daylight"), (7000, "7000 K cool daylight"),
])
def test_temperature_classes(kelvin, text):
    assert ph.temperature_phrase(kelvin) == text


@pytest.mark.parametrize(("rgb", "name"), [
    ((255, 0, 128), "magenta"), ((0, 177, 64), "green"), ((128, 128, 128), "grey"), ((232, 228, 222), "white"),
    ((70, 62, 56), "dark brown"), ((0, 0, 0), "black"), ((20, 40, 200), "blue"), ((255, 200, 200), "pale red"),
    ((120, 80, 30), "brown"), ((160, 110, 40), "orange"),
])
def test_colour_names(rgb, name):
    assert ph.color_name(rgb) == name


def test_skin_tone_states_the_melanin_fraction():
    # Words follow Jacques's categories (light 1.3-6.3 %, moderate 11-16 %, dark 18-43 %).
    assert ph.skin_tone_phrase(0.015) == "light skin with 2% melanin"
    assert ph.skin_tone_phrase(0.08) == "light skin with 8% melanin"
    assert ph.skin_tone_phrase(0.13) == "medium skin with 13% melanin"
    assert ph.skin_tone_phrase(0.3) == "dark skin with 30% melanin"


def test_regions_take_one_article():
    assert ph.regions_phrase(("ears", "nostrils")) == "the ears and nostrils"
    assert ph.regions_phrase(("forehead", "chin", "nose_tip")) == "the forehead, chin and nose tip"


@pytest.mark.parametrize(("phrase", "article"), [
    ("18-inch chain", "an"), ("8 mm", "an"), ("45 cm", "a"), ("11 mm", "an"), ("110 mm", "a"), ("octabox", "an"),
    ("large softbox", "a"), ("105mm lens", "a"), ("80 cm", "an"),
])
def test_indefinite_article_as_read_aloud(phrase, article):
    assert indefinite(phrase) == article


def test_aspect_ratio_is_reduced():
    assert ph.ratio_from_resolution(1024, 1280) == "4:5"
    assert ph.ratio_from_resolution(1920, 1080) == "16:9"
    assert ph.ratio_from_resolution(1000, 1333) == "1000:1333"
