"""Glue shared by the target writers: how a light, a list or a sentence is put together from
the fact fragments. No numbers are worded here (that is ``phrases.py``)."""

from __future__ import annotations

from .facts import LightFacts
from .phrases import join_words

ROLE_NOUNS: dict[str, str] = {"key": "key light", "fill": "fill", "rim": "rim light"}


def source_noun(light: LightFacts) -> str:
    """"large softbox" or "medium strip box with a 40° grid"."""
    return f"{light.source} {light.grid}" if light.grid else light.source


def position(light: LightFacts) -> str:
    """"45° upper left, 5 feet away"."""
    return f"{light.direction}, {light.distance} away"


def is_numeric_level(level: str) -> bool:
    return level[:1] in ("\u2212", "+")


def levelled_role(light: LightFacts) -> str:
    """"−2 stops fill", "−1 stop rim light", "rim light at key level"."""
    noun = ROLE_NOUNS[light.role]
    if light.level is None:
        return noun
    return f"{light.level} {noun}" if is_numeric_level(light.level) else f"{noun} {light.level}"


def metered(level: str) -> str:
    """"metered at −2 stops" or "metered at key level"."""
    return f"metered at {level}" if is_numeric_level(level) else f"metered {level}"


def temperature_items(lights: tuple[LightFacts, ...], same: bool) -> list[tuple[str, str]]:
    """(temperature, roles) pairs, lights of one temperature grouped ("fill and rim"), or one
    pair for "all lights" when they all share it."""
    if same and len(lights) > 1:
        return [(lights[0].temperature, "all lights")]
    groups: dict[str, list[str]] = {}
    for light in lights:
        groups.setdefault(light.temperature, []).append(light.role)
    return [(temperature, join_words(roles)) for temperature, roles in groups.items()]


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


def listing(items: list[str]) -> str:
    return join_words([i for i in items if i])


def temperature_tag(temperature: str, role: str) -> str:
    """"all lights 5600 K daylight" or "3200 K tungsten key"."""
    return f"all lights {temperature}" if role == "all lights" else f"{temperature} {role}"


def brightest(level: str) -> str:
    """"brightest at −0.5 stops relative to the key" or "brightest at key level"."""
    if is_numeric_level(level):
        return f"brightest at {level} relative to the key"
    return f"brightest {level}"
