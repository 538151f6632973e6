"""Words from numbers: the documented rules that turn spec quantities into prompt phrases.

Every rule here is deterministic and has an inverse in ``parse.py`` so a phrase can be read
back to the number (or the band of numbers) it states.

Numbers
    Rounded half away from zero to the rule's step (``claims.STEPS``), trailing zeros dropped
    ("5", "6.5", "0.15"). Every step is at most the claim's verify tolerance, so a stated number
    is never more than half the tolerance from the spec value. Signs are words ("2 stops under
    the key", "25° down"), so no phrase needs a minus sign.

Direction (spec.py's convention: azimuth positive = camera left = world -X)
    Left and right are always named with their owner. Seen from the camera: "45° camera left",
    "40° camera right"; azimuth 0 is "on the lens axis", 180 "directly behind the sitter". The
    sitter faces the camera, so camera left is the sitter's right: a light more than 90° round
    is "behind the sitter's left shoulder" when it is on camera right. Elevation is "45° up",
    "25° down" or "level with the eyes" (0), from the horizontal plane through the eyes.
    Joined: "45° camera left and 45° up", "20° camera right, level with the eyes", "on the lens
    axis, 40° up", "behind the sitter's left shoulder, 135° camera right and 30° up".

Source size (how soft the light is)
    The apparent size is sqrt(emitting area) / distance (about the angle, in radians, the source
    spans seen from the face): >= 0.6 "large", >= 0.3 "medium", otherwise "small".
    The modifier word is the modifier's (``core.modifiers``): "strip box", "octabox", "beauty
    dish", "shoot-through umbrella", "reflective umbrella"; a softbox by its shape: "softbox",
    "square softbox" (equal sides), "oval softbox", "round softbox". A bare flash has no size
    class: "hard bare flash"; nor a Fresnel: "Fresnel spot". A beam spread under 180 deg
    adds "with a N° grid" (a Fresnel's: "with a N° beam").

Levels and ratios
    A light's level is its incident-meter reading against the key's, to 0.1 stop, always said
    as exposure: "metered 2 stops under the key", "metered 1 stop over the key", "metered equal
    to the key" (never "at key level", which reads as a height). The key-to-light ratio is
    2**-stops to two significant digits ("4:1", "2.8:1", "11:1"); a light brighter than the key
    reads "1:2".

Distances
    spec.prompt.units = "imperial": feet to 0.5 ft ("5 feet", "1 foot"), chain length in whole
    inches ("18-inch"). "metric": metres to 0.1 m ("2.4 m"), chain length in whole cm ("45 cm").
    Millimetre-scale detail (pores, hair, facets, wire) is always in mm, to 0.01 mm.

Colour temperature
    < 3500 K "tungsten", < 4800 K "warm white", < 6500 K "daylight", otherwise "cool daylight";
    the kelvins are stated to 100 K ("5600 K daylight").

Colour names (for the backdrop, always next to the exact RGB)
    The nearest CSS named colour by CIEDE2000 (``color_names``): 255/0/128 is "deep pink".

Skin tone from epidermal melanin fraction
    The categories of Jacques ("Skin Optics", OMLC News, Jan 1998) for the melanosome volume
    fraction of the epidermis: light-skinned adults 1.3-6.3 %, moderately pigmented 11-16 %,
    darkly pigmented 18-43 %; the gaps between them are split at their midpoints. < 0.013
    "very fair" (less than Jacques's lightest adults), < 0.0865 "light", < 0.17 "medium", < 0.43
    "dark", else "very dark" (his darkest and beyond), stated with the percentage to 0.1 %
    ("light skin at 1.5% melanin"). ``core.skin_tone`` renders these words: 1.3-2 % lands in
    the measured reflectance of lightly pigmented skin, 18-43 % is dark brown.

What a render can show
    Millimetre detail is stated only where it spans at least a pixel (``visibility``).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from ..modifiers import KINDS, Modifier, source_word
from .color_names import color_name

MINUS = "\u2212"
DEGREE = "\u00b0"

ANGLE_STEP = 1.0
STOPS_STEP = 0.1
RATIO_DIGITS = 2
FEET_STEP = 0.5
METRES_STEP = 0.1
INCH_STEP = 1.0
CM_STEP = 1.0
MM_STEP = 0.01
ROUGHNESS_STEP = 0.01
KELVIN_STEP = 100.0
FOCAL_STEP = 1.0
F_NUMBER_STEP = 0.1
PERCENT_STEP = 0.1

SIZE_CLASSES: tuple[tuple[float, str], ...] = ((0.6, "large"), (0.3, "medium"), (0.0, "small"))

TEMPERATURE_CLASSES: tuple[tuple[float, str], ...] = (
    (3500.0, "tungsten"), (4800.0, "warm white"), (6500.0, "daylight"), (math.inf, "cool daylight"),
)
# Jacques 1998 categories: light 1.3-6.3 %, moderate 11-16 %, dark 18-43 %; gaps split midway.
SKIN_TONES: tuple[tuple[float, str], ...] = (
    (0.013, "very fair"), ((0.063 + 0.11) / 2, "light"), ((0.16 + 0.18) / 2, "medium"), (0.43, "dark"),
    (math.inf, "very dark"),
)

REGION_WORDS: dict[str, str] = {
    "forehead": "forehead", "nasal_bridge": "nasal bridge", "nose_tip": "nose tip", "nostrils": "nostrils",
    "cheekbones": "cheekbones", "cheeks": "cheeks", "lips": "lips", "chin": "chin", "jawline": "jawline",
    "ears": "ears", "neck": "neck", "clavicles": "collarbones",
}
FRAMING_WORDS: dict[str, str] = {
    "closeup": "close-up", "head_and_shoulders": "head-and-shoulders", "half_body": "half-length",
}

__all__ = ["color_name"]  # re-exported: the backdrop's name is one of the wording rules


def quantize(x: float, step: float) -> float:
    """Round half away from zero to a multiple of ``step`` (Decimal, so 0.25 -> 0.3 exactly)."""
    q = Decimal(repr(step))
    return float((Decimal(repr(float(x))) / q).quantize(Decimal(1), rounding=ROUND_HALF_UP) * q)


def significant(x: float, digits: int) -> float:
    """``x`` (> 0) rounded half up to ``digits`` significant digits."""
    exponent = math.floor(math.log10(abs(x))) - digits + 1
    return quantize(x, 10.0 ** exponent) if exponent < 0 else quantize(x, float(10 ** exponent))


def number(x: float, step: float = 0.01) -> str:
    """``x`` rounded to ``step``, shortest form, U+2212 for negatives, never "−0"."""
    value = quantize(x, step)
    decimals = max(0, -Decimal(repr(step)).normalize().as_tuple().exponent)  # type: ignore[operator]
    text = f"{abs(value):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{MINUS}{text}" if value < 0 and text != "0" else text


def degrees(x: float) -> str:
    return f"{number(abs(x), ANGLE_STEP)}{DEGREE}"


def camera_side(azimuth_deg: float) -> str:
    """The side of the frame the light is on, seen from the camera (+ azimuth = camera left)."""
    return "left" if azimuth_deg > 0 else "right"


def sitter_side(azimuth_deg: float) -> str:
    """The same side named from the sitter, who faces the camera: camera left is the sitter's right."""
    return "right" if azimuth_deg > 0 else "left"


