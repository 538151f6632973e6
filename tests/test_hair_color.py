"""Hair colour words from Principled Hair pigment: the sourced anchors land in their own words,
the words darken monotonically with melanin, pheomelanin-dominant pigment reads red, and every
word reads back from a phrase."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portrait_spec.core.prompt import hair_color as hc
from portrait_spec.core.prompt.sitter import stated_in

EUMELANIN_ORDER = ("white", "platinum", "blonde", "dark blonde", "light brown", "brown", "dark brown", "black")


def test_the_cycles_pigment_quantity_is_the_manuals():
    assert hc.pigment_quantity(0.0) == 0.0
    assert hc.pigment_quantity(0.5) == pytest.approx(math.log(2.0))
    assert hc.pigment_quantity(1.0) == pytest.approx(-math.log(1e-4))
    assert hc.melanin_of(hc.pigment_quantity(0.37)) == pytest.approx(0.37)


def test_the_sourced_anchors_name_their_shade():
    for word, concentration in hc.ANCHORS:  # pbrt-v3's blonde 0.3, brown 1.3, black 8 (d'Eon units)
        assert hc.hair_shade(hc.melanin_of(concentration * hc.PBRT_TO_CYCLES), 0.0) == word
    # The Blender manual's swatches: melanin 0 white, 0.25 blonde, 0.75 brown, 1 black.
    assert [hc.hair_shade(m, 0.0) for m in (0.0, 0.25, 0.75, 1.0)] == ["white", "blonde", "brown", "black"]


def test_band_edges_rise_and_sit_between_the_centres():
    edges = hc.band_edges()
    assert [w for w, _ in edges] == list(EUMELANIN_ORDER[1:])
    uppers = [u for _, u in edges]
    assert uppers == sorted(uppers) and uppers[-1] == 1.0
    centres = [hc.melanin_of(q) for _, q in hc.CENTRES]
    assert all(lo < edge < hi for lo, edge, hi in zip(centres, uppers, centres[1:], strict=False))


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 0.49))
def test_words_darken_with_melanin(a, b, redness):
    lo, hi = sorted((a, b))
    assert EUMELANIN_ORDER.index(hc.hair_shade(lo, redness)) <= EUMELANIN_ORDER.index(hc.hair_shade(hi, redness))


def test_pheomelanin_dominant_pigment_reads_red():
    assert [hc.hair_shade(m, 0.8) for m in (0.2, 0.5, 0.7, 0.9, 0.999)] == [
        "strawberry blonde", "red", "red", "auburn", "black"]
    assert hc.hair_shade(0.6, hc.RED_FROM - 0.01) == "brown"
    assert hc.hair_shade(0.6, hc.RED_FROM) == "red"
    assert hc.hair_shade(0.01, 1.0) == "white"  # no pigment, no colour


@pytest.mark.parametrize("word", hc.SHADE_WORDS)
def test_every_word_reads_back(word):
    assert stated_in("subject.hair.melanin", f"short {word} hair combed back") == word
