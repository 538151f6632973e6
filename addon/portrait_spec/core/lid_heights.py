"""How far the upper lid's margin stands above the iris centre, per sitter (generated data).

Measured on MakeHuman people built by ``blender/sitter/person`` (eyes to the lens, head level,
neutral expression) by ``blender_tests/test_lid_heights.py``: rays along each eye's gaze,
columns ``XS`` cornea radii to either side of the iris centre, each the highest point (cornea
radii up, in the eye's frame) where the ray reaches the cornea before a lid or lash; the lower
of the two eyes and the two sides. Regenerate (below ``LIDS``) with::

    PORTRAIT_SPEC_UPDATE_LIDS=1 .venv/blender-4.5/bin/python -m pytest -q -p no:cacheprovider blender_tests/test_lid_heights.py

``LIDS`` holds the corners of MakeHuman's macro shapes (each ancestry alone, sex 0 and 1, ages
``AGES``); a person's macro targets are weighted multilinearly in those inputs (MakeHuman's
``macro`` modifiers: ancestry shares times the sex and age weights, the age weight linear in
years between corners), so ``upper_lid`` blends the corners with the same weights.
``SMALL_EYES`` is the change at ``face.eye_size = -1`` on the default person (taken linearly for
smaller eyes; larger eyes, which open the lid, are given no credit). The expressions move the
lid by 0.02 at most, the head's pitch against the gaze far more: ``core.catchlights`` leaves a
margin for the first and uses the table only for a level or lowered gaze in the head.
"""

from __future__ import annotations

from .spec import SubjectSpec

XS: tuple[float, ...] = (0.0, 0.3, 0.6)
AGES: tuple[float, ...] = (18.0, 25.0, 90.0)
SEXES: tuple[float, ...] = (0.0, 1.0)
ANCESTRIES: tuple[str, ...] = ("african", "asian", "caucasian")


def _age_weights(years: float) -> list[float]:
    y = min(max(years, AGES[0]), AGES[-1])
    out = [0.0] * len(AGES)
    for i in range(len(AGES) - 1):
        if AGES[i] <= y <= AGES[i + 1]:
            t = (y - AGES[i]) / (AGES[i + 1] - AGES[i])
            out[i], out[i + 1] = 1.0 - t, t
            break
    return out


def upper_lid(subject: SubjectSpec) -> tuple[float, ...] | None:
    """The upper lid's height over the iris centre at each of ``XS`` (cornea radii), blended
    from ``LIDS``; None for a sitter that is not a MakeHuman person. Made concave (a point
    higher than the one nearer the centre, or above its neighbours' chord, is lowered) so the open eye under it is convex."""
    if subject.kind != "person":
        return None
    a = subject.ancestry
    shares = [a.african, a.asian, a.caucasian]  # the order of ANCESTRIES
    total = sum(shares) or 1.0
    sex = subject.body.sex
    h = [0.0] * len(XS)
    for name, share in zip(ANCESTRIES, shares, strict=True):
        for s, ws in zip(SEXES, (1.0 - sex, sex), strict=True):
            for age, wa in zip(AGES, _age_weights(subject.body.age_years), strict=True):
                w = share / total * ws * wa
                if w:
                    h = [v + w * c for v, c in zip(h, LIDS[(name, s, age)], strict=True)]
    small = max(-subject.face.eye_size, 0.0)
    h = [v + small * d for v, d in zip(h, SMALL_EYES, strict=True)]
    for i in range(1, len(h)):  # highest over the iris centre, falling to the sides
        h[i] = min(h[i], h[i - 1])
    for i in range(1, len(h) - 1):  # XS evenly spaced: at or under each chord
        h[i] = min(h[i], (h[i - 1] + h[i + 1]) / 2.0)
    return tuple(h)


SMALL_EYES: tuple[float, ...] = (0.0, 0.0, -0.05)
LIDS: dict[tuple[str, float, float], tuple[float, ...]] = {
    ('african', 0.0, 18.0): (0.56, 0.52, 0.42),
    ('african', 0.0, 25.0): (0.52, 0.48, 0.37),
    ('african', 0.0, 90.0): (0.48, 0.4, 0.23),
    ('african', 1.0, 18.0): (0.44, 0.36, 0.15),
    ('african', 1.0, 25.0): (0.45, 0.36, 0.01),
    ('african', 1.0, 90.0): (0.4, 0.34, 0.0),
    ('asian', 0.0, 18.0): (0.42, 0.39, 0.31),
    ('asian', 0.0, 25.0): (0.39, 0.36, 0.28),
    ('asian', 0.0, 90.0): (0.21, 0.19, 0.13),
    ('asian', 1.0, 18.0): (0.34, 0.29, 0.2),
    ('asian', 1.0, 25.0): (0.28, 0.24, 0.15),
    ('asian', 1.0, 90.0): (0.15, 0.11, 0.04),
    ('caucasian', 0.0, 18.0): (0.58, 0.53, 0.4),
    ('caucasian', 0.0, 25.0): (0.6, 0.54, 0.35),
    ('caucasian', 0.0, 90.0): (0.61, 0.54, 0.33),
    ('caucasian', 1.0, 18.0): (0.47, 0.39, 0.13),
    ('caucasian', 1.0, 25.0): (0.46, 0.35, 0.02),
    ('caucasian', 1.0, 90.0): (0.38, 0.31, 0.0),
}
