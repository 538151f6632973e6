"""The portrait camera as geometry: sensor crop, distance for a framing, and rays through the frame.

Conventions (the builder sets Blender's camera from exactly this model, so the cyclorama size and
the gradient placement computed here match the render):

* ``sensor_width_mm`` is the long side of a 3:2 sensor (36 mm = full frame, 36 x 24 mm). A frame
  narrower than 1:1 (portrait, e.g. 4:5) uses the sensor turned upright and cropped to the output
  aspect, as a photographer cropping a vertical frame does: 4:5 on full frame is 24 x 30 mm.
* Framing sets the frame height at the focus point's distance: closeup 0.40 m, head and
  shoulders 0.55 m, half body 1.10 m, with the eyes one third down from the top of the frame.
  Head and shoulders: the crown is 11-13 cm above the pupils (ANSUR II, 2012), so the eye line
  at one third leaves 5-7 cm (10-13 %) of headroom, the head fills about 40 % of the frame's
  height, the frame's bottom cuts mid-chest 37 cm below the eyes, and its width (0.44 m at 4:5)
  holds the shoulders (bideltoid breadth 36-50 cm, less when the body turns).
* Projection is Blender's pinhole: the frame height at distance ``D`` is ``D * frame_h / f``
  (no focus breathing), so the camera stands ``D = H * f / frame_h`` from the focus plane.
* At eye level (``camera.height`` unset) the camera looks horizontally along +Y and a vertical
  lens shift puts the eyes at the upper third, keeping verticals vertical. At a set height it
  tilts to the frame centre instead (no shift).
* Image coordinates ``u`` (0 = left edge, 1 = right) and ``v`` (0 = bottom, 1 = top).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from .vec import Vec3, add, dot, scale, sub

FRAME_HEIGHT_M: dict[str, float] = {"closeup": 0.40, "head_and_shoulders": 0.55, "half_body": 1.10}
EYES_FROM_TOP = 1.0 / 3.0
SENSOR_SHORT_OVER_LONG = 2.0 / 3.0


def sensor_frame_mm(sensor_width_mm: float, aspect: float) -> tuple[float, float]:
    """(width, height) in mm of the largest ``aspect`` (= width / height) crop of a 3:2 sensor,
    upright for portrait frames."""
    long_side, short_side = sensor_width_mm, sensor_width_mm * SENSOR_SHORT_OVER_LONG
    sensor_w, sensor_h = (short_side, long_side) if aspect < 1.0 else (long_side, short_side)
    width = min(sensor_w, sensor_h * aspect)
    return width, width / aspect


@dataclass(frozen=True)
class CameraFrame:
    """A pinhole camera with no roll, looking along +Y tilted up by ``pitch_rad``."""

    position: Vec3
    pitch_rad: float
    focal_mm: float
    frame_w_mm: float
    frame_h_mm: float
    shift_x: float = 0.0
    shift_y: float = 0.0

    @property
    def forward(self) -> Vec3:
        return (0.0, math.cos(self.pitch_rad), math.sin(self.pitch_rad))

    @property
    def up(self) -> Vec3:
        return (0.0, -math.sin(self.pitch_rad), math.cos(self.pitch_rad))

    @property
    def right(self) -> Vec3:
        return (1.0, 0.0, 0.0)

    @property
    def euler_xyz(self) -> tuple[float, float, float]:
        """Blender rotation (XYZ Euler): a camera looks down its -Z; +90 deg about X looks along +Y."""
        return (math.pi / 2.0 + self.pitch_rad, 0.0, 0.0)

    @property
    def shift_unit_mm(self) -> float:
        # Blender measures lens shift in units of the frame's larger dimension.
        return max(self.frame_w_mm, self.frame_h_mm)

    def ray(self, u: float, v: float) -> Vec3:
        """Direction (not normalised) from the camera through image point (u, v)."""
        xs = (u - 0.5) * self.frame_w_mm + self.shift_x * self.shift_unit_mm
        ys = (v - 0.5) * self.frame_h_mm + self.shift_y * self.shift_unit_mm
        return add(add(scale(self.right, xs), scale(self.up, ys)), scale(self.forward, self.focal_mm))

    def project(self, point: Vec3) -> tuple[float, float]:
        """Image coordinates (u, v) of a world point in front of the camera."""
        d = sub(point, self.position)
        depth = dot(d, self.forward)
        xs = dot(d, self.right) * self.focal_mm / depth - self.shift_x * self.shift_unit_mm
        ys = dot(d, self.up) * self.focal_mm / depth - self.shift_y * self.shift_unit_mm
        return xs / self.frame_w_mm + 0.5, ys / self.frame_h_mm + 0.5

    def hit_plane_y(self, u: float, v: float, plane_y: float) -> Vec3:
        """Where the ray through (u, v) meets the vertical plane y = ``plane_y``."""
        d = self.ray(u, v)
        t = (plane_y - self.position[1]) / d[1]
        return add(self.position, scale(d, t))

    def blender_sensor(self, sensor_width_mm: float) -> tuple[Literal["HORIZONTAL", "VERTICAL"], float, float]:
        """(sensor_fit, sensor_width, sensor_height) reproducing this frame in Blender while keeping
        the spec's sensor width on the camera: fit whichever side the crop spans."""
        if math.isclose(self.frame_w_mm, sensor_width_mm, rel_tol=1e-9):
            return "HORIZONTAL", sensor_width_mm, self.frame_h_mm
        return "VERTICAL", sensor_width_mm, self.frame_h_mm


def frame_height_m(framing: str) -> float:
    return FRAME_HEIGHT_M[framing]


def portrait_camera(focal_mm: float, sensor_width_mm: float, framing: str, eye: Vec3,
                    resolution: tuple[int, int], height_m: float | None) -> CameraFrame:
    """The camera that frames ``framing`` around the eye point ``eye`` (the focus)."""
    aspect = resolution[0] / resolution[1]
    frame_w, frame_h = sensor_frame_mm(sensor_width_mm, aspect)
    h_subject = frame_height_m(framing)
    distance = h_subject * focal_mm / frame_h
    centre_below_eye = h_subject * (0.5 - EYES_FROM_TOP)
    if height_m is None:
        shift_unit = max(frame_w, frame_h)
        shift_y = -(centre_below_eye / h_subject) * frame_h / shift_unit
        return CameraFrame((eye[0], eye[1] - distance, eye[2]), 0.0, focal_mm, frame_w, frame_h, 0.0, shift_y)
    centre_z = eye[2] - centre_below_eye
    rise = centre_z - height_m
    horizontal = math.sqrt(max(distance * distance - rise * rise, 0.25 * distance * distance))
    pitch = math.atan2(rise, horizontal)
    return CameraFrame((eye[0], eye[1] - horizontal, height_m), pitch, focal_mm, frame_w, frame_h)
