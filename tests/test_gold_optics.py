"""Gold optics: the measured 24k constants, exact Fresnel, and the documented alloy mapping."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "addon"))

from portrait_spec.core import gold_optics as go


def test_24k_is_the_measured_table():
    gold = go.gold_optics("24k")
    assert gold.measured
    assert gold.n == (0.168, 0.350, 1.509) and gold.k == (3.138, 2.714, 1.879)
    assert gold.f0 == pytest.approx((0.940, 0.848, 0.386), abs=0.001)  # physics.md


@pytest.mark.parametrize("n,k", [(0.168, 3.138), (1.509, 1.879), (1.5, 0.0)])
def test_fresnel_limits(n, k):
    assert go.fresnel_conductor(1.0, n, k) == pytest.approx(go.f0_from_nk(n, k), abs=1e-9)
    assert go.fresnel_conductor(1e-6, n, k) == pytest.approx(1.0, abs=1e-4)


def test_dielectric_case_matches_textbook_at_brewster():
    n = 1.5  # the p-polarised half vanishes at Brewster's angle
    theta = math.atan(n)
    rs = ((math.cos(theta) - n * math.cos(math.asin(math.sin(theta) / n))) /
          (math.cos(theta) + n * math.cos(math.asin(math.sin(theta) / n)))) ** 2
    assert go.fresnel_conductor(math.cos(theta), n, 0.0) == pytest.approx(0.5 * rs, abs=1e-6)


def test_gold_whitens_toward_grazing():
    gold = go.gold_optics("24k")
    blue = [go.fresnel_conductor(math.cos(math.radians(a)), gold.n[2], gold.k[2]) for a in (0, 45, 75, 85)]
    assert blue == sorted(blue)
    assert blue[-1] > 0.7  # from 0.39 at normal incidence


def test_gulbrandsen_mapping_round_trips_measured_gold():
    for n, k in zip(go.AU_N, go.AU_K, strict=False):
        r, g = go.f0_from_nk(n, k), go.edge_tint_from_nk(n, k)
        assert 0.0 <= g <= 1.0
        assert go.nk_from_reflectivity(r, g) == pytest.approx((n, k), abs=1e-6)


@pytest.mark.parametrize("karat", ["22k", "18k", "14k", "rose", "white"])
def test_alloys_are_marked_approximations_with_consistent_f0(karat):
    alloy = go.gold_optics(karat)
    assert not alloy.measured and "APPROXIMATION" in alloy.source
    au, ag, cu, pd = go.COMPOSITIONS[karat]
    assert au + ag + cu + pd == pytest.approx(1.0)
    gold = go.gold_optics("24k")
    # Less gold is paler: the blue reflectance (gold's absorption edge) comes up.
    assert alloy.f0[2] > gold.f0[2]
    assert all(0.0 < c < 1.0 for c in alloy.f0)


def test_lower_karat_is_paler_and_rose_is_redder():
    f = {k: go.gold_optics(k).f0 for k in go.COMPOSITIONS}
    assert f["24k"][2] < f["22k"][2] < f["18k"][2] < f["14k"][2]
    assert f["rose"][1] / f["rose"][0] < f["18k"][1] / f["18k"][0]


def test_unknown_karat_is_rejected():
    with pytest.raises(ValueError):
        go.gold_optics("9k")
