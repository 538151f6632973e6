"""Verify the bounce reflector and the black flag (``lights.bounce``, ``lights.flag``).

* position: the object (a reflector's centre, a V-flat's hinge, the flag's centre) around the
  focus empty, +-1 deg;
* apparent size: sqrt(the mesh's world area) over its centre's distance, in the claimed class's band;
* kind: the face material the builder gives each kind (``studio/reflector.py``): a Lambertian
  albedo 0.9 (one disk: white; two panels: V-flat) or a sharp mirror whose colour is aluminium's
  (silver) or warm, blue well under red (gold);
* stops: probe renders (``measure.probe.bounce_irradiance``): a white card at the focus facing the
  reflector, the key alone with and without it; the difference against the key's meter reading;
* flag: a mesh that renders, black (albedo at most 0.05); and, as a studio check with no phrase
  of its own (the prompt states no level for it), what it takes away: the white card at the focus
  facing the flag, the whole studio but the sitter, with and without the flag
  (``measure.probe.flag_effect_stops``). The row fails only if the flag adds light.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

import bpy

from ...core.meter.bounce import ALUMINIUM_F0, WHITE_ALBEDO
from ...core.placement import angles_from_position
from ..measure.meter import incident_reading
from ..measure.probe import bounce_irradiance, flag_effect_stops, world_centre
from ..narrow import color_socket, float_socket, lookup, values_of
from .report import Check

if TYPE_CHECKING:
    from ...core.prompt.claims import Claim
    from .claims import Measuring

ANGLE_TOLERANCE_DEG = 1.0
STOPS_TOLERANCE = 0.1
FLAG_BLACK_MAX = 0.05
HOW_STOPS = "probe renders: white card at the focus facing the reflector, key alone with and without it"


def _mesh(m: Measuring, role: str) -> bpy.types.Object | None:
    obj = m.obj(role)
    if obj is None or obj.hide_render or not isinstance(obj.data, bpy.types.Mesh):
        return None
    return obj


def _face(obj: bpy.types.Object, node_name: str) -> bpy.types.Node | None:
    mesh = obj.data
    if not isinstance(mesh, bpy.types.Mesh):
        return None
    for mat in mesh.materials:
        if mat is not None and mat.node_tree is not None:
            found = lookup(mat.node_tree.nodes, node_name)
            if found is not None:
                return found
    return None


def kind_of(obj: bpy.types.Object) -> str:
    """Which reflector the object's face material and shape make ("unknown" otherwise)."""
    face = _face(obj, "bounce_face")
    mesh = obj.data
    if face is None or not isinstance(mesh, bpy.types.Mesh):
        return "unknown"
    c = color_socket(face.inputs["Color"]).default_value
    rgb = (float(c[0]), float(c[1]), float(c[2]))
    if face.type == "BSDF_DIFFUSE" and all(abs(x - WHITE_ALBEDO) <= 0.01 for x in rgb):
        return "vflat" if len(mesh.polygons) == 2 else "white"
    if face.type == "BSDF_GLOSSY" and float(float_socket(face.inputs["Roughness"]).default_value) <= 0.01:
        if all(abs(x - a) <= 0.01 for x, a in zip(rgb, ALUMINIUM_F0, strict=True)):
            return "silver"
        if rgb[0] > 0.8 and rgb[2] < 0.6 * rgb[0]:
            return "gold"
    return "unknown"


def _angles(m: Measuring, obj: bpy.types.Object) -> tuple[float, float]:
    t = obj.matrix_world.translation
    azimuth, elevation, _distance = angles_from_position(m.focus, (float(t.x), float(t.y), float(t.z)))
    return azimuth, elevation


def _world_area(obj: bpy.types.Object) -> float:
    """The mesh's area in world space (object scale included), by Newell's polygon normals."""
    mesh = obj.data
    if not isinstance(mesh, bpy.types.Mesh):
        return 0.0
    mw = obj.matrix_world
    total = 0.0
    for poly in mesh.polygons:
        points = [mw @ mesh.vertices[int(i)].co for i in values_of(poly.vertices)]
        nx = ny = nz = 0.0
        for a, b in zip(points, points[1:] + points[:1], strict=True):
            nx += a.y * b.z - a.z * b.y
            ny += a.z * b.x - a.x * b.z
            nz += a.x * b.y - a.y * b.x
        total += 0.5 * math.sqrt(nx * nx + ny * ny + nz * nz)
    return total


