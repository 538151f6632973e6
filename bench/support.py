"""Shared pieces of the benchmarks: the seed scene, timed renders to numpy, the cached
high-sample reference and the error measure. Run inside Blender's Python (the bpy wheel)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addon"))

import bpy  # noqa: E402
import numpy as np  # noqa: E402

from portrait_spec.blender.api import build_fresh  # noqa: E402
from portrait_spec.blender.contract import objects_with_role  # noqa: E402
from portrait_spec.blender.measure.probe import quiet_stdout  # noqa: E402
from portrait_spec.blender.render.passes import coverages  # noqa: E402
from portrait_spec.blender.render.progress import RenderProgress  # noqa: E402
from portrait_spec.blender.render.reference import read_render_result  # noqa: E402
from portrait_spec.blender.render.settings import QUALITY, apply_quality  # noqa: E402
from portrait_spec.core.toml_io import load_spec  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
EQUAL_TIME_SLACK = 0.10  # wall times within 10 % count as equal; the tables show both
SEED_SCENE = ROOT / "scenes" / "seed_portrait.toml"

# The Cycles settings that trade time for noise, as a new scene has them (read, not assumed).
CYCLES_KEYS = (
    "samples", "use_adaptive_sampling", "adaptive_threshold", "adaptive_min_samples", "time_limit",
    "use_denoising", "denoiser", "denoising_input_passes", "denoising_prefilter", "denoising_quality",
    "use_light_tree", "use_guiding", "use_surface_guiding", "use_volume_guiding",
    "caustics_reflective", "caustics_refractive", "sample_clamp_direct", "sample_clamp_indirect", "blur_glossy",
    "max_bounces", "diffuse_bounces", "glossy_bounces", "transmission_bounces", "transparent_max_bounces",
    "volume_bounces", "sampling_pattern", "seed",
)


def blender_defaults() -> dict[str, Any]:
    scene = bpy.data.scenes.new("PS_Bench_Defaults")
    try:
        return {k: getattr(scene.cycles, k) for k in CYCLES_KEYS if hasattr(scene.cycles, k)}
    finally:
        bpy.data.scenes.remove(scene)


def apply_cycles(scene: bpy.types.Scene, values: dict[str, Any]) -> None:
    for key, value in values.items():
        setattr(scene.cycles, key, value)


def seed_scene(resolution: tuple[int, int], overrides: list[str] | None = None) -> bpy.types.Scene:
    spec = load_spec(SEED_SCENE, overrides or [])
    with quiet_stdout():
        scene = build_fresh(spec)
    scene.cycles.device = "CPU"
    scene.render.resolution_x, scene.render.resolution_y = resolution
    scene.render.resolution_percentage = 100
    return scene


@dataclass
class Rendered:
    linear: np.ndarray  # (h, w, 3)
    seconds: float  # wall time of the render call: sync, sampling, denoising
    samples: int | None
    subject: np.ndarray | None = None  # (h, w) coverage, when asked for


def render(scene: bpy.types.Scene, *, with_mask: bool = False) -> Rendered:
    layer = scene.view_layers[0]
    layer.use_pass_cryptomatte_object = with_mask
    progress = RenderProgress(1)  # only to read the samples Cycles reached (a time limit stops early)
    with tempfile.TemporaryDirectory() as tmp, quiet_stdout(), progress.watching():
        started = time.monotonic()
        bpy.ops.render.render(write_still=False)
        seconds = time.monotonic() - started
        image = read_render_result(scene, Path(tmp))
    combined = image.find("Combined.R").removesuffix("R")
    samples = progress.samples_seen[0] if progress.samples_seen else None
    subject = None
    if with_mask:
        names = [o.name for o in objects_with_role(scene, "cyclorama")]
        subject = coverages(image, names)[0]
    return Rendered(image.layer(combined, "RGB"), seconds, samples, subject)


def reference_settings(samples: int, seed: int) -> dict[str, Any]:
    """Unbiased: no clamping, no glossy filter, caustics on, no adaptive stop, no denoiser."""
    return {
        "samples": samples, "use_adaptive_sampling": False, "use_denoising": False, "time_limit": 0.0,
        "sample_clamp_direct": 0.0, "sample_clamp_indirect": 0.0, "blur_glossy": 0.0,
        "caustics_reflective": True, "caustics_refractive": True, "use_guiding": False, "use_light_tree": True,
        "max_bounces": 32, "diffuse_bounces": 8, "glossy_bounces": 8, "transmission_bounces": 32,
        "transparent_max_bounces": 16, "seed": seed,
    }


@dataclass
class Reference:
    linear: np.ndarray  # mean of two independent halves
    noise_mse: np.ndarray  # per-pixel variance of that mean, estimated from the halves
    subject: np.ndarray  # subject coverage
    seconds: float


def reference(resolution: tuple[int, int], samples: int) -> Reference:
    """The high-sample reference (two halves with different seeds), cached in bench/.cache."""
    key = hashlib.sha1(json.dumps([bpy.app.version_string, SEED_SCENE.read_text(), list(resolution), samples,
                                   sorted(reference_settings(samples, 0).items())]).encode()).hexdigest()[:16]
    path = CACHE / f"reference-{key}.npz"
    if path.exists():
        data = np.load(path)
        return Reference(data["linear"], data["noise_mse"], data["subject"], float(data["seconds"]))
    scene = seed_scene(resolution)
    halves = []
    seconds = 0.0
    for seed in (1, 2):
        apply_cycles(scene, reference_settings(samples // 2, seed))
        halves.append(render(scene, with_mask=seed == 1))
        seconds += halves[-1].seconds
    a, b = (np.clip(h.linear, 0.0, 1.0) for h in halves)
    ref = Reference((a + b) / 2.0, ((a - b) ** 2) / 4.0, halves[0].subject, seconds)  # type: ignore[arg-type]
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, linear=ref.linear, noise_mse=ref.noise_mse, subject=ref.subject, seconds=seconds)
    return ref


def rmse(image: np.ndarray, ref: Reference, region: str = "subject") -> float:
    """RMSE of scene-linear RGB clipped to [0, 1] (what an 8-bit Standard-view PNG can show),
    with the reference's own noise subtracted from the mean squared error."""
    err = (np.clip(image, 0.0, 1.0) - ref.linear) ** 2
    floor = np.broadcast_to(ref.noise_mse, err.shape)
    pick = ref.subject >= 0.999 if region == "subject" else np.ones(ref.subject.shape, bool)
    mse = float(err[pick].mean() - floor[pick].mean())
    return float(np.sqrt(max(mse, 0.0)))


