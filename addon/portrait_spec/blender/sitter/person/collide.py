"""Keeping hair out of the body: the posed skin moved out along its vertex normals by a
clearance (the hair's lift on the head; the garment's offset and thickness, with a margin for its
smoothing over hollows, below it). A step that enters it stops on it and slides along it
(``mathutils.bvhtree`` ray cast), and a point still behind its nearest face (nearest-point query)
is moved onto that face."""

from __future__ import annotations

import numpy as np
from mathutils import Vector
from mathutils.bvhtree import BVHTree
from mathutils.kdtree import KDTree

from . import pose
from .garment import OFFSET_M, THICKNESS_M
from .geometry import PersonGeometry
from .hairstyle import CHUNK, Body, Push
from .regions import vertex_normals

BASE_VERTICES = 19158
LIFT_M = (0.001, 0.013)  # clearance off the scalp at volume 0 and 1
BODY_CLEARANCE_M = OFFSET_M + THICKNESS_M + 0.004
SEARCH_MARGIN_M = 0.02
CELL_M = 0.003


def nearest_index(among: np.ndarray, points: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``points`` the indices of its ``k`` nearest of ``among`` and their distances,
    (n, k) each, nearest first. A kd-tree gives the ``2 k`` nearest of ``among`` to the middle of
    each ``CELL_M`` grid cell holding points (a few thousand queries, not one per point: a query
    costs ~10 us in Python), and each point takes its ``k`` nearest of its cell's candidates;
    among points spaced wider than the cell (guides ~6 mm apart) those are its own ``k`` nearest."""
    tree = KDTree(len(among))
    for i, p in enumerate(among.tolist()):
        tree.insert(p, i)
    tree.balance()
    k = max(1, min(k, len(among)))
    m = min(2 * k, len(among))
    grid = np.floor(points / CELL_M).astype(np.int64).reshape(-1, 3)
    origin = grid.min(axis=0) if len(grid) else np.zeros(3, dtype=np.int64)
    local = grid - origin
    span = tuple(int(v) + 1 for v in local.max(axis=0, initial=0))
    # One integer per cell: a 1-D unique, many times faster than the row-wise one (axis=0).
    keys, inverse = np.unique(np.ravel_multi_index(tuple(local.T), span), return_inverse=True)
    cells = np.stack(np.unravel_index(keys, span), axis=1) + origin
    table = np.array([[i for _, i, _ in tree.find_n(c, m)] for c in ((cells + 0.5) * CELL_M).tolist()], dtype=np.int64)
    table = table.reshape(len(cells), m)
    index, distance = np.empty((len(points), k), dtype=np.int64), np.empty((len(points), k))
    for lo in range(0, len(points), CHUNK):  # small temporaries, reused (``hairstyle.CHUNK``)
        part = slice(lo, lo + CHUNK)
        cand = table[inverse.reshape(-1)[part]]
        dist = np.linalg.norm(among[cand] - points[part, None, :], axis=2)
        best = np.argsort(dist, axis=1)[:, :k]
        index[part], distance[part] = np.take_along_axis(cand, best, axis=1), np.take_along_axis(dist, best, axis=1)
    return index, distance


def body_collider(geo: PersonGeometry, volume: float, chest: np.ndarray) -> Body:
    """The body for ``hairstyle``: its push, nearest-root search and chest frame."""
    return Body(push=_push(geo, volume), nearest=nearest_index, chest=chest)


def _push(geo: PersonGeometry, volume: float) -> Push:
    lift = LIFT_M[0] + (LIFT_M[1] - LIFT_M[0]) * volume
    head = pose.subtree_weight("head", BASE_VERTICES)[geo.base_index] >= 0.5
    clearance = np.where(head, lift, max(lift, BODY_CLEARANCE_M))
    shell = geo.verts + vertex_normals(geo.verts, geo.quads) * clearance[:, None]
    # The 4.5 stubs say FromPolygons returns None; it returns the tree (as in ``sitter.chain``).
    tree: BVHTree = BVHTree.FromPolygons(shell.tolist(), geo.quads.tolist())  # type: ignore[assignment, unused-ignore]

    def push(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        move = ends - starts
        length = np.linalg.norm(move, axis=1)
        reach = float(length.max(initial=0.0)) + SEARCH_MARGIN_M
        points: list[tuple[float, ...]] = [tuple(e) for e in ends.tolist()]
        # Plain lists and bound methods: this loop runs tens of thousands of times a build.
        ray_cast, find_nearest = tree.ray_cast, tree.find_nearest
        for i, (a, d, span) in enumerate(zip(starts.tolist(), move.tolist(), length.tolist(), strict=True)):
            if span > 0.0:
                # A segment entering the surface (through an ear, say, thinner than a step) stops
                # on it and slides the rest of its way along it.
                hit, face, _, dist = ray_cast(a, d, span)
                if hit is not None and face is not None and dist is not None and face.dot(d) < 0.0:
                    rest = Vector(d) * (1.0 - dist / span)
                    points[i] = tuple(hit + face * 1e-4 + rest - face * rest.dot(face))
        # Beyond ``reach`` a point stepped from outside cannot be inside: it is left alone.
        found = [find_nearest(q, reach) for q in points]
        out = np.array(points, dtype=np.float64).reshape(-1, 3)
        near = np.array([f[0].to_tuple() if f[0] is not None else q for f, q in zip(found, points, strict=True)],
                        dtype=np.float64).reshape(-1, 3)
        normal = np.array([f[1].to_tuple() if f[1] is not None else (0.0, 0.0, 0.0) for f in found], dtype=np.float64).reshape(-1, 3)
        inside = ((out - near) * normal).sum(axis=1) < 0.0
        out[inside] = near[inside] + normal[inside] * 1e-4
        return out, normal

    return push
