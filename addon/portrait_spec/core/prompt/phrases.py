"""Words from numbers: the documented rules that turn spec quantities into prompt phrases.

Every rule here is deterministic and has an inverse in ``parse.py`` so a phrase can be read
back to the number (or the band of numbers) it states.

Numbers
    Rounded half away from zero to the rule's step, trailing zeros dropped ("5", "6.5", "0.15").
    Negative numbers use the minus sign U+2212 ("−2"), never a hyphen, so "−2 stops" cannot be
    mistaken for a range or a Midjourney parameter.

Direction (camera-left convention, as in spec.py)
    Azimuth and elevation are stated in whole degrees. Left and right are always the camera's
    (what the viewer of the image sees). Azimuth 0 is "on the lens axis", 180 "directly behind".
    Elevation 0 is "at eye level", positive "N° above eye level", negative "N° below eye level";
    the two are joined by "and" ("40° right and 10° above eye level"), by a space before "at eye
    level", and by a comma after "on the lens axis" or "directly behind".
    A light whose azimuth and elevation round to the same angle between 20 and 69 deg is
    "N° upper left/right", the photographer's shorthand. Beyond 90 deg of azimuth the light is
    also placed "behind the left/right shoulder".

Source size (how soft the light is)
    The apparent size is sqrt(emitting area) / distance (about the angle, in radians, the source
    spans seen from the face): >= 0.6 "large", >= 0.3 "medium", otherwise "small".
    The modifier word comes from the shape: disk "octabox", ellipse "oval softbox", a rectangle
    whose long side is at least 2.5x its short side "strip box", equal sides "square softbox",
    any other rectangle "softbox". A beam spread under 180 deg adds "with a N° grid".

Stops and ratios
    Stops to 0.1 ("−2 stops", "−1 stop", "+0.5 stops"; 0 is "at key level"). The ratio is
    2**-stops to 1, to 0.1 ("4:1", "2.8:1"); a fill brighter than the key reads "1:2".

Distances
    spec.prompt.units = "imperial": feet to 0.5 ft ("5 feet", "1 foot"), chain length in whole
    inches ("18-inch"). "metric": metres to 0.1 m ("2.4 m"), chain length in whole cm ("45 cm").
    Millimetre-scale detail (pores, hair, facets, wire) is always in mm.

Colour temperature
    < 3500 K "tungsten", < 4800 K "warm white", < 6500 K "daylight", otherwise "cool daylight";
    the kelvins are stated to 100 K ("5600 K daylight").

Colour names (for the backdrop, always next to the exact RGB)
    HSV of the 8-bit sRGB value. Saturation < 0.15 or value < 0.08 is achromatic: value >= 0.9
    "white", >= 0.65 "light grey", >= 0.35 "grey", >= 0.08 "dark grey", else "black". Otherwise a
    hue band (red <15 or >=345, orange <40, yellow <70, yellow-green <100, green <160, cyan <200,
    blue <250, violet <285, magenta <345); orange and yellow under value 0.6 read "brown";
    under value 0.35 any hue is "dark ...", and saturation under 0.4 with value over 0.8 "pale ...".

Skin tone from epidermal melanin fraction
    The categories of Jacques ("Skin Optics", OMLC News, Jan 1998) for the melanosome volume
    fraction of the epidermis: light-skinned adults 1.3-6.3 %, moderately pigmented 11-16 %,
    darkly pigmented 18-43 %; the gaps between them are split at their midpoints. < 0.013
    "very fair" (less than Jacques's lightest adults), < 0.0865 "light", < 0.17 "medium", < 0.43
    "dark", else "very dark" (his darkest and beyond), stated with the percentage ("light skin
    with 2% melanin"). ``core.skin_tone`` renders these words: 1.3-2 % lands in the measured
    reflectance of lightly pigmented skin, 18-43 % is dark brown.
"""

from __future__ import annotations

import colorsys
import math
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
DEGREE = "\u00b0"

ANGLE_STEP = 1.0
STOPS_STEP = 0.1
RATIO_STEP = 0.1
FEET_STEP = 0.5
METRES_STEP = 0.1
KELVIN_STEP = 100.0

SIZE_CLASSES: tuple[tuple[float, str], ...] = ((0.6, "large"), (0.3, "medium"), (0.0, "small"))
STRIP_ASPECT = 2.5
UPPER_SHORTHAND_BAND = (20, 69)

