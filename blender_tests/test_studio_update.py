"""A sweep's next variant updates the studio in place and rewrites only what changed: a light-only
variant touches only the lights whose spec changed (no cyclorama, backdrop material, light
linking or camera re-sync for Cycles), a camera-only one only the camera, and either ends where
a full build of the same spec ends."""

from __future__ import annotations

from collections.abc import Iterator

import bpy
import pytest
from sweep_support import BASE

from portrait_spec.blender.api import build_fresh, build_scene, fresh_scene
from portrait_spec.core.spec import Spec
from portrait_spec.core.toml_io import loads_spec

STUDIO = ("PS_Cyclorama", "PS_Camera", "PS_Key", "PS_Fill", "PS_Rim", "PS_Focus")
FIRST = ["lights.fill.stops=-1"]
LIGHT_ONLY = ["lights.fill.stops=-3", "lights.fill.azimuth_deg=-60"]
CAMERA_ONLY = [*LIGHT_ONLY, "camera.f_number=4"]


def _state() -> dict[str, object]:
    """What a build decides, as plain values: every studio object's matrix and its data's settings."""
    found: dict[str, object] = {}
    for name in STUDIO:
        obj = bpy.data.objects[name]
        found[name] = [round(v, 6) for row in obj.matrix_world for v in row]
        if isinstance(obj.data, bpy.types.Light):
            found[f"{name}.power"] = (round(obj.data.energy, 4), obj.data.size, obj.data.size_y, obj.data.temperature)
        if isinstance(obj.data, bpy.types.Camera):
            found[f"{name}.lens"] = (obj.data.lens, obj.data.shift_x, obj.data.shift_y, obj.data.dof.aperture_fstop)
    return found


def _datablocks() -> dict[str, int]:
    """The pointers of what a light-only update must leave alone."""
    cyclorama = bpy.data.objects["PS_Cyclorama"]
    return {"cyclorama mesh": cyclorama.data.as_pointer(), "backdrop material": cyclorama.data.materials[0].as_pointer(),
            "camera data": bpy.data.objects["PS_Camera"].data.as_pointer(),
            **{f"collection {c.name}": c.as_pointer() for c in bpy.data.collections if c.name.startswith("Portrait Spec")}}


@pytest.fixture
def updates() -> Iterator[set[str]]:
    """The names of every datablock the depsgraph re-evaluates (what Cycles would re-sync)."""
    seen: set[str] = set()

    @bpy.app.handlers.persistent  # loading factory settings (fresh_scene) drops handlers that are not
    def collect(_scene: bpy.types.Scene, depsgraph: bpy.types.Depsgraph) -> None:
        seen.update(update.id.name for update in depsgraph.updates)

    bpy.app.handlers.depsgraph_update_post.append(collect)
    try:
        yield seen
    finally:
        bpy.app.handlers.depsgraph_update_post.remove(collect)


def _update(spec: Spec, scene: bpy.types.Scene, seen: set[str]) -> None:
    seen.clear()
    assert build_scene(spec, scene, reuse_sitter=True).sitter_reused


def test_light_and_camera_only_variants_touch_only_what_changed_and_equal_a_full_build(updates):
    scene = fresh_scene()
    build_scene(loads_spec(BASE, FIRST), scene, reuse_sitter=True)
    kept = _datablocks()
    key_before = _state()["PS_Key"]

    _update(loads_spec(BASE, LIGHT_ONLY), scene, updates)
    assert "PS_Fill" in updates  # the handler sees the update it is there to see
    assert not updates & {"PS_Cyclorama", "PS_Camera", "PS_Key", "PS_Rim", "PS_Focus", "PS_Backdrop"}, updates
    assert _datablocks() == kept
    assert _state()["PS_Key"] == key_before
    light_only = _state()

    _update(loads_spec(BASE, CAMERA_ONLY), scene, updates)
    assert "PS_Camera" in updates
    assert not updates & {"PS_Cyclorama", "PS_Key", "PS_Fill", "PS_Rim"}, updates
    assert _datablocks() == kept
    camera_only = _state()

    build_fresh(loads_spec(BASE, LIGHT_ONLY))
    assert _state() == light_only
    build_fresh(loads_spec(BASE, CAMERA_ONLY))
    assert _state() == camera_only
