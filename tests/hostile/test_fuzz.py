"""Fuzzing: valid workbooks, edited, get a result or located problems, and nothing else.

Hypothesis draws edits of the two valid inspections of
:mod:`tests.hostile.mutations` (openpyxl-level and raw XML) and checks the
answer of ``auditor.validate``, ``auditor.read_workbook`` and
``auditor.audit`` to each file:

- nothing but :class:`auditor.InvalidInput` (or its subclass
  :class:`auditor.LimitExceeded`) is raised, and no call hangs;
- every problem has a place and one line of message (``Sheet!E7: ...``,
  ``Sheet!column: ...``, ``Sheet: ...``, ``file: ...``), errors on the
  format's sheets only, in sheet order;
- the three calls agree: when the audit runs, validate reports no errors;
  when it refuses, its problems are validate's errors;
- edits the format says change nothing read as the same records (and an
  optional value emptied reads as not recorded), with the same findings;
- each edit the format calls an error is refused, at its cell.

Short and reproducible by default (40 examples in all, derandomised, no
example database), for CI. Longer on demand::

    AUDITOR_FUZZ_EXAMPLES=6000 .venv/bin/pytest tests/hostile/test_fuzz.py -p no:cacheprovider
    AUDITOR_FUZZ_EXAMPLES=6000 AUDITOR_FUZZ_SEED=7 .venv/bin/pytest tests/hostile/test_fuzz.py

The examples at the end of this file are the defects the fuzzer found,
kept as plain tests.
"""

from __future__ import annotations

import faulthandler
import json
import os
import re
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, assume, given, seed, settings
from hypothesis import strategies as st

import auditor
from auditor.model.problems import SHEET_ORDER, Problem, ValidationReport, sheet_rank
from auditor.model.sheets import TABLE_SHEETS
from tests.builders import as_data, base_book, write_book
from tests.hostile.mutations import (
    BOOKS,
    BREAKING_EDITS,
    CHAOS_EDITS,
    CHAOS_XML,
    SAME_EDITS,
    SAME_XML,
    Grid,
    Work,
    build,
    describe,
    expected_warnings,
    write,
)

EXAMPLES = int(os.environ.get("AUDITOR_FUZZ_EXAMPLES", "40"))
SEED = os.environ.get("AUDITOR_FUZZ_SEED")
#: Far above any answer here (tens of milliseconds); a guard, never a measure.
HANG_GUARD_S = float(os.environ.get("AUDITOR_FUZZ_HANG_S", "30"))

T = TypeVar("T")


def fuzz(share: float) -> Callable[[T], T]:
    """Hypothesis settings for one property: its ``share`` of the examples, reproducible."""

    def decorate(test: T) -> T:
        configured = settings(
            max_examples=max(1, round(EXAMPLES * share)),
            derandomize=SEED is None,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )(test)
        return seed(int(SEED))(configured) if SEED is not None else configured

    return decorate


# -- the answer to one file ------------------------------------------------------------------


class Hang(BaseException):
    """Raised by the guard's alarm; a BaseException so that no ``except Exception`` eats it."""


