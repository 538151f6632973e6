"""The stand-in bust: real-scale proportions, named non-empty regions, eyes at the focus point,
and rebuilds that update in place."""

from __future__ import annotations

import bpy
import numpy as np
import pytest

from portrait_spec.blender.contract import objects_with_role, studio_collection
from portrait_spec.blender.sitter.subject import build_subject
from portrait_spec.core.spec import SKIN_REGIONS, Spec, SubjectSpec

MANNEQUIN = Spec(subject=SubjectSpec(kind="mannequin"))


@pytest.fixture
def built(scene):
    spec = MANNEQUIN
    result = build_subject(spec, scene, studio_collection(scene))
    bpy.context.view_layer.update()  # matrix_world follows the new locations
    return spec, result


def _group_vertices(obj: bpy.types.Object, name: str, threshold: float = 0.5) -> np.ndarray:
    index = obj.vertex_groups[name].index
    co = [tuple(obj.matrix_world @ v.co) for v in obj.data.vertices
          if any(g.group == index and g.weight >= threshold for g in v.groups)]
    return np.array(co)


def test_every_region_is_a_non_empty_vertex_group(built):
    _, result = built
    body = result.skin_objects[0]
    for region in SKIN_REGIONS:
        assert region in body.vertex_groups, region
        assert len(_group_vertices(body, region)) >= 50, region


def test_regions_sit_where_anatomy_puts_them(built):
    spec, result = built
    body = result.skin_objects[0]
    eye_z = spec.subject.eye_height.metres
    centre = {r: _group_vertices(body, r).mean(axis=0) for r in SKIN_REGIONS}
    assert centre["forehead"][2] > eye_z + 0.03
    assert eye_z - 0.04 < centre["nasal_bridge"][2] < eye_z + 0.01
    assert abs(centre["nasal_bridge"][0]) < 0.003 and centre["nasal_bridge"][1] < -0.005  # midline, in front
    assert centre["nostrils"][2] < centre["nose_tip"][2] < centre["nasal_bridge"][2]
    assert centre["chin"][2] < centre["lips"][2] < centre["nostrils"][2]
    ears = _group_vertices(body, "ears")
    assert ears[:, 0].min() < -0.065 and ears[:, 0].max() > 0.065  # both sides of the head
    assert centre["clavicles"][2] < eye_z - 0.2 and centre["neck"][2] > centre["clavicles"][2]


def test_real_scale_head_and_eyes(built):
    spec, result = built
    body = result.skin_objects[0]
    eye_z = spec.subject.eye_height.metres
    co = np.array([tuple(body.matrix_world @ v.co) for v in body.data.vertices])
    top = co[:, 2].max()
    chin = _group_vertices(body, "chin", 0.3)[:, 2].min()
    assert 0.21 < top - chin < 0.25  # head height ~23 cm
    head = co[co[:, 2] > eye_z - 0.02]
    assert 0.14 < head[:, 0].max() - head[:, 0].min() < 0.19  # ears included
    left, right = sorted(result.eye_objects, key=lambda o: o.location.x)
    assert right.location.x - left.location.x == pytest.approx(0.063, abs=1e-4)
    assert tuple(result.eye_point) == pytest.approx((0.0, 0.0, eye_z))
    # The pupils face the camera (-Y) at the eye point's depth, within the corneal bulge.
    pupil_y = min(v.co.y for v in left.data.vertices) + left.location.y
    assert -0.004 < pupil_y < 0.0


def test_rebuild_updates_in_place_and_leaves_foreign_objects(scene):
    foreign = bpy.data.objects.new("user_thing", None)
    scene.collection.objects.link(foreign)
    coll = studio_collection(scene)
    build_subject(MANNEQUIN, scene, coll)
    first = {o.name for o in objects_with_role(scene, "subject")}
    from portrait_spec.core.toml_io import loads_spec

    moved = loads_spec("", ["subject.kind=mannequin", "subject.eye_height=1.2 m"])
    result = build_subject(moved, scene, coll)
    assert {o.name for o in objects_with_role(scene, "subject")} == first
    assert len(objects_with_role(scene, "subject")) == 3
    assert result.skin_objects[0].location.z == pytest.approx(1.2)
    assert "user_thing" in scene.objects
