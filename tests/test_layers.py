"""The shape of the package: its public surface and which layer may import what."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import auditor

PACKAGE = Path(auditor.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules() -> dict[str, set[str]]:
    return {path.relative_to(PACKAGE).as_posix(): _imports(path) for path in PACKAGE.rglob("*.py")}


def test_the_public_surface_is_sorted_and_real() -> None:
    assert auditor.__all__ == sorted(auditor.__all__)
    for name in auditor.__all__:
        value = getattr(auditor, name)
        assert value.__doc__, f"auditor.{name} needs a docstring"


def test_only_the_adapter_imports_the_rule_engine_and_only_the_pdf_module_weasyprint() -> None:
    for module, imports in _modules().items():
        if any(name.split(".")[0] in ("durable", "durable_rules_engine") for name in imports):
            assert module == "engine/durable_adapter.py", module
        if any(name.split(".")[0] == "weasyprint" for name in imports):
            assert module == "render/pdf.py", module


def test_data_moves_forward_only() -> None:
    later = {
        "ingest/": ("auditor.engine", "auditor.enrich", "auditor.render", "auditor.pipeline"),
        "model/": (
            "auditor.ingest",
            "auditor.api",
            "auditor.engine",
            "auditor.enrich",
            "auditor.render",
            "auditor.pipeline",
        ),
        "enrich/": ("auditor.engine", "auditor.render", "auditor.pipeline"),
        "engine/": ("auditor.render", "auditor.pipeline"),
    }
    for module, imports in _modules().items():
        for prefix, forbidden in later.items():
            if module.startswith(prefix):
                bad = {name for name in imports if name.startswith(forbidden)}
                assert not bad, f"{module} imports {sorted(bad)}"


def test_the_reports_depend_on_the_inspection_not_on_the_pipeline_or_command_line() -> None:
    """``Inspection`` lives below both: the renderers never reach up to who made it."""
    above = ("auditor.pipeline", "auditor.cli", "auditor.isolation", "auditor.api")
    for module, imports in _modules().items():
        if module.startswith("render/") or module == "inspection.py":
            bad = {name for name in imports if name.startswith(above)}
            assert not bad, f"{module} imports {sorted(bad)}"


def test_inspection_is_one_class_wherever_it_is_imported_from() -> None:
    from auditor import inspection, pipeline

    assert auditor.Inspection is pipeline.Inspection is inspection.Inspection


def test_a_command_starts_without_openpyxl_or_weasyprint() -> None:
    """Only the template and the findings workbook write spreadsheets, only PDFs need
    WeasyPrint: importing either at start cost every command (and worker) their import time."""
    probe = "import sys, auditor.cli, auditor.pipeline; print(sorted(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = {name.split(".")[0] for name in done.stdout.strip()[1:-1].replace("'", "").split(", ")}
    assert "auditor" in loaded
    assert not loaded & {"openpyxl", "weasyprint", "PIL"}


def test_column_letters_are_openpyxl_s() -> None:
    from openpyxl.utils.cell import get_column_letter

    from auditor.model.cellref import column_letters

    for number in range(1, 18_279):  # A to ZZZ, all openpyxl names
        assert column_letters(number) == get_column_letter(number)
