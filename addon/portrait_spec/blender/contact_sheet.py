"""The contact sheet of ``render --vary``: every variant's reference image, labelled with its
``path=value`` overrides, on one 8-bit sRGB PNG.

Thumbnails are box-filtered from the variants' 8-bit PNGs (exact for an integer factor, so a
flat backdrop keeps its exact level); labels are drawn with ``core.bitmap_font`` (no GPU in a
background render), black on white, twice the font's size when the thumbnail is wide enough.
Cells run left to right in the order of the variants; with several ``--vary`` axes, a row holds
the values of the last axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.bitmap_font import LINE_HEIGHT, render_text, text_width, wrap

THUMB_MAX_WIDTH = 256
LABEL_MAX_WIDTH = 400  # a label wider than its thumbnail widens the cell up to this, then wraps
PAD = 8
BACKGROUND = 255
INK = 0


@dataclass(frozen=True)
class Cell:
    image: np.ndarray  # (h, w, 3) uint8, row 0 at the top
    label: tuple[str, ...]  # one line per override


def thumbnail(image: np.ndarray, max_width: int = THUMB_MAX_WIDTH) -> np.ndarray:
    factor = max(1, math.ceil(image.shape[1] / max_width))
    if factor == 1:
        return image[..., :3].astype(np.uint8)
    h, w = image.shape[0] // factor * factor, image.shape[1] // factor * factor
    blocks = image[:h, :w, :3].astype(np.float64).reshape(h // factor, factor, w // factor, factor, 3)
    return np.rint(blocks.mean(axis=(1, 3))).astype(np.uint8)


def _label(lines: list[str], width: int, scale: int) -> np.ndarray:
    band = np.full((max(len(lines), 1) * LINE_HEIGHT * scale, width, 3), BACKGROUND, np.uint8)
    bitmap = render_text(lines)
    if bitmap and bitmap[0]:
        ink = np.array(bitmap, dtype=bool).repeat(scale, axis=0).repeat(scale, axis=1)
        h, w = min(ink.shape[0], band.shape[0]), min(ink.shape[1], width)
        band[:h, :w][ink[:h, :w]] = INK
    return band


def label_lines(label: tuple[str, ...], width: int, scale: int) -> list[str]:
    return [part for line in label for part in wrap(line, width // scale)]


def contact_sheet(cells: list[Cell], columns: int) -> np.ndarray:
    """The sheet as (height, width, 3) uint8."""
    if not cells:
        raise ValueError("a contact sheet needs at least one image")
    thumbs = [thumbnail(c.image) for c in cells]
    tw = max(t.shape[1] for t in thumbs)
    th = max(t.shape[0] for t in thumbs)
    scale = 2 if tw >= 200 else 1
    natural = max(text_width(line) * scale for c in cells for line in (c.label or ("",)))
    cell_w = max(tw, min(natural, LABEL_MAX_WIDTH))
    labels = [_label(label_lines(c.label, cell_w, scale), cell_w, scale) for c in cells]
    lh = max(lab.shape[0] for lab in labels)
    columns = max(1, min(columns, len(cells)))
    rows = math.ceil(len(cells) / columns)
    cell_h = th + PAD + lh
    sheet = np.full((PAD + rows * (cell_h + PAD), PAD + columns * (cell_w + PAD), 3), BACKGROUND, np.uint8)
    for i, (thumb, label) in enumerate(zip(thumbs, labels, strict=True)):
        r, c = divmod(i, columns)
        top, left = PAD + r * (cell_h + PAD), PAD + c * (cell_w + PAD)
        inset = (cell_w - thumb.shape[1]) // 2
        sheet[top:top + thumb.shape[0], left + inset:left + inset + thumb.shape[1]] = thumb
        sheet[top + th + PAD:top + th + PAD + label.shape[0], left:left + label.shape[1]] = label
    return sheet
