#!/usr/bin/env python3
"""The project's two commands (standard library only; needs Python 3.11 with pip):

    python3 dev.py demo [--out DIR] [--force] [--quality Q] [--resolution WxH] [--samples N]
        Set up .venv/blender-4.5 (the bpy wheel of Blender 4.5 LTS, numpy, pytest, ...), render
        scenes/seed_portrait.toml into DIR (default out/seed_portrait) and print its prompt.

    python3 dev.py test [--step NAME ...] [--list]
        Set up every virtual environment, then run ruff, mypy, the pure tests in a Python with
        no bpy, and the Blender tests on bpy 4.5 and bpy 5.0. Exit 1 if any step fails.

    python3 dev.py bench [ARGS ...]
        Set up .venv/blender-4.5 and run bench/run.py (speed and quality goals; see bench/README.md),
        passing ARGS on. Not part of `test`.

A venv is reused when its stamp file records the same requirements and interpreter, so
reruns skip pip. Delete .venv/NAME to rebuild one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENVS_DIR = ROOT / ".venv"
SEED_SCENE = ROOT / "scenes" / "seed_portrait.toml"
DEFAULT_DEMO_OUT = ROOT / "out" / "seed_portrait"
STAMP_NAME = "portrait_spec_venv.json"
PTH_NAME = "portrait_spec_dev.pth"
TEST_TOOLS = ("pytest>=8", "hypothesis>=6")

# Each venv: its pip requirements. The bpy wheels exist only for CPython 3.11 (bpy 4.5, 5.0).
VENVS: dict[str, tuple[str, ...]] = {
    "blender-4.5": ("bpy==4.5.*", "numpy", *TEST_TOOLS, "pillow"),
    "blender-5.0": ("bpy==5.0.*", "numpy", *TEST_TOOLS, "pillow"),
    # The pure tests prove the core runs without bpy: no bpy here, and the CLI tests also block
    # numpy. pillow and tokenizers only check our PNG text chunks and CLIP token counts.
    "core": (*TEST_TOOLS, "pillow", "tokenizers"),
    # fake-bpy-module provides bpy's type stubs to mypy; it must never meet the pure tests.
    # Pinned so a new release's new rules cannot turn CI red on its own.
    "lint": ("ruff==0.17.*", "mypy==2.4.*", "fake-bpy-module-4-5==20260730", "numpy", *TEST_TOOLS),
}
# Installed without their dependencies: open-clip-torch only for CLIP's BPE merges file, which
# tests/test_prompt_tokens.py reads (never its torch code).
NO_DEPS: dict[str, tuple[str, ...]] = {"core": ("open-clip-torch",)}
# Venvs that run the add-on get addon/ on their path; the lint venv must not (mypy would then
# treat the package as installed and stop reading it as source).
RUNS_ADDON = ("blender-4.5", "blender-5.0", "core")

# Generous per-step limits so one hung render cannot eat CI's 90 minutes.
STEP_TIMEOUT_S = {"ruff": 300, "mypy": 600, "pure-tests": 600, "blender-4.5": 1800, "blender-5.0": 1800}


def say(text: str) -> None:
    print(f"[dev.py] {text}", flush=True)


# ---------------------------------------------------------------- virtual environments

def find_python311() -> str:
    if sys.version_info[:2] == (3, 11):
        return sys.executable
    found = shutil.which("python3.11")
    if found:
        return found
    raise SystemExit("dev.py: Python 3.11 is needed (the bpy wheels are built for CPython 3.11); "
                     "run `python3.11 dev.py ...`")


def venv_python(name: str) -> Path:
    return VENVS_DIR / name / "bin" / "python"


def _stamp_for(name: str, python: str) -> dict[str, object]:
    version = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    return {"requirements": list(VENVS[name]), "no_deps": list(NO_DEPS.get(name, ())), "python": version,
            "addon": str(ROOT / "addon")}


def _read_stamp(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _pip_env() -> dict[str, str]:
    return {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def ensure_venv(name: str) -> Path:
    """Create or update .venv/NAME; reuse it untouched when its stamp matches. Returns its python."""
    base = find_python311()
    venv = VENVS_DIR / name
    python = venv_python(name)
    stamp_path = venv / STAMP_NAME
    wanted = _stamp_for(name, base)
    if python.exists() and _read_stamp(stamp_path) == wanted:
        return python
    if venv.exists() and not python.exists():
        shutil.rmtree(venv)  # a half-made venv: start again
    if not venv.exists():
        say(f"creating .venv/{name}")
        subprocess.run([base, "-m", "venv", str(venv)], check=True)
    heavy = any(req.startswith("bpy") for req in VENVS[name])
    say(f"installing into .venv/{name}: {' '.join(VENVS[name])}" + (" (the bpy wheel is large: first time takes minutes)" if heavy else ""))
    subprocess.run([str(python), "-m", "pip", "install", "-q", *VENVS[name]], check=True, env=_pip_env())
    if NO_DEPS.get(name):
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", *NO_DEPS[name]], check=True, env=_pip_env())
    # The add-on's package lives in addon/; a .pth makes `python -m portrait_spec` work without
    # installing (and so without copying) the code.
    if name in RUNS_ADDON:
        site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
        (Path(site) / PTH_NAME).write_text(str(ROOT / "addon") + "\n", encoding="utf-8")
    stamp_path.write_text(json.dumps(wanted, indent=2) + "\n", encoding="utf-8")
    return python


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
    return StepResult(name, code == 0, seconds, "" if code == 0 else f"exit {code}", counts)


def _python_or_failure(venv: str, results: list[StepResult]) -> Path | None:
    start = time.monotonic()
    try:
        return ensure_venv(venv)
    except (subprocess.CalledProcessError, OSError) as exc:
        results.append(StepResult(f"setup {venv}", False, time.monotonic() - start, str(exc)))
        return None


def test_steps() -> dict[str, tuple[str, list[str], bool]]:
    """name -> (venv, command after the venv's python, runs pytest)."""
    pytest = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=5"]
    return {
        "ruff": ("lint", ["-m", "ruff", "check", "."], False),
        "mypy": ("lint", ["-m", "mypy"], False),
        "pure-tests": ("core", [*pytest, "tests"], True),
        "blender-4.5": ("blender-4.5", [*pytest, "blender_tests"], True),
        "blender-5.0": ("blender-5.0", [*pytest, "blender_tests"], True),
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


def cmd_demo(args: argparse.Namespace) -> int:
    python = str(ensure_venv("blender-4.5"))
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


def cmd_bench(args: argparse.Namespace) -> int:
    python = str(ensure_venv("blender-4.5"))
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
    bench = sub.add_parser("bench", help="set up bpy 4.5 and run the benchmark (bench/run.py)")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER, help="passed to bench/run.py (see --help there)")
    bench.set_defaults(handler=cmd_bench)
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
