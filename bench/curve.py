"""Error against wall time for both sides of the benchmark: Blender's default Cycles settings
given longer and longer time limits, and our ``preview`` preset at rising sample caps. It answers
how much more time the defaults need to reach our error, and how fast denoised error falls with
time on this scene at all (which bounds what any setting can gain at equal time).

    .venv/blender-4.5/bin/python bench/curve.py [--resolution 256x320] [--budgets 5,10,20,40,80]

Prints a markdown table (the one in bench/README.md). Takes about 15 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import support


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resolution", default="256x320")
    parser.add_argument("--reference-samples", type=int, default=512)
    parser.add_argument("--budgets", default="5,10,20,40,80", help="seconds of sampling for Blender's defaults")
    parser.add_argument("--caps", default="32,128,512,2048", help="sample caps for our preview")
    parser.add_argument("--seed", type=int, default=100)
    args = parser.parse_args()
    resolution = tuple(int(v) for v in args.resolution.split("x"))
    print(f"machine: {support.machine()}", flush=True)
    ref = support.reference(resolution, args.reference_samples)  # type: ignore[arg-type]
    scene = support.seed_scene(resolution)  # type: ignore[arg-type]
    defaults = support.blender_defaults()
    support.preview(scene, 0)  # warm-up
    rows: list[tuple[str, float, float, int | None]] = []
    for budget in (float(b) for b in args.budgets.split(",")):
        support.apply_cycles(scene, {**defaults, "time_limit": budget, "seed": args.seed})
        got = support.trial(scene, ref)
        rows.append((f"Blender's defaults, time limit {budget:g} s", got.rmse, got.seconds, got.samples))
        print(f"  {rows[-1]}", flush=True)
    for cap in (int(c) for c in args.caps.split(",")):
        got = support.preview(scene, args.seed, ref, samples=cap)
        rows.append((f"ours: `preview`, cap {cap}", got.rmse, got.seconds, got.samples))
        print(f"  {rows[-1]}", flush=True)
    print(f"\n### Error against wall time, {args.resolution}, reference {args.reference_samples} spp\n")
    print("| settings | subject RMSE | wall s | samples (most per pixel) |\n|---|---|---|---|")
    for name, err, seconds, samples in rows:
        print(f"| {name} | {err:.5f} | {seconds:.1f} | {samples} |")
    sys.stdout.flush()
    os._exit(0)  # bpy 4.5 can hang at exit (see blender_tests/conftest.py)


if __name__ == "__main__":
    main()
