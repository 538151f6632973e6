"""``render``'s files, measured: every output exists and decodes (Pillow for the PNGs, the EXR
against the PNG), the metric depth is the ray-cast distance and the ControlNet depth map is
MiDaS's inverse depth, brighter where nearer, with the subject's relief in it (against ray
casts from the camera), normals
are unit length, face the camera and follow the normalbae convention (against ray-cast surface
normals), the mask covers the subject, the chain and a strand thinner than a pixel but not the backdrop
(against ray casts), ``scene.json`` validates as a spec, and the extraction backdrop stays exact
with the denoiser on (with a control showing the denoiser alone does not keep it)."""

from __future__ import annotations

import json
from pathlib import Path

import bpy
import numpy as np
import pytest
from mathutils import Vector
from PIL import Image

from portrait_spec.blender.api import build_fresh, render_to_folder, with_flags
from portrait_spec.blender.contract import ROLE_KEY
from portrait_spec.blender.measure.head import person_part
from portrait_spec.blender.measure.image_files import read_exr
from portrait_spec.blender.render import reference as reference_render
from portrait_spec.core.color import linear_to_srgb
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.sidecar import spec_from_sidecar
from portrait_spec.core.toml_io import load_spec

SCENES = Path(__file__).resolve().parents[1] / "scenes"
SIZE = (96, 120)
STRAND = ((0.0, 0.02, 0.10), (-0.20, 0.02, 0.20))  # metres; z above the eyes
EXPECTED = {"reference.png", "reference.exr", "depth.png", "depth_metric.png", "normal.png", "mask.png", "prompt.txt",
            "prompts.json", "scene.json"}


def _hair_strand(scene: bpy.types.Scene) -> bpy.types.Object:
    """A 2.4 mm strand from the crown out over the backdrop, under half a pixel wide at this
    size, like a flyaway lock (no role: the mask is everything in front of the backdrop, the
    user's own objects included). Thinner strands need more samples to be found in every pixel."""
    curve = bpy.data.curves.new("Hair_Strand", "CURVE")
    curve.dimensions = "3D"
    curve.bevel_depth = 0.0012
    spline = curve.splines.new("POLY")
    spline.points.add(1)
    eye_z = scene.objects["PS_Focus"].location.z
    spline.points[0].co = (*STRAND[0][:2], eye_z + STRAND[0][2], 1.0)
    spline.points[1].co = (*STRAND[1][:2], eye_z + STRAND[1][2], 1.0)
    curve_obj = bpy.data.objects.new("Hair_Strand_Curve", curve)
    scene.collection.objects.link(curve_obj)
    # As a mesh, so that scene.ray_cast (which skips curves) sees it too.
    mesh = bpy.data.meshes.new_from_object(curve_obj.evaluated_get(bpy.context.evaluated_depsgraph_get()))
    bpy.data.objects.remove(curve_obj)
    obj = bpy.data.objects.new("Hair_Strand", mesh)
    scene.collection.objects.link(obj)
    return obj


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    # The seed with close-cropped hair: the pixels' roles below are ray casts, which pass through
    # hair curves, so a bob would put hair where they see backdrop (hair in the mask, depth and
    # normals: blender_tests/test_hair.py).
    spec = load_spec(SCENES / "seed_portrait.toml", ['subject.hair.style="close_cropped"', "subject.hair.length_cm=0.8"])
    scene = build_fresh(spec)
    scene.cycles.device = "CPU"
    strand = _hair_strand(scene)
    out = tmp_path_factory.mktemp("outputs") / "render"
    files = render_to_folder(spec, out, resolution=SIZE, samples=8, quality="preview", exr=True, from_blend=True,
                             log=lambda line: None)
    return spec, scene, out, files, strand


def _png(path):
    with Image.open(path) as im:
        im.load()
        return im.mode, im.size, np.array(im)


def _camera_rays(scene):
    """Pixel-centre rays of the scene camera: origin, unit directions (h, w, 3), view axis."""
    cam = scene.camera
    w, h = scene.render.resolution_x, scene.render.resolution_y
    _tr, br, bl, tl = (Vector(c) for c in cam.data.view_frame(scene=scene))
    rot = cam.matrix_world.to_3x3().normalized()
    dirs = np.empty((h, w, 3))
    for y in range(h):
        v = 1.0 - (y + 0.5) / h
        for x in range(w):
            u = (x + 0.5) / w
            local = bl + (br - bl) * u + (tl - bl) * v
            dirs[y, x] = (rot @ local).normalized()
    axis = -(rot @ Vector((0.0, 0.0, 1.0)))
    return cam.matrix_world.translation.copy(), dirs, axis


