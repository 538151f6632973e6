"""Light mixing (``render/mix.py``, a sweep file's ``mix_lights``): a variant differing only in
its fill's and rim's levels, summed from another's render, is what rendering it gives (to within
the noise), keeps the exact backdrop and the base's maps, says in scene.json that it was mixed,
and is rendered instead when a light changed in more than its energy; a sweep with
``mix_lights`` renders one variant per group and mixes the rest."""

from __future__ import annotations

import json
from pathlib import Path

import bpy
import numpy as np
import pytest
from sweep_support import done, manifest_lines, run_sweep, write_sweep

from portrait_spec.blender.api import MixJob, SweepRenderer
from portrait_spec.blender.measure.image_files import read_png
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.sweep.expand import plan_sweep
from portrait_spec.core.sweep.file import read_sweep
from portrait_spec.core.toml_io import loads_spec

# The mannequin in extraction mode, denoised: small enough to render three times in seconds,
# enough samples that a 2-stop change of the fill stands well above the noise.
SPEC = ('[subject]\nkind = "mannequin"\n[background]\nmode = "extraction"\ncolor = [255, 0, 128]\n'
        '[render]\nresolution = [96, 120]\nquality = "preview"\nsamples = 64\n')
BASE_LEVELS = ["lights.fill.stops=-1", "lights.rim.stops=0"]
MIXED_LEVELS = ["lights.fill.stops=-3", "lights.rim.stops=-2"]
MAPS = ("depth.png", "depth_metric.png", "normal.png", "mask.png")


def _linear(folder: Path) -> np.ndarray:
    srgb = read_png(folder / "reference.png")[..., :3].astype(np.float64) / 255.0
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _subject(folder: Path) -> np.ndarray:
    return read_png(folder / "mask.png")[..., 0] >= 255


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The base rendered with a mix, the mix, and the mixed variant rendered on its own."""
    root = tmp_path_factory.mktemp("mix")
    renderer = SweepRenderer()
    base = loads_spec(SPEC, BASE_LEVELS)
    variant = loads_spec(SPEC, MIXED_LEVELS)
    own, mixes = renderer.render_group(base, root / "base", (MixJob(name="base-id", spec=variant, out_dir=root / "mixed"),),
                                       name="base-id", threads=2)
    SweepRenderer().render(variant, root / "rendered", threads=2)
    return root, own, mixes


def test_a_mix_is_what_rendering_the_variant_gives(mixed):
    root, _, mixes = mixed
    assert not isinstance(mixes[0], Exception), mixes[0]
    assert mixes[0].mixed_from == "base-id"
    subject = _subject(root / "rendered")
    base, mix, rendered = (_linear(root / name)[subject] for name in ("base", "mixed", "rendered"))
    mix_error = float(np.sqrt(((mix - rendered) ** 2).mean()))
    base_error = float(np.sqrt(((base - rendered) ** 2).mean()))
    assert mix_error < 0.3 * base_error, (mix_error, base_error)  # the levels changed; the mix follows them
    assert abs(mix.mean() / rendered.mean() - 1.0) < 0.03, (mix.mean(), rendered.mean())


def test_a_mix_keeps_the_exact_backdrop_and_the_bases_maps(mixed):
    root, _, _ = mixed
    for name in MAPS:
        assert (root / "mixed" / name).read_bytes() == (root / "base" / name).read_bytes(), name
    backdrop = read_png(root / "mixed" / "mask.png")[..., 0] == 0
    pixels = read_png(root / "mixed" / "reference.png")[..., :3][backdrop]
    assert backdrop.sum() > 1000 and (pixels == [255, 0, 128]).all()


def test_scene_json_says_the_variant_was_mixed_and_holds_its_own_spec_and_claims(mixed):
    root, _, _ = mixed
    scene = json.loads((root / "mixed" / "scene.json").read_text(encoding="utf-8"))
    assert scene["render"]["light_mix"] == {"mixed_from": "base-id", "scales": {"fill": 0.25, "key": 1.0, "rim": 0.25},
                                            "denoised_sum": True}
    variant = loads_spec(SPEC, MIXED_LEVELS)
    assert scene["claims"] == json.loads(json.dumps([c.to_data() for c in build_prompts(variant).claims]))
    assert "light_mix" not in json.loads((root / "base" / "scene.json").read_text(encoding="utf-8"))["render"]


def test_the_render_leaves_no_light_group_behind():
    renderer = SweepRenderer()
    own, mixes = renderer.render_group(loads_spec(SPEC, [*BASE_LEVELS, "render.samples=4", "render.resolution=[32, 40]"]),
                                       Path(bpy.app.tempdir or "/tmp") / "ps-mix-groups", (), name="x", threads=2)
    scene = bpy.context.scene
    assert own.files and mixes == []
    assert len(scene.view_layers[0].lightgroups) == 0
    assert all(obj.lightgroup == "" for obj in scene.objects if obj.type == "LIGHT")


def test_a_light_changed_in_more_than_its_energy_is_rendered_not_mixed(tmp_path):
    renderer = SweepRenderer()
    small = ["render.samples=4", "render.resolution=[48, 60]"]
    moved = loads_spec(SPEC, [*MIXED_LEVELS, *small, "lights.fill.azimuth_deg=-60"])
    levels = loads_spec(SPEC, [*MIXED_LEVELS, *small])
    _, mixes = renderer.render_group(loads_spec(SPEC, [*BASE_LEVELS, *small]), tmp_path / "base",
                                     (MixJob(name="a", spec=moved, out_dir=tmp_path / "moved"),
                                      MixJob(name="b", spec=levels, out_dir=tmp_path / "levels")), name="base", threads=2)
    assert not isinstance(mixes[0], Exception) and mixes[0].mixed_from is None
    assert "light_mix" not in json.loads((tmp_path / "moved" / "scene.json").read_text(encoding="utf-8"))["render"]
    # The next one's lights are the base's again but for their levels: mixed.
    assert not isinstance(mixes[1], Exception) and mixes[1].mixed_from == "base"


def test_a_sweep_with_mix_lights_renders_one_variant_per_group_and_mixes_the_rest(tmp_path):
    text = ('base = "base.toml"\nmix_lights = true\n[grid]\n"lights.key.azimuth_deg" = [30, 60]\n'
            '"lights.fill.stops" = [-1, -2, -3]\n')
    sweep = write_sweep(tmp_path, text, base=SPEC.replace("samples = 64", "samples = 8").replace("[96, 120]", "[48, 60]"))
    out = tmp_path / "out"
    result = run_sweep(sweep, out, "--workers", "2")
    assert result.returncode == 0, result.stderr
    plan = plan_sweep(read_sweep(sweep))
    entries = done(out)
    assert set(entries) == {v.id for v in plan.variants} and len(manifest_lines(out)) == 6
    by_key = {}
    for variant in plan.variants:
        by_key.setdefault(variant.spec.lights.key.azimuth_deg, []).append(variant.id)
    for ids in by_key.values():  # each key position: its first variant rendered, the other two mixed from it
        assert [entries[i]["timing"]["mixed_from"] for i in ids] == [None, ids[0], ids[0]]
        for vid in ids[1:]:
            scene = json.loads((out / "variants" / vid / "scene.json").read_text(encoding="utf-8"))
            assert scene["render"]["light_mix"]["mixed_from"] == ids[0]
            assert entries[vid]["claims"] == scene["claims"]
