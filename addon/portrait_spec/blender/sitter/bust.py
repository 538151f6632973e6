"""The built-in stand-in bust: a procedural mannequin mesh with named regions, and two eyeballs.

The body is polygonised from the signed distance field in ``bust_shape`` (Surface Nets, then a
light smoothing and a projection back onto the field), so there are no downloaded assets. The
polygonised result is cached per process because it depends on nothing in the spec: rebuilding
a studio only updates object transforms and materials.

Regions are vertex groups named exactly as ``core.spec.SKIN_REGIONS``; Cycles' Attribute node
reads vertex groups by name, so the skin shader masks regions straight from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bmesh
import bpy
import numpy as np
from mathutils import Matrix

from ...core.spec import SKIN_REGIONS
from ..contract import PART_KEY, tag
from . import bust_shape as shape
from . import surface_nets as nets_module
from .cache import cached, digest
from .surface_nets import sample_narrow_band, smooth_vertices, surface_nets

BODY_NAME = "PS_Bust"
EYE_NAMES = ("PS_Eye_R", "PS_Eye_L")  # sitter's right eye is on camera left (-X)
GRID_STEP = 0.002  # 2 mm cells: lips, nostrils and lids stay resolved


@dataclass
class BustParts:
    body: bpy.types.Object
    eyes: list[bpy.types.Object]


@dataclass(frozen=True)
class BustGeometry:
    verts: np.ndarray
    faces: np.ndarray
    regions: dict[str, np.ndarray]


def _cache_name(step: float) -> str:
    """The polygonised bust depends only on the shape code (and the regions it is split into),
    so a hash of those names it."""
    code = [Path(str(module.__file__)).read_bytes() for module in (shape, nets_module)]
    return "bust_" + digest(f"{step}", ",".join(SKIN_REGIONS), *code)


@lru_cache(maxsize=1)
def bust_geometry(step: float = GRID_STEP) -> BustGeometry:
    def make() -> dict[str, np.ndarray]:
        geo = _polygonise(step)
        return {"verts": geo.verts, "faces": geo.faces, **geo.regions}

    arrays = cached(_cache_name(step), make)
    return BustGeometry(verts=arrays["verts"], faces=arrays["faces"], regions={r: arrays[r] for r in SKIN_REGIONS})


def _polygonise(step: float) -> BustGeometry:
    lo = shape.BOUNDS_LO
    nx, ny, nz = (int(np.ceil(n)) + 1 for n in (shape.BOUNDS_HI - lo) / step)
    dims = (nx, ny, nz)
    values = sample_narrow_band(shape.bust_field, lo, dims, step)
    verts, faces = surface_nets(values, lo, step)
    verts = smooth_vertices(verts, faces, iterations=3)
    verts = shape.project_to_surface(verts)
    regions = shape.region_weights(verts)
    return BustGeometry(verts=verts, faces=faces, regions=regions)


def _fill_body_mesh(mesh: bpy.types.Mesh, geo: BustGeometry) -> None:
    mesh.clear_geometry()
    mesh.from_pydata(geo.verts.tolist(), [], geo.faces.tolist())
    mesh.update(calc_edges=True)
    mesh.polygons.foreach_set("use_smooth", np.ones(len(mesh.polygons), dtype=bool))


def _fill_region_groups(obj: bpy.types.Object, geo: BustGeometry) -> None:
    for region in SKIN_REGIONS:
        group = obj.vertex_groups.get(region) or obj.vertex_groups.new(name=region)
        weights = geo.regions[region]
        for value in np.unique(np.round(weights[weights > 0.01], 2)):
            idx = np.nonzero(np.abs(np.round(weights, 2) - value) < 1e-6)[0]
            group.add(idx.tolist(), float(value), "REPLACE")


def eyeball_mesh(mesh: bpy.types.Mesh, radius: float = shape.EYEBALL_RADIUS) -> None:
    """An eyeball (12 mm radius by default) with a corneal bulge (7.8 mm radius of curvature,
    apex 2.2 mm proud of the globe) facing -Y."""
    bm = bmesh.new()
    bmesh.ops.create_uvsphere(bm, u_segments=48, v_segments=32, radius=radius)
    bmesh.ops.rotate(bm, verts=list(bm.verts), cent=(0, 0, 0), matrix=_x_to_y())
    r_eye, r_cornea = radius, shape.CORNEA_RADIUS
    c = r_eye + shape.CORNEA_PROUD - r_cornea
    for v in bm.verts:
        u = v.co.normalized()
        cos_t = -u.y
        disc = r_cornea**2 - c * c * (1.0 - cos_t * cos_t)
        if cos_t > 0.0 and disc > 0.0:
            v.co = u * max(r_eye, c * cos_t + disc**0.5)
    bm.to_mesh(mesh)
    bm.free()
    for poly in mesh.polygons:
        poly.use_smooth = True


def _x_to_y() -> Matrix:  # the sphere's pole along -Y, so rings are centred on the gaze

    return Matrix.Rotation(np.pi / 2.0, 3, "X")


def _find_part(collection: bpy.types.Collection, scene: bpy.types.Scene, part: str) -> bpy.types.Object | None:
    for obj in scene.objects:
        if obj.get("portrait_spec_role") == "subject" and obj.get(PART_KEY) == part:
            return obj
    return None


def build_bust(scene: bpy.types.Scene, collection: bpy.types.Collection, eye_point: tuple[float, float, float]) -> BustParts:
    """Create or update the bust and eyes so the pupils' midpoint is at ``eye_point``."""
    body = _find_part(collection, scene, "bust")
    if body is None:
        mesh = bpy.data.meshes.new(BODY_NAME)
        body = bpy.data.objects.new(BODY_NAME, mesh)
        collection.objects.link(body)
        tag(body, "subject")
        body[PART_KEY] = "bust"
        geo = bust_geometry()
        _fill_body_mesh(mesh, geo)
        _fill_region_groups(body, geo)
    elif isinstance(body.data, bpy.types.Mesh) and len(body.data.vertices) == 0:
        geo = bust_geometry()
        _fill_body_mesh(body.data, geo)
        _fill_region_groups(body, geo)
    body.location = eye_point
    body.rotation_euler = (0.0, 0.0, 0.0)
    body.scale = (1.0, 1.0, 1.0)
    eyes = []
    for name, side in zip(EYE_NAMES, (-1.0, 1.0), strict=False):
        part = f"eye_{'right' if side < 0 else 'left'}"
        eye = _find_part(collection, scene, part)
        if eye is None:
            mesh = bpy.data.meshes.new(name)
            eyeball_mesh(mesh)
            eye = bpy.data.objects.new(name, mesh)
            collection.objects.link(eye)
            tag(eye, "subject")
            eye[PART_KEY] = part
        eye.location = (eye_point[0] + side * shape.PUPIL_HALF_DISTANCE, eye_point[1] + shape.EYEBALL_CENTRE_Y, eye_point[2])
        eyes.append(eye)
    return BustParts(body=body, eyes=eyes)
