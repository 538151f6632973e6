"""What the prompt says, before any target words it: one fact per quantity, each a fragment of
text that every target quotes verbatim, recorded as a claim while it is worded.

Disabled lights and a disabled chain produce no facts, and millimetre detail smaller than a
pixel of the render is left out or worded as what shows (``visibility``). The target writers
(``targets/``) only arrange these fragments and add glue words; they never word a number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import catchlights as cl
from ..modifiers import KINDS, is_round, uses_height
from ..pattern_placement import lower_sources
from ..patterns import PATTERN_WORDS, predict, side
from ..reflector import placement as reflector_placement
from ..spec import PROMPT_TARGETS, SKIN_REGIONS, LightSpec, RigRole, Spec
from ..vec import length, sub
from . import phrases as ph
from .claims import ClaimLog
from .sitter import sitter_words
from .visibility import SCRATCH_WIDTH_MM, VELLUS_DIAMETER_MM, on_screen

ASPECT_TARGETS: tuple[str, ...] = ("midjourney", "structured")
ORIENTATION_TARGETS: tuple[str, ...] = ("dalle", "structured")
SPILL_TARGETS: tuple[str, ...] = ("flux", "dalle", "structured")  # a negation: not for Midjourney, nor SD tags
HEX_TARGETS: tuple[str, ...] = ("structured",)
FILL_LEVEL_TARGETS: tuple[str, ...] = ("midjourney", "flux", "dalle", "structured")  # SDXL says the ratio only
# Not Flux: its T5 budget (four fifths of 512 tokens) is full with the light, the sitter and the detail.
CATCHLIGHT_TARGETS: tuple[str, ...] = ("midjourney", "sdxl", "dalle", "structured")


@dataclass(frozen=True)
class SubjectFacts:
    who: str              # "a 32-year-old woman of average build" (``sitter``); "a sitter" otherwise
    tone: str             # "light skin of Fitzpatrick II and Monk 5 at 1.5% melanin"
    look: tuple[str, ...]  # the person's expression, head turn, gaze and clothing (``sitter``); () otherwise


@dataclass(frozen=True)
class CameraFacts:
    framing: str          # "head-and-shoulders"
    lens: str             # "105mm lens"
    aperture: str         # "f/5.6"
    height: str           # "at eye level" or "1.2 m above the floor"


@dataclass(frozen=True)
class LightFacts:
    role: str             # "key", "fill", "rim"
    source: str           # "large softbox"
    grid: str | None      # "with a 40° grid"
    direction: str        # "45° camera left and 45° up"
    distance: str         # "5 feet"
    level: str | None     # "metered 2 stops under the key"; None for the key
    ratio: str | None     # "4:1 key-to-fill"; fill only
    temperature: str      # "5600 K daylight"
    pattern: str | None = None  # "short Rembrandt lighting"; the key on a person only
    catchlight: str | None = None  # "rectangular catchlight at 10 o'clock"; a person's eyes only


@dataclass(frozen=True)
class SkinFacts:
    pores: str | None            # "visible 0.15 mm pores on the nasal bridge" (only when a pixel or more)
    vellus: str | None           # "vellus-hair sheen on the jawline"
    subsurface: str | None       # "3 mm subsurface scattering in the ears and nostrils"
    roughness: tuple[str, ...]   # ("0.3 on the cheekbones", "0.55 on the oily forehead", "0.63 elsewhere") or ("0.63 all over",)


@dataclass(frozen=True)
class JewelryFacts:
    chain: str                   # "18-inch 24k hammered gold cable chain"
    links: str | None            # "6 mm links in 1.2 mm wire"
    surface: str                 # "1.2 mm hammer facets at 0.12 roughness" or "polished to 0.12 roughness"
    scratches: str | None        # "highlights dulled where the links rub"


@dataclass(frozen=True)
class BackgroundFacts:
    mode: str
    cyclorama: str        # "seamless deep pink cyclorama"
    color: str            # "exact RGB 255/0/128" or "painted RGB 70/62/56"
    hex: str              # "#FF0080" (structured target)
    distance: str         # "8 feet from the sitter"
    spill: str | None     # extraction: "no light spill" (sentence targets only)
    gradient: str | None  # "2-stop gradient falling off from camera left"
    level: str | None     # gradient: "brightest part metered 0.5 stops under the key"
    lit: str | None       # lit: "lit by the portrait lights"


@dataclass(frozen=True)
class Facts:
    subject: SubjectFacts
    camera: CameraFacts
    lights: tuple[LightFacts, ...]
    same_temperature: bool
    skin: SkinFacts
    jewelry: JewelryFacts | None
    background: BackgroundFacts
    aspect: str           # "4:5"
    orientation: str      # "vertical"
    engine: str | None    # "Blender Cycles path tracing"
    bounce: str | None = None  # "large silver reflector below the face, on the lens axis, 40° down, metered 1.5 stops under the key"
    flag: str | None = None    # "black flag 90° camera right, level with the eyes"


def _subject(spec: Spec, log: ClaimLog) -> SubjectFacts:
    # Who is in the frame comes first in every target; its wording rules are in ``sitter``.
    words = sitter_words(spec, log)
    return SubjectFacts(words.who, words.tone, words.look)


def _camera(spec: Spec, log: ClaimLog) -> CameraFacts:
    cam = spec.camera
    framing = log.word("camera.framing", cam.framing, "", ph.FRAMING_WORDS[cam.framing], cam.framing, "choice")
    lens_text = f"{ph.number(cam.focal_length_mm, ph.FOCAL_STEP)}mm lens"
    lens = log.number("camera.focal_length_mm", cam.focal_length_mm, "mm", lens_text,
                      ph.quantize(cam.focal_length_mm, ph.FOCAL_STEP), "focal_length")
    aperture = log.number("camera.f_number", cam.f_number, "f/", f"f/{ph.number(cam.f_number, ph.F_NUMBER_STEP)}",
                          ph.quantize(cam.f_number, ph.F_NUMBER_STEP), "f_number")
    if cam.height is None:
        height = log.word("camera.height", "eye_level", "", "at eye level", "eye_level", "choice")
    else:
        height = _distance(log, "camera.height", cam.height.metres, spec.prompt.units, " above the floor")
    return CameraFacts(framing, lens, aperture, height)


def _distance(log: ClaimLog, path: str, metres: float, units: str, suffix: str = "") -> str:
    text = ph.distance_phrase(metres, units) + suffix
    if units == "imperial":
        return log.number(path, metres / 0.3048, "ft", text, ph.quantize(metres / 0.3048, ph.FEET_STEP), "distance_ft")
    return log.number(path, metres, "m", text, ph.quantize(metres, ph.METRES_STEP), "distance_m")


def _light_height(light: LightSpec) -> float:
    return light.height.metres if uses_height(light.modifier, light.shape) else light.width.metres


def _light_area(light: LightSpec) -> float:
    w = light.width.metres
    return w * _light_height(light) * (math.pi / 4.0 if is_round(light.modifier, light.shape) else 1.0)


def _light(spec: Spec, role: RigRole, log: ClaimLog) -> LightFacts:
    light = spec.lights.rig(role)
    base = f"lights.{role}"
    d = light.distance.metres
    apparent = ph.apparent_size(_light_area(light), d)
    size_word = ph.size_class(apparent)
    modifier_text = ph.modifier_word(light.modifier, light.shape, light.width.metres, _light_height(light))
    source_text = ph.source_phrase(light.modifier, size_word, modifier_text)
    if not KINDS[light.modifier].hard:  # a point-like source states no size class
        band = _band(ph.SIZE_CLASSES, size_word)
        log.word(f"{base}.apparent_size", apparent, "size/distance", source_text, size_word, "size_class", band)
    source = log.word(f"{base}.modifier", light.modifier, "", source_text, light.modifier, "choice")
    grid = None
    if ph.has_grid(light.spread_deg):
        grid = log.number(f"{base}.spread_deg", light.spread_deg, "deg", ph.grid_phrase(light.spread_deg, light.modifier),
                          ph.quantize(light.spread_deg, ph.ANGLE_STEP), "angle")
    direction = ph.direction_phrase(light.azimuth_deg, light.elevation_deg)
    log.number(f"{base}.azimuth_deg", light.azimuth_deg, "deg", direction, _stated_angle(light.azimuth_deg), "angle")
    log.number(f"{base}.elevation_deg", light.elevation_deg, "deg", direction, _stated_angle(light.elevation_deg), "angle")
    distance = _distance(log, f"{base}.distance", d, spec.prompt.units)
    level = ratio = None
    if role != "key":
        targets = FILL_LEVEL_TARGETS if role == "fill" else PROMPT_TARGETS
        level = log.number(f"{base}.stops", light.stops, "stops", ph.stops_phrase(light.stops),
                           ph.quantize(light.stops, ph.STOPS_STEP), "stops", targets=targets)
        if role == "fill":
            ratio = log.number(f"{base}.stops", 2.0 ** -light.stops, "key:fill", f"{ph.ratio_phrase(light.stops)} key-to-fill",
                               ph.ratio_value(light.stops), "ratio")
    temperature = log.number(f"{base}.temperature_k", light.temperature_k, "K", ph.temperature_phrase(light.temperature_k),
                             ph.quantize(light.temperature_k, ph.KELVIN_STEP), "kelvin")
    pattern = _pattern(spec, log) if role == "key" else None
    return LightFacts(role, source, grid, direction, distance, level, ratio, temperature, pattern,
                      catchlight=_catchlight(spec, role, log))


def _catchlight(spec: Spec, role: RigRole, log: ClaimLog) -> str | None:
    """The catchlight the light makes in the person's eyes (``core.catchlights.claim``): its
    shape when the render shows it clearly and no lid clips it, and its clock position; None
    when it is off the open eye, mostly under a lid, under a pixel or on the pupil."""
    if spec.subject.kind != "person":
        return None
    said = cl.claim(spec, role)
    if said is None:
        return None
    shape, clock = said
    text = cl.phrase(shape, clock)
    if shape is not None:
        log.word(f"lights.{role}.catchlight_shape", shape, "", text, shape, "choice", targets=CATCHLIGHT_TARGETS)
    clock = clock if clock >= 0.5 else clock + 12.0  # "12 o'clock" for 0-0.5 as well
    return log.number(f"lights.{role}.catchlight_clock", clock, "h", text, float(cl.hour(clock)), "clock",
                      targets=CATCHLIGHT_TARGETS)


def _pattern(spec: Spec, log: ClaimLog) -> str | None:
    """The named pattern the key makes on the person's face (``core.patterns.predict``), with
    broad or short when the head is turned; None between patterns or without a person, whose
    face ``verify`` could not measure it on."""
    if spec.subject.kind != "person":
        return None
    key, yaw = spec.lights.key, spec.subject.pose.head_yaw_deg
    pattern = predict(key.azimuth_deg, key.elevation_deg, yaw, spec.subject.pose.head_pitch_deg, lower_sources(spec))
    if pattern == "unnamed":
        return None
    turn = side(key.azimuth_deg, yaw)
    text = f"{PATTERN_WORDS[pattern]} lighting"
    if pattern not in ("butterfly", "clamshell") and turn != "frontal":
        text = f"{turn} {text}"
        log.word("lights.key.side", turn, "", text, turn, "choice")
    return log.word("lights.key.pattern", pattern, "", text, pattern, "choice")


def _stated_angle(x: float) -> float:
    a = ph.quantize(abs(x), ph.ANGLE_STEP)
    return 180.0 if a >= 180.0 else math.copysign(a, x) + 0.0  # "directly behind" has no side


def _band(classes: tuple[tuple[float, str], ...], word: str) -> tuple[float | None, float | None]:
    """The value range for which ``word`` is chosen from descending ``(threshold, word)`` classes."""
    for i, (threshold, w) in enumerate(classes):
        if w == word:
            upper = classes[i - 1][0] if i > 0 else None
            return (threshold if threshold > 0 else None, upper)
    raise KeyError(word)


def _skin(spec: Spec, log: ClaimLog) -> SkinFacts:
    skin = spec.skin
    pores = vellus = subsurface = None
    if skin.pores.visible and skin.pores.regions and on_screen(skin.pores.diameter_mm, spec):
        text = f"visible {ph.mm_phrase(skin.pores.diameter_mm)} pores on {ph.regions_phrase(skin.pores.regions)}"
        pores = log.number("skin.pores.diameter_mm", skin.pores.diameter_mm, "mm", text,
                           ph.quantize(skin.pores.diameter_mm, ph.MM_STEP), "mm")
    if skin.vellus_hair.visible and skin.vellus_hair.regions:
        where = ph.regions_phrase(skin.vellus_hair.regions)
        if on_screen(VELLUS_DIAMETER_MM, spec):
            text = f"{ph.mm_phrase(skin.vellus_hair.length_mm)} vellus hair on {where}"
            vellus = log.number("skin.vellus_hair.length_mm", skin.vellus_hair.length_mm, "mm", text,
                                ph.quantize(skin.vellus_hair.length_mm, ph.MM_STEP), "mm")
        else:
            vellus = log.word("skin.vellus_hair.visible", True, "", f"vellus-hair sheen on {where}", True, "choice")
    if skin.subsurface.thin_regions and on_screen(skin.subsurface.thin_radius_mm, spec):
        text = (f"{ph.mm_phrase(skin.subsurface.thin_radius_mm)} subsurface scattering in "
                f"{ph.regions_phrase(skin.subsurface.thin_regions)}")
        subsurface = log.number("skin.subsurface.thin_radius_mm", skin.subsurface.thin_radius_mm, "mm", text,
                                ph.quantize(skin.subsurface.thin_radius_mm, ph.MM_STEP), "mm")
    return SkinFacts(pores, vellus, subsurface, _roughness(spec, log))


def _roughness(spec: Spec, log: ClaimLog) -> tuple[str, ...]:
    """The skin's specular roughness, each value once: ("0.3 on the cheekbones", "0.55 on the
    oily forehead", "0.63 elsewhere"), or ("0.63 all over",). Regions of one value are grouped (in the order of SKIN_REGIONS);
    sebum regions take the sebum film's value (saying both would contradict)."""
    skin = spec.skin
    table = skin.roughness
    default = ph.roughness_text(table.get("default", 0.45))
    groups: dict[str, list[str]] = {}
    for region in SKIN_REGIONS:
        if region in table and region not in skin.sebum.regions:
            text = ph.roughness_text(table[region])
            if text != default:
                groups.setdefault(text, []).append(region)
    parts = []
    for text, regions in groups.items():
        phrase = f"{text} on {ph.regions_phrase(tuple(regions))}"
        for region in regions:
            log.number(f"skin.roughness.{region}", table[region], "", phrase, float(text), "roughness")
        parts.append(phrase)
    if skin.sebum.regions:
        oily = ph.regions_phrase(skin.sebum.regions).replace("the ", "the oily ", 1)
        parts.append(log.number("skin.sebum.roughness", skin.sebum.roughness, "", f"{ph.roughness_text(skin.sebum.roughness)} on {oily}",
                                ph.quantize(skin.sebum.roughness, ph.ROUGHNESS_STEP), "roughness"))
    where = "elsewhere" if parts else "all over"
    parts.append(log.number("skin.roughness.default", table.get("default", 0.45), "", f"{default} {where}", float(default), "roughness"))
    return tuple(parts)


