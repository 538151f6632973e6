"""Posing a rigged model for a portrait: arms down, head as the spec says, on top of the pose the
file has (its current pose is kept for everything else).

Bones are found by ``measure.eyes.name_key`` (namespace, case, digits and separators ignored):

* upper arms: ``upperarm``, ``upper_arm``, ``arm`` or ``uparm`` with a side (``.L``, ``_l``,
  ``Left``, ``L_``), optionally after ``DEF-``, ``ORG-``, ``CC_Base_``, ``J_Bip_``, ``Bip01``: so
  ``mixamorig:LeftArm``, ``upperarm.L``, ``upper_arm.L`` (Rigify), ``upperarm01.L`` (MakeHuman),
  ``CC_Base_L_Upperarm`` (Character Creator), ``J_Bip_L_UpperArm`` (VRoid), ``upperarm_l``
  (Unreal, MetaHuman), and DAZ Genesis ``lShldrBend``;
* head: ``head`` (``mixamorig:Head``, ``CC_Base_Head``, ``J_Bip_C_Head``); neck: ``neck``,
  ``neck01``, ``neck_01``, ``necktwist``, DAZ ``neckLower``.

An upper arm more than ``RAISED_DEG`` from hanging (a T- or A-pose) is turned about its shoulder
joint, in world space, until it hangs ``ARM_FROM_VERTICAL_DEG`` out from the body's side; an arm
already down is left as posed. The head turn (yaw about the vertical, pitch about the line between
the eyes, roll about the face's direction, applied in that order as the spec's ``subject.pose``
describes them) is shared between the neck (``NECK_SHARE``) and the head bone, each turning about
the same axes by its share, so the head ends at exactly the rotation asked for.
"""

from __future__ import annotations

import math

import bpy
import numpy as np
from mathutils import Matrix, Quaternion, Vector

from ...measure.eyes import name_key
from ...narrow import present

RAISED_DEG = 30.0
ARM_FROM_VERTICAL_DEG = 10.0
NECK_SHARE = 0.4

_SIDES = {"L": ("l", "left"), "R": ("r", "right")}
_ARM_CORES = ("upperarm", "arm", "uparm", "shldrbend")
_ARM_PREFIXES = ("", "def", "org", "ccbase", "jbip", "bip")
UPPER_ARM_NAMES = {side: frozenset(p + s + c for p in _ARM_PREFIXES for s in marks for c in _ARM_CORES)
                   | frozenset(p + c + s for p in _ARM_PREFIXES for s in marks for c in _ARM_CORES)
                   for side, marks in _SIDES.items()}
HEAD_NAMES = frozenset(p + "head" for p in ("", "def", "org", "ccbase", "jbipc", "bip"))
NECK_NAMES = frozenset(p + c for p in ("", "def", "org", "ccbase", "jbipc", "bip") for c in ("neck", "necktwist", "necklower"))


def _bone(rig: bpy.types.Object, names: frozenset[str]) -> bpy.types.PoseBone | None:
    """The matching bone nearest the root (a chain of matches, e.g. DEF- copies, is one limb)."""
    found = [pb for pb in present(rig.pose, f"armature {rig.name!r} pose").bones if name_key(pb.name) in names]
    return min(found, key=lambda pb: len(pb.parent_recursive)) if found else None


def _turn(rig: bpy.types.Object, pb: bpy.types.PoseBone, rotation: Matrix, pivot: Vector) -> None:
    """Rotate a pose bone (and so its children) by a world-space rotation about a world point."""
    world = rig.matrix_world
    about = Matrix.Translation(pivot.to_tuple()) @ rotation.to_4x4() @ Matrix.Translation((-pivot).to_tuple())
    pb.matrix = world.inverted() @ about @ world @ pb.matrix
    present(bpy.context.view_layer, "view layer").update()


def _head_world(rig: bpy.types.Object, pb: bpy.types.PoseBone) -> Vector:
    return rig.matrix_world @ pb.head


def lower_arms(rig: bpy.types.Object, left: np.ndarray) -> list[str]:
    """Hang raised upper arms down beside the body; ``left`` is the character's left (world)."""
    lowered = []
    down = Vector((0.0, 0.0, -1.0))
    for side, sign in (("L", 1.0), ("R", -1.0)):
        pb = _bone(rig, UPPER_ARM_NAMES[side])
        if pb is None:
            continue
        head, tail = _head_world(rig, pb), rig.matrix_world @ pb.tail
        direction = (tail - head).normalized()
        if direction.angle(down) <= math.radians(RAISED_DEG):
            continue
        out = Vector(tuple(left * sign))
        out.z = 0.0
        a = math.radians(ARM_FROM_VERTICAL_DEG)
        target = (down * math.cos(a) + out.normalized() * math.sin(a)).normalized()
        _turn(rig, pb, direction.rotation_difference(target).to_matrix(), head)
        lowered.append(pb.name)
    return lowered


def head_rotation(yaw_deg: float, pitch_deg: float, roll_deg: float, forward: np.ndarray, left: np.ndarray) -> Quaternion:
    """World rotation of the head: + yaw turns the face towards camera left (about +Z by -yaw),
    + pitch raises the chin (about the character's left axis by -pitch), + roll moves the crown
    towards camera left, the character's right (about the face's direction by +roll)."""
    yaw = Quaternion((0.0, 0.0, 1.0), math.radians(-yaw_deg))
    pitch = Quaternion(Vector(tuple(left)), math.radians(-pitch_deg))
    roll = Quaternion(Vector(tuple(forward)), math.radians(roll_deg))
    return yaw @ pitch @ roll  # intrinsic: yaw, then pitch and roll about the turned axes


def turn_head(rig: bpy.types.Object, rotation: Quaternion) -> list[str]:
    head = _bone(rig, HEAD_NAMES)
    if head is None:
        return []
    neck = _bone(rig, NECK_NAMES)
    bones = [(neck, NECK_SHARE), (head, 1.0 - NECK_SHARE)] if neck is not None and neck != head else [(head, 1.0)]
    for pb, share in bones:
        part = Quaternion().slerp(rotation, share)
        _turn(rig, pb, part.to_matrix(), _head_world(rig, pb))
    return [pb.name for pb, _ in bones]
