"""Light mixing: which variants of a sweep can be summed from one render instead of each being
path traced (a sweep file's ``mix_lights = true``).

Light transport is linear in each light's power: the image of a scene is the sum of what each
light alone gives (plus what no light gives: the emitting backdrop, the world), so variants
that differ only in the fill's and the rim's levels are one render with the light of each in
its own pass (Cycles light groups), scaled and summed (``blender/render/mix.py``). The stops of
those two lights are all that may differ: every other field moves or shapes something, and the
key's level is fixed at 0 (the exposure follows it).

A group is the variants equal in everything else, in plan order; its first variant is rendered
and the rest are mixed from it, at most ``GROUP_SIZE`` to a group so that a sweep's work still
spreads over its workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..schema import spec_to_data
from .expand import PlannedVariant
from .identity import canonical_json

MIXABLE: tuple[tuple[str, str], ...] = (("fill", "stops"), ("rim", "stops"))
GROUP_SIZE = 16


def mix_key(data: dict[str, Any]) -> str:
    """The spec's plain data without the fields a mix may change, as canonical JSON."""
    lights = {role: dict(light) for role, light in data.get("lights", {}).items()}
    for role, field in MIXABLE:
        lights.get(role, {}).pop(field, None)
    return canonical_json({**data, "lights": lights})


def mix_groups(variants: Sequence[PlannedVariant]) -> list[list[PlannedVariant]]:
    """``variants`` in groups that one render serves: equal ``mix_key``, first-seen order, each
    at most ``GROUP_SIZE`` long; a variant nothing else matches is a group of one."""
    groups: dict[str, list[list[PlannedVariant]]] = {}
    order: list[list[PlannedVariant]] = []
    for variant in variants:
        runs = groups.setdefault(mix_key(spec_to_data(variant.spec)), [])
        if not runs or len(runs[-1]) >= GROUP_SIZE:
            runs.append([])
            order.append(runs[-1])
        runs[-1].append(variant)
    return order
