"""One measurer per claim pattern of ``core.claim_coverage.MEASURED``: each takes a prompt claim
and the scene and returns the checked rows for it.

Tolerance of a row: the claim's own (``core.prompt.claims.TOLERANCES``: how far the scene may be
from the value while the phrase stays true), tightened where the studio promises more: stops
+-0.1, angles +-1 deg, distances +-1 cm, lens +-0.01 mm, f-number +-0.01. Class words (size
class, framing) pass when the measured value falls in the word's band; choices when the scene
shows the same choice; RGB exactly.

Probe renders are made once per verify and shared (``Measuring``): the incident meter per light,
the extraction exactness render, the gradient edges.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import bpy
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector

from ...core.claim_coverage import ON_SCREEN
from ...core.color import Color8
from ...core.framing import EYES_FROM_TOP, FRAME_HEIGHT_M
from ...core.meter.emitter import SphereEmitter
from ...core.meter.exposure import stops_from_irradiance
from ...core.prompt import phrases as ph
from ...core.prompt.claims import Claim
from ...core.prompt.visibility import FEATURES, MIN_PIXELS, feature_mm
from ...core.spec import Spec
from ...core.vec import Vec3
from ..contract import deflector_of, find_one
from ..measure import probe as measure
from ..measure.meter import distance_to, luminance, rig_emitter
from ..measure.occlusion import Occlusion, link_includes, occlusion
from ..narrow import camera_of, color_socket, light_of, present
from ..readback import RIG_LIGHTS, SHAPES_BACK, modifier_in_scene
from . import bounce, catchlights, hairstyle, patterns, sitter
from . import chain as chain_readings
from . import materials as material_readings
from .report import Check, Value

STOPS_TOLERANCE = 0.1
ANGLE_TOLERANCE_DEG = 1.0
DISTANCE_TOLERANCE_M = 0.01
LENS_TOLERANCE_MM = 0.01
FSTOP_TOLERANCE = 0.01
BACKDROP_EXACT_SHARE = 0.995
EYE_LINE_TOLERANCE = 0.05  # of the frame height, around one third from the top
SKIN_FIT_RESIDUAL = 0.01  # a skin colour further than 1 % from the model is not a melanin
CHAIN_STYLE_TOLERANCE_MM = 0.1
BAND_SLACK = 1e-6  # relative: float32 sizes and positions, so a value on a class edge stays in it
PROBE_WIDTH_PX = 96
PROBE_SAMPLES = 4

METRES_IN: dict[str, float] = {"m": 1.0, "ft": 0.3048, "in": 0.0254, "cm": 0.01, "mm": 0.001}
UNIT_SHOWN: dict[str, str] = {"f/": ""}  # an f-number is a bare number after "f/"
RIG: tuple[str, ...] = ("key", "fill", "rim")


@dataclass
class Measuring:
    """The scene being verified and the probe renders made so far (each made once)."""

    spec: Spec
    scene: bpy.types.Scene
    focus: Vec3
    _cache: dict[str, Any] = field(default_factory=dict)

    def obj(self, role: str) -> bpy.types.Object | None:
        return find_one(self.scene, role)

    def light(self, role: str) -> bpy.types.Object | None:
        """The role's light (area, point or spot) if it renders (a light hidden from renders lights nothing)."""
        obj = self.obj(role)
        if obj is None or not isinstance(obj.data, RIG_LIGHTS) or obj.hide_render:
            return None
        return obj

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def reading(self, role: str) -> float:
        """Incident-meter probe reading of one light at the focus, times the share of it that no
        occluder in the scene blocks (``measure.occlusion``): a light the floor hides reads 0."""
        light = self.light(role)
        assert light is not None
        return float(self.cached(f"meter:{role}", lambda: measure.metered_irradiance(light, self.focus)
                                 * self.occlusion(role).unblocked))

    def occlusion(self, role: str) -> Occlusion:
        light = self.light(role)
        assert light is not None
        return cast(Occlusion, self.cached(f"occlusion:{role}", lambda: occlusion(self.scene, light, self.focus)))


# --- rows -----------------------------------------------------------------------------------

def _tolerance(claim: Claim, studio: float | None) -> float:
    options = [t for t in (claim.tolerance, studio) if t is not None]
    return min(options) if options else 0.0


