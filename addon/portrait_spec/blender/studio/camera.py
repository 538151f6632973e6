"""The portrait camera from ``core.framing``: lens, sensor crop, shift or tilt, depth of field.

Depth of field is on, focused on the ``focus`` empty (the midpoint between the pupils) at the
spec's f-number. The sensor is the spec's 3:2 sensor cropped to the output aspect (4:5 on full
frame is 24 x 30 mm); ``sensor_width`` keeps the spec's value and ``sensor_fit`` picks the side the
crop spans (see ``core.framing``).
"""

from __future__ import annotations

import bpy

from ...core.framing import CameraFrame
from ...core.spec import CameraSpec
from ..narrow import camera_of, present


def configure_camera(obj: bpy.types.Object, frame: CameraFrame, camera: CameraSpec, focus_obj: bpy.types.Object) -> None:
    cam = camera_of(obj)
    cam.type = "PERSP"
    cam.lens_unit = "MILLIMETERS"
    cam.lens = frame.focal_mm
    fit, sensor_w, sensor_h = frame.blender_sensor(camera.sensor_width_mm)
    cam.sensor_fit = fit
    cam.sensor_width = sensor_w
    cam.sensor_height = sensor_h
    cam.shift_x = frame.shift_x
    cam.shift_y = frame.shift_y
    cam.clip_start = 0.05
    cam.clip_end = 200.0
    dof = present(cam.dof, f"camera {cam.name!r} depth of field")
    dof.use_dof = True
    if dof.focus_object != focus_obj:  # assigning it, even unchanged, rebuilds relations: every object re-syncs
        dof.focus_object = focus_obj
    dof.aperture_fstop = camera.f_number
    obj.location = frame.position
    obj.rotation_mode = "XYZ"
    obj.rotation_euler = frame.euler_xyz
    obj.scale = (1.0, 1.0, 1.0)
