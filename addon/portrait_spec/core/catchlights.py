"""Catchlights: the reflection each light makes on the cornea, its shape and clock position.

The cornea is a convex spherical mirror (radius of curvature 7.8 mm, Gullstrand's schematic
eye; Atchison & Smith, *Optics of the Human Eye*, 2000, table 9.1). A light in direction ``L``
from the eye shows on it where the surface normal bisects ``L`` and the direction ``V`` to the
camera (the law of reflection), so the catchlight sits at ``R * N`` from the cornea's centre with
``N = normalize(L + V)``, and a light up and to camera left of the lens shows up and to the left
of the iris centre: 10-11 o'clock. Each point of the emitter's outline maps through that rule;
the reflected outline (less the outline of a beauty dish's deflector, which blocks the centre
of the dish) is the catchlight, seen in the image plane around the iris centre (``R * g`` for
the gaze ``g``) and measured in render pixels at the eye's distance.

``describe_polygon`` and ``describe_cells`` reduce a catchlight to what names it (area, the
sides of its smallest box, how much of that box it fills, its hole, its centroid's clock
angle), from the reflected outline (``predict``, the prompt) or from the grid cells where
reflected camera rays reach the emitter (``blender/verify/catchlights.py``). ``classify`` names
it: a point under ``POINT_PX``; a strip at an aspect of ``STRIP_ASPECT`` or more; a ring when its
hole spans ``HOLE_PX``; else a rectangle when it fills its box (a rectangle fills 1, an ellipse
pi/4) and round when not; no shape when narrower than ``SHAPE_PX``, which the render cannot
show. ``claim`` is what the prompt says: a shape only when clear of every threshold by the
margins, a clock only where the sitter's lids leave most of the catchlight open (the upper lid
estimated for this person by ``core.lid_heights``, less a margin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Literal

from .framing import portrait_camera
from .lid_heights import XS, upper_lid
from .modifiers import DEFLECTOR_FRACTION, DEFLECTOR_GAP_M, KINDS, is_round, uses_height
from .placement import aim_basis, direction_from_angles, light_position
from .spec import LightSpec, RigRole, Spec
from .vec import Vec3, add, dot, normalize, scale, sub

Shape = Literal["rectangle", "strip", "round", "ring", "point"]
SHAPES: tuple[Shape, ...] = ("rectangle", "strip", "round", "ring", "point")
SHAPE_WORDS: dict[str, str] = {"rectangle": "rectangular", "strip": "strip", "round": "round", "ring": "ring", "point": "pinpoint"}

CORNEA_RADIUS_M = 0.0078
# The open eye around the iris centre, in units of the cornea's radius (image right and up): the
# lids differ by face (measured by blender/verify/catchlights.py on the presets' people, neutral
# gaze: the upper lid 0.18-0.48 above the iris centre, the lower 0.68-0.71 below, the limbus
# 0.7-0.8 to the sides), so below and to the sides the window is the tightest of them, a little
# inside; to the sides the eye nearer the lens (verify reads the clearest eye), as the nose hides
# the far eye's inner corner on a turned head. Above, it is this person's upper lid
# (core.lid_heights) less LID_MARGIN (the expressions move it by up to 0.02, the blend of the
# table's corners errs by up to blender_tests/test_lid_heights.py's tolerance), when the gaze is
# level with the head or lower (LEVEL_GAZE_DEG: an eye turned up in the head hides under the lid,
# wholly at 15 deg); else, and for sitters that are not a MakeHuman person, OPEN_UP, the lowest
# lid measured. A catchlight is clipped to it; one clipped is claimed by its clock only, when at
# least SHOWN_FOR_CLOCK of it is inside, and only when its centre is CENTRAL or more from the
# iris centre (nearer, it has no direction).
OPEN_SIDE, OPEN_UP, OPEN_DOWN = 0.6, 0.15, 0.6
LID_MARGIN = 0.08
LEVEL_GAZE_DEG = 2.0
SHOWN_FOR_CLOCK = 0.5
CENTRAL = 0.1
POINT_PX = 2.0       # a catchlight shorter than this is a point of light
SHAPE_PX = 4.0       # narrower than this, a shape (other than a strip's length) cannot be seen
HOLE_PX = 2.0        # a hole narrower than this fills in
VISIBLE_PX2 = 1.0    # under a pixel's area it is not claimed at all
STRIP_ASPECT = 3.0   # strip boxes are 1:3 to 1:6 (30 x 90 cm up to 30 x 180 cm)
# A rectangle fills its box (1.0; its reflection in the convex cornea, edges bowed, about 0.9),
# a disk pi/4 = 0.785.
RECT_FILL = 0.84
# The prompt names a shape only when every size clears its threshold by MARGIN (a share) and the
# fill by FILL_MARGIN; verify accepts a measured shape within the same margins.
MARGIN = 0.15
FILL_MARGIN = 0.03
# verify: the rule's step, as for every rounded claim: rounding uses half of it, the rest is for
# the eye's own offset from the focus and the lids' clipping.
CLOCK_TOLERANCE_H = 1.0


@dataclass(frozen=True, kw_only=True)
class Catchlight:
    """A catchlight as it shows: sizes in render pixels, ``clock`` in hours (0-12, 12 up)."""

    area_px2: float
    length_px: float     # extent along the principal axis
    width_px: float      # extent across it
    fill: float          # area over length x width (of the shape with its hole filled)
    hole_px: float       # equivalent diameter of the hole, 0 without one
    clock: float


def clock_hours(dx: float, dy: float) -> float:
    """Hours clockwise from up (12) of an image offset, x right and y up: (-1, 1) is 10:30."""
    h = (math.degrees(math.atan2(dx, dy)) / 30.0) % 12.0
    return 12.0 if h == 0.0 else h


def hour(clock: float) -> int:
    """The whole hour a clock angle rounds to (12, never 0)."""
    h = round(clock) % 12
    return 12 if h == 0 else h


def clock_distance(a: float, b: float) -> float:
    """Hours between two clock angles the short way round."""
    d = abs(a - b) % 12.0
    return min(d, 12.0 - d)


def classify(c: Catchlight) -> Shape | None:
    """The shape the render shows, or None when it is visible but too small to have one."""
    if c.length_px < POINT_PX:
        return "point"
    if c.width_px > 0.0 and c.length_px / c.width_px >= STRIP_ASPECT and c.length_px >= SHAPE_PX:
        return "strip"
    if c.width_px < SHAPE_PX:
        return None
    if c.hole_px >= HOLE_PX:
        return "ring"
    return "rectangle" if c.fill >= RECT_FILL else "round"


def _variants(c: Catchlight) -> list[Catchlight]:
    """``c`` with its sizes, its width alone, its hole and its fill moved by the margins either way."""
    lo, hi = 1.0 - MARGIN, 1.0 + MARGIN
    out = [replace(c, length_px=c.length_px * s, width_px=c.width_px * s, hole_px=c.hole_px * s) for s in (lo, hi)]
    out += [replace(c, width_px=c.width_px * s) for s in (lo, hi)]
    out += [replace(c, hole_px=c.hole_px * s) for s in (lo, hi)]
    out += [replace(c, fill=c.fill + s) for s in (-FILL_MARGIN, FILL_MARGIN)]
    return [c, *out]


def clear_shape(c: Catchlight) -> Shape | None:
    """``classify``, when every variant within the margins agrees (what the prompt may claim), else None."""
    shapes = {classify(v) for v in _variants(c)}
    return shapes.pop() if len(shapes) == 1 else None


def fits(c: Catchlight, shape: Shape) -> bool:
    """Whether a measured catchlight is ``shape`` within the margins (what verify accepts)."""
    return any(classify(v) == shape for v in _variants(c))


def _area_centroid(poly: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid of a simple polygon (the shoelace formula)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1], strict=True):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if a == 0.0:
        return 0.0, 0.0, 0.0
    return abs(a) / 2.0, cx / (3.0 * a), cy / (3.0 * a)


def _box(points: list[tuple[float, float]], pad: float = 0.0) -> tuple[float, float]:
    """(length, width) of the smallest-area box around ``points`` over orientations 3 deg apart
    (principal axes are no guide for a square, whose moments are the same in every direction)."""
    best: tuple[float, float, float] | None = None
    for k in range(30):
        t = math.radians(3.0 * k)
        ct, st = math.cos(t), math.sin(t)
        along = [x * ct + y * st for x, y in points]
        across = [-x * st + y * ct for x, y in points]
        a, b = max(along) - min(along) + pad, max(across) - min(across) + pad
        if best is None or a * b < best[0]:
            best = (a * b, max(a, b), min(a, b))
    assert best is not None
    return best[1], best[2]


def describe_polygon(outline: list[tuple[float, float]], hole: list[tuple[float, float]] | None,
                     centre: tuple[float, float]) -> Catchlight:
    """A catchlight whose outline (and hole) are polygons in pixels, around the iris ``centre``."""
    area, cx, cy = _area_centroid(outline)
    hole_area = 0.0
    if hole:
        hole_area, hx, hy = _area_centroid(hole)
        if area > hole_area:
            cx, cy = (cx * area - hx * hole_area) / (area - hole_area), (cy * area - hy * hole_area) / (area - hole_area)
    length, width = _box(outline)
    return Catchlight(area_px2=area - hole_area, length_px=length, width_px=width,
                      fill=area / (length * width) if length * width > 0.0 else 0.0,
                      hole_px=2.0 * math.sqrt(hole_area / math.pi), clock=clock_hours(cx - centre[0], cy - centre[1]))


def describe_cells(cells: set[tuple[int, int]], cell_px: float, centre: tuple[float, float]) -> Catchlight | None:
    """A catchlight from the grid cells (column, row; rows up) that see the light, ``cell_px``
    pixels square, around the iris ``centre`` in cell units; None without a cell. Its hole is
    the empty cells that no path of empty cells joins to the outside."""
    if not cells:
        return None
    cols = [c for c, _ in cells]
    rows = [r for _, r in cells]
    c0, c1, r0, r1 = min(cols) - 1, max(cols) + 1, min(rows) - 1, max(rows) + 1
    outside = {(c0, r0)}
    stack = [(c0, r0)]
    while stack:
        c, r = stack.pop()
        for nb in ((c + 1, r), (c - 1, r), (c, r + 1), (c, r - 1)):
            if c0 <= nb[0] <= c1 and r0 <= nb[1] <= r1 and nb not in cells and nb not in outside:
                outside.add(nb)
                stack.append(nb)
    holes = (c1 - c0 + 1) * (r1 - r0 + 1) - len(outside) - len(cells)
    n = len(cells)
    # The box of the cells on the outline is the box of them all, and far cheaper to search.
    edge = [(float(c), float(r)) for c, r in cells
            if not all(nb in cells for nb in ((c + 1, r), (c - 1, r), (c, r + 1), (c, r - 1)))]
    length, width = _box(edge, pad=1.0)
    return Catchlight(area_px2=n * cell_px * cell_px, length_px=length * cell_px, width_px=width * cell_px,
                      fill=(n + holes) / (length * width), hole_px=2.0 * math.sqrt(holes / math.pi) * cell_px,
                      clock=clock_hours(sum(cols) / n - centre[0], sum(rows) / n - centre[1]))


@dataclass(frozen=True, kw_only=True)
class Emitter:
    """A light's emitting outline for the mirror rule: centre, axes and sizes in metres."""

    position: Vec3
    x_axis: Vec3
    y_axis: Vec3
    width: float
    height: float
    round: bool
    hole: float = 0.0  # diameter of an opaque deflector in front of the centre (beauty dish)


