"""Rebuilding: same objects (no duplicates), updates in place, the user's own objects untouched,
and a failed build leaves nothing half-built behind."""

import bpy
import pytest

import portrait_spec.blender.api as build_module
from portrait_spec.blender.api import build_scene
from portrait_spec.blender.contract import ROLE_KEY
from portrait_spec.core.toml_io import load_spec


def _spec(scenes_dir, name="seed_portrait", *overrides):
    return load_spec(scenes_dir / f"{name}.toml", ["jewelry.enabled=false", *overrides])


def _census(scene):
    roles = {}
    for obj in scene.objects:
        role = obj.get(ROLE_KEY)
        if role:
            roles.setdefault(role, []).append(obj.as_pointer())
    return {
        "roles": roles,
        "objects": len(bpy.data.objects),
        "meshes": len(bpy.data.meshes),
        "lights": len(bpy.data.lights),
        "cameras": len(bpy.data.cameras),
        "materials": len(bpy.data.materials),
        "collections": len(bpy.data.collections),
    }


def _user_objects(scene):
    mesh = bpy.data.meshes.new("my_mesh")
    mesh.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
    mine = bpy.data.objects.new("my_prop", mesh)
    scene.collection.objects.link(mine)
    mine.location = (0.3, 0.7, 1.1)
    mine.hide_render = True
    light = bpy.data.objects.new("my_light", bpy.data.lights.new("my_light", "POINT"))
    light.data.energy = 123.0
    scene.collection.objects.link(light)
    light.location = (2.0, -1.0, 2.5)
    return mine, light


def test_building_twice_gives_the_same_objects(scene, scenes_dir):
    spec = _spec(scenes_dir)
    build_scene(spec, scene)
    first = _census(scene)
    build_scene(spec, scene)
    second = _census(scene)
    assert first == second
    for role in ("cyclorama", "key", "fill", "rim", "camera", "focus"):
        assert len(second["roles"][role]) == 1


def test_changing_the_spec_updates_in_place(scene, scenes_dir):
    result = build_scene(_spec(scenes_dir), scene)
    key, fill, cyclorama = result.objects["key"], result.objects["fill"], result.objects["cyclorama"]
    fill_energy = fill.data.energy
    old_mesh_name = cyclorama.data.name
    result = build_scene(_spec(scenes_dir, "seed_portrait", "lights.fill.stops=-3", "lights.rim.enabled=false",
                               "subject.distance_to_background=1.5"), scene)
    assert result.objects["key"].as_pointer() == key.as_pointer()
    assert result.objects["fill"].as_pointer() == fill.as_pointer()
    assert fill.data.energy == pytest.approx(fill_energy / 2.0, rel=1e-6)
    assert not [o for o in scene.objects if o.get(ROLE_KEY) == "rim"]
    assert max(v.co.y for v in cyclorama.data.vertices) == pytest.approx(1.5)
    assert old_mesh_name not in bpy.data.meshes or bpy.data.meshes[old_mesh_name].users > 0
    # Mode changes add and remove the background light; nothing piles up.
    build_scene(_spec(scenes_dir, "gradient_backdrop"), scene)
    assert len([o for o in scene.objects if o.get(ROLE_KEY) == "background_light"]) == 1
    counts = _census(scene)
    build_scene(_spec(scenes_dir, "rembrandt"), scene)
    assert not [o for o in scene.objects if o.get(ROLE_KEY) == "background_light"]
    build_scene(_spec(scenes_dir, "gradient_backdrop"), scene)
    assert _census(scene)["objects"] == counts["objects"]
    assert _census(scene)["meshes"] == counts["meshes"]


def test_the_users_own_objects_are_never_touched(scene, scenes_dir):
    mine, light = _user_objects(scene)
    before = (tuple(mine.location), mine.hide_render, [tuple(v.co) for v in mine.data.vertices], mine.name,
              tuple(light.location), light.data.energy, light.data.type)
    build_scene(_spec(scenes_dir), scene)
    build_scene(_spec(scenes_dir, "gradient_backdrop"), scene)
    assert mine.name in scene.objects and light.name in scene.objects
    after = (tuple(mine.location), mine.hide_render, [tuple(v.co) for v in mine.data.vertices], mine.name,
             tuple(light.location), light.data.energy, light.data.type)
    assert after == before
    assert ROLE_KEY not in mine and ROLE_KEY not in light
    assert mine.users_collection[0] == scene.collection


def test_a_duplicated_studio_object_is_folded_back_into_one(scene, scenes_dir):
    result = build_scene(_spec(scenes_dir), scene)
    copy = result.objects["key"].copy()  # what Shift+D does: the role property comes along
    scene.collection.objects.link(copy)
    build_scene(_spec(scenes_dir), scene)
    assert len([o for o in scene.objects if o.get(ROLE_KEY) == "key"]) == 1


def test_a_failed_build_removes_what_it_created(scene, scenes_dir, monkeypatch):
    mine, _light = _user_objects(scene)
    build_scene(_spec(scenes_dir, "seed_portrait", "lights.rim.enabled=false"), scene)
    before = {o.as_pointer() for o in bpy.data.objects}

    def broken(*_args, **_kwargs):
        raise RuntimeError("render settings exploded")

    monkeypatch.setattr(build_module, "apply_render_settings", broken)
    with pytest.raises(RuntimeError, match="exploded"):
        build_scene(_spec(scenes_dir, "gradient_backdrop"), scene)  # would add a rim and a background light
    assert {o.as_pointer() for o in bpy.data.objects} == before
    assert mine.name in bpy.data.objects

    bpy.ops.wm.read_factory_settings(use_empty=True)
    empty = bpy.context.scene
    with pytest.raises(RuntimeError):
        build_scene(_spec(scenes_dir), empty)
    assert len(bpy.data.objects) == 0
