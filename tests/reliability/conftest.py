"""The distinct workbooks of :mod:`tests.reliability.books`, and their serial results."""

from __future__ import annotations

from pathlib import Path

import pytest

import auditor
from tests.reliability.books import write_variants

#: Longest any single wait in these tests may last before it counts as a hang. A guard
#: against a test that never ends, never a measure: nothing here asserts on time.
HANG_GUARD_S = 120


@pytest.fixture(scope="session")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Eight real workbooks written with openpyxl, by name."""
    return write_variants(tmp_path_factory.mktemp("variants"))


@pytest.fixture(scope="session")
def serial(variants: dict[str, Path]) -> dict[str, str]:
    """Each variant's result document from one audit at a time, in this process."""
    return {name: auditor.audit(path).to_json() for name, path in variants.items()}
