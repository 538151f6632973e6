"""Scalp hair as real hair curves: every root on the scalp's skin and every strand leaving it
outwards, the median strand length the spec's, the share of white strands the spec's greying;
and in Cycles, pigment that renders: melanin 0 lighter than melanin 1, greying in between."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from mathutils import Vector
from mathutils.bvhtree import BVHTree
from person_support import body, build_person

from portrait_spec.blender.contract import HAIR_WHITE_ATTRIBUTE as WHITE
from portrait_spec.blender.measure.head import person_part, world_vertices
from portrait_spec.blender.measure.pixels import render_linear
from portrait_spec.blender.sitter.materials.hair import hair_material
from portrait_spec.blender.sitter.person.hair import white_strands
from portrait_spec.core.spec import HairSpec


def _strands(obj: bpy.types.Object) -> np.ndarray:
    data = obj.data
    co = np.empty(len(data.points) * 3, dtype=np.float32)
    data.attributes["position"].data.foreach_get("vector", co)
    return co.reshape(len(data.curves), len(data.points) // len(data.curves), 3)


def _skin_tree(scene: bpy.types.Scene) -> BVHTree:
    """The skin's cage (the faces roots are sampled on), posed, in world space. A quad that is
    not flat has no one surface: both of its splits into triangles count as the face."""
    obj = body(scene)
    verts = [Vector(v) for v in world_vertices(obj)]
    tris = []
    for poly in obj.data.polygons:
        v = tuple(poly.vertices)
        tris += [v] if len(v) == 3 else [(v[0], v[1], v[2]), (v[0], v[2], v[3]), (v[0], v[1], v[3]), (v[1], v[2], v[3])]
    return BVHTree.FromPolygons(verts, tris)


def test_every_root_is_on_the_skin_and_every_strand_grows_outwards(scene):
    build_person(scene, 'subject.hair.style="close_cropped"', "subject.hair.length_cm=1.5")
    hair = person_part(scene, "person_hair")
    assert hair is not None
    strands = _strands(hair)
    tree = _skin_tree(scene)
    gaps, outward = [], []
    for s in strands[::7]:  # every 7th strand: ~10,000 nearest-point queries per point
        found, _, _, gap = tree.find_nearest(Vector(s[0]))
        assert found is not None
        gaps.append(gap)
        for q in s[1:]:  # each later point on the outside of the skin face nearest to it
            near, normal, _, _ = tree.find_nearest(Vector(q))
            outward.append(float(np.dot(q - np.asarray(near), np.asarray(normal))))
    assert max(gaps) < 0.001  # within 1 mm of the skin
    assert min(outward) > 0.0  # no strand runs inside the head or neck


@pytest.mark.parametrize(("style", "length_cm"), [("close_cropped", 0.3), ("close_cropped", 1.2), ("short", 4.0)])
def test_the_median_strand_length_is_the_spec_length(scene, style, length_cm):
    build_person(scene, f'subject.hair.style="{style}"', f"subject.hair.length_cm={length_cm}")
    strands = _strands(person_part(scene, "person_hair"))
    lengths = np.linalg.norm(np.diff(strands, axis=1), axis=2).sum(axis=1)
    assert np.median(lengths) == pytest.approx(length_cm * 1e-2, rel=0.1)


def test_greying_marks_that_share_of_strands_white(scene):
    build_person(scene, "subject.hair.greying=0.3")
    data = person_part(scene, "person_hair").data
    white = np.empty(len(data.curves), dtype=np.float32)
    data.attributes[WHITE].data.foreach_get("value", white)
    assert white.mean() == pytest.approx(0.3, abs=1.0 / len(white))
    assert set(np.unique(white)) == {0.0, 1.0}
    assert WHITE not in person_part(scene, "person_brows").data.attributes  # the brows keep their pigment
    build_person(scene, "subject.hair.greying=0")
    data = person_part(scene, "person_hair").data
    data.attributes[WHITE].data.foreach_get("value", white := np.empty(len(data.curves), dtype=np.float32))
    assert white.max() == 0.0


def _hair_patch(scene: bpy.types.Scene) -> bpy.types.Object:
    """One sheet of 150 parallel 80 um strands 0.1 mm apart, lit from the front, filling a tiny
    orthographic frame (one layer: in a thick lock light scattered by a white fibre is absorbed
    by its dark neighbours, which would blur the share)."""
    n, k = 150, 4
    roots = np.column_stack([np.linspace(-0.0075, 0.0075, n), np.zeros(n), np.full(n, -0.012)])
    points = roots[:, None, :] + np.linspace(0.0, 0.024, k)[None, :, None] * np.array([0.0, 0.0, 1.0])
    data = bpy.data.hair_curves.new("patch")
    data.add_curves([k] * n)
    data.attributes["position"].data.foreach_set("vector", points.astype(np.float32).ravel())
    data.attributes.new("radius", "FLOAT", "POINT").data.foreach_set("value", np.full(n * k, 4e-5, np.float32))
    data.attributes.new(WHITE, "FLOAT", "CURVE")
    obj = bpy.data.objects.new("patch", data)
    scene.collection.objects.link(obj)
    light = bpy.data.objects.new("front", bpy.data.lights.new("front", "AREA"))
    light.data.size = 0.2
    light.data.energy = 20.0
    light.location = (0.0, -0.3, 0.0)
    light.rotation_euler = (np.pi / 2, 0.0, 0.0)  # facing +y, at the patch
    scene.collection.objects.link(light)
    cam = bpy.data.objects.new("cam", bpy.data.cameras.new("cam"))
    cam.data.type = "ORTHO"
    cam.data.ortho_scale = 0.012
    cam.location = (0.0, -0.5, 0.0)
    cam.rotation_euler = (np.pi / 2, 0.0, 0.0)
    scene.collection.objects.link(cam)
    scene.camera = cam
    scene.world = None
    scene.render.engine = "CYCLES"
    scene.render.resolution_x = scene.render.resolution_y = 16
    scene.cycles.samples = 8
    scene.cycles.use_denoising = False
    return obj


def test_melanin_renders_lighter_or_darker_and_grey_strands_between(scene):
    patch = _hair_patch(scene)
    n = len(patch.data.curves)

    def brightness(melanin: float, greying: float) -> float:
        patch.data.materials.clear()
        patch.data.materials.append(hair_material(HairSpec(melanin=melanin, greying=greying)))
        # the builder's marking: exactly that share of strands white, at random
        patch.data.attributes[WHITE].data.foreach_set("value", white_strands(n, greying, np.random.default_rng(0)).astype(np.float32))
        patch.data.update_tag()
        return float(render_linear(scene)[..., :3].mean())

    white, black, grey = brightness(0.0, 0.0), brightness(1.0, 0.0), brightness(1.0, 0.25)
    assert white > 3.0 * black > 0.0
    # A quarter of the fibres white in one layer: a quarter of the way from black to white.
    assert grey == pytest.approx(black + 0.25 * (white - black), rel=0.15)


def test_verify_counts_the_grey_strands_reads_the_cut_and_fails_hand_edits(scene):
    import dataclasses
    from pathlib import Path

    from portrait_spec.blender.api import build_fresh
    from portrait_spec.blender.verify.verify import verify_built_scene
    from portrait_spec.core.toml_io import load_spec

    spec = load_spec(Path(__file__).resolve().parents[1] / "scenes" / "seed_portrait.toml")
    subject = spec.subject
    spec = dataclasses.replace(spec, subject=dataclasses.replace(subject, hair=dataclasses.replace(subject.hair, greying=0.3)))
    built = build_fresh(spec)
    claims = verify_built_scene(spec, built).claims
    rows = [c for c in claims if c.path == "subject.hair.greying"]
    assert [(c.passed, round(float(c.measured), 1)) for c in rows] == [(True, 30.0)]
    # The seed's cut and parting read back from the strands.
    rows = [c for c in claims if c.path in ("subject.hair.style", "subject.hair.parting")]
    assert [(c.path, c.passed) for c in rows] == [("subject.hair.style", True), ("subject.hair.parting", True)]
    data = person_part(built, "person_hair").data
    data.attributes[WHITE].data.foreach_set("value", np.zeros(len(data.curves), dtype=np.float32))
    rows = [c for c in verify_built_scene(spec, built).claims if c.path == "subject.hair.greying"]
    assert [c.passed for c in rows] == [False]
    # A trim by hand (every strand half as long) fails the cut.
    from portrait_spec.blender.verify.claims import Measuring
    from portrait_spec.blender.verify.hairstyle import style_claim
    from portrait_spec.core.prompt import build_prompts

    co = np.empty(len(data.points) * 3, dtype=np.float32)
    data.attributes["position"].data.foreach_get("vector", co)
    strands = co.reshape(len(data.curves), -1, 3)
    strands[:] = strands[:, :1] + 0.5 * (strands - strands[:, :1])
    data.attributes["position"].data.foreach_set("vector", strands.ravel())
    claim = next(c for c in build_prompts(spec).claims if c.path == "subject.hair.style")
    focus = tuple(built.objects["PS_Focus"].location)
    assert [c.passed for c in style_claim(claim, Measuring(spec=spec, scene=built, focus=focus))] == [False]


def _flyaway(scene: bpy.types.Scene) -> np.ndarray:
    """A hair curve 3 mm wide (under half a 7 mm pixel at 64 x 80) with the hair's material, from
    the hair's outermost point above the eyes on the camera's right 8 cm out and up over the
    backdrop (above the eyes: clear of the shoulders and the garment)."""
    hair = person_part(scene, "person_hair")
    points = _strands(hair).reshape(-1, 3)
    points = points[points[:, 2] > scene.objects["PS_Focus"].location.z]
    start = points[np.argmax(points[:, 0])]
    points = start + np.linspace(0.0, 1.0, 8)[:, None] * np.array([0.08, 0.0, 0.03])
    data = bpy.data.hair_curves.new("flyaway")
    data.add_curves([len(points)])
    data.attributes["position"].data.foreach_set("vector", points.astype(np.float32).ravel())
    data.attributes.new("radius", "FLOAT", "POINT").data.foreach_set("value", np.full(len(points), 0.0015, np.float32))
    data.materials.append(hair.material_slots[0].material)
    obj = bpy.data.objects.new("flyaway", data)
    scene.collection.objects.link(obj)
    return points


def test_the_mask_covers_the_hair_beyond_the_skull(scene, tmp_path):
    """Render 64 x 80 at 8 samples: pixels where only hair stands (strand tips projected where no
    skin vertex projects: the seed's bob, its ends beside the neck) are
    in the Cryptomatte mask, with the hair's depth and normal in those passes; and a lone
    flyaway lock under half a pixel wide, a hair curve from the hair's edge out over the
    backdrop, is in the mask with partial coverage all along it."""
    from pathlib import Path

    from bpy_extras.object_utils import world_to_camera_view
    from PIL import Image

    from portrait_spec.blender.api import build_fresh, render_to_folder
    from portrait_spec.core.toml_io import loads_spec

    spec = loads_spec((Path(__file__).resolve().parents[1] / "scenes" / "seed_portrait.toml").read_text(encoding="utf-8"), [])
    built = build_fresh(spec)
    built.cycles.device = "CPU"
    w, h = 64, 80
    flyaway = _flyaway(built)
    render_to_folder(spec, tmp_path / "out", resolution=(w, h), samples=8, quality="preview", exr=False, from_blend=True,
                     log=lambda line: None)
    with Image.open(tmp_path / "out" / "mask.png") as im:
        mask = np.array(im)

    def pixels(points: np.ndarray) -> set[tuple[int, int]]:
        out = set()
        for p in points:
            uv = world_to_camera_view(built, built.camera, Vector(p))
            x, y = int(uv.x * w), int((1.0 - uv.y) * h)
            if 0 <= x < w and 0 <= y < h:
                out.add((y, x))
        return out

    tips = pixels(_strands(person_part(built, "person_hair"))[::5, -1])
    skin = pixels(world_vertices(body(built)))
    hair_only = sorted(tips - skin)
    assert len(hair_only) >= 10
    covered = np.array([int(mask[y, x]) for y, x in hair_only])
    # Coverage, anti-aliased: where only a few tips reach a pixel it is partial (steps of 1/8 at
    # 8 samples), so most hair-only pixels are in the mask and the typical one mostly.
    assert (covered > 0).mean() >= 0.75
    assert np.median(covered) >= 128
    # Depth and normal there are the hair's: within a head's depth of the focus, not the wall's
    # (metres behind it) nor the wall's camera-facing normal.
    with Image.open(tmp_path / "out" / "depth_metric.png") as im:
        depth_m = np.array(im).astype(float) / 1000.0
    with Image.open(tmp_path / "out" / "normal.png") as im:
        normal = np.array(im.convert("RGB")).astype(int)
    full = [(y, x) for y, x in hair_only if mask[y, x] >= 200]
    assert len(full) >= 5
    focus = (Vector(built.objects["PS_Focus"].location) - built.camera.matrix_world.translation).length
    assert all(abs(depth_m[y, x] - focus) < 0.25 for y, x in full)
    assert np.mean([np.abs(normal[y, x] - [128, 128, 255]).max() > 3 for y, x in full]) > 0.8
    # The flyaway: on its pixels two or more pixels from any other hair or skin, partial coverage.
    near = {(y + dy, x + dx) for y, x in pixels(_strands(person_part(built, "person_hair"))[:, -1]) | skin
            for dy in range(-2, 3) for dx in range(-2, 3)}
    lone = sorted(pixels(np.linspace(flyaway[0], flyaway[-1], 400)) - near)
    assert len(lone) >= 4
    lock = np.array([int(mask[y, x]) for y, x in lone])
    assert (lock > 0).mean() >= 0.75 and 5 < lock.mean() < 200


def test_the_bob_hides_the_backdrop_behind_it(scene, tmp_path):
    """The seed's bob, rendered at 256 x 320 with 32 samples: inside the hair where no skin is
    behind it (pixels whose whole 5 x 5 neighbourhood only strands reach, none of the skin: the
    curtain beside the jaw and neck), the mask's coverage is the hair's alone, and a cut bob of
    real density is opaque there. At 150 strands per cm2 of 80 um hair the backdrop showed
    through it (6 % of the magenta beside the jaw at the preview's size); at 250 per cm2 of
    100 um it does not."""
    from pathlib import Path

    from PIL import Image

    from portrait_spec.blender.api import build_fresh, render_to_folder
    from portrait_spec.core.toml_io import loads_spec

    spec = loads_spec((Path(__file__).resolve().parents[1] / "scenes" / "seed_portrait.toml").read_text(encoding="utf-8"), [])
    built = build_fresh(spec)
    built.cycles.device = "CPU"
    w, h = 256, 320
    render_to_folder(spec, tmp_path / "out", resolution=(w, h), samples=32, quality="preview", exr=False, from_blend=True,
                     log=lambda line: None)
    with Image.open(tmp_path / "out" / "mask.png") as im:
        mask = np.array(im).astype(float) / 255.0

    # world_to_camera_view, in numpy for a million points: onto the camera's frame at its depth
    _tr, br, bl, tl = (np.array(c) for c in built.camera.data.view_frame(scene=built))
    world_to_local = np.array(built.camera.matrix_world.inverted())

    def grid(points: np.ndarray) -> np.ndarray:
        local = points @ world_to_local[:3, :3].T + world_to_local[:3, 3]
        on_frame = local[:, :2] * (bl[2] / local[:, 2:3])
        x = ((on_frame[:, 0] - bl[0]) / (br[0] - bl[0]) * w).astype(int)
        y = ((1.0 - (on_frame[:, 1] - bl[1]) / (tl[1] - bl[1])) * h).astype(int)
        keep = (x >= 0) & (x < w) & (y >= 0) & (y < h)
        out = np.zeros((h, w), dtype=bool)
        out[y[keep], x[keep]] = True
        return out

    strands = _strands(person_part(built, "person_hair"))
    hair = grid(np.linspace(strands[:, :-1], strands[:, 1:], 4, axis=2).reshape(-1, 3))
    skin = grid(world_vertices(body(built)))
    only_hair = hair & ~skin
    inner = only_hair.copy()
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            inner &= np.roll(np.roll(only_hair, dy, axis=0), dx, axis=1)
    covered = mask[inner]
    assert len(covered) >= 100  # both curtains, from the cheekbones down to the cut
    assert covered.mean() >= 0.99
    assert np.percentile(covered, 5) >= 0.95
