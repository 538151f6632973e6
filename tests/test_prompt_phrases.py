"""The words-from-numbers rules (core.prompt.phrases) on the article's own examples and on
the band edges the docstring defines."""

from __future__ import annotations

import pytest

from portrait_spec.core.prompt import parse
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
    (45, 45, "45° camera left and 45° up"),
    (-30, 30, "30° camera right and 30° up"),
    (-40, 10, "40° camera right and 10° up"),
    (-20, 0, "20° camera right, level with the eyes"),
    (0, 40, "on the lens axis, 40° up"),
    (0, -25, "on the lens axis, 25° down"),
    (90, 0, "90° camera left, level with the eyes"),
    # Beyond 90° the light is behind the sitter, who faces the camera: camera right is the
    # sitter's left (spec.py: azimuth + = camera left = world -X).
    (-135, 30, "behind the sitter's left shoulder, 135° camera right and 30° up"),
    (150, 35, "behind the sitter's right shoulder, 150° camera left and 35° up"),
    (180, 20, "directly behind the sitter, 20° up"),
    (-180, 0, "directly behind the sitter, level with the eyes"),
    (0.4, 0.4, "on the lens axis, level with the eyes"),
])
def test_direction_names_whose_left_and_never_says_eye_level(az, el, text):
    assert ph.direction_phrase(az, el) == text
    assert "eye level" not in text  # the camera's "at eye level" is the only one in a prompt


@pytest.mark.parametrize("az", [-179, -135, -91, -45, -1, 1, 45, 91, 135, 179])
def test_the_shoulder_is_the_sitters_and_the_side_is_the_cameras(az):
    text = ph.direction_phrase(az, 10)
    camera = "left" if az > 0 else "right"
    assert f"camera {camera}" in text
    assert parse.azimuth_in(text) == az
    if abs(az) > 90:
        # World -X is camera left; the sitter faces -Y, so the sitter's right hand is at -X too.
        assert parse.shoulder_in(text) == ("right" if az > 0 else "left")
    else:
        assert parse.shoulder_in(text) is None


@pytest.mark.parametrize(("area", "distance", "word"), [
    (1.4, 1.5, "large"), (1.44, 2.0, "large"), (0.36, 1.8, "medium"), (0.25, 1.0, "medium"), (0.04, 1.5, "small"),
])
def test_size_class_is_apparent_size(area, distance, word):
    assert ph.size_class(ph.apparent_size(area, distance)) == word


@pytest.mark.parametrize(("modifier", "shape", "w", "h", "word"), [
    ("softbox", "rectangle", 1.0, 1.4, "softbox"), ("stripbox", "rectangle", 0.3, 1.2, "strip box"),
    ("softbox", "square", 1.2, 1.2, "square softbox"), ("softbox", "rectangle", 0.9, 0.9, "square softbox"),
    ("softbox", "disk", 0.56, 0.56, "round softbox"), ("softbox", "ellipse", 0.5, 1.0, "oval softbox"),
    ("octabox", "rectangle", 1.2, 1.4, "octabox"), ("beauty_dish", "disk", 0.56, 1.4, "beauty dish"),
    ("umbrella_shoot_through", "rectangle", 1.0, 1.4, "shoot-through umbrella"),
    ("umbrella_reflective", "rectangle", 1.0, 1.4, "reflective umbrella"),
    ("bare", "rectangle", 0.1, 1.4, "bare flash"), ("fresnel", "rectangle", 0.1, 1.4, "Fresnel spot"),
])
def test_modifier_word(modifier, shape, w, h, word):
    """The modifier names the source; only a softbox is named by its shape."""
    assert ph.modifier_word(modifier, shape, w, h) == word


@pytest.mark.parametrize(("modifier", "phrase"), [
    ("octabox", "large octabox"), ("beauty_dish", "large beauty dish"), ("bare", "hard bare flash"),
    ("fresnel", "Fresnel spot"),
])
def test_source_phrase_has_a_size_class_unless_the_source_is_point_like(modifier, phrase):
    assert ph.source_phrase(modifier, "large", ph.modifier_word(modifier, "disk", 1.0, 1.0)) == phrase


def test_a_fresnel_states_its_beam_and_a_softbox_its_grid():
    assert ph.grid_phrase(30.0, "fresnel") == "with a 30\u00b0 beam"
    assert ph.grid_phrase(40.0, "stripbox") == "with a 40\u00b0 grid"


@pytest.mark.parametrize(("stops", "level", "ratio"), [
    (-2.0, "metered 2 stops under the key", "4:1"), (-3.0, "metered 3 stops under the key", "8:1"),
    (-1.5, "metered 1.5 stops under the key", "2.8:1"), (-1.0, "metered 1 stop under the key", "2:1"),
    (0.0, "metered equal to the key", "1:1"), (1.0, "metered 1 stop over the key", "1:2"),
    (0.5, "metered 0.5 stops over the key", "1:1.4"), (-3.5, "metered 3.5 stops under the key", "11:1"),
    (-8.0, "metered 8 stops under the key", "260:1"),
])
def test_levels_are_exposures_against_the_key(stops, level, ratio):
    assert ph.stops_phrase(stops) == level
    assert ph.ratio_phrase(stops) == ratio
    assert "key level" not in level  # reads as a height


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
    ((255, 0, 128), "deep pink"), ((0, 177, 64), "medium sea green"), ((128, 128, 128), "grey"),
    ((255, 0, 255), "magenta"), ((70, 62, 56), "dim grey"), ((0, 0, 0), "black"), ((20, 40, 200), "medium blue"),
    ((255, 200, 200), "pink"), ((120, 80, 30), "saddle brown"), ((255, 255, 255), "white"), ((0, 255, 255), "cyan"),
])
def test_colour_names_are_the_nearest_css_name(rgb, name):
    assert ph.color_name(rgb) == name


def test_skin_tone_states_the_melanin_fraction_to_a_tenth():
    # Words follow Jacques's categories (light 1.3-6.3 %, moderate 11-16 %, dark 18-43 %).
    assert ph.skin_tone_phrase(0.015) == "light skin at 1.5% melanin"  # not "2%": 0.5 off is the whole tolerance
    assert ph.skin_tone_phrase(0.08) == "light skin at 8% melanin"
    assert ph.skin_tone_phrase(0.13) == "medium skin at 13% melanin"
    assert ph.skin_tone_phrase(0.3) == "dark skin at 30% melanin"


def test_regions_take_one_article():
    assert ph.regions_phrase(("ears", "nostrils")) == "the ears and nostrils"
    assert ph.regions_phrase(("forehead", "chin", "nose_tip")) == "the forehead, chin and nose tip"
    assert ph.regions_phrase(("clavicles",)) == "the collarbones"


@pytest.mark.parametrize(("phrase", "article"), [
    ("18-inch chain", "an"), ("8 mm", "an"), ("45 cm", "a"), ("11 mm", "an"), ("110 mm", "a"), ("octabox", "an"),
    ("large softbox", "a"), ("105mm lens", "a"), ("80 cm", "an"),
])
def test_indefinite_article_as_read_aloud(phrase, article):
    assert indefinite(phrase) == article


def test_orientation_of_the_frame():
    assert ph.orientation(1024, 1280) == "vertical"
    assert ph.orientation(1920, 1080) == "horizontal"
    assert ph.orientation(1024, 1024) == "square"


def test_aspect_ratio_is_reduced():
    assert ph.ratio_from_resolution(1024, 1280) == "4:5"
    assert ph.ratio_from_resolution(1920, 1080) == "16:9"
    assert ph.ratio_from_resolution(1000, 1333) == "1000:1333"
