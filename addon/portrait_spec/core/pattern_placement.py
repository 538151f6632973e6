"""Placing the key for a requested lighting pattern (``lights.key.pattern``), pure.

The pattern is defined on the face, not on the camera (``core.patterns``), so the key goes to
the angles of the pattern *relative to the posed head*: its azimuth from the face's axis (the
head's yaw) on the short or broad side, its elevation above the face's horizontal (the head's
pitch). ``place_key`` writes those angles into ``lights.key`` once, when a spec is read
(``schema.spec_from_data``), so the builder, the prompt, ``scene.json`` and the read-back all see
the same key; ``problems`` says when the pattern cannot hold for this pose and rig.

The angles sit inside ``core.patterns.predict``'s bands (so the prompt names the pattern asked
for) and where ``blender/verify/patterns.py`` measures it on the default person:

* butterfly, clamshell: on the face's axis, 40 deg up (Hurter: the key high, in line with the
  nose); clamshell also needs the fill or the bounce reflector below the face, butterfly
  neither (``patterns.fill_place``);
* loop: 25 deg round, 35 deg up;
* Rembrandt: 50 deg round, 40 deg up;
* split: 90 deg round, 15 deg up (Hurter: the key beside the face, at about head height).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .errors import Problem
from .patterns import (
    CLAMSHELL_FILL_AZIMUTH_DEG,
    CLAMSHELL_FILL_ELEVATION_DEG,
    FILL_LEVEL_DEG,
    FRONTAL_DEG,
    FillAngles,
    fill_place,
    relative_azimuth,
    source_place,
)
from .spec import RIG_ROLES, FaceSide, KeyPattern, LightSpec, Spec


@dataclass(frozen=True)
class PatternAngles:
    """The key's azimuth from the face's axis (towards the lit side) and elevation above the face."""

    round_deg: float
    up_deg: float


PLACEMENT: dict[KeyPattern, PatternAngles] = {
    "butterfly": PatternAngles(0.0, 40.0),
    "clamshell": PatternAngles(0.0, 40.0),
    "loop": PatternAngles(25.0, 35.0),
    "rembrandt": PatternAngles(50.0, 40.0),
    "split": PatternAngles(90.0, 15.0),
}
# Further round than this from the camera axis the key lights the face from behind as the
# camera sees it (a kicker, not a key): the side it lights turns away from the lens.
KEY_REACH_DEG = 110.0


def _lit_side_sign(yaw_deg: float, face_side: FaceSide) -> float:
    """+1 when the key goes to camera left of the face's axis. Short: towards the side the head
    turns to (its far side); broad: the other way."""
    turned = 1.0 if yaw_deg >= 0.0 else -1.0
    return turned if face_side == "short" else -turned


def key_angles(pattern: KeyPattern, face_side: FaceSide, yaw_deg: float, pitch_deg: float) -> tuple[float, float]:
    """(azimuth, elevation) in the spec's convention for ``pattern`` on a head turned by yaw/pitch."""
    place = PLACEMENT[pattern]
    side = 1.0 if abs(yaw_deg) < FRONTAL_DEG else _lit_side_sign(yaw_deg, face_side)
    azimuth = yaw_deg + side * place.round_deg
    return (round(azimuth, 6) + 0.0, round(place.up_deg + pitch_deg, 6) + 0.0)


def place_key(spec: Spec) -> Spec:
    """``spec`` with the key at its pattern's angles (unchanged for pattern "none"); idempotent."""
    key = spec.lights.key
    if key.pattern == "none":
        return spec
    pose = spec.subject.pose
    azimuth, elevation = key_angles(key.pattern, key.face_side, pose.head_yaw_deg, pose.head_pitch_deg)
    if (azimuth, elevation) == (key.azimuth_deg, key.elevation_deg):
        return spec
    placed = dataclasses.replace(key, azimuth_deg=azimuth, elevation_deg=elevation)
    return dataclasses.replace(spec, lights=dataclasses.replace(spec.lights, key=placed))


