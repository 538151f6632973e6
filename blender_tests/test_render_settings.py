"""The quality presets reach Cycles whole: every setting the preset names is on the scene after a
build, whatever the scene had before, and the extraction backdrop keeps the scene's own denoiser
off (``render`` denoises and restores the backdrop itself)."""

from __future__ import annotations

import dataclasses

import pytest

from portrait_spec.blender.api import build_scene
from portrait_spec.blender.render.settings import QUALITY, QualityPreset
from portrait_spec.core.toml_io import load_spec

# Preset field -> the Cycles setting it sets.
CYCLES_FIELDS = {
    "samples": "samples",
    "adaptive_threshold": "adaptive_threshold",
    "denoise_prefilter": "denoising_prefilter",
    "light_tree": "use_light_tree",
    "path_guiding": "use_guiding",
    "caustics": "caustics_reflective",
    "clamp_direct": "sample_clamp_direct",
    "clamp_indirect": "sample_clamp_indirect",
    "blur_glossy": "blur_glossy",
    "max_bounces": "max_bounces",
    "diffuse_bounces": "diffuse_bounces",
    "glossy_bounces": "glossy_bounces",
    "transmission_bounces": "transmission_bounces",
    "transparent_bounces": "transparent_max_bounces",
}
# Values no preset uses, written first so that a setting the build forgot shows up.
SPOILERS = {"samples": 3, "adaptive_threshold": 0.5, "denoising_prefilter": "NONE", "use_light_tree": False,
            "use_guiding": True, "caustics_reflective": False, "caustics_refractive": False,
            "sample_clamp_direct": 0.25, "sample_clamp_indirect": 0.25, "blur_glossy": 7.0, "max_bounces": 1,
            "diffuse_bounces": 1, "glossy_bounces": 1, "transmission_bounces": 1, "transparent_max_bounces": 1,
            "use_denoising": False, "denoising_input_passes": "RGB", "time_limit": 5.0}


def test_every_preset_field_is_checked_here():
    handled = set(CYCLES_FIELDS) | {"denoise"}
    assert {f.name for f in dataclasses.fields(QualityPreset)} == handled


@pytest.mark.parametrize("quality", sorted(QUALITY))
@pytest.mark.parametrize("preset_file", ["gradient_backdrop.toml", "chroma_extraction.toml"])
def test_build_sets_the_whole_preset_over_whatever_the_scene_had(scene, scenes_dir, quality, preset_file):
    spec = load_spec(scenes_dir / preset_file, [f'render.quality="{quality}"', "jewelry.enabled=false"])
    for key, value in SPOILERS.items():
        setattr(scene.cycles, key, value)
    build_scene(spec, scene)
    preset = QUALITY[quality]
    cycles = scene.cycles
    for name, attribute in CYCLES_FIELDS.items():
        assert getattr(cycles, attribute) == pytest.approx(getattr(preset, name)), name
    assert cycles.caustics_refractive == preset.caustics
    assert cycles.use_adaptive_sampling is (preset.adaptive_threshold > 0.0)
    assert cycles.denoiser == "OPENIMAGEDENOISE" and cycles.denoising_input_passes == "RGB_ALBEDO_NORMAL"
    assert cycles.time_limit == 0.0
    extraction = spec.background.mode == "extraction"
    # Extraction keeps F12 exact: the scene's denoiser stays off, render_to_folder denoises.
    assert cycles.use_denoising is (preset.denoise and not extraction)


def test_samples_in_the_spec_replace_only_the_sample_count(scene, scenes_dir):
    spec = load_spec(scenes_dir / "gradient_backdrop.toml", ["render.samples=7", "jewelry.enabled=false"])
    build_scene(spec, scene)
    assert scene.cycles.samples == 7
    assert scene.cycles.adaptive_threshold == pytest.approx(QUALITY[spec.render.quality].adaptive_threshold)
