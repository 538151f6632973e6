"""The gold chain: links draped around the neck onto the clavicles, instanced.

The drape: a necklace hangs from the back of the neck and falls forward over the shoulders onto
the clavicles and chest. A loop around the neck (close behind, looser in front) is dropped
straight down onto the body (gravity), lifted off the skin by the links' own reach, and sized
until its length on the body is the spec's chain length. Links are placed at equal arc length (one pitch apart, see
``core.chain_layout``), oriented along the path and alternated, then pushed out of the skin
wherever a link's wire would sink into it (checked against the body with a BVH tree), so no link
sinks deeper than ``MAX_SINK_M``.

Instancing: the chain object's mesh holds one loose vertex per link (with its rotation and
skin-contact weight as attributes) plus one link's geometry; a Geometry Nodes modifier puts a
link instance on each anchor vertex, so 1,000 links cost one link's mesh.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import bmesh
import bpy
import numpy as np
from mathutils import Vector
from mathutils.bvhtree import BVHTree

from ...core import chain_layout as layout
from ...core.errors import Problem, SpecError
from ...core.spec import Spec
from ...core.units import Distance
from ..contract import CHAIN_ANCHOR_ATTRIBUTE as ANCHOR_ATTRIBUTE
from ..contract import find_one, remove_object, tag
from ..narrow import of_type, present, string_socket
from .materials.gold import CONTACT_ATTRIBUTE, gold_material
from .subject import SubjectResult

NAME = "PS_Chain"
GROUP_NAME = "PS_ChainInstancer"
MODIFIER_NAME = "PS_ChainInstances"
ROTATION_ATTRIBUTE = "ps_rotation"
MAX_SINK_M = 0.0005
REST_GAP_M = 0.0001  # links settle 0.1 mm proud of the skin surface
NECK_CENTRE_BEHIND_EYES_M = 0.075  # the bust's neck axis; a human-scale default for models
RAY_START_ABOVE_EYES_M = 0.3  # drop rays start above the head and pass through it
REST_BELOW_EYES_M = 0.16  # in front, below the throat: nothing above holds a chain
NAPE_PULL = 1.0  # tan of the lean towards the neck of the drop at the nape
NAPE_BACKOFF_M = 0.08
MIN_PULL = 0.1  # every drop leans in a little, so it starts outside the neck
NAPE_ABOVE_FLOOR_M = 0.03  # how high on the back of the neck a chain may lie
NECK_MEASURED_BELOW_EYES_M = 0.12  # mid-neck, above the trapezius
PLAN_SAMPLES = 256
DRAPE_MIN_SHARE = 0.9  # of the drop lines that must meet the body: fewer leave gaps the loop would bridge
PLAN_MARGIN_M = 0.004
CHAIN_LENGTH_TOLERANCE = 0.02  # of the length: the drape's loop is bisected far closer than this


def _v3(v: Vector) -> tuple[float, float, float]:
    return (v.x, v.y, v.z)


def _body_bvh(objects: list[bpy.types.Object]) -> BVHTree:
    verts: list[tuple[float, float, float]] = []
    polys: list[list[int]] = []
    depsgraph = bpy.context.evaluated_depsgraph_get()
    for obj in objects:
        ev = obj.evaluated_get(depsgraph)
        mesh = ev.to_mesh()
        try:
            co = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
            mesh.vertices.foreach_get("co", co)
            mw = np.array(obj.matrix_world)
            co = co.reshape(-1, 3) @ mw[:3, :3].T + mw[:3, 3]
            base = len(verts)
            verts.extend((float(x), float(y), float(z)) for x, y, z in co)
            corners = np.empty(len(mesh.loops), dtype=np.int32)
            mesh.loops.foreach_get("vertex_index", corners)
            starts = np.empty(len(mesh.polygons), dtype=np.int32)
            mesh.polygons.foreach_get("loop_start", starts)
            totals = np.empty(len(mesh.polygons), dtype=np.int32)
            mesh.polygons.foreach_get("loop_total", totals)
            polys.extend((base + corners[s:s + t]).tolist() for s, t in zip(starts, totals, strict=True))
        finally:
            ev.to_mesh_clear()
    # The 4.5 stubs say FromPolygons returns None; it returns the tree
    # (https://docs.blender.org/api/current/mathutils.bvhtree.html).
    return BVHTree.FromPolygons(verts, polys)  # type: ignore[return-value, unused-ignore]


@dataclass(frozen=True)
class Neck:
    """The neck the chain hangs around: its vertical axis (world x, y), how far below the eyes
    the chain may first rest in front, and where (below the eyes) the neck's girth is measured."""

    axis_x: float
    axis_y: float
    rest_below_eyes: float
    measured_below_eyes: float
    facing_rad: float = 0.0  # the chest's turn from the camera (+ towards camera left)

    def direction(self, i: int) -> tuple[float, float]:
        """Horizontal unit vector of plan direction ``i``: 0 is the chest's front."""
        t = 2.0 * math.pi * i / PLAN_SAMPLES - self.facing_rad
        return math.sin(t), -math.cos(t)


