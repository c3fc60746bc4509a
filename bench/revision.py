"""The commit a benchmark measured, recorded beside its figures (one copy for every bench)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def revision(checkout: Path) -> str:
    """The checkout's commit: ``.revision`` in an unpacked one (a baseline), else git's."""
    marker = checkout / ".revision"
    if marker.exists():
        return marker.read_text().strip()
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=checkout,
        check=True,
    ).stdout.strip()
