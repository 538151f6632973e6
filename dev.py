#!/usr/bin/env python3
"""The project's two commands (standard library only; needs Python 3.11 with pip, and
Python 3.13 for the Blender 5.x steps):

    python3 dev.py demo [--out DIR] [--force] [--quality Q] [--resolution WxH] [--samples N]
        Set up .venv/blender-4.5 (the bpy wheel of Blender 4.5 LTS, numpy, pytest, ...), render
        scenes/seed_portrait.toml into DIR (default out/seed_portrait) and print its prompt.

    python3 dev.py test [--step NAME ...] [--list]
        Set up every virtual environment, then run ruff, mypy against the 4.5 and the 5.2 API
        stubs, the pure tests in a Python with no bpy, and the Blender tests on bpy 4.5 LTS
        (Python 3.11), 5.2 LTS and 5.3 (Python 3.13). Exit 1 if any step fails; a skipped
        test fails its step.

    python3 dev.py bench [ARGS ...]
        Set up .venv/blender-4.5 and run bench/run.py (speed and quality goals; see bench/README.md),
        passing ARGS on. Not part of `test`.

    python3 dev.py lock [--venv NAME ...]
        Pin what pip resolves today for each venv into requirements/NAME.txt (commit the result).

What each venv installs is a dependency group in pyproject.toml, pinned exactly (transitive
packages too) by requirements/NAME.txt, which pip reads as constraints. A venv is reused when its
stamp file records the same requirements, pins and interpreter, so reruns skip pip. Delete
.venv/NAME to rebuild one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENVS_DIR = ROOT / ".venv"
SEED_SCENE = ROOT / "scenes" / "seed_portrait.toml"
DEFAULT_DEMO_OUT = ROOT / "out" / "seed_portrait"
STAMP_NAME = "portrait_spec_venv.json"
PTH_NAME = "portrait_spec_dev.pth"
PYPROJECT = ROOT / "pyproject.toml"
LOCKS_DIR = ROOT / "requirements"

# Per-step limits: a hung render fails its step (with its output) instead of running into CI's own
# 90-minute limit unreported. A normal run on the 2-core machine takes about 70 minutes: the venvs'
# set-up and the checks about 10, each Blender step 19 to 24 (4.5 took 1,151 s at 8b63d97), so a
# Blender step gets 30 minutes: room for a slower version without hiding a hang for long.
STEP_TIMEOUT_S = {"ruff": 60, "mypy": 180, "mypy-5.2": 180, "typing-tests": 120, "pure-tests": 240,
                  "blender-4.5": 1800, "blender-5.2": 1800, "blender-5.3": 1800}


def say(text: str) -> None:
    print(f"[dev.py] {text}", flush=True)


# ---------------------------------------------------------------- virtual environments

class SetupError(Exception):
    """A venv cannot be made; the message says what to do, ``short`` fits the summary table."""

    def __init__(self, message: str, short: str = "") -> None:
        super().__init__(message)
        self.short = short or message


def normalized(name: str) -> str:
    """A package or dependency-group name as PEP 503/735 compare them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return normalized(re.split(r"[\s\[<>=!~;@]", requirement, maxsplit=1)[0])


@dataclass(frozen=True)
class Venv:
    """One of pyproject.toml's [tool.portrait-spec.venvs]."""

    name: str
    python: str  # "3.11"
    requirements: tuple[str, ...]  # its dependency group, include-groups expanded
    no_deps: tuple[str, ...]
    addon: bool

    @property
    def lock(self) -> Path:
        return LOCKS_DIR / f"{self.name}.txt"


def _group(groups: dict[str, list[object]], name: str, seen: tuple[str, ...] = ()) -> list[str]:
    """A PEP 735 dependency group with its include-groups expanded (pip reads groups itself
    only from 25.1 on; the venvs' own pip is older)."""
    by_name = {normalized(key): value for key, value in groups.items()}
    key = normalized(name)
    if key not in by_name:
        raise SetupError(f"pyproject.toml has no dependency group {name!r}")
    if key in seen:
        raise SetupError(f"dependency group {name!r} includes itself")
    out: list[str] = []
    for item in by_name[key]:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and isinstance(item.get("include-group"), str):
            out += [r for r in _group(groups, item["include-group"], (*seen, key)) if r not in out]
        else:
            raise SetupError(f"dependency group {name!r}: {item!r} is neither a requirement nor an include-group")
    return out


