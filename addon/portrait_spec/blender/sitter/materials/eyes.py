"""The eye material "PS_Eye": sclera, iris and pupil by angle from the gaze axis, under a
glossy cornea (a clear coat of IOR 1.376, the cornea's index) that mirrors the softbox as a
rectangular catchlight.

The eyeball mesh looks along its local -Y; object coordinates therefore give the angle from
the gaze: the pupil is 4 mm and the iris 12 mm across, on a globe of ``globe_radius_m`` (12 mm
for the mannequin; the person's globe fills MakeHuman's eyelids, so it is larger and the same
iris spans a smaller angle).
"""

from __future__ import annotations

import math as pymath

import bpy

from ...narrow import float_socket, of_type, present, vector_socket
from ...nodes import fresh_material, link, math, node

NAME = "PS_Eye"
CORNEA_IOR = 1.376
PUPIL_RADIUS_M = 0.002
IRIS_RADIUS_M = 0.006
GLOBE_RADIUS_M = 0.012
SCLERA = (0.72, 0.68, 0.64)  # a slightly warm white, never paper white
IRIS = (0.09, 0.045, 0.02)  # a mid brown
PUPIL = (0.005, 0.005, 0.005)


def eye_material(globe_radius_m: float = GLOBE_RADIUS_M) -> bpy.types.Material:
    mat = fresh_material(NAME)
    mat["portrait_spec_material"] = "eyes"
    iris_deg = pymath.degrees(pymath.asin(IRIS_RADIUS_M / globe_radius_m))
    pupil_deg = pymath.degrees(pymath.asin(PUPIL_RADIUS_M / globe_radius_m))
    out = node(mat, "ShaderNodeOutputMaterial", "output", (800.0, 0.0))
    bsdf = node(mat, "ShaderNodeBsdfPrincipled", "eye_bsdf", (500.0, 0.0))
    link(mat, bsdf.outputs[0], out.inputs["Surface"])
    coords = node(mat, "ShaderNodeTexCoord", "eye_coords", (-800.0, 0.0))
    unit = node(mat, "ShaderNodeVectorMath", "gaze_dir", (-600.0, 0.0))
    of_type(unit, bpy.types.ShaderNodeVectorMath).operation = "NORMALIZE"
    link(mat, coords.outputs["Object"], unit.inputs[0])
    cosine = node(mat, "ShaderNodeVectorMath", "gaze_cos", (-400.0, 0.0))
    of_type(cosine, bpy.types.ShaderNodeVectorMath).operation = "DOT_PRODUCT"
    vector_socket(cosine.inputs[1]).default_value = (0.0, -1.0, 0.0)
    link(mat, unit.outputs[0], cosine.inputs[0])
    ramp = node(mat, "ShaderNodeValToRGB", "eye_colours", (-100.0, 0.0))
    colour_ramp = present(of_type(ramp, bpy.types.ShaderNodeValToRGB).color_ramp, "eye_colours ramp")
    colour_ramp.interpolation = "LINEAR"
    stops = colour_ramp.elements
    # Positions are cosines of the angle from the gaze axis, soft at the limbus.
    c_iris, c_pupil = pymath.cos(pymath.radians(iris_deg)), pymath.cos(pymath.radians(pupil_deg))
    # Colours through foreach_set: the 5.x stubs cannot type an assignment to an array property.
    stops[0].position = c_iris - 0.02
    stops[0].color.foreach_set((*SCLERA, 1.0))
    stops[1].position = c_pupil - 0.004
    stops[1].color.foreach_set((*IRIS, 1.0))
    mid = stops.new(c_iris + 0.005)
    mid.color.foreach_set((IRIS[0] * 0.6, IRIS[1] * 0.6, IRIS[2] * 0.6, 1.0))  # darker limbal ring
    pupil = stops.new(c_pupil)
    pupil.color.foreach_set((*PUPIL, 1.0))
    link(mat, cosine.outputs["Value"], ramp.inputs["Fac"])
    link(mat, ramp.outputs["Color"], bsdf.inputs["Base Color"])
    rough = math(mat, "GREATER_THAN", cosine.outputs["Value"], c_iris, (-100.0, -300.0), "is_cornea")
    float_socket(bsdf.inputs["Roughness"]).default_value = 0.35
    float_socket(bsdf.inputs["Coat Weight"]).default_value = 1.0
    float_socket(bsdf.inputs["Coat IOR"]).default_value = CORNEA_IOR
    # The tear film keeps the whole exposed eye glossy; the cornea is mirror-smooth.
    r = math(mat, "MULTIPLY_ADD", rough, -0.03, (100.0, -300.0), "coat_roughness")
    float_socket(present(r.node, "coat_roughness").inputs[2]).default_value = 0.03
    link(mat, r, bsdf.inputs["Coat Roughness"])
    return mat
