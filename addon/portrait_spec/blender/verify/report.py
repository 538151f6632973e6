"""What ``verify`` reports: one checked row per prompt claim (and per studio check behind the
claims), plus the claims that are only stated, each with its reason.

``VerifyReport.claims`` holds the checked rows: ``name`` (short check name, e.g. "key:fill"),
the prompt ``phrase`` and claim ``path`` it checks (empty for studio checks that have no phrase of
their own), the spec value, the measured value, the tolerance and pass/fail. ``passed`` is true
only if there is at least one row and every row passes; stated claims never pass or fail.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

Value = float | str


@dataclass(frozen=True, kw_only=True)
class Check:
    name: str
    spec: Value
    measured: Value
    tolerance: str
    passed: bool
    unit: str = ""
    how: str = ""
    path: str = ""
    phrase: str = ""


@dataclass(frozen=True)
class Stated:
    path: str
    phrase: str
    reason: str


@dataclass
class VerifyReport:
    claims: list[Check] = field(default_factory=list)
    stated: list[Stated] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.claims) and all(c.passed for c in self.claims)

    def add(self, check: Check) -> None:
        self.claims.append(check)

    def failures(self) -> list[Check]:
        return [c for c in self.claims if not c.passed]

    def paths(self) -> set[str]:
        """Every claim path the report covers, checked or stated."""
        return {c.path for c in self.claims if c.path} | {s.path for s in self.stated}

    def table(self) -> str:
        rows = [("prompt phrase", "check", "spec", "measured", "tolerance", "result")]
        rows += [(c.phrase or "(studio)", c.name, _fmt(c.spec, c.unit), _fmt(c.measured, c.unit), c.tolerance,
                  "pass" if c.passed else "FAIL") for c in self.claims]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines += ["", "stated, not measured:"]
        lines += [f"  {s.phrase} ({s.path}): {s.reason}" for s in self.stated] or ["  none"]
        lines.append("")
        failed = len(self.failures())
        lines.append("all claims hold" if self.passed else f"{failed} of {len(self.claims)} claims FAILED")
        return "\n".join(lines)

    def to_data(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "claims": [_jsonable(asdict(c)) for c in self.claims],
            "stated_not_measured": [asdict(s) for s in self.stated],
        }


def _fmt(value: Value, unit: str) -> str:
    if isinstance(value, str):
        return value
    if math.isinf(value) or math.isnan(value):
        return str(value)
    return f"{value:.3f} {unit}".rstrip()


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in data.items()}
