"""What the prompt says, before any target words it: one fact per quantity, each a fragment of
text that every target quotes verbatim, recorded as a claim while it is worded.

Disabled lights and a disabled chain produce no facts. The target writers (``midjourney``,
``sdxl``, ``prose``) only arrange these fragments and add glue words; they never word a number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..spec import LightSpec, Spec
from . import phrases as ph
from .claims import ClaimLog

ASPECT_TARGETS: tuple[str, ...] = ("midjourney", "dalle")
PROSE_TARGETS: tuple[str, ...] = ("flux", "dalle")


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
    direction: str        # "45° upper left"
    distance: str         # "5 feet"
    level: str | None     # "−2 stops" or "at key level"; None for the key
    ratio: str | None     # "4:1 key-to-fill"; fill only
    temperature: str      # "5600 K daylight"


@dataclass(frozen=True)
class SkinFacts:
    tone: str                    # "fair skin with 8% melanin"
    pores: str | None            # "visible 0.15 mm pores on the nasal bridge"
    vellus: str | None           # "1.5 mm vellus hair on the jawline"
    sebum: str | None            # "0.25-roughness sebum film on the forehead"
    subsurface: str | None       # "3 mm subsurface scattering in the ears and nostrils"
    specular: tuple[str, ...]    # "0.3-roughness specular on the cheekbones"
    base_roughness: str          # "0.45 roughness elsewhere" or "0.45 skin roughness"


@dataclass(frozen=True)
class JewelryFacts:
    metal: str            # "24k hammered gold"
    chain: str            # "cable chain"
    links: str            # "6 mm links in 1.2 mm wire"
    length: str           # "18-inch" or "45 cm"
    surface: str          # "1.2 mm hammer facets at 0.12 roughness" or "gold surface at 0.12 roughness"
    scratches: str | None  # "micro-scratches on contact surfaces"


@dataclass(frozen=True)
class BackgroundFacts:
    mode: str
    cyclorama: str        # "seamless magenta cyclorama"
    color: str            # "pure RGB 255/0/128" or "painted RGB 70/62/56"
    distance: str         # "8 feet from the backdrop"
    spill: str | None     # extraction: "no light spill" (prose targets only)
    gradient: str | None  # "2-stop gradient falloff from the left"
    level: str | None     # gradient: "−0.5 stops"
    lit: str | None       # lit: "lit by the portrait lights"


@dataclass(frozen=True)
class Facts:
    camera: CameraFacts
    lights: tuple[LightFacts, ...]
    same_temperature: bool
    skin: SkinFacts
    jewelry: JewelryFacts | None
    background: BackgroundFacts
    aspect: str           # "4:5"
    orientation: str      # "vertical"
    engine: str | None    # "Blender Cycles path tracing"


def _camera(spec: Spec, log: ClaimLog) -> CameraFacts:
    cam = spec.camera
    framing = log.word("camera.framing", cam.framing, "", ph.FRAMING_WORDS[cam.framing], cam.framing, "choice")
    lens_text = f"{ph.number(cam.focal_length_mm, 1.0)}mm lens"
    lens = log.number("camera.focal_length_mm", cam.focal_length_mm, "mm", lens_text,
                      ph.quantize(cam.focal_length_mm, 1.0), "focal_length")
    aperture = log.number("camera.f_number", cam.f_number, "f/", f"f/{ph.number(cam.f_number, 0.1)}",
                          ph.quantize(cam.f_number, 0.1), "f_number")
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


def _light_area(light: LightSpec) -> float:
    w = light.width.metres
    h = w if light.shape in ("square", "disk") else light.height.metres
    return w * h * (math.pi / 4.0 if light.shape in ("disk", "ellipse") else 1.0)


def _light(spec: Spec, role: str, log: ClaimLog) -> LightFacts:
    light: LightSpec = getattr(spec.lights, role)
    base = f"lights.{role}"
    d = light.distance.metres
    apparent = ph.apparent_size(_light_area(light), d)
    size_word = ph.size_class(apparent)
    h = light.width.metres if light.shape in ("square", "disk") else light.height.metres
    source_text = f"{size_word} {ph.modifier_word(light.shape, light.width.metres, h)}"
    band = _band(ph.SIZE_CLASSES, size_word)
    source = log.word(f"{base}.apparent_size", apparent, "size/distance", source_text, size_word, "size_class", band)
    grid = None
    if ph.has_grid(light.spread_deg):
        grid = log.number(f"{base}.spread_deg", light.spread_deg, "deg", ph.grid_phrase(light.spread_deg),
                          ph.quantize(light.spread_deg, ph.ANGLE_STEP), "angle")
    direction = ph.direction_phrase(light.azimuth_deg, light.elevation_deg)
    log.number(f"{base}.azimuth_deg", light.azimuth_deg, "deg", direction, _stated_angle(light.azimuth_deg), "angle")
    log.number(f"{base}.elevation_deg", light.elevation_deg, "deg", direction, _stated_angle(light.elevation_deg), "angle")
    distance = _distance(log, f"{base}.distance", d, spec.prompt.units)
    level = ratio = None
    if role != "key":
        level = log.number(f"{base}.stops", light.stops, "stops", ph.stops_phrase(light.stops),
                           ph.quantize(light.stops, ph.STOPS_STEP), "stops")
        if role == "fill":
            ratio = log.number(f"{base}.stops", 2.0 ** -light.stops, "key:fill", f"{ph.ratio_phrase(light.stops)} key-to-fill",
                               ph.ratio_value(light.stops), "ratio")
    temperature = log.number(f"{base}.temperature_k", light.temperature_k, "K", ph.temperature_phrase(light.temperature_k),
                             ph.quantize(light.temperature_k, ph.KELVIN_STEP), "kelvin")
    return LightFacts(role, source, grid, direction, distance, level, ratio, temperature)


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
    tone = log.number("skin.tone.melanin", skin.tone.melanin * 100.0, "%", ph.skin_tone_phrase(skin.tone.melanin),
                      ph.quantize(skin.tone.melanin * 100.0, 1.0), "percent")
    pores = vellus = sebum = subsurface = None
    if skin.pores.visible and skin.pores.regions:
        text = f"visible {ph.mm_phrase(skin.pores.diameter_mm)} pores on {ph.regions_phrase(skin.pores.regions)}"
        pores = log.number("skin.pores.diameter_mm", skin.pores.diameter_mm, "mm", text,
                           ph.quantize(skin.pores.diameter_mm, 0.01), "mm")
    if skin.vellus_hair.visible and skin.vellus_hair.regions:
        text = f"{ph.mm_phrase(skin.vellus_hair.length_mm)} vellus hair on {ph.regions_phrase(skin.vellus_hair.regions)}"
        vellus = log.number("skin.vellus_hair.length_mm", skin.vellus_hair.length_mm, "mm", text,
                            ph.quantize(skin.vellus_hair.length_mm, 0.01), "mm")
    if skin.sebum.regions:
        text = f"{ph.roughness_text(skin.sebum.roughness)}-roughness sebum film on {ph.regions_phrase(skin.sebum.regions)}"
        sebum = log.number("skin.sebum.roughness", skin.sebum.roughness, "", text,
                           ph.quantize(skin.sebum.roughness, 0.01), "roughness")
    if skin.subsurface.thin_regions:
        text = (f"{ph.mm_phrase(skin.subsurface.thin_radius_mm)} subsurface scattering in "
                f"{ph.regions_phrase(skin.subsurface.thin_regions)}")
        subsurface = log.number("skin.subsurface.thin_radius_mm", skin.subsurface.thin_radius_mm, "mm", text,
                                ph.quantize(skin.subsurface.thin_radius_mm, 0.01), "mm")
    specular = _specular(spec, log)
    default = skin.roughness.get("default", 0.45)
    base_text = f"{ph.roughness_text(default)} roughness elsewhere" if specular else f"{ph.roughness_text(default)} skin roughness"
    base = log.number("skin.roughness.default", default, "", base_text, ph.quantize(default, 0.01), "roughness")
    return SkinFacts(tone, pores, vellus, sebum, subsurface, specular, base)


def _specular(spec: Spec, log: ClaimLog) -> tuple[str, ...]:
    """Region roughness grouped by value (stated once per value), in the order of SKIN_REGIONS.
    Sebum regions are left out: their film sets the roughness there, and saying both would
    contradict."""
    from ..spec import SKIN_REGIONS

    table = spec.skin.roughness
    default = ph.roughness_text(table.get("default", 0.45))
    groups: dict[str, list[str]] = {}
    for region in SKIN_REGIONS:
        if region in table and region not in spec.skin.sebum.regions:
            text = ph.roughness_text(table[region])
            if text != default:
                groups.setdefault(text, []).append(region)
    out = []
    for text, regions in groups.items():
        phrase = f"{text}-roughness specular on {ph.regions_phrase(tuple(regions))}"
        for region in regions:
            log.number(f"skin.roughness.{region}", table[region], "", phrase, float(text), "roughness")
        out.append(phrase)
    return tuple(out)


def _jewelry(spec: Spec, log: ClaimLog) -> JewelryFacts | None:
    j = spec.jewelry
    if not j.enabled:
        return None
    if j.karat in ("rose", "white"):
        metal_text = f"{j.finish} {j.karat} gold"
    else:
        metal_text = f"{j.karat} {j.finish} gold"
    metal = log.word("jewelry.karat", j.karat, "", metal_text, j.karat, "choice")
    log.word("jewelry.finish", j.finish, "", metal_text, j.finish, "choice")
    chain = log.word("jewelry.chain.style", j.chain.style, "", f"{j.chain.style} chain", j.chain.style, "choice")
    links_text = f"{ph.mm_phrase(j.chain.link_length_mm)} links in {ph.mm_phrase(j.chain.wire_gauge_mm)} wire"
    log.number("jewelry.chain.link_length_mm", j.chain.link_length_mm, "mm", links_text, ph.quantize(j.chain.link_length_mm, 0.01), "mm")
    links = log.number("jewelry.chain.wire_gauge_mm", j.chain.wire_gauge_mm, "mm", links_text,
                       ph.quantize(j.chain.wire_gauge_mm, 0.01), "mm")
    metres = j.chain.length.metres
    length_text = ph.chain_length_phrase(metres, spec.prompt.units)
    if spec.prompt.units == "imperial":
        length = log.number("jewelry.chain.length", metres / 0.0254, "in", length_text, ph.quantize(metres / 0.0254, 1.0), "length_in")
    else:
        length = log.number("jewelry.chain.length", metres * 100.0, "cm", length_text, ph.quantize(metres * 100.0, 1.0), "length_cm")
    rough = ph.roughness_text(j.roughness)
    if j.finish == "hammered":
        surface_text = f"{ph.mm_phrase(j.facet_size_mm)} hammer facets at {rough} roughness"
        log.number("jewelry.facet_size_mm", j.facet_size_mm, "mm", surface_text, ph.quantize(j.facet_size_mm, 0.01), "mm")
    else:
        surface_text = f"{j.finish} to {rough} roughness"
    surface = log.number("jewelry.roughness", j.roughness, "", surface_text, ph.quantize(j.roughness, 0.01), "roughness")
    scratches = None
    if j.micro_scratches:
        scratches = log.word("jewelry.micro_scratches", True, "", "micro-scratches on contact surfaces", True, "choice")
    return JewelryFacts(metal, chain, links, length, surface, scratches)


def _background(spec: Spec, log: ClaimLog) -> BackgroundFacts:
    bg = spec.background
    name = ph.color_name(bg.color.rgb)
    cyclorama = f"seamless {name} cyclorama"
    rgb = ph.rgb_text(bg.color.rgb)
    color_text = f"pure {rgb}" if bg.mode == "extraction" else f"painted {rgb}"
    color = log.word("background.color", bg.color.rgb, "sRGB8", color_text, bg.color.rgb, "rgb")
    distance = _distance(log, "subject.distance_to_background", spec.subject.distance_to_background.metres,
                         spec.prompt.units, " from the backdrop")
    spill = gradient = level = lit = None
    if bg.mode == "extraction":
        # Negations only where the model reads sentences; tag models get it as a negative prompt.
        spill = log.word("background.mode", "extraction", "", "no light spill", "extraction", "choice", targets=PROSE_TARGETS)
    elif bg.mode == "gradient":
        g = bg.gradient
        text = f"{ph.number(g.stops, ph.STOPS_STEP)}-stop gradient falloff from the {g.side}"
        log.number("background.gradient.stops", g.stops, "stops", text, ph.quantize(g.stops, ph.STOPS_STEP), "stops")
        gradient = log.word("background.gradient.side", g.side, "", text, g.side, "choice")
        level = log.number("background.level_stops", bg.level_stops, "stops", ph.stops_phrase(bg.level_stops),
                           ph.quantize(bg.level_stops, ph.STOPS_STEP), "stops")
    else:
        lit = log.word("background.mode", "lit", "", "lit by the portrait lights", "lit", "choice")
    return BackgroundFacts(bg.mode, cyclorama, color, distance, spill, gradient, level, lit)


def gather_facts(spec: Spec, log: ClaimLog) -> Facts:
    camera = _camera(spec, log)
    roles = [r for r in ("key", "fill", "rim") if getattr(spec.lights, r).enabled]
    lights = tuple(_light(spec, role, log) for role in roles)
    same = len({ph.quantize(getattr(spec.lights, r).temperature_k, ph.KELVIN_STEP) for r in roles}) == 1
    skin = _skin(spec, log)
    jewelry = _jewelry(spec, log)
    background = _background(spec, log)
    w, h = spec.render.resolution
    aspect = log.word("render.resolution", (w, h), "px", ph.ratio_from_resolution(w, h), ph.ratio_from_resolution(w, h),
                      "aspect", targets=ASPECT_TARGETS)
    orientation = "vertical" if h > w else "horizontal" if w > h else "square"
    engine = "Blender Cycles path tracing" if spec.prompt.engine_tags else None
    return Facts(camera, lights, same, skin, jewelry, background, aspect, orientation, engine)
