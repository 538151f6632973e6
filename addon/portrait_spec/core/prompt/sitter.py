"""Who is in the frame: the sitter's words, first in every target, each recorded as a claim.

Kept apart from ``phrases.py`` (the studio's words) so the two evolve separately; ``facts``
calls ``sitter_words`` once and the targets quote its fragments verbatim.

Who (a person; the mannequin and a model are "a sitter")
    Sex from ``subject.body.sex``: up to 0.25 "woman", from 0.75 "man", between "androgynous
    person" (the blend of MakeHuman's two shapes reads as neither). Age in whole years
    ("32-year-old"). Build from MakeHuman's weight and muscle scales: weight up to 0.3 "slim",
    from 0.7 "heavy", else "average"; muscle from 0.7 adds "muscular" ("of slim muscular
    build"). These words are stated, not measured (``core.claim_coverage``).

Skin tone (every sitter), beside the melanin fraction
    The rendered albedo of ``core.skin_tone`` (melanin, haemoglobin) in CIELAB; the Individual
    Typology Angle ITA = atan((L* - 50) / b*) (Chardon, Cretois & Hourseau 1991) in the skin
    colour categories of Del Bino et al. 2006 (very light > 55 deg, light > 41, intermediate
    > 28, tan > 10, brown > -30, dark), named by the Fitzpatrick phototype each category is
    usually taken for (I-VI; an approximation: phototype is a sunburn history, not a colour);
    and the nearest of the Monk Skin Tone scale's ten swatches (Monk 2019, the published sRGB
    values) by CIEDE2000. "light skin of Fitzpatrick II and Monk 5 at 1.5% melanin"
    (no parentheses: SDXL tools read them as emphasis).

Expression, hair, head and gaze (a person)
    The expression by name ("a slight smile"), with its intensity in percent when under 100.
    The hair as a person says it, each word a claim ``verify`` measures on the strands: the cut
    (``subject.hair.style``: "close-cropped", "short", "bob" (cut at a line near the chin), "long
    ... behind the shoulders", "tied back in a ponytail", "tied back in a bun", "a shaved head
    and dark brown eyebrows"; short hair without a parting is "combed back") and the parting
    ("side-parted" for either side, "centre-parted"; none: not said): "side-parted dark brown
    bob". Its shade from Principled Hair melanin and redness by the
    documented, sourced rule of ``hair_color`` (white, platinum, blonde, dark blonde, light brown,
    brown, dark brown, black; strawberry blonde, red, auburn when pheomelanin dominates; the words
    are approximate, the claim is the pigment). Greying hair is
    a mixture of pigmented and unpigmented (white) fibres (Tobin and Paus 2001, Exp. Gerontol.
    36:29-54), so it is stated as the share of white strands: "short dark brown hair combed back
    with 30% grey", only when there is some.
    The face's turn from the camera in whole degrees, left and right as the camera sees them
    ("face turned 20° to camera left", or "facing the camera"); the chin's lift ("chin raised
    10°", "chin lowered 10°", "chin level"); a sideways tilt only when there is one ("head tipped
    5° towards camera left"); the shoulders' turn when there is one. The gaze: "eyes on the lens",
    or "eyes 15° left of and 5° above the lens" (camera sides).

Clothing (a person)
    "in a black matte cotton off-shoulder top in RGB 28/30/38": the colour's CSS name
    (``color_names``) beside its exact 8-bit value, the fabric, the neckline.

Each fragment names what it is about (smile, expression, face, chin, head, shoulders, eyes,
top), so SDXL can carry it as a tag of its own; ``stated_in`` reads every phrase back.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..color import linear_to_srgb
from ..skin_tone import skin_albedo
from ..spec import Spec
from . import phrases as ph
from .ciede2000 import delta_e_2000, lab_from_srgb8
from .claims import ClaimLog, ClaimValue
from .color_names import color_name
from .hair_color import SHADE_WORDS, hair_shade

SEX_WORDS: tuple[tuple[float, str], ...] = ((0.25, "woman"), (0.75, "androgynous person"), (math.inf, "man"))
SEXES: tuple[str, ...] = tuple(word for _, word in SEX_WORDS)
BUILDS: tuple[str, ...] = ("slim", "heavy", "average")
#: claim paths whose phrases this module words (and reads back)
PATH_PREFIXES: tuple[str, ...] = ("subject.body.", "subject.pose.", "subject.expression.", "subject.garment.", "subject.hair.")
SLIM_UP_TO = 0.3
HEAVY_FROM = 0.7
MUSCULAR_FROM = 0.7
# Del Bino et al. 2006 ITA categories (lower bounds, degrees) and the phototype each stands for.
ITA_CATEGORIES: tuple[tuple[float, str], ...] = (
    (55.0, "I"), (41.0, "II"), (28.0, "III"), (10.0, "IV"), (-30.0, "V"), (-math.inf, "VI"),
)
# Monk Skin Tone scale, tones 1-10 (Monk 2019; sRGB as published with the scale by Google).
MONK_SWATCHES: tuple[int, ...] = (
    0xF6EDE4, 0xF3E7DB, 0xF7EAD0, 0xEADABA, 0xD7BD96, 0xA07E56, 0x825C43, 0x604134, 0x3A312A, 0x292420,
)
EXPRESSION_WORDS: dict[str, str] = {
    "neutral": "a neutral expression", "slight_smile": "a slight smile", "smile": "a closed-mouth smile",
    "serious": "a serious expression",
}
STYLE_WORDS: dict[str, str] = {
    "shaved": "a shaved head", "close_cropped": "close-cropped", "short": "short", "bob": "bob", "long": "long",
    "ponytail": "tied back in a ponytail", "bun": "tied back in a bun",
}
PARTING_WORDS: dict[str, str] = {"side": "side-parted", "centre": "centre-parted"}
NECKLINE_WORDS: dict[str, str] = {"strapless": "strapless", "off_shoulder": "off-shoulder", "scoop": "scoop-neck", "boat": "boat-neck"}
FABRIC_WORDS: dict[str, str] = {"matte_cotton": "matte cotton", "silk": "silk"}


@dataclass(frozen=True)
class SitterWords:
    who: str               # "a 32-year-old woman of average build" (or "a sitter")
    tone: str              # "light skin of Fitzpatrick II and Monk 5 at 1.5% melanin"
    look: tuple[str, ...]  # ("a slight smile", "facing the camera", "chin level", "eyes on the lens", "in a ... top")


def _class_word(classes: tuple[tuple[float, str], ...], value: float) -> tuple[str, tuple[float | None, float | None]]:
    """The word for ``value`` from ascending (upper bound inclusive, word) classes, with its band."""
    lower: float | None = None
    for upper, word in classes:
        if value <= upper:
            return word, (lower, None if math.isinf(upper) else upper)
        lower = upper
    raise ValueError(value)


def article(phrase: str) -> str:
    """"an" before a vowel sound ("an 18-year-old", "an 81-year-old", "an androgynous"), else "a"."""
    head = phrase.split("-")[0].split()[0].lower()
    if head.isdigit():
        return "an" if head.startswith("8") or head in ("11", "18") else "a"
    return "an" if head[:1] in "aeiou" else "a"


def skin_scales(melanin: float, haemoglobin: float) -> tuple[str, int, float]:
    """(Fitzpatrick numeral, Monk tone 1-10, ITA in degrees) of the model's skin albedo."""
    rgb = tuple(round(255.0 * linear_to_srgb(c)) for c in skin_albedo(melanin, haemoglobin))
    lab = lab_from_srgb8((rgb[0], rgb[1], rgb[2]))
    ita = math.degrees(math.atan2(lab[0] - 50.0, lab[2]))
    phototype = next(numeral for lower, numeral in ITA_CATEGORIES if ita > lower)
    swatches = [lab_from_srgb8(((v >> 16) & 255, (v >> 8) & 255, v & 255)) for v in MONK_SWATCHES]
    monk = 1 + min(range(len(swatches)), key=lambda i: delta_e_2000(lab, swatches[i]))
    return phototype, monk, ita


