"""``python -m portrait_spec ...`` (plain Python for ``prompt``; the bpy wheel for the rest)."""

import sys

from .cli import run

run(sys.argv[1:])
