"""Reports of the samples, rendered once per test session (a PDF takes seconds)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from auditor.pipeline import Inspection, inspect_records
from auditor.render import Copy, render_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"
PROBLEMS = SAMPLES / "agency-with-problems.xlsx"
COMPLIANT = SAMPLES / "compliant-agency.xlsx"


@cache
def inspection_of(path: Path) -> Inspection:
    return inspect_records(path)


@cache
def pdf_of(path: Path, copy: Copy = Copy.INSPECTOR) -> bytes:
    return render_pdf(inspection_of(path), copy)
