"""Eyelashes and eyebrows on their regions: lashes rooted on each lid's margin round both eyes,
the upper ones above and the lower ones below the opening, curling away from it, the counts and
median lengths the rules give, no point inside the eyeball or the skin, all of it with the head
turned and a smile; the brows' density and the lashes' length from the spec (0: none), and the
MakeHuman lash ribbons gone. One person build per module, no render."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from mathutils import Vector
from mathutils.bvhtree import BVHTree
from person_support import body, build_person

from portrait_spec.blender.contract import studio_collection
from portrait_spec.blender.measure.head import person_eyes, person_part, world_vertices
from portrait_spec.blender.sitter.person import lashes, mesh
from portrait_spec.blender.sitter.person.builder import INDEX_ATTRIBUTE
from portrait_spec.blender.sitter.subject import build_subject
from portrait_spec.core.toml_io import loads_spec

PER_EYE = lashes.UPPER_COUNT + lashes.LOWER_COUNT


def _strands(obj: bpy.types.Object) -> np.ndarray:
    data = obj.data
    co = np.empty(len(data.points) * 3, dtype=np.float32)
    data.attributes["position"].data.foreach_get("vector", co)
    return co.reshape(len(data.curves), len(data.points) // len(data.curves), 3).astype(np.float64)


@pytest.fixture(scope="module")
def built():
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    spec, _ = build_person(scene, "subject.pose.head_yaw_deg=20", "subject.pose.head_pitch_deg=6",
                           'subject.expression.kind="smile"', "subject.hair.lash_length_mm=11")
    obj = body(scene)
    verts = world_vertices(obj)
    tris = []
    for poly in obj.data.polygons:  # both splits of each quad: a quad that is not flat has no one surface
        v = tuple(poly.vertices)
        tris += [(v[0], v[1], v[2]), (v[0], v[2], v[3]), (v[0], v[1], v[3]), (v[1], v[2], v[3])]
    tree = BVHTree.FromPolygons([Vector(p) for p in verts], tris)
    eyes = []
    for eye in person_eyes(scene):
        mw = eye.matrix_world
        eyes.append((np.array(mw)[:3, 3], BVHTree.FromPolygons([mw @ v.co for v in eye.data.vertices],
                                                             [tuple(p.vertices) for p in eye.data.polygons])))
    return scene, spec, tree, eyes


def _outside(tree: BVHTree, points: np.ndarray) -> np.ndarray:
    """Signed distance of each point off ``tree``'s surface along the nearest face's normal."""
    out = []
    for q in points:
        near, normal, _, _ = tree.find_nearest(Vector(q))
        out.append(float(np.dot(q - np.asarray(near), np.asarray(normal))))
    return np.array(out)


def test_lashes_root_on_both_lid_margins_and_curl_away_from_the_opening(built):
    scene, _spec, _tree, eyes = built
    strands = _strands(person_part(scene, "person_lashes"))
    assert len(strands) == 2 * PER_EYE
    lengths = np.linalg.norm(np.diff(strands, axis=1), axis=2).sum(axis=1)
    for (centre, eye), lids in zip(eyes, np.split(strands, 2), strict=True):
        roots = lids[:, 0]
        assert np.abs(_outside(eye, roots)).max() < 0.003  # on the lids, at the eye's surface
        assert np.linalg.norm((roots - centre)[:, [0, 2]], axis=1).max() < 0.016  # round this eye
        up, low = lids[:lashes.UPPER_COUNT], lids[lashes.UPPER_COUNT:]
        # Upper roots above the lower ones, tips further apart still: they curl away from the opening.
        assert np.median(up[:, 0, 2]) > np.median(low[:, 0, 2]) + 0.004
        assert (up[:, -1, 2] > up[:, 0, 2]).all() and (low[:, -1, 2] < low[:, 0, 2]).all()
    upper = lengths.reshape(2, PER_EYE)[:, :lashes.UPPER_COUNT]
    lower = lengths.reshape(2, PER_EYE)[:, lashes.UPPER_COUNT:]
    assert np.median(upper) == pytest.approx(0.011, rel=0.1)
    assert np.median(lower) == pytest.approx(lashes.LOWER_SHARE * 0.011, rel=0.1)


def test_no_lash_point_is_inside_the_eye_or_the_skin(built):
    scene, _spec, tree, eyes = built
    strands = _strands(person_part(scene, "person_lashes"))
    # Every root is off the eye, and every later point off the eye and the skin.
    beyond = strands[:, 1:].reshape(-1, 3)
    for _centre, eye in eyes:
        assert _outside(eye, strands[:, 0]).min() > 0.0
        assert _outside(eye, beyond).min() > 0.0
    assert _outside(tree, beyond).min() > 0.0
    # Roots on the lid margin; where the cornea's bulge pokes through the margin (a smile raises
    # the lower lid onto it) the root starts just in front of the bulge, within 1.5 mm.
    gap = np.abs(_outside(tree, strands[:, 0]))
    assert np.median(gap) < 0.0005 and gap.max() < 0.0015


def test_brows_sit_above_the_eyes_and_the_lash_ribbons_are_gone(built):
    scene, _spec, _tree, eyes = built
    brows = _strands(person_part(scene, "person_brows"))[:, 0]
    for centre, _eye in eyes:
        near = brows[np.linalg.norm((brows - centre)[:, [0, 1]], axis=1) < 0.035]
        assert len(near) > 100
        assert (near[:, 2] > centre[2] + 0.005).all() and (near[:, 2] < centre[2] + 0.045).all()
    index = np.empty(len(body(scene).data.vertices), dtype=np.int32)
    body(scene).data.attributes[INDEX_ATTRIBUTE].data.foreach_get("value", index)
    ribbons = np.concatenate([v for k, v in mesh.vertex_groups().items() if "eyelashes" in k])
    assert not np.isin(index, ribbons).any()
    assert all(person_part(scene, part).material_slots[0].material.name == "PS_Hair"
               for part in ("person_hair", "person_brows", "person_lashes"))


def test_brow_density_and_lash_length_zero_grow_none():
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    spec = loads_spec("", ['subject.kind="person"', "subject.hair.brow_density=0", "subject.hair.lash_length_mm=0"])
    build_subject(spec, scene, studio_collection(scene))
    assert person_part(scene, "person_brows") is None and person_part(scene, "person_lashes") is None