def _jewelry(spec: Spec, log: ClaimLog) -> JewelryFacts | None:
    j = spec.jewelry
    if not j.enabled:
        return None
    metal = f"{j.finish} {j.karat} gold" if j.karat in ("rose", "white") else f"{j.karat} {j.finish} gold"
    metres = j.chain.length.metres
    length = ph.chain_length_phrase(metres, spec.prompt.units)
    chain = log.word("jewelry.karat", j.karat, "", f"{length} {metal} {j.chain.style} chain", j.karat, "choice")
    log.word("jewelry.finish", j.finish, "", chain, j.finish, "choice")
    log.word("jewelry.chain.style", j.chain.style, "", chain, j.chain.style, "choice")
    if spec.prompt.units == "imperial":
        log.number("jewelry.chain.length", metres / 0.0254, "in", chain, ph.quantize(metres / 0.0254, ph.INCH_STEP), "length_in")
    else:
        log.number("jewelry.chain.length", metres * 100.0, "cm", chain, ph.quantize(metres * 100.0, ph.CM_STEP), "length_cm")
    links = None
    if on_screen(j.chain.link_length_mm, spec):
        wire_shows = on_screen(j.chain.wire_gauge_mm, spec)
        text = f"{ph.mm_phrase(j.chain.link_length_mm)} links"
        text += f" in {ph.mm_phrase(j.chain.wire_gauge_mm)} wire" if wire_shows else ""
        links = log.number("jewelry.chain.link_length_mm", j.chain.link_length_mm, "mm", text,
                           ph.quantize(j.chain.link_length_mm, ph.MM_STEP), "mm")
        if wire_shows:
            log.number("jewelry.chain.wire_gauge_mm", j.chain.wire_gauge_mm, "mm", text,
                       ph.quantize(j.chain.wire_gauge_mm, ph.MM_STEP), "mm")
    rough = ph.roughness_text(j.roughness)
    if j.finish == "hammered" and on_screen(j.facet_size_mm, spec):
        surface_text = f"{ph.mm_phrase(j.facet_size_mm)} hammer facets at {rough} roughness"
        log.number("jewelry.facet_size_mm", j.facet_size_mm, "mm", surface_text, ph.quantize(j.facet_size_mm, ph.MM_STEP), "mm")
    else:
        surface_text = f"{j.finish} to {rough} roughness"
    surface = log.number("jewelry.roughness", j.roughness, "", surface_text, ph.quantize(j.roughness, ph.ROUGHNESS_STEP), "roughness")
    scratches = None
    if j.micro_scratches:
        text = "micro-scratches where the links rub" if on_screen(SCRATCH_WIDTH_MM, spec) else "highlights dulled where the links rub"
        scratches = log.word("jewelry.micro_scratches", True, "", text, True, "choice")
    return JewelryFacts(chain, links, surface, scratches)


