"""Each light's catchlight measured on the sitter's corneas (``core.catchlights`` names it).

For each eye (a subject mesh using the eye material): the globe is the object's origin and the
median distance of its evaluated vertices; the cornea is the sphere fitted (least squares) to
the vertices that bulge past the globe (the sphere the smooth-shaded mesh approximates, as
Cycles' interpolated normals do), and the iris centre is the cornea's point on the gaze (the
object's -Y, the axis the eye material draws the iris around). Camera rays through a ``GRID``
x ``GRID`` grid over the cornea's image (the scene camera's own frame, shift and resolution)
meet the cornea sphere where it bulges past the globe; each is reflected about the sphere's
normal and tested against each rig light's emitter analytically (an area light's rectangle,
square, disk or ellipse with its size and transform, emitting along its -Z; a point or spot
light's sphere of its radius, a spot's cone). Where a reflected ray reaches an emitter, the
scene is ray cast twice: from the camera to the point (a lid or lash in front hides it) and
from the point towards the light (a beauty dish's deflector, a brow, a flag blocks it; meshes
only: Blender's scene ray cast does not see hair curves). The cells that see a light are its
catchlight, in render pixels around the projected iris centre.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import bpy
import numpy as np
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector

from ...core.catchlights import (
    FILL_MARGIN,
    MARGIN,
    SHAPES,
    VISIBLE_PX2,
    Catchlight,
    Shape,
    classify,
    clock_distance,
    describe_cells,
    fits,
    hour,
)
from ..contract import objects_with_role
from ..measure.eyes import evaluated_vertices
from ..narrow import camera_of
from .report import Check

if TYPE_CHECKING:
    from ...core.prompt.claims import Claim
    from .claims import Measuring

GRID = 160
IN_FRONT_M = 2e-4  # the mesh's facets lie within 0.02 mm inside the sphere (48 segments on 7.8 mm)
ROLES = ("key", "fill", "rim")
HOW = "camera rays reflected on each cornea (fitted sphere) to the light's emitter, blockers by ray cast (verify/catchlights.py)"


@dataclass(frozen=True, kw_only=True)
class Cornea:
    eye: bpy.types.Object
    globe_centre: np.ndarray
    globe_radius: float
    centre: np.ndarray
    radius: float
    gaze: np.ndarray


@dataclass(frozen=True, kw_only=True)
class EyeCatchlight:
    eye: str
    catchlight: Catchlight | None  # None: the light shows no catchlight in this eye

    @property
    def shape(self) -> Shape | None:
        return classify(self.catchlight) if self.catchlight is not None else None


def corneas(scene: bpy.types.Scene) -> list[Cornea]:
    """The subject's eyes with a cornea bulging from the globe, fitted as they are now."""
    from .framing import _is_eye  # framing imports claims, which imports this module

    depsgraph = bpy.context.evaluated_depsgraph_get()
    out = []
    for obj in objects_with_role(scene, "subject"):
        if obj.type != "MESH" or obj.hide_render or not any(_is_eye(s.material) for s in obj.material_slots):
            continue
        world = evaluated_vertices(obj, depsgraph)
        mw = np.array(obj.matrix_world)
        centre = mw[:3, 3]
        d = np.linalg.norm(world - centre, axis=1)
        globe = float(np.median(d))
        bulge = world[d > globe * 1.002]
        if len(bulge) < 10:
            continue
        # Sphere fit: |p|^2 = 2 p.c + k, linear in (c, k) (Bullock, "Least-squares circle fit", 2006).
        a = np.column_stack([2.0 * bulge, np.ones(len(bulge))])
        sol = np.linalg.lstsq(a, (bulge ** 2).sum(axis=1), rcond=None)[0]
        c = sol[:3]
        gaze = -mw[:3, 1] / np.linalg.norm(mw[:3, 1])
        out.append(Cornea(eye=obj, globe_centre=centre, globe_radius=globe, centre=c,
                          radius=float(np.sqrt(sol[3] + c @ c)), gaze=gaze))
    return out


