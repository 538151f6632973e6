"""The pure parts of ``render``'s outputs: PNG encoding (decoded by Pillow and by our own chunk
reader), the 5x7 label font, and ``scene.json`` round trips for every preset."""

from __future__ import annotations

import io
import json
import struct
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addon"))

from portrait_spec.core import bitmap_font as font  # noqa: E402
from portrait_spec.core.png_text import chunks, read_text  # noqa: E402
from portrait_spec.core.png_write import encode_png, png_from_scanlines  # noqa: E402
from portrait_spec.core.prompt import build_prompts  # noqa: E402
from portrait_spec.core.sidecar import FORMAT, sidecar_data, sidecar_json, spec_from_sidecar  # noqa: E402
from portrait_spec.core.toml_io import load_spec  # noqa: E402

try:
    from PIL import Image
except ImportError:  # the core venv has no Pillow: our own decoder below still checks the bytes
    Image = None


def _pixels(width: int, height: int, channels: int, bits: int) -> tuple[bytes, list[tuple[int, ...]]]:
    top = (1 << bits) - 1
    values = [tuple((x * 37 + y * 101 + c * 7919) % (top + 1) for c in range(channels))
              for y in range(height) for x in range(width)]
    fmt = ">" + ("B" if bits == 8 else "H") * channels
    return b"".join(struct.pack(fmt, *v) for v in values), values


@pytest.mark.parametrize(("channels", "bits", "mode"), [(1, 8, "L"), (1, 16, "I;16"), (3, 8, "RGB"), (4, 8, "RGBA"),
                                                        (2, 8, "LA")])
def test_png_round_trips(channels, bits, mode):
    samples, values = _pixels(7, 5, channels, bits)
    png = encode_png(7, 5, channels, bits, samples, text={"parameters": "fill −2 stops, 45°"}, srgb=True)
    # Decoded by hand: IHDR fields, then unfiltered rows after zlib.
    found = dict(chunks(png))
    assert struct.unpack(">IIBB", found[b"IHDR"][:10]) == (7, 5, bits, {1: 0, 2: 4, 3: 2, 4: 6}[channels])
    raw = zlib.decompress(found[b"IDAT"])
    stride = 7 * channels * bits // 8
    rows = [raw[i * (stride + 1):(i + 1) * (stride + 1)] for i in range(5)]
    assert all(r[0] == 0 for r in rows) and b"".join(r[1:] for r in rows) == samples
    if Image is not None:
        with Image.open(io.BytesIO(png)) as im:
            assert im.mode == mode and im.size == (7, 5)
            # Pixel by pixel (getdata is deprecated in Pillow 13).
            got = [im.getpixel((x, y)) for y in range(5) for x in range(7)]
        assert got == [v[0] if channels == 1 else v for v in values]
    kinds = [k for k, _ in chunks(png)]  # our reader checks every CRC and length
    assert kinds[0] == b"IHDR" and b"sRGB" in kinds and kinds[-1] == b"IEND"
    assert read_text(png)["parameters"] == "fill −2 stops, 45°"


def test_png_rejects_wrong_sizes():
    with pytest.raises(ValueError):
        encode_png(2, 2, 3, 8, b"\0" * 11)
    with pytest.raises(ValueError):
        png_from_scanlines(2, 2, 1, 8, b"\0" * 5)
    with pytest.raises(ValueError):
        encode_png(1, 1, 5, 8, b"\0" * 5)


def test_font_has_a_distinct_5x7_glyph_for_every_printable_character():
    glyphs = {chr(c): font.glyph(chr(c)) for c in range(32, 127)}
    assert all(len(g) == 7 and all(len(row) == 5 for row in g) for g in glyphs.values())
    assert len(set(glyphs.values())) == len(glyphs)  # no two characters look the same
    assert not any(any(row) for row in glyphs[" "]) and all(any(any(r) for r in g) for c, g in glyphs.items() if c != " ")
    assert font.glyph("é") == font.glyph("?")


def test_text_bitmap_size_and_placement():
    bitmap = font.render_text(["A=1", "b"])
    assert len(bitmap) == font.LINE_HEIGHT + font.GLYPH_HEIGHT and len(bitmap[0]) == font.text_width("A=1") == 17
    # "A" at the top left, exactly its glyph.
    assert [row[:5] for row in bitmap[:7]] == [list(r) for r in font.glyph("A")]
    assert [row[:5] for row in bitmap[font.LINE_HEIGHT:]] == [list(r) for r in font.glyph("b")]


@pytest.mark.parametrize("text", ["lights.fill.stops=-1", "background.color=[255,0,128]", "x" * 50, ""])
@pytest.mark.parametrize("width", [5, 40, 100, 400])
def test_wrap_keeps_every_character_and_fits(text, width):
    lines = font.wrap(text, width)
    assert "".join(lines) == text
    assert all(font.text_width(line) <= max(width, font.GLYPH_WIDTH) for line in lines)


@pytest.mark.parametrize("name", ["seed_portrait", "chroma_extraction", "gradient_backdrop", "rembrandt", "butterfly"])
def test_scene_json_round_trips_the_spec_and_claims(name):
    spec = load_spec(ROOT / "scenes" / f"{name}.toml")
    claims = build_prompts(spec).claims
    data = sidecar_data(spec, claims, blender_version="4.5.0", render={"seed": 0, "samples": 64},
                        outputs={"depth.png": {"near_m": 2.4, "far_m": 2.6}}, variant=("lights.fill.stops=-1",))
    text = sidecar_json(data)
    back = json.loads(text)
    assert back["format"] == FORMAT and spec_from_sidecar(back) == spec
    assert back["claims"] == [c.to_data() for c in claims] and back["measured"] is None
    assert back["variant"] == ["lights.fill.stops=-1"] and back["blender"] == {"version": "4.5.0"}
    with pytest.raises(ValueError):
        spec_from_sidecar({**back, "format": "something else"})