def load_venvs() -> dict[str, Venv]:
    with PYPROJECT.open("rb") as fh:
        data = tomllib.load(fh)
    groups = data["dependency-groups"]
    return {name: Venv(name=name, python=str(table["python"]), requirements=tuple(_group(groups, name)),
                       no_deps=tuple(table.get("no-deps", ())), addon=bool(table.get("addon", False)))
            for name, table in data["tool"]["portrait-spec"]["venvs"].items()}


def _version_of(python: str) -> str | None:
    """``major.minor.micro`` of an interpreter, or None when it does not run (a pyenv shim of a
    version that pyenv has but has not selected exits 127)."""
    try:
        done = subprocess.run([python, "-c", "import sys; print('.'.join(map(str, sys.version_info[:3])))"],
                              capture_output=True, text=True, timeout=60, check=False)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def find_python(version: str) -> str | None:
    """A working CPython ``version`` ("3.13"): this one, ``pythonX.Y`` on PATH, or pyenv's."""
    if f"{sys.version_info[0]}.{sys.version_info[1]}" == version:
        return sys.executable
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    pyenv = shutil.which("pyenv") or shutil.which("pyenv", path=str(pyenv_root / "bin"))
    if pyenv:
        prefix = subprocess.run([pyenv, "prefix", version], capture_output=True, text=True, check=False)
        if prefix.returncode == 0 and prefix.stdout.strip():
            candidates.append(str(Path(prefix.stdout.strip().splitlines()[0]) / "bin" / f"python{version}"))
    for candidate in candidates:
        found = _version_of(candidate) if candidate else None
        if found is not None and found.rsplit(".", 1)[0] == version:
            return candidate
    return None


def base_python(venv: Venv) -> str:
    found = find_python(venv.python)
    if found is None:
        raise SetupError(
            f"Python {venv.python} is needed for .venv/{venv.name} (pyproject.toml's [tool.portrait-spec.venvs]; "
            f"the bpy wheels of Blender 4.5 exist for CPython 3.11 only, those of 5.x for 3.13 only) and none was "
            f"found: no working `python{venv.python}` on PATH and no `pyenv prefix {venv.python}`. Install CPython "
            f"{venv.python} with its venv module, e.g. `pyenv install {venv.python}`, or `apt-get install "
            f"python{venv.python} python{venv.python}-venv` where your distribution has it, then rerun.",
            f"no Python {venv.python}: install it (see above)")
    return found


def venv_python(name: str) -> Path:
    return VENVS_DIR / name / "bin" / "python"


def read_lock(venv: Venv) -> dict[str, str]:
    """Normalized name -> exact version, from requirements/NAME.txt."""
    try:
        text = venv.lock.read_text(encoding="utf-8")
    except OSError as exc:
        raise SetupError(f"{venv.lock.relative_to(ROOT)} is missing: run `python3 dev.py lock --venv {venv.name}`") from exc
    pins: dict[str, str] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            pins[normalized(name)] = version.strip()
    return pins


def _stamp_for(venv: Venv, python: str) -> dict[str, object]:
    return {"requirements": list(venv.requirements), "no_deps": list(venv.no_deps), "python": _version_of(python),
            "lock": [f"{k}=={v}" for k, v in sorted(read_lock(venv).items())],
            "addon": str(ROOT / "addon") if venv.addon else None}


