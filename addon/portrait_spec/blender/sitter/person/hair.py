"""Scalp hair and eyebrows as strands grown from the posed skin (numpy; the builder makes Blender
hair curves of them).

Where hair grows (rules on the rest shape, the head's frame: x to the sitter's left, y backwards,
z up, origin between the pupils):

* scalp: above a hairline whose height goes round the head with the angle from the face's
  midline (around the skull's middle at eye height): 72 mm above the eyes at the front, 55 mm at
  45 deg (the temples' recession), 28 mm at 80 deg (above the ears' top), 0 at 110 deg (behind
  the ears), -55 mm at 150 deg and -65 mm at the nape; only on the head's outside (the normal
  facing away from the skull's middle), never on the ears (``regions``) nor off the head
  (vertices moving with MakeHuman's ``head`` bone under one half);
* eyebrows: a band along each supraorbital ridge (``_on_brows``).

Roots are spread by area over the faces touching those vertices and kept where the rule holds at
the root itself, so the hairline and brows run between vertices (a fixed seed: the same spec
grows the same hair). A
close crop and the brows leave the skin at ``rise`` and bend down onto it along their direction
(the crop combed from its parting, ``hairstyle.rest_directions``; brow hairs run outwards and a
little up near the nose, as they grow); directions are set on the rest shape, turned with the
head, and scattered by a few degrees. Every other haircut is shaped by ``hairstyle``, kept out of
the body by the builder's ``collide.body_collider``.

Greying: exactly round(``greying`` x strands) scalp strands, chosen at random, are marked white
(curve attribute ``contract.HAIR_WHITE_ATTRIBUTE`` = 1; the material renders them unpigmented), so the share is
a count ``verify`` reads back; the brows, without the attribute (read as 0), keep their pigment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ....core.spec import HairSpec, HairStyle
from . import hairstyle, pose
from .geometry import PersonGeometry
from .hairstyle import Body
from .regions import vertex_normals

BASE_VERTICES = 19158
HAIRLINE_DEG_M: tuple[tuple[float, float], ...] = (
    (0.0, 0.072), (45.0, 0.055), (80.0, 0.028), (110.0, 0.0), (150.0, -0.055), (180.0, -0.065),
)
BROW_FROM_M, BROW_TO_M = 0.012, 0.057
# Strands per m2 of scalp. A full scalp has ~100,000-150,000 hairs, ~200-300 per cm2 on the
# crown, fewer at the sides and nape (Robbins, Chemical and Physical Behavior of Human Hair, 5th
# ed. 2012, ch. 1). A bob takes the crown's middle, 250 per cm2 (~116,000 strands over the ~470
# cm2 above the hairline), each interpolated between its guides (``hairstyle``): its hanging
# curtain, seen against a bright backdrop, still let 6 % of it through between the strands at
# 150 per cm2 (the magenta showed through the hair behind the jaw), and lets 0.4 % through at 250.
# A preview render with it stays within 1.5x of one without hair (``bench/hair.py``: 1.32x).
# Short hair is combed close to the skull, where the scalp under it is dark; long and tied hair,
# 28-48 points a strand, keeps fewer to hold the build time: long hair lying in layers hides the
# scalp with fewer, and tied hair lies flat on it.
SCALP_STRANDS_PER_M2: dict[HairStyle, float] = {
    "shaved": 0.0, "close_cropped": 1.6e6, "short": 1.5e6, "bob": 2.5e6, "long": 1.0e6, "ponytail": 0.8e6, "bun": 0.7e6,
}
BROW_STRANDS_PER_M2 = 2.8e6
# 100 um hair, the thick end of the range (Robbins 2012: 50-100 um; dark hair runs thicker than
# blond), the same along the strand: a shaft's diameter hardly changes from root to end, and cut
# hair ends blunt (only never-cut tips taper, over their last centimetre or so). A taper to half,
# as before, thinned a bob's hanging ends to a veil.
SCALP_RADIUS_M = 0.00005
BROW_RADIUS_M = 0.00005
BROW_LENGTH_M = 0.008
POINTS = 5
NAPE_BELOW_EYES_M = -0.03
SEED = 1


@dataclass(frozen=True)
class Strands:
    points: np.ndarray  # (n, POINTS, 3) world positions
    radius: np.ndarray  # (POINTS,) from root to tip
    white: np.ndarray | None = None  # (n,) 1 a white strand, 0 pigmented; None: all pigmented
    guide: np.ndarray | None = None  # (n,) the strand each one clumps to (``hairstyle``); None: no clumps


def _hairline(deg: np.ndarray) -> np.ndarray:
    table = np.array(HAIRLINE_DEG_M)
    return np.interp(deg, table[:, 0], table[:, 1])


def _head_centre(p: np.ndarray) -> np.ndarray:
    """Middle of the skull at eye height (relative to the eyes' midpoint)."""
    ring = p[np.abs(p[:, 2]) < 0.02]
    return np.array([0.0, 0.5 * (ring[:, 1].min() + ring[:, 1].max()), 0.0])


def _on_scalp(p: np.ndarray, n: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Points above the hairline on the head's outside (the normal facing away from the skull's
    middle: not inside the eye sockets or the ear canals)."""
    deg = np.degrees(np.abs(np.arctan2(p[:, 0], -(p[:, 1] - centre[1]))))
    outside = ((p - centre) * n).sum(axis=1) > 0.0
    return np.asarray((p[:, 2] > _hairline(deg)) & outside)


def _on_brows(p: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Points on either brow: a band along the supraorbital ridge, 12-57 mm off the midline, its
    middle 18 mm above the pupils rising to 26 mm over the middle of the eye, 8 mm tall at the
    head of the brow thinning to 5 mm at its tail, facing forward."""
    ax = np.abs(p[:, 0])
    u = np.clip((ax - BROW_FROM_M) / (BROW_TO_M - BROW_FROM_M), 0.0, 1.0)
    middle = 0.018 + 0.008 * np.sin(np.pi * u)
    half = 0.004 - 0.0015 * u
    return np.asarray((ax > BROW_FROM_M) & (ax < BROW_TO_M) & (np.abs(p[:, 2] - middle) < half) & (n[:, 1] < -0.2))


def _roots(geo: PersonGeometry, near: np.ndarray, keep: Callable[[np.ndarray, np.ndarray], np.ndarray], per_m2: float,
           rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Root positions and normals (posed), and the same on the rest shape: spread by area over
    the faces touching ``near`` vertices, kept where ``keep`` (of rest position relative to the
    eyes and rest normal) holds, so a hairline runs between vertices, not along faces."""
    quads = geo.quads[near[geo.quads].any(axis=1)]
    empty = np.zeros((0, 3))
    if len(quads) == 0:
        return empty, empty, empty, empty
    tris = np.concatenate([quads[:, [0, 1, 2]], quads[:, [0, 2, 3]]])
    a, b, c = (geo.verts[tris[:, i]] for i in range(3))
    area = 0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1)
    count = int(area.sum() * per_m2)
    pick = rng.choice(len(tris), size=count, p=area / area.sum())
    u, v = rng.random(count), rng.random(count)
    flip = u + v > 1.0
    u[flip], v[flip] = 1.0 - u[flip], 1.0 - v[flip]
    w = np.stack([1.0 - u - v, u, v], axis=1)

    def at(values: np.ndarray, unit: bool = False) -> np.ndarray:
        out = np.einsum("ni,nij->nj", w, values[tris[pick]])
        return out / np.linalg.norm(out, axis=1, keepdims=True) if unit else out

    rest, rest_n = at(geo.rest), at(vertex_normals(geo.rest, geo.quads), unit=True)
    ok = keep(rest - geo.eye_point, rest_n)
    return at(geo.verts)[ok], at(vertex_normals(geo.verts, geo.quads), unit=True)[ok], rest[ok], rest_n[ok]


def _tangent(d: np.ndarray, n: np.ndarray) -> np.ndarray:
    t = d - (d * n).sum(axis=1, keepdims=True) * n
    return t / np.maximum(np.linalg.norm(t, axis=1, keepdims=True), 1e-12)


def _grow(roots: np.ndarray, normals: np.ndarray, directions: np.ndarray, lengths: np.ndarray,
          rise_deg: float | np.ndarray, settle_deg: float | np.ndarray) -> np.ndarray:
    """Strands of POINTS points: leaving the skin at ``rise_deg``, ending ``settle_deg`` above it
    (each a number or one per strand)."""
    out = np.empty((len(roots), POINTS, 3))
    out[:, 0] = roots
    step = (lengths / (POINTS - 1))[:, None]
    for i in range(1, POINTS):
        t = (i - 0.5) / (POINTS - 1)
        a = np.radians(np.broadcast_to(np.asarray(rise_deg) * (1.0 - t) + np.asarray(settle_deg) * t, (len(roots),)))[:, None]
        out[:, i] = out[:, i - 1] + step * (directions * np.cos(a) + normals * np.sin(a))
    return out


def _jitter(d: np.ndarray, n: np.ndarray, deg: float, rng: np.random.Generator) -> np.ndarray:
    """Each direction turned about its normal by a random angle within +-``deg``."""
    a = np.radians(rng.uniform(-deg, deg, len(d)))[:, None]
    return _tangent(d * np.cos(a) + np.cross(n, d) * np.sin(a), n)


def white_strands(count: int, greying: float, rng: np.random.Generator) -> np.ndarray:
    """1 for a white strand, 0 for a pigmented one: exactly round(greying x count) white, at random."""
    out = np.zeros(count)
    out[rng.permutation(count)[:round(greying * count)]] = 1.0
    return out


def _skull_back_y(p: np.ndarray, z: float) -> float:
    """How far behind the eyes the back of the skull is, on the midline at height ``z``."""
    band = p[(np.abs(p[:, 0]) < 0.015) & (np.abs(p[:, 2] - z) < 0.01)]
    return float(band[:, 1].max())


def _ear_box(ears: np.ndarray) -> np.ndarray:
    """The ears' bounds in the head's frame, x as the distance from the midline."""
    folded = np.column_stack([np.abs(ears[:, 0]), ears[:, 1:]])
    return np.array([folded.min(axis=0), folded.max(axis=0)])


def scalp_hair(geo: PersonGeometry, ears: np.ndarray, hair: HairSpec, body: Body) -> Strands | None:
    """The style's strands (``hairstyle``, kept out of ``body``), None for a shaved head."""
    if hair.style == "shaved" or hair.length_cm <= 0.0:
        return None
    rng = np.random.default_rng(SEED)
    p = geo.rest - geo.eye_point
    centre = _head_centre(p)
    head = pose.subtree_weight("head", BASE_VERTICES)[geo.base_index] >= 0.5
    near = _on_scalp(p, vertex_normals(geo.rest, geo.quads), centre) & head & ~ears
    roots, normals, rest, rest_n = _roots(geo, near, lambda q, n: _on_scalp(q, n, centre), SCALP_STRANDS_PER_M2[hair.style], rng)
    if len(roots) == 0:
        return None
    length_m = hair.length_cm * 0.01
    back_y = _skull_back_y(p[head], 0.03)
    guide = None
    if hair.style == "close_cropped":
        comb = hairstyle.rest_directions(rest - geo.eye_point, rest_n, hair.parting, back_y - 0.085) @ geo.head_rotation.T
        directions = _jitter(_tangent(comb, normals), normals, 15.0, rng)
        lengths = length_m * rng.uniform(0.8, 1.2, len(roots))
        # A close crop stands up, then bends back onto the head. Below the occiput (30 mm under
        # the eyes) the neck flares out under it, so there strands leave steeper and stay further
        # off the skin, not into the nape's crease.
        nape = (rest - geo.eye_point)[:, 2] < NAPE_BELOW_EYES_M
        rise = np.where(nape, 60.0, 45.0 + 20.0 * hair.volume)
        settle = np.where(nape, 20.0, 4.0 + 10.0 * hair.volume)
        points = _grow(roots, normals, directions, lengths, rise, settle)
    else:
        scalp = hairstyle.Scalp(roots=roots, normals=normals, rest=rest - geo.eye_point, rest_normals=rest_n,
                                eye_point=geo.eye_point, head=geo.head_rotation, chest=body.chest, neck_axis=geo.neck_axis,
                                skull_back_y=back_y, ear_box=_ear_box(p[ears]))
        points, guide = hairstyle.styled(scalp, hair, body, rng)
    k = points.shape[1]
    return Strands(points, np.full(k, SCALP_RADIUS_M), white_strands(len(roots), hair.greying, rng), guide)


def eyebrows(geo: PersonGeometry, per_m2: float = BROW_STRANDS_PER_M2) -> Strands | None:
    """Brow hairs at ``per_m2`` over the brow band (``spec.subject.hair.brow_density``), or none at 0."""
    if per_m2 <= 0.0:
        return None
    rng = np.random.default_rng(SEED + 1)
    p = geo.rest - geo.eye_point
    near = _on_brows(p, vertex_normals(geo.rest, geo.quads))
    roots, normals, rest, rest_n = _roots(geo, near, _on_brows, per_m2, rng)
    if len(roots) == 0:
        return None
    x = rest[:, 0] - geo.eye_point[0]
    outward = np.stack([np.sign(x), np.zeros_like(x), 0.6 * np.clip(1.0 - (np.abs(x) - BROW_FROM_M) / 0.02, 0.0, 1.0)], axis=1)
    away = _tangent(outward, rest_n) @ geo.head_rotation.T
    directions = _jitter(_tangent(away, normals), normals, 12.0, rng)
    lengths = BROW_LENGTH_M * rng.uniform(0.6, 1.1, len(roots))
    return Strands(_grow(roots, normals, directions, lengths, 20.0, 2.0), np.linspace(BROW_RADIUS_M, 0.4 * BROW_RADIUS_M, POINTS))
