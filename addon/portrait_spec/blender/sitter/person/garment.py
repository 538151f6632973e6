"""The garment: a shell over the body's own faces below the neckline, offset from the skin.

Coverage is decided per vertex on the rest shape (the torso's frame: z up, the face along -y),
from the sternal notch height z_n (the clavicle bone's head, MakeHuman joint ``clavicle.L``)
and |x| off the midline; "front" is in front of the neck's axis:

* strapless: the torso below z_n - 75 mm in front and z_n - 110 mm behind; arms bare.
* off_shoulder: everything below z_n - 50 mm in front, z_n - 60 mm behind, sleeves over the upper
  arms (the line runs round the arms under the shoulders).
* scoop: a U in front, z_n - 70 mm at the middle rising as (|x| / 110 mm)^2 to the shoulders;
  z_n - 30 mm behind; over the shoulders beyond 110 mm of the midline; short sleeves.
* boat: a shallow line z_n - 30 mm from shoulder to shoulder in front and behind, over the
  shoulders beyond 140 mm; short sleeves.

Every neckline stays below the clavicles in front, so the chain rests on skin. The forearms and
hands are never covered (skin weights of the lower arm, wrist and fingers over 0.5), nor the
upper arms for strapless. Under the garment the nipples are filled flat and the covered skin
smoothed (``under_garment``). The shell is the covered faces of the posed body, its hem moved onto
the neckline between vertices, moved out along the vertex normals by ``OFFSET_M`` and smoothed
so it bridges hollows (a fitted top; the Solidify modifier gives the hem its thickness).
"""

from __future__ import annotations

import numpy as np

from ....core.spec import GarmentSpec
from . import pose
from .geometry import PersonGeometry
from .mesh import keep_faces, neighbour_mean
from .regions import vertex_normals
from .targets import read_target

OFFSET_M = 0.0025
THICKNESS_M = 0.0015
SCOOP_HALF_WIDTH_M = 0.11
BOAT_HALF_WIDTH_M = 0.14
BASE_VERTICES = 19158
SMOOTHING = 24
UNDER_M = 0.01
UNDER_SMOOTHING = 12
FOREARM_PREFIXES = ("lowerarm", "wrist", "finger", "metacarpal")
# The vertices MakeHuman's own "nipple point" control moves: the nipples, filled flat under the
# garment before the general smoothing (a bra or a lined top holds them flat).
NIPPLE_TARGET = "mpfb2/targets/breast/nipple-point-decr.target.gz"
FILL_ITERATIONS = 60
FILL_RINGS = 3  # one left the breast's conical apex under the cloth; a bra rounds it


def _weight(geo: PersonGeometry, prefixes: tuple[str, ...]) -> np.ndarray:
    return np.asarray(sum(pose.bone_weight(b, BASE_VERTICES)[geo.base_index] for b in pose.weights() if b.startswith(prefixes)))


def coverage(geo: PersonGeometry, garment: GarmentSpec) -> np.ndarray:
    """Per vertex, how far inside the garment it is (metres, > 0 covered): a signed distance-like
    function whose zero set is the neckline, so the hem can be placed on it between vertices."""
    notch = geo.rest_joints["clavicle.L"][0][2]
    axis_y = geo.rest_joints["neck01"][0][1]
    x, y, z = geo.rest[:, 0] - geo.eye_point[0], geo.rest[:, 1], geo.rest[:, 2]
    ax = np.abs(x)
    front = y < axis_y
    style = garment.neckline
    if style == "strapless":
        f = np.where(front, notch - 0.075, notch - 0.110) - z
        f = np.where(_weight(geo, ("upperarm",)) > 0.5, -1.0, f)
    elif style == "off_shoulder":
        f = np.where(front, notch - 0.050, notch - 0.060) - z
    elif style == "scoop":
        u = np.minimum(ax / SCOOP_HALF_WIDTH_M, 1.0)
        f = np.maximum(np.where(front, notch - 0.070 + 0.070 * u * u, notch - 0.030) - z, ax - SCOOP_HALF_WIDTH_M)
    else:
        f = np.maximum(notch - 0.030 - z, ax - BOAT_HALF_WIDTH_M)
    f = np.minimum(f, notch + 0.02 - z)
    return np.asarray(np.where(_weight(geo, FOREARM_PREFIXES) > 0.5, -1.0, f))