@contextmanager
def hang_guard(seconds: float) -> Iterator[None]:
    """Fail when the block runs longer than ``seconds``.

    SIGALRM interrupts a hang in the main thread's Python code. A hang in C
    or in the reader's loader thread cannot be interrupted: then, at twice
    the time, faulthandler prints every thread's stack and ends the run,
    which a CI job reports as clearly as a failure.
    """
    fired = False

    def alarm(signum: int, frame: FrameType | None) -> None:
        nonlocal fired
        fired = True
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    faulthandler.dump_traceback_later(seconds * 2, exit=True)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except Hang:
        raise AssertionError(f"the auditor hung: no answer within {seconds} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)
    assert not fired, f"the auditor hung: no answer within {seconds} s (the alarm was swallowed)"


def _call(function: Callable[[Path], T], path: Path) -> T | auditor.InvalidInput:
    """The call's value, or the InvalidInput it raised; anything else escapes (a defect)."""
    try:
        return function(path)
    except auditor.InvalidInput as refusal:
        return refusal


_LEAKS = ("{field}", "Input should", "pydantic", "Traceback", "object at 0x", "Value error,")
#: A sheet or column in a location: quoted Excel-style, or free of "!" and ":".
_NAME = r"(?:'(?:[^']|'')+'|[^!:'][^!:]*)"
_WHERE = re.compile(rf"file|{_NAME}(?:!{_NAME}(?: \(row [1-9][0-9]*\))?)?")


def check_located(problems: Sequence[Problem], *, errors: bool) -> None:
    """Every problem has a place and one plain line; errors are on format sheets, in order."""
    ranks = []
    for problem in problems:
        where, message = problem.where, problem.message
        assert str(problem) == f"{where}: {message}"
        assert message.strip(), problem
        assert not any(ch in str(problem) for ch in "\n\r\x1b"), problem
        assert not any(leak in message for leak in _LEAKS), problem
        assert _WHERE.fullmatch(where), f"a location that reads two ways: {problem}"
        if where == "file":
            ranks.append(-1)
            continue
        sheet, bang, place = where.partition("!")
        assert sheet.strip(), f"a problem without a sheet: {problem}"
        if errors:
            assert sheet in SHEET_ORDER, f"an error on a sheet the format does not have: {problem}"
        if bang:
            assert place.strip(), f"a problem without a cell or column: {problem}"
        ranks.append(sheet_rank(sheet))
    if errors:
        assert ranks == sorted(ranks), f"errors out of sheet order: {[str(p) for p in problems]}"


@dataclass
class Answer:
    """What the three calls said of one file."""

    report: ValidationReport | None
    refusal: auditor.InvalidInput | None
    dataset: auditor.AuditDataset | None
    result: auditor.AuditResult | None

    @property
    def errors(self) -> list[Problem]:
        if self.refusal is not None:
            return self.refusal.problems
        return list(self.report.errors) if self.report is not None else []


def answer(path: Path) -> Answer:
    """Validate, read and audit ``path``, checking every invariant the three share."""
    with hang_guard(HANG_GUARD_S):
        validated = _call(auditor.validate, path)
        again = _call(auditor.validate, path)
        read = _call(auditor.read_workbook, path)
        audited = _call(auditor.audit, path)
    if isinstance(validated, auditor.InvalidInput):
        # validate reports every problem; it raises only to stop at a size limit.
        assert type(validated) is auditor.LimitExceeded, validated
        assert validated.problems, "a refusal with no problem"
        for other in (again, read, audited):
            assert type(other) is auditor.LimitExceeded, other
            assert other.problems == validated.problems
        check_located(validated.problems, errors=True)
        check_located(validated.warnings, errors=False)
        return Answer(None, validated, None, None)
    assert isinstance(again, auditor.ValidationReport)
    assert (again.errors, again.warnings) == (validated.errors, validated.warnings)
    check_located(validated.errors, errors=True)
    check_located(validated.warnings, errors=False)
    if validated.errors:
        for other in (read, audited):
            assert type(other) is auditor.InvalidInput, other
            assert other.problems == list(validated.errors)
            assert other.warnings == list(validated.warnings)
        assert isinstance(audited, auditor.InvalidInput)
        return Answer(validated, audited, None, None)
    assert isinstance(read, auditor.AuditDataset), read
    assert isinstance(audited, auditor.AuditResult), audited
    document = json.loads(audited.to_json())
    assert document["format"] == "audit-result/1"
    shown = [str(warning) for warning in validated.warnings]
    assert list(audited.warnings[: len(shown)]) == shown
    return Answer(validated, None, read, audited)


def answer_to(work: Work, folder: Path, note: str) -> Answer:
    path = write(work, folder / "fuzzed.xlsx")
    try:
        return answer(path)
    except AssertionError as failure:
        raise AssertionError(f"{failure}\n{note}") from None


def keyed(dataset: auditor.AuditDataset) -> dict[str, Any]:
    """The records of each sheet by id (rows may have moved; the records may not change)."""
    records: dict[str, Any] = {"audit": dataset.audit}
    for spec in TABLE_SHEETS:
        key = spec.model.ID_FIELD or "currency"
        records[spec.key] = sorted(getattr(dataset, spec.key), key=lambda r: getattr(r, key))
    return records


def expected_records(work: Work) -> tuple[auditor.AuditDataset | None, list[Problem]]:
    """The records the Book means, or the problems of the Book itself given as dicts."""
    try:
        return work.expected_dataset(), []
    except auditor.InvalidInput as refusal:
        return None, refusal.problems


def findings(result: auditor.AuditResult) -> dict[str, Any]:
    """What an audit found, leaving out where (cells move with the edits)."""
    return {
        "score": result.score,
        "rating": result.rating,
        "findings": sorted((f.rule_id, f.subject.id) for f in result.findings),
        "gaps": sorted((g.rule_id, g.subject.id) for g in result.data_gaps),
        "owed": result.money_owed.total,
        "by_worker": result.money_owed.by_worker,
    }


@cache
def unedited(book: str) -> dict[str, Any]:
    """What the audit of the unedited book finds, once per book."""
    with tempfile.TemporaryDirectory() as folder:
        path = write(build(book, []), Path(folder) / "unedited.xlsx")
        return findings(auditor.audit(path))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


books = st.sampled_from(sorted(BOOKS))


# -- the properties ----------------------------------------------------------------------------


@fuzz(0.5)
@given(
    book=books,
    edits=st.lists(CHAOS_EDITS, min_size=1, max_size=6),
    xml=st.lists(CHAOS_XML, max_size=3),
)
def test_any_edit_gets_a_result_or_located_problems(
    folder: Path, book: str, edits: list[Any], xml: list[Any]
) -> None:
    answer_to(build(book, edits, xml), folder, describe(book, edits, xml))


@fuzz(0.25)
@given(
    book=books,
    edits=st.lists(SAME_EDITS, min_size=1, max_size=8),
    xml=st.lists(SAME_XML, max_size=2),
)
def test_edits_that_change_nothing_read_as_the_same_records(
    folder: Path, book: str, edits: list[Any], xml: list[Any]
) -> None:
    work = build(book, edits, xml)
    note = describe(book, edits, xml)
    got = answer_to(work, folder, note)
    expected, refused = expected_records(work)
    if expected is None:
        # Edge values together made amounts that no audit can add up exactly (a defect the
        # fuzzer found): the dicts are refused, and the file must be, for the same reasons.
        assert all("beyond any real amount" in p.message for p in refused), note
        assert sorted(p.message for p in got.errors) == sorted(p.message for p in refused), note
        return
    assert not got.errors, f"a valid workbook refused: {[str(p) for p in got.errors]}\n{note}"
    assert got.report is not None
    warnings = list(got.report.warnings)
    for warning in expected_warnings(work):
        assert any(
            p.where.startswith(warning.where or "") and warning.fragment in p.message
            for p in warnings
        ), f"no warning {warning}: {[str(p) for p in warnings]}\n{note}"
    assert got.dataset is not None
    assert got.result is not None
    assert keyed(got.dataset) == keyed(expected), note
    if work.same_findings:
        assert findings(got.result) == unedited(book), note


@fuzz(0.25)
@given(
    book=books,
    edits=st.lists(SAME_EDITS, max_size=3),
    breaking=BREAKING_EDITS,
    xml=st.lists(SAME_XML, max_size=1),
)
def test_each_breaking_edit_is_refused_where_it_is(
    folder: Path, book: str, edits: list[Any], breaking: Any, xml: list[Any]
) -> None:
    work = build(book, [*edits, breaking], xml)
    assume(work.expected)  # the edit found nothing to break in this book (no complaints)
    note = describe(book, [*edits, breaking], xml)
    got = answer_to(work, folder, note)
    errors = [str(p) for p in got.errors]
    assert errors, f"an invalid workbook accepted\n{note}"
    assert type(got.refusal) is auditor.InvalidInput, note
    for expected in work.expected:
        assert any(
            expected.where in (None, p.where) and expected.fragment in p.message for p in got.errors
        ), f"no problem at {expected.where} about {expected.fragment!r}: {errors}\n{note}"


# -- what the fuzzer found, kept as examples ---------------------------------------------------


def _lines(path: Path) -> list[str]:
    return auditor.validate(path).lines()


def test_a_sheet_without_a_name_is_named_by_its_position(tmp_path: Path) -> None:
    # Was "warning: : unknown sheet ignored": a problem located nowhere.
    work = build("base", [])
    work.sheets.insert(0, Grid("", [["scratch"]]))
    work.sheets.append(Grid("   ", [["scratch"]]))
    assert _lines(write(work, tmp_path / "unnamed.xlsx")) == [
        "warning: sheet 1 (no name): unknown sheet ignored",
        "warning: sheet 11 (no name): unknown sheet ignored",
    ]


def test_names_that_would_read_as_part_of_a_location_are_quoted(tmp_path: Path) -> None:
    # Was "warning: Fees!A1: unknown sheet ignored", which reads as a cell of Fees, and
    # "Workers!remarks: 2026: unknown column ignored", which splits in the wrong place.
    work = build("base", [])
    workers = work.table("Workers")
    assert workers is not None
    workers.rows[0].append("remarks: 2026")
    work.sheets += [Grid("Fees!A1", [["x"]]), Grid("'old'", [["x"]]), Grid("O'Brien", [["x"]])]
    assert _lines(write(work, tmp_path / "quoted.xlsx")) == [
        "warning: Workers!'remarks: 2026': unknown column ignored",
        "warning: 'Fees!A1': unknown sheet ignored",
        "warning: '''old''': unknown sheet ignored",
        "warning: O'Brien: unknown sheet ignored",
    ]


def test_amounts_too_large_once_converted_are_refused_not_a_crash(tmp_path: Path) -> None:
    # Each number under 15 digits, as the format reads them, but 999,999,999,999,999 QAR at
    # a rate of 999,999,999,999,999 is 10**30 USD: auditor.audit raised
    # decimal.InvalidOperation rounding the money owed (validate had said the file was fine).
    book = base_book()
    book["FX"][0]["rate"] = 999_999_999_999_999
    book["Workers"][1]["monthly_wage_paid"] = 0.5
    book["Contracts"][1]["monthly_wage"] = 0.5
    book["Fees"][1].update(amount=999_999_999_999_999, paid_by="worker")
    path = write_book(tmp_path / "huge.xlsx", book)
    expected = [
        "Fees!E3: amount 999999999999999 QAR at the FX rate 999999999999999 is "
        "1,000,000,000,000,000 USD or more, beyond any real amount; check the amount and the "
        "rate of QAR",
    ]
    with pytest.raises(auditor.InvalidInput) as caught:
        auditor.audit(path)
    assert [str(p) for p in caught.value.problems] == expected
    with pytest.raises(auditor.InvalidInput) as as_dicts:
        auditor.AuditDataset.from_dict(as_data(book))
    assert [p.message for p in as_dicts.value.problems] == [e.split(": ", 1)[1] for e in expected]
    # Just under the limit, the audit runs and adds the money up exactly.
    book["FX"][0]["rate"] = 1
    book["Fees"][1]["amount"] = 999_999_999_999_999
    assert auditor.audit(write_book(tmp_path / "large.xlsx", book)).money_owed.total > 0


def test_the_audit_header_given_twice_is_an_error(tmp_path: Path) -> None:
    # Was silently read from the first "value" column, whatever the second one said.
    work = build("base", [])
    audit = work.table("Audit")
    assert audit is not None
    audit.rows[0].append("Value")
    for row in audit.rows[1:]:
        row.append("something else")
    assert _lines(write(work, tmp_path / "twice.xlsx")) == [
        'Audit!C1: the header "Value" repeats column B; each column must appear once'
    ]


def test_other_columns_of_the_audit_sheet_are_warnings(tmp_path: Path) -> None:
    # Were dropped without a word, unlike on every other sheet; and a row with a note
    # beside an empty field and value warned of "a value without a field name" at B.
    work = build("base", [])
    audit = work.table("Audit")
    assert audit is not None
    audit.rows[0] += ["Notes", None]
    audit.rows[1] += ["checked by phone", "stray"]
    audit.rows.append([None, None, "a note on its own row"])
    assert _lines(write(work, tmp_path / "columns.xlsx")) == [
        "warning: Audit!Notes: unknown column ignored",
        "warning: Audit!D: values in a column with no header were ignored",
    ]