def _background(spec: Spec, log: ClaimLog) -> BackgroundFacts:
    bg = spec.background
    cyclorama = f"seamless {ph.color_name(bg.color.rgb)} cyclorama"
    rgb = ph.rgb_text(bg.color.rgb)
    color_text = f"exact {rgb}" if bg.mode == "extraction" else f"painted {rgb}"
    color = log.word("background.color", bg.color.rgb, "sRGB8", color_text, bg.color.rgb, "rgb")
    hex_text = log.word("background.color", bg.color.rgb, "sRGB8", bg.color.hex, bg.color.rgb, "rgb", targets=HEX_TARGETS)
    distance = _distance(log, "subject.distance_to_background", spec.subject.distance_to_background.metres,
                         spec.prompt.units, " from the sitter")
    spill = gradient = level = lit = None
    if bg.mode == "extraction":
        # Negations only where the model reads sentences; tag models get it as a negative prompt.
        spill = log.word("background.mode", "extraction", "", "no light spill", "extraction", "choice", targets=SPILL_TARGETS)
    elif bg.mode == "gradient":
        g = bg.gradient
        text = f"{ph.number(g.stops, ph.STOPS_STEP)}-stop gradient falling off from camera {g.side}"
        log.number("background.gradient.stops", g.stops, "stops", text, ph.quantize(g.stops, ph.STOPS_STEP), "stops")
        gradient = log.word("background.gradient.side", g.side, "", text, g.side, "choice")
        level = log.number("background.level_stops", bg.level_stops, "stops", f"brightest part {ph.stops_phrase(bg.level_stops)}",
                           ph.quantize(bg.level_stops, ph.STOPS_STEP), "stops")
    else:
        lit = log.word("background.mode", "lit", "", "lit by the portrait lights", "lit", "choice")
    return BackgroundFacts(bg.mode, cyclorama, color, hex_text, distance, spill, gradient, level, lit)