def emitter(light: LightSpec, focus: Vec3) -> Emitter:
    """The light's emitting outline as ``blender/studio`` builds it for its modifier
    (``core.modifiers``): a softbox of its shape, a strip box's rectangle, the round modifiers'
    disk (a beauty dish with its deflector), a bare flash's or Fresnel's lamp (a sphere, seen as
    a disk of its diameter)."""
    position = light_position(focus, light.azimuth_deg, light.elevation_deg, light.distance.metres)
    x, y, _ = aim_basis(position, focus)
    w = light.width.metres
    h = light.height.metres if uses_height(light.modifier, light.shape) else w
    round_ = is_round(light.modifier, light.shape) or KINDS[light.modifier].emitter != "area"
    hole = 0.0
    if light.modifier == "beauty_dish":
        # The deflector stands DEFLECTOR_GAP_M nearer the eye, so it hides a little more than its size.
        d = light.distance.metres
        hole = DEFLECTOR_FRACTION * w * d / (d - DEFLECTOR_GAP_M)
    return Emitter(position=position, x_axis=x, y_axis=y, width=w, height=h, round=round_, hole=hole)


def _outline(e: Emitter, n: int = 48) -> list[Vec3]:
    w, h = e.width / 2.0, e.height / 2.0
    if e.round:
        uv = [(math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i in range(n)]
    else:
        k = n // 4
        uv = [(-1 + 2 * i / k, -1.0) for i in range(k)] + [(1.0, -1 + 2 * i / k) for i in range(k)]
        uv += [(1 - 2 * i / k, 1.0) for i in range(k)] + [(-1.0, 1 - 2 * i / k) for i in range(k)]
    return [add(e.position, add(scale(e.x_axis, u * w), scale(e.y_axis, v * h))) for u, v in uv]


def _clip(poly: list[tuple[float, float]], window: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """``poly`` clipped to the convex, counter-clockwise ``window`` (Sutherland & Hodgman,
    "Reentrant polygon clipping", CACM 17(1), 1974), one window edge at a time."""
    for e0, e1 in zip(window, window[1:] + window[:1], strict=True):
        def side(p: tuple[float, float], e0: tuple[float, float] = e0, e1: tuple[float, float] = e1) -> float:
            return (e1[0] - e0[0]) * (p[1] - e0[1]) - (e1[1] - e0[1]) * (p[0] - e0[0])

        out: list[tuple[float, float]] = []
        for a, b in zip(poly, poly[1:] + poly[:1], strict=True):
            sa, sb = side(a), side(b)
            if sb >= 0.0:
                if sa < 0.0:
                    out.append(_cross_at(a, b, sa, sb))
                out.append(b)
            elif sa >= 0.0:
                out.append(_cross_at(a, b, sa, sb))
        poly = out
        if not poly:
            break
    return poly


def _cross_at(a: tuple[float, float], b: tuple[float, float], sa: float, sb: float) -> tuple[float, float]:
    t = sa / (sa - sb)
    return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])


