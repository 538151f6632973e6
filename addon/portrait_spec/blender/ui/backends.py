"""The builders the operators call, looked up by name so a missing one greys out its button.

Each entry names a module under ``portrait_spec.blender`` and a function in it. The operators
stay thin: they resolve the panel's spec, call one of these, and report.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

BLENDER_PACKAGE = __package__.removesuffix(".ui")

# key -> (module under the blender package, function, what it is for the poll message)
BACKENDS = MappingProxyType({
    "build": ("build", "build_scene", "the studio builder"),
    "skin": ("materials.skin", "skin_material", "the skin material"),
    "gold": ("materials.gold", "gold_material", "the gold material"),
    "chain": ("chain", "build_chain", "the chain builder"),
    "render": ("commands", "render_to_folder", "the reference renderer"),
    "verify": ("commands", "verify_scene", "the scene verifier"),
    "readback": ("readback", "spec_from_scene", "reading a spec from the scene"),
    "prompt": ("core.prompt", "build_prompts", "the prompt writer"),
})


def module_name(key: str) -> str:
    module = BACKENDS[key][0]
    if module.startswith("core."):
        return BLENDER_PACKAGE.removesuffix(".blender") + "." + module
    return f"{BLENDER_PACKAGE}.{module}"


def available(key: str) -> bool:
    try:
        return importlib.util.find_spec(module_name(key)) is not None
    except ModuleNotFoundError:  # a parent package (e.g. blender.materials) is missing
        return False


def missing_message(key: str) -> str:
    return f"Needs {BACKENDS[key][2]} ({module_name(key)}), which is not installed yet"


def load(key: str) -> Callable[..., Any]:
    _, function, _ = BACKENDS[key]
    return getattr(importlib.import_module(module_name(key)), function)  # type: ignore[no-any-return]
