"""The skin-tone inverse: the colour ``core.skin_tone`` makes fits back to its chromophores, and a
colour no chromophore mix makes is reported as such (a large residual), not as a melanin."""

from __future__ import annotations

import pytest

from portrait_spec.core.skin_tone import skin_albedo
from portrait_spec.core.skin_tone_fit import fit_chromophores


@pytest.mark.parametrize("melanin, haemoglobin", [
    (0.08, 0.05), (0.0, 0.0), (0.5, 0.2), (0.013, 0.17), (0.22, 0.031), (0.37, 0.0), (0.001, 0.2),
])
def test_model_colours_fit_back_to_their_chromophores(melanin, haemoglobin):
    fit = fit_chromophores(skin_albedo(melanin, haemoglobin))
    assert fit.melanin == pytest.approx(melanin, abs=1e-4)
    assert fit.haemoglobin == pytest.approx(haemoglobin, abs=1e-4)
    assert fit.residual < 1e-4


def test_float32_storage_still_fits():
    """The node keeps float32: the fit must not care."""
    import struct

    rgb = tuple(struct.unpack("f", struct.pack("f", c))[0] for c in skin_albedo(0.08, 0.05))
    fit = fit_chromophores(rgb)  # type: ignore[arg-type]
    assert fit.melanin == pytest.approx(0.08, abs=1e-4) and fit.residual < 1e-5


@pytest.mark.parametrize("rgb", [(0.5, 0.5, 0.5), (0.1, 0.4, 0.1), (0.05, 0.05, 0.4)])
def test_colours_off_the_model_show_a_large_residual(rgb):
    assert fit_chromophores(rgb).residual > 0.05