def _read_stamp(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _pip_env() -> dict[str, str]:
    return {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _installed(python: Path) -> dict[str, str]:
    frozen = subprocess.run([str(python), "-m", "pip", "freeze", "--all"], capture_output=True, text=True,
                            check=True, env=_pip_env()).stdout
    return {normalized(k): v for k, v in (line.split("==", 1) for line in frozen.splitlines() if "==" in line)}


def ensure_venv(name: str) -> Path:
    """Create or update .venv/NAME with exactly its locked packages; reuse it untouched when its
    stamp matches. Returns its python. Raises SetupError saying what is missing."""
    venv = load_venvs()[name]
    base = base_python(venv)
    folder = VENVS_DIR / name
    python = venv_python(name)
    stamp_path = folder / STAMP_NAME
    wanted = _stamp_for(venv, base)
    if python.exists() and _read_stamp(stamp_path) == wanted:
        return python
    if folder.exists() and _version_of(str(python)) != wanted["python"]:
        shutil.rmtree(folder)  # half made, or made from another interpreter: start again
    new = not folder.exists()
    if new:
        say(f"creating .venv/{name} with Python {wanted['python']}")
        subprocess.run([base, "-m", "venv", str(folder)], check=True)
    constraints = ["-c", str(venv.lock)]
    heavy = new and any(_requirement_name(r) == "bpy" for r in venv.requirements)
    say(f"installing into .venv/{name}: {' '.join(venv.requirements)} (pinned by {venv.lock.relative_to(ROOT)})"
        + (" (the bpy wheel is large: the first download takes minutes)" if heavy else ""))
    subprocess.run([str(python), "-m", "pip", "install", "-q", *constraints, *venv.requirements], check=True, env=_pip_env())
    if venv.no_deps:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", *constraints, *venv.no_deps],
                       check=True, env=_pip_env())
    locked, installed = read_lock(venv), _installed(python)
    for tool in ("pip", "setuptools", "wheel"):  # the interpreter's, put there by the venv module
        if tool not in locked:
            installed.pop(tool, None)
    if installed != locked:
        unpinned = sorted(f"{k}=={v}" for k, v in installed.items() if locked.get(k) != v)
        absent = sorted(f"{k}=={v}" for k, v in locked.items() if installed.get(k) != v)
        raise SetupError(f".venv/{name} does not hold exactly {venv.lock.relative_to(ROOT)}: installed but not so pinned: "
                         f"{', '.join(unpinned) or '-'}; pinned but not installed: {', '.join(absent) or '-'}. After "
                         f"changing pyproject.toml's groups run `python3 dev.py lock --venv {name}`; packages left from "
                         f"an older lock go with `rm -r .venv/{name}`.",
                         f"not exactly {venv.lock.relative_to(ROOT)} (see above)")
    # The add-on's package lives in addon/; a .pth makes `python -m portrait_spec` work without
    # installing (and so without copying) the code.
    if venv.addon:
        site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
        (Path(site) / PTH_NAME).write_text(str(ROOT / "addon") + "\n", encoding="utf-8")
    stamp_path.write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
    return python


def _resolve(python: str, requirements: tuple[str, ...], *flags: str) -> dict[str, str]:
    """What pip would install today for ``requirements`` into an empty venv of ``python``
    (metadata only: nothing is installed)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([python, "-m", "pip", "install", "-q", "--dry-run", "--ignore-installed", "--report", str(report),
                        *flags, *requirements], check=True, env=_pip_env())
        items = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {item["metadata"]["name"]: item["metadata"]["version"] for item in items}


def write_lock(venv: Venv) -> Path:
    python = base_python(venv)
    pins = _resolve(python, venv.requirements)
    if venv.no_deps:
        pins.update(_resolve(python, venv.no_deps, "--no-deps"))
    lines = [f"# .venv/{venv.name} (Python {venv.python}): the exact version of every package that pyproject.toml's",
             f"# dependency group {normalized(venv.name)} and no-deps list install; dev.py passes this file to pip as",
             "# constraints. Written by `python3 dev.py lock`: rerun it and commit to move a pin.",
             *(f"{name}=={version}" for name, version in sorted(pins.items(), key=lambda kv: normalized(kv[0])))]
    LOCKS_DIR.mkdir(exist_ok=True)
    venv.lock.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return venv.lock


# ---------------------------------------------------------------- running steps

@dataclass
class StepResult:
    name: str
    ok: bool
    seconds: float
    detail: str = ""
    counts: dict[str, int] = field(default_factory=dict)


_COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)\b")


def pytest_counts(output: str) -> dict[str, int]:
    """Counts from pytest's closing line (the last line that names any)."""
    for line in reversed(output.splitlines()):
        found = _COUNT.findall(line)
        if found and (" in " in line or line.startswith("=")):
            counts: dict[str, int] = {}
            for number, word in found:
                key = "error" if word.startswith("error") else word
                counts[key] = counts.get(key, 0) + int(number)
            return counts
    return {}


def run_streaming(cmd: list[str], timeout_s: float, env: dict[str, str] | None = None) -> tuple[int, str, bool]:
    """Run ``cmd`` from the repo root, echoing its output live; returns (code, output, timed_out)."""
    lines: list[str] = []
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, errors="replace", start_new_session=True)

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, 9)  # the step's own process group: the child and whatever it started
        proc.wait()
    reader.join(timeout=10)
    return proc.returncode, "".join(lines), timed_out


