"""Scanline OpenEXR files (multilayer included) to and from numpy arrays.

Blender's Python API gives no access to a render's passes other than through a file, and the
bundled wheel has no OpenEXR module, so the few pieces of the format Blender writes are read
here: scanline parts, NONE/ZIPS/ZIP compression, half/float/uint channels, string attributes
(the Cryptomatte manifest lives there). Tiled, deep and multi-part files are refused.
``exr_bytes`` writes float32 channels, ZIP-compressed, in Blender's multilayer naming
(``Layer.Pass.Channel``), so Blender and any OpenEXR reader open ``reference.exr``.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

MAGIC = b"\x76\x2f\x31\x01"
_PIXEL_TYPES: dict[int, np.dtype[Any]] = {0: np.dtype("<u4"), 1: np.dtype("<f2"), 2: np.dtype("<f4")}
_LINES_PER_BLOCK = {0: 1, 2: 1, 3: 16}  # NONE, ZIPS, ZIP
_COMPRESSION_NAMES = {0: "NONE", 1: "RLE", 2: "ZIPS", 3: "ZIP", 4: "PIZ", 5: "PXR24", 6: "B44", 7: "B44A",
                      8: "DWAA", 9: "DWAB"}


@dataclass
class ExrImage:
    width: int
    height: int
    channels: dict[str, np.ndarray]  # full channel name -> (height, width) float32, row 0 at the top
    strings: dict[str, str]  # string attributes of the header

    def layer(self, prefix: str, names: str) -> np.ndarray:
        """Channels ``prefix + c`` for each letter ``c`` of ``names`` stacked as (height, width, len)."""
        return np.stack([self.channels[prefix + c] for c in names], axis=-1)

    def find(self, suffix: str) -> str:
        """The one channel name ending in ``suffix`` (e.g. ``"Depth.Z"``), whatever the view layer."""
        found = [name for name in self.channels if name == suffix or name.endswith("." + suffix)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} channels end in {suffix!r}: {sorted(self.channels)}")
        return found[0]


def _cstring(data: bytes, pos: int) -> tuple[str, int]:
    end = data.index(b"\0", pos)
    return data[pos:end].decode("latin-1"), end + 1


def _channel_list(value: bytes) -> list[tuple[str, int]]:
    channels, pos = [], 0
    while value[pos] != 0:
        name, pos = _cstring(value, pos)
        (pixel_type,) = struct.unpack_from("<i", value, pos)
        x_sampling, y_sampling = struct.unpack_from("<ii", value, pos + 8)
        if (x_sampling, y_sampling) != (1, 1):
            raise ValueError(f"subsampled channel {name!r} is not supported")
        channels.append((name, pixel_type))
        pos += 16
    return channels


def _undo_zip(raw: bytes, size: int) -> bytes:
    data = np.frombuffer(zlib.decompress(raw), dtype=np.uint8)
    if data.size != size:
        raise ValueError("EXR block decompressed to the wrong size")
    # Predictor: each byte stored as the difference to the previous one, plus 128.
    undone = np.cumsum(data.astype(np.int64) - 128 + np.r_[128, np.zeros(size - 1, np.int64)]) % 256
    undone = undone.astype(np.uint8)
    # The two halves hold the even and the odd bytes.
    out = np.empty(size, dtype=np.uint8)
    half = (size + 1) // 2
    out[0::2], out[1::2] = undone[:half], undone[half:]
    return out.tobytes()


def _read_header(data: bytes, pos: int) -> tuple[dict[str, tuple[str, bytes]], int]:
    attributes: dict[str, tuple[str, bytes]] = {}
    while True:
        name, pos = _cstring(data, pos)
        if not name:
            return attributes, pos
        kind, pos = _cstring(data, pos)
        (size,) = struct.unpack_from("<i", data, pos)
        attributes[name] = (kind, data[pos + 4:pos + 4 + size])
        pos += 4 + size


@dataclass
class _Part:
    channels: list[tuple[str, int]]
    compression: int
    y_min: int
    width: int
    height: int
    blocks: int

    @classmethod
    def from_header(cls, attributes: dict[str, tuple[str, bytes]], path: Path) -> _Part:
        kind = attributes.get("type", ("string", b"scanlineimage"))[1]
        if kind != b"scanlineimage":
            raise ValueError(f"{path}: {kind.decode('latin-1')} parts are not supported")
        compression = attributes["compression"][1][0]
        if compression not in _LINES_PER_BLOCK:
            raise ValueError(f"{path}: {_COMPRESSION_NAMES.get(compression, compression)} compression is not supported")
        x_min, y_min, x_max, y_max = struct.unpack("<iiii", attributes["dataWindow"][1])
        width, height = x_max - x_min + 1, y_max - y_min + 1
        lines = _LINES_PER_BLOCK[compression]
        return cls(_channel_list(attributes["channels"][1]), compression, y_min, width, height,
                   (height + lines - 1) // lines)

    def read_block(self, block: bytes, y: int, planes: dict[str, np.ndarray]) -> None:
        lines = _LINES_PER_BLOCK[self.compression]
        row = y - self.y_min
        count = min(lines, self.height - row)
        expected = count * sum(self.width * _PIXEL_TYPES[kind].itemsize for _, kind in self.channels)
        raw = block if self.compression == 0 or len(block) == expected else _undo_zip(block, expected)
        at = 0
        for r in range(row, row + count):  # within a line, channel by channel (sorted by name)
            for name, kind in self.channels:
                planes[name][r] = np.frombuffer(raw, dtype=_PIXEL_TYPES[kind], count=self.width, offset=at)
                at += self.width * _PIXEL_TYPES[kind].itemsize


def read_exr(path: Path) -> ExrImage:
    """Every channel of a scanline EXR; a multi-part file (Blender 5 writes one part per pass)
    gives the channels of all its parts."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{path} is not an OpenEXR file")
    (version,) = struct.unpack_from("<I", data, 4)
    if version & (0x200 | 0x800):  # tiled single-part, deep; long names (0x400) are fine
        raise ValueError(f"{path}: tiled or deep EXR files are not supported")
    multipart = bool(version & 0x1000)
    headers, pos = [], 8
    while True:
        attributes, pos = _read_header(data, pos)
        headers.append(attributes)
        if not multipart or data[pos] == 0:
            pos += 1 if multipart else 0
            break
    parts = [_Part.from_header(h, Path(path)) for h in headers]
    if len({(p.width, p.height) for p in parts}) != 1:
        raise ValueError(f"{path}: parts of different sizes are not supported")
    offsets = []
    for part in parts:
        offsets.append(struct.unpack_from(f"<{part.blocks}Q", data, pos))
        pos += 8 * part.blocks
    planes = {name: np.empty((p.height, p.width), dtype=_PIXEL_TYPES[kind]) for p in parts for name, kind in p.channels}
    for index, part in enumerate(parts):
        for offset in offsets[index]:
            if multipart:
                (offset_part,) = struct.unpack_from("<i", data, offset)
                if offset_part != index:
                    raise ValueError(f"{path}: a chunk of part {offset_part} in part {index}'s table")
                offset += 4
            y, size = struct.unpack_from("<ii", data, offset)
            part.read_block(data[offset + 8:offset + 8 + size], y, planes)
    strings = {key: value.decode("utf-8", "replace") for h in headers for key, (kind, value) in h.items()
               if kind == "string"}
    # EXR rows run top to bottom already (increasing y is down), unlike Blender's image buffers.
    return ExrImage(parts[0].width, parts[0].height, {n: plane.astype(np.float32) for n, plane in planes.items()},
                    strings)

