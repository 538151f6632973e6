"""The MakeHuman base mesh (``3dobjs/base.obj``, hm08) and its vertex groups, as numpy arrays.

``base.obj`` has 19,158 vertices and 18,486 quads in decimetres, Y up, face towards +Z. Besides
the skin (group ``body``, vertices 0-13,379) it carries helper geometry (tights, skirt, hair
shell, teeth, tongue, eyelashes, eyes, genitals) and 125 joint cubes whose centres are the rig's
joint positions after shaping; they are read for the joints and eyes, then dropped with
``keep_faces``. ``to_blender`` turns MakeHuman's frame into the scene's: metres, +Z up, face
towards -Y (the camera), the sitter's left on +X.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..cache import cached, file_digest
from . import data

OBJ = "mpfb2/3dobjs/base.obj"
GROUPS_JSON = "mpfb2/mesh_metadata/basemesh_vertex_groups.json"
DECIMETRE = 0.1


@dataclass(frozen=True)
class BaseMesh:
    verts: np.ndarray  # (19158, 3) float64, decimetres, MakeHuman frame
    quads: np.ndarray  # (18486, 4) int32


@lru_cache(maxsize=1)
def base_mesh() -> BaseMesh:
    path = data.path(OBJ)
    arrays = cached("mesh_" + file_digest(path), lambda: _parse_obj(path))
    return BaseMesh(verts=arrays["verts"], quads=arrays["quads"])


def _parse_obj(path: Path) -> dict[str, np.ndarray]:
    verts: list[str] = []
    faces: list[list[str]] = []
    with path.open(encoding="ascii") as fh:
        for line in fh:
            if line.startswith("v "):
                verts.append(line[2:])
            elif line.startswith("f "):
                faces.append(line.split()[1:])
    coords = np.fromstring(" ".join(verts), dtype=np.float64, sep=" ").reshape(-1, 3)
    if any(len(f) != 4 for f in faces):
        raise ValueError(f"{OBJ}: expected quads only")
    # "f v/vt ..." with 1-based vertex indices; the UVs are not used.
    quads = np.array([[int(corner.partition("/")[0]) - 1 for corner in f] for f in faces], dtype=np.int32)
    return {"verts": coords, "quads": quads}


@lru_cache(maxsize=1)
def vertex_groups() -> dict[str, np.ndarray]:
    """Group name -> sorted vertex indices (the JSON stores inclusive [first, last] ranges)."""
    raw = json.loads(data.path(GROUPS_JSON).read_text())
    return {name: np.concatenate([np.arange(a, b + 1) for a, b in ranges]).astype(np.int32)
            for name, ranges in raw.items()}


def group_centre(verts: np.ndarray, name: str) -> np.ndarray:
    return np.asarray(verts[vertex_groups()[name]].mean(axis=0))


def to_blender(verts: np.ndarray) -> np.ndarray:
    """MakeHuman (x, y, z) decimetres -> scene (x, -z, y) metres."""
    return np.stack([verts[..., 0], -verts[..., 2], verts[..., 1]], axis=-1) * DECIMETRE


def keep_faces(quads: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The quads whose four corners are all kept, re-indexed onto the kept vertices, and the
    kept vertices' old indices (``keep`` is a boolean mask over the old vertices)."""
    used = quads[keep[quads].all(axis=1)]
    old = np.nonzero(keep)[0]
    new_index = np.full(len(keep), -1, dtype=np.int32)
    new_index[old] = np.arange(len(old), dtype=np.int32)
    faces = new_index[used]
    # Drop vertices no kept face uses (loose points confuse the BVH and the subdivision).
    referenced = np.zeros(len(old), dtype=bool)
    referenced[faces.ravel()] = True
    remap = np.full(len(old), -1, dtype=np.int32)
    remap[referenced] = np.arange(int(referenced.sum()), dtype=np.int32)
    return remap[faces], old[referenced]


def corner_sum(quads: np.ndarray, face_values: np.ndarray, count: int) -> np.ndarray:
    """Per vertex, the sum of ``face_values`` (one row per quad) over the quads it is a corner of.
    ``np.bincount`` per column: it does what ``np.add.at`` does some ten times faster, which the
    smoothing loops, run dozens of times a build, feel."""
    index = quads.ravel()
    rows = np.repeat(face_values.reshape(len(quads), -1), 4, axis=0)
    out = np.column_stack([np.bincount(index, weights=rows[:, c], minlength=count) for c in range(rows.shape[1])])
    return out.reshape((count, *face_values.shape[1:]))


def neighbour_mean(verts: np.ndarray, quads: np.ndarray) -> np.ndarray:
    """Each vertex's mean over the corners of the quads it is in (itself counted once a quad):
    one step of Laplacian smoothing's target."""
    count = 4.0 * np.bincount(quads.ravel(), minlength=len(verts))
    return corner_sum(quads, verts[quads].sum(axis=1), len(verts)) / count[:, None]
