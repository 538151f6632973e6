"""The meter model reads every light the spec allows: a narrow grid on a large light close to the
focus lights it from a patch far smaller than one quadrature cell of the whole emitter; it must
still read (the builder powers the light by this reading, and a zero stopped the build)."""

from __future__ import annotations

import math

import pytest

from portrait_spec.core.meter.emitter import AreaEmitter
from portrait_spec.core.placement import aim_basis, light_position

FOCUS = (0.0, 0.0, 1.6)


@pytest.mark.parametrize("distance", [0.3, 10.0])
@pytest.mark.parametrize("round_shape", [False, True])
def test_a_one_degree_grid_on_a_5_m_light_reads_its_exitance(distance, round_shape):
    # A grid this narrow collimates the light: the focus receives the emitter's exitance, power
    # over area (Cycles keeps the power of a light whatever its spread).
    pos = light_position(FOCUS, 45.0, 45.0, distance)
    x, y, _ = aim_basis(pos, FOCUS)
    emitter = AreaEmitter(pos, x, y, 5.0, 5.0, round_shape, math.radians(1.0))
    assert emitter.meter_reading_per_watt(FOCUS) == pytest.approx(1.0 / emitter.area, rel=0.01)


def test_the_narrow_grid_reading_is_continuous_with_wider_grids():
    pos = light_position(FOCUS, -40.0, 10.0, 2.0)
    x, y, _ = aim_basis(pos, FOCUS)
    readings = [AreaEmitter(pos, x, y, 1.2, 1.2, False, math.radians(s)).meter_reading_per_watt(FOCUS)
                for s in (3.0, 4.0, 5.0, 6.0)]
    assert all(r > 0 for r in readings)
    assert max(readings) / min(readings) < 1.05