def neck_of(subject: SubjectResult, eye: Vector) -> Neck:
    """The person's own neck, or the bust's proportions (a human-scale default for models)."""
    if subject.neck is not None:
        below = subject.neck.rest_below_eyes_m
        return Neck(subject.neck.axis_xy[0], subject.neck.axis_xy[1], below,
                    below - (REST_BELOW_EYES_M - NECK_MEASURED_BELOW_EYES_M), math.radians(subject.neck.facing_deg))
    return Neck(eye.x, eye.y + NECK_CENTRE_BEHIND_EYES_M, REST_BELOW_EYES_M, NECK_MEASURED_BELOW_EYES_M)


def _fit_loop(bvh: BVHTree, eye: Vector, target: float, lift: float, neck_frame: Neck) -> list[Vector]:
    """The resting loop whose length on the body is ``target``.

    In plan, the loop runs around the neck at a distance from it that grows from the nape
    (where a necklace hangs from) to the front; each plan point is dropped (straight down in
    front, leaning onto the neck behind: ``_drop``) onto the first surface below the throat. The loop's size is bisected until its
    length on the body is the chain's. A chain too long to rest on the shoulders and clavicles
    ends up lower on the chest, as it would.
    """
    neck = _neck_radii(bvh, neck_frame, eye.z - neck_frame.measured_below_eyes)
    floors = [eye.z - _rest_below_eyes(i, neck_frame) for i in range(PLAN_SAMPLES)]
    lo, hi = 0.0, 0.4
    best: list[Vector] = []
    for _ in range(24):
        mid = 0.5 * (lo + hi)
        loop = _drop(bvh, _plan(eye, neck_frame, neck, mid), lift, floors, _neck_axis(neck_frame, eye.z))
        # A loop some of whose points found no body under them has slipped off it: too big.
        whole = len(loop) == PLAN_SAMPLES
        if whole and layout.closed_length([_v3(p) for p in loop]) < target:
            lo = mid
        else:
            hi = mid
        if whole or not best:
            best = loop
    return best


def _front(i: int) -> float:
    """1 at the chest's front, 0 at the nape, for plan direction ``i``."""
    return 0.5 * (1.0 + math.cos(2.0 * math.pi * i / PLAN_SAMPLES))


def _rest_below_eyes(i: int, neck_frame: Neck) -> float:
    """How far below the eyes a chain may rest: under the chin in front (nothing above holds a
    chain there), rising to the middle of the neck at the sides and behind, where a chain lies on
    the trapezius and the nape."""
    low, high = neck_frame.rest_below_eyes, neck_frame.measured_below_eyes
    return high + (low - high) * _front(i) ** 2


def _neck_axis(neck_frame: Neck, z: float) -> Vector:
    return Vector((neck_frame.axis_x, neck_frame.axis_y, z))


def _neck_radii(bvh: BVHTree, neck_frame: Neck, z: float) -> list[float]:
    """The neck's horizontal radius at height ``z`` for each of ``PLAN_SAMPLES`` directions."""
    centre = _neck_axis(neck_frame, z)
    radii = []
    for i in range(PLAN_SAMPLES):
        dx, dy = neck_frame.direction(i)
        d = Vector((dx, dy, 0.0))
        hit, _, _, dist = bvh.ray_cast(centre, d, 0.3)
        radii.append(float(dist) if hit is not None and dist is not None else 0.06)
    return radii


def _plan(eye: Vector, neck_frame: Neck, neck: list[float], s: float) -> list[Vector]:
    """Plan of the loop at size ``s``: ``s`` out from the neck at the front, a fifth of it behind."""
    centre = _neck_axis(neck_frame, eye.z)
    out = []
    for i, r in enumerate(neck):
        dx, dy = neck_frame.direction(i)
        reach = r + PLAN_MARGIN_M + s * (0.2 + 0.8 * _front(i))
        out.append(Vector((centre.x + reach * dx, centre.y + reach * dy, eye.z + RAY_START_ABOVE_EYES_M)))
    return out


