"""The data maps of ``render``, from the passes of the one beauty render.

The view layer renders, besides Combined: Depth (Z), Normal, Cryptomatte objects and, when the
denoiser runs in extraction mode, the noisy image. Blender writes them to a multilayer EXR that
``image_files.read_exr`` reads back; everything below is numpy on those planes.

* **mask**: the coverage of every object that is not the backdrop, from Cryptomatte (anti-aliased,
  so hair and chain edges get fractional values; the world, if seen, counts as backdrop). The
  backdrop is every object with the ``cyclorama`` role.
* **depth**: Cycles' Depth pass is the distance along the camera's view axis, in metres, from
  the first camera sample of each pixel. ``depth.png`` is what ControlNet depth models were
  trained on (MiDaS maps): 8-bit relative inverse depth stretched over the whole frame, near
  white, so Pillow's ``convert("RGB")`` (diffusers' ``load_image``, ComfyUI's LoadImage) reads it
  as it is; ``depth_metric.png`` keeps the metric depth, 16-bit millimetres.
* **normal**: the Normal pass (world space, averaged over the pixel's samples) turned into
  camera space and renormalised, then encoded as ControlNet 1.1's "normalbae" maps are (Bae et
  al.'s estimator, ScanNet's convention): red = towards the image's left, green = up, blue =
  towards the viewer, each ``(n + 1) / 2`` in 8 bits. A surface facing the camera is
  (128, 128, 255).
* **extraction backdrop**: the denoiser does not keep a flat emission flat (a noiseless
  255/0/128 backdrop comes out of OIDN with many pixels off by levels; the control test in
  ``blender_tests/test_outputs_files.py`` shows it), so pixels that only the backdrop covers get
  its exact linear colour, and a pixel it covers a fraction ``b`` of is ``b`` of the undenoised
  render (whose backdrop part is exact) and ``1 - b`` of the denoised one. Its backdrop part is
  then off by at most a quarter of what OIDN moved it (``b (1 - b)``), and its subject keeps only
  ``b`` of the render's noise: inside hair, where a little of the backdrop shows through every
  pixel, taking the undenoised render whole left the strands as speckle
  (``blender_tests/test_backdrop_restore.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import bpy
import numpy as np

from ..measure.image_files import ExrImage
from ..narrow import cycles_layer_of

PASS_FLAGS: tuple[str, ...] = ("use_pass_combined", "use_pass_z", "use_pass_normal", "use_pass_cryptomatte_object")
FULL = 1.0 - 1e-4  # coverage sums of whole pixels land within float rounding of 1


@contextmanager
def output_passes(view_layer: bpy.types.ViewLayer, *, noisy: bool) -> Iterator[None]:
    """Turn on the passes the maps need for one render, restoring the view layer afterwards."""
    cycles_layer = cycles_layer_of(view_layer)
    saved: list[tuple[Any, str, Any]] = [(view_layer, flag, getattr(view_layer, flag)) for flag in PASS_FLAGS]
    saved += [(view_layer, "pass_cryptomatte_depth", view_layer.pass_cryptomatte_depth),
              (cycles_layer, "denoising_store_passes", cycles_layer.denoising_store_passes)]
    try:
        for flag in PASS_FLAGS:
            setattr(view_layer, flag, True)
        view_layer.pass_cryptomatte_depth = 6  # ranks: objects overlapping in one pixel
        cycles_layer.denoising_store_passes = noisy
        yield
    finally:
        for owner, attr, value in reversed(saved):
            setattr(owner, attr, value)


@dataclass(kw_only=True)
class Passes:
    linear: np.ndarray  # (h, w, 4) scene-linear Combined
    noisy: np.ndarray | None  # (h, w, 3) Combined before denoising, when stored
    depth: np.ndarray  # (h, w) metres along the view axis
    normal_world: np.ndarray  # (h, w, 3)
    mask: np.ndarray  # (h, w) subject coverage 0..1
    backdrop: np.ndarray  # (h, w) backdrop coverage 0..1


def _crypto_float(hex_hash: str) -> np.float32:
    return np.frombuffer(bytes.fromhex(hex_hash), dtype=">u4").astype("<u4").view(np.float32)[0]


def _crypto_layers(image: ExrImage) -> tuple[list[np.ndarray], dict[str, np.float32]]:
    manifests = [k for k in image.strings if k.startswith("cryptomatte/") and k.endswith("/name")
                 and image.strings[k].endswith("CryptoObject")]
    if len(manifests) != 1:
        raise ValueError("the render has no (or more than one) Cryptomatte object pass")
    key = manifests[0].rsplit("/", 1)[0]
    prefix = image.strings[manifests[0]]
    manifest = json.loads(image.strings.get(f"{key}/manifest", "{}"))
    names = sorted({n.rsplit(".", 1)[0] for n in image.channels if n.startswith(prefix)})
    layers = [image.layer(name + ".", "rgba") for name in names]
    return layers, {name: _crypto_float(value) for name, value in manifest.items()}


def coverages(image: ExrImage, backdrop_names: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
    """(subject, backdrop) coverage per pixel from the Cryptomatte object pass."""
    layers, ids = _crypto_layers(image)
    backdrop_ids = [ids[n] for n in backdrop_names if n in ids]
    subject = np.zeros((image.height, image.width), np.float32)
    backdrop = np.zeros_like(subject)
    for layer in layers:
        for id_channel, coverage_channel in ((0, 1), (2, 3)):
            ident, coverage = layer[..., id_channel], layer[..., coverage_channel]
            is_backdrop = np.isin(ident, backdrop_ids)
            backdrop += np.where(is_backdrop, coverage, 0.0)
            # id 0 with coverage 0 is an empty rank; the world leaves no Cryptomatte sample at all.
            subject += np.where(~is_backdrop & (coverage > 0), coverage, 0.0)
    return np.clip(subject, 0.0, 1.0), np.clip(backdrop, 0.0, 1.0)


def read_passes(image: ExrImage, backdrop_names: Iterable[str]) -> Passes:
    combined = image.find("Combined.R").removesuffix("R")
    noisy_r = [n for n in image.channels if n.endswith("Noisy Image.R")]
    subject, backdrop = coverages(image, backdrop_names)
    return Passes(
        linear=image.layer(combined, "RGBA"),
        noisy=image.layer(noisy_r[0].removesuffix("R"), "RGB") if noisy_r else None,
        depth=image.channels[image.find("Depth.Z")],
        normal_world=image.layer(image.find("Normal.X").removesuffix("X"), "XYZ"),
        mask=subject,
        backdrop=backdrop,
    )


def restore_backdrop(passes: Passes, backdrop_linear: tuple[float, float, float]) -> np.ndarray:
    """The Combined pass with the exact backdrop: exact where only the backdrop is seen, the
    undenoised and the denoised render weighed by the backdrop's coverage where it is partly
    seen, the denoised render elsewhere."""
    out = passes.linear.copy()
    if passes.noisy is not None:
        partly = passes.backdrop > 0.0
        share = passes.backdrop[partly][:, None]
        out[partly, :3] = share * passes.noisy[partly] + (1.0 - share) * passes.linear[partly, :3]
    only = passes.backdrop >= FULL
    out[only, :3] = np.asarray(backdrop_linear, dtype=np.float32)
    out[only, 3] = 1.0
    return out


NO_HIT_M = 1e9  # Cycles' Depth pass where a camera ray hits nothing (1e10)


@dataclass(frozen=True)
class DepthRange:
    near_m: float  # nearest surface in the frame
    far_m: float  # farthest surface in the frame
    subject_near_m: float
    subject_far_m: float


@dataclass(frozen=True)
class DepthMaps:
    relative: np.ndarray  # uint8, MiDaS convention
    metric_mm: np.ndarray  # uint16 millimetres, 0 = nothing hit
    range: DepthRange


def depth_maps(depth: np.ndarray, mask: np.ndarray) -> DepthMaps:
    """The two depth maps of one Depth pass (metres along the view axis).

    * relative (``depth.png``): what ControlNet depth models were trained on and what their
      loaders expect, MiDaS's convention: inverse depth 1/z normalised from its minimum to its
      maximum over the whole frame, 8 bits, near white; a pixel nothing was hit in is 0.
    * metric (``depth_metric.png``): 16-bit millimetres along the view axis, 0 where nothing was
      hit (up to 65.5 m).
    The subject's own range comes from pixels it covers entirely: at an edge the one depth sample
    may be the wall's."""
    hit = np.isfinite(depth) & (depth > 0.0) & (depth < NO_HIT_M)
    if not hit.any():
        raise ValueError("the Depth pass has no surface in it")
    inverse = np.where(hit, 1.0 / np.where(hit, depth, 1.0), 0.0)
    lo, hi = float(inverse[hit].min()), float(inverse[hit].max())
    relative = np.where(hit, (inverse - lo) / max(hi - lo, 1e-12), 0.0)
    metric = np.where(hit, np.clip(np.rint(depth * 1000.0), 1, 65535), 0)
    subject = mask >= FULL
    if not subject.any():
        subject = mask >= 0.5
    values = depth[subject & hit] if (subject & hit).any() else depth[hit]
    near, far = float(depth[hit].min()), float(depth[hit].max())
    return DepthMaps(np.rint(relative * 255.0).astype(np.uint8), metric.astype(np.uint16),
                     DepthRange(near, far, float(values.min()), float(values.max())))


