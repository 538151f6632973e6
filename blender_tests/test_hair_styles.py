"""Each haircut as real hair curves (one build per style, shared by the module): roots only on
the scalp (head skin, none on the face, ears or neck), no strand point inside the skin (head,
neck, shoulders), the median strand length the spec's within 10 %, and verify's own readings of
the strands (``verify.hairstyle``) naming the style and the parting the spec asked for."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from mathutils import Vector
from mathutils.bvhtree import BVHTree
from mathutils.kdtree import KDTree
from person_support import body, build_person

from portrait_spec.blender.measure.head import head_pose, world_vertices
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
        self.parting: dict[str, str] = {}
        for style, (length, parting) in STYLES.items():
            spec, _ = build_person(scene, f'subject.hair.style="{style}"', f"subject.hair.length_cm={length}",
                                   f'subject.hair.parting="{parting}"')
            strands = scalp_strands(scene)
            assert strands is not None, style
            self.strands[style] = strands
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
