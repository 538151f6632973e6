"""The chain: the requested number of links, instanced, resting on the clavicles, and no link
sunk into the skin deeper than 0.5 mm (checked on the evaluated instances, independently of
the builder's own push-out)."""

from __future__ import annotations

import itertools

import bpy
import numpy as np
import pytest
from mathutils import Vector
from mathutils.bvhtree import BVHTree

from portrait_spec.blender.contract import objects_with_role, studio_collection
from portrait_spec.blender.sitter.chain import build_chain
from portrait_spec.blender.sitter.subject import build_subject
from portrait_spec.core.chain_layout import link_count
from portrait_spec.core.toml_io import load_spec, loads_spec


def _build(scene, spec):
    coll = studio_collection(scene)
    result = build_subject(spec, scene, coll)
    chain = build_chain(spec, scene, coll, result)
    bpy.context.view_layer.update()
    return result, chain


def _instances(chain: bpy.types.Object) -> list[np.ndarray]:
    depsgraph = bpy.context.evaluated_depsgraph_get()
    return [np.array(inst.matrix_world) for inst in depsgraph.object_instances
            if inst.is_instance and inst.parent is not None and inst.parent.original == chain]


def _link_vertices(chain: bpy.types.Object) -> np.ndarray:
    n = chain["portrait_spec_link_count"]
    return np.array([tuple(v.co) for v in chain.data.vertices[n:]])


def _skin_bvh(body: bpy.types.Object) -> BVHTree:
    """The skin as it renders: the evaluated mesh (the person's subdivision surface included)."""
    ev = body.evaluated_get(bpy.context.evaluated_depsgraph_get())
    mesh = ev.to_mesh()
    try:
        mw = body.matrix_world
        return BVHTree.FromPolygons([mw @ v.co for v in mesh.vertices], [list(p.vertices) for p in mesh.polygons])
    finally:
        ev.to_mesh_clear()


def _deepest_sink(bvh: BVHTree, points: np.ndarray) -> float:
    deepest = 0.0
    for p in points:
        loc, normal, _, _ = bvh.find_nearest(Vector(p))
        d = Vector(p) - loc
        if d.dot(normal) < 0.0:
            deepest = max(deepest, d.length)
    return deepest


@pytest.mark.parametrize("overrides", [
    [],
    ['jewelry.chain.style="curb"', "jewelry.chain.link_length_mm=8.0", "jewelry.chain.wire_gauge_mm=1.8",
     'jewelry.chain.length="50 cm"'],
    ['subject.kind="mannequin"'],
])
def test_link_count_and_no_sinking(scene, scenes_dir, overrides):
    spec = load_spec(scenes_dir / "seed_portrait.toml", overrides)
    result, chain = _build(scene, spec)
    c = spec.jewelry.chain
    expected = link_count(c.length.metres, c.link_length_mm, c.wire_gauge_mm)
    instances = _instances(chain)
    assert len(instances) == expected
    link = _link_vertices(chain)
    assert len(link) < 500  # one link's geometry, however many links
    bvh = _skin_bvh(result.skin_objects[0])
    world = np.concatenate([link @ m[:3, :3].T + m[:3, 3] for m in instances])
    assert _deepest_sink(bvh, world) <= 0.0005
    # Consecutive links interlock: centres one pitch apart.
    centres = np.array([m[:3, 3] for m in instances])
    gaps = np.linalg.norm(np.diff(centres, axis=0), axis=1)
    assert np.median(gaps) == pytest.approx((c.link_length_mm - 2 * c.wire_gauge_mm) * 1e-3, rel=0.1)


def test_chain_rests_on_the_clavicles(scene, scenes_dir):
    spec = load_spec(scenes_dir / "seed_portrait.toml")
    result, chain = _build(scene, spec)
    centres = np.array([m[:3, 3] for m in _instances(chain)])
    body = result.skin_objects[0]
    index = body.vertex_groups["clavicles"].index
    clav = np.array([tuple(body.matrix_world @ v.co) for v in body.data.vertices
                     if any(g.group == index and g.weight > 0.5 for g in v.groups)])
    front = centres[centres[:, 1] < clav[:, 1].max()]
    assert len(front) > 20
    # The front of the chain lies within 2 cm of the clavicle ridge, and touches skin there.
    near = [np.min(np.linalg.norm(clav - p, axis=1)) for p in front]
    assert np.median(near) < 0.02
    weights = np.array([a.value for a in chain.data.attributes["ps_contact"].data][: len(centres)])
    assert weights.max() > 0.5


def test_alternate_links_are_turned_90_degrees(scene):
    _, chain = _build(scene, loads_spec(""))
    mats = _instances(chain)
    normals = [m[:3, 2] for m in mats]  # each link's plane normal
    angles = [np.degrees(np.arccos(abs(np.dot(a, b)))) for a, b in itertools.pairwise(normals)]
    assert np.median(angles) == pytest.approx(90.0, abs=10.0)


def test_rebuild_keeps_one_chain_and_disabling_removes_it(scene):
    spec = loads_spec("")
    _build(scene, spec)
    _build(scene, spec)
    assert len(objects_with_role(scene, "chain")) == 1
    off = loads_spec("", ["jewelry.enabled=false"])
    coll = studio_collection(scene)
    assert build_chain(off, scene, coll, build_subject(off, scene, coll)) is None
    assert objects_with_role(scene, "chain") == []
