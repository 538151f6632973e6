"""The ``--vary`` contact sheet: every variant's thumbnail in order, each with its label drawn in
Blender's font (ink under the thumbnail, different for different values, none for an empty
label, anti-aliased), wrapped to the cell, and thumbnails box-filtered exactly."""

from __future__ import annotations

import numpy as np
import pytest

from portrait_spec.blender.render.contact_sheet import PAD, Cell, contact_sheet, text_width, thumbnail, wrap


def _flat(rgb: tuple[int, int, int], h: int = 60, w: int = 48) -> np.ndarray:
    return np.broadcast_to(np.array(rgb, np.uint8), (h, w, 3)).copy()


def test_thumbnails_in_order_with_their_labels_underneath():
    colours = [(255, 0, 128), (0, 0, 255), (0, 177, 64), (200, 200, 0)]
    labels = [("lights.fill.stops=-1",), ("lights.fill.stops=-2",), ("lights.fill.stops=-3",), ()]
    sheet = contact_sheet([Cell(_flat(c), lab) for c, lab in zip(colours, labels, strict=True)], columns=2)
    cell_w = max(48, text_width("lights.fill.stops=-1"))
    bands = []
    for i, colour in enumerate(colours):
        r, c = divmod(i, 2)
        left = PAD + c * (cell_w + PAD)
        top = PAD + r * (sheet.shape[0] - PAD) // 2
        inset = (cell_w - 48) // 2
        assert tuple(sheet[top + 30, left + inset + 24]) == colour  # the thumbnail, in variant order
        band = sheet[top + 60 + PAD:top + 60 + PAD + 18, left:left + cell_w]
        bands.append(band)
    for band in bands[:3]:
        assert (band < 100).any() and (band == 255).mean() > 0.5  # dark text on white
        assert ((band > 40) & (band < 215)).any()  # anti-aliased edges, not a binary stencil
    assert not (bands[3] < 250).any()  # an empty label draws nothing
    assert not np.array_equal(bands[0], bands[1])  # the values differ, so do the labels


def test_a_long_label_wraps_to_the_cell_and_keeps_every_character():
    text = "background.color=[255,0,128]__lights.rim.spread_deg=40"
    lines = wrap(text, 120)
    assert "".join(lines) == text and len(lines) > 1
    assert all(text_width(line) <= 120 for line in lines)
    assert wrap("", 120) == [""]


@pytest.mark.parametrize("factor", [1, 2, 3])
def test_thumbnail_box_filter_keeps_a_flat_level_exact(factor):
    image = _flat((255, 0, 128), h=64, w=256 * factor)
    thumb = thumbnail(image)
    assert thumb.shape == (64 // factor, 256, 3)
    assert (thumb == (255, 0, 128)).all()
