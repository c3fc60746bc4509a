"""The shape of the package: its public surface and which layer may import what."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import auditor

PACKAGE = Path(auditor.__file__).resolve().parent


ROOT = PACKAGE.parent
#: The modules that belong at the top of the package; everything else lives in a part.
TOP_MODULES = {"__init__.py", "__main__.py", "_moved.py", "api.py", "errors.py", "version.py"}


def test_the_public_surface_is_sorted_and_real() -> None:
    assert auditor.__all__ == sorted(auditor.__all__)
    for name in auditor.__all__:
        value = getattr(auditor, name)
        assert value.__doc__, f"auditor.{name} needs a docstring"


def test_the_top_of_the_package_is_its_list_of_parts() -> None:
    modules = {path.name for path in PACKAGE.glob("*.py")}
    assert modules == TOP_MODULES
    for part in PACKAGE.iterdir():
        if part.is_dir() and not part.name.startswith(("_", ".")) and any(part.glob("*.py")):
            init = part / "__init__.py"
            assert init.is_file(), f"{part.name} is not a package"
            assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), part.name


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the package at ``tree`` with this checkout's contracts."""
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        check=False,  # the planted imports expect it to fail
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )


def test_the_import_contracts_hold() -> None:
    done = _lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        # a circle: the model reaching up to the pipeline that uses it
        ("model/enums.py", "import auditor.pipeline.run", "Layers"),
        # a second importer of the rule engine
        ("enrich/facts.py", "import durable_rules_engine", "durable-rules"),
        ("render/html.py", "import weasyprint", "WeasyPrint"),
        ("verdict/scoring.py", "import django", "never imports Django"),
        # the batch and the service reaching into each other
        ("batch/rows.py", "import auditor.service.jobs", "Layers"),
        # issuing: pyHanko outside its signing module; the renderers reaching up to it
        ("issuing/verify.py", "import pyhanko.sign", "pyHanko"),
        ("render/view.py", "import auditor.issuing.make", "Layers"),
    ],
)
def test_a_planted_import_breaks_a_contract(
    tmp_path: Path, module: str, planted: str, contract: str
) -> None:
    shutil.copytree(PACKAGE, tmp_path / "auditor", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "auditor" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{planted}\n", encoding="utf-8")
    done = _lint_imports(tmp_path)
    assert done.returncode != 0
    broken = done.stdout[done.stdout.index("Broken contracts") :]
    assert contract in broken, broken


def test_the_old_import_paths_still_work_with_a_warning() -> None:
    """CHANGELOG 0.8 promised ``auditor.inspection``, ``auditor.isolation``, ``auditor.forked``."""
    probe = (
        "import warnings; warnings.simplefilter('error'); import auditor\n"
        "from auditor.verdict.inspection import Inspection\n"
        "try:\n    import auditor.inspection\nexcept DeprecationWarning as w: print(w)\n"
        "warnings.simplefilter('ignore'); import auditor.inspection, auditor.isolation\n"
        "print(auditor.inspection.Inspection is Inspection, callable(auditor.compare))\n"
        "print(hasattr(auditor.isolation, 'start_fork_server'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.splitlines() == [
        "auditor.inspection moved to auditor.verdict.inspection; "
        "the old path goes in the next minor version",
        "True True",
        "True",
    ]


def test_inspection_is_one_class_wherever_it_is_imported_from() -> None:
    from auditor.pipeline import run as pipeline
    from auditor.verdict import inspection

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
    assert not loaded & {"openpyxl", "weasyprint", "PIL", "pyhanko"}


def test_column_letters_are_openpyxl_s() -> None:
    from openpyxl.utils.cell import get_column_letter

    from auditor.model.cellref import column_letters

    for number in range(1, 18_279):  # A to ZZZ, all openpyxl names
        assert column_letters(number) == get_column_letter(number)