def lower_sources(spec: Spec) -> tuple[FillAngles, ...]:
    """The enabled fill and bounce reflector: what can light the face from below (clamshell)."""
    fill, bounce = spec.lights.fill, spec.lights.bounce
    return (*((FillAngles(fill.azimuth_deg, fill.elevation_deg),) if fill.enabled else ()),
            *((FillAngles(bounce.azimuth_deg, bounce.elevation_deg),) if bounce.enabled else ()))


def problems(spec: Spec) -> list[Problem]:
    """Why the requested pattern cannot hold for this pose and rig, each naming its field."""
    found: list[Problem] = []
    for role in RIG_ROLES:
        if role != "key" and spec.lights.rig(role).pattern != "none":
            found.append(Problem(f"lights.{role}.pattern", repr(spec.lights.rig(role).pattern),
                                 "'none' (only the key takes a lighting pattern: lights.key.pattern)"))
    key = spec.lights.key
    if key.pattern == "none":
        return found
    if spec.subject.kind != "person":
        found.append(Problem("lights.key.pattern", repr(key.pattern),
                             "'none' unless subject.kind = 'person' (a pattern is placed for and measured on the person's face)"))
    pose = spec.subject.pose
    yaw, pitch = pose.head_yaw_deg, pose.head_pitch_deg
    azimuth, _ = key_angles(key.pattern, key.face_side, yaw, pitch)
    if abs(azimuth) > KEY_REACH_DEG:
        reach = KEY_REACH_DEG - PLACEMENT[key.pattern].round_deg
        other = "broad" if key.face_side == "short" else "short"
        found.append(Problem(
            "lights.key.pattern", f"{key.pattern!r} ({key.face_side}) with the head turned {yaw:g} deg (the key "
            f"would stand at {azimuth:g} deg azimuth, behind the sitter as the camera sees it)",
            f"a head turn of at most {reach:g} deg for {key.face_side} {key.pattern} (the key within "
            f"{KEY_REACH_DEG:g} deg of the camera axis), face_side = {other!r}, or another pattern"))
    lo, hi = CLAMSHELL_FILL_ELEVATION_DEG
    light = spec.lights.fill
    place = fill_place(lower_sources(spec), yaw, pitch)
    if key.pattern == "clamshell" and place != "below":
        found.append(Problem(_fill_field(light, yaw), _fill_found(light), (
            "for lights.key.pattern = 'clamshell' an enabled fill (or lights.bounce) below the face: within "
            f"{CLAMSHELL_FILL_AZIMUTH_DEG:g} deg of the face's axis (azimuth {yaw - CLAMSHELL_FILL_AZIMUTH_DEG:g} to "
            f"{yaw + CLAMSHELL_FILL_AZIMUTH_DEG:g} deg for this head turn) and {-hi:g} to {-lo:g} deg below the face "
            f"(elevation {lo + pitch:g} to {hi + pitch:g} deg for this head pitch)")))
    if key.pattern == "butterfly" and place != "level":
        under = "lights.fill" if light.enabled and source_place(FillAngles(light.azimuth_deg, light.elevation_deg), yaw,
                                                                pitch) != "level" else "lights.bounce"
        elevation = light.elevation_deg if under == "lights.fill" else spec.lights.bounce.elevation_deg
        found.append(Problem(f"{under}.elevation_deg", f"{elevation:g} with lights.key.pattern = 'butterfly'", (
            f"at least {FILL_LEVEL_DEG + pitch:g} deg (no more than {-FILL_LEVEL_DEG:g} deg below the face, which "
            "would light it from below), or lights.key.pattern = 'clamshell' with it in that pattern's band")))
    return found


def _fill_field(fill: LightSpec, yaw: float) -> str:
    """The fill's field that keeps it out of clamshell's band."""
    if not fill.enabled:
        return "lights.fill.enabled"
    if abs(relative_azimuth(fill.azimuth_deg, yaw)) > CLAMSHELL_FILL_AZIMUTH_DEG:
        return "lights.fill.azimuth_deg"
    return "lights.fill.elevation_deg"


def _fill_found(fill: LightSpec) -> str:
    if not fill.enabled:
        return "disabled"
    return f"azimuth {fill.azimuth_deg:g} deg, elevation {fill.elevation_deg:g} deg"


def is_placed(spec: Spec) -> bool:
    """Whether the key stands where its pattern puts it (always true for pattern "none")."""
    return place_key(spec) == spec