def _size_row(claim: Claim, m: Measuring, obj: bpy.types.Object) -> Check:
    centre = world_centre(obj)
    apparent = math.sqrt(_world_area(obj)) / math.dist(centre, m.focus)
    lo, hi = claim.band or (None, None)
    slack = 1e-6 * apparent
    passed = (lo is None or apparent >= lo - slack) and (hi is None or apparent < hi - slack)
    band = f"[{lo if lo is not None else 0:g}, {hi if hi is not None else math.inf:g})"
    return Check(name="bounce apparent size", spec=float(cast(float, claim.value)), measured=apparent,
                 tolerance=f"{claim.stated}: {band}", passed=passed, unit=claim.unit,
                 how="sqrt(reflector mesh area, world space) / distance of its centre", path=claim.path, phrase=claim.phrase)


def bounce_claim(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import choice, missing, numeric

    obj = _mesh(m, "bounce")
    quantity = claim.path.split(".")[-1]
    name = f"bounce {quantity.removesuffix('_deg')}"
    if obj is None:
        return [missing(claim, name, "reflector mesh that renders")]
    if quantity == "apparent_size":
        return [_size_row(claim, m, obj)]
    if quantity == "kind":
        got = kind_of(obj)
        return [choice(claim, "bounce kind", got, got == claim.value, "face material and shape")]
    if quantity in ("azimuth_deg", "elevation_deg"):
        azimuth, elevation = _angles(m, obj)
        how = "reflector object around the focus"
        if quantity == "azimuth_deg":
            return [numeric(claim, name, azimuth, how, ANGLE_TOLERANCE_DEG, wrap=True)]
        return [numeric(claim, name, elevation, how, ANGLE_TOLERANCE_DEG)]
    key = m.light("key")
    if key is None:
        return [missing(claim, "key:bounce", "key area light")]
    bounce = float(m.cached("bounce", lambda: bounce_irradiance(key, obj, m.focus)))
    direct = incident_reading(key, m.focus)
    stops = math.log2(bounce / direct) if bounce > 0.0 and direct > 0.0 else -math.inf
    return [numeric(claim, "key:bounce", stops, HOW_STOPS, STOPS_TOLERANCE)]


def flag_claim(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import choice, missing, numeric

    obj = _mesh(m, "flag")
    quantity = claim.path.split(".")[-1]
    if obj is None:
        return [missing(claim, "flag", "flag mesh that renders")]
    if quantity == "enabled":
        face = _face(obj, "flag_face")
        albedo = max(float(x) for x in color_socket(face.inputs["Color"]).default_value[:3]) if face is not None else math.nan
        black = math.isfinite(albedo) and albedo <= FLAG_BLACK_MAX
        return [choice(claim, "black flag", f"albedo {albedo:.3f}", black, "flag_face material colour", f"<= {FLAG_BLACK_MAX:g}")]
    azimuth, elevation = _angles(m, obj)
    how = "flag object around the focus"
    if quantity == "azimuth_deg":
        return [numeric(claim, "flag azimuth", azimuth, how, ANGLE_TOLERANCE_DEG, wrap=True)]
    return [numeric(claim, "flag elevation", elevation, how, ANGLE_TOLERANCE_DEG)]


FLAG_NOISE_STOPS = 0.03  # two 128-sample probe renders: a flag that changes nothing reads within this


def flag_effect_row(m: Measuring) -> Check | None:
    obj = _mesh(m, "flag")
    if obj is None or not m.spec.lights.flag.enabled:
        return None
    effect = float(m.cached("flag_effect", lambda: flag_effect_stops(m.scene, obj, m.focus)))
    return Check(name="flag negative fill", spec=0.0, measured=effect, tolerance=f"<= +{FLAG_NOISE_STOPS:g} stop", unit="stops",
                 passed=math.isfinite(effect) and effect <= FLAG_NOISE_STOPS,
                 how="probe renders: white card at the focus facing the flag, whole studio but the sitter, with and without it")