def _drop(bvh: BVHTree, plan: list[Vector], lift: float, floors: list[float], centre: Vector) -> list[Vector]:
    """Each plan point dropped onto the first surface it meets below its floor (surfaces above,
    the head and jaw, are passed through), lifted by ``lift`` along the surface normal.

    In the front half the drop is straight down (gravity). Behind, the chain's own tension pulls
    it against the neck, so the drop leans in towards the neck's axis, more towards the nape
    (``NAPE_PULL`` there: 45 deg): a neck that leans forward over the back still holds the chain
    at its base."""
    points = []
    down = Vector((0.0, 0.0, -1.0))
    for i, (p, floor_z) in enumerate(zip(plan, floors, strict=False)):
        inward = Vector((centre.x - p.x, centre.y - p.y, 0.0))
        behind = NAPE_PULL * max(0.0, 1.0 - 2.0 * _front(i))  # the back half only
        pull = max(behind, MIN_PULL)
        direction = (down + inward.normalized() * pull).normalized() if inward.length > 1e-9 else down
        # Every drop starts back up its own line, outside the body (a plan point hugging the
        # neck is inside the broader neck at its floor). In front it takes the first surface
        # facing up below the floor; behind, the first surface facing it (the back of the neck).
        origin = Vector((p.x, p.y, floor_z)) - direction * NAPE_BACKOFF_M
        for _ in range(16):
            hit, normal, _, _ = bvh.ray_cast(origin, direction, 2.0)
            if hit is None or normal is None:
                break
            facing = normal.dot(direction) < 0.0
            nape = behind > 0.0 and normal.z > -0.3 and hit.z < floor_z + NAPE_ABOVE_FLOOR_M  # not the ears
            if facing and ((hit.z < floor_z and normal.z > 0.0) or nape):
                points.append(hit + normal * lift)
                break
            origin = hit + direction * 1e-5
    return points


def _link_geometry(style: str, link_length_mm: float, wire_mm: float) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """A tube of the wire's diameter around the link centreline (8 sides)."""
    centre = np.array(layout.link_centreline(style, link_length_mm, wire_mm))
    n, sides, r = len(centre), 8, wire_mm * 0.5e-3
    verts, faces = [], []
    for i in range(n):
        tangent = centre[(i + 1) % n] - centre[i - 1]
        tangent /= np.linalg.norm(tangent)
        outward = np.array([centre[i][0], centre[i][1], 0.0])
        outward -= tangent * outward.dot(tangent)
        outward /= max(np.linalg.norm(outward), 1e-12)
        binormal = np.cross(tangent, outward)
        for j in range(sides):
            a = 2.0 * math.pi * j / sides
            verts.append(centre[i] + r * (math.cos(a) * outward + math.sin(a) * binormal))
    for i in range(n):
        for j in range(sides):
            i2, j2 = (i + 1) % n, (j + 1) % sides
            faces.append((i * sides + j, i2 * sides + j, i2 * sides + j2, i * sides + j2))
    return np.array(verts), faces


def _rotation_matrix(frame: tuple[tuple[float, float, float], ...]) -> np.ndarray:
    return np.array(frame).T  # columns are the link's axes


