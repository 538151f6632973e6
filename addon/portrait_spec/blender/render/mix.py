"""A light mix: the reference outputs of a variant that differs from one already rendered only in
its lights' levels (``core.sweep.mix`` says which variants those are), summed from that render's
light passes instead of path traced again.

The base render keeps each studio light's contribution in its own pass (Cycles light groups:
https://docs.blender.org/manual/en/latest/render/layers/passes.html#light-groups), the
undenoised image and the denoiser's albedo and normal guides. Light transport is linear in a
light's power, so the variant's undenoised image is the base's plus ``(s - 1)`` times each
light's pass, ``s`` its energy over the base's (what no light gives, the emitting backdrop, stays
as it is); it is then denoised as Cycles would have (``denoise.py``), and the extraction
backdrop restored, exactly as for a render. Depth, normal and mask are the base's: nothing moved.

Where a mix differs from rendering the variant: the noise (the base's paths, importance-sampled
for the base's powers; adaptive sampling stopped where the base converged) and Cycles' sample
clamp, applied to each light's contribution at the base's power. ``blender_tests/test_light_mix``
measures the difference against a render of the variant. A light that changed in anything but
its energy (moved, resized, retinted) cannot be mixed: ``mixable`` says so and the caller
renders.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bpy
import numpy as np

from ...core.spec import Spec
from ..contract import objects_with_role
from ..narrow import RigLight, cycles_of, rig_light
from .denoise import denoise
from .passes import Passes, restore_backdrop
from .progress import RenderProgress
from .reference import RenderRequest, render_passes, write_outputs

ROLES: tuple[str, ...] = ("key", "fill", "rim")
GROUP_PREFIX = "portrait_spec_"
# A light's state is its settable properties but these: the energy (what a mix changes), the
# name and tag (bookkeeping that does not render), and the node switch (our lights have no node
# tree, ``compat.light_nodes_off``; 5.x deprecates reading it).
NOT_STATE = frozenset({"energy", "name", "tag", "use_nodes"})


@dataclass(frozen=True, kw_only=True)
class LightLayers:
    """What a base render keeps for the variants mixed from it."""
    passes: Passes  # depth, normal, mask and backdrop coverage
    noisy: np.ndarray  # (h, w, 4) Combined before denoising
    groups: dict[str, np.ndarray]  # role -> (h, w, 3) that light's contribution
    albedo: np.ndarray | None  # denoiser guides, when the render was denoised
    normal: np.ndarray | None
    energies: dict[str, float]  # role -> the light's energy in the render
    state: dict[str, tuple[Any, ...]]  # role -> everything else about the light
    info: dict[str, Any]  # the render's settings for scene.json
    prefilter: str
    quality: str


def _lights(scene: bpy.types.Scene) -> dict[str, bpy.types.Object]:
    return {role: found[0] for role in ROLES
            if len(found := objects_with_role(scene, role)) == 1 and isinstance(found[0].data, RigLight)}


def _values(struct: Any) -> tuple[Any, ...]:
    out: list[Any] = []
    for prop in struct.bl_rna.properties:
        if prop.is_readonly or prop.identifier in NOT_STATE or prop.type in {"POINTER", "COLLECTION"}:
            continue
        value = getattr(struct, prop.identifier)
        out.append((prop.identifier, tuple(value) if getattr(prop, "is_array", False) else value))
    return tuple(out)


def _state(obj: bpy.types.Object) -> tuple[Any, ...]:
    light = rig_light(obj)
    cycles = getattr(light, "cycles", None)
    return (tuple(np.round(np.array(obj.matrix_world), 7).ravel().tolist()), obj.hide_render,
            _values(light), _values(cycles) if cycles is not None else ())


def _energy(obj: bpy.types.Object) -> float:
    return float(rig_light(obj).energy)


@contextlib.contextmanager
def light_groups(scene: bpy.types.Scene) -> Iterator[dict[str, str]]:
    """Each studio light in a light group of its own on the first view layer for one render
    (role -> group name); the lights and the view layer are restored afterwards."""
    view_layer = scene.view_layers[0]
    lights = _lights(scene)
    saved = {role: obj.lightgroup for role, obj in lights.items()}
    added = []
    try:
        for role, obj in lights.items():
            name = GROUP_PREFIX + role
            if view_layer.lightgroups.get(name) is None:
                added.append(view_layer.lightgroups.add(name=name))
            obj.lightgroup = name
        yield {role: GROUP_PREFIX + role for role in lights}
    finally:
        for role, obj in lights.items():
            obj.lightgroup = saved[role]
        for group in reversed(added):
            view_layer.lightgroups.remove(group)


def render_base(scene: bpy.types.Scene, spec: Spec, out_dir: Path, request: RenderRequest,
                progress: RenderProgress) -> tuple[list[Path], LightLayers]:
    """Render ``scene`` with its lights in passes of their own, write the variant's own folder
    (the same files as ``reference.write_folder``), and keep what mixing needs."""
    with light_groups(scene) as groups:
        passes, info, image = render_passes(scene, spec, request, progress, keep_noisy=True)
    files = write_outputs(scene, spec, out_dir, request, passes, info)
    combined = image.find("Combined.R").removesuffix("R")
    noisy_r = [n for n in image.channels if n.endswith("Noisy Image.R")]
    denoised = info["denoiser"] is not None
    cycles = cycles_of(scene)
    lights = _lights(scene)
    layers = LightLayers(
        passes=passes,
        noisy=image.layer(noisy_r[0].removesuffix("R"), "RGBA") if noisy_r else image.layer(combined, "RGBA"),
        groups={role: image.layer(image.find(f"Combined_{name}.R").removesuffix("R"), "RGB") for role, name in groups.items()},
        albedo=image.layer(image.find("Denoising Albedo.R").removesuffix("R"), "RGB") if denoised else None,
        normal=image.layer(image.find("Denoising Normal.X").removesuffix("X"), "XYZ") if denoised else None,
        energies={role: _energy(obj) for role, obj in lights.items()},
        state={role: _state(obj) for role, obj in lights.items()},
        info=info, prefilter=str(cycles.denoising_prefilter),
        quality=str(getattr(cycles, "denoising_quality", "HIGH")),  # 4.1+: not in the 4.5 stubs
    )
    return files, layers


def mixable(scene: bpy.types.Scene, layers: LightLayers) -> bool:
    """Whether ``scene``'s lights differ from the base render's in their energies only (and none
    is lit that was off there: its pass is empty)."""
    lights = _lights(scene)
    return set(lights) == set(layers.groups) and all(
        _state(obj) == layers.state[role] and (layers.energies[role] > 0.0 or _energy(obj) == 0.0)
        for role, obj in lights.items())


def write_mixed(scene: bpy.types.Scene, spec: Spec, out_dir: Path, request: RenderRequest, layers: LightLayers,
                mixed_from: str) -> list[Path]:
    """The outputs of ``spec`` (the scene already updated to it, ``mixable``) summed from ``layers``."""
    started = time.monotonic()
    scales = {role: _energy(obj) / layers.energies[role] for role, obj in _lights(scene).items()
              if layers.energies[role] > 0.0}
    noisy = layers.noisy.copy()
    for role, scale in scales.items():
        if scale != 1.0:
            noisy[..., :3] += (scale - 1.0) * layers.groups[role]
    noisy[..., :3] = np.maximum(noisy[..., :3], 0.0)  # float rounding of a light scaled towards 0
    linear = noisy.copy()
    if layers.albedo is not None and layers.normal is not None:
        linear[..., :3] = denoise(noisy[..., :3], layers.albedo, layers.normal,
                                  prefilter=layers.prefilter, quality=layers.quality)
    base = layers.passes
    passes = Passes(linear=linear, noisy=noisy[..., :3] if layers.albedo is not None else None, depth=base.depth,
                    normal_world=base.normal_world, mask=base.mask, backdrop=base.backdrop)
    if spec.background.mode == "extraction":
        passes.linear = restore_backdrop(passes, spec.background.color.linear)
    info = {**layers.info, "render_seconds": round(time.monotonic() - started, 3),
            "light_mix": {"mixed_from": mixed_from, "scales": {role: round(s, 6) for role, s in sorted(scales.items())},
                          "denoised_sum": layers.albedo is not None}}
    return write_outputs(scene, spec, out_dir, request, passes, info)
