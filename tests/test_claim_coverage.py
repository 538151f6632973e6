"""No prompt phrase escapes ``verify``: every claim path the prompt writer records, for every
preset, every one-field variant of the seed and random valid specs, is either measured or
listed as stated with a reason in ``core.claim_coverage``.

A new phrase with a new path fails here until someone writes its measurement (or says why it
cannot be measured). The measurers themselves are matched to the MEASURED table, and shown to
catch hand edits, in ``blender_tests/test_verify_claims.py``."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from prompt_support import random_specs, variant_specs

from portrait_spec.core.claim_coverage import MEASURED, STATED, Coverage, coverage
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.spec import Spec


def uncovered(spec: Spec) -> list[str]:
    return [c.path for c in build_prompts(spec).claims if coverage(c.path) is None]


def test_every_claim_of_every_preset_and_variant_is_measured_or_has_a_reason():
    specs = variant_specs()
    assert len(specs) > 50
    seen: set[str] = set()
    for spec in specs:
        assert uncovered(spec) == [], spec
        seen |= {c.path for c in build_prompts(spec).claims}
    # The variants reach every branch of the wording rules, so every pattern is exercised.
    for pattern in MEASURED:
        assert any(coverage(p) is not None and coverage(p).pattern == pattern for p in seen), pattern  # type: ignore[union-attr]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs)
def test_every_claim_of_a_random_spec_is_measured_or_has_a_reason(spec: Spec):
    assert uncovered(spec) == []


def test_an_unknown_path_is_not_covered():
    """Negative control: the tables do not cover everything by accident."""
    assert coverage("lights.key.made_up_quantity") is None
    assert coverage("skin.tone.haemoglobin") is None
    assert coverage("lights.key") is None
    assert coverage("camera.focal_length_mm.extra") is None


def test_patterns_match_one_segment_per_wildcard_and_exact_paths_win():
    assert coverage("lights.rim.stops") == Coverage("lights.*.stops", True, MEASURED["lights.*.stops"])
    assert coverage("skin.roughness.cheekbones") is not None
    assert coverage("skin.roughness.default").pattern == "skin.roughness.*"  # type: ignore[union-attr]
    assert coverage("camera.f_number").pattern == "camera.f_number"  # type: ignore[union-attr]


def test_every_entry_says_how_or_why():
    assert not set(MEASURED) & set(STATED)
    for table in (MEASURED, STATED):
        for pattern, note in table.items():
            assert len(note.split()) >= 3, pattern


def test_a_phrase_without_an_entry_is_caught(monkeypatch):
    """Negative control for the first test: drop one entry and its claims are reported."""
    spec = variant_specs()[0]
    monkeypatch.delitem(MEASURED, "lights.*.temperature_k")
    assert {"lights.key.temperature_k", "lights.fill.temperature_k"} <= set(uncovered(spec))
