"""Each haircut as real hair curves (one build per style, shared by the module): roots only on
the scalp (head skin, none on the face, ears or neck), no strand point inside the skin (head,
neck, shoulders), the median strand length the spec's within 10 %, and verify's own readings of
the strands (``verify.hairstyle``) naming the style and the parting the spec asked for. The
strands judged are the evaluated ones (what renders, after Blender's Clump Hair Curves)."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from mathutils import Vector
from mathutils.bvhtree import BVHTree
from mathutils.kdtree import KDTree
from person_support import body, build_person

from portrait_spec.blender.measure.head import head_pose, person_part, world_vertices
from portrait_spec.blender.sitter.person import clumps, hair_assets
from portrait_spec.blender.verify.hairstyle import measured_parting, measured_style, scalp_strands

# style: (length_cm, parting)
STYLES: dict[str, tuple[float, str]] = {
    "close_cropped": (1.0, "none"), "short": (6.0, "right"), "bob": (22.0, "left"), "long": (50.0, "centre"),
    "ponytail": (40.0, "none"), "bun": (45.0, "left"),
}


class Grown:
    def __init__(self) -> None:
        bpy.ops.wm.read_factory_settings(use_empty=True)
        scene = bpy.context.scene
        self.strands: dict[str, np.ndarray] = {}
        self.written: dict[str, np.ndarray] = {}  # the strands as the builder wrote them
        self.guide: dict[str, np.ndarray | None] = {}
        self.parting: dict[str, str] = {}
        self.clump_group: dict[str, bpy.types.NodeTree | None] = {}
        # a user's own group of the same name, appended before: never taken over
        self.users_group = bpy.data.node_groups.new("Clump Hair Curves", "GeometryNodeTree")
        for style, (length, parting) in STYLES.items():
            spec, _ = build_person(scene, f'subject.hair.style="{style}"', f"subject.hair.length_cm={length}",
                                   f'subject.hair.parting="{parting}"')
            strands = scalp_strands(scene)
            assert strands is not None, style
            self.strands[style] = strands
            hair = person_part(scene, "person_hair")
            assert hair is not None and isinstance(hair.data, bpy.types.Curves)
            co = np.empty(len(hair.data.points) * 3, dtype=np.float32)
            hair.data.attributes["position"].data.foreach_get("vector", co)
            self.written[style] = co.reshape(strands.shape).astype(np.float64)
            index = hair.data.attributes.get(clumps.GUIDE_ATTRIBUTE)
            guide = np.empty(len(hair.data.curves), dtype=np.int32)
            if index is not None:
                index.data.foreach_get("value", guide)
            self.guide[style] = guide if index is not None else None
            modifier = hair.modifiers.get(clumps.MODIFIER)
            self.clump_group[style] = modifier.node_group if isinstance(modifier, bpy.types.NodesModifier) else None
            self.eye_z = spec.subject.eye_height.metres
            self.parting[style] = measured_parting(strands, body(scene), np.array([0.0, 0.0, self.eye_z]))
        obj = body(scene)  # the same body for every style: only the hair changes
        verts = world_vertices(obj)
        pose = head_pose(obj)
        assert pose is not None
        r, t = pose.fit.rotation, pose.fit.translation
        eyes = (np.array([0.0, 0.0, self.eye_z]) - t) @ r
        self.head_frame = lambda p: (p - t) @ r - eyes
        rest = self.head_frame(verts)
        ring = rest[np.abs(rest[:, 2]) < 0.02]
        self.skull_middle_y = 0.5 * (ring[:, 1].min() + ring[:, 1].max())
        tris = []
        for poly in obj.data.polygons:
            v = tuple(poly.vertices)
            # a quad that is not flat has no one surface: both of its splits count as the face
            tris += [v] if len(v) == 3 else [(v[0], v[1], v[2]), (v[0], v[2], v[3]), (v[0], v[1], v[3]), (v[1], v[2], v[3])]
        self.skin = BVHTree.FromPolygons([Vector(v) for v in verts], tris)
        self.nearest = KDTree(len(verts))
        for i, v in enumerate(verts):
            self.nearest.insert(v, i)
        self.nearest.balance()
        ear = np.zeros(len(verts), dtype=bool)
        index = obj.vertex_groups["ears"].index
        for v in obj.data.vertices:
            ear[v.index] = any(g.group == index and g.weight >= 0.5 for g in v.groups)
        self.ear = ear

    def near_ear(self, point: np.ndarray) -> bool:
        return bool(self.ear[self.nearest.find(Vector(point))[1]])


@pytest.fixture(scope="module")
def grown() -> Grown:
    return Grown()


@pytest.mark.parametrize("style", STYLES)
def test_roots_are_on_the_scalp_and_no_strand_runs_inside_the_body(grown, style):
    strands = grown.strands[style]
    gaps, outward = [], []
    for s in strands[:: max(1, len(strands) // 600)]:  # ~600 strands of each style
        gaps.append(grown.skin.find_nearest(Vector(s[0]))[3])
        for q in s[1:]:
            # An ear is a flap: beside its rim the nearest face's side does not tell inside from
            # out (points past the rim read as inside), so points nearest an ear are not judged.
            if not grown.near_ear(q):
                near, normal, _, _ = grown.skin.find_nearest(Vector(q))
                outward.append(float(np.dot(q - np.asarray(near), np.asarray(normal))))
    assert max(gaps) < 0.001  # every root on the skin
    assert len(outward) > 2000 and min(outward) > 0.0  # no point inside the head, neck or shoulders
    # Above the hairline, in the head's frame: 72 mm above the eyes at the front, 55 mm at the
    # temples, 0 behind the ears, 65 mm below at the nape (hair.HAIRLINE_DEG_M), on no ear.
    roots = grown.head_frame(strands[:, 0])
    deg = np.degrees(np.abs(np.arctan2(roots[:, 0], -(roots[:, 1] - grown.skull_middle_y))))
    hairline = np.interp(deg, [0.0, 45.0, 80.0, 110.0, 150.0, 180.0], [0.072, 0.055, 0.028, 0.0, -0.055, -0.065])
    assert (roots[:, 2] > hairline - 0.001).all()


@pytest.mark.parametrize("style", STYLES)
def test_verify_reads_the_style_and_the_median_length_back(grown, style):
    measured, median_cm, _ = measured_style(grown.strands[style])
    assert measured == style
    assert median_cm == pytest.approx(STYLES[style][0], rel=0.1)


def test_verify_reads_the_parting_side_from_the_roots(grown):
    assert grown.parting == {style: parting for style, (_, parting) in STYLES.items()}


def test_long_hair_stays_behind_the_neck_and_a_bob_clear_of_the_shoulders(grown):
    """The chain lies on the neck and clavicles: long hair falls behind the neck's axis below the
    jaw, a bob ends above the shoulders."""
    eye_z = grown.eye_z
    long = grown.strands["long"].reshape(-1, 3)
    low = long[long[:, 2] < eye_z - 0.12]
    assert len(low) > 0 and low[:, 1].min() > 0.1  # behind the neck (its axis is ~0.11 m behind the eyes)
    assert grown.strands["bob"][:, -1, 2].min() > eye_z - 0.2


@pytest.mark.parametrize("style", ["short", "bob", "ponytail", "bun"])
def test_interpolated_styles_clump_with_blenders_own_node_group_keeping_roots_and_lengths(grown, style):
    """Blender's Clump Hair Curves (from this version's asset file, appended and marked) draws
    each strand towards its guide; roots stay on the skin where they were written, every strand
    keeps its length, and the tips come closer to their guides' tips."""
    group = grown.clump_group[style]
    assert hair_assets.asset_file().is_file()
    assert group is not None and group.get(hair_assets.MARK) == "Clump Hair Curves"
    assert group != grown.users_group and len(grown.users_group.nodes) == 0  # the user's own: untouched
    written, evaluated, guide = grown.written[style], grown.strands[style], grown.guide[style]
    assert guide is not None
    assert np.abs(evaluated[:, 0] - written[:, 0]).max() < 1e-6

    def length(s: np.ndarray) -> np.ndarray:
        return np.linalg.norm(np.diff(s, axis=1), axis=2).sum(axis=1)

    assert np.abs(length(evaluated) / length(written) - 1.0).max() < 1e-3
    clumped = guide != np.arange(len(guide))
    assert clumped.mean() > 0.5
    before = np.linalg.norm(written[clumped, -1] - written[guide[clumped], -1], axis=1)
    after = np.linalg.norm(evaluated[clumped, -1] - evaluated[guide[clumped], -1], axis=1)
    assert np.median(after) < 0.75 * np.median(before)
    # no strand is drawn further than its guide was from it
    assert np.linalg.norm(evaluated - written, axis=2).max() < clumps.REACH_M


@pytest.mark.parametrize("style", ["close_cropped", "long"])
def test_a_close_crop_and_long_hair_have_no_clumps(grown, style):
    assert grown.clump_group[style] is None and grown.guide[style] is None
