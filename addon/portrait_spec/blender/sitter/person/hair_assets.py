"""Blender's own procedural hair node groups (the "Essentials" assets every Blender ships),
appended into the file on first use and reused after.

The file moved between versions: ``datafiles/assets/geometry_nodes/`` in 4.x,
``datafiles/assets/nodes/`` in 5.x (https://projects.blender.org/blender/blender/src/branch/main/release/datafiles/assets);
the group names we use are the same in both. Appended, not linked: a saved .blend then renders
on a machine with another Blender, and a file from 4.5 opened in 5.3 is converted by Blender's
own versioning like any other node tree.

Our copy is marked (``MARK``) so a group of the same name the user appended is never taken
over or changed; a missing file or group (a stripped Blender build) is a ``SpecError`` on
``subject.hair.style`` saying what is missing, not a half-built sitter.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Literal, Protocol

import bpy

from ....core.errors import Problem, SpecError
from ...compat import set_modifier_input
from ...narrow import of_type

ASSET_FILE = "procedural_hair_node_assets.blend"
MARK = "portrait_spec_asset"
HairGroup = Literal["Clump Hair Curves"]


def asset_file() -> Path:
    """This Blender's procedural hair asset file: in its own folder (the bpy wheel, a portable
    Blender) or the system's (a Linux distribution's package)."""
    folder = "geometry_nodes" if bpy.app.version < (5, 0, 0) else "nodes"
    candidates = [Path(bpy.utils.resource_path(kind)) / "datafiles" / "assets" / folder / ASSET_FILE
                  for kind in ("LOCAL", "SYSTEM")]
    return next((path for path in candidates if path.is_file()), candidates[0])


def hair_group(name: HairGroup) -> bpy.types.GeometryNodeTree:
    """Our appended copy of Blender's node group ``name`` (appended now if this file has none)."""
    for group in bpy.data.node_groups:
        if group.get(MARK) == name and isinstance(group, bpy.types.GeometryNodeTree):
            return group
    path = asset_file()
    if not path.is_file():
        raise SpecError([Problem("subject.hair.style", f"a haircut, but Blender's hair node assets are missing (no {path})",
                                 "a haircut once Blender is complete (every build ships that file: reinstall it), "
                                 "or style = 'shaved'")])
    before = set(bpy.data.node_groups)
    with _load(path) as (source, target):
        if name not in source.node_groups:
            raise SpecError([Problem("subject.hair.style", f"a haircut, but {path} has no node group {name!r}",
                                     "a haircut once Blender is complete (reinstall it), or style = 'shaved'")])
        target.node_groups = [str(name)]
    group = of_type(target.node_groups[0], bpy.types.GeometryNodeTree)
    group[MARK] = name
    for added in set(bpy.data.node_groups) - before:  # it and its sub-groups: not the user's assets
        if added.asset_data is not None:
            added.asset_clear()
    return group


class _Blocks(Protocol):
    """``libraries.load``'s two sides: the file's names, then what we asked for (the stubs type
    the call as returning None)."""
    node_groups: list[str] | list[bpy.types.NodeTree]


def _load(path: Path) -> AbstractContextManager[tuple[_Blocks, _Blocks]]:
    load: Callable[..., AbstractContextManager[tuple[_Blocks, _Blocks]]] = bpy.data.libraries.load  # type: ignore[assignment]
    return load(str(path), link=False)


def set_input(modifier: bpy.types.NodesModifier, name: str, value: float | int | bool) -> None:
    """A Geometry Nodes modifier's input by its interface name (modifiers key inputs by the
    socket's identifier, which differs between files; ``compat`` sets it by version)."""
    group = modifier.node_group
    assert group is not None and group.interface is not None
    for item in group.interface.items_tree:
        if isinstance(item, bpy.types.NodeTreeInterfaceSocket) and item.in_out == "INPUT" and item.name == name:
            set_modifier_input(modifier, item.identifier, value)
            return
    raise KeyError(f"{group.name} has no input {name!r}")

