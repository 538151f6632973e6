"""``python -m portrait_spec ...`` (plain Python for ``prompt``; the bpy wheel for the rest)."""

import sys

from .cli import main

sys.exit(main())
