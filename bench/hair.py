"""What hair costs a preview render: ``.venv/blender-4.5/bin/python bench/hair.py``.

The seed portrait (default framing, its person with scalp hair, eyebrows and eyelashes) built
once, rendered with the ``preview`` preset as ``render`` runs it (denoised) at a small size:
with everything, without the lashes, and without any hair (the three hair-curves objects hidden
from the render: the same build, nothing else changes). Renders alternate between the variants
so a change in the shared machine's load hits them alike; one warm-up render first (kernel and
BVH caches). Prints a markdown table of the median wall time of the render call (sync, sampling,
denoising) and the median CPU time of this process over it (all of Cycles' threads: on a shared
machine the wall time follows the others' load, the CPU time much less), each against no hair,
and the strand counts. Goal: hair at most 1.5x slower (in CPU time).

Options: ``--resolution`` (default 256x320), ``--repeats`` (default 3).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys

import bpy
from support import machine, preview, seed_scene

from portrait_spec.blender.measure.head import person_part

GOAL = 1.5
HAIR_PARTS = ("person_hair", "person_brows", "person_lashes")
VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("no hair", HAIR_PARTS),
    ("hair and brows, no lashes", ("person_lashes",)),
    ("hair, brows and lashes", ()),
)


def strands(scene: bpy.types.Scene) -> dict[str, int]:
    out = {}
    for part in HAIR_PARTS:
        obj = person_part(scene, part)
        out[part] = len(obj.data.curves) if obj is not None and isinstance(obj.data, bpy.types.Curves) else 0
    return out


def show(scene: bpy.types.Scene, hidden: tuple[str, ...]) -> None:
    for part in HAIR_PARTS:
        obj = person_part(scene, part)
        if obj is not None:
            obj.hide_render = part in hidden


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resolution", default="256x320")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    w, h = (int(v) for v in args.resolution.split("x"))
    scene = seed_scene((w, h))
    counts = strands(scene)
    show(scene, ())
    preview(scene, 0)  # warm-up
    times: dict[str, list[float]] = {name: [] for name, _ in VARIANTS}
    cpu: dict[str, list[float]] = {name: [] for name, _ in VARIANTS}
    for seed in range(args.repeats):
        for name, hidden in VARIANTS:
            show(scene, hidden)
            started = cpu_seconds()
            times[name].append(preview(scene, seed).seconds)
            cpu[name].append(cpu_seconds() - started)
    base, base_cpu = statistics.median(times["no hair"]), statistics.median(cpu["no hair"])
    info = machine()
    print(f"Hair in a preview render: seed portrait, {w}x{h}, preview preset, median of {args.repeats} "
          f"({info['cpus']} x {info['cpu']}, Blender {info['blender']}, load {info['load_avg_1min']})\n")
    print("| render | strands | wall s | vs no hair | CPU s | vs no hair |")
    print("|---|---|---|---|---|---|")
    for name, hidden in VARIANTS:
        shown = sum(n for part, n in counts.items() if part not in hidden)
        seconds, spent = statistics.median(times[name]), statistics.median(cpu[name])
        print(f"| {name} | {shown:,} | {seconds:.1f} | {seconds / base:.2f}x | {spent:.1f} | {spent / base_cpu:.2f}x |")
    ratio = statistics.median(cpu["hair, brows and lashes"]) / base_cpu
    print(f"\nGoal: at most {GOAL}x: {'met' if ratio <= GOAL else 'NOT met'} ({ratio:.2f}x); "
          f"strands per part: {', '.join(f'{k} {v:,}' for k, v in counts.items())}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
