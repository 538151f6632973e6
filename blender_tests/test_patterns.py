"""The key's lighting pattern measured on the person's face (blender/verify/patterns.py): each
pattern preset measures as its pattern and as none of the patterns it excludes, the prompt's
pattern claim is what the face shows, moving the Rembrandt key round to the face's axis (or the
clamshell fill up to the face) changes both, and a requested pattern (``lights.key.pattern``)
follows a head turn. Each preset is built and measured once per module (ray casts, no renders)."""

from __future__ import annotations

from pathlib import Path

import bpy
import pytest

from portrait_spec.blender.api import build_scene
from portrait_spec.blender.readback import spec_from_scene
from portrait_spec.blender.verify.patterns import PatternReading, measure
from portrait_spec.blender.verify.verify import verify_claims
from portrait_spec.core.patterns import CENTRED, FILL_BELOW, LIT
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import load_spec

SCENES = Path(__file__).resolve().parent.parent / "scenes"
# Each pattern preset, the pattern and side it must measure as.
PRESETS = {"rembrandt": ("rembrandt", "short"), "loop": ("loop", "short"), "split": ("split", "frontal"),
           "butterfly": ("butterfly", "frontal"), "clamshell": ("clamshell", "frontal"),
           "broad": ("rembrandt", "broad"), "short": ("loop", "short")}
_READINGS: dict[str, tuple[Spec, PatternReading]] = {}


def _measured(scene: bpy.types.Scene, name: str, *overrides: str) -> tuple[Spec, PatternReading]:
    spec = load_spec(SCENES / f"{name}.toml", list(overrides))
    build_scene(spec, scene, SCENES)
    bpy.context.view_layer.update()
    reading = measure(scene)
    assert reading is not None
    return spec, reading


def _preset(scene: bpy.types.Scene, name: str) -> tuple[Spec, PatternReading]:
    """The preset's spec and reading, built and measured once for the module."""
    if name not in _READINGS:
        _READINGS[name] = _measured(scene, name)
    return _READINGS[name]


def _claimed(spec: Spec, path: str) -> object:
    found = [c.value for c in build_prompts(spec).claims if c.path == path]
    return found[0] if found else None


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_preset_measures_as_its_pattern_and_the_prompt_says_so(scene, name):
    pattern, side = PRESETS[name]
    spec, reading = _preset(scene, name)
    assert reading.pattern == pattern, (reading.light, reading.fill_from_below)
    assert reading.side == side
    assert _claimed(spec, "lights.key.pattern") == pattern
    assert _claimed(spec, "lights.key.side") == (None if side == "frontal" or pattern == "clamshell" else side)


def _excludes(reading: PatternReading) -> dict[str, bool]:
    """Per pattern, whether the reading has the feature that pattern's definition rules out."""
    m = reading.light
    return {
        "split": m.triangle >= 0.1 or m.cheek >= 0.1,         # some light on the shadow side
        "rembrandt": m.cheek >= LIT or m.triangle < 0.1,       # shadow side open, or no lit triangle
        "loop": m.nose_shadow_lean < CENTRED or m.cheek < LIT,  # shadow centred, or joined to the cheek's
        "butterfly": abs(m.nose_shadow_lean) >= CENTRED or reading.fill_from_below >= FILL_BELOW,
        "clamshell": abs(m.nose_shadow_lean) >= CENTRED or reading.fill_from_below < FILL_BELOW,
    }


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_preset_measures_as_none_of_the_patterns_it_excludes(scene, name):
    pattern, _ = PRESETS[name]
    _, reading = _preset(scene, name)
    excluded = _excludes(reading)
    assert not excluded[pattern], reading
    assert all(ruled_out for other, ruled_out in excluded.items() if other != pattern), (excluded, reading)


def test_rembrandt_is_the_lit_triangle_not_split_or_loop(scene):
    _, reading = _preset(scene, "rembrandt")
    light = reading.light
    assert light.key_cheek > 0.9        # the key side fully lit
    assert light.cheek < 0.5 and light.band < 0.5  # nose shadow joined to the cheek shadow
    assert 0.1 <= light.triangle < 0.9  # a lit patch under the shadow-side eye


def test_butterfly_lights_both_cheeks_alike_under_a_centred_nose_shadow(scene):
    _, reading = _preset(scene, "butterfly")
    light = reading.light
    assert light.nose_shadow > 0.1
    assert abs(light.nose_shadow_lean) < 0.08
    assert abs(light.cheek - light.key_cheek) < 0.25


