"""The chain on the person: draped on the neck and clavicles whatever the pose and neckline,
no link sunk into the skin (as rendered: subdivided) or the garment by more than 0.5 mm, and
the front of the chain on the chest's front when the body turns."""

from __future__ import annotations

import bpy
import numpy as np
import pytest
from mathutils import Vector
from mathutils.bvhtree import BVHTree

from portrait_spec.blender.contract import studio_collection
from portrait_spec.blender.sitter.chain import MAX_SINK_M, build_chain
from portrait_spec.blender.sitter.subject import build_subject
from portrait_spec.core.toml_io import loads_spec


def _evaluated_bvh(objects: list[bpy.types.Object]) -> BVHTree:
    depsgraph = bpy.context.evaluated_depsgraph_get()
    verts: list[Vector] = []
    polys: list[list[int]] = []
    for obj in objects:
        ev = obj.evaluated_get(depsgraph)
        mesh = ev.to_mesh()
        base = len(verts)
        verts += [obj.matrix_world @ v.co for v in mesh.vertices]
        polys += [[base + i for i in p.vertices] for p in mesh.polygons]
        ev.to_mesh_clear()
    return BVHTree.FromPolygons(verts, polys)


def _links(chain: bpy.types.Object) -> tuple[np.ndarray, np.ndarray]:
    """Every link vertex in the world, and the link centres."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    mats = [np.array(i.matrix_world) for i in depsgraph.object_instances
            if i.is_instance and i.parent is not None and i.parent.original == chain]
    n = chain["portrait_spec_link_count"]
    link = np.array([tuple(v.co) for v in chain.data.vertices[n:]])
    return np.concatenate([link @ m[:3, :3].T + m[:3, 3] for m in mats]), np.array([m[:3, 3] for m in mats])


def _deepest(bvh: BVHTree, points: np.ndarray, within: float = 1.0) -> float:
    """The deepest point behind the nearest surface, among points ``within`` of a surface (a
    garment is a thin shell: a point far from it is not inside it)."""
    deepest = 0.0
    for p in points:
        loc, normal, _, _ = bvh.find_nearest(Vector(p), within)
        if loc is None:
            continue
        d = Vector(p) - loc
        if d.dot(normal) < 0.0:
            deepest = max(deepest, d.length)
    return deepest


@pytest.mark.parametrize("overrides", [
    [],
    ["subject.pose.body_turn_deg=-30", "subject.pose.head_yaw_deg=-40", "subject.pose.head_pitch_deg=-15",
     'subject.garment.neckline="boat"'],
    ["subject.body.sex=1.0", "subject.body.weight=0.9", 'subject.garment.neckline="strapless"', 'jewelry.chain.length="60 cm"'],
    ['subject.garment.neckline="scoop"', "subject.pose.head_roll_deg=12", 'jewelry.chain.style="curb"'],
])
def test_no_link_sinks_into_skin_or_garment(scene, overrides):
    spec = loads_spec("", overrides)
    coll = studio_collection(scene)
    result = build_subject(spec, scene, coll)
    chain = build_chain(spec, scene, coll, result)
    bpy.context.view_layer.update()
    assert chain is not None
    points, centres = _links(chain)
    assert _deepest(_evaluated_bvh(result.skin_objects), points) <= MAX_SINK_M
    assert _deepest(_evaluated_bvh(result.rest_objects), points, within=0.005) <= MAX_SINK_M
    eye = np.array(result.eye_point)
    # A necklace: below the chin, above the waist, around the neck.
    assert centres[:, 2].max() < eye[2] - 0.08
    assert centres[:, 2].min() > eye[2] - 0.45


def test_the_chain_hangs_in_front_of_a_turned_chest(scene):
    spec = loads_spec("", ["subject.pose.body_turn_deg=35"])
    coll = studio_collection(scene)
    result = build_subject(spec, scene, coll)
    chain = build_chain(spec, scene, coll, result)
    bpy.context.view_layer.update()
    _, centres = _links(chain)
    lowest = centres[np.argmin(centres[:, 2])]
    neck = np.array(result.neck.axis_xy)  # type: ignore[union-attr]
    towards = (lowest[:2] - neck) / np.linalg.norm(lowest[:2] - neck)
    facing = np.array([-np.sin(np.radians(35.0)), -np.cos(np.radians(35.0))])  # + turn: towards camera left, -x
    assert float(towards @ facing) > np.cos(np.radians(20.0))