def tone_phrase(melanin: float, haemoglobin: float) -> str:
    """"light skin of Fitzpatrick II and Monk 5 at 1.5% melanin"."""
    word = next(w for limit, w in ph.SKIN_TONES if melanin < limit)
    phototype, monk, _ = skin_scales(melanin, haemoglobin)
    percent = ph.number(melanin * 100.0, ph.PERCENT_STEP)
    return f"{word} skin of Fitzpatrick {phototype} and Monk {monk} at {percent}% melanin"


def _who(spec: Spec, log: ClaimLog) -> str:
    body = spec.subject.body
    sex, _ = _class_word(SEX_WORDS, body.sex)
    age = int(ph.quantize(body.age_years, 1.0))
    age_text = f"{age}-year-old"
    weight = "slim" if body.weight <= SLIM_UP_TO else "heavy" if body.weight >= HEAVY_FROM else "average"
    muscular = body.muscle >= MUSCULAR_FROM
    build = f"of {weight}{' muscular' if muscular else ''} build"
    text = f"{article(age_text)} {age_text} {sex} {build}"
    log.number("subject.body.age_years", body.age_years, "years", text, float(age), "years")
    log.word("subject.body.sex", sex, "", text, sex, "choice")
    log.word("subject.body.weight", weight, "", text, weight, "choice")
    if muscular:
        log.word("subject.body.muscle", "muscular", "", text, "muscular", "choice")
    return text


