"""The key's lighting pattern measured on the person's face (``core.patterns``).

Landmark patches come from the skin's rest shape (the head's own frame: x towards the sitter's
left, the face along -y, z up; ``sitter/person/regions.py``), so they follow the vertices into
the pose. With ``tip`` the mean of the ``nose_tip`` region and ``mouth`` the top of ``lips``,
all in millimetres, ``s`` the shadow side's sign of x (away from the key):

* under-nose patch: |x - tip.x| < 14, z from the mouth top to 6 below the tip, facing the
  camera side (head-frame normal n_y < -0.5, n_z > -0.5);
* band (nose shadow meets cheek): s(x - tip.x) 14-26, z from 8 to 28 below the tip;
* triangle: the shadow side's ``cheekbones`` region;
* cheek: the shadow side's ``cheeks`` region; key cheek: the key side's ``cheeks``.

Each patch vertex (posed, world) sees the key's emitter through ``SAMPLES`` x ``SAMPLES`` points
on its surface by scene ray casts (the evaluated scene: every mesh casts its real shadow); a
point facing away from a sample (n . d <= 0) is in its own form shadow. A vertex's visibility is
the share of samples it sees; a patch's lit share the share of its vertices over ``LIT``. A point
or spot key (bare flash, Fresnel) is sampled over the disk its sphere shows the face.

Clamshell's fill from below (``core.patterns.classify``'s ``fill_from_below``): the fill's
irradiance by the same ray casts, each visible sample weighted by n . d (Lambert), averaged over
the surfaces facing down under the chin, jaw and nostrils (``chin``, ``jawline`` and ``nostrils``
vertices whose head-frame normal has n_z < -0.4), over the same average on the surfaces facing
up (``forehead`` and ``nasal_bridge`` vertices with n_z > 0.3). The bounce reflector counts as a
fill: its samples are points on its polygons (the rays stop just short of its surface); the
larger of the two ratios is the reading. Its own brightness (what it bounces of the key) is the
incident meter's business (``verify/bounce.py``); here only the direction it lights from counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import bpy
import numpy as np
from mathutils import Vector

from ...core.patterns import LIT, FaceLight, Pattern, Side, classify
from ..contract import PERSON_REST_ATTRIBUTE, objects_with_role
from ..measure.head import head_pose, person_body, world_vertices
from ..narrow import lookup, of_type, values_of
from .report import Check

if TYPE_CHECKING:
    from ...core.prompt.claims import Claim
    from .claims import Measuring

SAMPLES = 4
OFFSET_M = 0.002  # off the base-mesh vertex along its normal, above the subdivided surface
SHORT_M = 0.005  # rays to a point on the bounce reflector stop this short of it (it is a mesh)
RIG_LIGHTS = (bpy.types.AreaLight, bpy.types.PointLight, bpy.types.SpotLight)


@dataclass(frozen=True, kw_only=True)
class PatternReading:
    pattern: Pattern
    side: Side
    light: FaceLight
    fill_from_below: float  # the fill's irradiance on the face's down-facing surfaces over its up-facing ones (0 without a
    # fill, or when the key alone is not butterfly: only then does the fill decide the pattern)


def _group(obj: bpy.types.Object, name: str) -> np.ndarray:
    mask = np.zeros(len(of_type(obj.data, bpy.types.Mesh).vertices), dtype=bool)
    group = lookup(obj.vertex_groups, name)
    if group is None:
        return mask
    for v in of_type(obj.data, bpy.types.Mesh).vertices:
        for g in v.groups:
            if g.group == group.index and g.weight >= 0.5:
                mask[v.index] = True
    return mask


def key_light(scene: bpy.types.Scene, role: str = "key") -> bpy.types.Object | None:
    """The rig's area light of ``role`` that renders, or None."""
    for obj in objects_with_role(scene, role):
        light = obj.data
        if isinstance(light, RIG_LIGHTS) and not obj.hide_render and light.energy > 0.0:
            return obj
    return None


