"""The version of the installed auditor package, read from its metadata.

One source of truth: ``pyproject.toml``'s ``version``, as the installer
recorded it. Results cite it as ``engine_version``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("auditor")
except PackageNotFoundError:  # pragma: no cover - a source tree on sys.path, never installed
    __version__ = "0+unknown"