def _smooth(verts: np.ndarray, quads: np.ndarray, skin: np.ndarray, normals: np.ndarray, iterations: int) -> np.ndarray:
    """Laplacian smoothing (each vertex to the mean of its face neighbours) that keeps every vertex
    at least ``OFFSET_M`` out along its skin normal: cloth bridges hollows instead of following
    every dip, and never sinks into the skin."""
    out = verts.copy()
    for _ in range(iterations):
        out = 0.5 * out + 0.5 * neighbour_mean(out, quads)
        depth = ((out - skin) * normals).sum(axis=1)
        out += np.maximum(OFFSET_M - depth, 0.0)[:, None] * normals
    return out


def under_garment(geo: PersonGeometry, garment: GarmentSpec) -> tuple[np.ndarray, np.ndarray]:
    """The posed skin with small features deep under the cloth smoothed away (a nipple would show
    through a fitted top; a garment holds the skin under it smooth: the nipples are filled flat,
    then the covered skin is smoothed), and which vertices that touched. Only vertices
    ``UNDER_M`` inside the neckline move, so the skin the camera sees is exactly the posed skin."""
    deep = coverage(geo, garment) > UNDER_M
    verts = geo.verts.copy()
    # The nipples and ``FILL_RINGS`` rings round them are replaced by the membrane spanning the
    # outer ring's edge (a harmonic fill: each vertex at its neighbours' mean); the breast's own
    # shape outside the rings is kept, so the fill follows it. Plain smoothing strong enough to
    # flatten a nipple one vertex wide would also shrink the breast and crease the skin at the
    # neckline above it.
    nipple = np.isin(geo.base_index, read_target(NIPPLE_TARGET).indices)
    for _ in range(FILL_RINGS):
        nipple[geo.quads[nipple[geo.quads].any(axis=1)].ravel()] = True
    nipple &= deep
    for _ in range(FILL_ITERATIONS):
        verts[nipple] = neighbour_mean(verts, geo.quads)[nipple]
    for _ in range(UNDER_SMOOTHING):
        verts[deep] = 0.5 * verts[deep] + 0.5 * neighbour_mean(verts, geo.quads)[deep]
    return verts, deep


def garment_shell(geo: PersonGeometry, garment: GarmentSpec) -> tuple[np.ndarray, np.ndarray]:
    """Vertices and quads of the garment over the posed body (``geo.verts``, already smoothed
    under the cloth by ``under_garment``), its hem on the neckline."""
    f = coverage(geo, garment)
    inside = f > 0.0
    touched = np.zeros(len(f), dtype=bool)
    touched[geo.quads[inside[geo.quads].any(axis=1)].ravel()] = True
    quads, old = keep_faces(geo.quads, touched)
    normals = vertex_normals(geo.verts, geo.quads)[old]
    skin = geo.verts[old]
    fs = f[old]
    # Each outside vertex of a hem face moves to the mean of the points where the lines to the
    # face's inside vertices cross the neckline (f = 0).
    moved = np.zeros_like(skin)
    hits = np.zeros(len(skin))
    for a in range(4):
        for b in range(4):
            u, c = quads[:, a], quads[:, b]
            sel = (fs[u] <= 0.0) & (fs[c] > 0.0)
            t = fs[u][sel] / (fs[u][sel] - fs[c][sel])
            np.add.at(moved, u[sel], skin[u[sel]] + t[:, None] * (skin[c[sel]] - skin[u[sel]]))
            np.add.at(hits, u[sel], 1.0)
    placed = np.where((hits > 0)[:, None], moved / np.maximum(hits, 1.0)[:, None], skin)
    shell = _smooth(placed + OFFSET_M * normals, quads, placed, normals, SMOOTHING)
    return shell, quads
