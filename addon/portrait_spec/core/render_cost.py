"""What a ``render`` will cost, estimated before it starts, and the limits it must stay under.

Memory grows with the output's pixels: Cycles keeps a float buffer per pass channel (combined,
depth, normal, the denoiser's albedo and normal, three Cryptomatte layers, a noisy copy in
extraction mode), Blender copies the finished result into its render result, and ``render``
reads every pass back through a multilayer EXR into numpy arrays. ``BYTES_PER_PIXEL`` and
``BASE_BYTES`` come from the peak resident memory of ``render`` (bpy 4.5, the seed scene with the
mannequin, 1 sample): 1,541 MiB at 1024x1280 and 3,270 MiB at 2048x2560, so 461 bytes per pixel
over about 1 GiB (the denoiser's buffers and weights, the studio, the sitter's BVH); writing
``reference.exr`` as well added 16 MiB at 2048x2560 (``EXR_BYTES_PER_PIXEL``, rounded up).

Time grows with pixels x samples x variants: ``CORE_SECONDS_PER_SAMPLE`` is the core-seconds one
sample of one pixel took on the seed scene (the README's benchmark: 1024x1280, 128 samples,
239 s on 2 cores), divided by the cores Cycles will use. Adaptive sampling stops many pixels
early, so this is an upper bound.

Limits: the memory estimate must fit in the machine's physical memory, the time estimate in
``MAX_SECONDS`` and a grid in ``MAX_VARIANTS``; beyond them ``render`` refuses unless
``--allow-large`` says the user means it. A local ``sweep`` has no variant limit (a dataset is
meant to be large) but renders ``concurrent`` variants at once, one per worker process, so its
memory estimate is that many of its largest job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .errors import Problem
from .spec import Spec

BASE_BYTES = 2**30
BYTES_PER_PIXEL = 461
EXR_BYTES_PER_PIXEL = 8
CORE_SECONDS_PER_SAMPLE = 239.0 * 2 / (1024 * 1280 * 128)
MAX_SECONDS = 24 * 3600.0
MAX_VARIANTS = 64
ALLOW_FLAG = "--allow-large"
# The quality presets' sample caps (``blender/render/settings.py`` builds its presets on them).
PRESET_SAMPLES: dict[str, int] = {"draft": 16, "preview": 128, "final": 512}


@dataclass(frozen=True, kw_only=True)
class Job:
    """One render of a run: its output size, its sample cap and whether it writes an EXR."""

    width: int
    height: int
    samples: int
    exr: bool


@dataclass(frozen=True, kw_only=True)
class RenderCost:
    jobs: int
    memory_bytes: int  # the largest job's peak, times the jobs rendered at once
    seconds: float  # every job, one after another
    cores: int


def job_for(spec: Spec, quality: str | None = None, exr: bool | None = None) -> Job:
    """The job ``spec`` renders: its resolution, its samples (the preset's cap when 0) and its EXR."""
    samples = spec.render.samples or PRESET_SAMPLES[quality or spec.render.quality]
    return Job(width=spec.render.resolution[0], height=spec.render.resolution[1], samples=samples,
               exr=spec.render.exr if exr is None else exr)


def estimate(jobs: list[Job], cores: int, concurrent: int = 1) -> RenderCost:
    """``concurrent``: jobs rendered at the same time (a sweep's workers), each with its own memory."""
    cores = max(cores, 1)
    largest = max((BASE_BYTES + j.width * j.height * (BYTES_PER_PIXEL + (EXR_BYTES_PER_PIXEL if j.exr else 0))
                   for j in jobs), default=BASE_BYTES)
    memory = largest * max(1, min(concurrent, len(jobs)))
    seconds = sum(j.width * j.height * j.samples * CORE_SECONDS_PER_SAMPLE for j in jobs) / cores
    return RenderCost(jobs=len(jobs), memory_bytes=memory, seconds=seconds, cores=cores)


def machine_memory_bytes() -> int | None:
    """Physical memory (POSIX ``sysconf``: pages x page size); None where the system does not say."""
    try:
        pages, page = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None
    return pages * page if pages > 0 and page > 0 else None


def _gb(n: float) -> str:
    return f"{n / 2**30:.1f} GB"


def _duration(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


def over_limits(cost: RenderCost, memory_total: int | None, max_variants: int | None = MAX_VARIANTS) -> list[Problem]:
    """What in ``cost`` exceeds the machine or the limits, each with the numbers (``max_variants``
    None: no limit on the count, as for a sweep)."""
    problems = []
    override = f"or {ALLOW_FLAG} to render it anyway"
    if max_variants is not None and cost.jobs > max_variants:
        problems.append(Problem("--vary", f"{cost.jobs} variants", f"at most {max_variants} variants, {override}"))
    if memory_total is not None and cost.memory_bytes > memory_total:
        problems.append(Problem("render.resolution", f"a render needing about {_gb(cost.memory_bytes)} of memory",
                                f"a resolution that fits in this machine's {_gb(memory_total)}, {override}"))
    if cost.seconds > MAX_SECONDS:
        problems.append(Problem("render.samples", f"about {_duration(cost.seconds)} of rendering on {cost.cores} cores "
                                f"({cost.jobs} render{'s' if cost.jobs != 1 else ''}, samples x pixels)",
                                f"at most {_duration(MAX_SECONDS)}: fewer samples, pixels or variants, {override}"))
    return problems
