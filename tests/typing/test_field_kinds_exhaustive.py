"""A field kind added without being handled by every consumer fails type checking.

Runs mypy, so it runs in the lint venv (``.venv/lint/bin/python -m pytest tests/typing``), not with
the pure tests (pyproject.toml keeps ``pytest tests`` out of this folder). On a scratch copy of the
add-on, of the tests' spec strategy and of pyproject.toml (mypy's configuration), a new kind is
added to ``core/fields.py``'s ``FieldMeta`` union: mypy must then fail at the ``assert_never`` of
each consumer's ``match``, and nowhere else.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each consumer of FieldMeta and how many exhaustive matches it has.
CONSUMERS = Counter({
    "addon/portrait_spec/core/schema.py": 2,  # parse and validate; write back as plain data
    "addon/portrait_spec/blender/ui/spec_bridge.py": 2,  # panel -> spec data; spec -> panel
    "addon/portrait_spec/blender/ui/properties.py": 1,  # the generated Blender properties
    "addon/portrait_spec/blender/ui/field_layout.py": 1,  # drawing a field in the panel
    "tests/spec_strategy.py": 1,  # the Hypothesis strategy for specs
})

NEW_KIND = '''
@final
@dataclass(frozen=True, kw_only=True)
class Angle(Ranged):
    """A kind that no consumer handles yet."""


'''
UNION = "FieldMeta: TypeAlias = (\n"
ERROR = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+): error: (?P<message>.*)$", re.MULTILINE)
UNHANDLED = 'Argument 1 to "assert_never" has incompatible type "Angle"'


def _scratch_copy(into: Path) -> None:
    shutil.copytree(ROOT / "addon" / "portrait_spec", into / "addon" / "portrait_spec",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (into / "tests").mkdir()
    shutil.copy2(ROOT / "tests" / "spec_strategy.py", into / "tests")
    shutil.copy2(ROOT / "pyproject.toml", into)


def test_a_new_field_kind_fails_mypy_at_every_consumer(tmp_path: Path):
    scratch = tmp_path / "repo"
    _scratch_copy(scratch)
    fields = scratch / "addon" / "portrait_spec" / "core" / "fields.py"
    text = fields.read_text(encoding="utf-8")
    assert text.count(UNION) == 1, "fields.py no longer declares the FieldMeta union as this test expects"
    fields.write_text(text.replace(UNION, NEW_KIND + UNION + "    Angle |\n"), encoding="utf-8")

    run = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy_cache")],
                         cwd=scratch, capture_output=True, text=True, timeout=600, check=False)

    errors = [m.groupdict() for m in ERROR.finditer(run.stdout)]
    assert run.returncode == 1 and errors, run.stdout + run.stderr
    others = [e for e in errors if UNHANDLED not in e["message"]]
    assert not others, "errors that are not the unhandled kind:\n" + run.stdout
    unhandled = Counter(e["path"].replace("\\", "/") for e in errors)
    missing = {path: n for path, n in CONSUMERS.items() if unhandled[path] < n}
    assert not missing, f"consumers that mypy did not stop at: {missing}\n{run.stdout}"
