"""Sheets read out of order, validated in order: the same dataset and the same problems.

The reader parses the largest sheet first, on a thread of its own, and
surveys it in a forked copy when it is large (:mod:`auditor.ingest.loader`).
These tests make every sheet "large" so the small workbooks here take that
path, and compare it with the plain one (one parser, every survey in a
thread): the records, and every problem of a workbook over a limit, must
not depend on which sheet a thread finished first. A copy that dies leaves
the survey to this process.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from auditor.base import forked
from auditor.base.limits import DEFAULT_LIMITS, Limits
from auditor.errors import LimitExceeded
from auditor.ingest import loader
from auditor.ingest.load import load
from auditor.ingest.survey import survey
from tests.builders import base_book, write_book


def _many_fees(path: Path, fees: int = 400) -> Path:
    """A valid book whose Fees sheet is by far its largest part."""
    book = base_book()
    template = book["Fees"][0]
    book["Fees"] = [{**template, "fee_id": f"F{n}"} for n in range(fees)]
    return write_book(path, book)


def _read(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, list[str]]:
    try:
        dataset, report = load(path, limits=limits)
    except LimitExceeded as refused:
        return None, ["LimitExceeded", *(str(p) for p in refused.problems)]
    return dataset, [str(p) for p in (*report.errors, *report.warnings)]


@pytest.fixture
def plain(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Read as before: one parser, every survey in this process."""

    def read(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, list[str]]:
        with monkeypatch.context() as patch:
            patch.setattr(loader, "_PARSERS", 1)
            patch.setattr(loader, "SURVEY_APART_FROM", 1 << 62)
            return _read(path, limits)

    return read


@pytest.fixture
def copies(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every survey large enough for a copy; the copies made are counted."""
    made: list[int] = []
    real = forked.Copy

    def counted(there: Any) -> Any:
        made.append(1)
        return real(there)

    monkeypatch.setattr(loader, "SURVEY_APART_FROM", 1)
    monkeypatch.setattr(forked, "Copy", counted)
    return made


def _dumped(dataset: Any) -> Any:
    return dataset.model_dump(mode="json") if dataset is not None else None


def test_the_largest_sheet_surveyed_apart_reads_as_before(
    tmp_path: Path, plain: Any, copies: list[int]
) -> None:
    path = _many_fees(tmp_path / "fees.xlsx")
    before, before_problems = plain(path)
    assert forked.can_fork(), "this test needs a second core and no other thread"
    after, after_problems = _read(path)
    assert copies == [1]
    assert after is not None
    assert len(after.fees) == 400
    assert _dumped(after) == _dumped(before)
    assert after_problems == before_problems


def test_a_copy_that_dies_leaves_the_survey_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plain: Any, copies: list[int]
) -> None:
    path = _many_fees(tmp_path / "fees.xlsx")
    before, _ = plain(path)
    parent = os.getpid()

    def dies_in_the_copy(archive: Any, member: str) -> Any:
        if os.getpid() != parent:
            os._exit(3)
        return survey(archive, member)

    monkeypatch.setattr(loader, "survey", dies_in_the_copy)
    after, problems = _read(path)
    assert copies == [1]
    assert _dumped(after) == _dumped(before)
    assert problems == []


def test_over_the_total_the_problems_follow_the_workbook_order(
    tmp_path: Path, plain: Any, copies: list[int]
) -> None:
    """Fees, the largest sheet, is parsed first, yet the total is counted in the
    workbook's order: the sheet that crosses it is the same, and the problems
    of the sheets before it are listed, as when read one after another."""
    book = base_book()
    book["Workers"][0]["worker_id"] = None  # a problem of a sheet before the one over
    template = book["Fees"][0]
    book["Fees"] = [{**template, "fee_id": f"F{n}"} for n in range(400)]
    path = write_book(tmp_path / "over.xlsx", book)
    for total in (60, 200, 500, 6_000, 6_100):
        limits = Limits(max_total_cells=total)
        assert _read(path, limits) == plain(path, limits), total
    _, problems = _read(path, Limits(max_total_cells=6_100))
    assert problems[0] == "LimitExceeded"
    assert any(p.startswith("Workers!") for p in problems), problems
    assert "file: the workbook's sheets span over 6,100 cells in all, the limit" in problems


def test_the_largest_sheet_over_its_own_limit_comes_after_the_others_problems(
    tmp_path: Path, plain: Any, copies: list[int]
) -> None:
    book = base_book()
    book["Workers"][0]["worker_id"] = None
    template = book["Fees"][0]
    book["Fees"] = [{**template, "fee_id": f"F{n}"} for n in range(400)]
    path = write_book(tmp_path / "rows.xlsx", book)
    limits = Limits(max_rows_per_sheet=100)
    after = _read(path, limits)
    assert after == plain(path, limits)
    assert after[1][0] == "LimitExceeded"
    assert "Fees: the sheet reaches row 401, over the limit of 100 rows" in after[1]
    assert any(p.startswith("Workers!") for p in after[1]), after


def test_a_second_workbook_that_cannot_be_opened_is_a_damaged_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second parser opens a calamine workbook of its own; should that fail, the sheet
    it was for is reported damaged, as any calamine error is, never raised."""
    path = _many_fees(tmp_path / "fees.xlsx")

    class Refusing:
        @staticmethod
        def from_filelike(_: object) -> object:
            raise ValueError("cannot open it twice")

    monkeypatch.setattr(loader, "python_calamine", SimpleNamespace(CalamineWorkbook=Refusing))
    dataset, problems = _read(path)
    assert dataset is None
    assert problems, problems
    assert all("cannot open it twice" in p for p in problems), problems
