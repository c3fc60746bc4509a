"""Build step: the wheel carries the rule pack and the report templates as package data.

The checkout keeps ``rules/`` and ``reports/`` at its top level, where rule
authors and report designers work on them; they are the source of truth.
An installed auditor reads them from ``auditor/_data/`` (see
``auditor/resources.py``), so the build copies them there: every wheel,
including one built from the sdist (``MANIFEST.in`` puts both folders in
it), audits and writes its PDF with nothing but itself. An editable
install keeps reading the checkout's folders. Everything else about the
package is in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: Top-level folders shipped inside the package, as ``auditor/_data/<name>``.
SHIPPED = ("rules", "reports")


class BuildPyWithResources(build_py):
    """``build_py``, then the shipped folders copied into the build's ``auditor/_data``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's folders themselves
        for name in SHIPPED:
            target = Path(self.build_lib, "auditor", "_data", name)
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(
                ROOT / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]")
            )
        compile_catalogues(Path(self.build_lib, "auditor", "locale"))
        compile_page_catalogues(Path(self.build_lib, "auditor", "service", "locale"))


def compile_catalogues(locale: Path) -> None:
    """Each ``auditor.po`` under ``locale`` compiled to its ``.mo`` beside it (issue 27).

    Babel is a build requirement (``pyproject.toml``); the ``.mo`` files are
    not in the repository, only built into the wheel (and by ``make setup``).
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(locale.glob("*/LC_MESSAGES/auditor.po")):
        with po.open("rb") as stream:
            catalog = read_po(stream, locale=po.parent.parent.name)
        with po.with_suffix(".mo").open("wb") as stream:
            write_mo(stream, catalog, use_fuzzy=False)


def compile_page_catalogues(locale: Path) -> None:
    """The service pages' ``django.po`` files compiled to ``.mo`` inside the wheel (issue 27),
    by the package's own :mod:`auditor.service.catalogues` (loaded by path: the package is
    not importable while it is being built). Babel is a build requirement."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "_page_catalogues", ROOT / "auditor" / "service" / "catalogues.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.compile_all(locale)


setup(cmdclass={"build_py": BuildPyWithResources})
