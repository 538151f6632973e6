"""Data maps (depth, normals, mask) carry no colour-space chunk on any Blender version: an sRGB,
gAMA, cHRM, iCCP or cICP chunk tells colour-managed readers to convert the samples as colour
(OpenImageIO 3.1, inside Blender 5.x, writes sRGB/gAMA/cHRM unless told the file is data).
Checked on the file's own chunk list and on what Pillow, a colour-aware reader, takes from it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from portrait_spec.blender.measure.image_files import write_png
from portrait_spec.core.png_text import chunks

# The colour-space information chunks of PNG (W3C PNG Specification, Third Edition, 11.3.2).
COLOUR_CHUNKS = {b"sRGB", b"gAMA", b"cHRM", b"iCCP", b"cICP"}
# What Pillow's PNG reader records from those chunks.
PILLOW_COLOUR_INFO = {"srgb", "gamma", "chromaticity", "icc_profile", "cicp"}

# Shapes and sample types of the maps render writes: 16-bit depth, 8-bit normals and mask.
DATA_MAPS = [((6, 9), np.uint16), ((6, 9, 3), np.uint8), ((6, 9), np.uint8), ((6, 9, 4), np.uint8)]


def _kinds(path) -> set[bytes]:
    return {kind for kind, _ in chunks(path.read_bytes())}


@pytest.mark.parametrize(("shape", "dtype"), DATA_MAPS)
def test_a_data_map_has_no_colour_chunk(tmp_path, shape, dtype):
    values = (np.arange(np.prod(shape)).reshape(shape) * 37 % np.iinfo(dtype).max).astype(dtype)
    path = tmp_path / "data.png"
    write_png(path, values)
    kinds = _kinds(path)
    assert b"IHDR" in kinds and b"IDAT" in kinds
    assert not kinds & COLOUR_CHUNKS
    with Image.open(path) as im:
        assert not set(im.info) & PILLOW_COLOUR_INFO
        assert np.array_equal(np.array(im).astype(dtype), values)  # the samples are untouched


def test_colour_is_still_marked_srgb(tmp_path):
    """Control: the same check sees the chunks when the file is colour."""
    path = tmp_path / "colour.png"
    write_png(path, np.full((6, 9, 3), 128, np.uint8), srgb=True)
    assert b"sRGB" in _kinds(path)
    with Image.open(path) as im:
        assert "srgb" in im.info