REFLECTOR_WORDS: dict[str, str] = {
    "white": "white reflector", "silver": "silver reflector", "gold": "gold reflector", "vflat": "white V-flat",
}
BELOW_FACE_DEG = -15.0  # a reflector this far under the eyes is "below the face" (clamshell)


def _bounce(spec: Spec, log: ClaimLog) -> str | None:
    """The reflector, where it is and the level of the key it bounces at the meter; the level is
    the spec's, which the builder's placement gives (``core.meter.bounce``) and verify measures."""
    b = spec.lights.bounce
    if not b.enabled:
        return None
    direction = ph.direction_phrase(b.azimuth_deg, b.elevation_deg)
    below = "below the face, " if b.elevation_deg <= BELOW_FACE_DEG else ""
    placed = reflector_placement(spec)  # validation has placed it (a spec it cannot place is refused)
    size_word = ""
    if placed is not None:
        r = placed.reflector
        focus = (0.0, 0.0, spec.subject.eye_height.metres)
        apparent = ph.apparent_size(sum(p.area for p in r.panels), length(sub(r.centre, focus)))
        size_word = ph.size_class(apparent)
    text = f"{size_word} {REFLECTOR_WORDS[b.kind]} {below}{direction}, {_bounce_level(b.stops)}".lstrip()
    if placed is not None:
        log.word("lights.bounce.apparent_size", apparent, "size/distance", text, size_word, "size_class",
                 _band(ph.SIZE_CLASSES, size_word))
    log.word("lights.bounce.kind", b.kind, "", text, b.kind, "choice")
    log.number("lights.bounce.azimuth_deg", b.azimuth_deg, "deg", text, _stated_angle(b.azimuth_deg), "angle")
    log.number("lights.bounce.elevation_deg", b.elevation_deg, "deg", text, _stated_angle(b.elevation_deg), "angle")
    return log.number("lights.bounce.stops", b.stops, "stops", text, ph.quantize(b.stops, ph.STOPS_STEP), "stops")