def _angle_difference(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def numeric(claim: Claim, name: str, measured: float, how: str, studio: float | None = None,
            wrap: bool = False, extra_ok: bool = True, shown: Value | None = None) -> Check:
    """A number checked against the claim's value within the (tightened) tolerance."""
    value = float(cast(float, claim.value))
    tol = _tolerance(claim, studio)
    diff = _angle_difference(measured, value) if wrap else abs(measured - value)
    passed = math.isfinite(measured) and diff <= tol + 1e-9 and extra_ok
    unit = UNIT_SHOWN.get(claim.unit, claim.unit)
    return Check(name=name, spec=value, measured=measured if shown is None else shown, tolerance=f"±{tol:.3g} {unit}".rstrip(),
                 passed=passed, unit=unit, how=how, path=claim.path, phrase=claim.phrase)


def shown_value(value: object) -> Value:
    """A claim value as a report cell: numbers stay numbers; choices, flags, RGB and
    resolutions become text ("true", "255/0/128", "1024 x 1280")."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, tuple):
        return "/".join(map(str, value)) if len(value) == 3 else " x ".join(map(str, value))
    return str(value)


def choice(claim: Claim, name: str, measured: Value, passed: bool, how: str, tolerance: str = "same") -> Check:
    return Check(name=name, spec=shown_value(claim.value), measured=measured, tolerance=tolerance, passed=passed, how=how,
                 path=claim.path, phrase=claim.phrase)


def missing(claim: Claim, name: str, what: str) -> Check:
    return Check(name=name, spec=shown_value(claim.value), measured=f"no {what}", tolerance="exists", passed=False, unit=claim.unit,
                 path=claim.path, phrase=claim.phrase)


def _role(claim: Claim) -> str:
    return claim.path.split(".")[1]


def _last(claim: Claim) -> str:
    return claim.path.split(".")[-1]


# --- lights ---------------------------------------------------------------------------------

def _light_geometry(claim: Claim, m: Measuring) -> list[Check]:
    role, quantity = _role(claim), _last(claim)
    light = m.light(role)
    name = {"azimuth_deg": "azimuth", "elevation_deg": "elevation", "distance": "distance"}[quantity]
    if light is None:
        return [missing(claim, f"{role} {name}", f"{role} area light that renders")]
    azimuth, elevation, distance, _aim = measure.light_geometry(light, m.focus)
    how = "scene transform around the focus"
    if quantity == "azimuth_deg":
        return [numeric(claim, f"{role} azimuth", azimuth, how, ANGLE_TOLERANCE_DEG, wrap=True)]
    if quantity == "elevation_deg":
        return [numeric(claim, f"{role} elevation", elevation, how, ANGLE_TOLERANCE_DEG)]
    per = METRES_IN[claim.unit]
    return [numeric(claim, f"{role} distance", distance / per, how, DISTANCE_TOLERANCE_M / per)]


def _light_stops(claim: Claim, m: Measuring) -> list[Check]:
    role = _role(claim)
    name = f"key:{role}" if claim.unit == "stops" else f"key:{role} ratio"
    key, light = m.light("key"), m.light(role)
    if key is None or light is None:
        return [missing(claim, name, "key area light" if key is None else f"{role} area light")]
    key_reading, reading = m.reading("key"), m.reading(role)
    how = "probe renders: white card at focus, each light alone; x the share no occluder blocks (ray casts)"
    blocked = [f"{r} {100.0 * (1.0 - o.unblocked):.0f}% blocked by {', '.join(o.blockers)}"
               for r, o in (("key", m.occlusion("key")), (role, m.occlusion(role))) if o.blockers]
    if key_reading <= 0 or reading <= 0:
        measured = "no reading" + (f" ({'; '.join(blocked)})" if blocked else "")
        return [Check(name=name, spec=float(cast(float, claim.value)), measured=measured, tolerance="±0.1 stop", passed=False,
                      unit=claim.unit, how=how, path=claim.path, phrase=claim.phrase)]
    stops = math.log2(reading / key_reading)
    if claim.unit == "stops":
        shown: Value | None = f"{stops:.2f} ({'; '.join(blocked)})" if blocked else None
        return [numeric(claim, name, stops, how, STOPS_TOLERANCE, shown=shown)]
    ratio = 2.0 ** -stops
    studio = float(cast(float, claim.value)) * (2.0 ** STOPS_TOLERANCE - 1.0)  # 0.1 stop as a ratio
    shown = f"{ratio:.2f} ({'; '.join(blocked)})" if blocked else None
    return [numeric(claim, name, ratio, how, studio, shown=shown)]


def _light_temperature(claim: Claim, m: Measuring) -> list[Check]:
    role = _role(claim)
    light = m.light(role)
    if light is None:
        return [missing(claim, f"{role} colour temperature", f"{role} area light")]
    data = light_of(light)
    colour = (float(data.color.r), float(data.color.g), float(data.color.b))
    white = all(abs(c - 1.0) <= 1e-3 for c in colour)
    if not data.use_temperature:
        return [choice(claim, f"{role} colour temperature", "no temperature (RGB colour only)", False, "light data")]
    shown: Value | None = None if white else "{:.0f} K through an RGB {:.2f}/{:.2f}/{:.2f} gel".format(data.temperature, *colour)
    return [numeric(claim, f"{role} colour temperature", float(data.temperature), "light data: temperature, colour white",
                    extra_ok=white, shown=shown)]


def _light_spread(claim: Claim, m: Measuring) -> list[Check]:
    role = _role(claim)
    light = m.light(role)
    if light is None:
        return [missing(claim, f"{role} grid", f"{role} area light")]
    data = light_of(light)
    if isinstance(data, bpy.types.SpotLight):
        return [numeric(claim, f"{role} beam", math.degrees(float(data.spot_size)), "light data: spot size", ANGLE_TOLERANCE_DEG)]
    spread = math.degrees(float(data.spread)) if isinstance(data, bpy.types.AreaLight) else 180.0
    return [numeric(claim, f"{role} grid", spread, "light data: spread", ANGLE_TOLERANCE_DEG)]


def _light_modifier(claim: Claim, m: Measuring) -> list[Check]:
    """The modifier the light is (``readback.modifier_in_scene``: the one stored on it while its
    light type and a beauty dish's deflector still fit it)."""
    role = _role(claim)
    light = m.light(role)
    if light is None:
        return [missing(claim, f"{role} modifier", f"{role} light that renders")]
    found = modifier_in_scene(light)
    data = light_of(light)
    shown = f"{found} ({data.type.lower()} light{', deflector' if deflector_of(light) is not None else ''})"
    return [choice(claim, f"{role} modifier", shown, found == claim.value,
                   "modifier stored on the light, checked against its light type and deflector")]


def _light_size(claim: Claim, m: Measuring) -> list[Check]:
    role = _role(claim)
    light = m.light(role)
    name = f"{role} apparent size"
    if light is None:
        return [missing(claim, name, f"{role} area light")]
    emitter = rig_emitter(light)
    apparent = math.sqrt(emitter.area) / distance_to(light, m.focus)
    lo, hi = claim.band or (None, None)
    slack = BAND_SLACK * apparent
    in_band = (lo is None or apparent >= lo - slack) and (hi is None or apparent < hi - slack)
    data = light_of(light)
    if isinstance(emitter, SphereEmitter):
        across = (2.0 * emitter.radius, 2.0 * emitter.radius)
        shape: str = "disk"
    else:
        across = (emitter.len_u, emitter.len_v)
        shape = SHAPES_BACK.get(data.shape, "rectangle") if isinstance(data, bpy.types.AreaLight) else "rectangle"
    if shape in ("square", "disk") and abs(across[0] - across[1]) > 1e-4:
        shape = "rectangle" if shape == "square" else "ellipse"  # scaled unevenly
    modifier = ph.modifier_word(modifier_in_scene(light), shape, *across)
    stated = f"{claim.stated} "
    same_modifier = not claim.phrase.startswith(stated) or claim.phrase[len(stated):] == modifier
    band = f"[{lo if lo is not None else 0:g}, {hi if hi is not None else math.inf:g})"
    word = ph.size_class(apparent + slack)
    measured = f"{apparent:.3f} ({word} {modifier}, {across[0]:.2f} x {across[1]:.2f} m)"
    return [Check(name=name, spec=float(cast(float, claim.value)), measured=measured, tolerance=f"{claim.stated}: {band}",
                  passed=in_band and same_modifier, unit=claim.unit,
                  how="sqrt(emitting area incl. object scale) / distance; modifier from shape", path=claim.path, phrase=claim.phrase)]


# --- camera and render ----------------------------------------------------------------------

def _camera(m: Measuring) -> bpy.types.Object | None:
    cam = m.scene.camera
    return cam if cam is not None and isinstance(cam.data, bpy.types.Camera) else None


def _focal_length(claim: Claim, m: Measuring) -> list[Check]:
    cam = _camera(m)
    if cam is None:
        return [missing(claim, "focal length", "scene camera")]
    data = camera_of(cam)
    return [numeric(claim, "focal length", float(data.lens), "scene camera", LENS_TOLERANCE_MM)]


def _f_number(claim: Claim, m: Measuring) -> list[Check]:
    cam = _camera(m)
    if cam is None:
        return [missing(claim, "f-number", "scene camera")]
    settings = present(camera_of(cam).dof, f"camera {cam.name!r} depth of field")
    dof = bool(settings.use_dof)
    shown: Value | None = None if dof else "depth of field off"
    return [numeric(claim, "f-number", float(settings.aperture_fstop), "scene camera (depth of field on)", FSTOP_TOLERANCE,
                    extra_ok=dof, shown=shown)]


def _camera_height(claim: Claim, m: Measuring) -> list[Check]:
    cam = _camera(m)
    if cam is None:
        return [missing(claim, "camera height", "scene camera")]
    z = float(cam.matrix_world.translation.z)
    if claim.value == "eye_level":
        offset = z - m.focus[2]
        return [choice(claim, "camera height", f"{offset * 100.0:+.1f} cm from the eyes' height",
                       abs(offset) <= DISTANCE_TOLERANCE_M, "camera z against the focus z", "±1 cm")]
    per = METRES_IN[claim.unit]
    return [numeric(claim, "camera height", z / per, "camera z above the floor (z = 0)", DISTANCE_TOLERANCE_M / per)]


def _framing(claim: Claim, m: Measuring) -> list[Check]:
    cam = _camera(m)
    if cam is None:
        return [missing(claim, "framing", "scene camera")]
    m.scene.view_layers[0].update()
    up = (cam.matrix_world.to_3x3() @ Vector((0.0, 1.0, 0.0))).normalized()  # the camera's up, in the world
    focus = Vector(m.focus)
    v_eye = float(world_to_camera_view(m.scene, cam, focus).y)
    v_up = float(world_to_camera_view(m.scene, cam, focus + up * 0.1).y)
    frame_h = 0.1 / (v_up - v_eye) if v_up != v_eye else math.inf
    nearest = min(FRAME_HEIGHT_M, key=lambda k: abs(math.log(FRAME_HEIGHT_M[k] / frame_h)) if frame_h > 0 else math.inf)
    eyes_from_top = 1.0 - v_eye
    ok = nearest == claim.value and abs(eyes_from_top - EYES_FROM_TOP) <= EYE_LINE_TOLERANCE
    measured = f"{nearest} ({frame_h:.2f} m frame at the eyes, eyes {eyes_from_top:.2f} from the top)"
    return [choice(claim, "framing", measured, ok, "projection through the scene camera",
                   f"nearest framing; eyes {EYES_FROM_TOP:.2f} ± {EYE_LINE_TOLERANCE:g}")]


def _output_size(m: Measuring) -> tuple[int, int]:
    r = m.scene.render
    pct = r.resolution_percentage / 100.0
    return round(r.resolution_x * pct), round(r.resolution_y * pct)


def _aspect(claim: Claim, m: Measuring) -> list[Check]:
    w, h = _output_size(m)
    if claim.rule == "orientation":  # "vertical": what OpenAI's fixed sizes are chosen by
        shown = ph.orientation(w, h)
        return [choice(claim, "orientation", f"{w} x {h} px ({shown})", shown == claim.stated, "scene output resolution")]
    a, _, b = str(claim.stated).partition(":")
    stated = float(a) / float(b)
    ok = abs(w / h - stated) <= 0.5 / h
    return [choice(claim, "aspect", f"{w} x {h} px ({ph.ratio_from_resolution(w, h)})", ok, "scene output resolution",
                   "½ px")]


# --- backdrop -------------------------------------------------------------------------------

def _background_distance(claim: Claim, m: Measuring) -> list[Check]:
    cyclorama = m.obj("cyclorama")
    if cyclorama is None:
        return [missing(claim, "subject to background", "cyclorama")]
    per = METRES_IN[claim.unit]
    distance = measure.backdrop_distance(cyclorama, m.focus)
    return [numeric(claim, "subject to background", distance / per, "ray cast from focus to the cyclorama",
                    DISTANCE_TOLERANCE_M / per)]


def _surface_node(cyclorama: bpy.types.Object) -> bpy.types.Node | None:
    mat = cyclorama.active_material
    if mat is None or mat.node_tree is None:
        return None
    out = next((n for n in mat.node_tree.nodes if n.type == "OUTPUT_MATERIAL" and n.inputs["Surface"].is_linked), None)
    if out is None:
        return None
    links = out.inputs["Surface"].links
    return links[0].from_node if links else None


def _background_color(claim: Claim, m: Measuring) -> list[Check]:
    cyclorama = m.obj("cyclorama")
    rgb = cast(tuple[int, int, int], tuple(cast(tuple[int, ...], claim.value)))
    name = "backdrop colour"
    if cyclorama is None:
        return [missing(claim, name, "cyclorama")]
    wanted = shown_value(rgb)
    if m.spec.background.mode == "extraction":
        def render() -> measure.BackdropExactness:
            with measure.small_render(m.scene, PROBE_WIDTH_PX, PROBE_SAMPLES):
                return measure.backdrop_exactness(m.scene, cyclorama, rgb)
        exact = m.cached("exactness", render)
        measured = f"{exact.fraction * 100.0:.2f} % of {exact.pixels} px within ±1 (worst {exact.worst_error})"
        return [Check(name=f"backdrop exactly {Color8(*rgb).hex} (±1 level)", spec=wanted, measured=measured,
                      tolerance=f"≥ {BACKDROP_EXACT_SHARE * 100:g} % within ±1 level", passed=exact.fraction >= BACKDROP_EXACT_SHARE,
                      how="8-bit render, backdrop px >4 px from the subject", path=claim.path, phrase=claim.phrase)]
    node = _surface_node(cyclorama)
    colour = node.inputs["Color"] if node is not None and "Color" in node.inputs else None  # a shader may have none
    if colour is None or colour.is_linked or colour.type != "RGBA":
        return [missing(claim, name, "plain backdrop paint colour")]
    c = color_socket(colour).default_value
    got = Color8.from_linear((float(c[0]), float(c[1]), float(c[2]))).rgb
    return [choice(claim, "backdrop paint", shown_value(got), got == rgb, "cyclorama material colour (8-bit sRGB)",
                   "exact")]


def _receives(light: bpy.types.Object, target: bpy.types.Object) -> bool:
    """Whether light linking lets ``light`` reach ``target``."""
    return link_includes(light.light_linking.receiver_collection, target)


def _background_mode(claim: Claim, m: Measuring) -> list[Check]:
    cyclorama = m.obj("cyclorama")
    name = "backdrop isolation" if claim.value == "extraction" else "backdrop lit by the rig"
    if cyclorama is None:
        return [missing(claim, name, "cyclorama")]
    node = _surface_node(cyclorama)
    emission_only = node is not None and node.type == "EMISSION"
    rig = {r: light for r in RIG if (light := m.light(r)) is not None}
    lights = list(rig)
    reached = [r for r, light in rig.items() if _receives(light, cyclorama)]
    if claim.value == "extraction":
        seen_by_camera_only = cyclorama.visible_camera and not any(
            (cyclorama.visible_diffuse, cyclorama.visible_glossy, cyclorama.visible_transmission, cyclorama.visible_volume_scatter))
        no_spill = emission_only or not reached
        measured = (f"{'camera rays only' if seen_by_camera_only else 'seen by other rays'}; "
                    f"{'emission only' if emission_only else 'reflective'}; lights reaching it: {', '.join(reached) or 'none'}")
        return [choice(claim, name, measured, seen_by_camera_only and no_spill,
                       "ray visibility, backdrop shader, light linking", "no light in or out")]
    lit = node is not None and not emission_only and cyclorama.visible_diffuse and cyclorama.visible_shadow
    measured = f"{'reflective paper' if lit else 'not lit paper'}; lights reaching it: {', '.join(reached) or 'none'}"
    return [choice(claim, name, measured, lit and reached == lights, "backdrop shader, ray visibility, light linking",
                   "every rig light")]


def _gradient(m: Measuring) -> measure.GradientEdges | None:
    if m.obj("background_light") is None or m.obj("cyclorama") is None or m.scene.camera is None:
        return None
    bg = m.spec.background
    return cast(measure.GradientEdges, m.cached("gradient", lambda: measure.gradient_edges(
        m.scene, bg.gradient.side, m.focus, luminance(bg.color.linear))))


def _gradient_stops(claim: Claim, m: Measuring) -> list[Check]:
    edges = _gradient(m)
    name = f"backdrop gradient from {m.spec.background.gradient.side}"
    if edges is None:
        return [missing(claim, name, "background light, cyclorama or camera")]
    return [numeric(claim, name, edges.stops, "probe render: frame edges on the eye row, background light alone",
                    STOPS_TOLERANCE)]


def _gradient_side(claim: Claim, m: Measuring) -> list[Check]:
    edges = _gradient(m)
    if edges is None:
        return [missing(claim, "gradient bright side", "background light, cyclorama or camera")]
    side = str(claim.value)
    other = "right" if side == "left" else "left"
    measured = side if edges.bright > edges.dark else other
    return [choice(claim, "gradient bright side", measured, measured == side, "probe render: brighter frame edge")]


def _gradient_level(claim: Claim, m: Measuring) -> list[Check]:
    edges = _gradient(m)
    if edges is None:
        return [missing(claim, "backdrop bright edge vs key", "background light, cyclorama or camera")]
    level = stops_from_irradiance(edges.bright_irradiance) if edges.bright_irradiance > 0 else -math.inf
    return [numeric(claim, "backdrop bright edge vs key", level, "wall luminance / albedo at the bright edge", STOPS_TOLERANCE)]


# --- skin -----------------------------------------------------------------------------------

def _regions_ok(claimed: tuple[str, ...], found: tuple[str, ...]) -> bool:
    return tuple(sorted(claimed)) == found


def _skin_material(m: Measuring) -> bpy.types.Material | None:
    return material_readings.find_material(m.scene, ("subject",), "skin_bsdf")


def _regional(claim: Claim, m: Measuring, name: str, reading: tuple[float, tuple[str, ...]] | None,
              regions: tuple[str, ...], how: str) -> list[Check]:
    if reading is None:
        return [missing(claim, name, f"{name} in the skin material")]
    value, found = reading
    ok = _regions_ok(regions, found)
    shown: Value | None = None if ok else f"{value:.3f} {claim.unit} on {', '.join(found) or 'no region'}".replace("  ", " ")
    return [numeric(claim, name, value, f"{how}; regions {', '.join(found) or '(everywhere)'}", extra_ok=ok, shown=shown)]


def _skin(claim: Claim, m: Measuring) -> list[Check]:
    mat = _skin_material(m)
    path = claim.path
    if mat is None:
        return [missing(claim, path.removeprefix("skin."), "subject with the skin material (skin_bsdf)")]
    blocked = material_readings.output_problem(mat, "skin_bsdf")
    if blocked is not None:
        return [choice(claim, path.removeprefix("skin."), f"no effect: {blocked}", False, "the skin material's output")]
    skin = m.spec.skin
    if path == "skin.tone.melanin":
        fit = material_readings.skin_tone(mat)
        if fit is None:
            return [missing(claim, "melanin", "skin_tone colour feeding skin_bsdf")]
        on_model = fit.residual <= SKIN_FIT_RESIDUAL
        shown: Value | None = None if on_model else f"no melanin/haemoglobin mix gives this colour (off by {fit.residual:.1%})"
        return [numeric(claim, "melanin", fit.melanin * 100.0,
                        f"skin_tone colour fitted: melanin {fit.melanin:.4f}, haemoglobin {fit.haemoglobin:.4f}",
                        extra_ok=on_model, shown=shown)]
    if path == "skin.pores.diameter_mm":
        return _regional(claim, m, "pore diameter", material_readings.pore_diameter_mm(mat), skin.pores.regions,
                         "pore_profile radius x 2 / pore_cells scale")
    if path == "skin.vellus_hair.visible":
        hair = material_readings.vellus_length_mm(mat)
        if hair is None:
            return [missing(claim, "vellus sheen", "vellus sheen in the skin material")]
        length, _clamped, found = hair
        ok = length > 0.0 and _regions_ok(skin.vellus_hair.regions, found)
        return [choice(claim, "vellus sheen", f"sheen for {length:.2f} mm hairs on {', '.join(found) or 'no region'}", ok,
                       "vellus_sheen weight and region mask")]
    if path == "skin.vellus_hair.length_mm":
        hair = material_readings.vellus_length_mm(mat)
        if hair is None:
            return [missing(claim, "vellus hair length", "vellus sheen in the skin material")]
        length, clamped, found = hair
        value = float(cast(float, claim.value))
        if clamped:  # the weight saturates: only "at least" is measurable
            ok = value >= length - 1e-6 and _regions_ok(skin.vellus_hair.regions, found)
            return [choice(claim, "vellus hair length", f"≥ {length:.3f} mm (sheen weight 1)", ok, "sheen weight", "≥")]
        return _regional(claim, m, "vellus hair length", (length, found), skin.vellus_hair.regions,
                         "sheen weight / (density x diameter)")
    if path == "skin.sebum.roughness":
        return _regional(claim, m, "sebum roughness", material_readings.sebum_roughness(mat), skin.sebum.regions,
                         "roughness_sebum value")
    if path == "skin.subsurface.thin_radius_mm":
        weight = material_readings.subsurface_weight(mat)
        if weight != material_readings.SUBSURFACE_WEIGHT:
            shown_weight = "driven by a link" if weight is None else f"{weight:g}"
            return [choice(claim, "thin-region subsurface radius", f"subsurface weight {shown_weight} "
                           f"(the radius takes full effect at {material_readings.SUBSURFACE_WEIGHT:g})", False,
                           "skin_bsdf Subsurface Weight")]
        return _regional(claim, m, "thin-region subsurface radius", material_readings.thin_radius_mm(mat),
                         skin.subsurface.thin_regions, "subsurface_radius red x subsurface scale")
    region = _last(claim)
    regions = () if region == "default" else (region,)
    how = "skin_bsdf base roughness" if region == "default" else f"roughness_{region} value"
    return _regional(claim, m, f"skin roughness {region}", material_readings.skin_roughness(mat, region), regions, how)


# --- jewelry --------------------------------------------------------------------------------

def _jewelry(claim: Claim, m: Measuring) -> list[Check]:
    path = claim.path
    if path.startswith("jewelry.chain."):
        return _chain(claim, m)
    mat = material_readings.find_material(m.scene, ("chain", "subject"), "gold_bsdf")
    name = {"jewelry.karat": "gold alloy", "jewelry.finish": "gold finish", "jewelry.facet_size_mm": "hammer facet size",
            "jewelry.roughness": "gold roughness", "jewelry.micro_scratches": "micro-scratches"}[path]
    if mat is None:
        return [missing(claim, name, "chain or subject with the gold material (gold_bsdf)")]
    blocked = material_readings.output_problem(mat, "gold_bsdf")
    if blocked is not None:
        return [choice(claim, name, f"no effect: {blocked}", False, "the gold material's output")]
    gold = material_readings.gold(mat)
    how = "gold_bsdf"
    if path == "jewelry.karat":
        measured = gold.karat or "n {:.3f}/{:.3f}/{:.3f}, k {:.3f}/{:.3f}/{:.3f}".format(*gold.n, *gold.k)
        if not gold.conductor:
            measured += " (not a physical conductor: n and k unused)"
        return [choice(claim, name, measured, gold.karat == claim.value and gold.conductor,
                       "gold_bsdf n and k against core.gold_optics", "n, k ±1e-4")]
    if path == "jewelry.finish":
        return [choice(claim, name, gold.finish, gold.finish == claim.value, "nodes feeding gold_bsdf's normal")]
    if path == "jewelry.facet_size_mm":
        if gold.facet_mm is None:
            return [missing(claim, name, "hammer facets on the gold")]
        return [numeric(claim, name, gold.facet_mm, "1 / hammer_facets scale")]
    if path == "jewelry.roughness":
        if gold.roughness is None:
            return [missing(claim, name, "plain base roughness on the gold")]
        return [numeric(claim, name, gold.roughness, f"{how} roughness (unscratched)")]
    return [choice(claim, name, str(gold.scratches).lower(), gold.scratches == claim.value,
                   "scratch lines feeding gold_bsdf roughness and normal")]


def _chain(claim: Claim, m: Measuring) -> list[Check]:
    path = claim.path
    name = {"jewelry.chain.style": "chain style", "jewelry.chain.link_length_mm": "link length",
            "jewelry.chain.wire_gauge_mm": "wire gauge", "jewelry.chain.length": "chain length"}[path]
    obj = m.obj("chain")
    reading = chain_readings.read_chain(obj) if obj is not None else None
    if reading is None:
        return [missing(claim, name, "chain object with links")]
    if path == "jewelry.chain.style":
        ok = reading.style == claim.value and reading.style_error_mm <= CHAIN_STYLE_TOLERANCE_MM
        measured = f"{reading.style} (link {reading.width_mm:.2f} mm wide, {reading.thickness_mm:.2f} mm thick)"
        return [choice(claim, name, measured, ok, "link mesh width and thickness against each style",
                       f"±{CHAIN_STYLE_TOLERANCE_MM:g} mm")]
    if path == "jewelry.chain.link_length_mm":
        return [numeric(claim, name, reading.outer_mm, "link mesh outer length")]
    if path == "jewelry.chain.wire_gauge_mm":
        return [numeric(claim, name, reading.wire_mm, "link mesh (outer length - inner opening) / 2")]
    per = METRES_IN[claim.unit]
    return [numeric(claim, name, reading.length_mm / 1000.0 / per,
                    f"{reading.links} links x {reading.inner_mm:.3f} mm pitch")]


Measurer = Callable[[Claim, Measuring], list[Check]]


# --- detail a pixel can show ----------------------------------------------------------------

def pixel_mm(m: Measuring) -> float | None:
    """Millimetres one output pixel spans at the focus, through the scene camera as it is."""
    cam = _camera(m)
    if cam is None:
        return None
    m.scene.view_layers[0].update()
    up = (cam.matrix_world.to_3x3() @ Vector((0.0, 1.0, 0.0))).normalized()  # the camera's up, in the world
    focus = Vector(m.focus)
    span = float(world_to_camera_view(m.scene, cam, focus + up * 0.1).y - world_to_camera_view(m.scene, cam, focus).y)
    if span <= 0.0:
        return None
    return 0.1 / span * 1000.0 / _output_size(m)[1]


def _on_screen(claim: Claim, m: Measuring) -> Check:
    """The claimed feature spans at least MIN_PIXELS in the render (core.prompt.visibility)."""
    name = f"{FEATURES[claim.path]} on screen"
    size = feature_mm(claim.path, float(cast(float, claim.value)))
    footprint = m.cached("pixel_mm", lambda: pixel_mm(m))
    if footprint is None:
        return missing(claim, name, "scene camera seeing the focus")
    pixels = size / footprint
    return Check(name=name, spec=size, measured=f"{pixels:.2f} px ({footprint:.3f} mm per px at the focus)",
                 tolerance=f"≥ {MIN_PIXELS:g} px", passed=pixels >= MIN_PIXELS, unit="mm",
                 how="scene camera frame height at the focus / output height", path=claim.path, phrase=claim.phrase)


def _with_on_screen(measure: Measurer) -> Measurer:
    def both(claim: Claim, m: Measuring) -> list[Check]:
        return [*measure(claim, m), _on_screen(claim, m)]
    return both

MEASURERS: dict[str, Measurer] = {
    "camera.framing": _framing,
    "camera.focal_length_mm": _focal_length,
    "camera.f_number": _f_number,
    "camera.height": _camera_height,
    "lights.*.apparent_size": _light_size,
    "lights.*.spread_deg": _light_spread,
    "lights.*.azimuth_deg": _light_geometry,
    "lights.*.elevation_deg": _light_geometry,
    "lights.*.distance": _light_geometry,
    "lights.*.stops": _light_stops,
    "lights.*.temperature_k": _light_temperature,
    "lights.*.modifier": _light_modifier,
    "lights.bounce.apparent_size": bounce.bounce_claim,
    "lights.bounce.kind": bounce.bounce_claim,
    "lights.bounce.azimuth_deg": bounce.bounce_claim,
    "lights.bounce.elevation_deg": bounce.bounce_claim,
    "lights.bounce.stops": bounce.bounce_claim,
    "lights.flag.enabled": bounce.flag_claim,
    "lights.flag.azimuth_deg": bounce.flag_claim,
    "lights.flag.elevation_deg": bounce.flag_claim,
    "lights.key.pattern": patterns.pattern_claim,
    "lights.key.side": patterns.pattern_claim,
    "lights.*.catchlight_shape": catchlights.catchlight_claim,
    "lights.*.catchlight_clock": catchlights.catchlight_claim,
    "skin.tone.melanin": _skin,
    "skin.pores.diameter_mm": _skin,
    "skin.vellus_hair.length_mm": _skin,
    "skin.vellus_hair.visible": _skin,
    "skin.sebum.roughness": _skin,
    "skin.subsurface.thin_radius_mm": _skin,
    "skin.roughness.*": _skin,
    "jewelry.karat": _jewelry,
    "jewelry.finish": _jewelry,
    "jewelry.chain.style": _jewelry,
    "jewelry.chain.link_length_mm": _jewelry,
    "jewelry.chain.wire_gauge_mm": _jewelry,
    "jewelry.chain.length": _jewelry,
    "jewelry.facet_size_mm": _jewelry,
    "jewelry.roughness": _jewelry,
    "jewelry.micro_scratches": _jewelry,
    "background.color": _background_color,
    "background.mode": _background_mode,
    "background.gradient.stops": _gradient_stops,
    "background.gradient.side": _gradient_side,
    "background.level_stops": _gradient_level,
    "subject.distance_to_background": _background_distance,
    "render.resolution": _aspect,
    "subject.pose.head_yaw_deg": sitter.head_angle,
    "subject.pose.head_pitch_deg": sitter.head_angle,
    "subject.pose.head_roll_deg": sitter.head_angle,
    "subject.pose.body_turn_deg": sitter.head_angle,
    "subject.pose.gaze": sitter.gaze,
    "subject.pose.gaze_yaw_deg": sitter.gaze,
    "subject.pose.gaze_pitch_deg": sitter.gaze,
    "subject.expression.kind": sitter.expression,
    "subject.garment.color": sitter.garment_color,
    "subject.garment.fabric": sitter.garment_fabric,
    "subject.hair.melanin": sitter.hair,
    "subject.hair.style": hairstyle.style_claim,
    "subject.hair.parting": hairstyle.parting_claim,
    "subject.hair.greying": sitter.hair,
}
MEASURERS.update({path: _with_on_screen(MEASURERS[path]) for path in ON_SCREEN})


def studio_checks(m: Measuring) -> list[Check]:
    """Checks behind the claims that have no phrase of their own: every light aimed at the
    focus, and the key's level at the exposure target (``core.exposure``: E = pi)."""
    rows = []
    for role in RIG:
        light = m.light(role)
        if light is None or not getattr(m.spec.lights, role).enabled:
            continue
        aim = measure.light_geometry(light, m.focus)[3]
        rows.append(Check(name=f"{role} aimed at focus", spec=0.0, measured=aim, tolerance="±1 deg", passed=aim <= ANGLE_TOLERANCE_DEG,
                          unit="deg", how="angle between the light's axis and the focus"))
    flag = bounce.flag_effect_row(m)
    if flag is not None:
        rows.append(flag)
    if m.light("key") is not None and m.spec.lights.key.enabled:
        key = m.reading("key")
        level = stops_from_irradiance(key) if key > 0 else -math.inf
        rows.append(Check(name="key level (E = pi)", spec=0.0, measured=level, tolerance="±0.1 stop",
                          passed=math.isfinite(level) and abs(level) <= STOPS_TOLERANCE, unit="stops",
                          how="probe render: white card at focus"))
    return rows
