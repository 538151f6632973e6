"""How the quality presets were chosen: each Cycles setting changed alone from Blender's
defaults, every variant given the same wall-clock budget (Cycles' time limit), error measured
against the cached high-sample reference; then our preview preset at several sample caps, each
against Blender's defaults given the same wall time.

    .venv/blender-4.5/bin/python bench/tune.py [--resolution 256x320] [--budget 20] [--repeats 2]

Prints two markdown tables (the ones in bench/README.md). Takes about 20 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import support

ABLATIONS: dict[str, dict[str, Any]] = {
    "Blender defaults": {},
    "caustics off": {"caustics_reflective": False, "caustics_refractive": False},
    "path guiding on": {"use_guiding": True},
    "light tree off": {"use_light_tree": False},
    "clamp indirect 3 (default 10)": {"sample_clamp_indirect": 3.0},
    "clamp indirect off": {"sample_clamp_indirect": 0.0},
    "filter glossy 0 (default 1)": {"blur_glossy": 0.0},
    "bounces 8/3/4/8 (default 12/4/4/12)": {"max_bounces": 8, "diffuse_bounces": 3, "glossy_bounces": 4,
                                            "transmission_bounces": 8},
    "bounces 4/2/2/4": {"max_bounces": 4, "diffuse_bounces": 2, "glossy_bounces": 2, "transmission_bounces": 4},
    "adaptive threshold 0.02 (default 0.01)": {"adaptive_threshold": 0.02},
    "adaptive threshold 0.05": {"adaptive_threshold": 0.05},
    "adaptive threshold 0.1": {"adaptive_threshold": 0.1},
    "sampling pattern tabulated Sobol": {"sampling_pattern": "TABULATED_SOBOL"},
    "sampling pattern blue noise": {"sampling_pattern": "BLUE_NOISE"},
    "denoise quality balanced (default high)": {"denoising_quality": "BALANCED"},
    "denoise prefilter fast": {"denoising_prefilter": "FAST"},
    "no denoiser": {"use_denoising": False},
}
SKIN_BURLEY = "skin subsurface Christensen-Burley (sitter uses Random Walk Skin)"


def _skin_nodes() -> list[Any]:
    import bpy

    return [n for m in bpy.data.materials if m.node_tree for n in m.node_tree.nodes
            if n.bl_idname == "ShaderNodeBsdfPrincipled" and getattr(n, "subsurface_method", "") == "RANDOM_WALK_SKIN"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resolution", default="256x320")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds of sampling per variant")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--reference-samples", type=int, default=512)
    parser.add_argument("--sweep", default="64,128,256", help="sample caps for the preview sweep")
    args = parser.parse_args()
    resolution = tuple(int(v) for v in args.resolution.split("x"))
    print(f"machine: {support.machine()}", flush=True)
    ref = support.reference(resolution, args.reference_samples)  # type: ignore[arg-type]
    print(f"reference: {args.reference_samples} spp in {ref.seconds:.0f} s", flush=True)
    scene = support.seed_scene(resolution)  # type: ignore[arg-type]
    defaults = support.blender_defaults()
    variants = {**ABLATIONS, SKIN_BURLEY: {}}
    results: dict[str, list[tuple[float, float, int | None]]] = {name: [] for name in variants}
    for repeat in range(args.repeats):
        for name, change in variants.items():
            support.apply_cycles(scene, {**defaults, **change, "time_limit": args.budget, "seed": 100 + repeat})
            skin = _skin_nodes() if name == SKIN_BURLEY else []
            for node in skin:
                node.subsurface_method = "BURLEY"
            got = support.render(scene)
            for node in skin:
                node.subsurface_method = "RANDOM_WALK_SKIN"
            results[name].append((support.rmse(got.linear, ref), got.seconds, got.samples))
            print(f"  {name}: rmse {results[name][-1][0]:.5f} in {got.seconds:.1f} s, {got.samples} spp", flush=True)
    base = sum(r[0] for r in results["Blender defaults"]) / args.repeats
    print(f"\n### Equal time ({args.budget:g} s of sampling), {args.resolution}, subject RMSE\n")
    print("| change from Blender's defaults | RMSE (linear, clipped) | vs defaults | wall s | samples |")
    print("|---|---|---|---|---|")
    for name, runs in results.items():
        err = sum(r[0] for r in runs) / len(runs)
        secs = sum(r[1] for r in runs) / len(runs)
        spp = [r[2] for r in runs]
        print(f"| {name} | {err:.5f} | {err / base:.2f}x | {secs:.1f} | {'/'.join(str(s) for s in spp)} |")

    print(f"\n### Preview preset by sample cap, against Blender's defaults in the same wall time, {args.resolution}\n")
    print("| preview cap | RMSE ours | RMSE defaults | defaults / ours | wall s (ours / defaults) |")
    print("|---|---|---|---|---|")
    for samples in (int(s) for s in args.sweep.split(",")):
        ours, theirs = support.equal_time(scene, defaults, ref, range(300, 300 + args.repeats), samples=samples)
        mine, other = support.mean(ours, "rmse"), support.mean(theirs, "rmse")
        print(f"| {samples} | {mine:.5f} | {other:.5f} | {other / mine:.2f}x | "
              f"{support.mean(ours, 'seconds'):.1f} / {support.mean(theirs, 'seconds'):.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
