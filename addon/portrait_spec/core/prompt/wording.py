"""Glue shared by the target writers: how a light, a list or a sentence is put together from
the fact fragments. No numbers are worded here (that is ``phrases.py``).

A light reads, in every target, source and role first, then where it is, then its level:
"large softbox key light 45° camera left and 45° up, 5 feet away", "large square softbox fill
at 6.5 feet, 40° camera right and 10° up, metered 2 stops under the key (4:1 key-to-fill)".
Only the first light says "away"; the others put the distance after "at", so the phrase is not
repeated once per light.
"""

from __future__ import annotations

from .facts import Facts, LightFacts
from .phrases import join_words

ROLE_NOUNS: dict[str, str] = {"key": "key light", "fill": "fill", "rim": "rim light"}


def source_noun(light: LightFacts) -> str:
    """"large softbox" or "medium strip box with a 40° grid"."""
    return f"{light.source} {light.grid}" if light.grid else light.source


def placement(light: LightFacts, first: bool) -> str:
    """"45° camera left and 45° up, 5 feet away" (the first light) or "at 6.5 feet, 40° camera
    right and 10° up" (the others)."""
    return f"{light.direction}, {light.distance} away" if first else f"at {light.distance}, {light.direction}"


def level(light: LightFacts, *, catchlight_too: bool = True) -> str:
    """", metered 2 stops under the key (4:1 key-to-fill)"; for the key its pattern, ": short
    Rembrandt lighting", or ""; then the light's catchlight, ", strip catchlight at 2 o'clock"
    (unless ``catchlight_too`` is False: Flux, ``facts.CATCHLIGHT_TARGETS``)."""
    catchlight = f", {light.catchlight}" if light.catchlight and catchlight_too else ""
    if light.level is None:
        return (f": {light.pattern}" if light.pattern else "") + catchlight
    return f", {light.level}" + (f" ({light.ratio})" if light.ratio else "") + catchlight


def light_phrase(light: LightFacts, first: bool, *, sd_tag: bool = False) -> str:
    """The whole light as one phrase (tags and lists): "medium strip box rim light with a 40° grid
    at 6 feet, behind the sitter's left shoulder, ...". An SD tag cannot hold parentheses (they
    are emphasis there), so there the fill's ratio follows a comma and stands for its level, and
    the key's pattern is a tag of its own (``targets.sdxl``: the key's tag must fit CLIP's first
    chunk)."""
    head = f"{light.source} {ROLE_NOUNS[light.role]}" + (f" {light.grid}" if light.grid else "")
    joiner = ", " if light.grid and first else " "
    text = f"{head}{joiner}{placement(light, first)}"
    if sd_tag and light.ratio:
        return f"{text}, {light.ratio}"
    if sd_tag and light.level is None:
        return text
    return text + level(light)


def lights_in_order(facts: Facts) -> list[tuple[LightFacts, bool]]:
    return [(light, i == 0) for i, light in enumerate(facts.lights)]


def temperature_items(lights: tuple[LightFacts, ...], same: bool) -> list[tuple[str, str]]:
    """(temperature, roles) pairs, lights of one temperature grouped ("fill and rim light"), or
    one pair for "all lights" when they all share it."""
    if same and len(lights) > 1:
        return [(lights[0].temperature, "all lights")]
    groups: dict[str, list[str]] = {}
    for light in lights:
        groups.setdefault(light.temperature, []).append(ROLE_NOUNS[light.role])
    return [(temperature, join_words(roles)) for temperature, roles in groups.items()]


def temperature_tag(temperature: str, role: str) -> str:
    """"all lights 5600 K daylight" or "key light 3200 K tungsten"."""
    return f"{role} {temperature}"


def indefinite(phrase: str) -> str:
    """"a" or "an" for ``phrase`` as it is read aloud ("an 18-inch", "an 8 mm", "a 45 cm")."""
    head = phrase.split()[0].split("-")[0].lower()
    digits = head.split(".")[0]
    if digits.isdigit():
        spoken_vowel = digits.startswith("8") or (len(digits) in (2, 5) and digits.startswith(("11", "18")))
        return "an" if spoken_vowel else "a"
    return "an" if head[:1] in "aeio" else "a"


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def listing(items: list[str | None]) -> str:
    return join_words([i for i in items if i])


def subject_phrase(facts: Facts, *, look: bool = True, tone: bool = True) -> str:
    """"head-and-shoulders studio portrait photograph of a 32-year-old woman of average build with
    light skin of ... at 1.5% melanin, a slight smile, facing the camera, ...": the framing, the word
    "photograph" and who, first in every target; ``look=False`` leaves out the expression, head,
    gaze and clothing (SDXL makes each its own tag: ``look_phrases``), ``tone=False`` the skin tone
    (SDXL's own tag too)."""
    cam, who = facts.camera, facts.subject
    tail = "".join(f", {part}" for part in who.look) if look else ""
    skin = f" with {who.tone}" if tone else ""
    return f"{cam.framing} studio portrait photograph of {who.who}{skin}{tail}"


def look_phrases(facts: Facts) -> tuple[str, ...]:
    """The person's expression, head turn, gaze and clothing, one fragment each."""
    return facts.subject.look


def chain_phrase(facts: Facts) -> str | None:
    """"an 18-inch 24k hammered gold cable chain on the collarbones"."""
    j = facts.jewelry
    return f"{indefinite(j.chain)} {j.chain} on the collarbones" if j else None


def backdrop_phrase(facts: Facts, *, spill: bool) -> str:
    """The backdrop as one phrase: "seamless deep pink cyclorama in exact RGB 255/0/128 (with no
    light spill), 8 feet behind the sitter"; a gradient adds its falloff and level."""
    bg = facts.background
    if bg.mode == "extraction":
        look = f"{bg.cyclorama} in {bg.color}" + (f" with {bg.spill}" if spill and bg.spill else "")
        return f"{look}, {bg.distance}"
    if bg.mode == "gradient":
        return f"{bg.cyclorama} {bg.color}, {bg.distance}, with a {bg.gradient}, its {bg.level}"
    return f"{bg.cyclorama} {bg.color}, {bg.distance}, {bg.lit}"


def camera_phrase(facts: Facts) -> str:
    """"105mm lens at f/5.6, camera at eye level"."""
    cam = facts.camera
    return f"{cam.lens} at {cam.aperture}, camera {cam.height}"


def roughness_list(facts: Facts) -> str:
    """"skin specular roughness 0.3 on the cheekbones, 0.55 on the oily forehead, 0.63 elsewhere"."""
    return "skin specular roughness " + ", ".join(facts.skin.roughness)
