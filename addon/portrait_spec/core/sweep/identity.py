"""Names derived from a resolved spec: a sweep variant's id, and the key of what the sitter
depends on (a studio whose key is unchanged need not rebuild its sitter).

Both hash the spec's plain data as canonical JSON (keys sorted, no whitespace, UTF-8), the form
``schema.spec_to_data`` gives and ``spec_from_data`` reads back, so equal specs have equal ids on
every machine and Python version.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..schema import spec_to_data
from ..spec import Spec

ID_HEX_DIGITS = 16  # 64 bits: a collision among a million variants has odds of about 3e-8
# The sections the sitter, its materials and the chain never read; every other section (subject,
# skin, jewelry and any section added later) is part of the sitter's key, so a new field rebuilds
# the sitter until it is known not to matter.
NOT_SITTER = ("camera", "lights", "background", "render", "prompt")


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _digest(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def variant_id(spec: Spec) -> str:
    """The first 16 hex digits of the SHA-256 of the resolved spec's canonical JSON."""
    return _digest(spec_to_data(spec))[:ID_HEX_DIGITS]


def subject_key(spec: Spec, spec_dir: str = "") -> str:
    """A digest of what the sitter and the chain are built from; ``spec_dir`` resolves a model file."""
    data = spec_to_data(spec)
    key = {"spec_dir": spec_dir, **{name: value for name, value in data.items() if name not in NOT_SITTER}}
    if spec.subject.kind == "person":
        # The person's eyes look at the camera and its body is cut below the frame.
        key["camera"] = data["camera"]
        key["resolution"] = data["render"]["resolution"]
    return _digest(key)
