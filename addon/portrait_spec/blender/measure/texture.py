"""The mean colour a texture gives the faces that use it (shared by the sitter, which sets a
model's skin texture's gain from it, and verify, which measures that the gain is right).

Sampled (nearest texel) at the UV centre of every face, weighted by the face's area, after
decoding the image's colour space: sRGB images with the IEC 61966-2-1 curve, linear and
non-colour data as stored.
"""

from __future__ import annotations

import bpy
import numpy as np

from ..narrow import colour_space, pixels_of, values_of


def _linear(texels: np.ndarray, image: bpy.types.Image) -> np.ndarray:
    if image.is_float or colour_space(image) != "sRGB":
        return texels
    return np.where(texels <= 0.04045, texels / 12.92, ((texels + 0.055) / 1.055) ** 2.4)


def mean_colour(image: bpy.types.Image, uv_map: str, faces: list[tuple[bpy.types.Object, list[int]]]) -> np.ndarray | None:
    """Area-weighted mean linear RGB of ``image`` over the faces (object, slot indices) using it."""
    w, h = (int(v) for v in values_of(image.size))
    if w == 0 or h == 0:
        return None
    channels = image.channels
    px = np.empty(w * h * channels, dtype=np.float32)
    pixels_of(image).foreach_get(px)
    px = px.reshape(h, w, channels)[..., :3]
    total, weight = np.zeros(3), 0.0
    for obj, slots in faces:
        mesh = obj.data
        assert isinstance(mesh, bpy.types.Mesh)
        layer = mesh.uv_layers.get(uv_map) if uv_map else mesh.uv_layers.active
        if layer is None:
            continue
        n = len(mesh.polygons)
        index, area = np.empty(n, dtype=np.int32), np.empty(n)
        start, count = np.empty(n, dtype=np.int32), np.empty(n, dtype=np.int32)
        mesh.polygons.foreach_get("material_index", index)
        mesh.polygons.foreach_get("area", area)
        mesh.polygons.foreach_get("loop_start", start)
        mesh.polygons.foreach_get("loop_total", count)
        flat = np.empty(len(mesh.loops) * 2)
        layer.data.foreach_get("uv", flat)
        uv = flat.reshape(-1, 2)
        chosen = np.flatnonzero(np.isin(index, slots))
        if len(chosen) == 0:
            continue
        sums = np.add.reduceat(uv, start) if len(start) else np.zeros((0, 2))
        centres = (sums / count[:, None])[chosen] % 1.0
        cols = np.clip((centres[:, 0] * w).astype(int), 0, w - 1)
        rows = np.clip((centres[:, 1] * h).astype(int), 0, h - 1)
        texels = _linear(px[rows, cols].astype(np.float64), image)
        total += (texels * area[chosen, None]).sum(axis=0)
        weight += float(area[chosen].sum())
    if weight <= 0.0:
        return None
    mean = total / weight
    return mean if (mean > 1e-4).all() else None
