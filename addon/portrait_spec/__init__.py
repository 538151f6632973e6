"""Portrait Spec: one scene specification, a Cycles studio that matches it, and the prompt that
is true of its render.

The package imports ``bpy`` only inside register()/unregister(), so ``portrait_spec.core`` and
the ``prompt`` command run in a plain Python.
"""

from __future__ import annotations


def register() -> None:
    from .blender.ui import registration

    registration.register()


def unregister() -> None:
    from .blender.ui import registration

    registration.unregister()
