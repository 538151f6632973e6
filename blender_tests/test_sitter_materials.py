"""Skin and gold node settings read back from the built materials match the spec."""

from __future__ import annotations

import pytest

from portrait_spec.blender.sitter.materials.gold import DIMPLE_DEPTH_PER_FACET, gold_material
from portrait_spec.blender.sitter.materials.skin import skin_material, thin_radius
from portrait_spec.core.gold_optics import gold_optics
from portrait_spec.core.skin_tone import skin_albedo
from portrait_spec.core.toml_io import load_spec, loads_spec
from portrait_spec.core.vellus import vellus_coverage


def _by_id(sockets, identifier):
    return next(s for s in sockets if s.identifier == identifier)


def test_seed_skin_settings_come_from_the_spec(scene, scenes_dir):
    spec = load_spec(scenes_dir / "seed_portrait.toml")
    mat = skin_material(spec)
    nodes = mat.node_tree.nodes
    bsdf = nodes["skin_bsdf"]
    assert bsdf.subsurface_method == "RANDOM_WALK_SKIN"
    assert bsdf.inputs["Subsurface Weight"].default_value == 1.0
    assert bsdf.inputs["Subsurface Scale"].default_value == pytest.approx(0.001)
    radius = nodes["subsurface_radius"]
    assert tuple(_by_id(radius.inputs, "A_Vector").default_value) == pytest.approx((3.67, 1.37, 0.68))
    assert _by_id(radius.inputs, "B_Vector").default_value[0] == pytest.approx(3.0)  # thin_radius_mm
    assert {nodes["mask_ears"].attribute_name, nodes["mask_nostrils"].attribute_name} == {"ears", "nostrils"}
    tone = tuple(nodes["skin_tone"].outputs[0].default_value)[:3]
    assert tone == pytest.approx(skin_albedo(spec.skin.tone.melanin, spec.skin.tone.haemoglobin), abs=1e-6)
    cheek = nodes["roughness_cheekbones"]
    assert _by_id(cheek.inputs, "B_Float").default_value == pytest.approx(0.3)
    assert nodes["mask_cheekbones"].attribute_name == "cheekbones"
    # The default roughness feeds the first mix; sebum on the forehead comes last.
    assert _by_id(cheek.inputs, "A_Float").default_value == pytest.approx(spec.skin.roughness["default"])
    assert _by_id(nodes["roughness_sebum"].inputs, "B_Float").default_value == pytest.approx(spec.skin.sebum.roughness)
    assert nodes["mask_forehead"].attribute_name == "forehead"
    assert nodes["pore_bump"].inputs["Distance"].default_value == pytest.approx(0.05e-3)
    assert nodes["mask_nasal_bridge"].attribute_name == "nasal_bridge"
    assert nodes["vellus_sheen"].inputs[1].default_value == pytest.approx(vellus_coverage(1.5))
    assert nodes["mask_jawline"].attribute_name == "jawline"


@pytest.mark.parametrize("pores", ["true", "false"])
def test_skin_microrelief_covers_all_skin_under_the_pores(scene, pores):
    """Forward scattering (g 0.8) and the primary-line network everywhere, at its real size: half
    a millimetre cells, 20 um deep, under the pores' bump when there are pores."""
    mat = skin_material(loads_spec("", [f"skin.pores.visible={pores}"]))
    nodes = mat.node_tree.nodes
    bsdf = nodes["skin_bsdf"]
    assert bsdf.inputs["Subsurface Anisotropy"].default_value == pytest.approx(0.8)
    assert nodes["relief_cells"].inputs["Scale"].default_value == pytest.approx(2000.0)  # cells per metre
    assert nodes["relief_bump"].inputs["Distance"].default_value == pytest.approx(20e-6)
    assert not nodes["relief_bump"].inputs["Height"].links[0].from_node.name.startswith("mask")
    normal_from = bsdf.inputs["Normal"].links[0].from_node
    if pores == "true":
        assert normal_from.name == "pore_bump"
        assert normal_from.inputs["Normal"].links[0].from_node.name == "relief_bump"
    else:
        assert normal_from.name == "relief_bump"


