"""The temp-folder cache of parsed MakeHuman files and the mannequin's mesh (``sitter/cache.py``):
a file cut short by a killed process is made again, and a temp folder that cannot be written
only costs the work."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from portrait_spec.blender.sitter.cache import FOLDER, cached, file_digest


def test_a_cache_file_cut_short_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    made = []

    def make() -> dict[str, np.ndarray]:
        made.append(1)
        return {"verts": np.arange(6.0).reshape(2, 3), "quads": np.arange(4, dtype=np.int32).reshape(1, 4)}

    first = cached("mesh_x", make)
    again = cached("mesh_x", make)
    assert len(made) == 1 and np.array_equal(again["verts"], first["verts"]) and again["quads"].dtype == np.int32
    path = tmp_path / FOLDER / "mesh_x.npz"
    path.write_bytes(path.read_bytes()[:40])
    assert np.array_equal(cached("mesh_x", make)["verts"], first["verts"]) and len(made) == 2
    assert np.array_equal(cached("mesh_x", make)["verts"], first["verts"]) and len(made) == 2  # written whole again
    assert sorted(p.name for p in (tmp_path / FOLDER).iterdir()) == ["mesh_x.npz"]  # no temporary left


def test_an_unwritable_temp_folder_only_costs_the_work(tmp_path, monkeypatch):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setattr(tempfile, "tempdir", str(blocked))
    made = []
    for _ in range(2):
        assert cached("target_y", lambda: made.append(1) or {"table": np.ones((3, 4))})["table"].shape == (3, 4)
    assert len(made) == 2


def test_a_changed_source_file_gets_a_new_name(tmp_path):
    source = tmp_path / "base.obj"
    source.write_text("v 0 0 0\n")
    before = file_digest(source)
    source.write_text("v 0 0 1\nv 1 1 1\n")
    assert file_digest(source) != before
    assert file_digest(Path(str(source))) == file_digest(source)