def azimuth_phrase(azimuth_deg: float) -> str:
    a = quantize(abs(azimuth_deg), ANGLE_STEP)
    if a == 0:
        return "on the lens axis"
    if a >= 180:
        return "directly behind the sitter"
    return f"{degrees(a)} camera {camera_side(azimuth_deg)}"


def elevation_phrase(elevation_deg: float) -> str:
    e = quantize(elevation_deg, ANGLE_STEP)
    if e == 0:
        return "level with the eyes"
    return f"{degrees(e)} {'up' if e > 0 else 'down'}"


def direction_phrase(azimuth_deg: float, elevation_deg: float) -> str:
    """Where a light is: "45° camera left and 45° up", "20° camera right, level with the eyes",
    "on the lens axis, 40° up", "behind the sitter's left shoulder, 135° camera right and 30° up"."""
    a, e = quantize(abs(azimuth_deg), ANGLE_STEP), quantize(elevation_deg, ANGLE_STEP)
    horizontal, vertical = azimuth_phrase(azimuth_deg), elevation_phrase(elevation_deg)
    joined = f"{horizontal}, {vertical}" if e == 0 or a == 0 or a >= 180 else f"{horizontal} and {vertical}"
    if 90 < a < 180:
        return f"behind the sitter's {sitter_side(azimuth_deg)} shoulder, {joined}"
    return joined


def apparent_size(area_m2: float, distance_m: float) -> float:
    """sqrt(area) / distance: roughly the angle in radians the source spans from the face."""
    return math.sqrt(area_m2) / distance_m


