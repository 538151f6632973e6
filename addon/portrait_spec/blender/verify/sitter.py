"""Measurers for the claims about the person (``core.prompt.sitter``): head and body turn, gaze,
expression, garment colour and fabric, each from the scene as it is now.

* head yaw, pitch, roll and the body turn: rigid fits of the rest shape onto the mesh
  (``measure.head``), +-1 deg;
* gaze: each eyeball's axis against its line to the scene camera, +-1 deg (the worse eye);
* expression: the face-unit weights fitted to the face's displacement, each within
  ``EXPRESSION_TOLERANCE`` of the expression's (``core.face_units``);
* garment colour: a probe render's diffuse-colour pass (the albedo each pixel sees, free of
  light and noise; the sheen and specular layers muted, which the pass would add to or take
  from the base colour) over the garment's
  pixels (object index), median, to 8-bit sRGB, +-1 level; a garment out of frame is read from
  its material instead, and the row says so;
* fabric: the garment material's surface values against each fabric's (``core.fabric``);
* hair: the hair material's pigment, worded by the prompt's own rule (the cut and parting:
  ``hairstyle``); greying as the share of scalp strands marked white (curve attribute
  ``white``) while the material routes that attribute to the unpigmented fibre.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

import bpy
import numpy as np

from ...core.color import linear_to_srgb
from ...core.fabric import SURFACES
from ...core.face_units import unit_weights
from ...core.prompt.claims import Claim
from ...core.prompt.hair_color import hair_shade
from ..contract import HAIR_WHITE_ATTRIBUTE, PERSON_GARMENT_PART
from ..measure import head as heads
from ..measure.image_files import ExrImage
from ..measure.pixels import render_passes
from ..measure.probe import quiet_stdout, small_render, temporary_settings
from ..narrow import color_socket, float_socket, lookup, of_type
from .report import Check

if TYPE_CHECKING:
    from .claims import Measuring

ANGLE_TOLERANCE_DEG = 1.0
GAZE_TOLERANCE_DEG = 1.0
EXPRESSION_TOLERANCE = 0.05
COLOR_TOLERANCE = 1
SURFACE_TOLERANCE = 1e-4
PROBE_WIDTH_PX = 128
PROBE_SAMPLES = 1  # the diffuse-colour pass is the albedo itself: one sample per pixel is exact
MIN_GARMENT_PIXELS = 20
HOW_HEAD = "Kabsch fit of the skull's rest vertices onto the mesh (object transform included)"


def _row(claim: Claim, name: str, measured: float | None, how: str, tolerance: float) -> Check:
    from .claims import missing, numeric

    if measured is None:
        return missing(claim, name, "person mesh with its rest shape")
    return numeric(claim, name, measured, how, tolerance, wrap=True)


def head_angle(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import missing

    body = heads.person_body(m.scene)
    quantity = claim.path.rsplit(".", 1)[1]
    name = {"head_yaw_deg": "head yaw", "head_pitch_deg": "head pitch", "head_roll_deg": "head roll",
            "body_turn_deg": "body turn"}[quantity]
    if body is None:
        return [missing(claim, name, "person mesh with its rest shape")]
    if quantity == "body_turn_deg":
        return [_row(claim, name, heads.body_turn(body), "Kabsch fit of the chest's rest vertices onto the mesh",
                     ANGLE_TOLERANCE_DEG)]
    pose = m.cached("head_pose", lambda: heads.head_pose(body))
    if pose is None:
        return [missing(claim, name, "skull vertices on the person mesh")]
    value = {"head_yaw_deg": pose.yaw_deg, "head_pitch_deg": pose.pitch_deg, "head_roll_deg": pose.roll_deg}[quantity]
    return [_row(claim, name, value, HOW_HEAD, ANGLE_TOLERANCE_DEG)]


def gaze(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import choice, missing, numeric

    eyes = heads.person_eyes(m.scene)
    cam = m.scene.camera
    if len(eyes) != 2 or cam is None:
        return [missing(claim, "gaze", "two person eyes and a scene camera")]
    lens = np.array(cam.matrix_world.translation)
    offsets = [heads.gaze_offsets(eye, lens) for eye in eyes]
    how = "each eyeball's axis (local -y) against its line to the camera"
    if claim.path == "subject.pose.gaze":
        worst = max(o[0] for o in offsets)
        return [choice(claim, "gaze", f"camera ({worst:.2f}° off the lens, worse eye)", worst <= GAZE_TOLERANCE_DEG, how,
                       f"±{GAZE_TOLERANCE_DEG:g}°")]
    index = 1 if claim.path.endswith("gaze_yaw_deg") else 2
    name = "gaze yaw" if index == 1 else "gaze pitch"
    values = [o[index] for o in offsets]
    spread = max(values) - min(values)
    return [numeric(claim, name, float(np.mean(values)), f"{how}; mean of the two eyes (they differ by {spread:.2f}°)",
                    ANGLE_TOLERANCE_DEG)]


def expression(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import choice, missing

    body = heads.person_body(m.scene)
    pose = heads.head_pose(body) if body is not None else None
    if body is None or pose is None:
        return [missing(claim, "expression", "person mesh with its rest shape and face units")]
    fitted = heads.expression_weights(body, pose)
    wanted = unit_weights(m.spec.subject.expression)
    if not fitted:
        return [missing(claim, "expression", "face-unit displacements on the person mesh")]
    errors = {u: abs(fitted.get(u, 0.0) - w) for u, w in wanted.items()}
    worst = max(errors, key=lambda u: errors[u]) if errors else ""
    shown = ", ".join(f"{u} {fitted.get(u, 0.0):.2f}" for u, w in wanted.items() if w > 0.0 or abs(fitted.get(u, 0.0)) > 0.02)
    measured = f"{claim.value} ({shown or 'no unit'})"
    ok = all(e <= EXPRESSION_TOLERANCE for e in errors.values())
    how = "face-unit weights fitted to the face's displacement from its rest shape (head motion removed)"
    if not ok:
        measured += f"; {worst} off by {errors[worst]:.2f}"
    return [choice(claim, "expression", measured, ok, how, f"each unit ±{EXPRESSION_TOLERANCE:g}")]


def _garment(m: Measuring) -> bpy.types.Object | None:
    return heads.person_part(m.scene, PERSON_GARMENT_PART)


def _fabric_bsdf(obj: bpy.types.Object) -> bpy.types.Node | None:
    for slot in obj.material_slots:
        mat = slot.material
        if mat is not None and mat.node_tree is not None and "fabric_bsdf" in mat.node_tree.nodes:
            return mat.node_tree.nodes["fabric_bsdf"]
    return None


def _find(image: ExrImage, *names: str) -> str:
    """The channel of the first name present: Blender 4.5 writes a pass's short name (IndexOB),
    Blender 5 its full one (Object Index)."""
    for name in names:
        try:
            return image.find(name)
        except KeyError:
            continue
    raise KeyError(f"none of {names} in {sorted(image.channels)}")


def _rendered_albedo(scene: bpy.types.Scene, garment: bpy.types.Object) -> tuple[np.ndarray, int]:
    """Median linear albedo of the garment's pixels in a probe render, and how many there were."""
    layer = scene.view_layers[0]
    index = 1 + max((o.pass_index for o in scene.objects), default=0)
    # The diffuse-colour pass adds the sheen layer's (white) colour to the base colour and is
    # darkened by the energy the specular layer takes, so both are muted for the probe: the pass
    # then reads the fabric's own albedo, as the material wires it.
    bsdf = _fabric_bsdf(garment)
    sheen = ([(bsdf.inputs["Sheen Weight"], "default_value", 0.0), (bsdf.inputs["Specular IOR Level"], "default_value", 0.0)]
             if bsdf is not None else [])
    with temporary_settings([(layer, "use_pass_diffuse_color", True), (layer, "use_pass_object_index", True),
                             (garment, "pass_index", index), *sheen]), small_render(scene, PROBE_WIDTH_PX, PROBE_SAMPLES), quiet_stdout():
        image = render_passes(scene)
    ids = image.channels[_find(image, "IndexOB.X", "Object Index.X")]
    colour = image.layer(_find(image, "DiffCol.R", "Diffuse Color.R").removesuffix("R"), "RGB")
    mask = np.abs(ids - index) < 0.5
    if not mask.any():
        return np.zeros(3), 0
    return np.median(colour[mask], axis=0), int(mask.sum())


