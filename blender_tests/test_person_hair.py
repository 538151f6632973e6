"""The person's hair: scalp strands above the hairline and never on the face, eyebrows above
the eyes on both sides, none on a shaved head, and the pigment and length the spec gives."""

from __future__ import annotations

import numpy as np
import pytest
from person_support import build_person, region

from portrait_spec.blender.measure.head import person_part


def _roots(obj) -> np.ndarray:
    data = obj.data
    co = np.empty(len(data.points) * 3, dtype=np.float32)
    data.attributes["position"].data.foreach_get("vector", co)
    k = len(data.points) // len(data.curves)
    return co.reshape(len(data.curves), k, 3)


def test_scalp_hair_and_brows_grow_where_they_should(scene):
    spec, result = build_person(scene, 'subject.hair.style="short"', "subject.hair.length_cm=2.5", "subject.hair.melanin=0.9")
    eye_z = spec.subject.eye_height.metres
    hair, brows = person_part(scene, "person_hair"), person_part(scene, "person_brows")
    assert hair is not None and brows is not None
    assert hair in result.objects and brows in result.objects
    strands = _roots(hair)
    assert len(strands) > 20000
    lengths = np.linalg.norm(np.diff(strands, axis=1), axis=2).sum(axis=1)
    assert np.median(lengths) == pytest.approx(0.025, rel=0.1)
    roots = strands[:, 0]
    forehead_top = region(scene, "forehead")[:, 2].max()
    middle = roots[(roots[:, 1] < region(scene, "forehead")[:, 1].max()) & (np.abs(roots[:, 0]) < 0.03)]
    assert middle[:, 2].min() > eye_z + 0.06  # no hair on the forehead
    assert roots[:, 2].min() > eye_z - 0.09  # nor on the face or neck (the nape's hairline is the lowest)
    assert roots[:, 2].max() > forehead_top + 0.03  # the crown is covered
    brow_roots = _roots(brows)[:, 0]
    assert (brow_roots[:, 0] < -0.02).any() and (brow_roots[:, 0] > 0.02).any()
    assert eye_z + 0.008 < brow_roots[:, 2].min() and brow_roots[:, 2].max() < eye_z + 0.035
    bsdf = hair.material_slots[0].material.node_tree.nodes["hair_bsdf"]
    assert bsdf.inputs["Melanin"].default_value == pytest.approx(0.9)


def test_a_shaved_head_keeps_its_eyebrows(scene):
    build_person(scene)
    assert person_part(scene, "person_hair") is not None
    build_person(scene, 'subject.hair.style="shaved"', "subject.hair.length_cm=0")
    assert person_part(scene, "person_hair") is None
    assert person_part(scene, "person_brows") is not None