def camera_normals(normal_world: np.ndarray, camera_matrix_world: np.ndarray) -> np.ndarray:
    """Unit normals in Blender camera space (x right, y up, z towards the viewer)."""
    rotation = np.asarray(camera_matrix_world, dtype=np.float64)[:3, :3]
    rotation = rotation / np.linalg.norm(rotation, axis=0)  # drop any object scale
    cam = normal_world.astype(np.float64) @ rotation  # row vectors: n_cam = R^T n_world
    length = np.linalg.norm(cam, axis=-1, keepdims=True)
    facing = np.array([0.0, 0.0, 1.0])
    return np.where(length > 1e-6, cam / np.maximum(length, 1e-12), facing)


def normal_map(normal_world: np.ndarray, camera_matrix_world: np.ndarray) -> np.ndarray:
    """8-bit RGB in the normalbae convention: red = image left, green = up, blue = towards the viewer."""
    cam = camera_normals(normal_world, camera_matrix_world)
    bae = np.stack([-cam[..., 0], cam[..., 1], cam[..., 2]], axis=-1)
    return np.rint((bae + 1.0) * 0.5 * 255.0).clip(0, 255).astype(np.uint8)


def mask_map(mask: np.ndarray) -> np.ndarray:
    """8-bit grey matte: 255 subject, 0 backdrop, fractional along anti-aliased edges."""
    return np.rint(np.clip(mask, 0.0, 1.0) * 255.0).astype(np.uint8)
