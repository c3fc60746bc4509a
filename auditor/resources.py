"""Where the shipped rule files, profiles and report templates live.

The top-level ``rules/`` and ``reports/`` directories are the source of
truth. In a checkout (and an editable install) they sit beside the
package; a built wheel carries copies under ``auditor/_data``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from auditor.profiles import ProfileSet, load_profiles

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE.parent / name, _PACKAGE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the {name}/ directory of auditor was not found beside the package")


@cache
def default_rules_dir() -> Path:
    """The shipped rule pack: one YAML file per rule, and ``profiles/``."""
    return _find("rules")


@cache
def reports_dir() -> Path:
    """Templates and styles of the inspector report."""
    return _find("reports")


def default_profiles() -> ProfileSet:
    return load_profiles(default_rules_dir())