def _bounce_level(stops: float) -> str:
    """"bouncing the key back 1.5 stops under it": worded apart from the fill's "metered 1.5
    stops under the key", so a fill and a bounce at one level do not repeat a phrase."""
    stated = ph.quantize(stops, ph.STOPS_STEP)
    if stated == 0:
        return "bouncing the key back at its own level"
    text = ph.number(abs(stated), ph.STOPS_STEP)
    return f"bouncing the key back {text} {'stop' if text == '1' else 'stops'} under it"


def _flag(spec: Spec, log: ClaimLog) -> str | None:
    """The black flag and where it stands. Its effect (the bounce it takes away) depends on the
    whole room, so the words say what it is for and no level."""
    fl = spec.lights.flag
    if not fl.enabled:
        return None
    text = f"black flag {ph.direction_phrase(fl.azimuth_deg, fl.elevation_deg)}"
    log.number("lights.flag.azimuth_deg", fl.azimuth_deg, "deg", text, _stated_angle(fl.azimuth_deg), "angle")
    log.number("lights.flag.elevation_deg", fl.elevation_deg, "deg", text, _stated_angle(fl.elevation_deg), "angle")
    return log.word("lights.flag.enabled", True, "", text, True, "choice")


def gather_facts(spec: Spec, log: ClaimLog) -> Facts:
    subject = _subject(spec, log)
    camera = _camera(spec, log)
    roles: list[RigRole] = [r for r in ("key", "fill", "rim") if spec.lights.rig(r).enabled]
    lights = tuple(_light(spec, role, log) for role in roles)
    same = len({ph.quantize(spec.lights.rig(r).temperature_k, ph.KELVIN_STEP) for r in roles}) == 1
    jewelry = _jewelry(spec, log)
    background = _background(spec, log)
    skin = _skin(spec, log)
    w, h = spec.render.resolution
    aspect = log.word("render.resolution", (w, h), "px", ph.ratio_from_resolution(w, h), ph.ratio_from_resolution(w, h),
                      "aspect", targets=ASPECT_TARGETS)
    orientation = log.word("render.resolution", (w, h), "px", ph.orientation(w, h), ph.orientation(w, h), "orientation",
                           targets=ORIENTATION_TARGETS)
    engine = "Blender Cycles path tracing" if spec.prompt.engine_tags else None
    bounce, flag = _bounce(spec, log), _flag(spec, log)
    return Facts(subject, camera, lights, same, skin, jewelry, background, aspect, orientation, engine, bounce, flag)
