"""Who the person is, as MakeHuman targets: the macro shapes (sex, age, build, ancestry) and the
face controls of ``spec.subject.face``.

Each face control is MakeHuman's pair of opposite targets (``-decr``/``-incr``, one per side where
the feature has two): a value v in [-1, 1] applies the ``incr`` target by v or the ``decr`` target
by -v, as MakeHuman's modifier sliders do. The head shape is one ``head-<shape>`` target applied by
``shape_amount``.
"""

from __future__ import annotations

from ....core.spec import AncestrySpec, BodySpec, FaceSpec
from .targets import ANCESTRIES, Macros, age_value, macro_targets

TARGETS = "mpfb2/targets/"
#: face control -> the target pairs it drives (decr, incr), relative to mpfb2/targets/
FACE_CONTROLS: dict[str, tuple[tuple[str, str], ...]] = {
    "nose_width": (("nose/nose-scale-horiz-decr", "nose/nose-scale-horiz-incr"),),
    "nose_length": (("nose/nose-scale-vert-decr", "nose/nose-scale-vert-incr"),),
    "lip_fullness": (("mouth/mouth-upperlip-volume-decr", "mouth/mouth-upperlip-volume-incr"),
                     ("mouth/mouth-lowerlip-volume-decr", "mouth/mouth-lowerlip-volume-incr")),
    "chin_width": (("chin/chin-width-decr", "chin/chin-width-incr"),),
    "ear_size": (("ears/l-ear-scale-decr", "ears/l-ear-scale-incr"), ("ears/r-ear-scale-decr", "ears/r-ear-scale-incr")),
    "eye_size": (("eyes/l-eye-scale-decr", "eyes/l-eye-scale-incr"), ("eyes/r-eye-scale-decr", "eyes/r-eye-scale-incr")),
}
HEAD_SHAPE_FILES: dict[str, str] = {"inverted_triangular": "invertedtriangular"}


def macros(body: BodySpec, ancestry: AncestrySpec) -> Macros:
    shares = {name: float(getattr(ancestry, name)) for name in ANCESTRIES}
    total = sum(shares.values())
    return Macros(gender=body.sex, age=age_value(body.age_years), muscle=body.muscle, weight=body.weight,
                  height=body.height, proportions=body.proportions,
                  ancestry={k: v / total for k, v in shares.items()})


def face_targets(face: FaceSpec) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    for control, pairs in FACE_CONTROLS.items():
        value = float(getattr(face, control))
        if value == 0.0:
            continue
        for decr, incr in pairs:
            out.append((f"{TARGETS}{incr if value > 0 else decr}.target.gz", abs(value)))
    if face.shape != "neutral" and face.shape_amount > 0.0:
        name = HEAD_SHAPE_FILES.get(face.shape, face.shape)
        out.append((f"{TARGETS}head/head-{name}.target.gz", face.shape_amount))
    return out


def identity_targets(body: BodySpec, ancestry: AncestrySpec, face: FaceSpec) -> list[tuple[str, float]]:
    return macro_targets(macros(body, ancestry)) + face_targets(face)
