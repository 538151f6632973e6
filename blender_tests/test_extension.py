"""The extension as a user gets it: build.py's zip passes Blender's own validator, installs
into a temporary user extension repository with Blender's installer, enables, registers its
operators, and enabling/disabling it three times in one process leaves nothing behind."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import addon_utils
import bpy
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "addon" / "portrait_spec"
REPO_MODULE = "portrait_spec_test_repo"
ADDON_MODULE = f"bl_ext.{REPO_MODULE}.portrait_spec"


def _manifest() -> dict:
    with (SOURCE / "blender_manifest.toml").open("rb") as fh:
        return tomllib.load(fh)


def _scripts() -> Path:
    return Path(bpy.utils.system_resource("SCRIPTS"))


def blender_ext(*args: str) -> subprocess.CompletedProcess[str]:
    """Blender's extension command line (the wheel's copy of ``blender --command extension``)."""
    scripts = _scripts()
    cli = scripts / "addons_core" / "bl_pkg" / "cli" / "blender_ext.py"
    tags = scripts / "modules" / "_bpy_internal" / "extensions" / "tags.py"
    assert cli.is_file() and tags.is_file()
    return subprocess.run([sys.executable, str(cli), args[0], "--valid-tags", str(tags), *args[1:]],
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def built_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out-dir", str(out), "--packager", "blender"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = _manifest()
    path = out / f"{manifest['id']}-{manifest['version']}.zip"
    assert path.is_file()
    return path


# ---------------------------------------------------------------- the package

def test_manifest_states_what_the_issue_asks():
    manifest = _manifest()
    assert manifest["id"] == "portrait_spec"
    assert manifest["type"] == "add-on"
    assert manifest["blender_version_min"] == "4.5.0"
    assert manifest["license"] == ["SPDX:GPL-3.0-or-later"]
    assert set(manifest["permissions"]) == {"files"}
    with (ROOT / "pyproject.toml").open("rb") as fh:
        assert tomllib.load(fh)["project"]["version"] == manifest["version"]


def test_zip_holds_the_package_at_its_root_and_no_caches(built_zip: Path):
    names = zipfile.ZipFile(built_zip).namelist()
    assert "blender_manifest.toml" in names and "__init__.py" in names
    assert "core/spec.py" in names and "cli.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc") or Path(n).name.startswith(".")]
    sources = {p.relative_to(SOURCE).as_posix() for p in SOURCE.rglob("*.py") if "__pycache__" not in p.parts}
    assert sources <= set(names)
    # The preset menu of an installed extension reads the presets shipped inside the package.
    presets = {f"scenes/{p.name}" for p in (ROOT / "scenes").glob("*.toml")}
    assert presets and presets <= set(names)


def test_the_fallback_packager_makes_the_same_file_list(built_zip: Path, tmp_path: Path):
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out-dir", str(tmp_path), "--packager", "zipfile"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    fallback = zipfile.ZipFile(tmp_path / built_zip.name).namelist()
    assert sorted(fallback) == sorted(zipfile.ZipFile(built_zip).namelist())


def test_blenders_validator_accepts_the_zip(built_zip: Path):
    result = blender_ext("validate", str(built_zip))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


def test_blenders_validator_is_really_checking(built_zip: Path, tmp_path: Path):
    """Control: the same zip with a tagline ending in a full stop must be rejected."""
    broken = tmp_path / built_zip.name
    with zipfile.ZipFile(built_zip) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "blender_manifest.toml":
                data = re.sub(rb'(?m)^(tagline = ".*)"$', rb'\1."', data, count=1)
                assert data.count(b'."') == 1
            dst.writestr(item, data)
    result = blender_ext("validate", str(broken))
    assert result.returncode != 0
    assert "tagline" in result.stdout + result.stderr


# ---------------------------------------------------------------- installed and enabled

@pytest.fixture
def user_repo(tmp_path: Path) -> Iterator[Path]:
    """A temporary user extension repository, removed afterwards with whatever was enabled."""
    directory = tmp_path / "extensions"
    directory.mkdir()
    repos = bpy.context.preferences.extensions.repos
    repo = repos.new(name="Portrait Spec test", module=REPO_MODULE, custom_directory=str(directory), source="USER")
    try:
        yield directory
    finally:
        if ADDON_MODULE in bpy.context.preferences.addons:
            addon_utils.disable(ADDON_MODULE, default_set=True)
        # A failed test may leave classes registered; Blender can hang at exit on those.
        registration = sys.modules.get(f"{ADDON_MODULE}.blender.ui.registration")
        for cls in reversed(getattr(registration, "CLASSES", ())):
            if getattr(cls, "is_registered", False):
                bpy.utils.unregister_class(cls)
        repos.remove(repo)
        for name in [m for m in sys.modules if m == ADDON_MODULE or m.startswith(ADDON_MODULE + ".")]:
            del sys.modules[name]
        shutil.rmtree(directory, ignore_errors=True)


def _install(zip_path: Path) -> None:
    result = bpy.ops.extensions.package_install_files(filepath=str(zip_path), repo=REPO_MODULE, enable_on_install=True)
    assert result == {"FINISHED"}


def _ui_classes() -> tuple[type, ...]:
    registration = sys.modules[f"{ADDON_MODULE}.blender.ui.registration"]
    return tuple(registration.CLASSES)


def _operator_callable(cls: type) -> bool:
    category, name = cls.bl_idname.split(".")
    try:
        getattr(getattr(bpy.ops, category), name).get_rna_type()
    except (KeyError, AttributeError):
        return False
    return True


def test_the_zip_installs_and_enables_as_an_extension(built_zip: Path, baseline: dict, user_repo: Path):
    _install(built_zip)
    assert ADDON_MODULE in bpy.context.preferences.addons
    module = sys.modules[ADDON_MODULE]
    # The installed copy runs, not the source tree.
    assert Path(module.__file__).resolve().is_relative_to(user_repo.resolve())
    assert (user_repo / "portrait_spec" / "blender_manifest.toml").is_file()
    presets_module = sys.modules[f"{ADDON_MODULE}.blender.ui.presets"]
    shipped = [d.resolve() for d in presets_module.shipped_dirs()]
    assert (user_repo / "portrait_spec" / "scenes").resolve() in shipped
    assert (user_repo / "portrait_spec" / "scenes" / "seed_portrait.toml").is_file()
    operators = [cls for cls in _ui_classes() if issubclass(cls, bpy.types.Operator)]
    assert operators, "the add-on registers no operator"
    for cls in _ui_classes():
        assert cls.is_registered, cls.__name__
    for cls in operators:
        assert cls.__name__.startswith("PORTRAITSPEC_OT_"), cls.__name__
        assert _operator_callable(cls), cls.bl_idname


def _snapshot() -> dict[str, object]:
    """What an add-on can leave behind in a running Blender."""
    wm = bpy.context.window_manager
    structs = (bpy.types.Scene, bpy.types.Object, bpy.types.WindowManager, bpy.types.World,
               bpy.types.Light, bpy.types.Camera, bpy.types.Collection, bpy.types.Material)
    keyconfig = wm.keyconfigs.addon
    return {
        "types": sorted(dir(bpy.types)),
        "properties": {s.__name__: sorted(s.bl_rna.properties.keys()) for s in structs},
        "handlers": {name: len(getattr(bpy.app.handlers, name)) for name in dir(bpy.app.handlers)
                     if isinstance(getattr(bpy.app.handlers, name), list)},
        "keymap_items": sum(len(km.keymap_items) for km in keyconfig.keymaps) if keyconfig else 0,
        "operators": sorted(f"{c}.{o}" for c in dir(bpy.ops) if not c.startswith("_") for o in dir(getattr(bpy.ops, c))),
    }


@pytest.fixture(scope="module")
def baseline() -> dict[str, object]:
    """Blender's state before this module first installs the add-on (a leak from one test must
    not become the next test's "before")."""
    return _snapshot()


def test_enable_disable_three_times_leaves_nothing_behind(built_zip: Path, baseline: dict, user_repo: Path):
    before = baseline
    _install(built_zip)  # installing also enables it
    classes = _ui_classes()
    addon_utils.disable(ADDON_MODULE, default_set=True)
    assert _snapshot() == before
    enabled_states = []
    for _ in range(3):
        addon_utils.enable(ADDON_MODULE, default_set=True, handle_error=None)
        assert ADDON_MODULE in bpy.context.preferences.addons
        assert all(cls.is_registered for cls in _ui_classes())
        enabled_states.append(_snapshot())
        addon_utils.disable(ADDON_MODULE, default_set=True)
        assert ADDON_MODULE not in bpy.context.preferences.addons
        assert not any(cls.is_registered for cls in classes)
        assert _snapshot() == before
    assert enabled_states[0] == enabled_states[1] == enabled_states[2]