def _turn(deg: float, what: str, none: str) -> str:
    a = ph.quantize(abs(deg), ph.ANGLE_STEP)
    return none if a == 0 else f"{what} {ph.degrees(a)} to camera {'left' if deg > 0 else 'right'}"


def _look(spec: Spec, log: ClaimLog) -> tuple[str, ...]:
    s = spec.subject
    pose, expr, garment = s.pose, s.expression, s.garment
    parts: list[str] = []
    expression = EXPRESSION_WORDS[expr.kind]
    if expr.kind != "neutral" and expr.intensity < 1.0:
        expression += f" at {ph.number(expr.intensity * 100.0, 1.0)}% intensity"
    parts.append(log.word("subject.expression.kind", expr.kind, "", expression, expr.kind, "choice"))
    parts.append(_hair(spec, log))
    face = _turn(pose.head_yaw_deg, "face turned", "facing the camera")
    parts.append(log.number("subject.pose.head_yaw_deg", pose.head_yaw_deg, "deg", face, _stated(pose.head_yaw_deg), "angle"))
    pitch = ph.quantize(pose.head_pitch_deg, ph.ANGLE_STEP)
    chin = "chin level" if pitch == 0 else f"chin {'raised' if pitch > 0 else 'lowered'} {ph.degrees(pitch)}"
    parts.append(log.number("subject.pose.head_pitch_deg", pose.head_pitch_deg, "deg", chin, _stated(pose.head_pitch_deg), "angle"))
    if ph.quantize(abs(pose.head_roll_deg), ph.ANGLE_STEP) != 0:
        roll = f"head tipped {ph.degrees(pose.head_roll_deg)} towards camera {'left' if pose.head_roll_deg > 0 else 'right'}"
        parts.append(log.number("subject.pose.head_roll_deg", pose.head_roll_deg, "deg", roll, _stated(pose.head_roll_deg), "angle"))
    if ph.quantize(abs(pose.body_turn_deg), ph.ANGLE_STEP) != 0:
        shoulders = _turn(pose.body_turn_deg, "shoulders turned", "")
        parts.append(log.number("subject.pose.body_turn_deg", pose.body_turn_deg, "deg", shoulders, _stated(pose.body_turn_deg), "angle"))
    parts.append(_gaze(spec, log))
    name = color_name(garment.color.rgb)
    top = (f"in {article(name)} {name} {FABRIC_WORDS[garment.fabric]} {NECKLINE_WORDS[garment.neckline]} top "
           f"in {ph.rgb_text(garment.color.rgb)}")
    log.word("subject.garment.color", garment.color.rgb, "sRGB8", top, garment.color.rgb, "rgb")
    log.word("subject.garment.fabric", garment.fabric, "", top, garment.fabric, "choice")
    log.word("subject.garment.neckline", garment.neckline, "", top, garment.neckline, "choice")
    parts.append(top)
    return tuple(parts)


