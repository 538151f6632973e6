"""The cyclorama's cross-section: floor, a quarter-circle cove, wall; and how big it must be.

The profile lives in the (y, z) plane and is swept along X. The wall is the plane
y = ``wall_y`` (the focus point's horizontal distance to the backdrop, world y of the focus is 0);
the cove of radius R joins the floor (z = 0) to the wall tangentially at both ends, so the
surface has no corner. 64 segments on the quarter circle (1.4 deg each) with smooth shading
leave no visible facets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .framing import CameraFrame

COVE_SEGMENTS = 64
# Margins beyond the camera's view so the frame never reaches an edge of the backdrop.
WIDTH_MARGIN_FACTOR = 1.3
EDGE_MARGIN_M = 0.5


@dataclass(frozen=True)
class CycloramaSize:
    half_width: float
    floor_front_y: float
    top_z: float


# The sitter's extent around the focus point (the eyes), measured on the built person and
# mannequin (both reach 0.19 m behind the eyes and 0.55 m below them), with a margin.
SITTER_DEPTH_M = 0.25
SITTER_BELOW_EYES_M = 0.6


def cove_height_at(y: float, wall_y: float, cove_radius: float) -> float:
    """Height of the backdrop surface at horizontal position ``y``: 0 on the floor, rising
    along the cove; infinite at and beyond the wall."""
    start = wall_y - cove_radius
    if y <= start:
        return 0.0
    if y >= wall_y:
        return math.inf
    return cove_radius - math.sqrt(cove_radius ** 2 - (y - start) ** 2)


def cove_clear_of_sitter(wall_y: float, cove_radius: float, eye_height: float) -> bool:
    """Whether the backdrop stays below the sitter at its back (``SITTER_DEPTH_M`` behind the
    eyes): the cove may rise there only as high as the sitter's lowest point."""
    return cove_height_at(SITTER_DEPTH_M, wall_y, cove_radius) <= max(0.0, eye_height - SITTER_BELOW_EYES_M)


def largest_clear_cove(wall_y: float, eye_height: float) -> float:
    """The largest cove radius that ``cove_clear_of_sitter`` allows (0 if none does)."""
    lo, hi = 0.0, wall_y
    if not cove_clear_of_sitter(wall_y, lo, eye_height):
        return 0.0
    for _ in range(50):  # the cove rises at the sitter's back monotonically with its radius
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if cove_clear_of_sitter(wall_y, mid, eye_height) else (lo, mid)
    return lo


def size_for_camera(camera: CameraFrame, wall_y: float, cove_radius: float) -> CycloramaSize:
    """Cover every ray of the frame: the farthest any frame ray travels inside the studio is the
    wall plane, so the frame's corners on that plane bound the width and height."""
    corners = [camera.hit_plane_y(u, v, wall_y) for u in (0.0, 1.0) for v in (0.0, 1.0)]
    half_width = max(abs(c[0]) for c in corners) * WIDTH_MARGIN_FACTOR + EDGE_MARGIN_M
    top_z = max(max(c[2] for c in corners) + EDGE_MARGIN_M, cove_radius + 1.0)
    floor_front_y = camera.position[1] - EDGE_MARGIN_M
    return CycloramaSize(half_width, floor_front_y, top_z)


def profile(wall_y: float, cove_radius: float, floor_front_y: float, top_z: float,
            cove_segments: int = COVE_SEGMENTS) -> list[tuple[float, float]]:
    """(y, z) points from the front of the floor, round the cove, to the top of the wall."""
    centre_y, centre_z = wall_y - cove_radius, cove_radius
    points: list[tuple[float, float]] = []
    if floor_front_y < centre_y:
        points.append((floor_front_y, 0.0))
    for i in range(cove_segments + 1):
        angle = -math.pi / 2.0 + (math.pi / 2.0) * i / cove_segments
        y, z = centre_y + cove_radius * math.cos(angle), centre_z + cove_radius * math.sin(angle)
        if y >= floor_front_y:  # a cove deeper than the floor in front of it starts part-way round
            points.append((y, z))
    if top_z > points[-1][1]:
        points.append((wall_y, top_z))
    return points