def _do_zip(raw: bytes) -> bytes:
    data = np.frombuffer(raw, dtype=np.uint8)
    split = np.concatenate([data[0::2], data[1::2]])  # even bytes, then odd bytes
    predicted = split.astype(np.int16)
    predicted[1:] = (split[1:].astype(np.int16) - split[:-1].astype(np.int16) + 128) % 256
    return zlib.compress(predicted.astype(np.uint8).tobytes(), 6)


def _attribute(name: str, kind: str, value: bytes) -> bytes:
    return name.encode("latin-1") + b"\0" + kind.encode("latin-1") + b"\0" + struct.pack("<i", len(value)) + value


def exr_bytes(channels: dict[str, np.ndarray], strings: dict[str, str] | None = None) -> bytes:
    """A ZIP-compressed scanline EXR of float32 ``channels`` ((height, width), row 0 at the top)."""
    names = sorted(channels)  # the file lists channels, and stores each line's channels, sorted
    height, width = channels[names[0]].shape
    chlist = b"".join(n.encode("latin-1") + b"\0" + struct.pack("<iBBBBii", 2, 0, 0, 0, 0, 1, 1) for n in names) + b"\0"
    window = struct.pack("<iiii", 0, 0, width - 1, height - 1)
    header = MAGIC + struct.pack("<I", 2 | (0x400 if any(len(n) > 31 for n in names) else 0))
    header += _attribute("channels", "chlist", chlist)
    header += _attribute("compression", "compression", bytes([3]))
    header += _attribute("dataWindow", "box2i", window) + _attribute("displayWindow", "box2i", window)
    header += _attribute("lineOrder", "lineOrder", b"\0")
    header += _attribute("pixelAspectRatio", "float", struct.pack("<f", 1.0))
    header += _attribute("screenWindowCenter", "v2f", struct.pack("<ff", 0.0, 0.0))
    header += _attribute("screenWindowWidth", "float", struct.pack("<f", 1.0))
    for key, value in (strings or {}).items():
        header += _attribute(key, "string", value.encode("utf-8"))
    header += b"\0"
    lines = _LINES_PER_BLOCK[3]
    planes = [np.ascontiguousarray(channels[n], dtype="<f4") for n in names]
    blocks = []
    for y in range(0, height, lines):
        rows = range(y, min(y + lines, height))
        raw = b"".join(plane[r].tobytes() for r in rows for plane in planes)
        packed = _do_zip(raw)
        if len(packed) >= len(raw):  # the format stores a block raw when packing does not pay
            packed = raw
        blocks.append(struct.pack("<ii", y, len(packed)) + packed)
    offsets, at = [], len(header) + 8 * len(blocks)
    for block in blocks:
        offsets.append(at)
        at += len(block)
    return header + struct.pack(f"<{len(offsets)}Q", *offsets) + b"".join(blocks)
