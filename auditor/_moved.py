"""Old import paths that the CHANGELOG and ``docs/integration.md`` promised, for one minor version.

Version 0.9 put the top-level modules into packages (issue 21). Code that
imports ``auditor.inspection``, ``auditor.isolation``, ``auditor.forked`` or
another moved path still gets the module,
under its old name, with a :class:`DeprecationWarning` naming the new path.
(``auditor.compare`` is the public function; its module was never promised,
and an alias would replace the function on the package when imported.)
A finder on ``sys.meta_path`` answers only for these names, so the top of
the package stays the list of its parts rather than a row of shim files.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType

#: old path -> new path; removed in the next minor version.
MOVED: dict[str, str] = {
    "auditor.cli_audit": "auditor.cli.audit",
    "auditor.cli_batch": "auditor.cli.batch",
    "auditor.cli_compare": "auditor.cli.compare",
    "auditor.cli_rules": "auditor.cli.rules",
    "auditor.cli_service": "auditor.cli.service",
    "auditor.example_report": "auditor.runner.example_report",
    "auditor.forked": "auditor.base.forked",
    "auditor.gcpause": "auditor.base.gcpause",
    "auditor.glyphs": "auditor.base.glyphs",
    "auditor.inspection": "auditor.verdict.inspection",
    "auditor.isolation": "auditor.runner.isolation",
    "auditor.isolation_preload": "auditor.runner.preload",
    "auditor.isolation_reports": "auditor.runner.warm_reports",
    "auditor.limits": "auditor.base.limits",
    "auditor.logs": "auditor.pipeline.logs",
    "auditor.money": "auditor.verdict.money",
    "auditor.outcome": "auditor.verdict.outcome",
    "auditor.owed": "auditor.verdict.owed",
    "auditor.profiles": "auditor.model.profiles",
    "auditor.resources": "auditor.base.resources",
    "auditor.scoring": "auditor.verdict.scoring",
    "auditor.workbook": "auditor.ingest.template",
    "auditor.yamltext": "auditor.base.yamltext",
}


class _Alias(importlib.abc.Loader):
    """Loads an old name as the module at its new path (the same object, not a copy)."""

    def __init__(self, new: str) -> None:
        self.new = new

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        warnings.warn(
            f"{spec.name} moved to {self.new}; the old path goes in the next minor version",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(self.new)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module at the new path is already executed."""


class _MovedFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        new = MOVED.get(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _Alias(new))


def install() -> None:
    """Put the finder on ``sys.meta_path`` once (importing :mod:`auditor` does it)."""
    if not any(isinstance(finder, _MovedFinder) for finder in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