def _ray_cast_all(scene):
    """Per pixel: role ('cyclorama', 'subject', ... or 'other'), camera-axis depth, world normal."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    origin, dirs, axis = _camera_rays(scene)
    h, w = dirs.shape[:2]
    roles = np.empty((h, w), dtype=object)
    depth = np.full((h, w), np.nan)
    normals = np.zeros((h, w, 3))
    for y in range(h):
        for x in range(w):
            hit, loc, normal, _i, obj, _m = scene.ray_cast(depsgraph, origin, Vector(dirs[y, x]))
            if not hit:
                roles[y, x] = "none"
                continue
            original = obj.original if obj is not None else None
            roles[y, x] = (original.get(ROLE_KEY) if original is not None else None) or "other"
            depth[y, x] = (loc - origin).dot(axis)
            normals[y, x] = normal
    return roles, depth, normals


@pytest.fixture(scope="module")
def rays(rendered):
    return _ray_cast_all(rendered[1])


def _strand_pixels(scene) -> np.ndarray:
    """Pixels the strand's centre line crosses (too thin for pixel-centre ray casts to find)."""
    from bpy_extras.object_utils import world_to_camera_view

    w, h = scene.render.resolution_x, scene.render.resolution_y
    eye_z = scene.objects["PS_Focus"].location.z
    a, b = (Vector((p[0], p[1], eye_z + p[2])) for p in STRAND)
    on = np.zeros((h, w), dtype=bool)
    for t in np.linspace(0.0, 1.0, 400):
        u, v, _ = world_to_camera_view(scene, scene.camera, a.lerp(b, float(t)))
        x, y = int(u * w), int((1.0 - v) * h)
        if 0 <= x < w and 0 <= y < h:
            on[y, x] = True
    return on


def _grow(flags: np.ndarray, reach: int) -> np.ndarray:
    return ~_interior(~flags, reach)


def _interior(flags: np.ndarray, reach: int = 2) -> np.ndarray:
    """Pixels whose whole (2*reach+1)^2 neighbourhood is flagged."""
    out = flags.copy()
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            out &= np.roll(np.roll(flags, dy, 0), dx, 1)
    out[:reach], out[-reach:], out[:, :reach], out[:, -reach:] = False, False, False, False
    return out


def test_every_output_exists_and_decodes(rendered):
    spec, _scene, out, files, _ = rendered
    assert {p.name for p in files} == EXPECTED == {p.name for p in out.iterdir()}
    w, h = SIZE
    assert _png(out / "reference.png")[:2] == ("RGB", (w, h))
    assert _png(out / "depth.png")[:2] == ("L", (w, h))
    assert _png(out / "depth_metric.png")[:2] == ("I;16", (w, h))
    assert _png(out / "normal.png")[:2] == ("RGB", (w, h))
    assert _png(out / "mask.png")[:2] == ("L", (w, h))
    with Image.open(out / "reference.png") as im:
        assert im.info["parameters"] == build_prompts(with_flags(spec, SIZE, 8)).infotext(SIZE)
    assert (out / "prompt.txt").read_text(encoding="utf-8").startswith(build_prompts(spec).prompts["midjourney"][:40])
    # The EXR is the same picture, scene-linear: the sRGB curve of its Combined is the PNG (Standard view).
    exr = read_exr(out / "reference.exr")
    assert {"ViewLayer.Combined.R", "ViewLayer.Depth.Z", "ViewLayer.Normal.X", "ViewLayer.Mask.X"} <= set(exr.channels)
    linear = exr.layer("ViewLayer.Combined.", "RGB")
    encoded = np.vectorize(linear_to_srgb)(np.clip(linear, 0.0, 1.0)) * 255.0
    png = _png(out / "reference.png")[2].astype(float)
    assert float(np.abs(encoded - png).max()) <= 1.0
    assert linear.max() > 0.5 and linear[..., 1].min() >= 0.0  # linear, not display-encoded


