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
from .hairstyle import Body, Push
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
    cells, inverse = np.unique(np.floor(points / CELL_M).astype(np.int64), axis=0, return_inverse=True)
    table = np.array([[i for _, i, _ in tree.find_n(c, m)] for c in ((cells + 0.5) * CELL_M).tolist()], dtype=np.int64)
    cand = table.reshape(len(cells), m)[inverse.reshape(-1)]
    dist = np.linalg.norm(among[cand] - points[:, None, :], axis=2)
    best = np.argsort(dist, axis=1)[:, :k]
    return np.take_along_axis(cand, best, axis=1), np.take_along_axis(dist, best, axis=1)


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
        out = np.array(ends, dtype=np.float64)
        move = out - starts
        length = np.linalg.norm(move, axis=1)
        near, normal = out.copy(), np.zeros_like(out)
        reach = float(length.max(initial=0.0)) + SEARCH_MARGIN_M
        for i, (a, d, span) in enumerate(zip(starts.tolist(), move.tolist(), length.tolist(), strict=True)):
            if span > 0.0:
                # A segment entering the surface (through an ear, say, thinner than a step) stops
                # on it and slides the rest of its way along it.
                hit, face, _, dist = tree.ray_cast(a, d, span)
                if hit is not None and face is not None and dist is not None and face.dot(d) < 0.0:
                    rest = Vector(d) * (1.0 - dist / span)
                    out[i] = tuple(hit + face * 1e-4 + rest - face * rest.dot(face))
            # Beyond ``reach`` a point stepped from outside cannot be inside: it is left alone.
            found, nrm, _, _ = tree.find_nearest(out[i].tolist(), reach)
            if found is not None and nrm is not None:
                near[i], normal[i] = found.to_tuple(), nrm.to_tuple()
        inside = ((out - near) * normal).sum(axis=1) < 0.0
        out[inside] = near[inside] + normal[inside] * 1e-4
        return out, normal

    return push
