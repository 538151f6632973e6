"""What a model without usable eyes, or without a neck for the chain, gets: exit 2 with one clear
message naming the spec field and what to add, and nothing built. A standing full figure whose
eyes are not mapped is placed by its head instead (an estimate, said in verify's report)."""

from __future__ import annotations

import json
from pathlib import Path

import bpy
import model_fixtures as mf
import numpy as np
import pytest

from portrait_spec import cli
from portrait_spec.blender.api import build_scene
from portrait_spec.blender.contract import MODEL_NOTES_KEY, objects_with_role
from portrait_spec.blender.verify.verify import verify_built_scene
from portrait_spec.core.errors import SpecError


def _toml(tmp_path: Path, model: Path, materials: str, extra: str = "") -> Path:
    spec = tmp_path / "scene.toml"
    spec.write_text(f'[subject]\nkind = "model"\nmodel = "{model.name}"\n[subject.materials]\n{materials}\n{mf.TINY}{extra}')
    return spec


def test_a_bust_with_no_usable_eyes_is_exit_2_naming_the_mapping(scene, tmp_path, capsys):
    bust = mf.export(mf.character(eyes_material=False, above_m=1.15), tmp_path / "bust.glb")
    with pytest.raises(SpecError) as err:
        build_scene(mf.model_spec(bust, {"Skin": "skin"}), scene)
    problem = err.value.problems[0]
    assert problem.path == "subject.materials"
    assert '"Sclera" = "eyes"' in problem.allowed  # the file's eye-like material, ready to paste
    assert not objects_with_role(scene, "subject")  # nothing half-built

    out = tmp_path / "never.blend"
    assert cli.main(["build", str(_toml(tmp_path, bust, 'Skin = "skin"')), "--save", str(out)]) == 2
    assert "subject.materials" in capsys.readouterr().err
    assert not out.exists()


def test_a_standing_figure_without_eye_mapping_is_placed_by_its_head(scene, tmp_path):
    figure = mf.export(mf.character(eyes_material=False), tmp_path / "figure.glb")
    spec = mf.model_spec(figure, {"Skin": "skin"})
    built = build_scene(spec, scene)
    root = next(o for o in built.subject.objects if o.get(MODEL_NOTES_KEY) is not None)
    assert root["portrait_spec_eye_source"] == "head rule"
    assert any("estimated from the head" in n for n in json.loads(root[MODEL_NOTES_KEY]))
    report = verify_built_scene(spec, scene)
    assert report.passed, report.table()
    # The estimate lands within a few centimetres of the real pupils (the unmapped eye faces).
    sclera = [o for o in built.subject.objects if o.type == "MESH"]
    eyes = mf.find_eyes(sclera, lambda m: m is not None and m.name.startswith("Sclera"))
    assert eyes is not None and np.abs(eyes.pupil_midpoint - np.array(built.focus)).max() < 0.03


def test_a_head_without_shoulders_cannot_wear_the_chain(scene, tmp_path):
    head = mf.export(mf.character(above_m=1.44), tmp_path / "head.glb")
    with pytest.raises(SpecError) as err:
        build_scene(mf.model_spec(head, {"Skin": "skin", "Eyes": "eyes"}), scene)
    assert err.value.problems[0].path == "jewelry.chain"
    assert "jewelry.enabled = false" in err.value.problems[0].allowed
    assert not objects_with_role(scene, "subject")
    built = build_scene(mf.model_spec(head, {"Skin": "skin", "Eyes": "eyes"}, "[jewelry]\nenabled = false\n"), scene)
    assert built.chain is None
    bpy.context.view_layer.update()