def run_step(name: str, cmd: list[str], *, is_pytest: bool) -> StepResult:
    say(f"step {name}: {' '.join(cmd)}")
    start = time.monotonic()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    code, output, timed_out = run_streaming(cmd, STEP_TIMEOUT_S.get(name, 1800), env)
    seconds = time.monotonic() - start
    counts = pytest_counts(output) if is_pytest else {}
    if timed_out:
        return StepResult(name, False, seconds, f"timed out after {STEP_TIMEOUT_S.get(name, 1800)} s", counts)
    if is_pytest and code == 5:
        return StepResult(name, False, seconds, "no tests ran", counts)
    problems = [] if code == 0 else [f"exit {code}"]
    # A test that did not run proved nothing, so it fails the step even when pytest exits 0.
    if counts.get("skipped"):
        problems.append(f"{counts['skipped']} skipped: a skip is a missing proof")
    if counts.get("xfailed"):
        problems.append(f"{counts['xfailed']} xfailed: an expected failure is a missing proof")
    return StepResult(name, not problems, seconds, "; ".join(problems), counts)


def _python_or_failure(venv: str, results: list[StepResult]) -> Path | None:
    """The venv's python, set up first; its set-up is a row of the summary, failed with the
    reason when the venv cannot be made."""
    start = time.monotonic()
    try:
        python = ensure_venv(venv)
    except SetupError as exc:
        say(f"setup {venv} FAILED: {exc}")
        results.append(StepResult(f"setup {venv}", False, time.monotonic() - start, exc.short))
        return None
    except (subprocess.CalledProcessError, OSError) as exc:
        results.append(StepResult(f"setup {venv}", False, time.monotonic() - start, str(exc)))
        return None
    results.append(StepResult(f"setup {venv}", True, time.monotonic() - start))
    return python


def test_steps() -> dict[str, tuple[str, list[str], bool]]:
    """name -> (venv, command after the venv's python, runs pytest)."""
    pytest = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=5"]
    return {
        "ruff": ("lint", ["-m", "ruff", "check", "."], False),
        "mypy": ("lint", ["-m", "mypy"], False),
        # The Blender layer against the 5.x API stubs, as the Python that Blender 5.x runs.
        "mypy-5.2": ("lint-5.2", ["-m", "mypy", "--python-version", "3.13"], False),
        # Adding a field kind must fail mypy until every consumer handles it: runs mypy, so lint's venv.
        "typing-tests": ("lint", [*pytest, "tests/typing"], True),
        "pure-tests": ("core", [*pytest, "tests"], True),
        "blender-4.5": ("blender-4.5", [*pytest, "blender_tests"], True),
        "blender-5.2": ("blender-5.2", [*pytest, "blender_tests"], True),
        "blender-5.3": ("blender-5.3", [*pytest, "blender_tests"], True),
    }


def summarize(results: list[StepResult]) -> int:
    passed = failed = skipped = 0
    rows = []
    for r in results:
        c = r.counts
        # As pytest judges them: an unexpected pass passes; an expected failure proves nothing yet.
        passed += c.get("passed", 0) + c.get("xpassed", 0)
        skipped += c.get("skipped", 0) + c.get("xfailed", 0)
        step_failed = c.get("failed", 0) + c.get("error", 0)
        # A failing step that is not a test count (lint, setup, a crash) counts as one failure,
        # so the closing line never says "0 failed" for a failing run.
        failed += step_failed if step_failed or r.ok else 1
        tests = ", ".join(f"{v} {k}" for k, v in c.items()) or "-"
        rows.append((r.name, "ok" if r.ok else "FAILED", tests, f"{r.seconds:.1f}s", r.detail))
    head = ("step", "result", "tests", "time", "detail")
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    print()
    for row in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print()
    ok = all(r.ok for r in results) and bool(results)
    print(f"summary: {passed} passed, {failed} failed, {skipped} skipped", flush=True)
    return 0 if ok else 1


def cmd_test(args: argparse.Namespace) -> int:
    steps = test_steps()
    if args.list:
        for name, (venv, cmd, _) in steps.items():
            print(f"{name:12} .venv/{venv}/bin/python {' '.join(cmd)}")
        return 0
    chosen = args.step or list(steps)
    unknown = [s for s in chosen if s not in steps]
    if unknown:
        raise SystemExit(f"dev.py: unknown step {', '.join(unknown)}; steps: {', '.join(steps)}")
    results: list[StepResult] = []
    pythons: dict[str, Path | None] = {}
    for name in chosen:
        venv = steps[name][0]
        if venv not in pythons:
            pythons[venv] = _python_or_failure(venv, results)
    for name in chosen:
        venv, cmd, is_pytest = steps[name]
        python = pythons[venv]
        if python is None:
            results.append(StepResult(name, False, 0.0, f"no .venv/{venv}"))
            continue
        results.append(run_step(name, [str(python), *cmd], is_pytest=is_pytest))
    return summarize(results)


