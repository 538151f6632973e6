"""The skin-tone model: chromophores move the colour the way physiology says they do."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "addon"))

from portrait_spec.core import skin_tone as st


def test_white_reflector_maps_to_white():
    assert st.spectrum_to_linear_rgb([1.0] * len(st.WAVELENGTHS_NM)) == pytest.approx((1.0, 1.0, 1.0))
    assert st.spectrum_to_linear_rgb([0.25] * len(st.WAVELENGTHS_NM)) == pytest.approx((0.25, 0.25, 0.25))


def test_cie_fit_peaks_where_the_observer_does():
    ys = [st.cie_xyz_bar(lam)[1] for lam in range(400, 701)]
    assert 550 <= 400 + ys.index(max(ys)) <= 560  # photopic peak ~555 nm
    assert st.cie_xyz_bar(555.0)[1] == pytest.approx(1.0, abs=0.03)


def test_prahl_table_and_blood_absorption():
    i450 = st.WAVELENGTHS_NM.index(450.0)
    assert (st.HBO2[i450], st.HB[i450]) == (62816, 103292)
    # Whole blood at 650 nm (75 % saturated): ~6.5 /cm; the Soret band near 420 nm is ~400x that.
    i650, i420 = st.WAVELENGTHS_NM.index(650.0), st.WAVELENGTHS_NM.index(420.0)
    assert 5.0 < st.blood_absorption(i650) < 8.0
    assert st.blood_absorption(i420) > 300 * st.blood_absorption(i650)


def test_diffusion_reflectance_limits():
    assert st.diffuse_reflectance(0.0) == 0.0
    values = [st.diffuse_reflectance(a / 10.0) for a in range(11)]
    assert values == sorted(values)
    assert 0.8 < values[-1] <= 1.0  # a lossless half-space reflects nearly everything


def test_defaults_give_a_plausible_warm_skin():
    r, g, b = st.skin_albedo(0.08, 0.05)
    assert 0.2 < r < 0.5 and r > g > b > 0.0  # skin is reddish: red > green > blue


@pytest.mark.parametrize("haemoglobin", [0.01, 0.05])
def test_more_melanin_is_darker_and_browner(haemoglobin):
    light = st.skin_albedo(0.02, haemoglobin)
    dark = st.skin_albedo(0.3, haemoglobin)
    assert all(d < lt for d, lt in zip(dark, light, strict=False))
    assert dark[2] / dark[0] < light[2] / light[0]  # melanin absorbs blue hardest


def test_more_blood_is_redder():
    pale = st.skin_albedo(0.05, 0.005)
    flushed = st.skin_albedo(0.05, 0.1)
    assert flushed[1] / flushed[0] < pale[1] / pale[0]
    assert flushed[0] / pale[0] > flushed[1] / pale[1]  # green loses more than red


def test_reflectance_rises_toward_red():
    spectrum = st.reflectance_spectrum(0.08, 0.05)
    assert spectrum[-1] > spectrum[15] > spectrum[5]  # 700 > 550 > 450 nm
    assert all(0.0 <= v < 1.0 and math.isfinite(v) for v in spectrum)


def test_rejects_impossible_fractions():
    with pytest.raises(ValueError):
        st.skin_albedo(-0.1, 0.05)
