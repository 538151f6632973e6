"""Verify and Render Reference on a fresh scene and on a scene holding the user's own objects
(which must come through unchanged)."""

from __future__ import annotations

import bpy
import pytest
from ui_support import WITH_USER, assert_user_objects_unchanged, poll_with_reason, prepare, settings, ui_fixture  # noqa: F401  (ui_fixture provides the ui fixture)

from portrait_spec.blender.contract import find_one
from portrait_spec.blender.ui import operators
from portrait_spec.blender.ui.spec_bridge import spec_from_props


def _small_render_settings() -> None:
    render = settings().spec.render
    render.resolution = (32, 40)
    render.samples = 2


@WITH_USER
def test_verify_passes_on_the_built_studio_and_fails_after_a_light_is_moved(ui, user_objects):
    before = prepare(ui, user_objects)
    ok, reasons = poll_with_reason(operators.PORTRAITSPEC_OT_verify, bpy.context)
    assert not ok and "Build the studio first" in reasons[0]
    _small_render_settings()
    bpy.ops.portrait_spec.build_studio()
    assert bpy.ops.portrait_spec.verify() == {"FINISHED"}
    assert settings().verify_state == "PASSED"
    assert "key:fill" in settings().verify_report
    fill = find_one(ui, "fill")
    focus = find_one(ui, "focus").location
    fill.location = focus + (fill.location - focus) * 2.0  # twice as far: about 2 stops darker
    bpy.ops.portrait_spec.verify()
    assert settings().verify_state == "FAILED"
    assert_user_objects_unchanged(before)


@WITH_USER
def test_render_reference_writes_the_clis_outputs_into_the_folder(ui, user_objects, tmp_path):
    before = prepare(ui, user_objects)
    _small_render_settings()
    out = tmp_path / "ui"
    assert bpy.ops.portrait_spec.render_reference(directory=str(out)) == {"FINISHED"}
    png = out / "reference.png"
    image = bpy.data.images.load(str(png))
    assert tuple(image.size) == (32, 40)
    # The backdrop is the exact extraction colour in the rendered file (top-left corner pixel).
    width, height = image.size
    pixels = list(image.pixels[:])
    top_left = pixels[((height - 1) * width) * 4:((height - 1) * width) * 4 + 3]
    assert [round(c * 255) for c in top_left] == [255, 0, 128]
    bpy.data.images.remove(image)
    # A non-empty folder is refused without Overwrite, exactly like the CLI without --force.
    with pytest.raises(RuntimeError, match="not empty"):
        bpy.ops.portrait_spec.render_reference(directory=str(out))
    assert_user_objects_unchanged(before)
    if user_objects:
        return
    from portrait_spec import cli
    from portrait_spec.core.toml_io import dumps_spec

    toml = tmp_path / "panel.toml"
    toml.write_text(dumps_spec(spec_from_props(settings().spec)), encoding="utf-8")
    assert cli.main(["render", str(toml), "--out", str(tmp_path / "cli")]) == 0
    assert sorted(p.name for p in (tmp_path / "cli").iterdir()) == sorted(p.name for p in out.iterdir())