def garment_color(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import choice, missing, shown_value

    garment = _garment(m)
    if garment is None:
        return [missing(claim, "garment colour", "person garment")]
    albedo, pixels = m.cached("garment_albedo", lambda: _rendered_albedo(m.scene, garment))
    how = f"probe render: diffuse-colour pass, median of {pixels} garment pixels"
    if pixels < MIN_GARMENT_PIXELS:
        bsdf = _fabric_bsdf(garment)
        if bsdf is None:
            return [missing(claim, "garment colour", "garment in frame or its fabric_bsdf material")]
        albedo = np.array(tuple(color_socket(bsdf.inputs["Base Color"]).default_value)[:3])
        how = "garment out of frame: fabric_bsdf base colour"
    rgb = tuple(round(255.0 * linear_to_srgb(float(c))) for c in albedo)
    wanted = cast(tuple[int, int, int], tuple(cast(tuple[int, ...], claim.value)))
    ok = all(abs(a - b) <= COLOR_TOLERANCE for a, b in zip(rgb, wanted, strict=True))
    return [choice(claim, "garment colour", shown_value(rgb), ok, how, f"±{COLOR_TOLERANCE} level")]


def garment_fabric(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import choice, missing

    garment = _garment(m)
    bsdf = _fabric_bsdf(garment) if garment is not None else None
    if bsdf is None:
        return [missing(claim, "fabric", "person garment with its fabric_bsdf material")]
    values = {name: float(float_socket(bsdf.inputs[name]).default_value) for name in SURFACES["silk"]}
    found = next((fabric for fabric, surface in SURFACES.items()
                  if all(math.isclose(values[k], v, abs_tol=SURFACE_TOLERANCE) for k, v in surface.items())), None)
    shown = found or ", ".join(f"{k} {v:.2f}" for k, v in values.items())
    return [choice(claim, "fabric", shown, found == claim.value, "fabric_bsdf surface values against core.fabric")]


def _hair_bsdf(m: Measuring) -> bpy.types.Node | None:
    for part in ("person_hair", "person_brows"):
        obj = heads.person_part(m.scene, part)
        if obj is None:
            continue
        for slot in obj.material_slots:
            mat = slot.material
            if mat is not None and mat.node_tree is not None and "hair_bsdf" in mat.node_tree.nodes:
                return mat.node_tree.nodes["hair_bsdf"]
    return None


def _greying(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import missing, numeric

    scalp = heads.person_part(m.scene, "person_hair")
    bsdf = _hair_bsdf(m)
    if scalp is None or not isinstance(scalp.data, bpy.types.Curves) or bsdf is None:
        return [missing(claim, "grey strands", "person scalp hair with the hair_bsdf material")]
    data = scalp.data
    white = lookup(data.attributes, HAIR_WHITE_ATTRIBUTE)
    share = 0.0
    if white is not None and white.domain == "CURVE" and white.data_type == "FLOAT" and len(data.curves):
        values = np.empty(len(data.curves), dtype=np.float32)
        of_type(white, bpy.types.FloatAttribute).data.foreach_get("value", values)
        share = float((values > 0.5).mean())
    tree = bsdf.id_data
    wired = (isinstance(tree, bpy.types.ShaderNodeTree) and "greying" in tree.nodes and "grey_bsdf" in tree.nodes
             and float(float_socket(tree.nodes["grey_bsdf"].inputs["Melanin"]).default_value) == 0.0
             and any(link.to_node is not None and link.from_node is not None and link.to_node.name == "greying"
                     and link.from_node.name == "white" for link in tree.links))
    return [numeric(claim, "grey strands", share * 100.0, f"share of {len(data.curves)} scalp strands marked white ({HAIR_WHITE_ATTRIBUTE})"
                    + ("" if wired else "; the material does not render them white"), extra_ok=wired)]


def hair(claim: Claim, m: Measuring) -> list[Check]:
    from .claims import choice, missing

    if claim.path == "subject.hair.greying":
        return _greying(claim, m)

    if claim.path == "subject.hair.melanin":
        bsdf = _hair_bsdf(m)
        if bsdf is None:
            return [missing(claim, "hair colour", "person hair or brows with the hair_bsdf material")]
        melanin = float(float_socket(bsdf.inputs["Melanin"]).default_value)
        redness = float(float_socket(bsdf.inputs["Melanin Redness"]).default_value)
        shade = hair_shade(melanin, redness)
        return [choice(claim, "hair colour", f"{shade} (melanin {melanin:.2f}, redness {redness:.2f})", shade == claim.value,
                       "hair_bsdf pigment worded by core.prompt.hair_color.hair_shade", "same word")]
    raise ValueError(f"no hair measure for {claim.path} (the cut and parting: verify.hairstyle)")
