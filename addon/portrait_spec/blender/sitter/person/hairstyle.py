"""Scalp strands shaped as a haircut (numpy): each strand stepped from its root, segment by
segment, and kept out of the body by ``Push`` (the builder's nearest-surface query on the posed
skin, moved out by the hair's lift), so no strand runs inside the head, neck, shoulders or garment.

Frames: the head's (rest shape, relative to the eyes' midpoint: x to the sitter's left, y
backwards, z up), turned with the head (``PersonGeometry.head_rotation``) into the world; gravity
is the world's -z; "behind the shoulders" is the chest's backward direction (the body turn).

Root directions: with a parting (sitter's left +25 mm off the midline, right -25 mm, centre 0)
the hair in front of the crown falls away from the parting line to either side; behind the crown
it falls down and back; without one it is combed back. A strand leaves the skin at 30-60 deg
(more with ``volume``), then:

* close_cropped: bends onto the scalp along its direction (``hair._grow``: too short to fall);
* short: combed close to the skull (held to it as if styled, its lift the clearance);
* bob: grown long and falling under gravity, cut at one level (in the head's frame) chosen so
  the median strand is ``length_cm``: a blunt line near the chin, nape strands short;
* long: falling under gravity, then behind the shoulders (below the jaw drawn backwards, never in
  front of the neck's axis: the chain on the neck and clavicles stays clear);
* ponytail, bun: drawn over the scalp to a tie at the back of the head (the occiput for a
  ponytail, higher for a bun), then a tail hanging from it (widening to 25 mm) or a coil round it.

Every loose style passes over the ears (outside their bounds), not into the crease behind them.
Bob and long hair stay out of the face: in front of the ears, from the hairline's height down to
below the chin, a strand is held beyond the cheeks (|x| >= ``FACE_HALF_WIDTH_M``).

Guides and children: ``GUIDES`` strands are stepped (each step a ray cast and a nearest-point
query in Blender: the cost); every other root is interpolated between its ``NEIGHBOURS`` nearest
guides on its side of the parting (weights by distance), each guide's shape moved to the root
along the body's surface where the guide lies on it, as Blender's Interpolate Hair Curves node
group does with its neighbours. Copies of one guide would hang as parallel ribbons with gaps
between them; the weighted mean is one continuous mass, and frizz (per strand) keeps it from
reading as combed. That node group is not used: its children are moved off their guides without
regard to the body, so they could sink into it. Blender's Clump Hair Curves, which only draws a
strand towards its own guide, is (``clumps``).

Frizz: seeded noise at each point, growing from the root to the tip (up to ``FRIZZ_TIP_M`` per
axis at frizz 1), each segment then set back to its length so the strand length is kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ....core.spec import HairSpec

# (from, to) -> (each step's end kept out of the body, the outward normal of the surface nearest
# it, zero where none is within reach)
Push = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Body:
    """What the strands are kept out of, from the builder (Blender's nearest-point queries)."""
    push: Push
    # (among, points, k) -> each point's k nearest of among: indices and distances, (n, k) each
    nearest: Callable[[np.ndarray, np.ndarray, int], tuple[np.ndarray, np.ndarray]]
    chest: np.ndarray  # (3, 3) the body turn, rest -> world

PARTING_X_M = {"left": 0.025, "right": -0.025, "centre": 0.0}
COMBED = np.array([0.0, 1.0, -0.35])  # back and a little down
FACE_HALF_WIDTH_M = 0.078  # beyond the cheekbones and in line with the ears' front
FACE_FRONT_Y_M = 0.05      # in front of the ears
FACE_TOP_Z_M = 0.05        # the temples' hairline
FACE_BOTTOM_Z_M = -0.14    # below the chin
EAR_MARGIN_M = 0.004
BEHIND_FROM_Z_M = -0.09    # long hair: from the jaw down it goes behind the shoulders
BEHIND_NECK_M = 0.005      # behind the neck's axis by this much
SHOULDERS_BACK_M = 0.08    # the back of the shoulders, behind the neck's axis
FRIZZ_TIP_M = 0.003
STIFFNESS_M = {"short": 0.5, "bob": 0.05, "long": 0.05, "ponytail": 0.08, "bun": 0.08}  # length over which gravity turns a strand 1 rad
HUG_M = {"short": 0.02, "bob": 0.06, "long": 0.06, "ponytail": 0.03, "bun": 0.03}  # length over which a strand is drawn onto the skull
TIE_Z_M = {"ponytail": 0.02, "bun": 0.05}  # height of the tie above the eyes
TIE_OFF_M = 0.012
TAIL_SPREAD_M = (0.006, 0.025)  # radius of a ponytail at the tie and 15 cm below
BUN_RADIUS_M = (0.01, 0.03)
BUN_OFF_M = 0.015  # the coil's middle behind the tie
# Points a strand: a bob's 10 are 2-3 cm apart on the cut strand, which Cycles draws as a smooth
# curve through them; the guides are stepped finer (``BOB_GROWN_POINTS``) and resampled.
POINTS = {"short": 8, "bob": 10, "long": 28, "ponytail": 32, "bun": 48}
BOB_GROWN_M = 0.45
BOB_GROWN_POINTS = 24
GUIDES = 1500  # strands stepped out of the body; the rest follow them (``_children``)
# Guides each child is interpolated between: one for tied hair, whose guides go round a bun or
# into a ponytail at random angles (a mean of several would shrink the coil and the tail's
# section onto their middles; drawn over the scalp, copies shifted along it still lie flat).
NEIGHBOURS = {"short": 4, "bob": 4, "long": 4, "ponytail": 1, "bun": 1}
SPREAD_M = 0.03  # guides spread wider than this (rms about their mean) are not interpolated
# Styles drawn into locks by ``clumps``: not long hair, which lies on the back and shoulders,
# where the line from a strand to its guide's can cross the body (measured: 2 mm into it).
CLUMPED = frozenset({"short", "bob", "ponytail", "bun"})
BLEND_M = 0.003  # a child's guide weights: 1 / (distance^2 + BLEND_M^2), so none dominates when all are close
# Children, frizz and nearest guides are worked out this many strands at a time: the temporaries
# stay small and are reused instead of fresh memory per step for 100,000 strands (on a VM whose
# new pages cost a fault each, that halved the hair's build time).
CHUNK = 8192


@dataclass(frozen=True, kw_only=True)
class Scalp:
    """The roots and the frames the strands are shaped in."""
    roots: np.ndarray       # (n, 3) posed
    normals: np.ndarray     # (n, 3) posed
    rest: np.ndarray        # (n, 3) rest, relative to the eyes' midpoint (the head's frame)
    rest_normals: np.ndarray
    eye_point: np.ndarray   # (3,)
    head: np.ndarray        # (3, 3) the head's rotation, rest -> world
    chest: np.ndarray       # (3, 3) the body turn, rest -> world (``Body.chest``)
    neck_axis: np.ndarray   # (3,) posed
    skull_back_y: float     # the back of the skull at the tie's height (head frame)
    ear_box: np.ndarray     # (2, 3) the ears' bounds (head frame, |x|): hair passes outside them


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def _tangent(d: np.ndarray, n: np.ndarray) -> np.ndarray:
    return _unit(d - (d * n).sum(axis=1, keepdims=True) * n)


def rest_directions(rest: np.ndarray, rest_n: np.ndarray, parting: str, crown_y: float) -> np.ndarray:
    """Where each strand is combed, on the scalp in the head's frame."""
    if parting == "none":
        return _tangent(np.broadcast_to(COMBED, rest.shape), rest_n)
    side = np.where(rest[:, 0] >= PARTING_X_M[parting], 1.0, -1.0)
    away = np.stack([side, np.full_like(side, 0.35), np.full_like(side, -0.6)], axis=1)
    down = np.broadcast_to(np.array([0.0, 0.3, -1.0]), rest.shape)
    front = np.clip((crown_y + 0.02 - rest[:, 1]) / 0.04, 0.0, 1.0)[:, None]  # 1 in front of the crown
    return _tangent(front * away + (1.0 - front) * down, rest_n)


def _to_head(s: Scalp, p: np.ndarray) -> np.ndarray:
    return (p - s.eye_point) @ s.head


def _to_world(s: Scalp, q: np.ndarray) -> np.ndarray:
    return q @ s.head.T + s.eye_point


def _moved(p: np.ndarray, rows: np.ndarray, to: np.ndarray) -> np.ndarray:
    """``p`` with ``rows`` moved ``to``, every other row exactly as it was (not through a frame
    and back: ``_step`` tells a held point by its having changed)."""
    out = p.copy()
    out[rows] = to
    return out


def _face_clear(s: Scalp, p: np.ndarray) -> np.ndarray:
    q = _to_head(s, p)
    inside = ((q[:, 1] < FACE_FRONT_Y_M) & (q[:, 2] < FACE_TOP_Z_M) & (q[:, 2] > FACE_BOTTOM_Z_M)
              & (np.abs(q[:, 0]) < FACE_HALF_WIDTH_M))
    if not inside.any():
        return p
    q[inside, 0] = np.where(q[inside, 0] >= 0.0, FACE_HALF_WIDTH_M, -FACE_HALF_WIDTH_M)
    return _moved(p, inside, _to_world(s, q[inside]))


def _over_ears(s: Scalp, p: np.ndarray) -> np.ndarray:
    """Hair falls over the ears, not between an ear and the skull (a crease a step can slip
    into): a point within an ear's bounds (and a margin) moves out beyond them."""
    q = _to_head(s, p)
    lo, hi = s.ear_box[0] - EAR_MARGIN_M, s.ear_box[1] + EAR_MARGIN_M
    ax = np.abs(q[:, 0])
    inside = (ax > lo[0]) & (ax < hi[0]) & (q[:, 1] > lo[1]) & (q[:, 1] < hi[1]) & (q[:, 2] > lo[2]) & (q[:, 2] < hi[2])
    if not inside.any():
        return p
    q[inside, 0] = np.where(q[inside, 0] >= 0.0, hi[0], -hi[0])
    return _moved(p, inside, _to_world(s, q[inside]))


def _behind(s: Scalp, p: np.ndarray) -> np.ndarray:
    """Long hair below the jaw is held behind the neck's axis (in the chest's frame)."""
    q = (p - s.neck_axis) @ s.chest
    low = (p[:, 2] - s.eye_point[2]) < BEHIND_FROM_Z_M
    front = low & (q[:, 1] < BEHIND_NECK_M)
    if not front.any():
        return p
    q[front, 1] = BEHIND_NECK_M
    return _moved(p, front, q[front] @ s.chest.T + s.neck_axis)


def _step(p: np.ndarray, v: np.ndarray, h: np.ndarray, push: Push,
          hold: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One segment of length ``h`` from ``p`` along ``v``, out of the body and the held-clear
    regions; the new point, the segment's direction and the body's normal near the point."""
    target = p + h[:, None] * v
    first, normal = push(p, target)
    q = hold(first)
    # A step the body or a held-clear region turned is stepped again, its full length, along
    # where it was turned; the others (most of them) already are.
    redo = np.any(q != target, axis=1)
    if redo.any():
        q[redo], normal[redo] = push(p[redo], p[redo] + h[redo, None] * _unit(q[redo] - p[redo]))
    return q, _unit(q - p), normal


def _start(s: Scalp, dirs: np.ndarray, lengths: np.ndarray, k: int,
           rise_deg: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A stepped strand's start: its points and normals (the root filled in), its first
    direction (``dirs`` lifted ``rise_deg`` off the skin) and its step length."""
    n = len(s.roots)
    out, normals = np.empty((n, k, 3)), np.zeros((n, k, 3))
    out[:, 0], normals[:, 0] = s.roots, s.normals
    rise = np.radians(rise_deg)
    return out, normals, _unit(np.cos(rise) * dirs + np.sin(rise) * s.normals), lengths / (k - 1)


def _loose(s: Scalp, dirs: np.ndarray, lengths: np.ndarray, style: str, volume: float, push: Push,
           k: int) -> tuple[np.ndarray, np.ndarray]:
    out, normals, v, h = _start(s, dirs, lengths, k, 30.0 + 30.0 * volume)
    centre = _to_world(s, np.array([[0.0, s.skull_back_y - 0.085, 0.01]]))[0]
    behind = style == "long"

    def hold(q: np.ndarray) -> np.ndarray:
        q = _over_ears(s, q)
        if style == "short":
            return q
        q = _face_clear(s, q)
        return _behind(s, q) if behind else q

    for i in range(1, k):
        p = out[:, i - 1]
        on_head = ((p[:, 2] - s.eye_point[2]) > -0.04)[:, None]
        pull = on_head * _unit(centre - p) / HUG_M[style]
        gravity = np.array([0.0, 0.0, -1.0]) / STIFFNESS_M[style]
        # long hair below the jaw is drawn back until it is over the shoulders' back
        back = behind * (((p[:, 2] - s.eye_point[2]) < BEHIND_FROM_Z_M)
                         & (((p - s.neck_axis) @ s.chest[:, 1]) < SHOULDERS_BACK_M))[:, None] * (s.chest[:, 1] / 0.05)
        v = _unit(v + h[:, None] * (pull + gravity + back))
        out[:, i], v, normals[:, i] = _step(p, v, h, push, hold)
    return out, normals


def _resample(values: np.ndarray, lengths: np.ndarray, k: int, strands: np.ndarray | None = None) -> np.ndarray:
    """Strands (or values along them, ``strands`` giving the lengths) cut at ``lengths`` and
    resampled to ``k`` points evenly by length."""
    along = values if strands is None else strands
    seg = np.linalg.norm(np.diff(along, axis=1), axis=2)
    arc = np.concatenate([np.zeros((len(along), 1)), np.cumsum(seg, axis=1)], axis=1)
    out = np.empty((len(values), k, 3))
    rows = np.arange(len(values))
    for j, t in enumerate(np.linspace(0.0, 1.0, k)):
        at = np.minimum(t * lengths, arc[:, -1])
        i = np.clip((arc < at[:, None]).sum(axis=1) - 1, 0, seg.shape[1] - 1)
        f = ((at - arc[rows, i]) / np.maximum(seg[rows, i], 1e-12))[:, None]
        out[:, j] = values[rows, i] * (1.0 - f) + values[rows, i + 1] * f
    return out


def _bob_lengths(s: Scalp, grown: np.ndarray, length_m: float, rng: np.random.Generator) -> np.ndarray:
    """Where strands grown long are cut: at the level (head frame) whose median strand is
    ``length_m`` (a few % either way: a cut is not exact)."""
    z = np.einsum("nkj,j->nk", grown - s.eye_point, s.head[:, 2])
    seg = np.linalg.norm(np.diff(grown, axis=1), axis=2)
    arc = np.concatenate([np.zeros((len(grown), 1)), np.cumsum(seg, axis=1)], axis=1)

    def cut(level: float) -> np.ndarray:
        below = z < level
        first = np.where(below.any(axis=1), below.argmax(axis=1), z.shape[1] - 1)
        rows = np.arange(len(z))
        j = np.maximum(first - 1, 0)
        dz = z[rows, j] - z[rows, first]
        f = np.where(dz > 1e-9, (z[rows, j] - level) / np.maximum(dz, 1e-9), 0.0)
        return np.where(first == 0, 0.0, arc[rows, j] + np.clip(f, 0.0, 1.0) * (arc[rows, first] - arc[rows, j]))

    lo, hi = -0.6, 0.2
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if np.median(cut(mid)) < length_m else (mid, hi)
    return np.maximum(cut(0.5 * (lo + hi)) * rng.uniform(0.97, 1.03, len(grown)), 0.01)


def _tie_frame(s: Scalp, style: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    tie = _to_world(s, np.array([[0.0, s.skull_back_y + TIE_OFF_M, TIE_Z_M[style]]]))[0]
    back = s.head[:, 1]
    e1 = _unit(s.head[:, 0] - (s.head[:, 0] @ back) * back)
    return tie, back, e1, np.cross(back, e1)


def _tail_axis(s: Scalp, tie: np.ndarray, back: np.ndarray, push: Push, length_m: float) -> np.ndarray:
    """The ponytail's middle: from the tie back a little then down under gravity, off the body."""
    step = 0.005
    pts = [tie]
    v = _unit(back + np.array([0.0, 0.0, -0.5]))
    for _ in range(int(length_m / step) + 2):
        v = _unit(v + step * np.array([0.0, 0.0, -1.0]) / STIFFNESS_M["ponytail"])
        q = push(pts[-1][None], pts[-1][None] + step * v[None])[0][0]
        v = _unit(q - pts[-1])
        pts.append(pts[-1] + step * v)
    return np.array(pts)


def _tied(s: Scalp, dirs: np.ndarray, lengths: np.ndarray, style: str, volume: float, push: Push,
          rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    k = POINTS[style]
    n = len(s.roots)
    out, normals, v, h = _start(s, dirs, lengths, k, 20.0 + 30.0 * volume)
    tie, back, e1, e2 = _tie_frame(s, style)
    axis = _tail_axis(s, tie, back, push, float(lengths.max())) if style == "ponytail" else None
    angle = rng.uniform(0.0, 2.0 * np.pi, n)
    spread = np.sqrt(rng.random(n))  # uniform over the tail's section
    radius = rng.uniform(*BUN_RADIUS_M, n)
    depth = rng.uniform(-0.008, 0.008, n)
    tail = np.full(n, -1.0)  # length along the tail (-1: still being gathered)

    def placed(t: np.ndarray, rows: np.ndarray) -> np.ndarray:
        if axis is not None:
            a = axis[np.minimum((t / 0.005).astype(int), len(axis) - 1)]
            r = TAIL_SPREAD_M[0] + (TAIL_SPREAD_M[1] - TAIL_SPREAD_M[0]) * np.minimum(t / 0.15, 1.0)
            off = (np.cos(angle[rows])[:, None] * e1 + np.sin(angle[rows])[:, None] * e2) * (r * spread[rows])[:, None]
            return a + off
        theta = angle[rows] + t / radius[rows]
        ring = np.cos(theta)[:, None] * e1 + np.sin(theta)[:, None] * e2
        return tie + back * (BUN_OFF_M + depth[rows])[:, None] + radius[rows, None] * ring

    for i in range(1, k):
        p = out[:, i - 1]
        gathering = tail < 0.0
        g = np.nonzero(gathering)[0]
        if len(g):
            towards = _unit(tie - p[g])
            vg = _unit(0.3 * v[g] + towards) if i > 1 else v[g]
            q, vg, ng = _step(p[g], vg, h[g], push, lambda x: x)
            arrived = np.linalg.norm(tie - p[g], axis=1) < h[g]
            q[arrived], ng[arrived] = push(p[g[arrived]], placed(np.zeros(arrived.sum()), g[arrived]))
            tail[g[arrived]] = 0.0
            out[g, i], v[g], normals[g, i] = q, vg, ng
        t = np.nonzero(~gathering)[0]
        if len(t):
            tail[t] += h[t]
            out[t, i], normals[t, i] = push(p[t], placed(tail[t], t))
    return out, normals


def _frizz(strands: np.ndarray, normals: np.ndarray, frizz: float, rng: np.random.Generator) -> np.ndarray:
    """Noise growing to the tip, along the body's surface where a point is near it (never into
    it), each segment then set back to its length from the root (in place, by ``CHUNK``)."""
    n, k, _ = strands.shape
    ramp = (FRIZZ_TIP_M * frizz * np.linspace(0.0, 1.0, k, dtype=np.float32))[None, :, None]
    for lo in range(0, n, CHUNK):
        part, nrm = strands[lo:lo + CHUNK], normals[lo:lo + CHUNK]
        length = np.linalg.norm(np.diff(part, axis=1), axis=2)
        noise = rng.standard_normal(part.shape, dtype=np.float32) * ramp
        noisy = part + noise - (noise * nrm).sum(axis=2, keepdims=True) * nrm
        for i in range(1, k):
            part[:, i] = part[:, i - 1] + _unit(noisy[:, i] - part[:, i - 1]) * length[:, i - 1, None]
    return strands


def _sides(s: Scalp, parting: str) -> np.ndarray:
    """Which side of the parting each root is on (all one side without a parting)."""
    if parting == "none":
        return np.zeros(len(s.rest), dtype=bool)
    return np.asarray(s.rest[:, 0] >= PARTING_X_M[parting])


def _children(guides: np.ndarray, normals: np.ndarray, guide_side: np.ndarray, roots: np.ndarray,
              root_side: np.ndarray, nearest: Callable[[np.ndarray, np.ndarray, int], tuple[np.ndarray, np.ndarray]],
              neighbours: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each root's strand interpolated between its ``neighbours`` nearest guides on its side of
    the parting (weights by distance on the scalp), as Blender's Interpolate Hair Curves node
    group does, so the mass is continuous rather than clumps of copies of one guide; no guide
    across the parting takes part, so the scalp shows along the parting line only.

    Each guide's shape is moved to the root along the body's surface where the guide lies on it
    (a child beside its guide, not in the body under it: on the skull's curvature a 10 mm move
    sinks 10^2 / (2 x 80) = 0.6 mm, within the hair's clearance); the weighted mean of copies a
    few mm apart sinks less again (the midpoint of a 6 mm chord on it: 6^2 / (8 x 80) = 0.06 mm).
    Returns the strands and their normals (float32), and each one's nearest guide (an index into
    ``guides``)."""
    n, k = len(roots), min(neighbours, len(guides))
    near, dist = np.zeros((n, k), dtype=np.int64), np.zeros((n, k))
    for side in (False, True):
        rows, pool = np.nonzero(root_side == side)[0], np.nonzero(guide_side == side)[0]
        if len(rows) == 0:
            continue
        if len(pool) == 0:
            pool = np.arange(len(guides))
        i, d = nearest(guides[pool, 0], roots[rows], k)
        pad = k - i.shape[1]  # fewer guides on a side than neighbours: the farthest counts again
        near[rows] = pool[np.pad(i, ((0, 0), (0, pad)), mode="edge")]
        dist[rows] = np.pad(d, ((0, 0), (0, pad)), mode="edge")
    w = 1.0 / (dist ** 2 + BLEND_M ** 2)
    w = (w / w.sum(axis=1, keepdims=True)).astype(np.float32)
    # float32 (a tenth of a micrometre at a metre), by ``CHUNK``: see ``CHUNK``
    g32, n32, r32 = guides.astype(np.float32), normals.astype(np.float32), roots.astype(np.float32)
    out = np.empty((n, guides.shape[1], 3), dtype=np.float32)
    mean_n = np.empty_like(out)
    for lo in range(0, n, CHUNK):
        part = slice(lo, lo + CHUNK)
        out[part], mean_n[part] = _blend(g32, n32, near[part], w[part], r32[part])
    return out, mean_n, near[:, 0]


def _blend(guides: np.ndarray, normals: np.ndarray, near: np.ndarray, w: np.ndarray,
           roots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_children`` for some roots: their strands and normals."""
    out = np.zeros((len(roots), guides.shape[1], 3), dtype=np.float32)  # relative to the root
    nrm_sum, square = np.zeros_like(out), np.zeros(out.shape[:2], dtype=np.float32)
    for j in range(near.shape[1]):
        g, nrm, wj = guides[near[:, j]], normals[near[:, j]], w[:, j, None, None]
        along = np.einsum("nj,npj->np", roots - g[:, 0], nrm)
        c = g - along[:, :, None] * nrm - g[:, :1]
        out += wj * c
        nrm_sum += wj * nrm
        square += wj[:, :, 0] * np.einsum("npj,npj->np", c, c)
        if j == 0:
            nearest_copy = c
    # Guides parting round an obstacle (one in front of an ear or the neck, one behind) would
    # put their mean inside it: a child whose guides spread that far takes its nearest guide.
    spread = square - np.einsum("npj,npj->np", out, out)
    apart = spread.max(axis=1) > SPREAD_M ** 2
    out[apart] = nearest_copy[apart]
    out += roots[:, None, :]
    norm = np.linalg.norm(nrm_sum, axis=2, keepdims=True)
    out[:, 0] = roots
    return out, nrm_sum / np.maximum(norm, 1e-6) * (norm > 1e-6)


def styled(s: Scalp, hair: HairSpec, body: Body, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray | None]:
    """(n, points, 3) strands for a style other than shaved and close_cropped: ``GUIDES`` guide
    strands stepped out of the body, every root then interpolated between its nearest guides
    (``_children``), and frizz; with each strand's nearest guide root (an index into the strands,
    the builder's clump map) for the styles in ``CLUMPED``."""
    push = body.push
    crown_y = s.skull_back_y - 0.085
    dirs = _tangent(rest_directions(s.rest, s.rest_normals, hair.parting, crown_y) @ s.head.T, s.normals)
    length_m = hair.length_cm * 0.01
    g = np.unique(np.linspace(0, len(s.roots) - 1, min(GUIDES, len(s.roots))).astype(int))
    guide = dataclasses.replace(s, roots=s.roots[g], normals=s.normals[g], rest=s.rest[g], rest_normals=s.rest_normals[g])
    if hair.style == "bob":
        # Guides are an even sample of the roots: the cut level whose median guide is the
        # length is the children's too (each child ends between its guides' ends, at that level).
        grown, grown_n = _loose(guide, dirs[g], np.full(len(g), BOB_GROWN_M), "bob", hair.volume, push, BOB_GROWN_POINTS)
        lengths = _bob_lengths(guide, grown, length_m, rng)
        guides = _resample(grown, lengths, POINTS["bob"]), _resample(grown_n, lengths, POINTS["bob"], grown)
    else:
        lengths = length_m * rng.uniform(0.9, 1.1, len(g))
        if hair.style in ("ponytail", "bun"):
            guides = _tied(guide, dirs[g], lengths, hair.style, hair.volume, push, rng)
        else:
            guides = _loose(guide, dirs[g], lengths, hair.style, hair.volume, push, POINTS[hair.style])
    side = _sides(s, hair.parting)
    strands, normals, nearest = _children(*guides, side[g], s.roots, side, body.nearest, NEIGHBOURS[hair.style])
    return _frizz(strands, normals, hair.frizz, rng), (g[nearest] if hair.style in CLUMPED else None)
