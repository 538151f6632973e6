"""Image files to and from numpy through OpenImageIO, the library Blender reads and writes its
own images with.

Blender's Python API reaches a render's passes only through a file, so ``render`` saves them as
a multilayer EXR and reads every plane back here; the data maps and ``reference.exr`` are
written here too. Blender ships OpenImageIO's Python module with its own Python; inside Blender
it imports as is, and with the ``bpy`` wheel it sits in Blender's bundled site-packages, which
``oiio()`` adds to the path. A file that cannot be read or written raises ``OSError`` with
OpenImageIO's own message.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import bpy
import numpy as np


@cache
def oiio() -> ModuleType:
    try:
        import OpenImageIO
    except ImportError:
        # Neither stub release has system_resource (https://docs.blender.org/api/current/bpy.utils.html).
        bundled = Path(bpy.utils.system_resource("PYTHON"))  # type: ignore[attr-defined]
        sys.path.extend(str(p) for p in sorted(bundled.glob("lib/python3*/site-packages")))
        import OpenImageIO
    return OpenImageIO


@dataclass
class ExrImage:
    width: int
    height: int
    channels: dict[str, np.ndarray]  # full channel name -> (height, width) float32, row 0 at the top
    strings: dict[str, str]  # string attributes of the header(s)

    def layer(self, prefix: str, names: str) -> np.ndarray:
        """Channels ``prefix + c`` for each letter ``c`` of ``names`` stacked as (height, width, len)."""
        return np.stack([self.channels[prefix + c] for c in names], axis=-1)

    def find(self, suffix: str) -> str:
        """The one channel name ending in ``suffix`` (e.g. ``"Depth.Z"``), whatever the view layer."""
        found = [name for name in self.channels if name == suffix or name.endswith("." + suffix)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} channels end in {suffix!r}: {sorted(self.channels)}")
        return found[0]


@contextmanager
def _opened(path: Path) -> Iterator[Any]:
    io = oiio()
    # Samples as stored: without this OpenImageIO multiplies a PNG's colour by its alpha on read.
    config = io.ImageSpec()
    config.attribute("oiio:UnassociatedAlpha", 1)
    image = io.ImageInput.open(str(path), config)
    if image is None:
        raise OSError(f"{path}: {io.geterror()}")
    try:
        yield image
    finally:
        image.close()


def _read_part(image: Any, part: int, pixel_type: str, path: Path) -> tuple[Any, np.ndarray]:
    """The spec and pixels (height, width, channels) of subimage ``part``, already sought."""
    spec = image.spec()
    pixels = image.read_image(part, 0, 0, spec.nchannels, pixel_type)
    if pixels is None:
        raise OSError(f"{path}: {image.geterror()}")
    return spec, np.asarray(pixels).reshape(spec.height, spec.width, spec.nchannels)


def read_exr(path: Path) -> ExrImage:
    """Every channel of an EXR as float32; a multi-part file (Blender 5 writes one part per pass)
    gives the channels and string attributes of all its parts."""
    channels: dict[str, np.ndarray] = {}
    strings: dict[str, str] = {}
    with _opened(path) as image:
        part = 0
        while image.seek_subimage(part, 0):
            spec, pixels = _read_part(image, part, "float", path)
            channels.update({name: pixels[..., i].astype(np.float32, copy=False) for i, name in enumerate(spec.channelnames)})
            strings.update({a.name: a.value for a in spec.extra_attribs if str(a.type) == "string"})
            width, height = spec.width, spec.height
            part += 1
    if not channels:
        raise OSError(f"{path}: no image in the file")
    return ExrImage(width, height, channels, strings)


def read_png(path: Path) -> np.ndarray:
    """An 8-bit image file as (height, width, channels) uint8, row 0 at the top, alpha
    unassociated as PNG stores it."""
    with _opened(path) as image:
        return _read_part(image, 0, "uint8", path)[1].astype(np.uint8, copy=False)


def _write(path: Path, pixels: np.ndarray, pixel_type: str, names: list[str] | None = None,
           attributes: dict[str, str | int] | None = None) -> None:
    io = oiio()
    height, width, count = pixels.shape
    spec = io.ImageSpec(width, height, count, pixel_type)
    if names is not None:
        spec.channelnames = tuple(names)
    for key, value in (attributes or {}).items():
        spec.attribute(key, value)
    out = io.ImageOutput.create(str(path))
    if out is None:
        raise OSError(f"{path}: {io.geterror()}")
    try:
        if not (out.open(str(path), spec) and out.write_image(np.ascontiguousarray(pixels))):
            raise OSError(f"{path}: {out.geterror()}")
    finally:
        out.close()


def write_exr(path: Path, channels: dict[str, np.ndarray], strings: dict[str, str] | None = None) -> None:
    """A ZIP-compressed float EXR of ``channels`` ((height, width), row 0 at the top), named in
    Blender's multilayer convention (``Layer.Pass.Channel``) so Blender opens it as layers."""
    names = sorted(channels)
    pixels = np.stack([np.asarray(channels[n], dtype=np.float32) for n in names], axis=-1)
    _write(path, pixels, "float", names, {"compression": "zip", **(strings or {})})


def write_png(path: Path, array: np.ndarray, *, srgb: bool = False) -> None:
    """An 8- or 16-bit PNG of ``array`` ((height, width) or (height, width, channels), uint8 or
    uint16, row 0 at the top); ``srgb`` marks it as sRGB-encoded colour (sRGB, gAMA and cHRM
    chunks). Without it the file is data (depth, normals, a mask) and carries no colour-space
    chunk, so colour-managed readers leave its samples alone."""
    if array.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"PNG samples are uint8 or uint16, not {array.dtype}")
    pixels = array[:, :, None] if array.ndim == 2 else array
    pixel_type = "uint8" if array.dtype == np.uint8 else "uint16"
    # The samples are stored as given: PNG's alpha is unassociated, and so is ours (without this
    # OpenImageIO would take the colour as premultiplied and divide it by alpha).
    # The colour space is always named: OpenImageIO 3.1 (Blender 5.x) takes an unnamed one as
    # sRGB and writes sRGB/gAMA/cHRM. "data" (the Color Interop Forum's token and OpenColorIO's
    # role for non-colour values) matches none of the spaces its PNG writer marks, so it writes
    # no sRGB, gAMA, cHRM, iCCP or cICP chunk. Sources: OpenImageIO's "oiio:ColorSpace"
    # (https://openimageio.readthedocs.io/en/latest/stdmetadata.html#color-information) and its
    # PNG writer, src/png.imageio/png_pvt.h write_info(), v3.1.
    attributes: dict[str, str | int] = {"oiio:UnassociatedAlpha": 1, "oiio:ColorSpace": "sRGB" if srgb else "data"}
    _write(path, pixels, pixel_type, attributes=attributes)