TEMPERATURE_CLASSES: tuple[tuple[float, str], ...] = (
    (3500.0, "tungsten"), (4800.0, "warm white"), (6500.0, "daylight"), (math.inf, "cool daylight"),
)
# Jacques 1998 categories: light 1.3-6.3 %, moderate 11-16 %, dark 18-43 %; gaps split midway.
SKIN_TONES: tuple[tuple[float, str], ...] = (
    (0.013, "very fair"), ((0.063 + 0.11) / 2, "light"), ((0.16 + 0.18) / 2, "medium"), (0.43, "dark"),
    (math.inf, "very dark"),
)
HUE_BANDS: tuple[tuple[float, str], ...] = (
    (15.0, "red"), (40.0, "orange"), (70.0, "yellow"), (100.0, "yellow-green"), (160.0, "green"),
    (200.0, "cyan"), (250.0, "blue"), (285.0, "violet"), (345.0, "magenta"), (360.0, "red"),
)

REGION_WORDS: dict[str, str] = {
    "forehead": "forehead", "nasal_bridge": "nasal bridge", "nose_tip": "nose tip", "nostrils": "nostrils",
    "cheekbones": "cheekbones", "cheeks": "cheeks", "lips": "lips", "chin": "chin", "jawline": "jawline",
    "ears": "ears", "neck": "neck", "clavicles": "clavicles",
}
FRAMING_WORDS: dict[str, str] = {
    "closeup": "close-up", "head_and_shoulders": "head-and-shoulders", "half_body": "half-length",
}


def quantize(x: float, step: float) -> float:
    """Round half away from zero to a multiple of ``step`` (Decimal, so 0.25 -> 0.3 exactly)."""
    q = Decimal(repr(step))
    return float((Decimal(repr(float(x))) / q).quantize(Decimal(1), rounding=ROUND_HALF_UP) * q)


def number(x: float, step: float = 0.01) -> str:
    """``x`` rounded to ``step``, shortest form, U+2212 for negatives, never "−0"."""
    value = quantize(x, step)
    decimals = max(0, -Decimal(repr(step)).normalize().as_tuple().exponent)  # type: ignore[operator]
    text = f"{abs(value):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{MINUS}{text}" if value < 0 and text != "0" else text


def signed(x: float, step: float) -> str:
    """Like ``number`` but with an explicit plus sign for positive values."""
    text = number(x, step)
    return text if text.startswith(MINUS) or text == "0" else f"+{text}"


def degrees(x: float) -> str:
    return f"{number(abs(x), ANGLE_STEP)}{DEGREE}"


def side_word(azimuth_deg: float) -> str:
    return "left" if azimuth_deg > 0 else "right"


def azimuth_phrase(azimuth_deg: float) -> str:
    a = quantize(abs(azimuth_deg), ANGLE_STEP)
    if a == 0:
        return "on the lens axis"
    if a >= 180:
        return "directly behind"
    return f"{degrees(a)} {side_word(azimuth_deg)}"


def elevation_phrase(elevation_deg: float) -> str:
    e = quantize(elevation_deg, ANGLE_STEP)
    if e == 0:
        return "at eye level"
    return f"{degrees(e)} {'above' if e > 0 else 'below'} eye level"


def direction_phrase(azimuth_deg: float, elevation_deg: float) -> str:
    """Where a light is, seen from the camera: "45° upper left", "40° right and 10° above eye level",
    "20° right at eye level", "on the lens axis, 40° above eye level"."""
    a, e = quantize(abs(azimuth_deg), ANGLE_STEP), quantize(elevation_deg, ANGLE_STEP)
    lo, hi = UPPER_SHORTHAND_BAND
    if a == e and lo <= e <= hi:
        return f"{degrees(a)} upper {side_word(azimuth_deg)}"
    horizontal, vertical = azimuth_phrase(azimuth_deg), elevation_phrase(elevation_deg)
    if e == 0:
        where = f"{horizontal} {vertical}"
    elif a == 0 or a >= 180:
        where = f"{horizontal}, {vertical}"
    else:
        where = f"{horizontal} and {vertical}"
    if 90 < a < 180:
        return f"behind the {side_word(azimuth_deg)} shoulder, {where}"
    return where