def _signed_distance(bvh: BVHTree, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Signed distance of each point to the skin (negative inside) and the skin normal there."""
    out = np.empty(len(points))
    normals = np.zeros((len(points), 3))
    for i, p in enumerate(points):
        loc, normal, _, _ = bvh.find_nearest(Vector(p))
        if loc is None or normal is None:
            out[i] = 1.0
            continue
        d = Vector(p) - loc
        out[i] = d.length if d.dot(normal) >= 0.0 else -d.length
        normals[i] = _v3(normal)
    return out, normals


def _check_length(wanted: Distance, resting_m: float) -> None:
    """The loop the drape found must be the chain's length: shorter when the chain cannot rest on
    this sitter (too long for the body under the neck), longer when it cannot pass round the neck;
    either way the links would overlap or gape, so the build stops naming the limit."""
    if abs(resting_m - wanted.metres) <= CHAIN_LENGTH_TOLERANCE * wanted.metres:
        return
    limit = Distance.from_metres(resting_m, wanted.unit)
    shown = f"{wanted.value:g} {wanted.unit}"
    if resting_m < wanted.metres:
        allowed = (f"at most about {limit.value:.3g} {wanted.unit} on this sitter (a longer chain has no body below "
                   "to rest on)")
    else:
        allowed = (f"a chain long enough to pass round this sitter's neck and rest on the shoulders (the nearest loop "
                   f"the drape found is {limit.value:.3g} {wanted.unit})")
    raise SpecError([Problem("jewelry.chain.length", shown, allowed)])


def place_links(spec: Spec, bvh: BVHTree, eye: Vector, link_verts: np.ndarray,
                neck_frame: Neck) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centres (N, 3), rotations (N, 3, 3) and skin-contact weights (N,) of the links.

    Sinking is measured on the wire's centreline, not on the tube's vertices: every point of the
    wire lies within the wire radius r of a centreline point, and a signed distance changes by at
    most the distance moved, so the wire's deepest point is at least (centreline distance - r).
    That bound is exact on locally flat skin and never under-reports sinking, with 8 times fewer
    BVH queries than the 8-sided tube has vertices.
    """
    chain = spec.jewelry.chain
    count = layout.link_count(chain.length.metres, chain.link_length_mm, chain.wire_gauge_mm)
    wire_r = chain.wire_gauge_mm * 0.5e-3
    centreline = np.array(layout.link_centreline(chain.style, chain.link_length_mm, chain.wire_gauge_mm))
    # Settle height: how far a tipped link reaches below its centre, plus the rest gap.
    probe = layout.link_frame((-1.0, 0.0, 0.0), (1.0, 0.0, 0.0), (0.0, 0.0, 1.0), 0, chain.style)
    reach = -(link_verts @ _rotation_matrix(probe).T)[:, 2].min()
    lift = reach + REST_GAP_M
    path = _fit_loop(bvh, eye, chain.length.metres, lift, neck_frame)
    if len(path) < DRAPE_MIN_SHARE * PLAN_SAMPLES:  # a head without a neck and shoulders to hang on
        raise SpecError([Problem("jewelry.chain", f"no neck and shoulders under the eyes to rest on ({len(path)} of "
                                 f"{PLAN_SAMPLES} drop lines around the neck met the body)",
                                 "a sitter whose skin (or clothes) reach from the neck over the shoulders, "
                                 "or jewelry.enabled = false")])
    _check_length(chain.length, layout.closed_length([_v3(p) for p in path]))
    centres = layout.resample_closed([_v3(p) for p in path], count)
    centres_np = np.array(centres)
    rotations = np.empty((count, 3, 3))
    contact = np.zeros(count)

    def wire_depths(rot: np.ndarray, centre: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dist, normals = _signed_distance(bvh, centreline @ rot.T + centre)
        return dist - wire_r, normals

    for i in range(count):
        _, normal, _, _ = bvh.find_nearest(Vector(centres[i]))
        nrm = _v3(normal) if normal is not None else (0.0, 0.0, 1.0)
        frame = layout.link_frame(centres[i - 1], centres[(i + 1) % count], nrm, i, chain.style)
        rot = _rotation_matrix(frame)
        rotations[i] = rot
        for _ in range(12):  # push out until no wire point sinks deeper than half the tolerance
            dist, normals = wire_depths(rot, centres_np[i])
            deepest = int(np.argmin(dist))
            if dist[deepest] >= -0.5 * MAX_SINK_M:
                break
            centres_np[i] += normals[deepest] * (-dist[deepest] + REST_GAP_M)
        gap = wire_depths(rot, centres_np[i])[0].min()
        contact[i] = float(np.clip(1.0 - gap / (2.0 * REST_GAP_M + 1e-4), 0.0, 1.0))
    return centres_np, rotations, contact


def _instancer_group() -> bpy.types.NodeTree:
    if GROUP_NAME in bpy.data.node_groups:
        return bpy.data.node_groups[GROUP_NAME]
    group = bpy.data.node_groups.new(GROUP_NAME, "GeometryNodeTree")
    interface = present(group.interface, f"node group {GROUP_NAME!r} interface")
    # The 5.2 stubs know only "DEFAULT" for socket_type; it takes any socket type's idname
    # (https://docs.blender.org/api/current/bpy.types.NodeTreeInterface.html).
    interface.new_socket(name="Geometry", in_out="INPUT", socket_type="NodeSocketGeometry")  # type: ignore[arg-type, unused-ignore]
    interface.new_socket(name="Geometry", in_out="OUTPUT", socket_type="NodeSocketGeometry")  # type: ignore[arg-type, unused-ignore]
    nodes, links = group.nodes, group.links
    gin = nodes.new("NodeGroupInput")
    gout = nodes.new("NodeGroupOutput")
    anchor = nodes.new("GeometryNodeInputNamedAttribute")
    of_type(anchor, bpy.types.GeometryNodeInputNamedAttribute).data_type = "BOOLEAN"
    string_socket(anchor.inputs["Name"]).default_value = ANCHOR_ATTRIBUTE
    split = nodes.new("GeometryNodeSeparateGeometry")
    of_type(split, bpy.types.GeometryNodeSeparateGeometry).domain = "POINT"
    rotation = nodes.new("GeometryNodeInputNamedAttribute")
    of_type(rotation, bpy.types.GeometryNodeInputNamedAttribute).data_type = "QUATERNION"
    string_socket(rotation.inputs["Name"]).default_value = ROTATION_ATTRIBUTE
    inst = nodes.new("GeometryNodeInstanceOnPoints")
    links.new(gin.outputs[0], split.inputs["Geometry"])
    links.new(anchor.outputs["Attribute"], split.inputs["Selection"])
    links.new(split.outputs["Selection"], inst.inputs["Points"])
    links.new(split.outputs["Inverted"], inst.inputs["Instance"])
    links.new(rotation.outputs["Attribute"], inst.inputs["Rotation"])
    links.new(inst.outputs["Instances"], gout.inputs[0])
    return group


def build_chain(spec: Spec, scene: bpy.types.Scene, collection: bpy.types.Collection, subject: SubjectResult) -> bpy.types.Object | None:
    existing = find_one(scene, "chain")
    if not spec.jewelry.enabled:
        if existing is not None:
            mesh = existing.data
            remove_object(existing)
            if isinstance(mesh, bpy.types.Mesh) and mesh.users == 0:
                bpy.data.meshes.remove(mesh)
        return None
    chain = spec.jewelry.chain
    link_verts, link_faces = _link_geometry(chain.style, chain.link_length_mm, chain.wire_gauge_mm)
    eye = Vector(subject.eye_point)
    skin = subject.skin_objects or [o for o in subject.objects if o.type == "MESH"]
    bvh = _body_bvh([*skin, *subject.rest_objects])
    centres, rotations, contact = place_links(spec, bvh, eye, link_verts, neck_of(subject, eye))

    obj = existing
    if obj is None:
        obj = bpy.data.objects.new(NAME, bpy.data.meshes.new(NAME))
        collection.objects.link(obj)
        tag(obj, "chain")
    obj.matrix_world = np.eye(4).tolist()
    mesh = obj.data
    assert isinstance(mesh, bpy.types.Mesh)
    bm = bmesh.new()
    for c in centres:
        bm.verts.new(c)
    bm.verts.ensure_lookup_table()
    base = len(bm.verts)
    for v in link_verts:
        bm.verts.new(v)
    bm.verts.ensure_lookup_table()
    for f in link_faces:
        face = bm.faces.new([bm.verts[base + i] for i in f])
        face.smooth = True
    bm.to_mesh(mesh)
    bm.free()
    n_all = len(mesh.vertices)
    anchor = np.zeros(n_all, dtype=bool)
    anchor[: len(centres)] = True
    quats = np.zeros((n_all, 4))
    quats[:, 0] = 1.0
    quats[: len(centres)] = [layout.matrix_to_quaternion(tuple(r[:, 0]), tuple(r[:, 1]), tuple(r[:, 2])) for r in rotations]
    weights = np.zeros(n_all)
    weights[: len(centres)] = contact
    layers: tuple[tuple[str, Literal["BOOLEAN", "QUATERNION", "FLOAT"], np.ndarray], ...] = (
        (ANCHOR_ATTRIBUTE, "BOOLEAN", anchor), (ROTATION_ATTRIBUTE, "QUATERNION", quats), (CONTACT_ATTRIBUTE, "FLOAT", weights))
    for name, kind, values in layers:
        if name in mesh.attributes and str(mesh.attributes[name].data_type) != kind:
            mesh.attributes.remove(mesh.attributes[name])
        if name not in mesh.attributes:
            mesh.attributes.new(name, kind, "POINT")
        layer = mesh.attributes[name]
        if not isinstance(layer, bpy.types.BoolAttribute | bpy.types.QuaternionAttribute | bpy.types.FloatAttribute):
            raise TypeError(f"{layer!r} is a {type(layer).__name__}, not a {kind} attribute")
        layer.data.foreach_set("value", values.astype(bool if kind == "BOOLEAN" else np.float32).ravel())
    mesh.materials.clear()
    mesh.materials.append(gold_material(spec))
    mod = of_type(obj.modifiers.get(MODIFIER_NAME) or obj.modifiers.new(MODIFIER_NAME, "NODES"), bpy.types.NodesModifier)
    mod.node_group = _instancer_group()
    obj["portrait_spec_link_count"] = len(centres)
    obj["portrait_spec_max_sink_mm"] = MAX_SINK_M * 1000.0
    mesh.update()
    return obj