def emitter_points(light: bpy.types.Object, towards: np.ndarray) -> np.ndarray:
    """A ``SAMPLES`` x ``SAMPLES`` grid of cell centres over the light's surface, world: an area
    light's own; a point or spot light (bare flash, Fresnel) is a sphere of its radius, which
    from ``towards`` (the face) is a disk of that radius facing it."""
    data = light.data
    mw = np.array(light.matrix_world)
    u = (np.arange(SAMPLES) + 0.5) / SAMPLES - 0.5
    if isinstance(data, bpy.types.PointLight | bpy.types.SpotLight):
        centre = mw[:3, 3]
        axis = towards - centre
        axis /= np.linalg.norm(axis)
        side = np.cross(axis, (0.0, 0.0, 1.0) if abs(axis[2]) < 0.9 else (1.0, 0.0, 0.0))
        side /= np.linalg.norm(side)
        up = np.cross(side, axis)
        d = 2.0 * float(data.shadow_soft_size)
        cells = [(a, b) for a in u for b in u if a * a + b * b <= 0.25]
        return np.array([centre + d * (a * side + b * up) for a, b in cells])
    area = of_type(data, bpy.types.AreaLight)
    w = area.size
    h = area.size if area.shape in ("SQUARE", "DISK") else area.size_y
    local = np.array([(a * w, b * h, 0.0) for a in u for b in u])
    if area.shape in ("DISK", "ELLIPSE"):
        local = local[(local[:, 0] / w) ** 2 + (local[:, 1] / h) ** 2 <= 0.25]
    return np.asarray(local @ mw[:3, :3].T + mw[:3, 3])


