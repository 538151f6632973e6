"""The contact sheet of ``render --vary``: every variant's reference image, labelled with its
``path=value`` overrides, on one 8-bit sRGB PNG.

Thumbnails are box-filtered from the variants' 8-bit PNGs (exact for an integer factor, so a
flat backdrop keeps its exact level). Labels are set in Blender's own UI font, drawn by BLF into
an image buffer (``blf.bind_imbuf``, which needs no GPU, so it works in a background render),
black on white, wrapped to the cell's width. Cells run left to right in the order of the
variants; with several ``--vary`` axes, a row holds the values of the last axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import blf
import imbuf
import numpy as np

from ...shutdown import scratch_folder
from ..measure.image_files import read_png

THUMB_MAX_WIDTH = 256
LABEL_MAX_WIDTH = 400  # a label wider than its thumbnail widens the cell up to this, then wraps
PAD = 8
BACKGROUND = 255
INK = 0
FONT = 0  # Blender's default UI font
FONT_PX = 14
LINE_PX = 18


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


def text_width(text: str) -> int:
    blf.size(FONT, FONT_PX)
    return math.ceil(blf.dimensions(FONT, text)[0])


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` px, keeping every character (a label is
    one ``path=value`` with no spaces to break at)."""
    lines, line = [], ""
    for char in text:
        if line and text_width(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line or not lines else lines


def label_lines(label: tuple[str, ...], width: int) -> list[str]:
    return [part for line in label for part in wrap(line, width)]


def _label(lines: list[str], width: int) -> np.ndarray:
    """A white band ``width`` px wide with ``lines`` in black, one per LINE_PX."""
    height = max(len(lines), 1) * LINE_PX
    buffer = imbuf.new((width, height))  # transparent; BLF draws the text as alpha coverage
    try:
        # A context manager (https://docs.blender.org/api/current/blf.html#blf.bind_imbuf): the 4.5
        # stubs say it returns None, the 5.2 stubs give its context no __enter__ and __exit__.
        with blf.bind_imbuf(FONT, buffer):  # type: ignore[attr-defined, func-returns-value, unused-ignore]
            blf.size(FONT, FONT_PX)
            blf.color(FONT, 1.0, 1.0, 1.0, 1.0)
            for i, line in enumerate(lines):
                blf.position(FONT, 0.0, height - (i + 1) * LINE_PX + (LINE_PX - FONT_PX) / 2 + 2, 0.0)  # y is up
                blf.draw_buffer(FONT, line)
        # Image buffers have no pixel access from Python: through a file.
        with scratch_folder("portrait_spec-label-") as tmp:
            path = tmp / "label.png"
            imbuf.write(buffer, filepath=str(path))
            coverage = read_png(path)[..., 3].astype(np.float64) / 255.0  # BLF's anti-aliasing is in alpha
    finally:
        buffer.free()
    grey = np.rint(BACKGROUND + (INK - BACKGROUND) * coverage).astype(np.uint8)
    return np.repeat(grey[:, :, None], 3, axis=2)


def contact_sheet(cells: list[Cell], columns: int) -> np.ndarray:
    """The sheet as (height, width, 3) uint8."""
    if not cells:
        raise ValueError("a contact sheet needs at least one image")
    thumbs = [thumbnail(c.image) for c in cells]
    tw = max(t.shape[1] for t in thumbs)
    th = max(t.shape[0] for t in thumbs)
    natural = max(text_width(line) for c in cells for line in (c.label or ("",)))
    cell_w = max(tw, min(natural, LABEL_MAX_WIDTH))
    labels = [_label(label_lines(c.label, cell_w), cell_w) for c in cells]
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
