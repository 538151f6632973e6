"""Paths checked before any work: where ``build --save`` writes, and whether a model file is
readable and really of the format its extension names.

A model's format is recognised by its first bytes, as each format defines them: binary glTF
starts with the magic ``glTF`` (Khronos, glTF 2.0 specification, "GLB File Format
Specification", section "Header"); a .gltf is JSON, so its first character is ``{`` (RFC 8259);
binary FBX starts with ``Kaydara FBX Binary`` and ASCII FBX carries an ``FBXHeaderExtension``
block (Autodesk FBX SDK file format, as written by every FBX exporter); a Wavefront OBJ is text
with vertex lines ``v x y z`` (Wavefront "Object Files (.obj)", Appendix B1 of the Advanced
Visualizer manual).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import Problem

MODEL_SUFFIXES: tuple[str, ...] = (".glb", ".gltf", ".fbx", ".obj")
SNIFF_BYTES = 64 * 1024  # enough for any header; OBJ files put vertex lines near the top


def check_save_path(path: Path, flag: str = "--save") -> list[Problem]:
    """Problems with writing a file at ``path`` (its folder is created if missing)."""
    path = Path(path)
    if path.is_dir():
        return [Problem(flag, f"{str(path)!r} is a folder", "a file path ending in .blend")]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".portrait_spec-check-"):
            pass
    except OSError as exc:
        return [Problem(flag, f"{str(path)!r}: {exc.strerror or exc}", "a path in a folder this user can write")]
    if path.exists() and not os.access(path, os.W_OK):
        return [Problem(flag, f"{str(path)!r} is read-only", "a path this user can write")]
    return []


def _looks_like(suffix: str, head: bytes) -> bool:
    if suffix == ".glb":
        return head.startswith(b"glTF")
    if suffix == ".gltf":
        return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")
    if suffix == ".fbx":
        return head.startswith(b"Kaydara FBX Binary") or b"FBXHeaderExtension" in head
    if b"\x00" in head:  # .obj: text, with at least one vertex line near the top
        return False
    return any(line.lstrip().startswith(b"v ") for line in head.splitlines())


def check_model_file(path: Path, field: str = "subject.model") -> list[Problem]:
    """Problems with ``path`` as a model file: missing, unreadable, empty, an unsupported
    extension, or contents that are not the format the extension says."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in MODEL_SUFFIXES:
        return [Problem(field, repr(path.name), "a .glb, .gltf, .fbx or .obj file")]
    if not path.is_file():
        return [Problem(field, f"{str(path)!r} (no such file)", "an existing model file")]
    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        return [Problem(field, f"{str(path)!r}: {exc.strerror or exc}", "a model file this user can read")]
    if not head:
        return [Problem(field, f"{str(path)!r} is empty", f"a {suffix} model file")]
    if not _looks_like(suffix, head):
        return [Problem(field, f"{str(path)!r} is not a {suffix} file (its first bytes say otherwise)",
                        f"a {suffix} model file, or the extension of the format it really is")]
    return []
