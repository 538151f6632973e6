"""The person's mesh: MakeHuman's skin only (no helper geometry, no joint cube), cut below the
frame, smoothed, at anatomical scale (adult interpupillary distance, head height and shoulder
breadth), arms hanging, and a different mesh for a different age or sex."""

from __future__ import annotations

import numpy as np
import pytest
from person_support import body, build_person, pupils, region, skin_vertices

from portrait_spec.blender.sitter.person.builder import INDEX_ATTRIBUTE
from portrait_spec.blender.sitter.person.mesh import vertex_groups
from portrait_spec.core.framing import EYES_FROM_TOP, frame_height_m


def _base_indices(scene) -> np.ndarray:
    mesh = body(scene).data
    out = np.zeros(len(mesh.vertices), dtype=np.int32)
    mesh.attributes[INDEX_ATTRIBUTE].data.foreach_get("value", out)
    return out


def test_only_skin_is_left_cut_below_the_frame(scene):
    spec, result = build_person(scene)
    indices = _base_indices(scene)
    groups = vertex_groups()
    skin = set(groups["body"].tolist())
    helpers = set(groups["HelperGeometry"].tolist()) | set(groups["JointCubes"].tolist())
    assert len(helpers) > 5000
    assert set(indices.tolist()) <= skin
    assert not set(indices.tolist()) & helpers
    assert len(np.unique(indices)) == len(indices)
    co = skin_vertices(scene)
    frame_bottom = spec.subject.eye_height.metres - frame_height_m(spec.camera.framing) * (1.0 - EYES_FROM_TOP)
    assert co[:, 2].min() < frame_bottom  # nothing missing inside the frame
    assert co[:, 2].min() > frame_bottom - 0.15  # legs and hips gone
    assert 3000 < len(co) < 9000
    modifiers = {m.type for m in body(scene).modifiers}
    assert "SUBSURF" in modifiers
    assert len(result.eye_objects) == 2


@pytest.mark.parametrize("overrides", [[], ["subject.body.sex=1.0"], ["subject.body.sex=1.0", "subject.body.age_years=70"]])
def test_adult_anthropometry(scene, overrides):
    spec, _ = build_person(scene, *overrides)
    right, left = pupils(scene)
    ipd = float(np.linalg.norm(left - right))
    assert 0.054 <= ipd <= 0.072
    co = skin_vertices(scene)
    crown = co[:, 2].max()
    chin = region(scene, "chin")[:, 2].min()
    assert 0.20 <= crown - chin <= 0.25
    eye_z = spec.subject.eye_height.metres
    ears = region(scene, "ears", 0.01)
    ear_set = {tuple(p) for p in np.round(ears, 6)}
    head = np.array([p for p in co if eye_z - 0.02 < p[2] < crown and tuple(np.round(p, 6)) not in ear_set])
    head_width = head[:, 0].max() - head[:, 0].min()
    clavicles_z = region(scene, "clavicles")[:, 2].mean()
    shoulders = co[(co[:, 2] < clavicles_z) & (co[:, 2] > clavicles_z - 0.12)]
    shoulder_width = shoulders[:, 0].max() - shoulders[:, 0].min()
    assert 2.2 <= shoulder_width / head_width <= 3.2


def test_arms_hang_below_the_shoulders(scene):
    build_person(scene, 'camera.framing="half_body"')
    co = skin_vertices(scene)
    clavicles = region(scene, "clavicles")
    shoulder_z = clavicles[:, 2].max()
    half = np.abs(clavicles[:, 0]).max()
    outer = co[np.abs(co[:, 0]) > half + 0.06]  # beyond the shoulders' edge: arms
    assert len(outer) > 200
    assert outer[:, 2].max() < shoulder_z
    # Hanging, not spread: the arms stay within 30 cm of the midline all the way down.
    assert np.abs(co[:, 0]).max() < 0.30


@pytest.mark.parametrize("change", ["subject.body.age_years=70", "subject.body.sex=1.0"])
def test_age_and_sex_change_the_mesh(scene, change):
    build_person(scene)
    before = skin_vertices(scene)
    indices = _base_indices(scene)
    build_person(scene, change)
    after = skin_vertices(scene)
    shared, a, b = np.intersect1d(indices, _base_indices(scene), return_indices=True)
    assert len(shared) > 3000
    rms = float(np.sqrt(np.mean(np.sum((before[a] - after[b]) ** 2, axis=1))))
    assert rms > 0.003  # millimetres of shape, not rounding