@dataclass
class Trial:
    rmse: float
    seconds: float
    samples: int | None


def preview(scene: bpy.types.Scene, seed: int, ref: Reference | None = None, samples: int = 0) -> Trial:
    """Our ``preview`` preset as ``render`` runs it (``samples`` > 0 replaces its cap)."""
    apply_quality(scene, QUALITY["preview"], samples=samples)
    scene.cycles.use_denoising = True  # render_to_folder denoises in extraction mode too
    scene.cycles.seed = seed
    return trial(scene, ref)


def trial(scene: bpy.types.Scene, ref: Reference | None = None) -> Trial:
    got = render(scene)
    return Trial(rmse(got.linear, ref) if ref is not None else float("nan"), got.seconds, got.samples)


def defaults_in(scene: bpy.types.Scene, defaults: dict[str, Any], seconds: float, seed: int, ref: Reference) -> Trial:
    """Blender's defaults given ``seconds`` of wall time: Cycles' time limit covers sampling only,
    so the fixed cost (sync, denoising) is measured first and the limit is what is left."""
    apply_cycles(scene, {**defaults, "samples": 1, "seed": seed})
    fixed = trial(scene).seconds
    budget = max(seconds - fixed, 0.2)
    for _ in range(3):
        apply_cycles(scene, {**defaults, "time_limit": budget, "seed": seed})
        got = trial(scene, ref)
        if abs(got.seconds - seconds) <= EQUAL_TIME_SLACK * seconds:
            break
        budget = max(budget + seconds - got.seconds, 0.2)
    return got


def equal_time(scene: bpy.types.Scene, defaults: dict[str, Any], ref: Reference, seeds: range,
               samples: int = 0) -> tuple[list[Trial], list[Trial]]:
    """For each seed, our ``preview`` (``samples`` > 0 replaces its cap), then Blender's defaults
    given the wall time it took."""
    ours, theirs = [], []
    for seed in seeds:
        ours.append(preview(scene, seed, ref, samples=samples))
        theirs.append(defaults_in(scene, defaults, ours[-1].seconds, seed, ref))
    return ours, theirs


def mean(trials: list[Trial], key: str) -> float:
    return sum(getattr(t, key) for t in trials) / len(trials)


def machine() -> dict[str, str]:
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as fh:
        mem_kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
    load = os.getloadavg()
    return {"cpus": str(os.cpu_count()), "cpu": model, "ram_gb": f"{mem_kb / 1024 / 1024:.1f}",
            "blender": bpy.app.version_string, "load_avg_1min": f"{load[0]:.2f}"}
