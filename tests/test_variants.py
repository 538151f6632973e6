"""``render --vary``: values split outside brackets and quotes, grids, bad arguments reported."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "addon"))

from portrait_spec.core.errors import SpecError
from portrait_spec.core.variants import expand, split_values


def test_values_split_on_top_level_commas_only():
    assert split_values('[255,0,128],"#00B140", "a,b"') == ["[255,0,128]", '"#00B140"', '"a,b"']
    assert split_values("-1,-2.5") == ["-1", "-2.5"]


def test_repeated_vary_makes_a_grid_in_order():
    variants = expand(["lights.fill.stops=-1,-2", "background.mode=lit,extraction,gradient"])
    assert len(variants) == 6
    assert variants[0].overrides == ("lights.fill.stops=-1", "background.mode=lit")
    assert variants[-1].folder_name == "lights.fill.stops=-2__background.mode=gradient"
    assert expand([]) == []


def test_folder_names_are_safe():
    (variant,) = expand(['subject.distance_to_background="8 ft"'])
    assert "/" not in variant.folder_name and " " not in variant.folder_name
    assert variant.folder_name == "subject.distance_to_background=_8_ft"


@pytest.mark.parametrize("bad", ["lights.fill.stops", "=1,2", "lights.fill.stops=", "lights.fill.stops=1,,2"])
def test_bad_vary_is_a_spec_error(bad):
    with pytest.raises(SpecError) as info:
        expand([bad, "also=wrong="] if bad == "=1,2" else [bad])
    assert "--vary" in info.value.message()
