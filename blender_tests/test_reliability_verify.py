"""verify checks what the render will show, not what a socket says.

* The meter sees occluders: in ``lit`` mode a fill 10 m away at -60 deg elevation sits under the
  floor, which blocks all of it; its "-2 stops" claim fails (exit 3), while the same fill above
  the floor passes.
* Material claims are effective values: a hand edit in a saved .blend that takes a claimed
  effect away (a weight of 0, a muted mix, a bump of strength 0, a node in between, a shader mixed
  in) fails that claim, however the value's own socket still reads: each edit is saved in a .blend
  and ``portrait_spec verify`` on it exits 3 naming the claim (a skin and a gold edit per file,
  two CLI runs at a time: eight runs in about a quarter of fourteen serial ones).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import zip_longest
from pathlib import Path

import bpy
import pytest

from portrait_spec.blender.api import build_fresh
from portrait_spec.blender.nodes import socket
from portrait_spec.blender.verify.verify import verify_claims
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import load_spec

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "scenes" / "seed_portrait.toml"
MANNEQUIN = ['subject.kind="mannequin"']  # at the seed's resolution, where the prompt claims its material detail
BLOCKED_FILL = ['background.mode="lit"', "lights.fill.elevation_deg=-60", 'lights.fill.distance="10 m"']


def _rows(spec: Spec, scene: bpy.types.Scene, prefix: str) -> list:
    claims = tuple(c for c in build_prompts(spec).claims if c.path.startswith(prefix))
    assert claims, f"the prompt makes no {prefix} claim"
    return [row for row in verify_claims(spec, scene, claims).claims if row.path.startswith(prefix)]


# ---------------------------------------------------------------- occluders

def test_a_fill_under_the_floor_fails_its_claim_and_one_above_passes():
    blocked = load_spec(SEED, [*MANNEQUIN, "jewelry.enabled=false", *BLOCKED_FILL])
    rows = _rows(blocked, build_fresh(blocked), "lights.fill.stops")
    assert rows and not any(r.passed for r in rows)
    assert "blocked by PS_Cyclorama" in str(rows[0].measured)

    clear = load_spec(SEED, [*MANNEQUIN, "jewelry.enabled=false", 'background.mode="lit"'])
    rows = _rows(clear, build_fresh(clear), "lights.fill.stops")
    assert rows and all(r.passed for r in rows), [str(r.measured) for r in rows]


def test_verify_exits_3_when_the_floor_blocks_the_fill(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon")}
    sets = [a for s in [*MANNEQUIN, "jewelry.enabled=false", *BLOCKED_FILL] for a in ("--set", s)]
    result = subprocess.run([sys.executable, "-m", "portrait_spec", "verify", str(SEED), *sets, "--json"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 3, result.stderr[-2000:]
    report = json.loads(result.stdout)
    failed = [row for row in report["claims"] if not row["passed"]]
    assert any(row["path"] == "lights.fill.stops" for row in failed), failed


# ---------------------------------------------------------------- effective material values

def _tree(name: str) -> bpy.types.NodeTree:
    return bpy.data.materials[name].node_tree


def _skin_input(name: str) -> bpy.types.NodeSocket:
    return _tree("PS_Skin").nodes["skin_bsdf"].inputs[name]


def _subsurface_off() -> None:
    _skin_input("Subsurface Weight").default_value = 0.0


def _tone_through_a_node() -> None:
    tree = _tree("PS_Skin")
    hue = tree.nodes.new("ShaderNodeHueSaturation")
    hue.inputs["Value"].default_value = 0.0  # black: the melanin fit no longer describes the skin
    tree.links.new(tree.nodes["skin_tone"].outputs[0], hue.inputs["Color"])
    tree.links.new(hue.outputs[0], _skin_input("Base Color"))


def _mute(material: str, node: str) -> Callable[[], None]:
    def edit() -> None:
        _tree(material).nodes[node].mute = True
    edit.__name__ = f"mute_{node}"
    return edit


def _base_roughness_driven() -> None:
    tree = _tree("PS_Skin")
    value = tree.nodes.new("ShaderNodeValue")
    first = tree.nodes["roughness_cheekbones"]
    tree.links.new(value.outputs[0], socket(first.inputs, "A_Float"))


def _hammer_flattened() -> None:
    _tree("PS_Gold").nodes["hammer_bump"].inputs["Strength"].default_value = 0.0


def _gold_ior_driven() -> None:
    tree = _tree("PS_Gold")
    rgb = tree.nodes.new("ShaderNodeRGB")
    tree.links.new(rgb.outputs[0], tree.nodes["gold_bsdf"].inputs["IOR"])


def _half_mixed(material: str, key: str) -> Callable[[], None]:
    def edit() -> None:
        tree = _tree(material)
        mix = tree.nodes.new("ShaderNodeMixShader")
        mix.inputs[0].default_value = 0.5
        diffuse = tree.nodes.new("ShaderNodeBsdfDiffuse")
        tree.links.new(tree.nodes[key].outputs[0], mix.inputs[1])
        tree.links.new(diffuse.outputs[0], mix.inputs[2])
        tree.links.new(mix.outputs[0], tree.nodes["output"].inputs["Surface"])
    edit.__name__ = f"half_mixed_{material}"
    return edit


EDITS: list[tuple[str, Callable[[], None]]] = [
    ("skin.subsurface.thin_radius_mm", _subsurface_off),
    ("skin.subsurface.thin_radius_mm", _mute("PS_Skin", "subsurface_radius")),
    ("skin.tone.melanin", _tone_through_a_node),
    ("skin.roughness.cheekbones", _mute("PS_Skin", "roughness_cheekbones")),
    ("skin.roughness.default", _base_roughness_driven),
    ("skin.sebum.roughness", _mute("PS_Skin", "roughness_sebum")),
    ("skin.vellus_hair.visible", _mute("PS_Skin", "vellus_sheen")),
    ("skin.tone.melanin", _half_mixed("PS_Skin", "skin_bsdf")),
    ("jewelry.karat", _gold_ior_driven),
    ("jewelry.finish", _hammer_flattened),
    ("jewelry.facet_size_mm", _hammer_flattened),
    ("jewelry.roughness", _mute("PS_Gold", "roughness_scratched")),
    ("jewelry.micro_scratches", _mute("PS_Gold", "scratch_lines")),
    ("jewelry.roughness", _half_mixed("PS_Gold", "gold_bsdf")),
]


@pytest.fixture(scope="module")
def seed_blend(tmp_path_factory: pytest.TempPathFactory) -> tuple[Spec, Path]:
    spec = load_spec(SEED, MANNEQUIN)
    build_fresh(spec)
    path = tmp_path_factory.mktemp("materials") / "seed.blend"
    bpy.ops.wm.save_as_mainfile(filepath=str(path), check_existing=False)
    return spec, path


def _reopened(path: Path, edit: Callable[[], None] | None, tmp_path: Path) -> bpy.types.Scene:
    bpy.ops.wm.open_mainfile(filepath=str(path), load_ui=False)
    if edit is not None:
        edit()
        edited = tmp_path / "edited.blend"
        bpy.ops.wm.save_as_mainfile(filepath=str(edited), check_existing=False)
        bpy.ops.wm.open_mainfile(filepath=str(edited), load_ui=False)
    scene = bpy.context.scene
    assert scene is not None
    return scene


def test_untouched_materials_pass_every_material_claim(seed_blend, tmp_path):
    spec, path = seed_blend
    scene = _reopened(path, None, tmp_path)
    for prefix in sorted({claim for claim, _edit in EDITS}):
        rows = _rows(spec, scene, prefix)
        assert rows and all(r.passed for r in rows), [(r.name, r.measured) for r in rows]


def test_a_mix_that_selects_the_bsdf_fully_still_passes(seed_blend, tmp_path):
    spec, path = seed_blend

    def selecting_mix() -> None:
        _half_mixed("PS_Skin", "skin_bsdf")()
        tree = _tree("PS_Skin")
        next(n for n in tree.nodes if n.bl_idname == "ShaderNodeMixShader").inputs[0].default_value = 0.0
        tree.nodes["roughness_cheekbones"].mute = False  # and nothing else changed

    scene = _reopened(path, selecting_mix, tmp_path)
    rows = _rows(spec, scene, "skin.roughness.cheekbones")
    assert all(r.passed for r in rows), [(r.name, r.measured) for r in rows]


EDIT_IDS = [f"{c}-{e.__name__.strip('_')}" for c, e in EDITS]
CLI_VERIFIES_AT_ONCE = 2  # the CI machines have two cores; each verify's probe renders use them all
# For the CLI, one skin edit and one gold edit share a .blend: they touch different materials
# and claims (the in-process test below shows each edit alone fails its own claim), so the
# fourteen edits take eight verify runs.
PAIRS: list[tuple[str, ...]] = [tuple(i for i in pair if i is not None) for pair in zip_longest(
    [i for i, (c, _e) in zip(EDIT_IDS, EDITS, strict=True) if c.startswith("skin.")],
    [i for i, (c, _e) in zip(EDIT_IDS, EDITS, strict=True) if c.startswith("jewelry.")])]


@pytest.fixture(scope="module")
def edited_blends(seed_blend, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each hand edit applied to the saved seed and saved as a .blend of its own, by edit id."""
    _spec, path = seed_blend
    folder = tmp_path_factory.mktemp("edited")
    blends = {}
    for (_claim, edit), edit_id in zip(EDITS, EDIT_IDS, strict=True):
        bpy.ops.wm.open_mainfile(filepath=str(path), load_ui=False)
        edit()
        blends[edit_id] = folder / f"{edit_id}.blend"
        bpy.ops.wm.save_as_mainfile(filepath=str(blends[edit_id]), check_existing=False)
    return blends


