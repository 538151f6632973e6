"""The prompt inside PNGs and the prompt files beside them (core.png_text, core.prompt.export).

A PNG made here with zlib gets the ``parameters``, ``portrait_spec_prompts`` and ``portrait_spec``
chunks; the standard library reader checks CRCs and order, and Pillow reads them the way Stable
Diffusion tools do: ``Image.open(path).info["parameters"]``."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from prompt_support import PRESETS, preset

from portrait_spec.core import png_text
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.prompt.export import write_prompt_outputs
from portrait_spec.core.toml_io import spec_from_json


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# An eXIf chunk like the one Blender's PNG writer adds: a TIFF header and no UserComment (here
# no tags at all; the Blender test checks the real one).
BLENDER_EXIF = b"II*\x00\x08\x00\x00\x00" + b"\x00\x00" + b"\x00\x00\x00\x00"


def tiny_png(width: int = 3, height: int = 2, exif: bool = False) -> bytes:
    rows = b"".join(b"\0" + bytes([255, 0, 128]) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    extra = chunk(b"eXIf", BLENDER_EXIF) if exif else b""
    return png_text.SIGNATURE + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_text_goes_before_the_image_data_and_replaces_same_keywords():
    first = png_text.with_text(tiny_png(), {"parameters": "old", "other": "kept"})
    second = png_text.with_text(first, {"parameters": "new \u2212 2 stops at 45\u00b0"})
    kinds = [k for k, _ in png_text.chunks(second)]
    assert kinds[0] == b"IHDR" and kinds[-2:] == [b"IDAT", b"IEND"]
    assert kinds.count(b"iTXt") == 1 and kinds.count(b"tEXt") == 1  # "−" needs UTF-8: iTXt
    assert png_text.read_text(second) == {"parameters": "new \u2212 2 stops at 45\u00b0", "other": "kept"}


def test_a_corrupt_png_is_refused():
    data = bytearray(tiny_png())
    data[20] ^= 0xFF  # inside IHDR
    with pytest.raises(ValueError, match="CRC"):
        png_text.chunks(bytes(data))
    with pytest.raises(ValueError, match="not a PNG"):
        png_text.chunks(b"GIF89a")


def test_latin1_text_is_itxt_so_utf8_readers_read_it():
    # ComfyUI decodes every text chunk as UTF-8: a Latin-1 "°" in tEXt would not survive.
    kind, data = png_text.text_chunk("parameters", "45° camera left")
    assert kind == b"iTXt" and "45° camera left".encode() in data
    assert png_text.text_chunk("parameters", "Steps: 30")[0] == b"tEXt"


def test_blenders_exif_chunk_is_dropped():
    with Image.open(io.BytesIO(tiny_png(exif=True))) as im:
        assert "exif" in im.info  # what Fooocus takes as "has EXIF": the control
    tagged = png_text.with_text(tiny_png(exif=True), {"parameters": "x"})
    assert b"eXIf" not in [k for k, _ in png_text.chunks(tagged)]


def write_outputs(tmp_path: Path, name: str, exif: bool = False) -> tuple[Path, object]:
    spec = preset(name)
    image = tmp_path / "reference.png"
    image.write_bytes(tiny_png(exif=exif))
    written = write_prompt_outputs(spec, tmp_path, [image])
    assert written == [tmp_path / "prompt.txt", tmp_path / "prompts.json"]
    return image, spec


@pytest.mark.parametrize("name", PRESETS)
def test_render_outputs_carry_the_sd_infotext_every_prompt_and_the_spec(tmp_path, name):
    image, spec = write_outputs(tmp_path, name)
    bundle = build_prompts(spec)
    assert (tmp_path / "prompt.txt").read_text(encoding="utf-8") == bundle.text_for(spec.prompt.target) + "\n"
    assert json.loads((tmp_path / "prompts.json").read_text(encoding="utf-8")) == bundle.to_data()
    texts = png_text.read_text(image.read_bytes())
    assert texts["parameters"] == bundle.infotext()  # the SD text whatever the default target
    assert "--" not in texts["parameters"]
    assert json.loads(texts["portrait_spec_prompts"]) == bundle.to_data()
    assert spec_from_json(texts["portrait_spec"]) == spec


def test_pillow_reads_the_parameters_chunk_and_no_exif(tmp_path):
    image, spec = write_outputs(tmp_path, "chroma_extraction", exif=True)
    with Image.open(image) as im:
        info = dict(im.info)
        assert im.getpixel((0, 0)) == (255, 0, 128)  # the pixels are untouched
        assert "exif" not in info and len(im.getexif()) == 0
    bundle = build_prompts(spec)
    assert info["parameters"] == bundle.infotext()
    assert info["parameters"].split("\n")[1].startswith("Negative prompt: porcelain skin")
    assert spec_from_json(info["portrait_spec"]) == spec
