"""Sweeps, measured: ``.venv/blender-4.5/bin/python bench/sweep.py``. Prints markdown tables:

1. **Sweep against separate renders.** The 9-variant light-only sweep
   ``scenes/sweeps/lighting_grid.toml`` (seed portrait, 256x320, ``preview``): ``portrait_spec
   sweep`` with its default pool, against the same nine variants as nine ``portrait_spec render``
   commands run one after another (each its own process, build and scene sync). Seconds per
   variant, wall clock of the whole command(s). Goal: the sweep at least 1.5x faster.
2. **Dask throughput.** A loopback Dask cluster (scheduler and single-threaded workers on
   127.0.0.1, ``--threads 1``): 12 ``draft`` light-only variants at 256x320 on one worker, then
   on two. Each cluster first renders one warm-up variant per worker, so the timed sweep
   measures the workers' steady state (their Blender processes started, the sitter built). Goal: two workers
   at least 1.7x the throughput of one.
3. **draft against preview.** The seed at 256x320, both presets as ``render`` runs them
   (denoised), render time and RMSE over the subject against the cached unbiased reference
   (``support.reference``), and the RMSE between the two renders; mean of two seeds.

Options: ``--skip sweep,dask,draft``, ``--reference-samples`` (default 512).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "blender_tests"))

import bpy  # noqa: E402
import numpy as np  # noqa: E402
import support  # noqa: E402
from sweep_support import Cluster, done, env, write_sweep  # noqa: E402

from portrait_spec.blender.measure.image_files import read_png  # noqa: E402
from portrait_spec.blender.render.settings import QUALITY, apply_quality  # noqa: E402
from portrait_spec.core.sweep.expand import plan_sweep  # noqa: E402
from portrait_spec.core.sweep.file import read_sweep  # noqa: E402

GRID = ROOT / "scenes" / "sweeps" / "lighting_grid.toml"
SWEEP_GOAL, DASK_GOAL = 1.5, 1.7
DASK_VARIANTS = 12


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cli(*args: str) -> float:
    return _cli_timed(*args)[0]


def _cli_timed(*args: str) -> tuple[float, float]:
    """Wall and CPU seconds of one command (CPU: the process and every worker it waited for), so
    the work a sweep saves shows even when other processes share the cores."""
    started, cpu = time.monotonic(), _children_cpu()
    result = subprocess.run([sys.executable, "-m", "portrait_spec", *args], cwd=ROOT, env=env(),
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"portrait_spec {' '.join(args)} failed:\n{result.stderr}")
    return time.monotonic() - started, _children_cpu() - cpu


def sweep_table(tmp: Path) -> list[str]:
    sweep = read_sweep(GRID)
    plan = plan_sweep(sweep)
    separate = separate_cpu = 0.0
    for i, variant in enumerate(plan.variants):
        sets = [arg for o in (*sweep.overrides, *variant.overrides) for arg in ("--set", o)]
        wall, cpu = _cli_timed("render", str(sweep.base), "--out", str(tmp / f"render-{i}"), *sets)
        separate, separate_cpu = separate + wall, separate_cpu + cpu
    swept, swept_cpu = _cli_timed("sweep", str(GRID), "--out", str(tmp / "sweep"))
    n = len(plan.variants)
    entries = [json.loads(line) for line in (tmp / "sweep" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    mixed_ids = {e["id"] for e in entries if (e.get("timing") or {}).get("mixed_from")}
    mixed = len(mixed_ids)
    # Each sweep image against the render command's image of the same variant, over the subject.
    errors: dict[bool, list[float]] = {True: [], False: []}
    for i, variant in enumerate(plan.variants):
        errors[variant.id in mixed_ids].append(_png_rmse(tmp / "sweep" / "variants" / variant.id, tmp / f"render-{i}"))
    step = _png_rmse(tmp / "render-0", tmp / "render-1")  # one fill step (1 stop) at the same key height
    per_sweep, per_render = swept / n, separate / n
    workers = min(os.cpu_count() or 1, 4)
    return [
        f"**Sweep against separate renders** ({n} light-only variants of the seed, 256x320, preview):",
        "",
        "| how | wall time | per variant | CPU time per variant |",
        "|---|---|---|---|",
        f"| {n} `render` commands, one after another | {separate:.1f} s | {per_render:.1f} s | {separate_cpu / n:.1f} s |",
        f"| `sweep` ({workers} workers x {max(1, (os.cpu_count() or 1) // workers)} thread; "
        f"{n - mixed} rendered, {mixed} mixed: `mix_lights`) | {swept:.1f} s | "
        f"{per_sweep:.1f} s | {swept_cpu / n:.1f} s |",
        "",
        f"The sweep is **{per_render / per_sweep:.2f}x** faster per variant (goal {SWEEP_GOAL}x: "
        f"{'met' if per_render / per_sweep >= SWEEP_GOAL else 'NOT met'}) and uses "
        f"{separate_cpu / max(swept_cpu, 1e-9):.2f}x less CPU time.",
        "",
        "RMSE over the subject between each sweep image and the `render` command's image of the same "
        f"variant (scene-linear): rendered variants {_mean(errors[False]):.5f}, mixed variants "
        f"{_mean(errors[True]):.5f}; for scale, one stop of fill changes the image by {step:.5f}.",
    ]


def _linear_png(path: Path) -> np.ndarray:
    srgb = read_png(path)[..., :3].astype(np.float64) / 255.0
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _png_rmse(a: Path, b: Path) -> float:
    subject = read_png(b / "mask.png")[..., 0] >= 255
    diff = _linear_png(a / "reference.png")[subject] - _linear_png(b / "reference.png")[subject]
    return float(np.sqrt((diff ** 2).mean()))


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


DASK_SWEEP = ('base = "{seed}"\nset = ["render.resolution=[256, 320]", "render.quality=\\"draft\\""]\n'
              '[grid]\n"lights.fill.stops" = [-1, -1.5, -2, -2.5, -3, -3.5]\n"lights.rim.stops" = [-1, 0]\n')
# one warm-up variant per worker, so each has started Blender and built the sitter
WARM_UP = 'base = "{seed}"\nset = ["render.resolution=[256, 320]", "render.quality=\\"draft\\""]\n[grid]\n"lights.fill.stops" = {levels}\n'


def _dask_seconds(tmp: Path, workers: int) -> float:
    folder = tmp / f"dask-{workers}"
    folder.mkdir()
    cluster = Cluster(folder)
    try:
        for _ in range(workers):
            cluster.add_worker()
        cluster.wait_for_workers(workers)
        seed = str(ROOT / "scenes" / "seed_portrait.toml")
        warm = write_sweep(folder / "warm", WARM_UP.format(seed=seed, levels=[-0.5, -0.25, -0.75, -1.25][:workers]))
        _cli("sweep", str(warm), "--out", str(folder / "warm-out"), "--scheduler", cluster.address, "--threads", "1")
        timed = write_sweep(folder / "timed", DASK_SWEEP.format(seed=seed))
        seconds = _cli("sweep", str(timed), "--out", str(folder / "out"), "--scheduler", cluster.address, "--threads", "1")
        assert len(done(folder / "out")) == DASK_VARIANTS
        return seconds
    finally:
        cluster.close()


def dask_table(tmp: Path) -> list[str]:
    one, two = _dask_seconds(tmp, 1), _dask_seconds(tmp, 2)
    ratio = one / two
    return [
        f"**Dask throughput** ({DASK_VARIANTS} draft variants at 256x320, single-threaded workers on 127.0.0.1, after a warm-up):",
        "",
        "| workers | wall time | variants per minute |",
        "|---|---|---|",
        f"| 1 | {one:.1f} s | {60 * DASK_VARIANTS / one:.1f} |",
        f"| 2 | {two:.1f} s | {60 * DASK_VARIANTS / two:.1f} |",
        "",
        f"Two workers give **{ratio:.2f}x** the throughput of one (goal {DASK_GOAL}x: {'met' if ratio >= DASK_GOAL else 'NOT met'}).",
    ]


def _preset(scene: bpy.types.Scene, name: str, seed: int) -> support.Rendered:
    apply_quality(scene, QUALITY[name])
    scene.cycles.use_denoising = True  # render_to_folder denoises in extraction mode too
    scene.cycles.seed = seed
    return support.render(scene)


def draft_table(reference_samples: int) -> list[str]:
    resolution = (256, 320)
    ref = support.reference(resolution, reference_samples)
    scene = support.seed_scene(resolution)
    _preset(scene, "preview", 0)  # warm-up: kernels, BVH and textures
    rows = {}
    between = []
    for seed in (100, 101):
        got = {name: _preset(scene, name, seed) for name in ("draft", "preview")}
        for name, rendered in got.items():
            rows.setdefault(name, []).append((support.rmse(rendered.linear, ref), rendered.seconds, rendered.samples))
        diff = (np.clip(got["draft"].linear, 0, 1) - np.clip(got["preview"].linear, 0, 1)) ** 2
        between.append(float(np.sqrt(diff[ref.subject >= 0.999].mean())))
    lines = [
        f"**draft against preview** (seed scene, 256x320, reference {reference_samples} spp unbiased, mean of 2 seeds):",
        "",
        "| preset | subject RMSE vs reference | render time | samples (most per pixel) |",
        "|---|---|---|---|",
    ]
    for name, trials in rows.items():
        lines.append(f"| `{name}` | {sum(t[0] for t in trials) / 2:.5f} | {sum(t[1] for t in trials) / 2:.1f} s | "
                     f"{'/'.join(str(t[2]) for t in trials)} |")
    lines += ["", f"RMSE between the draft and the preview render over the subject: {sum(between) / 2:.5f} "
              "(scene-linear, clipped to [0, 1]; one 8-bit level is about 0.0033 at mid grey)."]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip", default="", help="comma-separated: sweep, dask, draft")
    parser.add_argument("--reference-samples", type=int, default=512)
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    info = support.machine()
    print(f"Machine: {info['cpus']} x {info['cpu']}, {info['ram_gb']} GB RAM, Blender {info['blender']}, "
          f"load average {info['load_avg_1min']} at the start, {time.strftime('%Y-%m-%d')}\n")
    tmp = Path(tempfile.mkdtemp(prefix="portrait_spec-bench-sweep-"))
    try:
        for name, table in (("sweep", lambda: sweep_table(tmp)), ("dask", lambda: dask_table(tmp)),
                            ("draft", lambda: draft_table(args.reference_samples))):
            if name not in skip:
                print("\n".join(table()) + "\n", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
