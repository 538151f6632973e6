"""Encoding PNG files with the standard library: 8- or 16-bit grey, RGB or RGBA, with no colour
conversion of any kind, so the values given are the values stored.

The maps ``render`` writes (depth, normal, mask, contact sheet) are data, not pictures, and
Blender's image writer would pass them through colour management. Rows run top to bottom,
samples interleaved, 16-bit samples big-endian as PNG stores them. ``encode_png`` stores rows
unfiltered; a caller with numpy can filter rows itself and use ``png_from_scanlines``.
"""

from __future__ import annotations

import struct
import zlib

from .png_text import SIGNATURE, text_chunk

COLOR_TYPES = {1: 0, 2: 4, 3: 2, 4: 6}  # channels -> PNG colour type (grey, grey+alpha, RGB, RGBA)
SRGB_PERCEPTUAL = b"\x00"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def row_bytes(width: int, channels: int, bit_depth: int) -> int:
    return width * channels * bit_depth // 8


def png_from_scanlines(width: int, height: int, channels: int, bit_depth: int, scanlines: bytes, *,
                       text: dict[str, str] | None = None, srgb: bool = False, level: int = 6) -> bytes:
    """A PNG from ``scanlines``: per row, a filter-type byte then the (filtered) row.
    ``srgb`` adds the sRGB chunk (a picture for display); ``text`` adds text chunks."""
    if channels not in COLOR_TYPES or bit_depth not in (8, 16):
        raise ValueError("PNG files here hold 1-4 channels of 8 or 16 bits")
    if width < 1 or height < 1:
        raise ValueError("a PNG has at least one pixel")
    if len(scanlines) != (row_bytes(width, channels, bit_depth) + 1) * height:
        raise ValueError("scanlines do not match the image size")
    header = struct.pack(">IIBBBBB", width, height, bit_depth, COLOR_TYPES[channels], 0, 0, 0)
    parts = [_chunk(b"IHDR", header)]
    if srgb:
        parts.append(_chunk(b"sRGB", SRGB_PERCEPTUAL))
    parts += [_chunk(*text_chunk(key, value)) for key, value in (text or {}).items()]
    parts.append(_chunk(b"IDAT", zlib.compress(scanlines, level)))
    parts.append(_chunk(b"IEND", b""))
    return SIGNATURE + b"".join(parts)


def encode_png(width: int, height: int, channels: int, bit_depth: int, samples: bytes, *,
               text: dict[str, str] | None = None, srgb: bool = False) -> bytes:
    """A PNG of ``samples`` (rows top to bottom, ``channels`` samples per pixel), rows unfiltered."""
    stride = row_bytes(width, channels, bit_depth)
    if len(samples) != stride * height:
        raise ValueError(f"expected {stride * height} bytes of samples, got {len(samples)}")
    scanlines = b"".join(b"\x00" + samples[i * stride:(i + 1) * stride] for i in range(height))
    return png_from_scanlines(width, height, channels, bit_depth, scanlines, text=text, srgb=srgb)
