"""The pure part of ``render``'s outputs: ``scene.json`` round trips for every preset."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addon"))

from portrait_spec.core.prompt import build_prompts  # noqa: E402
from portrait_spec.core.sidecar import FORMAT, sidecar_data, sidecar_json, spec_from_sidecar  # noqa: E402
from portrait_spec.core.toml_io import load_spec  # noqa: E402


@pytest.mark.parametrize("name", ["seed_portrait", "chroma_extraction", "gradient_backdrop", "rembrandt", "butterfly"])
def test_scene_json_round_trips_the_spec_and_claims(name):
    spec = load_spec(ROOT / "scenes" / f"{name}.toml")
    claims = build_prompts(spec).claims
    data = sidecar_data(spec, claims, blender_version="4.5.0", render={"seed": 0, "samples": 64},
                        outputs={"depth.png": {"near_m": 2.4, "far_m": 2.6}}, variant=("lights.fill.stops=-1",))
    text = sidecar_json(data)
    back = json.loads(text)
    assert back["format"] == FORMAT and spec_from_sidecar(back) == spec
    assert back["claims"] == [c.to_data() for c in claims] and back["measured"] is None
    assert back["variant"] == ["lights.fill.stops=-1"] and back["blender"] == {"version": "4.5.0"}
    with pytest.raises(ValueError):
        spec_from_sidecar({**back, "format": "something else"})