def open_eye(spec: Spec, gaze_pitch_deg: float) -> list[tuple[float, float]]:
    """The open eye's outline (counter-clockwise, cornea radii around the iris centre) for this
    sitter and the gaze's pitch: the upper lid from ``core.lid_heights`` less LID_MARGIN, else
    OPEN_UP (see above)."""
    lid = upper_lid(spec.subject)
    level = gaze_pitch_deg - spec.subject.pose.head_pitch_deg <= LEVEL_GAZE_DEG
    tops = [h - LID_MARGIN for h in lid] if lid is not None and level else [OPEN_UP] * len(XS)
    # XS run from the centre out to OPEN_SIDE; mirrored, right to left along the top. A lid
    # nearly shut at the sides takes the bottom down with it, so the window stays convex.
    top = [(x, y) for x, y in zip(XS[::-1], tops[::-1], strict=True)] + [(-x, y) for x, y in zip(XS[1:], tops[1:], strict=True)]
    bottom = min(-OPEN_DOWN, min(tops) - 0.01)
    return [(-OPEN_SIDE, bottom), (OPEN_SIDE, bottom), *top]


@dataclass(frozen=True, kw_only=True)
class Predicted:
    """What ``predict`` expects: the whole catchlight and the part of it inside the open eye
    (its clock is the whole's: where a lid cuts it depends on the face)."""

    whole: Catchlight
    part: Catchlight | None  # None: wholly outside the open eye, or under VISIBLE_PX2 there
    shown: float  # the share of the whole's area inside the open eye
    centre: tuple[float, float]  # the whole's centroid from the iris centre, cornea radii (right, up)


