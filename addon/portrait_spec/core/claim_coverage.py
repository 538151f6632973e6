"""How ``verify`` checks each prompt claim, by dotted path: measured from the scene, or stated
only, with the reason. One table, so a phrase the prompt writer adds cannot escape verification:
a claim path found in neither table fails ``verify`` and the coverage test.

Patterns match a claim path segment by segment; ``*`` stands for exactly one segment (a light's
role, a skin region). ``blender/verify/claims.py`` implements one measurer per MEASURED pattern
(a Blender test keeps the two key sets equal).

``ON_SCREEN`` lists the claims of millimetre detail. The prompt states them only when the
feature spans at least a pixel (``core.prompt.visibility``); ``verify`` adds a row for each,
measuring the pixel's footprint at the focus from the scene's own camera and output resolution,
so a render made smaller or framed wider than the prompt assumed fails it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .prompt.visibility import FEATURES, MIN_PIXELS

MEASURED: dict[str, str] = {
    "camera.framing": "frame height at the focus distance and eye line, projected through the scene camera",
    "camera.focal_length_mm": "scene camera's focal length",
    "camera.f_number": "scene camera's f-stop, depth of field on",
    "camera.height": "camera's height above the floor, or its offset from the eyes' height for eye level",
    "lights.*.apparent_size": "sqrt(emitting area) / distance, from the light's size, object scale and position",
    "lights.*.spread_deg": "the light's spread (grid), or a spot's beam angle",
    "lights.*.modifier": "the modifier stored on the light object, checked against its light type, shape and deflector",
    "lights.*.azimuth_deg": "light object's centre around the focus empty",
    "lights.*.elevation_deg": "light object's centre around the focus empty",
    "lights.*.distance": "light object's centre to the focus empty",
    "lights.*.stops": "probe renders: a white card at the focus facing each light, that light alone",
    "lights.*.temperature_k": "the light's colour temperature (temperature on, colour white)",
    "lights.bounce.apparent_size": "sqrt(reflecting area) / distance of its centre, from the reflector mesh as it is",
    "lights.bounce.kind": "the reflector mesh's face material (Lambertian 0.9 or a mirror of the kind's reflectance) and shape",
    "lights.bounce.azimuth_deg": "the reflector object (a V-flat's hinge) around the focus empty",
    "lights.bounce.elevation_deg": "the reflector object (a V-flat's hinge) around the focus empty",
    "lights.bounce.stops": "probe renders: white card at the focus facing the reflector, the key alone with and without it",
    "lights.flag.enabled": "a black (albedo 0.03) flag mesh that renders",
    "lights.flag.azimuth_deg": "the flag object's centre around the focus empty",
    "lights.flag.elevation_deg": "the flag object's centre around the focus empty",
    "lights.key.pattern": "key-emitter visibility by ray casts from landmark patches on the person's face (verify/patterns.py)",
    "lights.key.side": "the key's side of the face against the side the head turns to the camera (verify/patterns.py)",
    "lights.*.catchlight_shape": "camera rays reflected on each cornea to the light's emitter, blocked by ray casts",
    "lights.*.catchlight_clock": "the same reflected rays: the catchlight's centroid around the projected iris centre, in hours",
    "skin.tone.melanin": "skin_tone colour fitted with core.skin_tone's model (melanin and haemoglobin)",
    "skin.pores.diameter_mm": "pore pit radius in the skin material (pore_profile / pore_cells), region masks",
    "skin.vellus_hair.length_mm": "sheen weight of the vellus layer (coverage = density x length x diameter)",
    "skin.vellus_hair.visible": "the vellus sheen layer feeds the skin, on the claimed regions",
    "skin.sebum.roughness": "roughness_sebum mix value and its region masks",
    "skin.subsurface.thin_radius_mm": "red subsurface radius in the thin regions (subsurface_radius x scale)",
    "skin.roughness.*": "skin_bsdf roughness network: the base value or the region's mix value and mask",
    "jewelry.karat": "gold_bsdf n and k matched against core.gold_optics per karat",
    "jewelry.finish": "the gold's normal network: hammer facets, brush lines or none (polished)",
    "jewelry.chain.style": "link mesh: width / length and out-of-plane twist against each style",
    "jewelry.chain.link_length_mm": "link mesh outer length",
    "jewelry.chain.wire_gauge_mm": "link mesh (outer length - inner opening) / 2",
    "jewelry.chain.length": "links counted on the chain x pitch (inner opening) of the measured link",
    "jewelry.facet_size_mm": "hammer_facets Voronoi cell size",
    "jewelry.roughness": "gold_bsdf base roughness (under the scratches when there are any)",
    "jewelry.micro_scratches": "scratch network feeding the gold's roughness and normal",
    "background.color": "extraction: 8-bit probe render of the backdrop; otherwise the backdrop paint",
    "background.mode": "backdrop ray visibility, shader and the rig lights' light linking",
    "background.gradient.stops": "probe render: frame edges on the eye row, background light alone",
    "background.gradient.side": "probe render: which frame edge is brighter",
    "background.level_stops": "probe render: wall irradiance at the bright edge against the key's",
    "subject.distance_to_background": "ray cast from the focus to the cyclorama",
    "render.resolution": "scene output resolution (aspect)",
    "subject.pose.head_yaw_deg": "the person's head vertices fitted rigidly (Kabsch) from their rest shape to the mesh as it is",
    "subject.pose.head_pitch_deg": "the person's head vertices fitted rigidly (Kabsch) from their rest shape to the mesh as it is",
    "subject.pose.head_roll_deg": "the person's head vertices fitted rigidly (Kabsch) from their rest shape to the mesh as it is",
    "subject.pose.body_turn_deg": "the person's chest vertices fitted rigidly (Kabsch) from their rest shape to the mesh as it is",
    "subject.pose.gaze": "angle between each eyeball's axis and the line from it to the scene camera",
    "subject.pose.gaze_yaw_deg": "each eyeball's axis against the line to the scene camera, turned by the stated angles",
    "subject.pose.gaze_pitch_deg": "each eyeball's axis against the line to the scene camera, turned by the stated angles",
    "subject.expression.kind": "face-unit weights fitted (least squares) to the face's displacement from its rest shape",
    "subject.garment.color": "probe render: the garment's diffuse colour pass, median over its pixels, to 8-bit sRGB",
    "subject.garment.fabric": "the garment material's surface values (roughness, sheen, anisotropy) against each fabric",
    "subject.hair.melanin": "the hair material's Principled Hair melanin and redness, worded by the same shade rule",
    "subject.hair.style": ("scalp strands: tied (80% through one 2 cm cell; a bun if their tips end near it) or the band "
                           "of their median length, which is within 10% of length_cm"),
    "subject.hair.parting": ("first segments of the roots on top of the head in the skull's frame: the line they turn "
                             "apart from (centre within 12 mm)"),
    "subject.hair.greying": "share of scalp strands whose per-strand pigment attribute is 0 (the material renders them white)",
}

ON_SCREEN: dict[str, str] = {
    path: f"{name} at least {MIN_PIXELS:g} px: the scene camera's frame height at the focus over the output height"
    for path, name in FEATURES.items()
}

# Claims only stated, each with the reason it cannot be measured from the scene.
STATED: dict[str, str] = {
    "subject.body.age_years": "the age sets MakeHuman's age targets; apparent age has no geometric measure",
    "subject.body.sex": "the sex blend sets MakeHuman's macro targets; apparent sex has no geometric measure",
    "subject.body.weight": "build words come from MakeHuman's weight scale; no body measure maps back to it",
    "subject.body.muscle": "build words come from MakeHuman's muscle scale; no body measure maps back to it",
    "subject.garment.neckline": "the neckline is a rule on the rest shape; its style has no single measurable quantity",
}


@dataclass(frozen=True)
class Coverage:
    pattern: str
    measured: bool
    note: str  # how it is measured, or why it is only stated


def _matches(pattern: str, path: str) -> bool:
    want, have = pattern.split("."), path.split(".")
    return len(want) == len(have) and all(w in ("*", h) for w, h in zip(want, have, strict=True))


def coverage(path: str) -> Coverage | None:
    """How the claim at ``path`` is verified; None if neither table covers it (a defect).
    An exact pattern wins over one with a wildcard."""
    for table, measured in ((MEASURED, True), (STATED, False)):
        if path in table:
            return Coverage(path, measured, table[path])
    for table, measured in ((MEASURED, True), (STATED, False)):
        for pattern, note in table.items():
            if _matches(pattern, path):
                return Coverage(pattern, measured, note)
    return None
