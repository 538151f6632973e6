"""`render` leaves the prompt with the picture: prompt.txt, prompts.json, and the PNG carries the
default target's prompt in a ``parameters`` text chunk (read here with Pillow, the way Stable
Diffusion tools read it) plus the spec in ``portrait_spec``, with the pixels untouched."""

from __future__ import annotations

import json

from PIL import Image

from portrait_spec.cli import main
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.toml_io import load_spec, spec_from_json


def test_render_writes_the_prompt_into_the_png(scenes_dir, tmp_path, capsys):
    scene_file = scenes_dir / "seed_portrait.toml"
    out = tmp_path / "out"
    code = main(["render", str(scene_file), "--out", str(out), "--resolution", "32x40", "--samples", "1"])
    assert code == 0, capsys.readouterr().err

    spec = load_spec(scene_file)
    bundle = build_prompts(spec)
    expected = bundle.text_for(spec.prompt.target)
    assert (out / "prompt.txt").read_text(encoding="utf-8") == expected + "\n"
    assert json.loads((out / "prompts.json").read_text(encoding="utf-8")) == bundle.to_data()
    with Image.open(out / "reference.png") as im:
        info = dict(im.info)
        corner = im.convert("RGB").getpixel((0, 0))
    assert info["parameters"] == expected
    assert "45° upper left" in info["parameters"] and info["parameters"].endswith("--v 7")
    assert spec_from_json(info["portrait_spec"]) == spec
    assert corner == (255, 0, 128)  # the extraction backdrop, exact: the image data is intact