def test_metric_depth_is_the_ray_cast_distance_in_millimetres(rendered, rays):
    _spec, _scene, out, _files, _ = rendered
    roles, ray_depth, _ = rays
    metric = _png(out / "depth_metric.png")[2].astype(float) / 1000.0
    info = json.loads((out / "scene.json").read_text(encoding="utf-8"))["outputs"]["depth_metric.png"]
    assert info["unit"] == "mm" and info["bits"] == 16
    near, far = info["subject_near_m"], info["subject_far_m"]
    assert 0.05 < far - near < 0.6 and 1.5 < near < 3.0  # a head and shoulders about 2 m from the lens
    for role in ("subject", "cyclorama"):
        inside = _interior(roles == role, 1)
        error = np.abs(metric - ray_depth)[inside]
        assert np.median(error) < 0.002 and np.percentile(error, 95) < 0.02, role
    assert metric[metric > 0].min() == pytest.approx(info["near_m"], abs=0.001)
    assert metric.max() == pytest.approx(info["far_m"], abs=0.001)


def test_depth_png_is_midas_inverse_depth_that_loaders_read_with_the_relief_in_it(rendered, rays):
    """What a ControlNet pipeline does with depth.png (diffusers' load_image, ComfyUI's LoadImage:
    Pillow's convert("RGB")) keeps the subject's relief: at least 20 grey levels over the
    subject (a 16-bit map clipped to a white silhouette there), the backdrop darker."""
    _spec, _scene, out, _files, _ = rendered
    roles, ray_depth, _ = rays
    mask = _png(out / "mask.png")[2]
    with Image.open(out / "depth.png") as im:
        rgb = np.array(im.convert("RGB")).astype(int)
    assert (rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 1] == rgb[..., 2]).all()
    grey = rgb[..., 0]
    subject = mask == 255
    assert grey[subject].max() - grey[subject].min() >= 20
    assert grey[mask == 0].max() < np.median(grey[subject])
    assert grey.max() == 255 and grey.min() == 0  # stretched over the whole frame
    # MiDaS: 255 * (1/z - 1/far) / (1/near - 1/far) over the frame, against the ray casts.
    info = json.loads((out / "scene.json").read_text(encoding="utf-8"))["outputs"]["depth.png"]
    near, far = info["near_m"], info["far_m"]
    inside = _interior(roles == "subject", 1) | _interior(roles == "cyclorama", 1)
    expected = 255.0 * (1.0 / ray_depth - 1.0 / far) / (1.0 / near - 1.0 / far)
    off = np.abs(grey - expected)[inside]  # a level is 5 mm at the face; a pixel's depth sample is jittered
    assert np.median(off) <= 1.0 and np.percentile(off, 95) <= 4.0
    # Order: of two subject pixels more than 3 cm apart in depth, the nearer is the brighter.
    ys, xs = np.nonzero(_interior(roles == "subject", 1))
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, ys.size, 4000), rng.integers(0, ys.size, 4000)
    da, db = ray_depth[ys[a], xs[a]], ray_depth[ys[b], xs[b]]
    apart = np.abs(da - db) > 0.03
    assert apart.sum() > 500
    brighter_nearer = (grey[ys[a], xs[a]] > grey[ys[b], xs[b]]) == (da < db)
    assert brighter_nearer[apart].all()


def test_control_a_16_bit_depth_map_turns_into_a_silhouette_in_loaders(rendered, tmp_path):
    """Why depth.png is 8-bit: Pillow's convert("RGB") clips 16-bit grey instead of scaling it."""
    _spec, _scene, out, _files, _ = rendered
    mask = _png(out / "mask.png")[2]
    with Image.open(out / "depth_metric.png") as im:
        grey = np.array(im.convert("RGB"))[..., 0]
    subject = mask == 255
    assert (grey[subject] == 255).mean() > 0.99


def test_normals_are_unit_face_the_camera_and_follow_normalbae(rendered, rays):
    _spec, scene, out, _files, _ = rendered
    roles, _depth, ray_normals = rays
    rgb = _png(out / "normal.png")[2].astype(float)
    n = rgb / 255.0 * 2.0 - 1.0
    subject = _interior(roles == "subject", 1)
    length = np.linalg.norm(n, axis=-1)[subject]
    assert np.abs(length - 1.0).max() < 0.02
    assert (n[..., 2][subject] > 0.0).mean() > 0.99  # blue: towards the viewer
    # Against the ray-cast surface normals in camera space, in the normalbae channel order.
    rot = np.array(scene.camera.matrix_world.to_3x3().normalized())
    cam = ray_normals @ rot
    expected = np.stack([-cam[..., 0], cam[..., 1], cam[..., 2]], axis=-1)
    cos = np.sum(expected * n, axis=-1)[subject]
    angles = np.degrees(np.arccos(np.clip(cos, -1, 1)))
    assert np.median(angles) < 8.0 and (angles < 30.0).mean() > 0.9
    # Red points to the image's left: the left edge of the head and shoulders is red, the right cyan.
    row = subject.shape[0] * 2 // 3
    cols = np.nonzero(subject[row])[0]
    assert rgb[row, cols[0], 0] > 170 and rgb[row, cols[-1], 0] < 85
    # The wall faces the camera: (128, 128, 255).
    wall = (_interior(roles == "cyclorama") & ~_grow(_strand_pixels(scene), 3))[:20]
    assert np.abs(rgb[:20][wall] - [128, 128, 255]).max() <= 3


