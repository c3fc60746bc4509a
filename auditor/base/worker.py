"""The name of an isolated audit's worker process, known to every layer.

The fork server's preload and the collector's freeze act only in such a
worker (never in a caller's process); both sit below the runner that names
the process, so the name lives here, at the bottom.
"""

from __future__ import annotations

import multiprocessing

#: The name of every isolated audit's worker process.
WORKER_NAME = "auditor-isolated"


def in_isolated_worker() -> bool:
    """Whether this process is an isolated audit's worker (not a caller, a test or a server)."""
    return multiprocessing.current_process().name == WORKER_NAME
