"""How long building the person takes once Blender has started (goal: under 2 s), each run in
a fresh process.

    .venv/blender-4.5/bin/python bench/person.py [--runs 3]

Each run starts Python, imports ``bpy`` (Blender's start, not timed), then times
``build_subject`` for the seed scene's person into an empty scene: shape targets, rig, pose,
cut, regions, garment, eyes, materials. "first" is the process's first build (the parsed
MakeHuman files come from the temp-folder cache of earlier runs; the first run ever parses the
text and writes that cache, so it is reported apart); "again" a second build in the same
process with another pose (every cache warm). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 2.0


def probe() -> None:
    """One run, in this process: print JSON with the two build times."""
    sys.path.insert(0, str(ROOT / "addon"))
    import bpy

    from portrait_spec.blender.contract import studio_collection
    from portrait_spec.blender.sitter.subject import build_subject
    from portrait_spec.core.toml_io import load_spec

    spec = load_spec(ROOT / "scenes" / "seed_portrait.toml")
    turned = load_spec(ROOT / "scenes" / "seed_portrait.toml", ["subject.pose.head_yaw_deg=-20"])
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    times = []
    for s in (spec, turned):
        start = time.perf_counter()
        build_subject(s, scene, studio_collection(scene))
        bpy.context.view_layer.update()
        times.append(time.perf_counter() - start)
    print(json.dumps({"first": times[0], "again": times[1]}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe()
        return 0
    results = []
    for _ in range(args.runs + 1):  # the first run may fill the temp-folder cache
        out = subprocess.run([sys.executable, __file__, "--probe"], capture_output=True, text=True, check=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    filling, runs = results[0], results[1:]
    first = statistics.median(r["first"] for r in runs)
    again = statistics.median(r["again"] for r in runs)
    print("| person build (seed scene) | seconds |")
    print("| --- | --- |")
    print(f"| first in a process (median of {len(runs)}) | {first:.2f} |")
    print(f"| again, another pose | {again:.2f} |")
    print(f"| first run of all (may parse the data into the cache) | {filling['first']:.2f} |")
    return 0 if first < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