@pytest.fixture(scope="module")
def paired_blends(seed_blend, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each ``PAIRS`` entry's edits applied to the saved seed and saved together; by edit id."""
    _spec, path = seed_blend
    folder = tmp_path_factory.mktemp("paired")
    edits = dict(zip(EDIT_IDS, (e for _c, e in EDITS), strict=True))
    blends = {}
    for number, pair in enumerate(PAIRS):
        bpy.ops.wm.open_mainfile(filepath=str(path), load_ui=False)
        for edit_id in pair:
            edits[edit_id]()
            blends[edit_id] = folder / f"edited-{number}.blend"
        bpy.ops.wm.save_as_mainfile(filepath=str(folder / f"edited-{number}.blend"), check_existing=False)
    return blends


def _cli_verify(blend: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon")}
    return subprocess.run([sys.executable, "-m", "portrait_spec", "verify", str(blend), "--json"],
                          cwd=blend.parent, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def cli_verdicts(paired_blends: dict[str, Path]) -> dict[str, subprocess.CompletedProcess[str]]:
    """``portrait_spec verify --json`` on every edited .blend, a few processes at a time; by edit id."""
    files = sorted(set(paired_blends.values()))
    with ThreadPoolExecutor(max_workers=CLI_VERIFIES_AT_ONCE) as pool:
        by_file = dict(zip(files, pool.map(_cli_verify, files), strict=True))
    return {edit_id: by_file[blend] for edit_id, blend in paired_blends.items()}


@pytest.mark.parametrize(("claim", "edit"), EDITS, ids=EDIT_IDS)
def test_a_hand_edit_that_removes_the_effect_fails_the_claim(seed_blend, edited_blends, claim, edit):
    spec, _path = seed_blend
    bpy.ops.wm.open_mainfile(filepath=str(edited_blends[EDIT_IDS[EDITS.index((claim, edit))]]), load_ui=False)
    scene = bpy.context.scene
    assert scene is not None
    rows = [r for r in _rows(spec, scene, claim) if r.path == claim]
    assert rows and not all(r.passed for r in rows), [(r.name, r.measured) for r in rows]


@pytest.mark.parametrize(("claim", "edit_id"), [(c, i) for (c, _e), i in zip(EDITS, EDIT_IDS, strict=True)], ids=EDIT_IDS)
def test_verify_exits_3_on_each_hand_edited_blend_naming_the_claim(cli_verdicts, claim, edit_id):
    result = cli_verdicts[edit_id]
    assert result.returncode == 3, result.stderr[-2000:]
    failed = {row["path"] for row in json.loads(result.stdout)["claims"] if not row["passed"]}
    assert claim in failed, failed
