"""Build the extension zip ``dist/portrait_spec-<version>.zip`` from ``addon/portrait_spec``.

    python3 build.py [--out-dir DIR] [--packager auto|blender|zipfile] [--validate]

``blender`` runs Blender's own packager, ``blender_ext.py build`` (what ``blender --command
extension build`` runs), which ships inside the bpy wheel; it honours the manifest's
``[build]`` exclusions and checks the manifest while packing. ``zipfile`` writes the same
layout with the standard library (manifest at the zip root, no ``__pycache__``, no dot-files,
no ``*.pyc``) for a machine without the wheel. ``auto`` (the default) prefers Blender's.
``--validate`` then runs Blender's validator on the zip. Stdlib only.
"""

from __future__ import annotations

import argparse
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


def stage(into: Path) -> Path:
    """The package as it ships: ``addon/portrait_spec`` plus the preset ``scenes/`` inside it,
    where the panel's preset menu looks for them once installed."""
    staged = into / SOURCE.name
    shutil.copytree(SOURCE, staged, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
    shutil.copytree(SCENES, staged / "scenes", ignore=shutil.ignore_patterns("README.md"))
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
