"""Polygonising a signed distance field into a quad mesh (naive Surface Nets), with numpy only.

Surface Nets (Gibson 1998) puts one vertex in every grid cell the surface crosses, at the mean
of the cell's edge crossings, and one quad across every grid edge the surface crosses. It needs
no 256-case table, yields quads (which subdivide and smooth well) and vectorises cleanly.

To keep a fine grid affordable, the field is first sampled on a coarse grid; fine samples are
only computed inside coarse blocks near the surface (a narrow band). Samples outside the band
only need the right sign, which the coarse sample of their block gives.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Field = Callable[[np.ndarray], np.ndarray]  # (N, 3) points in metres -> (N,) signed distance


def sample_narrow_band(field: Field, lo: np.ndarray, shape: tuple[int, int, int], step: float, block: int = 4) -> np.ndarray:
    """Field values on the grid ``lo + step * (i, j, k)``; exact only near the zero set."""
    nx, ny, nz = shape
    bx, by, bz = (-(-n // block) for n in shape)
    centres = np.stack(np.meshgrid(
        (np.arange(bx) + 0.5) * block, (np.arange(by) + 0.5) * block, (np.arange(bz) + 0.5) * block,
        indexing="ij"), axis=-1).reshape(-1, 3) * step + lo
    coarse = field(centres).reshape(bx, by, bz)
    # A block whose centre is further from the surface than its half diagonal (with margin for
    # the smooth-union fields not being exact distances) holds no part of the surface.
    near = np.abs(coarse) < block * step * 1.5
    values = np.repeat(np.repeat(np.repeat(coarse, block, 0), block, 1), block, 2)[:nx, :ny, :nz]
    values = np.where(values < 0.0, -1.0, 1.0).astype(np.float32)
    bi, bj, bk = np.nonzero(near)
    if bi.size == 0:
        return values
    offs = np.stack(np.meshgrid(np.arange(block), np.arange(block), np.arange(block), indexing="ij"), axis=-1).reshape(-1, 3)
    idx = (np.stack([bi, bj, bk], axis=-1)[:, None, :] * block + offs[None, :, :]).reshape(-1, 3)
    inside = np.all(idx < np.array(shape), axis=1)
    idx = idx[inside]
    values[idx[:, 0], idx[:, 1], idx[:, 2]] = field(idx * step + lo).astype(np.float32)
    return values


def surface_nets(values: np.ndarray, lo: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (V, 3) and quads (F, 4) of the zero set, quads wound counter-clockwise seen from outside."""
    inside = values < 0.0
    shape = np.array(values.shape)
    cells = shape - 1
    sums = np.zeros((*cells, 3), dtype=np.float64)
    counts = np.zeros(tuple(cells), dtype=np.int32)
    quads: list[np.ndarray] = []
    flips: list[np.ndarray] = []
    cell_id = np.full(tuple(cells), -1, dtype=np.int64)
    edge_lists = []
    for axis in range(3):
        a = [slice(None)] * 3
        b = [slice(None)] * 3
        a[axis] = slice(0, -1)
        b[axis] = slice(1, None)
        va, vb = values[tuple(a)], values[tuple(b)]
        crossing = inside[tuple(a)] != inside[tuple(b)]
        ei = np.argwhere(crossing)
        t = va[crossing] / (va[crossing] - vb[crossing])
        pos = ei.astype(np.float64)
        pos[:, axis] += t
        # Each crossing edge touches the 4 cells that share it.
        u, v = [ax for ax in range(3) if ax != axis]
        for du in (0, 1):
            for dv in (0, 1):
                c = ei.copy()
                c[:, u] -= du
                c[:, v] -= dv
                ok = np.all((c >= 0) & (c < cells), axis=1)
                cc = c[ok]
                np.add.at(sums, (cc[:, 0], cc[:, 1], cc[:, 2]), pos[ok])
                np.add.at(counts, (cc[:, 0], cc[:, 1], cc[:, 2]), 1)
        edge_lists.append((axis, ei, inside[tuple(a)][crossing]))
    active = counts > 0
    cell_id[active] = np.arange(int(active.sum()))
    verts = sums[active] / counts[active][:, None] * step + lo
    for axis, ei, starts_inside in edge_lists:
        u, v = (axis + 1) % 3, (axis + 2) % 3  # cyclic, so every axis winds the same way
        corners = []
        for du, dv in ((1, 1), (0, 1), (0, 0), (1, 0)):
            c = ei.copy()
            c[:, u] -= du
            c[:, v] -= dv
            corners.append(c)
        ok = np.ones(len(ei), dtype=bool)
        for c in corners:
            ok &= np.all((c >= 0) & (c < cells), axis=1)
        ids = np.stack([cell_id[c[ok, 0], c[ok, 1], c[ok, 2]] for c in corners], axis=1)
        quads.append(ids)
        flips.append(starts_inside[ok])
    faces = np.concatenate(quads)
    flip = np.concatenate(flips)
    faces[~flip] = faces[~flip][:, ::-1]
    return verts, faces


def smooth_vertices(verts: np.ndarray, faces: np.ndarray, iterations: int, factor: float = 0.5) -> np.ndarray:
    """Laplacian smoothing over the quad edges, to remove the grid's stair-step pattern."""
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 3]], faces[:, [3, 0]]])
    edges = np.concatenate([edges, edges[:, ::-1]])
    degree = np.bincount(edges[:, 0], minlength=len(verts)).astype(np.float64)
    degree[degree == 0] = 1.0
    out = verts.copy()
    for _ in range(iterations):
        acc = np.zeros_like(out)
        for axis in range(3):
            acc[:, axis] = np.bincount(edges[:, 0], weights=out[edges[:, 1], axis], minlength=len(out))
        out = out + factor * (acc / degree[:, None] - out)
    return out