def predict(spec: Spec, role: RigRole) -> Predicted | None:
    """The catchlight ``role``'s light makes in an eye at the focus that looks where the spec's
    gaze says (rig lights face the focus); None for a disabled light."""
    light = spec.lights.rig(role)
    if not light.enabled:
        return None
    focus: Vec3 = (0.0, 0.0, spec.subject.eye_height.metres)
    cam = spec.camera
    height = cam.height.metres if cam.height is not None else None
    frame = portrait_camera(cam.focal_length_mm, cam.sensor_width_mm, cam.framing, focus, spec.render.resolution, height)
    to_cam = normalize(sub(frame.position, focus))
    depth = dot(sub(focus, frame.position), frame.forward)
    px_per_normal = CORNEA_RADIUS_M * frame.focal_mm / frame.frame_h_mm * spec.render.resolution[1] / depth
    pose = spec.subject.pose
    pitch = math.degrees(math.asin(to_cam[2]))
    gaze = direction_from_angles(pose.gaze_yaw_deg, pitch + pose.gaze_pitch_deg) if pose.gaze == "direction" else to_cam
    iris = (dot(gaze, frame.right), dot(gaze, frame.up))

    def image(point: Vec3) -> tuple[float, float]:
        """The reflection of ``point`` around the iris centre, in cornea radii."""
        n = normalize(add(normalize(sub(point, focus)), to_cam))
        return dot(n, frame.right) - iris[0], dot(n, frame.up) - iris[1]

    def px(poly: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(x * px_per_normal, y * px_per_normal) for x, y in poly]

    e = emitter(light, focus)
    outline = [image(p) for p in _outline(e)]
    hole = px([image(p) for p in _outline(replace(e, round=True, width=e.hole, height=e.hole))]) if e.hole > 0.0 else None
    whole = describe_polygon(px(outline), hole, (0.0, 0.0))
    inside = _clip(outline, open_eye(spec, math.degrees(math.asin(max(-1.0, min(1.0, gaze[2]))))))
    part = describe_polygon(px(inside), hole, (0.0, 0.0)) if len(inside) >= 3 else None
    area, wx, wy = _area_centroid(outline)
    shown = _area_centroid(inside)[0] / area if part is not None and area > 0.0 else 0.0
    return Predicted(whole=whole, part=part if part is not None and part.area_px2 >= VISIBLE_PX2 else None,
                     shown=shown, centre=(wx, wy))


def claim(spec: Spec, role: RigRole) -> tuple[Shape | None, float] | None:
    """What the prompt may say of ``role``'s catchlight: (its shape or None, its clock), or None
    when it says nothing: when less than SHOWN_FOR_CLOCK of it is inside the open eye, the part
    inside is under a pixel, or its centre is within CENTRAL of the iris centre. The shape is
    named when the whole and the part inside the open eye are clearly the same shape, since the
    lids of any sitter leave something between the two."""
    p = predict(spec, role)
    if p is None or p.part is None or p.shown < SHOWN_FOR_CLOCK or math.hypot(*p.centre) < CENTRAL:
        return None
    shape = clear_shape(p.whole)
    return (shape if shape == clear_shape(p.part) else None), p.whole.clock


def phrase(shape: Shape | None, clock: float) -> str:
    """"rectangular catchlight at 10 o'clock"; "catchlight at 10 o'clock" without a clear shape."""
    word = f"{SHAPE_WORDS[shape]} " if shape is not None else ""
    return f"{word}catchlight at {hour(clock)} o'clock"
