"""Every skin region of ``SKIN_REGIONS`` exists on the person, is not empty, and sits where
anatomy puts it, whoever the person is."""

from __future__ import annotations

import pytest
from person_support import body, build_person, region

from portrait_spec.core.spec import SKIN_REGIONS

PEOPLE = [[], ["subject.body.sex=1.0", "subject.body.age_years=60", 'subject.face.shape="square"'],
          ["subject.ancestry.african=1", "subject.ancestry.asian=0", "subject.ancestry.caucasian=0",
           "subject.face.nose_width=0.8", "subject.face.lip_fullness=0.8", 'subject.expression.kind="smile"']]


@pytest.mark.parametrize("overrides", PEOPLE)
def test_every_region_is_a_non_empty_vertex_group(scene, overrides):
    build_person(scene, *overrides)
    obj = body(scene)
    for name in SKIN_REGIONS:
        assert name in obj.vertex_groups, name
        assert len(region(scene, name)) >= 10, name


@pytest.mark.parametrize("overrides", PEOPLE)
def test_regions_sit_where_anatomy_puts_them(scene, overrides):
    spec, _ = build_person(scene, *overrides)
    eye_z = spec.subject.eye_height.metres
    centre = {name: region(scene, name).mean(axis=0) for name in SKIN_REGIONS}
    assert centre["forehead"][2] > eye_z + 0.03
    assert eye_z - 0.04 < centre["nasal_bridge"][2] < eye_z + 0.01
    assert abs(centre["nasal_bridge"][0]) < 0.003 and abs(centre["nose_tip"][0]) < 0.003  # midline
    assert centre["nose_tip"][1] < centre["nasal_bridge"][1] < centre["forehead"][1]  # the nose stands out in front
    assert centre["nostrils"][2] < centre["nose_tip"][2] < centre["nasal_bridge"][2]
    assert centre["chin"][2] < centre["lips"][2] < centre["nostrils"][2]
    assert centre["cheeks"][2] < centre["cheekbones"][2] < eye_z
    ears = region(scene, "ears")
    assert ears[:, 0].min() < -0.06 and ears[:, 0].max() > 0.06  # both sides of the head
    assert centre["ears"][1] > centre["cheekbones"][1] + 0.04  # behind the face
    assert centre["jawline"][2] < centre["lips"][2]
    assert centre["clavicles"][2] < centre["neck"][2] < centre["chin"][2]
    clavicles = region(scene, "clavicles")
    assert clavicles[:, 0].min() < -0.05 and clavicles[:, 0].max() > 0.05  # both clavicles
