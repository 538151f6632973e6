"""numpy arrays to PNG bytes (through ``core.png_write``), rows filtered with PNG's "Up" filter.

An array is (height, width) or (height, width, channels), uint8 or uint16, row 0 at the top.
"""

from __future__ import annotations

import numpy as np

from ..core.png_write import png_from_scanlines

UP_FILTER = 2


def png_bytes(array: np.ndarray, *, text: dict[str, str] | None = None, srgb: bool = False) -> bytes:
    if array.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"PNG samples are uint8 or uint16, not {array.dtype}")
    pixels = array[:, :, None] if array.ndim == 2 else array
    height, width, channels = pixels.shape
    bit_depth = 8 * pixels.dtype.itemsize
    rows = np.ascontiguousarray(pixels.astype(pixels.dtype.newbyteorder(">"))).view(np.uint8).reshape(height, -1)
    # "Up": each byte minus the byte above it, modulo 256 (the first row minus zeros).
    filtered = rows.copy()
    filtered[1:] -= rows[:-1]
    scanlines = np.empty((height, rows.shape[1] + 1), dtype=np.uint8)
    scanlines[:, 0] = UP_FILTER
    scanlines[:, 1:] = filtered
    return png_from_scanlines(width, height, channels, bit_depth, scanlines.tobytes(), text=text, srgb=srgb)