def test_split_when_the_key_is_beside_the_face(scene):
    spec, reading = _measured(scene, "rembrandt", "lights.key.pattern=none", "lights.key.azimuth_deg=105")
    assert reading.pattern == "split"
    assert reading.light.cheek == 0.0 and reading.light.triangle == 0.0
    assert _claimed(spec, "lights.key.pattern") == "split"


def test_moving_the_rembrandt_key_to_the_lens_axis_changes_pattern_and_prompt(scene):
    """At 0 deg azimuth the key is 15 deg off the turned face's axis: no longer Rembrandt, and
    between butterfly and loop the prompt names no pattern; on the face's axis (15 deg) both
    say butterfly."""
    spec, reading = _measured(scene, "rembrandt", "lights.key.pattern=none", "lights.key.azimuth_deg=0")
    assert reading.pattern in ("butterfly", "loop")
    assert _claimed(spec, "lights.key.pattern") is None
    assert "Rembrandt" not in build_prompts(spec).prompts["flux"]
    spec, reading = _measured(scene, "rembrandt", "lights.key.pattern=none", "lights.key.azimuth_deg=15")
    assert reading.pattern == "butterfly"
    assert _claimed(spec, "lights.key.pattern") == "butterfly"


def test_verify_passes_the_pattern_claims_and_fails_them_when_the_key_moves_by_hand(scene):
    spec, _ = _measured(scene, "rembrandt")
    claims = tuple(c for c in build_prompts(spec).claims if c.path in ("lights.key.pattern", "lights.key.side"))
    assert {c.path for c in claims} == {"lights.key.pattern", "lights.key.side"}
    report = verify_claims(spec, scene, claims)
    assert not report.failures(), report.table()
    assert {c.measured for c in report.claims if c.path} == {"rembrandt", "short"}
    key = next(o for o in scene.objects if o.get("portrait_spec_role") == "key")
    key.location.x = -key.location.x  # to camera right: the lit side of the face now faces the camera
    scene.view_layers[0].update()
    report = verify_claims(spec, scene, claims)
    failed = {c.path for c in report.failures() if c.path}  # studio rows (the key's aim) fail too
    assert failed == {"lights.key.pattern", "lights.key.side"}, report.table()


def test_raising_the_clamshell_fill_to_the_face_makes_it_butterfly_and_the_prompt_follows(scene):
    spec, reading = _measured(scene, "clamshell", "lights.key.pattern=butterfly", "lights.fill.elevation_deg=5")
    assert reading.pattern == "butterfly" and reading.fill_from_below < FILL_BELOW
    assert _claimed(spec, "lights.key.pattern") == "butterfly"
    assert "clamshell" not in build_prompts(spec).prompts["flux"]


def test_a_requested_pattern_follows_the_head_turn_and_reads_back(scene):
    """Rembrandt asked for on the broad side of a head turned the other way: the key moves to
    camera left of the face (-20 + 50 deg), the face still shows Rembrandt, broad; the scene
    reads back with the pattern until the key is moved by hand."""
    spec, reading = _measured(scene, "rembrandt", "subject.pose.head_yaw_deg=-20", "lights.key.face_side=broad")
    assert (spec.lights.key.azimuth_deg, spec.lights.key.elevation_deg) == (30.0, 40.0)
    assert (reading.pattern, reading.side) == ("rembrandt", "broad")
    assert (_claimed(spec, "lights.key.pattern"), _claimed(spec, "lights.key.side")) == ("rembrandt", "broad")
    assert spec_from_scene(scene).lights.key == spec.lights.key
    key = next(o for o in scene.objects if o.get("portrait_spec_role") == "key")
    key.location.z += 0.3
    scene.view_layers[0].update()
    moved = spec_from_scene(scene).lights.key
    assert moved.pattern == "none" and moved.elevation_deg > 45.0


def test_a_bounce_reflector_below_the_face_makes_clamshell_with_the_fill_raised(scene):
    """The fill level with the face alone measures about 0.5 from below (butterfly); the white
    reflector 35 deg under the face takes it over the threshold."""
    spec, reading = _measured(scene, "clamshell", "lights.fill.elevation_deg=5", "lights.bounce.enabled=true",
                              "lights.bounce.azimuth_deg=0", "lights.bounce.elevation_deg=-35")
    assert reading.pattern == "clamshell" and reading.fill_from_below >= FILL_BELOW
    assert _claimed(spec, "lights.key.pattern") == "clamshell"
