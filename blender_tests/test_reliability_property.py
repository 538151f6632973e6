"""Every spec the validator accepts builds and renders, or is refused with a SpecError (exit 2):
never another exception (exit 1), never a sitter buried in the backdrop.

Specs are drawn from the spec's own field declarations (``spec_strategy``: every field, any subset,
each value anywhere in its range, the ends included, which Hypothesis tries first). The build
may refuse what only the built sitter decides (a chain too long or too short for this neck); it
must then name the field. Each built scene is checked by casting a ray from the camera to the
focus point (the sitter's eyes: it must meet the sitter, not the backdrop) and rendered at the
smallest resolution the spec allows with one sample.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import bpy
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from spec_strategy import Draw, spec_data

from portrait_spec.blender.api import build_scene, fresh_scene
from portrait_spec.blender.contract import find_one, role_of
from portrait_spec.core.errors import SpecError
from portrait_spec.core.schema import spec_from_data

BUILD_MAY_REFUSE = ("jewelry.chain", "jewelry.chain.length")
# Every field drawn, each float at either end of its range as often as inside it.
EXTREMES = Draw(floats=lambda lo, hi: st.one_of(st.just(lo), st.just(hi), st.floats(lo, hi)), every_key=True)


def _stand_in_sitter(data: dict[str, Any]) -> dict[str, Any]:
    """A model file is not drawn (its path would name nothing): those draws use the mannequin."""
    subject = data.get("subject", {})
    if subject.get("kind") == "model":
        subject["kind"] = "mannequin"
    return data


def _first_hit_from_camera(scene: bpy.types.Scene) -> bpy.types.Object | None:
    camera, focus = scene.camera, find_one(scene, "focus")
    assert camera is not None and focus is not None
    origin = camera.matrix_world.translation
    target = focus.matrix_world.translation
    direction = (target - origin).normalized()
    depsgraph = bpy.context.evaluated_depsgraph_get()
    end = (target - origin).length + 0.3
    travelled = 0.0
    while True:  # through what the camera does not see (the lights' and a flag's panels)
        hit, loc, _n, _i, obj, _m = scene.ray_cast(depsgraph, origin, direction, distance=end - travelled)
        if not hit or obj is None:
            return None
        found = obj.original or obj
        if found.visible_camera:
            return found
        travelled += (loc - origin).length + 1e-4
        origin = loc + direction * 1e-4


def _tiny_render(scene: bpy.types.Scene) -> None:
    render = scene.render
    render.resolution_x, render.resolution_y, render.resolution_percentage = 16, 20, 100
    scene.cycles.samples = 1
    scene.cycles.use_denoising = False
    bpy.ops.render.render(write_still=False)
    result = bpy.data.images["Render Result"]
    assert result is not None


# No shrinking: each example is a build in Blender, and the failing one is printed whole anyway.
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(spec_data(EXTREMES).map(_stand_in_sitter))
def test_every_accepted_spec_builds_and_renders_or_is_refused(data: dict[str, Any]) -> None:
    spec = spec_from_data(data)  # the strategy draws only what validation accepts
    spec = dataclasses.replace(spec, render=dataclasses.replace(spec.render, exr=False))
    scene = fresh_scene()
    scene.cycles.device = "CPU"
    try:
        build_scene(spec, scene)
    except SpecError as refused:
        assert all(p.path in BUILD_MAY_REFUSE for p in refused.problems), refused.message()
        assert not [o for o in scene.objects if role_of(o) is not None], "a refused build left objects behind"
        event(f"refused at build: {refused.problems[0].path}")
        return
    event(f"built and rendered: {spec.subject.kind}")
    hit = _first_hit_from_camera(scene)
    assert hit is not None and role_of(hit) in ("subject", "chain"), \
        f"the camera sees {hit.name if hit else 'nothing'} at the sitter's eyes, not the sitter"
    _tiny_render(scene)


def test_the_strategy_reaches_the_extremes() -> None:
    """Negative control for the property: the drawn specs do include both ends of a range."""
    seen: set[float] = set()

    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(spec_data(EXTREMES))
    def collect(data: dict[str, Any]) -> None:
        seen.add(data["lights"]["fill"]["stops"])

    collect()
    assert {-8.0, 4.0} <= seen, sorted(seen)
