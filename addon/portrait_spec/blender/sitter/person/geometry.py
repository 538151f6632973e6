"""The person as numpy arrays: shaped, posed, cut and placed, before anything enters Blender.

Order: identity targets (sex, age, build, ancestry, face) on the base mesh; joints and helper
eyes read from the shaped mesh; the expression's face units added; linear blend skinning to the
pose (arms down, head turned) and the body turn about the vertical through the neck; helpers
and joint cubes dropped and the body cut ``CUT_MARGIN_M`` below the lowest point the camera can
see; everything moved so the midpoint between the pupils is the eye point. The rest shape
(identity only, placed with the same eye point, unposed) is kept per vertex for regions and
for ``verify`` to measure the pose against.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ....core.spec import SubjectSpec
from . import mesh, pose
from .expression import expression_targets
from .identity import identity_targets
from .targets import apply_targets

CUT_MARGIN_M = 0.06
EYE_GROUPS = ("helper-r-eye", "helper-l-eye")  # sitter's right eye (camera left, -X) first


@dataclass(frozen=True)
class Eye:
    centre: np.ndarray   # (3,) placed eyeball centre
    gaze: np.ndarray     # (3,) unit direction the eye looks along
    radius: float        # of the eyeball (MakeHuman's helper eye, the lids' fit)


@dataclass(frozen=True, kw_only=True)
class PersonGeometry:
    verts: np.ndarray         # (n, 3) posed and placed, metres
    quads: np.ndarray         # (m, 4)
    rest: np.ndarray          # (n, 3) identity shape only, unposed, placed at the same eye point
    base_index: np.ndarray    # (n,) MakeHuman base-mesh index of each vertex
    eyes: tuple[Eye, Eye]     # sitter's right, left
    eye_point: np.ndarray     # (3,) midpoint between the pupils
    head_rotation: np.ndarray  # (3, 3) the head's rotation from rest, world frame
    rest_joints: dict[str, tuple[np.ndarray, np.ndarray]]  # bone -> (head, tail), rest, placed
    neck_axis: np.ndarray     # (3,) a point on the posed neck's axis (the neck02 joint), placed
    rest_eye_centres: tuple[np.ndarray, np.ndarray]  # the eyeballs' centres on the rest shape (right, left)


def body_turn(deg: float) -> np.ndarray:
    """About +Z: positive turns the chest (facing -Y) towards camera left (-X)."""
    return pose.rotation(np.array([0.0, 0.0, 1.0]), -math.radians(deg))


def gaze_direction(eye: np.ndarray, camera: np.ndarray, yaw_deg: float, pitch_deg: float) -> np.ndarray:
    """The line from ``eye`` to ``camera`` turned by yaw (+ towards camera left) and pitch (+ up)."""
    d = camera - eye
    d = d / np.linalg.norm(d)
    horizontal = math.atan2(d[1], d[0]) - math.radians(yaw_deg)  # camera left is -X seen from the sitter
    elevation = math.asin(max(-1.0, min(1.0, d[2]))) + math.radians(pitch_deg)
    return np.array([math.cos(elevation) * math.cos(horizontal), math.cos(elevation) * math.sin(horizontal), math.sin(elevation)])


def person_geometry(subject: SubjectSpec, eye_point: np.ndarray, camera: np.ndarray, cut_z: float) -> PersonGeometry:
    base = mesh.base_mesh()
    groups = mesh.vertex_groups()
    shaped_mh = apply_targets(base.verts, identity_targets(subject.body, subject.ancestry, subject.face))
    joints = pose.joints(shaped_mh)
    rest = mesh.to_blender(shaped_mh)
    expressive = mesh.to_blender(apply_targets(shaped_mh, expression_targets(subject.expression)))

    p = subject.pose
    turn = body_turn(p.body_turn_deg)
    head_world = pose.head_rotation(p.head_yaw_deg, p.head_pitch_deg, p.head_roll_deg)
    posed = pose.pose(joints, turn.T @ head_world)  # the neck turns what the body turn does not
    neck = joints["neck01"][0]
    verts = (pose.skin(expressive, posed) - neck) @ turn.T + neck
    head_m = posed.transforms["head"]

    def to_world(points: np.ndarray) -> np.ndarray:
        return ((points @ head_m[:3, :3].T + head_m[:3, 3]) - neck) @ turn.T + neck

    centres = [to_world(mesh.group_centre(rest, g)) for g in EYE_GROUPS]
    radii = [float(np.linalg.norm(rest[groups[g]] - mesh.group_centre(rest, g), axis=1).mean()) for g in EYE_GROUPS]
    shift = np.zeros(3)
    off_yaw, off_pitch = (p.gaze_yaw_deg, p.gaze_pitch_deg) if p.gaze == "direction" else (0.0, 0.0)
    for _ in range(3):  # the gaze depends on where the eyes end up; converges in two passes
        gazes = [gaze_direction(c + shift, camera, off_yaw, off_pitch) for c in centres]
        pupils = [c + g * r for c, g, r in zip(centres, gazes, radii, strict=True)]
        shift = eye_point - 0.5 * (pupils[0] + pupils[1])
    verts = verts + shift
    rest_eyes = [mesh.group_centre(rest, g) + np.array([0.0, -r, 0.0]) for g, r in zip(EYE_GROUPS, radii, strict=True)]
    rest_shift = eye_point - 0.5 * (rest_eyes[0] + rest_eyes[1])

    keep = np.zeros(len(verts), dtype=bool)
    keep[groups["body"]] = True
    keep &= verts[:, 2] > cut_z
    quads, old = mesh.keep_faces(base.quads, keep)
    eyes = tuple(Eye(centre=c + shift, gaze=g, radius=r) for c, g, r in zip(centres, gazes, radii, strict=True))
    return PersonGeometry(
        verts=verts[old], quads=quads, rest=(rest + rest_shift)[old], base_index=old.astype(np.int32),
        eyes=(eyes[0], eyes[1]), eye_point=np.asarray(eye_point, dtype=np.float64), head_rotation=head_world,
        rest_joints={k: (h + rest_shift, t + rest_shift) for k, (h, t) in joints.items()},
        neck_axis=(joints["neck02"][0] - neck) @ turn.T + neck + shift,
        rest_eye_centres=(mesh.group_centre(rest, EYE_GROUPS[0]) + rest_shift, mesh.group_centre(rest, EYE_GROUPS[1]) + rest_shift),
    )
