"""Committed samples are the generator's; valid ones validate; the invalid one lists mistakes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import auditor

SAMPLES = Path(__file__).resolve().parent.parent / "sample_audits"


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sample_generator", SAMPLES / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("sample_generator", module)
    spec.loader.exec_module(module)
    return module


def test_committed_samples_are_exactly_what_the_generator_writes(tmp_path: Path) -> None:
    for written in generator().write_all(tmp_path):
        committed = SAMPLES / written.name
        assert written.read_bytes() == committed.read_bytes(), f"run make samples: {written.name}"


@pytest.mark.parametrize("name", ["compliant-agency.xlsx", "agency-with-problems.xlsx"])
def test_valid_samples_validate_cleanly(name: str) -> None:
    report = auditor.validate(SAMPLES / name)
    assert report.errors == []
    assert report.warnings == []


def test_the_invalid_sample_lists_exactly_its_planted_mistakes() -> None:
    report = auditor.validate(SAMPLES / "invalid-workbook.xlsx")
    planted = [f"{sheet}!{cell}" for sheet, cell, _, _ in generator().PLANTED_MISTAKES]
    assert sorted(p.where for p in report.errors) == sorted(planted)
    assert len(report.errors) == 15
