"""``verify``: the prompt's claims checked against the scene as it is now.

The claims are exactly those the prompt writer records for the spec
(``core.prompt.build_prompts(spec).claims``): for a saved .blend, the spec stored at build time.
Each claim path is looked up in ``core.claim_coverage``:

* measured: its measurer (``claim_measures.MEASURERS``) returns a row with the claim's phrase,
  the spec value, the measured value, the tolerance and pass/fail. Probe renders (incident meter
  per light, extraction exactness, gradient edges) are made once and shared;
* stated only: listed under "stated, not measured" with the documented reason;
* neither: a failing row, so a phrase without a measurement can never pass unnoticed.

Studio checks without a phrase of their own follow: each light aimed at the focus (+-1 deg) and
the key's level at the exposure target (+-0.1 stop); then the sitter's (``framing.py``): the
focus between its eyes (+-1 cm), a head in the upper part of the frame, a model's build notes. Tolerances are in ``claim_measures``.
"""

from __future__ import annotations

import bpy

from ...core.claim_coverage import coverage
from ...core.prompt import build_prompts
from ...core.prompt.claims import Claim
from ...core.spec import Spec
from ...core.vec import Vec3
from ..contract import find_one
from .claims import MEASURERS, Measuring, missing, studio_checks
from .framing import sitter_checks
from .report import Check, Stated, VerifyReport

__all__ = ["Check", "Stated", "VerifyReport", "verify_built_scene", "verify_claims"]


def verify_built_scene(spec: Spec, scene: bpy.types.Scene) -> VerifyReport:
    """Every claim of ``spec``'s prompt checked against ``scene``."""
    return verify_claims(spec, scene, build_prompts(spec).claims)


def verify_claims(spec: Spec, scene: bpy.types.Scene, claims: tuple[Claim, ...]) -> VerifyReport:
    report = VerifyReport()
    focus_obj = find_one(scene, "focus")
    if focus_obj is None:
        report.add(Check(name="focus point", spec="present", measured="missing", tolerance="exists", passed=False))
        for claim in claims:
            report.add(missing(claim, claim.path, "focus point to measure from"))
        return report
    t = focus_obj.matrix_world.translation
    focus: Vec3 = (float(t.x), float(t.y), float(t.z))
    measuring = Measuring(spec, scene, focus)
    for claim in claims:
        found = coverage(claim.path)
        if found is None:
            report.add(missing(claim, claim.path, "measurement and no documented reason (core.claim_coverage)"))
        elif not found.measured:
            report.stated.append(Stated(claim.path, claim.phrase, found.note))
        elif found.pattern not in MEASURERS:
            report.add(missing(claim, claim.path, f"measurer for {found.pattern} (claim_measures)"))
        else:
            for row in MEASURERS[found.pattern](claim, measuring):
                report.add(row)
    for row in studio_checks(measuring):
        report.add(row)
    for row in sitter_checks(measuring):
        report.add(row)
    return report