def size_class(apparent: float) -> str:
    for threshold, word in SIZE_CLASSES:
        if apparent >= threshold:
            return word
    return SIZE_CLASSES[-1][1]


def modifier_word(modifier: Modifier, shape: str, width_m: float, height_m: float) -> str:
    if modifier == "softbox" and shape == "rectangle" and quantize(width_m, 0.01) == quantize(height_m, 0.01):
        return source_word(modifier, "square")
    return source_word(modifier, shape)


def source_phrase(modifier: Modifier, size_word: str, modifier_text: str) -> str:
    """"large octabox"; a point-like source has no size class, and a bare one says it is hard
    ("hard bare flash": no parentheses, which SDXL prompts read as weights)."""
    kind = KINDS[modifier]
    if not kind.hard:
        return f"{size_word} {modifier_text}"
    return f"hard {modifier_text}" if kind.emitter == "point" else modifier_text


def grid_phrase(spread_deg: float, modifier: Modifier = "softbox") -> str:
    if KINDS[modifier].beam is not None:
        return f"with a {degrees(spread_deg)} beam"
    return f"with a {degrees(spread_deg)} grid"


def has_grid(spread_deg: float) -> bool:
    return quantize(spread_deg, ANGLE_STEP) < 180


def stops_phrase(stops: float) -> str:
    """An incident-meter level against the key: "metered 2 stops under the key", "metered 1 stop
    over the key", "metered equal to the key"."""
    stated = quantize(stops, STOPS_STEP)
    if stated == 0:
        return "metered equal to the key"
    text = number(abs(stated), STOPS_STEP)
    unit = "stop" if text == "1" else "stops"
    return f"metered {text} {unit} {'under' if stated < 0 else 'over'} the key"


def ratio_value(stops: float) -> float:
    """The key-to-light ratio 2**-stops to two significant digits (1:2 is 0.5)."""
    if stops <= 0:
        return significant(2.0 ** -stops, RATIO_DIGITS)
    return 1.0 / significant(2.0 ** stops, RATIO_DIGITS)


def ratio_phrase(stops: float) -> str:
    """Key-to-other ratio at the meter: "4:1" for −2 stops, "2.8:1" for −1.5, "1:2" for +1."""
    if stops <= 0:
        return f"{_digits(significant(2.0 ** -stops, RATIO_DIGITS))}:1"
    return f"1:{_digits(significant(2.0 ** stops, RATIO_DIGITS))}"


def _digits(x: float) -> str:
    return f"{x:.6f}".rstrip("0").rstrip(".")


def distance_phrase(metres: float, units: str) -> str:
    if units == "imperial":
        ft = quantize(metres / 0.3048, FEET_STEP)
        return f"{number(ft, FEET_STEP)} {'foot' if ft == 1 else 'feet'}"
    return f"{number(metres, METRES_STEP)} m"


def chain_length_phrase(metres: float, units: str) -> str:
    if units == "imperial":
        return f"{number(metres / 0.0254, INCH_STEP)}-inch"
    return f"{number(metres * 100.0, CM_STEP)} cm"


def mm_phrase(mm: float) -> str:
    return f"{number(mm, MM_STEP)} mm"


def roughness_text(r: float) -> str:
    return number(r, ROUGHNESS_STEP)


def temperature_phrase(kelvin: float) -> str:
    k = quantize(kelvin, KELVIN_STEP)
    for limit, word in TEMPERATURE_CLASSES:
        if k < limit:
            return f"{number(k, KELVIN_STEP)} K {word}"
    raise AssertionError("unreachable")  # pragma: no cover


def skin_tone_phrase(melanin: float) -> str:
    word = next(w for limit, w in SKIN_TONES if melanin < limit)
    return f"{word} skin at {number(melanin * 100.0, PERCENT_STEP)}% melanin"


def rgb_text(rgb: tuple[int, int, int]) -> str:
    return "RGB {}/{}/{}".format(*rgb)


def join_words(words: list[str]) -> str:
    """"a", "a and b", "a, b and c" (no Oxford comma: fewer tokens, reads the same)."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def regions_phrase(regions: tuple[str, ...]) -> str:
    """"the ears and nostrils": one article for the whole list."""
    return "the " + join_words([REGION_WORDS[r] for r in regions])


def ratio_from_resolution(width: int, height: int) -> str:
    g = math.gcd(width, height)
    return f"{width // g}:{height // g}"


def orientation(width: int, height: int) -> str:
    return "vertical" if height > width else "horizontal" if width > height else "square"