def surface_points(obj: bpy.types.Object) -> np.ndarray:
    """Points spread over each polygon of a mesh (a reflector), world: its centre and, towards up
    to 8 of its corners, 0.3 and 0.7 of the way out."""
    mesh = of_type(obj.data, bpy.types.Mesh)
    mw = np.array(obj.matrix_world)
    flat = np.empty(len(mesh.vertices) * 3)
    mesh.vertices.foreach_get("co", flat)
    verts = flat.reshape(-1, 3) @ mw[:3, :3].T + mw[:3, 3]
    out = []
    for poly in mesh.polygons:
        corners = verts[[int(i) for i in values_of(poly.vertices)]]
        centre = corners.mean(axis=0)
        out.append(centre)
        for corner in corners[:: max(1, len(corners) // 8)]:
            out.extend(centre + f * (corner - centre) for f in (0.3, 0.7))
    return np.array(out)


def _visibility(scene: bpy.types.Scene, points: np.ndarray, normals: np.ndarray, emitter: np.ndarray,
                *, lambert: bool = False, short_m: float = 0.0) -> np.ndarray:
    """Per point, the share of emitter samples it sees; with ``lambert`` each weighted by n . d."""
    depsgraph = bpy.context.evaluated_depsgraph_get()
    out = np.zeros(len(points))
    for i, (p, n) in enumerate(zip(points, normals, strict=True)):
        origin = p + n * OFFSET_M
        seen = 0.0
        for e in emitter:
            d = e - origin
            dist = float(np.linalg.norm(d))
            d /= dist
            cos = float(n @ d)
            if cos <= 0.0:
                continue
            hit = scene.ray_cast(depsgraph, Vector(origin), Vector(d), distance=dist - short_m)[0]
            seen += 0.0 if hit else (cos if lambert else 1.0)
        out[i] = seen / len(emitter)
    return out


def _lower_sources(scene: bpy.types.Scene, head: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """Sample points of the fill's emitter and of the bounce reflector's surface, each with how
    short of it the rays stop."""
    sources: list[tuple[np.ndarray, float]] = []
    fill = key_light(scene, "fill")
    if fill is not None:
        sources.append((emitter_points(fill, head), 0.0))
    for obj in objects_with_role(scene, "bounce"):
        if isinstance(obj.data, bpy.types.Mesh) and not obj.hide_render and len(obj.data.polygons):
            sources.append((surface_points(obj), SHORT_M))
    return sources


def _fill_from_below(scene: bpy.types.Scene, body: bpy.types.Object, head: np.ndarray, world: np.ndarray,
                     normals: np.ndarray, rest_normals: np.ndarray) -> float:
    """The fill's (or bounce's) Lambert irradiance on the face's down-facing surfaces over its
    up-facing ones, the larger of the two (module doc); 0 without either."""
    down = (_group(body, "chin") | _group(body, "jawline") | _group(body, "nostrils")) & (rest_normals[:, 2] < -0.4)
    up = (_group(body, "forehead") | _group(body, "nasal_bridge")) & (rest_normals[:, 2] > 0.3)
    if not down.any() or not up.any():
        return 0.0
    ratios = [0.0]
    for points, short in _lower_sources(scene, head):
        over = float(_visibility(scene, world[up], normals[up], points, lambert=True, short_m=short).mean())
        under = float(_visibility(scene, world[down], normals[down], points, lambert=True, short_m=short).mean())
        ratios.append(under / over if over > 0.0 else math.inf)
    return max(ratios)


def measure(scene: bpy.types.Scene) -> PatternReading | None:
    """The key's pattern on the person's face, or None without a person or a key light."""
    body = person_body(scene)
    light = key_light(scene)
    if body is None or light is None or scene.camera is None:
        return None
    pose = head_pose(body)
    if pose is None:
        return None
    mesh = of_type(body.data, bpy.types.Mesh)
    flat = np.empty(len(mesh.vertices) * 3, dtype=np.float32)
    of_type(mesh.attributes[PERSON_REST_ATTRIBUTE], bpy.types.FloatVectorAttribute).data.foreach_get("vector", flat)
    rest = flat.reshape(-1, 3).astype(np.float64)
    world = world_vertices(body)
    normals = np.empty(len(mesh.vertices) * 3)
    mesh.vertices.foreach_get("normal", normals)
    mw = np.array(body.matrix_world)
    normals = normals.reshape(-1, 3) @ np.linalg.inv(mw[:3, :3])
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    rest_normals = normals @ pose.fit.rotation  # world -> head frame

    tip_mask, lips = _group(body, "nose_tip"), _group(body, "lips")
    if not tip_mask.any() or not lips.any():
        return None
    tip = rest[tip_mask].mean(axis=0)
    mouth_top = float(rest[lips, 2].max())
    head = pose.fit.translation + pose.fit.rotation @ tip
    to_key = pose.fit.rotation.T @ (np.array(light.matrix_world.translation) - head)
    to_cam = pose.fit.rotation.T @ (np.array(scene.camera.matrix_world.translation) - head)
    s = -1.0 if to_key[0] > 0.0 else 1.0  # the shadow side's sign of x
    dx, dz = (rest[:, 0] - tip[0]) * s, rest[:, 2] - tip[2]
    front = rest_normals[:, 1] < 0.0
    # The lip above the mouth faces the camera; the nostrils' undersides face down and are in
    # every high key's form shadow, so they are no part of the cast nose shadow.
    facing = (rest_normals[:, 1] < -0.5) & (rest_normals[:, 2] > -0.5)
    shadow_side = dx > 0.0

    under = (np.abs(dx) < 0.014) & (rest[:, 2] > mouth_top) & (dz < -0.006) & facing & ~lips
    band = (dx > 0.014) & (dx < 0.026) & (dz < -0.008) & (dz > -0.028) & front
    cheekbones, cheeks = _group(body, "cheekbones"), _group(body, "cheeks")
    patches = {"under": under, "band": band, "triangle": cheekbones & shadow_side,
               "cheek": cheeks & shadow_side, "key_cheek": cheeks & ~shadow_side}
    if not all(mask.any() for mask in patches.values()):
        return None
    emitter = emitter_points(light, head)
    vis = {name: _visibility(scene, world[mask], normals[mask], emitter) for name, mask in patches.items()}
    lit = {name: v > LIT for name, v in vis.items()}
    dark_under = ~lit["under"]
    # The lean: how much more of the key the key half under the nose sees than the shadow half.
    halves = dx[under] > 0.0
    lean = float(vis["under"][~halves].mean() - vis["under"][halves].mean())
    reading = FaceLight(
        triangle=float(lit["triangle"].mean()), cheek=float(lit["cheek"].mean()), band=float(lit["band"].mean()),
        key_cheek=float(lit["key_cheek"].mean()), nose_shadow=float(dark_under.mean()), nose_shadow_lean=lean)
    # Broad when the key lights the side the camera sees more of (both on the same side of x).
    turned = abs(float(np.degrees(np.arctan2(to_cam[0], -to_cam[1])))) >= 5.0
    side: Side = "frontal" if not turned else ("broad" if (to_key[0] > 0.0) == (to_cam[0] > 0.0) else "short")
    # The fill decides only between butterfly and clamshell: its ray casts are skipped otherwise.
    below = _fill_from_below(scene, body, head, world, normals, rest_normals) if classify(reading) == "butterfly" else 0.0
    return PatternReading(pattern=classify(reading, below), side=side, light=reading, fill_from_below=below)


HOW = "key-emitter visibility by ray casts from face landmark patches; clamshell: the fill's irradiance from below (verify/patterns.py)"


def pattern_claim(claim: Claim, m: Measuring) -> list[Check]:
    """``lights.key.pattern`` / ``lights.key.side``: the pattern (or side) measured on the face."""
    from .claims import choice, missing

    reading: PatternReading | None = m.cached("key_pattern", lambda: measure(m.scene))
    name = "key pattern" if claim.path.endswith("pattern") else "key side"
    if reading is None:
        return [missing(claim, name, "person face and area key light")]
    got = reading.pattern if claim.path.endswith("pattern") else reading.side
    return [choice(claim, name, got, got == claim.value, HOW)]
