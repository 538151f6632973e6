"""The meter model (``light_readings``) against Cycles: a white card at the meter point, facing
the light, lit by that light alone, renders reading / pi. Covers shape, size, object scale,
spread (grid), colour temperature, exposure and colour."""

import math

import bpy
import pytest
from mathutils import Matrix

from portrait_spec.blender.measure.meter import incident_reading, stops_relative_to_key
from portrait_spec.blender.measure.probe import metered_irradiance
from portrait_spec.blender.studio.lights import aimed_matrix
from portrait_spec.core.placement import light_position

FOCUS = (0.0, 0.0, 1.6)

CASES = [
    # shape, width, height, azimuth, elevation, distance, spread, kelvin, exposure, colour, scale
    ("RECTANGLE", 1.0, 1.4, 45.0, 45.0, 1.5, 180.0, None, 0.0, (1, 1, 1), (1, 1, 1)),
    ("RECTANGLE", 0.3, 1.2, -135.0, 30.0, 1.8, 40.0, 5600.0, 0.0, (1, 1, 1), (1, 1, 1)),
    ("SQUARE", 0.9, 0.9, 50.0, 40.0, 1.4, 180.0, 3200.0, 0.0, (1, 1, 1), (1, 1, 1)),
    ("DISK", 0.56, 0.56, 0.0, 40.0, 1.2, 180.0, None, 1.5, (1, 1, 1), (1, 1, 1)),
    ("ELLIPSE", 1.2, 0.6, -40.0, 10.0, 2.0, 90.0, None, 0.0, (1.0, 0.5, 0.2), (1.3, 0.8, 1.0)),
]


def _light(scene, shape, w, h, az, el, dist, spread, kelvin, exposure, colour, scale, energy=80.0):
    data = bpy.data.lights.new("L", "AREA")
    data.shape, data.size, data.size_y = shape, w, h
    data.spread = math.radians(spread)
    data.energy, data.exposure, data.color = energy, exposure, colour
    data.use_temperature = kelvin is not None
    if kelvin is not None:
        data.temperature = kelvin
    obj = bpy.data.objects.new("L", data)
    scene.collection.objects.link(obj)
    obj.matrix_world = aimed_matrix(light_position(FOCUS, az, el, dist), FOCUS) @ Matrix.Diagonal((*scale, 1.0))
    bpy.context.view_layer.update()
    return obj


@pytest.mark.parametrize("case", CASES, ids=[c[0].lower() + f"-spread{int(c[6])}" for c in CASES])
def test_model_reading_matches_a_cycles_render(scene, case):
    obj = _light(scene, *case)
    model = incident_reading(obj, FOCUS)
    rendered = metered_irradiance(obj, FOCUS, samples=32)
    assert rendered == pytest.approx(model, rel=0.02)


def test_colour_temperature_does_not_change_the_reading(scene):
    warm = _light(scene, "SQUARE", 0.9, 0.9, 50.0, 40.0, 1.4, 180.0, 3200.0, 0.0, (1, 1, 1), (1, 1, 1))
    neutral = _light(scene, "SQUARE", 0.9, 0.9, 50.0, 40.0, 1.4, 180.0, None, 0.0, (1, 1, 1), (1, 1, 1))
    assert incident_reading(warm, FOCUS) == pytest.approx(incident_reading(neutral, FOCUS), rel=2e-3)
    assert metered_irradiance(warm, FOCUS) == pytest.approx(metered_irradiance(neutral, FOCUS), rel=0.02)


def test_stops_relative_to_key_follow_the_geometry(scene):
    key = _light(scene, "RECTANGLE", 1.0, 1.4, 45.0, 45.0, 1.5, 180.0, None, 0.0, (1, 1, 1), (1, 1, 1))
    # Same light moved twice as far: nearly -2 stops (a large source is not a point source).
    far = _light(scene, "RECTANGLE", 1.0, 1.4, 45.0, 45.0, 3.0, 180.0, None, 0.0, (1, 1, 1), (1, 1, 1))
    stops = stops_relative_to_key(far, key, FOCUS)
    assert -2.0 < stops < -1.6
    measured = math.log2(metered_irradiance(far, FOCUS) / metered_irradiance(key, FOCUS))
    assert measured == pytest.approx(stops, abs=0.05)