def parting_word(parting: str) -> str | None:
    """"side" (either side: which one is ambiguous in words), "centre", or None (no parting)."""
    return None if parting == "none" else "centre" if parting == "centre" else "side"


def _hair(spec: Spec, log: ClaimLog) -> str:
    hair = spec.subject.hair
    shade, style = hair_shade(hair.melanin, hair.redness), hair.style
    grey = ph.quantize(hair.greying * 100.0, ph.PERCENT_STEP)
    parting = parting_word(hair.parting)
    parted = f"{PARTING_WORDS[parting]} " if parting else ""
    with_ = f" with {ph.number(grey, ph.PERCENT_STEP)}% grey" if grey > 0.0 else ""
    word = STYLE_WORDS[style]
    if style == "shaved":
        text = f"{word} and {shade} eyebrows"
    elif style in ("ponytail", "bun"):
        text = f"{parted}{shade} hair {word}{with_}"
    elif style == "bob":  # a bob is a cut, not a length: "a brown bob", not "bob brown hair"
        text = f"{parted}{shade} {word}{with_}"
    else:
        after = " behind the shoulders" if style == "long" else " combed back" if style == "short" and not parting else ""
        text = f"{parted}{word} {shade} hair{after}{with_}"
    log.word("subject.hair.melanin", shade, "", text, shade, "choice")
    log.word("subject.hair.style", style, "", text, style, "choice")
    if style != "shaved" and grey > 0.0:
        log.number("subject.hair.greying", hair.greying * 100.0, "%", text, grey, "percent")
    if style != "shaved" and parting:
        log.word("subject.hair.parting", parting, "", text, parting, "choice")
    return text


def _gaze(spec: Spec, log: ClaimLog) -> str:
    pose = spec.subject.pose
    yaw, pitch = ph.quantize(pose.gaze_yaw_deg, ph.ANGLE_STEP), ph.quantize(pose.gaze_pitch_deg, ph.ANGLE_STEP)
    if pose.gaze == "camera" or (yaw == 0 and pitch == 0):
        return log.word("subject.pose.gaze", "camera", "", "eyes on the lens", "camera", "choice")
    sides = []
    if yaw != 0:
        sides.append(f"{ph.degrees(yaw)} {'left' if yaw > 0 else 'right'} of")
    if pitch != 0:
        sides.append(f"{ph.degrees(pitch)} {'above' if pitch > 0 else 'below'}")
    text = f"eyes {' and '.join(sides)} the lens"
    log.number("subject.pose.gaze_yaw_deg", pose.gaze_yaw_deg, "deg", text, _stated(pose.gaze_yaw_deg), "angle")
    log.number("subject.pose.gaze_pitch_deg", pose.gaze_pitch_deg, "deg", text, _stated(pose.gaze_pitch_deg), "angle")
    return text


def _stated(deg: float) -> float:
    return math.copysign(ph.quantize(abs(deg), ph.ANGLE_STEP), deg) + 0.0


def sitter_words(spec: Spec, log: ClaimLog) -> SitterWords:
    """The sitter's fragments, claims recorded; the skin tone's claim is ``skin.tone.melanin``."""
    tone_text = tone_phrase(spec.skin.tone.melanin, spec.skin.tone.haemoglobin)
    tone = log.number("skin.tone.melanin", spec.skin.tone.melanin * 100.0, "%", tone_text,
                      ph.quantize(spec.skin.tone.melanin * 100.0, ph.PERCENT_STEP), "percent")
    if spec.subject.kind != "person":
        return SitterWords("a sitter", tone, ())
    return SitterWords(_who(spec, log), tone, _look(spec, log))


