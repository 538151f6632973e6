"""Where the background light goes so the backdrop falls off by exactly the spec's stops.

Gradient mode lights the cyclorama with its own light (light-linked to the backdrop only). The
claim is about the backdrop as the camera sees it: at head height (the image row through the
eyes), the wall at the bright edge of the frame is ``stops`` brighter than the wall at the other
edge, and the bright edge's incident level is ``level_stops`` relative to the key's.

Placement, computed from the same form-factor model the meter uses (no hand tuning): a 0.5 m
square softbox faces the wall squarely (+Y) at head height, just outside the frame on the bright
side (so it never shows), ``d`` in front of the wall. The ratio between the two edges falls
monotonically as ``d`` grows (grazing light falls off faster across the wall), so ``d`` is found by
bracketing and bisection; a ratio too gentle for the room left between camera and wall turns the
light (from the farthest position) towards the dark side instead, which flattens the falloff.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .framing import CameraFrame
from .meter.emitter import AreaEmitter
from .placement import aim_basis
from .vec import Vec3

LIGHT_SIZE_M = 0.5
WALL_NORMAL: Vec3 = (0.0, -1.0, 0.0)
MIN_DISTANCE_M = 0.05
CAMERA_CLEARANCE_M = 0.3
OUT_OF_FRAME_M = 0.05
MAX_TOE_IN_M = 100.0


@dataclass(frozen=True)
class GradientPlacement:
    position: Vec3
    target: Vec3
    size: float
    bright_point: Vec3
    dark_point: Vec3
    stops: float  # what this placement achieves (equals the request unless out of reach)

    def emitter(self) -> AreaEmitter:
        x, y, _ = aim_basis(self.position, self.target)
        return AreaEmitter(self.position, x, y, self.size, self.size)

    def bright_irradiance_per_watt(self) -> float:
        return self.emitter().irradiance_per_watt(self.bright_point, WALL_NORMAL)


def edge_points(camera: CameraFrame, wall_y: float, eye: Vec3, side: str) -> tuple[Vec3, Vec3]:
    """(bright, dark) wall points at the frame's edges on the image row through the eyes."""
    v_eye = camera.project(eye)[1]
    left, right = camera.hit_plane_y(0.0, v_eye, wall_y), camera.hit_plane_y(1.0, v_eye, wall_y)
    return (left, right) if side == "left" else (right, left)


def _placement(bright: Vec3, dark: Vec3, wall_y: float, distance: float, side_offset: float,
               toe_in: float = 0.0) -> GradientPlacement:
    outward = -1.0 if bright[0] < dark[0] else 1.0
    position = (bright[0] + outward * side_offset, wall_y - distance, bright[2])
    target = (position[0] - outward * toe_in, wall_y, position[2])
    placement = GradientPlacement(position, target, LIGHT_SIZE_M, bright, dark, 0.0)
    e = placement.emitter()
    ratio = e.irradiance_per_watt(bright, WALL_NORMAL) / e.irradiance_per_watt(dark, WALL_NORMAL)
    return GradientPlacement(position, target, LIGHT_SIZE_M, bright, dark, math.log2(ratio))


def _solve(build: Callable[[float], GradientPlacement], lo: float, hi: float, stops: float, steps: int = 48) -> GradientPlacement:
    """Bracket on a geometric grid, then bisect; ``build(x).stops`` decreases as x grows."""
    xs = [lo * (hi / lo) ** (i / steps) for i in range(steps + 1)]
    previous = build(xs[0])
    if previous.stops <= stops:
        return previous
    for x in xs[1:]:
        current = build(x)
        if current.stops <= stops:
            a, b = x / (hi / lo) ** (1.0 / steps), x
            for _ in range(50):
                mid = math.sqrt(a * b)
                if build(mid).stops > stops:
                    a = mid
                else:
                    b = mid
            return build(math.sqrt(a * b))
        previous = current
    return previous


def place_background_light(camera: CameraFrame, wall_y: float, eye: Vec3, stops: float, side: str) -> GradientPlacement:
    bright, dark = edge_points(camera, wall_y, eye, side)
    side_offset = LIGHT_SIZE_M / 2.0 + OUT_OF_FRAME_M
    max_distance = max(wall_y - camera.position[1] - CAMERA_CLEARANCE_M, 2.0 * MIN_DISTANCE_M)
    found = _solve(lambda d: _placement(bright, dark, wall_y, d, side_offset), MIN_DISTANCE_M, max_distance, stops)
    if found.stops > stops + 1e-6:
        found = _solve(lambda t: _placement(bright, dark, wall_y, max_distance, side_offset, t), 1e-3, MAX_TOE_IN_M, stops)
    return found
