"""``verify``: every measurable claim of a spec checked against the scene as it is now.

Each claim has the spec's value, the measured value, a tolerance and pass/fail:

* key:fill and key:rim in stops, from probe renders of a white card at the focus point facing
  each light, that light alone (``measure.metered_irradiance``), +-0.1 stop; the key's own level
  against the exposure target ``E = pi`` (``core.exposure``), +-0.1 stop.
* azimuth, elevation (+-1 deg), distance (+-1 cm) and aim (+-1 deg) of every enabled light, read
  from the objects' transforms around the ``focus`` empty.
* subject-to-background distance (+-1 cm), ray cast from the focus point to the cyclorama.
* extraction: share of backdrop pixels more than 4 px from the subject within +-1 level of the
  requested sRGB value in the 8-bit render (>= 99.5 %); gradient: edge-to-edge stops on the eye
  row (+-0.1) and the bright edge's level relative to the key (+-0.1).
* the camera's focal length and f-number.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import bpy

from ..core.exposure import stops_from_irradiance
from ..core.spec import Spec
from ..core.vec import Vec3
from . import measure
from .contract import find_one
from .light_readings import luminance

STOPS_TOLERANCE = 0.1
ANGLE_TOLERANCE_DEG = 1.0
DISTANCE_TOLERANCE_M = 0.01
BACKDROP_EXACT_SHARE = 0.995
PROBE_WIDTH_PX = 96
PROBE_SAMPLES = 4


@dataclass(frozen=True)
class Claim:
    name: str
    spec: float | str
    measured: float | str
    tolerance: str
    passed: bool
    unit: str = ""
    how: str = ""


@dataclass
class VerifyReport:
    claims: list[Claim] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.claims) and all(c.passed for c in self.claims)

    def add(self, claim: Claim) -> None:
        self.claims.append(claim)

    def failures(self) -> list[Claim]:
        return [c for c in self.claims if not c.passed]

    def table(self) -> str:
        rows = [("claim", "spec", "measured", "tolerance", "result")]
        rows += [(c.name, _fmt(c.spec, c.unit), _fmt(c.measured, c.unit), c.tolerance, "pass" if c.passed else "FAIL")
                 for c in self.claims]
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        failed = len(self.failures())
        lines.append("")
        lines.append("all claims hold" if self.passed else f"{failed} of {len(self.claims)} claims FAILED")
        return "\n".join(lines)

    def to_data(self) -> dict[str, Any]:
        return {"passed": self.passed, "claims": [_jsonable(asdict(c)) for c in self.claims]}


def _fmt(value: float | str, unit: str) -> str:
    if isinstance(value, str):
        return value
    if math.isinf(value) or math.isnan(value):
        return str(value)
    return f"{value:.3f} {unit}".rstrip()


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in data.items()}


def _within(spec_value: float, measured: float, tolerance: float) -> bool:
    return math.isfinite(measured) and abs(measured - spec_value) <= tolerance


def _angle_difference(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def verify_built_scene(spec: Spec, scene: bpy.types.Scene) -> VerifyReport:
    report = VerifyReport()
    focus_obj = find_one(scene, "focus")
    if focus_obj is None:
        report.add(Claim("focus point", "present", "missing", "exists", False))
        return report
    t = focus_obj.matrix_world.translation
    focus: Vec3 = (float(t.x), float(t.y), float(t.z))
    _light_claims(spec, scene, focus, report)
    _backdrop_claims(spec, scene, focus, report)
    _camera_claims(spec, scene, report)
    return report


def _light_claims(spec: Spec, scene: bpy.types.Scene, focus: Vec3, report: VerifyReport) -> None:
    readings: dict[str, float] = {}
    for role in ("key", "fill", "rim"):
        light_spec = getattr(spec.lights, role)
        obj = find_one(scene, role)
        if not light_spec.enabled:
            continue
        if obj is None or obj.type != "LIGHT":
            report.add(Claim(f"{role} light", "present", "missing", "exists", False))
            continue
        readings[role] = measure.metered_irradiance(obj, focus)
        azimuth, elevation, distance, aim_error = measure.light_geometry(obj, focus)
        report.add(Claim(f"{role} azimuth", light_spec.azimuth_deg, azimuth, "±1 deg",
                         _angle_difference(azimuth, light_spec.azimuth_deg) <= ANGLE_TOLERANCE_DEG, "deg", "scene transform"))
        report.add(Claim(f"{role} elevation", light_spec.elevation_deg, elevation, "±1 deg",
                         _within(light_spec.elevation_deg, elevation, ANGLE_TOLERANCE_DEG), "deg", "scene transform"))
        report.add(Claim(f"{role} distance", light_spec.distance.metres, distance, "±0.01 m",
                         _within(light_spec.distance.metres, distance, DISTANCE_TOLERANCE_M), "m", "scene transform"))
        report.add(Claim(f"{role} aimed at focus", 0.0, aim_error, "±1 deg",
                         aim_error <= ANGLE_TOLERANCE_DEG, "deg", "angle between the light's axis and the focus"))
    key = readings.get("key")
    if key is not None:
        level = stops_from_irradiance(key) if key > 0 else -math.inf
        report.add(Claim("key level (E = pi)", 0.0, level, "±0.1 stop", _within(0.0, level, STOPS_TOLERANCE),
                         "stops", "probe render: white card at focus"))
    for role in ("fill", "rim"):
        if role not in readings:
            continue
        light_spec = getattr(spec.lights, role)
        if key is None or key <= 0 or readings[role] <= 0:
            report.add(Claim(f"key:{role}", light_spec.stops, "no reading", "±0.1 stop", False, "stops"))
            continue
        stops = math.log2(readings[role] / key)
        report.add(Claim(f"key:{role}", light_spec.stops, stops, "±0.1 stop", _within(light_spec.stops, stops, STOPS_TOLERANCE),
                         "stops", "probe renders: white card at focus, each light alone"))


def _backdrop_claims(spec: Spec, scene: bpy.types.Scene, focus: Vec3, report: VerifyReport) -> None:
    background = spec.background
    cyclorama = find_one(scene, "cyclorama")
    if cyclorama is None:
        report.add(Claim("cyclorama", "present", "missing", "exists", False))
        return
    wanted = spec.subject.distance_to_background.metres
    distance = measure.backdrop_distance(cyclorama, focus)
    report.add(Claim("subject to background", wanted, distance, "±0.01 m", _within(wanted, distance, DISTANCE_TOLERANCE_M),
                     "m", "ray cast from focus to the cyclorama"))
    if background.mode == "extraction":
        with measure.small_render(scene, PROBE_WIDTH_PX, PROBE_SAMPLES):
            exact = measure.backdrop_exactness(scene, cyclorama, background.color.rgb)
        report.add(Claim(f"backdrop exactly {background.color.hex} (±1 level)", BACKDROP_EXACT_SHARE * 100.0,
                         exact.fraction * 100.0, "≥ 99.5 %", exact.fraction >= BACKDROP_EXACT_SHARE, "%",
                         f"8-bit render, {exact.pixels} backdrop px >4 px from the subject, worst error {exact.worst_error}"))
    elif background.mode == "gradient":
        light = find_one(scene, "background_light")
        if light is None or scene.camera is None:
            report.add(Claim("background light", "present", "missing", "exists", False))
            return
        edges = measure.gradient_edges(scene, background.gradient.side, focus, luminance(background.color.linear))
        report.add(Claim(f"backdrop gradient from {background.gradient.side}", background.gradient.stops, edges.stops,
                         "±0.1 stop", _within(background.gradient.stops, edges.stops, STOPS_TOLERANCE), "stops",
                         "probe render: frame edges on the eye row, background light alone"))
        level = stops_from_irradiance(edges.bright_irradiance) if edges.bright_irradiance > 0 else -math.inf
        report.add(Claim("backdrop bright edge vs key", background.level_stops, level, "±0.1 stop",
                         _within(background.level_stops, level, STOPS_TOLERANCE), "stops",
                         "wall luminance / albedo at the bright edge"))


def _camera_claims(spec: Spec, scene: bpy.types.Scene, report: VerifyReport) -> None:
    camera = scene.camera
    if camera is None or camera.type != "CAMERA":
        report.add(Claim("camera", "present", "missing", "exists", False))
        return
    data = camera.data
    report.add(Claim("focal length", spec.camera.focal_length_mm, float(data.lens), "±0.01 mm",
                     _within(spec.camera.focal_length_mm, float(data.lens), 0.01), "mm", "scene camera"))
    report.add(Claim("f-number", spec.camera.f_number, float(data.dof.aperture_fstop), "±0.01",
                     _within(spec.camera.f_number, float(data.dof.aperture_fstop), 0.01) and bool(data.dof.use_dof),
                     "", "scene camera (depth of field on)"))