def apparent_size(area_m2: float, distance_m: float) -> float:
    """sqrt(area) / distance: roughly the angle in radians the source spans from the face."""
    return math.sqrt(area_m2) / distance_m


def size_class(apparent: float) -> str:
    for threshold, word in SIZE_CLASSES:
        if apparent >= threshold:
            return word
    return SIZE_CLASSES[-1][1]


def modifier_word(shape: str, width_m: float, height_m: float) -> str:
    if shape == "disk":
        return "octabox"
    if shape == "ellipse":
        return "oval softbox"
    if shape == "square":
        return "square softbox"
    long_side, short_side = max(width_m, height_m), min(width_m, height_m)
    if long_side >= STRIP_ASPECT * short_side:
        return "strip box"
    if quantize(long_side, 0.01) == quantize(short_side, 0.01):
        return "square softbox"
    return "softbox"


def grid_phrase(spread_deg: float) -> str:
    return f"with a {degrees(spread_deg)} grid"


def has_grid(spread_deg: float) -> bool:
    return quantize(spread_deg, ANGLE_STEP) < 180


def stops_phrase(stops: float) -> str:
    """"−2 stops", "−1 stop", "+0.5 stops"; zero is "at key level"."""
    text = signed(stops, STOPS_STEP)
    if text == "0":
        return "at key level"
    unit = "stop" if text in (f"{MINUS}1", "+1") else "stops"
    return f"{text} {unit}"


def ratio_phrase(stops: float) -> str:
    """Key-to-other ratio at the meter from the stated stops: 4:1 for −2 stops, 1:2 for +1."""
    stated = quantize(stops, STOPS_STEP)
    if stated <= 0:
        return f"{number(2.0 ** -stated, RATIO_STEP)}:1"
    return f"1:{number(2.0 ** stated, RATIO_STEP)}"


def ratio_value(stops: float) -> float:
    """The key-to-other ratio ``ratio_phrase`` states, as one number (1:2 is 0.5)."""
    stated = quantize(stops, STOPS_STEP)
    if stated <= 0:
        return quantize(2.0 ** -stated, RATIO_STEP)
    return 1.0 / quantize(2.0 ** stated, RATIO_STEP)


def distance_phrase(metres: float, units: str) -> str:
    if units == "imperial":
        ft = quantize(metres / 0.3048, FEET_STEP)
        return f"{number(ft, FEET_STEP)} {'foot' if ft == 1 else 'feet'}"
    return f"{number(metres, METRES_STEP)} m"


def chain_length_phrase(metres: float, units: str) -> str:
    if units == "imperial":
        return f"{number(metres / 0.0254, 1.0)}-inch"
    return f"{number(metres * 100.0, 1.0)} cm"


def mm_phrase(mm: float) -> str:
    return f"{number(mm, 0.01)} mm"


def roughness_text(r: float) -> str:
    return number(r, 0.01)


def temperature_phrase(kelvin: float) -> str:
    k = quantize(kelvin, KELVIN_STEP)
    for limit, word in TEMPERATURE_CLASSES:
        if k < limit:
            return f"{number(k, KELVIN_STEP)} K {word}"
    raise AssertionError("unreachable")  # pragma: no cover


def skin_tone_phrase(melanin: float) -> str:
    word = next(w for limit, w in SKIN_TONES if melanin < limit)
    return f"{word} skin with {number(melanin * 100.0, 1.0)}% melanin"


def rgb_text(rgb: tuple[int, int, int]) -> str:
    return "RGB {}/{}/{}".format(*rgb)


def color_name(rgb: tuple[int, int, int]) -> str:
    h, s, v = colorsys.rgb_to_hsv(*(c / 255.0 for c in rgb))
    if s < 0.15 or v < 0.08:
        for limit, word in ((0.9, "white"), (0.65, "light grey"), (0.35, "grey"), (0.08, "dark grey")):
            if v >= limit:
                return word
        return "black"
    hue = h * 360.0
    name = next(word for limit, word in HUE_BANDS if hue < limit)
    if name in ("orange", "yellow") and v < 0.6:
        name = "brown"
    if v < 0.35:
        return f"dark {name}"
    if s < 0.4 and v > 0.8:
        return f"pale {name}"
    return name


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
