"""Our standard output kept for our own output, with Blender's C-level printing sent to stderr.

Blender and Cycles print straight to file descriptor 1 (``Read blend: ...``, ``Info: Saved ...``,
Cycles' device warnings on 5.x such as ``CUEW initialization failed``), so a command whose output
is data (``verify --json``, the sweep worker's protocol) would carry their lines too. Pointing
descriptor 1 at stderr and keeping a duplicate of the real stdout for ourselves keeps that data
clean whatever Blender prints.
"""

from __future__ import annotations

import os
import sys
from typing import IO


def private_stdout() -> IO[str]:
    """The real stdout as a new line-buffered stream; descriptor 1 becomes stderr from now on."""
    sys.stdout.flush()
    channel = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    return channel
