"""The prompt inside PNGs and the prompt files beside them (core.png_text, core.prompt.export).

A PNG made here with zlib gets the ``parameters`` and ``portrait_spec`` chunks; the standard
library reader checks CRCs and order, and Pillow (a standard PNG library, where installed) reads
them the way Stable Diffusion tools do: ``Image.open(path).info["parameters"]``."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest
from prompt_support import preset

from portrait_spec.core import png_text
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.prompt.export import write_prompt_outputs
from portrait_spec.core.toml_io import spec_from_json


def tiny_png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + bytes([255, 0, 128]) * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return png_text.SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


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


def write_outputs(tmp_path: Path, name: str) -> tuple[Path, object]:
    spec = preset(name)
    image = tmp_path / "reference.png"
    image.write_bytes(tiny_png())
    written = write_prompt_outputs(spec, tmp_path, [image])
    assert written == [tmp_path / "prompt.txt", tmp_path / "prompts.json"]
    return image, spec


@pytest.mark.parametrize("name", ["seed_portrait", "chroma_extraction"])  # midjourney and sdxl defaults
def test_render_outputs_carry_the_default_prompt_and_the_spec(tmp_path, name):
    image, spec = write_outputs(tmp_path, name)
    bundle = build_prompts(spec)
    expected = bundle.text_for(spec.prompt.target)
    assert (tmp_path / "prompt.txt").read_text(encoding="utf-8") == expected + "\n"
    assert json.loads((tmp_path / "prompts.json").read_text(encoding="utf-8")) == bundle.to_data()
    texts = png_text.read_text(image.read_bytes())
    assert texts["parameters"] == expected
    assert spec_from_json(texts["portrait_spec"]) == spec


def test_pillow_reads_the_parameters_chunk(tmp_path):
    from PIL import Image as image_module

    image, spec = write_outputs(tmp_path, "chroma_extraction")
    with image_module.open(image) as im:
        info = dict(im.info)
        assert im.getpixel((0, 0)) == (255, 0, 128)  # the pixels are untouched
    bundle = build_prompts(spec)
    assert info["parameters"] == bundle.text_for("sdxl")
    assert info["parameters"].split("\n")[1].startswith("Negative prompt: porcelain skin")
    assert spec_from_json(info["portrait_spec"]) == spec
