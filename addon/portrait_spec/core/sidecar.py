"""``scene.json``: what a render folder shows, in one file beside the images.

* ``spec``: the resolved spec (every field, defaults filled in) as plain data, exactly what
  ``schema.spec_from_data`` reads back; ``variant``: the ``--vary`` overrides of this folder;
* ``claims``: the prompt's claims (``core.prompt``), each with its path, value and phrase;
* ``measured``: the ``verify`` report when the render was verified, else null;
* ``blender``: the Blender version; ``render``: the Cycles and colour settings actually used
  (quality preset, samples, seed, adaptive threshold, denoiser, ...) and the render's time;
* ``outputs``: each file and how to read it (the depth maps' encodings and ranges in metres, the
  normal convention).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .prompt.claims import Claim
from .schema import spec_from_data, spec_to_data
from .spec import Spec

SCENE_JSON = "scene.json"
FORMAT = "portrait_spec.scene/1"


def sidecar_data(spec: Spec, claims: Iterable[Claim], *, blender_version: str, render: Mapping[str, Any],
                 outputs: Mapping[str, Any], measured: Mapping[str, Any] | None = None,
                 variant: Iterable[str] = ()) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "spec": spec_to_data(spec),
        "variant": list(variant),
        "claims": [claim.to_data() for claim in claims],
        "measured": dict(measured) if measured is not None else None,
        "blender": {"version": blender_version},
        "render": dict(render),
        "outputs": dict(outputs),
    }


def sidecar_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def spec_from_sidecar(data: Mapping[str, Any]) -> Spec:
    """The spec a ``scene.json`` describes, validated like any spec file."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} file")
    return spec_from_data(data["spec"], SCENE_JSON)
