"""A Blender without its procedural hair asset file (a stripped build): a clumped haircut is a
SpecError on ``subject.hair.style`` raised before the sitter is touched, so the person built
before stays as it was (``sitter/person/hair_assets.py``, checked first by ``build_person``)."""

from __future__ import annotations

from pathlib import Path

import bpy
import numpy as np
import pytest
from person_support import body, build_person, skin_vertices

from portrait_spec.blender.sitter.person import hair_assets
from portrait_spec.core.errors import SpecError


def test_a_missing_hair_asset_file_refuses_a_clumped_cut_and_leaves_the_sitter_whole(monkeypatch):
    bpy.ops.wm.read_factory_settings(use_empty=True)  # no appended group yet: the file is looked for
    scene = bpy.context.scene
    build_person(scene, 'subject.hair.style="close_cropped"', "subject.hair.length_cm=1")  # no clumps: no assets
    before = skin_vertices(scene)
    mesh = body(scene).data
    monkeypatch.setattr(hair_assets, "asset_file", lambda: Path("/nonexistent") / hair_assets.ASSET_FILE)
    with pytest.raises(SpecError) as caught:
        build_person(scene, 'subject.hair.style="bob"', "subject.hair.length_cm=22", "subject.body.age_years=70")
    assert [p.path for p in caught.value.problems] == ["subject.hair.style"]
    assert "hair node assets are missing" in caught.value.message()
    assert body(scene).data == mesh
    np.testing.assert_array_equal(skin_vertices(scene), before)  # not re-posed for the older sitter
    assert not any(g.get(hair_assets.MARK) for g in bpy.data.node_groups)
