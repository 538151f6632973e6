"""Text chunks in PNG files with the standard library (zlib for CRCs, struct for lengths).

Chunks go right after IHDR, before the image data, because readers such as Pillow's
``Image.open(...).info`` (what Stable Diffusion tools use for the ``parameters`` chunk) only see
text chunks that precede IDAT without decoding the image. ASCII text is a tEXt chunk; anything
else (the prompt's "°") an uncompressed iTXt chunk in UTF-8. Not tEXt in Latin-1: ComfyUI's
reader (frontend ``src/scripts/metadata/png.ts``) decodes every text chunk as UTF-8, so a
Latin-1 "°" would come out as a replacement character there. Writing a keyword again replaces
the earlier chunk.

The ``eXIf`` chunk Blender's PNG writer adds (resolution only, no comment) is dropped: Fooocus
(``modules/meta_parser.py``, ``read_info_from_image``) reads a non-JSON ``parameters`` chunk
only when the image has no EXIF; with EXIF it looks for the EXIF UserComment instead and finds
nothing. The pixel density stays in ``pHYs``.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"
TEXT_TYPES = (b"tEXt", b"iTXt", b"zTXt")
DROPPED_TYPES = (b"eXIf",)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, checking the signature, lengths and CRCs."""
    if not png.startswith(SIGNATURE):
        raise ValueError("not a PNG file")
    out, pos = [], len(SIGNATURE)
    while pos < len(png):
        if pos + 8 > len(png):
            raise ValueError("truncated PNG chunk header")
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind = png[pos + 4:pos + 8]
        data = png[pos + 8:pos + 8 + length]
        end = pos + 12 + length
        if end > len(png) or len(data) != length:
            raise ValueError(f"truncated {kind!r} chunk")
        (crc,) = struct.unpack(">I", png[end - 4:end])
        if crc != zlib.crc32(kind + data) & 0xFFFFFFFF:
            raise ValueError(f"bad CRC in {kind!r} chunk")
        out.append((kind, data))
        pos = end
    return out


def text_chunk(keyword: str, text: str) -> tuple[bytes, bytes]:
    key = keyword.encode("latin-1")
    if not 1 <= len(key) <= 79:
        raise ValueError("a PNG text keyword has 1 to 79 Latin-1 characters")
    if text.isascii():
        return b"tEXt", key + b"\0" + text.encode("ascii")
    # keyword, compression flag 0, method 0, empty language tag, empty translated keyword
    return b"iTXt", key + b"\0\0\0\0\0" + text.encode("utf-8")


def keyword_of(kind: bytes, data: bytes) -> str:
    return data.split(b"\0", 1)[0].decode("latin-1")


def read_text(png: bytes) -> dict[str, str]:
    """Every tEXt/iTXt (uncompressed) and zTXt chunk as keyword -> text."""
    found: dict[str, str] = {}
    for kind, data in chunks(png):
        if kind == b"tEXt":
            key, _, value = data.partition(b"\0")
            found[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"zTXt":
            key, _, rest = data.partition(b"\0")
            found[key.decode("latin-1")] = zlib.decompress(rest[1:]).decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = data.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _translated, _, value = rest.partition(b"\0")
            found[key.decode("latin-1")] = (zlib.decompress(value) if compressed else value).decode("utf-8")
    return found


def with_text(png: bytes, entries: dict[str, str]) -> bytes:
    """``png`` with one text chunk per entry after IHDR, replacing chunks of the same keywords,
    and without an ``eXIf`` chunk."""
    existing = chunks(png)
    if not existing or existing[0][0] != b"IHDR":
        raise ValueError("PNG does not start with IHDR")
    kept = [(k, d) for k, d in existing
            if k not in DROPPED_TYPES and not (k in TEXT_TYPES and keyword_of(k, d) in entries)]
    new = [text_chunk(key, value) for key, value in entries.items()]
    ordered = [kept[0], *new, *kept[1:]]
    return SIGNATURE + b"".join(_chunk(k, d) for k, d in ordered)


def add_text_to_file(path: Path, entries: dict[str, str]) -> None:
    path = Path(path)
    path.write_bytes(with_text(path.read_bytes(), entries))
