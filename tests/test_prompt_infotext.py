"""reference.png's ``parameters`` chunk read by the real readers (core.prompt.infotext).

* sd-parsers (the PyPI package, a test dependency): ``ParserManager().parse`` must recover the SD
  prompt, the negative prompt and Steps, Sampler, CFG scale and Seed, for every preset and
  whatever the spec's default target is.
* AUTOMATIC1111 and ComfyUI are web apps, not libraries: their parsing rules are restated below
  from their code and applied to our text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from prompt_support import PRESETS, _with, preset, random_specs
from sd_parsers import ParserManager
from sd_parsers.data import Generators
from test_prompt_png import tiny_png

from portrait_spec.core import png_text
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.prompt.export import write_prompt_outputs
from portrait_spec.core.prompt.infotext import infotext, quote, settings_line
from portrait_spec.core.spec import PROMPT_TARGETS, GenerationSpec

CASES = [(name, target) for name in PRESETS for target in PROMPT_TARGETS]


@pytest.mark.parametrize(("name", "target"), CASES, ids=[f"{n}-{t}" for n, t in CASES])
def test_sd_parsers_recovers_prompt_negative_and_settings(tmp_path: Path, name, target):
    spec = _with(preset(name), "prompt.target", target)
    image = tmp_path / "reference.png"
    image.write_bytes(tiny_png())
    write_prompt_outputs(spec, tmp_path, [image], size=(3, 2))
    info = ParserManager().parse(image)
    assert info is not None and info.generator == Generators.AUTOMATIC1111
    bundle = build_prompts(spec)
    assert [p.value for p in info.prompts] == [bundle.prompts["sdxl"]]
    assert [p.value for p in info.negative_prompts] == [bundle.negatives["sdxl"]]
    sampler = info.samplers[0]
    g = spec.generation
    assert sampler.name == g.sampler
    assert sampler.parameters == {"steps": str(g.steps), "cfg_scale": f"{g.cfg_scale:g}", "seed": str(g.seed),
                                  "scheduler": g.scheduler}
    assert sampler.model is not None and sampler.model.name == g.model
    assert info.metadata["Size"] == "3x2"  # the rendered image's size
    assert "--" not in png_text.read_text(image.read_bytes())["parameters"]  # never Midjourney's parameters


# --- AUTOMATIC1111 ------------------------------------------------------------------------
# modules/infotext_utils.py (AUTOMATIC1111/stable-diffusion-webui, commit 036500223de0),
# parse_generation_parameters and its re_param:
A1111_RE_PARAM = re.compile(r'\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)')


def a1111_parse(x: str) -> dict[str, str]:
    """The prompt/negative/settings split of parse_generation_parameters (styles, hires and the
    defaults it fills in are left out; unquote is json.loads on a quoted value)."""
    res: dict[str, str] = {}
    prompt, negative, done_with_prompt = "", "", False
    *lines, lastline = x.strip().split("\n")
    if len(A1111_RE_PARAM.findall(lastline)) < 3:
        lines.append(lastline)
        lastline = ""
    for line in lines:
        line = line.strip()
        if line.startswith("Negative prompt:"):
            done_with_prompt = True
            line = line[16:].strip()
        if done_with_prompt:
            negative += ("" if negative == "" else "\n") + line
        else:
            prompt += ("" if prompt == "" else "\n") + line
    res["Prompt"], res["Negative prompt"] = prompt, negative
    for k, v in A1111_RE_PARAM.findall(lastline):
        if v[:1] == '"' and v[-1:] == '"':
            v = json.loads(v)
        size = re.match(r"^(\d+)x(\d+)$", v)
        if size:
            res[f"{k}-1"], res[f"{k}-2"] = size.group(1), size.group(2)
        else:
            res[k] = v
    return res


@pytest.mark.parametrize("name", PRESETS)
def test_automatic1111_reads_prompt_negative_and_settings(name):
    spec = preset(name)
    bundle = build_prompts(spec)
    res = a1111_parse(bundle.infotext())
    g = spec.generation
    assert res["Prompt"] == bundle.prompts["sdxl"] and res["Negative prompt"] == bundle.negatives["sdxl"]
    assert (res["Steps"], res["Sampler"], res["Schedule type"], res["CFG scale"], res["Seed"], res["Model"]) == (
        str(g.steps), g.sampler, g.scheduler, f"{g.cfg_scale:g}", str(g.seed), g.model)
    assert (res["Size-1"], res["Size-2"]) == tuple(str(n) for n in spec.render.resolution)


def test_a_weighted_prompt_line_alone_would_pass_for_settings():
    """Why the settings line must be last and present: SD emphasis "(tag:1.2)" matches re_param,
    so a prompt ending the text would be read as settings (the control for the rule above)."""
    prompt = build_prompts(preset("seed_portrait")).prompts["sdxl"]
    assert len(A1111_RE_PARAM.findall(prompt)) >= 3


def test_a_model_hint_with_a_comma_or_colon_is_quoted_as_automatic1111_quotes_it():
    g = GenerationSpec(model="sdxl: juggernaut, v9")
    line = settings_line(g, (1024, 1280))
    assert line.endswith('Model: "sdxl: juggernaut, v9"')
    assert a1111_parse(infotext("a", "b", g, (1024, 1280)))["Model"] == "sdxl: juggernaut, v9"
    assert quote("sd_xl_base_1.0") == "sd_xl_base_1.0"


def test_the_text_must_be_one_line_prompts_with_a_negative():
    with pytest.raises(ValueError, match="one line"):
        infotext("a\nb", "c", GenerationSpec(), (8, 8))
    with pytest.raises(ValueError, match="negative"):
        infotext("a", "", GenerationSpec(), (8, 8))


# --- ComfyUI --------------------------------------------------------------------------------
# src/scripts/pnginfo.ts, importA1111 (Comfy-Org/ComfyUI_frontend, commit 0c578ae2b374): the
# settings line is found by parameters.lastIndexOf("\nSteps:"), split with the regex below, each
# match cut at ":"; the negative is the text after parameters.lastIndexOf("\nNegative prompt:", p)
# + 18 characters; nothing is imported without both.
COMFY_OPT = re.compile(r'\s*([^:]+:\s*([^"{].*?|".*?"|\{.*?\}))\s*(,|$)')


def comfy_import(parameters: str) -> tuple[str, str, dict[str, str]] | None:
    p = parameters.rfind("\nSteps:")
    if p < 0:
        return None
    line = parameters[p:].split("\n")[1]
    opts: dict[str, str] = {}
    for match in COMFY_OPT.finditer(line):
        s = match.group(0).split(":")
        value = s[1][:-1] if s[1].endswith(",") else s[1]
        opts[s[0].strip().lower()] = value.strip()
    p2 = parameters.rfind("\nNegative prompt:", 0, p + 1)
    if p2 < 0:
        return None
    return parameters[:p2].strip(), parameters[p2 + 18:p].strip(), opts


def comfy_sampler(value: str) -> tuple[str, str]:
    """Its sampler handler: "DPM++ 2M" -> dpmpp_2m; "karras" in the name picks that scheduler."""
    name = value.lower().replace("++", "pp", 1).replace(" ", "_")
    if "karras" in name:
        return re.sub(r"_+$", "", name.replace("karras", "")), "karras"
    return name, "normal"


@pytest.mark.parametrize("name", PRESETS)
def test_comfyui_imports_prompt_negative_and_settings(name):
    spec = preset(name)
    bundle = build_prompts(spec)
    imported = comfy_import(bundle.infotext())
    assert imported is not None
    positive, negative, opts = imported
    assert positive == bundle.prompts["sdxl"] and negative == bundle.negatives["sdxl"]
    g = spec.generation
    assert opts["steps"] == str(g.steps) and opts["seed"] == str(g.seed) and float(opts["cfg scale"]) == g.cfg_scale
    assert opts["size"] == "{}x{}".format(*spec.render.resolution) and opts["model"] == g.model
    assert comfy_sampler(opts["sampler"]) == ("dpmpp_2m", "normal")  # a KSampler name ComfyUI has


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs)
def test_every_spec_gives_text_all_three_readers_split_the_same_way(spec):
    bundle = build_prompts(spec)
    text = bundle.infotext()
    res = a1111_parse(text)
    assert (res["Prompt"], res["Negative prompt"]) == (bundle.prompts["sdxl"], bundle.negatives["sdxl"])
    assert res["Sampler"] == spec.generation.sampler
    imported = comfy_import(text)
    assert imported is not None and imported[:2] == (bundle.prompts["sdxl"], bundle.negatives["sdxl"])
