"""The key's lighting pattern measured on the person's face (blender/verify/patterns.py): each
pattern preset measures as its pattern, the prompt's pattern claim is what the face shows, and
moving the Rembrandt key round to the face's axis changes both."""

from __future__ import annotations

from pathlib import Path

import bpy
import pytest

from portrait_spec.blender.api import build_scene
from portrait_spec.blender.verify.patterns import PatternReading, measure
from portrait_spec.blender.verify.verify import verify_claims
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import load_spec

SCENES = Path(__file__).resolve().parent.parent / "scenes"


def _measured(scene: bpy.types.Scene, name: str, *overrides: str) -> tuple[Spec, PatternReading]:
    spec = load_spec(SCENES / f"{name}.toml", list(overrides))
    build_scene(spec, scene, SCENES)
    bpy.context.view_layer.update()
    reading = measure(scene)
    assert reading is not None
    return spec, reading


def _claimed(spec: Spec, path: str) -> object:
    found = [c.value for c in build_prompts(spec).claims if c.path == path]
    return found[0] if found else None


@pytest.mark.parametrize(("name", "pattern", "side"), [
    ("rembrandt", "rembrandt", "short"), ("loop", "loop", "short"), ("split", "split", "frontal"),
    ("butterfly", "butterfly", "frontal"),
])
def test_preset_measures_as_its_pattern_and_the_prompt_says_so(scene, name, pattern, side):
    spec, reading = _measured(scene, name)
    assert reading.pattern == pattern, reading.light
    assert reading.side == side
    assert _claimed(spec, "lights.key.pattern") == pattern


def test_rembrandt_is_the_lit_triangle_not_split_or_loop(scene):
    _, reading = _measured(scene, "rembrandt")
    light = reading.light
    assert light.key_cheek > 0.9        # the key side fully lit
    assert light.cheek < 0.5 and light.band < 0.5  # nose shadow joined to the cheek shadow
    assert 0.1 <= light.triangle < 0.9  # a lit patch under the shadow-side eye


def test_butterfly_lights_both_cheeks_alike_under_a_centred_nose_shadow(scene):
    _, reading = _measured(scene, "butterfly")
    light = reading.light
    assert light.nose_shadow > 0.1
    assert abs(light.nose_shadow_lean) < 0.08
    assert abs(light.cheek - light.key_cheek) < 0.25


def test_split_when_the_key_is_beside_the_face(scene):
    spec, reading = _measured(scene, "rembrandt", "lights.key.azimuth_deg=105")
    assert reading.pattern == "split"
    assert reading.light.cheek == 0.0 and reading.light.triangle == 0.0
    assert _claimed(spec, "lights.key.pattern") == "split"


def test_moving_the_rembrandt_key_to_the_lens_axis_changes_pattern_and_prompt(scene):
    """At 0 deg azimuth the key is 15 deg off the turned face's axis: no longer Rembrandt, and
    between butterfly and loop the prompt names no pattern; on the face's axis (15 deg) both
    say butterfly."""
    spec, reading = _measured(scene, "rembrandt", "lights.key.azimuth_deg=0")
    assert reading.pattern in ("butterfly", "loop")
    assert _claimed(spec, "lights.key.pattern") is None
    assert "Rembrandt" not in build_prompts(spec).prompts["flux"]
    spec, reading = _measured(scene, "rembrandt", "lights.key.azimuth_deg=15")
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