_SAMPLE = re.compile(r"Sample (\d+)/(\d+)")


def run_quietly(cmd: list[str]) -> int:
    """Run a render, passing its output through except Cycles' per-tile status lines, which
    become one progress line every few seconds."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    assert proc.stdout is not None
    last = 0.0
    for line in proc.stdout:
        if not line.startswith("Fra:"):
            sys.stdout.write(line)
            continue
        sample = _SAMPLE.search(line)
        now = time.monotonic()
        if sample and (now - last > 10.0 or sample.group(1) == sample.group(2)):
            say(f"rendering: sample {sample.group(1)} of {sample.group(2)}")
            last = now
    return proc.wait()


def demo_python() -> str:
    try:
        return str(ensure_venv("blender-4.5"))
    except SetupError as exc:
        raise SystemExit(f"dev.py: {exc}") from exc


def cmd_demo(args: argparse.Namespace) -> int:
    python = demo_python()
    out: Path = args.out.resolve() if args.out is not None else DEFAULT_DEMO_OUT
    render = [python, "-m", "portrait_spec", "render", str(SEED_SCENE), "--out", str(out)]
    # The default folder belongs to the demo, so rerunning it replaces the last demo's files.
    if args.force or args.out is None:
        render.append("--force")
    for flag in ("quality", "resolution", "samples"):
        if getattr(args, flag) is not None:
            render += [f"--{flag}", str(getattr(args, flag))]
    say("rendering " + " ".join(render[2:]))
    code = run_quietly(render)
    if code != 0:
        say(f"render failed (exit {code})")
        return code
    prompt = subprocess.run([python, "-m", "portrait_spec", "prompt", str(SEED_SCENE)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if prompt.returncode != 0:
        sys.stderr.write(prompt.stderr)
        say(f"prompt failed (exit {prompt.returncode})")
        return prompt.returncode
    pngs = sorted(out.glob("**/*.png"))
    print()
    print(f"Rendered into {out}: " + (", ".join(p.name for p in pngs) if pngs else "no PNG files"))
    print("Prompt:")
    print(prompt.stdout.rstrip())
    if not pngs:
        say("the render command wrote no PNG")
        return 1
    return 0


def cmd_lock(args: argparse.Namespace) -> int:
    venvs = load_venvs()
    chosen = args.venv or list(venvs)
    unknown = [name for name in chosen if name not in venvs]
    if unknown:
        raise SystemExit(f"dev.py: unknown venv {', '.join(unknown)}; venvs: {', '.join(venvs)}")
    for name in chosen:
        say(f"resolving .venv/{name}'s dependency group")
        try:
            path = write_lock(venvs[name])
        except SetupError as exc:
            raise SystemExit(f"dev.py: {exc}") from exc
        say(f"wrote {path.relative_to(ROOT)}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    python = demo_python()
    return subprocess.run([python, str(ROOT / "bench" / "run.py"), *args.bench_args], cwd=ROOT, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="set up bpy 4.5, render the seed portrait and print its prompt")
    demo.add_argument("--out", type=Path, help=f"output folder (default {DEFAULT_DEMO_OUT.relative_to(ROOT)})")
    demo.add_argument("--force", action="store_true", help="write into a non-empty output folder")
    demo.add_argument("--quality", choices=("preview", "final"))
    demo.add_argument("--resolution", metavar="WxH")
    demo.add_argument("--samples", type=int)
    demo.set_defaults(handler=cmd_demo)
    test = sub.add_parser("test", help="set up every venv and run lint, type checks and all tests")
    test.add_argument("--step", action="append", help="run only this step (repeatable); see --list")
    test.add_argument("--list", action="store_true", help="list the steps and their commands")
    test.set_defaults(handler=cmd_test)
    lock = sub.add_parser("lock", help="pin what pip resolves today for each venv into requirements/NAME.txt")
    lock.add_argument("--venv", action="append", help="only this venv (repeatable)")
    lock.set_defaults(handler=cmd_lock)
    bench = sub.add_parser("bench", help="set up bpy 4.5 and run the benchmark (bench/run.py)")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER, help="passed to bench/run.py (see --help there)")
    bench.set_defaults(handler=cmd_bench)
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