def test_skin_follows_a_changed_spec_on_rebuild(scene):
    spec = loads_spec("", [
        "skin.subsurface.radius_mm=[4.82, 1.69, 1.09]", "skin.subsurface.thin_radius_mm=6.0",
        "skin.roughness.default=0.5", "skin.roughness.lips=0.2", "skin.tone.melanin=0.3",
        "skin.pores.visible=false", "skin.vellus_hair.visible=false",
    ])
    skin_material(loads_spec(""))
    mat = skin_material(spec)
    assert sum(1 for m in __import__("bpy").data.materials if m.name.startswith("PS_Skin")) == 1
    nodes = mat.node_tree.nodes
    radius = nodes["subsurface_radius"]
    assert tuple(_by_id(radius.inputs, "A_Vector").default_value) == pytest.approx((4.82, 1.69, 1.09))
    assert tuple(_by_id(radius.inputs, "B_Vector").default_value) == pytest.approx(thin_radius((4.82, 1.69, 1.09), 6.0))
    assert _by_id(nodes["roughness_lips"].inputs, "B_Float").default_value == pytest.approx(0.2)
    assert _by_id(nodes["roughness_lips"].inputs, "A_Float").default_value == pytest.approx(0.5)
    assert "pore_bump" not in nodes and "vellus_sheen" not in nodes
    dark = tuple(nodes["skin_tone"].outputs[0].default_value)[:3]
    assert dark == pytest.approx(skin_albedo(0.3, spec.skin.tone.haemoglobin), abs=1e-6)


@pytest.mark.parametrize("karat", ["24k", "18k", "rose"])
def test_gold_settings_come_from_the_spec(scene, karat):
    spec = loads_spec("", [f"jewelry.karat={karat!r}".replace("'", '"'), "jewelry.roughness=0.2",
                           "jewelry.facet_size_mm=2.0"])
    mat = gold_material(spec)
    nodes = mat.node_tree.nodes
    bsdf = nodes["gold_bsdf"]
    optics = gold_optics(karat)
    assert bsdf.bl_idname == "ShaderNodeBsdfMetallic"
    assert bsdf.fresnel_type == "PHYSICAL_CONDUCTOR"
    assert tuple(bsdf.inputs["IOR"].default_value) == pytest.approx(optics.n, abs=1e-5)
    assert tuple(bsdf.inputs["Extinction"].default_value) == pytest.approx(optics.k, abs=1e-5)
    assert bool(mat["portrait_spec_gold_measured"]) is (karat == "24k")
    assert nodes["hammer_facets"].inputs["Scale"].default_value == pytest.approx(500.0)  # 1 / 2 mm
    assert nodes["hammer_bump"].inputs["Distance"].default_value == pytest.approx(DIMPLE_DEPTH_PER_FACET * 0.002)
    # Roughness reaches the BSDF through the scratch mix, whose base is the spec's value.
    assert nodes["roughness_scratched"].inputs[2].default_value == pytest.approx(0.2)
    assert nodes["mask_contact"].attribute_type == "INSTANCER"


def test_polished_gold_without_scratches_is_plain(scene):
    spec = loads_spec("", ['jewelry.finish="polished"', "jewelry.micro_scratches=false", "jewelry.roughness=0.05"])
    nodes = gold_material(spec).node_tree.nodes
    assert "hammer_facets" not in nodes and "scratch_lines" not in nodes
    assert nodes["gold_bsdf"].inputs["Roughness"].default_value == pytest.approx(0.05)
    assert not nodes["gold_bsdf"].inputs["Normal"].is_linked


@pytest.mark.parametrize("haemoglobin", [0.01, 0.08])
def test_the_lips_are_the_skins_melanin_over_more_blood(scene, haemoglobin):
    """On the lips' mask the base colour is the same melanin over 5 % blood (or the skin's own,
    when that is more), redder in hue and darker than the skin round them; everywhere else it is
    the skin tone, which verify still reads through the lips' mix, and no longer once that mix
    is driven by anything but the lips' mask."""
    from portrait_spec.blender.verify.materials import skin_tone

    spec = loads_spec("", [f"skin.tone.haemoglobin={haemoglobin}"])
    mat = skin_material(spec)
    nodes = mat.node_tree.nodes
    lips = nodes["skin_lips"]
    assert nodes["skin_bsdf"].inputs["Base Color"].links[0].from_node == lips
    assert _by_id(lips.inputs, "A_Color").links[0].from_node == nodes["skin_tone"]
    mask = _by_id(lips.inputs, "Factor_Float").links[0].from_node
    assert mask.attribute_name == "lips"
    colour = tuple(_by_id(lips.inputs, "B_Color").default_value)[:3]
    assert colour == pytest.approx(skin_albedo(spec.skin.tone.melanin, max(haemoglobin, 0.05)), abs=1e-6)
    tone = tuple(nodes["skin_tone"].outputs[0].default_value)[:3]
    if haemoglobin < 0.05:
        assert colour[1] / colour[0] < 0.8 * tone[1] / tone[0]  # redder
        assert sum(colour) < sum(tone)  # and darker
    fit = skin_tone(mat)
    assert fit is not None and fit.melanin == pytest.approx(spec.skin.tone.melanin, rel=0.01)
    mat.node_tree.links.remove(_by_id(lips.inputs, "Factor_Float").links[0])
    _by_id(lips.inputs, "Factor_Float").default_value = 1.0  # the lips' colour all over
    assert skin_tone(mat) is None
