"""``manifest.jsonl``: whole lines only (a torn tail from a killed run is cut off and ignored),
a done variant is never superseded, a failed one is by its retry."""

from __future__ import annotations

import json

from portrait_spec.sweep.manifest import Manifest, read_manifest


def test_lines_are_appended_whole_and_read_back(tmp_path):
    manifest = Manifest(tmp_path / "manifest.jsonl")
    manifest.append({"id": "a", "status": "done", "attempts": 1})
    manifest.append({"id": "b", "status": "failed", "attempts": 3, "error": "boom"})
    lines = (tmp_path / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b"]
    assert read_manifest(tmp_path / "manifest.jsonl")["b"]["error"] == "boom"


def test_a_torn_last_line_is_ignored_then_cut_off(tmp_path):
    path = tmp_path / "manifest.jsonl"
    Manifest(path).append({"id": "a", "status": "done"})
    with open(path, "ab") as fh:  # a run killed inside its write
        fh.write(b'{"id": "b", "status": "do')
    assert list(read_manifest(path)) == ["a"]
    manifest = Manifest(path)  # opening it for a new run repairs it
    assert path.read_bytes().endswith(b"}\n")
    manifest.append({"id": "b", "status": "done"})
    assert [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()] == ["a", "b"]


def test_done_is_final_and_failed_is_superseded(tmp_path):
    manifest = Manifest(tmp_path / "manifest.jsonl")
    manifest.append({"id": "a", "status": "failed", "attempts": 3})
    manifest.append({"id": "a", "status": "done", "attempts": 4})
    manifest.append({"id": "a", "status": "failed", "attempts": 5})
    manifest.append({"id": "b", "status": "failed", "attempts": 1})
    entries = manifest.entries()
    assert entries["a"]["status"] == "done" and entries["a"]["attempts"] == 4
    assert entries["b"]["status"] == "failed"
