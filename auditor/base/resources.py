"""Where the shipped rule files, profiles and report templates live.

The top-level ``rules/`` and ``reports/`` folders of the checkout are the
source of truth. An installed package (a wheel, or the sdist built into
one) carries copies under ``auditor/_data/``, put there by the build step
of ``setup.py``; an editable install and a checkout on ``sys.path`` read
the folders beside the package. A folder found in neither place is a
broken installation, reported as :class:`~auditor.errors.ResourceMissing`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from auditor.errors import ResourceMissing

_PACKAGE = Path(__file__).resolve().parent.parent  # auditor/
#: A file each folder must have, so that an unrelated ``rules/`` beside an installed package
#: (``site-packages/rules``) is never taken for ours.
_MARKERS = {"rules": "pack.yaml", "reports": "report.html.j2"}


def _find(name: str, package: Path = _PACKAGE) -> Path:
    """The shipped folder ``name``: the installed copy first, then the checkout's."""
    for candidate in (package / "_data" / name, package.parent / name):
        if (candidate / _MARKERS[name]).is_file():
            return candidate
    raise ResourceMissing(
        f"the {name} folder that auditor ships was not found in {package / '_data'} nor beside "
        "the package; the installation is incomplete: reinstall auditor"
    )


@cache
def default_rules_dir() -> Path:
    """The shipped rule pack: one YAML file per rule, ``pack.yaml`` and ``profiles/``."""
    return _find("rules")


@cache
def reports_dir() -> Path:
    """Templates, styles and fonts of the inspector report."""
    return _find("reports")
