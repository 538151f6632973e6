"""Error types shared by every layer: one exception that carries every problem found."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by its dotted spec path."""

    path: str
    found: str
    allowed: str

    def __str__(self) -> str:
        return f"{self.path}: found {self.found}; allowed: {self.allowed}"


class SpecError(ValueError):
    """Bad input. Carries *all* problems so a user fixes a file in one pass."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(self.message())

    def message(self) -> str:
        head = f"{self.source}: " if self.source else ""
        count = len(self.problems)
        lines = [f"{head}{count} problem{'s' if count != 1 else ''} in the scene spec:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)
