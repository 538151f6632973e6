"""A sweep file expanded into validated variants, each a list of ``--set`` overrides.

A variant is exactly what ``render --set`` would take, so it is validated by the same code with
the same messages, and its overrides can be pasted onto a ``render`` command to redo it. The
grid is expanded by ``core.variants.grid`` (the code behind ``render --vary``); samples come from
``sampling.unit_points`` mapped through each axis.

Overrides apply in this order: the base file, the sweep file's ``set``, the command line's
``--set``, the variant's own values, then the command line's render options (``--quality``,
``--resolution``, ``--samples``), so those win everywhere. Every variant is validated before
anything renders; the first invalid one is reported with every problem it has (exit 2).
Variants whose resolved specs are equal share an id and are rendered once.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem, SpecError
from ..schema import spec_from_data
from ..spec import Spec
from ..toml_io import apply_overrides, read_toml_data, toml_value
from ..variants import grid
from .file import SweepFile
from .identity import variant_id
from .sampling import unit_points


@dataclass(frozen=True)
class PlannedVariant:
    id: str
    overrides: tuple[str, ...]  # the variant's own values, as --set arguments
    spec: Spec  # resolved: every override applied, validated


@dataclass(frozen=True)
class Plan:
    variants: tuple[PlannedVariant, ...]
    duplicates: int  # variants dropped because an earlier one resolved to the same spec


def variant_overrides(sweep: SweepFile) -> list[tuple[str, ...]]:
    """Each variant's own overrides: grid point, then sample (every grid point gets every sample)."""
    axes = [[f"{path}={toml_value(value)}" for value in values] for path, values in sweep.grid]
    points = [variant.overrides for variant in grid(axes)] or [()]
    sampling = sweep.sampling
    if sampling is None:
        return points
    unit = unit_points(sampling.method, sampling.count, len(sampling.axes), sampling.seed)
    samples = [tuple(f"{axis.path}={toml_value(axis.value(u))}" for axis, u in zip(sampling.axes, point, strict=True))
               for point in unit]
    return [point + sample for point in points for sample in samples]


def render_overrides(quality: str | None, resolution: tuple[int, int] | None, samples: int | None) -> list[str]:
    """The command line's render options as overrides (so they are part of each resolved spec)."""
    found = []
    if quality is not None:
        found.append(f"render.quality={toml_value(quality)}")
    if resolution is not None:
        found.append(f"render.resolution={toml_value(list(resolution))}")
    if samples is not None:
        found.append(f"render.samples={samples}")
    return found


def plan_sweep(sweep: SweepFile, overrides: list[str] | None = None, render: list[str] | None = None) -> Plan:
    """Every variant resolved and validated, in sweep order, duplicates dropped."""
    base = apply_overrides(read_toml_data(sweep.base), [*sweep.overrides, *(overrides or [])])
    planned: list[PlannedVariant] = []
    seen: set[str] = set()
    first_error: SpecError | None = None
    failing = 0
    every = variant_overrides(sweep)
    for index, own in enumerate(every):
        label = ", ".join(own) or "the base spec"
        try:
            spec = spec_from_data(apply_overrides(base, [*own, *(render or [])]), f"{sweep.source.name}: variant {index + 1} ({label})")
        except SpecError as exc:
            failing += 1
            first_error = first_error or exc
            continue
        vid = variant_id(spec)
        if vid not in seen:
            seen.add(vid)
            planned.append(PlannedVariant(id=vid, overrides=own, spec=spec))
    if first_error is not None:
        more = [Problem("(sweep)", f"{failing} invalid variants", "every variant valid")] if failing > 1 else []
        raise SpecError([*first_error.problems, *more], first_error.source)
    return Plan(variants=tuple(planned), duplicates=len(every) - len(planned))
