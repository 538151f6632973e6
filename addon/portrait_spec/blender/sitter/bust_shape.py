"""The stand-in bust as a signed distance field, and its anatomical regions.

Coordinates are metres relative to the eye point (the midpoint between the pupils): +X is
camera right (the sitter's left), +Y points away from the camera into the head, +Z is up. The
face looks along -Y. Proportions follow adult anthropometric averages: head 23 cm from vertex
to chin, 19.5 cm from glabella to the back of the head, 15 cm wide, 63 mm between the pupils,
neck about 37 cm round, 38 cm across the shoulders.

Shapes are smooth unions of ellipsoids and capsules with smooth subtractions for the eye
sockets, nostrils and mouth, so the silhouette stays smooth at any polygonising resolution.
Numpy only (Blender bundles it); nothing here touches bpy.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

PUPIL_HALF_DISTANCE = 0.0315  # 63 mm interpupillary distance
EYEBALL_RADIUS = 0.012
CORNEA_RADIUS = 0.0078  # the cornea's radius of curvature (eyeball_mesh's bulge)
CORNEA_PROUD = 0.0022   # its apex beyond the globe
EYEBALL_CENTRE_Y = 0.0115  # so the pupil plane sits at y ~ 0, the eye point
HEAD_TOP_Z = 0.116
CHIN_Z = -0.114  # 23 cm head height
BUST_BOTTOM_Z = -0.42

JAW_FRONT = (0.016, 0.001, -0.101)
GONION = (0.043, 0.068, -0.078)  # jaw angle: 10-11 cm across the jaw
RAMUS_TOP = (0.05, 0.082, -0.03)

BOUNDS_LO = np.array([-0.245, -0.065, -0.45])
BOUNDS_HI = np.array([0.245, 0.205, 0.125])


def _rot_x(deg: float) -> np.ndarray:
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def _rot_z(deg: float) -> np.ndarray:
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


Vec3 = tuple[float, float, float]


def ellipsoid(p: np.ndarray, centre: Vec3, radii: Vec3, rot: np.ndarray | None = None) -> np.ndarray:
    """Approximate distance to an ellipsoid (Quilez's bound), optionally rotated by ``rot``."""
    q = p - np.asarray(centre)
    if rot is not None:
        q = q @ rot  # world -> local: multiply by the rotation's transpose
    r = np.asarray(radii)
    k0 = np.linalg.norm(q / r, axis=1)
    k1 = np.linalg.norm(q / (r * r), axis=1)
    return k0 * (k0 - 1.0) / np.maximum(k1, 1e-12)


def sphere(p: np.ndarray, centre: tuple[float, float, float], radius: float) -> np.ndarray:
    return np.linalg.norm(p - np.asarray(centre), axis=1) - radius


def round_cone(p: np.ndarray, a: tuple[float, float, float], b: tuple[float, float, float], ra: float, rb: float) -> np.ndarray:
    """A capsule whose radius goes linearly from ``ra`` at ``a`` to ``rb`` at ``b`` (approximate)."""
    a_ = np.asarray(a)
    ab = np.asarray(b) - a_
    ap = p - a_
    t = np.clip(ap @ ab / (ab @ ab), 0.0, 1.0)
    closest = a_ + t[:, None] * ab
    return np.linalg.norm(p - closest, axis=1) - (ra + (rb - ra) * t)


def smin(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    """Polynomial smooth union; ``k`` is the blend width in metres."""
    h = np.maximum(k - np.abs(a - b), 0.0) / k
    return np.minimum(a, b) - h * h * k * 0.25


def smax(a: np.ndarray, b: np.ndarray, k: float) -> np.ndarray:
    return -smin(-a, -b, k)


def _mirror(p: np.ndarray) -> np.ndarray:
    """Bilateral features are modelled once for +X; |x| mirrors them."""
    q = p.copy()
    q[:, 0] = np.abs(q[:, 0])
    return q


EAR_ROT = _rot_z(-18.0) @ _rot_x(-12.0)  # turned slightly forward, top tilted back
EYE_OPENING_ROT = _rot_x(0.0) @ np.array([[np.cos(0.08), 0.0, -np.sin(0.08)], [0.0, 1.0, 0.0], [np.sin(0.08), 0.0, np.cos(0.08)]])


def _where(mask: np.ndarray, p: np.ndarray, fn: Callable[[np.ndarray], np.ndarray], far: float = 1.0) -> np.ndarray:
    """``fn`` evaluated only where ``mask`` holds; elsewhere a distance too large to matter."""
    out = np.full(len(p), far)
    if mask.any():
        out[mask] = fn(p[mask])
    return out


def _skull(p: np.ndarray) -> np.ndarray:
    m = _mirror(p)
    d = ellipsoid(p, (0.0, 0.087, 0.024), (0.074, 0.098, 0.092))  # cranium
    d = smin(d, ellipsoid(p, (0.0, 0.042, 0.028), (0.066, 0.052, 0.07)), 0.03)  # forehead
    d = smin(d, ellipsoid(p, (0.0, 0.048, -0.035), (0.056, 0.05, 0.056)), 0.035)  # mid face
    d = smin(d, ellipsoid(m, (0.031, 0.0, 0.019), (0.026, 0.011, 0.008)), 0.018)  # brow ridge
    d = smin(d, ellipsoid(m, (0.046, 0.013, -0.021), (0.018, 0.018, 0.011)), 0.025)  # cheekbones
    d = smin(d, ellipsoid(m, (0.033, 0.006, -0.043), (0.02, 0.016, 0.02)), 0.03)  # cheek fat pads
    d = smin(d, ellipsoid(p, (0.0, 0.012, -0.069), (0.029, 0.026, 0.028)), 0.016)  # muzzle
    d = smin(d, ellipsoid(p, (0.0, 0.05, -0.075), (0.042, 0.042, 0.033)), 0.03)  # lower face
    d = smin(d, round_cone(m, JAW_FRONT, GONION, 0.011, 0.011), 0.02)  # jaw
    d = smin(d, round_cone(m, GONION, RAMUS_TOP, 0.011, 0.01), 0.015)  # ramus
    return smin(d, ellipsoid(p, (0.0, -0.002, -0.098), (0.02, 0.014, 0.017)), 0.012)  # chin


def _face_features(p: np.ndarray, d: np.ndarray) -> np.ndarray:
    m = _mirror(p)
    e = PUPIL_HALF_DISTANCE
    # Eye sockets, then the lids: a skin shell just larger than the eyeball, cut open in an almond.
    d = smax(d, -ellipsoid(m, (e - 0.001, -0.006, 0.0015), (0.019, 0.017, 0.0125)), 0.006)
    lid = sphere(m, (e, EYEBALL_CENTRE_Y, 0.0), EYEBALL_RADIUS + 0.0011)
    opening = ellipsoid(m, (e, -0.006, 0.0008), (0.0138, 0.02, 0.0047), EYE_OPENING_ROT)
    lid = smax(lid, -opening, 0.0015)
    d = smin(d, lid, 0.006)
    # Nose: bridge, tip, wings (alae), base; then the nostrils from below.
    d = smin(d, round_cone(p, (0.0, -0.006, 0.002), (0.0, -0.026, -0.036), 0.0062, 0.0085), 0.008)
    d = smin(d, sphere(p, (0.0, -0.025, -0.04), 0.0095), 0.006)
    d = smin(d, sphere(m, (0.0115, -0.012, -0.046), 0.0072), 0.006)
    d = smin(d, ellipsoid(p, (0.0, -0.019, -0.048), (0.007, 0.012, 0.006)), 0.004)
    d = smax(d, -ellipsoid(m, (0.0072, -0.019, -0.0555), (0.003, 0.0055, 0.0022)), 0.0015)
    # Lips and the mouth slit.
    d = smin(d, ellipsoid(p, (0.0, -0.01, -0.0635), (0.024, 0.011, 0.0065), _rot_x(-12.0)), 0.006)
    d = smin(d, ellipsoid(p, (0.0, -0.008, -0.0765), (0.021, 0.011, 0.0075), _rot_x(10.0)), 0.006)
    return smax(d, -ellipsoid(p, (0.0, -0.019, -0.0702), (0.0235, 0.013, 0.0011)), 0.0015)


def _ears(p: np.ndarray) -> np.ndarray:
    """An oval shell with a rim (helix) and a hollow (concha)."""
    m = _mirror(p)
    c = (0.075, 0.092, -0.02)
    ear = ellipsoid(m, c, (0.0085, 0.018, 0.031), EAR_ROT)
    ear = smax(ear, -ellipsoid(m, (c[0] + 0.0065, c[1] - 0.001, c[2] + 0.002), (0.006, 0.0135, 0.025), EAR_ROT), 0.002)
    return smax(ear, -sphere(m, (c[0] + 0.004, c[1] - 0.004, c[2] - 0.006), 0.0075), 0.002)


def head_field(p: np.ndarray) -> np.ndarray:
    x, y, z = np.abs(p[:, 0]), p[:, 1], p[:, 2]
    d = _where(z > -0.175, p, _skull)
    face = (x < 0.06) & (y < 0.035) & (z > -0.1) & (z < 0.035)
    if face.any():
        d[face] = _face_features(p[face], d[face])
    return smin(d, _where((x > 0.055) & (y > 0.04) & (y < 0.14) & (z > -0.07) & (z < 0.03), p, _ears), 0.006)


CLAVICLE_INNER = (0.022, 0.02, -0.237)
CLAVICLE_OUTER = (0.15, 0.065, -0.227)
NOTCH = (0.0, 0.0, -0.235)  # jugular notch: 12 cm below the chin


def body_field(p: np.ndarray) -> np.ndarray:
    m = _mirror(p)
    d = round_cone(p, (0.0, 0.083, -0.06), (0.0, 0.072, -0.215), 0.05, 0.055)  # neck
    d = smin(d, round_cone(m, (0.058, 0.105, -0.045), (0.014, 0.035, -0.22), 0.011, 0.009), 0.02)  # sternocleidomastoid
    d = smin(d, round_cone(m, (0.03, 0.138, -0.165), (0.16, 0.1, -0.23), 0.022, 0.022), 0.035)  # trapezius
    d = smin(d, ellipsoid(p, (0.0, 0.095, -0.252), (0.17, 0.07, 0.05)), 0.04)  # shoulder girdle
    d = smin(d, ellipsoid(m, (0.175, 0.08, -0.275), (0.045, 0.05, 0.052)), 0.04)  # deltoids
    d = smin(d, ellipsoid(p, (0.0, 0.088, -0.375), (0.165, 0.096, 0.155)), 0.05)  # chest
    d = smin(d, ellipsoid(m, (0.072, 0.03, -0.34), (0.065, 0.045, 0.048)), 0.04)  # pectorals
    d = smin(d, round_cone(m, CLAVICLE_INNER, CLAVICLE_OUTER, 0.006, 0.007), 0.02)  # clavicles
    d = smax(d, -sphere(p, NOTCH, 0.01), 0.015)
    d = smax(d, BUST_BOTTOM_Z - p[:, 2], 0.03)  # the bust's cut base
    d = smax(d, np.abs(p[:, 0]) - 0.225, 0.03)  # upper arms cut
    return d


def bust_field(p: np.ndarray) -> np.ndarray:
    z = p[:, 2]
    return smin(head_field(p), _where(z < -0.035, p, body_field), 0.03)


def project_to_surface(points: np.ndarray, iterations: int = 1, h: float = 2.5e-4) -> np.ndarray:
    """Newton steps along the field gradient, to put smoothed vertices back on the surface."""
    out = points.copy()
    for _ in range(iterations):
        d = bust_field(out)
        grad = np.empty_like(out)
        for axis in range(3):
            off = np.zeros(3)
            off[axis] = h
            grad[:, axis] = (bust_field(out + off) - bust_field(out - off)) / (2.0 * h)
        g2 = np.maximum((grad * grad).sum(axis=1), 1e-8)
        out -= (d / g2)[:, None] * grad
    return out


def _soft(d: np.ndarray, width: float) -> np.ndarray:
    """1 inside (d <= 0), falling smoothly to 0 at d = width."""
    t = np.clip(1.0 - d / width, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def region_weights(p: np.ndarray) -> dict[str, np.ndarray]:
    """Per-vertex weights 0..1 for each named skin region (see core.spec.SKIN_REGIONS)."""
    m = _mirror(p)
    x, y, z = p[:, 0], p[:, 1], p[:, 2]
    front = y < 0.06
    w: dict[str, np.ndarray] = {}
    w["forehead"] = _soft(ellipsoid(p, (0.0, 0.0, 0.062), (0.06, 0.05, 0.035)), 0.01) * front
    w["nasal_bridge"] = _soft(round_cone(p, (0.0, -0.01, 0.004), (0.0, -0.022, -0.028), 0.009, 0.01), 0.004) * (y < 0.0)
    w["nose_tip"] = _soft(sphere(p, (0.0, -0.028, -0.041), 0.012), 0.004)
    w["nostrils"] = _soft(sphere(m, (0.011, -0.017, -0.049), 0.011), 0.003)
    w["cheekbones"] = _soft(ellipsoid(m, (0.047, 0.004, -0.022), (0.022, 0.022, 0.016)), 0.008)
    w["cheeks"] = _soft(ellipsoid(m, (0.042, 0.01, -0.058), (0.02, 0.025, 0.02)), 0.008)
    w["lips"] = _soft(ellipsoid(p, (0.0, -0.012, -0.07), (0.026, 0.012, 0.0145)), 0.002)
    w["chin"] = _soft(ellipsoid(p, (0.0, -0.004, -0.102), (0.022, 0.02, 0.018)), 0.006)
    jaw = np.minimum(round_cone(m, JAW_FRONT, GONION, 0.02, 0.02), round_cone(m, GONION, RAMUS_TOP, 0.02, 0.018))
    w["jawline"] = _soft(jaw, 0.006) * (z < -0.05)
    w["ears"] = _soft(ellipsoid(m, (0.075, 0.092, -0.02), (0.018, 0.026, 0.04), EAR_ROT), 0.004) * (np.abs(x) > 0.062)
    w["neck"] = np.clip(_soft(z + 0.1, 0.02) * _soft(-0.22 - z, 0.01), 0.0, 1.0) * (1.0 - w["jawline"]) * (1.0 - w["chin"])
    w["clavicles"] = _soft(round_cone(m, CLAVICLE_INNER, CLAVICLE_OUTER, 0.02, 0.022), 0.008)
    return w