def _angle(text: str, phrase: str) -> float:
    """The signed angle in ``phrase`` after ``text``: + for camera left, raised, above."""
    m = re.search(re.escape(text) + r" (\d+(?:\.\d+)?)° ?(?:to camera |towards camera )?(left|right|of|above|below)?", phrase)
    if m is None:
        raise ValueError(f"no angle after {text!r} in {phrase!r}")
    value = float(m.group(1))
    return -value if m.group(2) in ("right", "below") else value


def stated_in(path: str, phrase: str) -> ClaimValue:
    """What a sitter phrase states for the claim at ``path``, read from its words alone (the
    inverse of the rules above; ``parse.stated_in`` hands sitter paths here)."""
    field = path.rsplit(".", 1)[1]
    if path == "subject.body.age_years":
        return float(_search(r"(\d+)-year-old", phrase))
    if path == "subject.body.sex":
        return _one_of(SEXES, phrase)
    if path == "subject.body.weight":
        return _one_of(BUILDS, phrase)
    if path == "subject.body.muscle":
        return _one_of(("muscular",), phrase)
    if path == "subject.expression.kind":
        return _key_of(EXPRESSION_WORDS, phrase)
    if path == "subject.hair.melanin":
        return _longest_of(SHADE_WORDS, phrase)
    if path == "subject.hair.style":
        return next(style for style, word in sorted(STYLE_WORDS.items(), key=lambda kv: -len(kv[1]))
                    if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", phrase))
    if path == "subject.hair.parting":
        return _key_of(PARTING_WORDS, phrase)
    if path == "subject.hair.greying":
        return float(_search(r"with (\d+(?:\.\d+)?)% grey", phrase))
    if path == "subject.garment.fabric":
        return _key_of(FABRIC_WORDS, phrase)
    if path == "subject.garment.neckline":
        return _key_of(NECKLINE_WORDS, phrase)
    if path == "subject.pose.gaze":
        return "camera" if phrase == "eyes on the lens" else "direction"
    if field == "head_yaw_deg":
        return 0.0 if phrase == "facing the camera" else _angle("face turned", phrase)
    if field == "body_turn_deg":
        return _angle("shoulders turned", phrase)
    if field == "head_pitch_deg":
        if phrase == "chin level":
            return 0.0
        raised = "chin raised" in phrase
        return _angle("chin raised" if raised else "chin lowered", phrase) * (1.0 if raised else -1.0)
    if field == "head_roll_deg":
        return _angle("head tipped", phrase)
    if field == "gaze_yaw_deg":
        m = re.search(r"(\d+(?:\.\d+)?)° (left|right) of", phrase)
        return 0.0 if m is None else (float(m.group(1)) if m.group(2) == "left" else -float(m.group(1)))
    if field == "gaze_pitch_deg":
        m = re.search(r"(\d+(?:\.\d+)?)° (above|below)", phrase)
        return 0.0 if m is None else (float(m.group(1)) if m.group(2) == "above" else -float(m.group(1)))
    raise ValueError(f"no reading rule for {path}")


def _search(pattern: str, phrase: str) -> str:
    m = re.search(pattern, phrase)
    if m is None:
        raise ValueError(f"{pattern!r} not in {phrase!r}")
    return m.group(1)


def _one_of(words: tuple[str, ...], phrase: str) -> str:
    found = [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", phrase)]
    if len(found) != 1:
        raise ValueError(f"{phrase!r} names {found} of {words}")
    return found[0]


def _longest_of(words: tuple[str, ...], phrase: str) -> str:
    """The longest of ``words`` in ``phrase`` ("dark brown", not the "brown" inside it)."""
    for word in sorted(words, key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", phrase):
            return word
    raise ValueError(f"{phrase!r} names none of {words}")


def _key_of(words: dict[str, str], phrase: str) -> str:
    found = [key for key, word in words.items() if word in phrase]
    if len(found) != 1:
        raise ValueError(f"{phrase!r} names {found} of {sorted(words)}")
    return found[0]