def test_mask_covers_subject_chain_and_a_thin_strand_not_the_backdrop(rendered, rays):
    _spec, scene, out, _files, _strand = rendered
    roles, _depth, _ = rays
    mask = _png(out / "mask.png")[2].astype(int)
    subject = (roles == "subject") | (roles == "chain")
    assert (mask[_interior(subject)] >= 250).mean() > 0.995
    chain = roles == "chain"
    assert chain.sum() >= 3 and (mask[chain] > 128).all()
    # The strand is a fraction of a pixel wide: partial coverage along it over the backdrop,
    # and nothing on backdrop pixels three pixels away from it and from the sitter.
    strand = _strand_pixels(scene)
    over_backdrop = strand & ~_grow(subject, 3)
    assert over_backdrop.sum() >= 10
    assert (mask[over_backdrop] > 0).mean() > 0.8 and 20 < mask[over_backdrop].mean() < 200
    # (3 pixels, 14 mm, from what the rays see of the sitter: the close crop's hairs stand off the
    # scalp, where rays pass through them)
    backdrop = _interior(roles == "cyclorama", 3) & ~_grow(strand, 3)
    assert backdrop.mean() > 0.3
    assert (mask[backdrop] == 0).all()


def test_scene_json_validates_against_the_spec(rendered):
    spec, _scene, out, _files, _ = rendered
    data = json.loads((out / "scene.json").read_text(encoding="utf-8"))
    assert spec_from_sidecar(data) == with_flags(spec, SIZE, 8)  # the folder's spec is the one rendered
    assert data["claims"] == [c.to_data() for c in build_prompts(with_flags(spec, SIZE, 8)).claims]
    assert data["blender"]["version"] == bpy.app.version_string
    render = data["render"]
    assert render["seed"] == spec.render.seed and render["resolution"] == list(SIZE)
    assert render["samples"] == 8 and render["quality"] == "preview" and render["denoiser"] == "OPENIMAGEDENOISE"
    assert render["view_transform"] == "Standard" and render["dither"] == 0
    assert data["measured"] is None and data["variant"] == []
    assert "normalbae" in data["outputs"]["normal.png"]


def test_extraction_backdrop_stays_exact_with_the_denoiser(rendered):
    spec, scene, out, _files, _ = rendered
    # With the person's hair, brows and lashes and the rim light on: neither puts light on the
    # backdrop (light linking), so hair edges and a rim-lit halo leave it exact.
    assert spec.background.mode == "extraction" and spec.lights.rim.enabled
    assert all(person_part(scene, part) is not None for part in ("person_hair", "person_brows", "person_lashes"))
    reference = _png(out / "reference.png")[2]
    mask = _png(out / "mask.png")[2]
    backdrop = mask == 0
    assert backdrop.mean() > 0.3
    assert (reference[backdrop] == spec.background.color.rgb).all()
    # The scene itself keeps its denoiser off in extraction mode (F12 stays exact) and the view
    # layer gets its passes back.
    assert scene.cycles.use_denoising is False
    layer = scene.view_layers[0]
    assert not (layer.use_pass_z or layer.use_pass_normal or layer.use_pass_cryptomatte_object)


def test_control_the_denoiser_alone_moves_the_backdrop(rendered, tmp_path, monkeypatch):
    spec, _scene, _out, _files, _ = rendered
    monkeypatch.setattr(reference_render, "restore_backdrop", lambda passes, colour: passes.linear)
    out = tmp_path / "unrestored"
    render_to_folder(spec, out, resolution=(48, 60), samples=4, quality="preview", from_blend=True, log=lambda s: None)
    reference = _png(out / "reference.png")[2]
    backdrop = _png(out / "mask.png")[2] == 0
    off = np.any(reference[backdrop] != spec.background.color.rgb, axis=-1)
    assert off.mean() > 0.05, "OIDN kept the backdrop exact: the restore step would be untested"