def _emitter_hits(light: bpy.types.Object, origins: np.ndarray, dirs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which reflected rays reach ``light``'s emitting surface, and how far."""
    mw = np.array(light.matrix_world)
    data = light.data
    n = len(origins)
    if isinstance(data, bpy.types.AreaLight):
        inv = np.linalg.inv(mw)
        o = origins @ inv[:3, :3].T + inv[:3, 3]
        d = dirs @ inv[:3, :3].T
        with np.errstate(divide="ignore", invalid="ignore"):
            t = -o[:, 2] / d[:, 2]
        x, y = o[:, 0] + t * d[:, 0], o[:, 1] + t * d[:, 1]
        hx = data.size / 2.0
        hy = hx if data.shape in ("SQUARE", "DISK") else data.size_y / 2.0
        if data.shape in ("DISK", "ELLIPSE"):
            inside = (x / hx) ** 2 + (y / hy) ** 2 <= 1.0
        else:
            inside = (np.abs(x) <= hx) & (np.abs(y) <= hy)
        # Area lights emit along their -Z: the ray must arrive from that side (o.z < 0).
        hit = np.isfinite(t) & (t > 0.0) & (o[:, 2] < 0.0) & inside
        scale = np.linalg.norm(dirs @ inv[:3, :3].T, axis=1)
        return hit, np.where(hit, t / np.maximum(scale, 1e-12), 0.0)
    if isinstance(data, (bpy.types.PointLight, bpy.types.SpotLight)):
        p = mw[:3, 3]
        r = max(float(data.shadow_soft_size), 1e-4)
        oc = origins - p
        b = (oc * dirs).sum(axis=1)
        disc = b * b - ((oc * oc).sum(axis=1) - r * r)
        t = -b - np.sqrt(np.maximum(disc, 0.0))
        hit = (disc >= 0.0) & (t > 0.0)
        if isinstance(data, bpy.types.SpotLight):
            axis = -mw[:3, 2] / np.linalg.norm(mw[:3, 2])
            to_eye = -oc / np.linalg.norm(oc, axis=1, keepdims=True)
            hit &= to_eye @ axis >= np.cos(data.spot_size / 2.0)
        return hit, np.where(hit, t, 0.0)
    return np.zeros(n, dtype=bool), np.zeros(n)


def _rig_lights(scene: bpy.types.Scene) -> dict[str, bpy.types.Object]:
    out = {}
    for role in ROLES:
        for obj in objects_with_role(scene, role):
            if obj.type == "LIGHT" and not obj.hide_render and obj.visible_glossy:
                out[role] = obj
                break
    return out


def measure(scene: bpy.types.Scene) -> dict[str, list[EyeCatchlight]]:
    """Per rig role, the catchlight in each eye (an empty list without eyes or a camera)."""
    lights = _rig_lights(scene)
    out: dict[str, list[EyeCatchlight]] = {role: [] for role in lights}
    cam = scene.camera
    if cam is None or not lights:
        return out
    depsgraph = bpy.context.evaluated_depsgraph_get()
    r = scene.render
    res = np.array([r.resolution_x, r.resolution_y], dtype=float) * r.resolution_percentage / 100.0
    frame = [np.array(v) for v in camera_of(cam).view_frame(scene=scene)]  # top-right, bottom-right, bottom-left, top-left
    cmw = np.array(cam.matrix_world)
    origin = cmw[:3, 3]

    def pixel(p: np.ndarray) -> np.ndarray:
        uv = world_to_camera_view(scene, cam, Vector(p.tolist()))
        return np.array([uv.x, uv.y]) * res

    for cornea in corneas(scene):
        apex = pixel(cornea.centre + cornea.radius * cornea.gaze)
        rim = pixel(cornea.centre + cornea.radius * cmw[:3, 0] / np.linalg.norm(cmw[:3, 0]))
        half = max(float(np.linalg.norm(rim - pixel(cornea.centre))), 1.0)
        cell = 2.0 * half / GRID
        corner = apex - half
        ij = np.indices((GRID, GRID)).reshape(2, -1).T
        # Only the cells inside the cornea's outline (its radius, seen square on) need a ray.
        ij = ij[np.linalg.norm(ij + 0.5 - GRID / 2.0, axis=1) <= GRID / 2.0]
        uv = (corner + (ij + 0.5) * cell) / res
        local = frame[2] + uv[:, :1] * (frame[1] - frame[2]) + uv[:, 1:] * (frame[3] - frame[2])
        dirs = local @ cmw[:3, :3].T
        dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
        # Where each ray meets the cornea's sphere first, kept where that is on the bulge (outside
        # the globe): the cornea as the sphere its mesh approximates, as Cycles' smooth normals do.
        oc = origin - cornea.centre
        b = dirs @ oc
        disc = b * b - (oc @ oc - cornea.radius ** 2)
        t = -b - np.sqrt(np.maximum(disc, 0.0))
        p = origin + t[:, None] * dirs
        keep = (disc > 0.0) & (np.linalg.norm(p - cornea.globe_centre, axis=1) > cornea.globe_radius)
        cells = [(i, j) for i, j in ij[keep].tolist()]
        p, d, depth = p[keep], dirs[keep], t[keep]
        nrm = (p - cornea.centre) / np.linalg.norm(p - cornea.centre, axis=1, keepdims=True)
        refl = d - 2.0 * (d * nrm).sum(axis=1, keepdims=True) * nrm  # the law of reflection
        if not cells:
            for role in lights:
                out[role].append(EyeCatchlight(eye=cornea.eye.name, catchlight=None))
            continue
        centre = ((apex - corner) / cell - 0.5).tolist()
        start, shown = Vector(origin.tolist()), dict[tuple[int, int], bool]()
        for role, light in lights.items():
            hit, dist = _emitter_hits(light, p, refl)
            seen = set()
            for k in np.flatnonzero(hit):
                if cells[k] not in shown:  # a lid or lash in front of this point of the cornea?
                    shown[cells[k]] = not scene.ray_cast(depsgraph, start, Vector(d[k].tolist()), distance=float(depth[k]) - IN_FRONT_M)[0]
                off = Vector((p[k] + refl[k] * IN_FRONT_M).tolist())  # off the cornea, so it does not hit itself
                if shown[cells[k]] and not scene.ray_cast(depsgraph, off, Vector(refl[k].tolist()), distance=float(dist[k]))[0]:
                    seen.add(cells[k])
            c = describe_cells(seen, cell, (centre[0], centre[1]))
            out[role].append(EyeCatchlight(eye=cornea.eye.name, catchlight=c if c is not None and c.area_px2 >= VISIBLE_PX2 else None))
    return out


def _shown(eyes: list[EyeCatchlight], clock: bool) -> str:
    """"PS_Person_Eye_R: 10.42 h; PS_Person_Eye_L: none" (or the shapes)."""
    def one(e: EyeCatchlight) -> str:
        if e.catchlight is None:
            return "none"
        c = e.catchlight
        return f"{c.clock:.2f} h" if clock else f"{e.shape or 'unresolved'} ({c.length_px:.1f} x {c.width_px:.1f} px)"
    return "; ".join(f"{e.eye}: {one(e)}" for e in eyes) or "no eyes"


def catchlight_claim(claim: Claim, m: Measuring) -> list[Check]:
    """``lights.<role>.catchlight_shape`` / ``_clock``: the shape (within ``core.catchlights``'
    margins) or the clock angle of the catchlight in the eye that shows it most."""
    from .claims import choice, missing

    role = claim.path.split(".")[1]
    readings: dict[str, list[EyeCatchlight]] = m.cached("catchlights", lambda: measure(m.scene))
    eyes = readings.get(role, [])
    shown = [e.catchlight for e in eyes if e.catchlight is not None]
    if not shown:
        return [missing(claim, f"{role} catchlight", "catchlight in either eye")]
    # The clearest eye (its catchlight the largest): on a turned head the nose and lids clip the
    # other's, and the prompt describes the catchlight, not how much of it each eye hides.
    c = max(shown, key=lambda one: one.area_px2)
    how = HOW + ", the clearest eye"
    if claim.path.endswith("shape"):
        ok = isinstance(claim.value, str) and claim.value in SHAPES and fits(c, claim.value)
        return [choice(claim, f"{role} catchlight shape", _shown(eyes, clock=False), ok, how,
                       tolerance=f"sizes ±{MARGIN:.0%}, fill ±{FILL_MARGIN:g}")]
    value = float(claim.value) if isinstance(claim.value, float) else float("nan")
    tol = claim.tolerance or 0.0
    return [Check(name=f"{role} catchlight clock", spec=f"{value:.2f} h ({hour(value)} o'clock)", measured=_shown(eyes, clock=True),
                  tolerance=f"±{tol:g} h", passed=clock_distance(c.clock, value) <= tol, unit="", how=how, path=claim.path,
                  phrase=claim.phrase)]
