"""Image files through Blender's OpenImageIO: PNGs decoded by Pillow with the same samples, the
sRGB chunk only where asked, EXR channels and string attributes back bit for bit, a multilayer
EXR that Blender itself wrote read back with its passes, and errors that name the file."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from PIL import Image

from portrait_spec.blender.measure.image_files import read_exr, read_png, write_exr, write_png
from portrait_spec.core.png_text import chunks, read_text, with_text


@pytest.mark.parametrize(("shape", "dtype", "mode"), [((5, 7), np.uint8, "L"), ((5, 7), np.uint16, "I;16"),
                                                      ((5, 7, 3), np.uint8, "RGB"), ((5, 7, 4), np.uint8, "RGBA")])
def test_png_samples_round_trip_through_pillow(tmp_path, shape, dtype, mode):
    top = np.iinfo(dtype).max
    values = (np.arange(np.prod(shape)).reshape(shape) * 7919 % (top + 1)).astype(dtype)
    path = tmp_path / "map.png"
    write_png(path, values)
    with Image.open(path) as im:
        assert im.mode == mode and im.size == (7, 5)
        assert np.array_equal(np.array(im).astype(dtype), values)
    kinds = [k for k, _ in chunks(path.read_bytes())]
    assert b"sRGB" not in kinds  # data maps are not colour


def test_png_colour_under_partial_alpha_reads_back_as_stored(tmp_path):
    # PNG alpha is unassociated: a half-transparent pixel keeps its colour, not colour x alpha.
    rgba = np.array([[[200, 100, 50, 128], [255, 255, 255, 0], [10, 20, 30, 255]]], np.uint8)
    path = tmp_path / "matte.png"
    Image.fromarray(rgba, "RGBA").save(path)
    assert np.array_equal(read_png(path), rgba)


def test_srgb_png_is_marked_and_takes_the_prompt_chunks(tmp_path):
    path = tmp_path / "sheet.png"
    write_png(path, np.full((4, 6, 3), 128, np.uint8), srgb=True)
    data = with_text(path.read_bytes(), {"parameters": "fill −2 stops, 45°"})
    assert b"sRGB" in [k for k, _ in chunks(data)]
    assert read_text(data)["parameters"] == "fill −2 stops, 45°"


def test_png_refuses_float_samples(tmp_path):
    with pytest.raises(ValueError, match="uint8 or uint16"):
        write_png(tmp_path / "x.png", np.zeros((2, 2), np.float32))


def test_exr_channels_and_strings_come_back_exactly(tmp_path):
    rng = np.random.default_rng(1)
    channels = {f"ViewLayer.{name}": rng.normal(size=(9, 11)).astype(np.float32)
                for name in ("Combined.R", "Combined.G", "Combined.B", "Combined.A", "Depth.Z", "Mask.X")}
    path = tmp_path / "reference.exr"
    write_exr(path, channels, {"portrait_spec/mask": "subject coverage 0..1"})
    image = read_exr(path)
    assert (image.width, image.height) == (11, 9)
    assert set(image.channels) == set(channels)
    assert all(np.array_equal(image.channels[n], channels[n]) for n in channels)
    assert image.strings["portrait_spec/mask"] == "subject coverage 0..1"
    assert image.find("Depth.Z") == "ViewLayer.Depth.Z"
    assert image.layer("ViewLayer.Combined.", "RGB").shape == (9, 11, 3)


def test_reads_the_multilayer_exr_blender_writes(scene, tmp_path):
    scene.render.resolution_x, scene.render.resolution_y = 8, 6
    scene.render.resolution_percentage = 100
    scene.cycles.samples = 1
    scene.view_layers[0].use_pass_z = True
    bpy.ops.object.camera_add(location=(0.0, -3.0, 0.0), rotation=(1.5708, 0.0, 0.0))
    scene.camera = bpy.context.active_object
    bpy.ops.render.render(write_still=False)
    settings = scene.render.image_settings
    if hasattr(settings, "media_type"):  # Blender 5: multilayer EXR is a media type (one part per pass)
        settings.media_type = "MULTI_LAYER_IMAGE"
    settings.file_format = "OPEN_EXR_MULTILAYER"
    path = tmp_path / "passes.exr"
    bpy.data.images["Render Result"].save_render(str(path), scene=scene)
    image = read_exr(path)
    assert (image.width, image.height) == (8, 6)
    depth = image.channels[image.find("Depth.Z")]
    assert depth.shape == (6, 8) and np.all(depth > 1e3)  # nothing in view: the far value everywhere


def test_a_missing_file_names_itself(tmp_path):
    with pytest.raises(OSError, match=r"nothing\.exr"):
        read_exr(tmp_path / "nothing.exr")
