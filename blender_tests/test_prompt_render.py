"""`render` leaves the prompt with the picture: prompt.txt, prompts.json, and reference.png
carries the Stable Diffusion infotext in its ``parameters`` chunk (read here with Pillow and
with sd-parsers, the way Stable Diffusion tools read it), every prompt in
``portrait_spec_prompts`` and the spec in ``portrait_spec``, with the pixels untouched and
without the ``eXIf`` chunk Blender's PNG writer adds (Fooocus would read EXIF instead)."""

from __future__ import annotations

import json

import bpy
from PIL import Image
from sd_parsers import ParserManager

from portrait_spec.cli import main
from portrait_spec.core import png_text
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.toml_io import load_spec, spec_from_json


def test_render_writes_the_sd_infotext_and_the_prompts_into_the_png(scenes_dir, tmp_path, capsys):
    scene_file = scenes_dir / "seed_portrait.toml"
    out = tmp_path / "out"
    code = main(["render", str(scene_file), "--out", str(out), "--resolution", "32x40", "--samples", "1"])
    assert code == 0, capsys.readouterr().err

    # The folder's prompt is the prompt of what was rendered: 32x40 px (core.prompt.visibility
    # drops the detail such a small picture cannot show).
    spec = load_spec(scene_file, ["render.resolution=[32, 40]", "render.samples=1"])
    bundle = build_prompts(spec)
    assert (out / "prompt.txt").read_text(encoding="utf-8") == bundle.text_for(spec.prompt.target) + "\n"
    assert json.loads((out / "prompts.json").read_text(encoding="utf-8")) == bundle.to_data()
    with Image.open(out / "reference.png") as im:
        info = dict(im.info)
        corner = im.convert("RGB").getpixel((0, 0))
    assert spec.prompt.target == "midjourney"  # the default target is not what the PNG carries
    assert info["parameters"] == bundle.infotext((32, 40)) == bundle.infotext()
    assert "--" not in info["parameters"] and "camera left" in info["parameters"]
    assert json.loads(info["portrait_spec_prompts"]) == bundle.to_data()
    assert spec_from_json(info["portrait_spec"]) == spec
    assert "exif" not in info
    assert corner == (255, 0, 128)  # the extraction backdrop, exact: the image data is intact

    parsed = ParserManager().parse(out / "reference.png")
    assert parsed is not None
    assert [p.value for p in parsed.prompts] == [bundle.prompts["sdxl"]]
    assert [p.value for p in parsed.negative_prompts] == [bundle.negatives["sdxl"]]
    sampler = parsed.samplers[0]
    assert sampler.name == spec.generation.sampler
    assert {k: sampler.parameters[k] for k in ("steps", "seed")} == {"steps": "30", "seed": "0"}
    assert parsed.metadata["Size"] == "32x40"


def test_control_blenders_png_writer_adds_an_exif_chunk(tmp_path):
    """The chunk write_prompt_outputs drops is really there in what Blender writes."""
    image = bpy.data.images.new("PS_Exif_Control", 4, 4)
    try:
        image.filepath_raw = str(tmp_path / "plain.png")
        image.file_format = "PNG"
        image.save()
    finally:
        bpy.data.images.remove(image)
    kinds = [kind for kind, _ in png_text.chunks((tmp_path / "plain.png").read_bytes())]
    assert b"eXIf" in kinds
