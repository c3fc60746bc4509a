"""Problem codes: one registry, documented, append-only, and set on every problem."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.model.codes import MEANINGS, WARNING_CODES, Code, markdown
from auditor.model.problems import Level, Problem
from tests.builders import Book, as_data

DOCS = Path(__file__).resolve().parent.parent / "docs" / "problem-codes.md"

#: Codes as published with audit-output 1.1. Codes never change: this list only grows.
PUBLISHED = """
required_empty required_missing required_when not_text not_an_id not_yes_no not_a_number
out_of_range not_a_date not_a_country not_a_currency not_a_language not_in_list invalid_value
invisible_character control_character number_too_long unreliable_date_cell time_not_date
formula_without_result error_cell merged_cells duplicate_id duplicate_fx_rate
unknown_reference no_rows date_after_inspection resolved_before_filed refund_above_amount
missing_fx_rate audit_currency_rate currency_without_minor_unit amount_too_large
unknown_jurisdiction missing_sheet missing_column duplicate_sheet duplicate_header
duplicate_field audit_sheet_layout not_an_object not_a_list unknown_sheet unknown_column
unknown_field unnamed_column value_without_field hidden_sheet file_unreadable file_empty
not_a_workbook encrypted damaged_file damaged_sheet unsafe_file macros_not_run invalid_json
file_too_large unpacks_too_large too_many_parts too_many_rows too_many_columns too_many_cells
text_too_long
""".split()  # noqa: SIM905 - a list that only grows, read as prose


def test_docs_list_every_code_with_its_meaning() -> None:
    assert DOCS.read_text(encoding="utf-8") == markdown(), (
        "docs/problem-codes.md is stale: run "
        "`.venv/bin/python -m auditor.model.codes > docs/problem-codes.md`"
    )


def test_codes_are_snake_case_and_each_has_a_meaning() -> None:
    assert set(MEANINGS) == set(Code)
    for code in Code:
        assert re.fullmatch(r"[a-z]+(?:_[a-z]+)*", code.value), code
        assert MEANINGS[code].strip().endswith("."), code
    assert set(Code) >= WARNING_CODES


def test_published_codes_are_never_renamed_or_removed() -> None:
    assert [c for c in PUBLISHED if c not in {code.value for code in Code}] == []


def test_a_problem_cannot_be_made_without_a_code() -> None:
    with pytest.raises(TypeError, match="code"):
        Problem("Fees!E7", "amount must be a number")  # type: ignore[call-arg]


def _problems(data: dict[str, Any]) -> list[Problem]:
    with pytest.raises(auditor.InvalidInput) as caught:
        auditor.AuditDataset.from_dict(data)
    return [*caught.value.problems, *caught.value.warnings]


def test_the_spec_examples_get_their_codes_with_json_paths(book: Book) -> None:
    data = as_data(book)
    data["workers"][0]["sex"] = "woman"
    data["workers"][1]["nationality"] = None
    data["fees"][0]["amount"] = "two hundred"
    data["fees"][1]["amount"] = -250
    data["fees"].append({**data["fees"][0], "fee_id": "F3", "amount": 5, "worker_id": "W9"})
    data["fees"].append({**data["fees"][0], "fee_id": "F3", "amount": 5})
    data["contracts"][0]["currency"] = "NPR"
    data["contracts"][1]["signed_on"] = "2027-01-01"
    data["workers"][0]["notes"] = "x"
    found = {(p.path, p.code, p.level) for p in _problems(data)}
    assert {
        ("workers[0].sex", Code.NOT_IN_LIST, Level.ERROR),
        ("workers[1].nationality", Code.REQUIRED_EMPTY, Level.ERROR),
        ("fees[0].amount", Code.NOT_A_NUMBER, Level.ERROR),
        ("fees[1].amount", Code.OUT_OF_RANGE, Level.ERROR),
        ("fees[2].worker_id", Code.UNKNOWN_REFERENCE, Level.ERROR),
        ("fees[3].fee_id", Code.DUPLICATE_ID, Level.ERROR),
        ("contracts[0].currency", Code.MISSING_FX_RATE, Level.ERROR),
        ("contracts[1].signed_on", Code.DATE_AFTER_INSPECTION, Level.ERROR),
        ("workers[*].notes", Code.UNKNOWN_COLUMN, Level.WARNING),
    } <= found


def test_dataset_problems_never_speak_of_sheets(book: Book) -> None:
    data = as_data(book)
    data["fees"][0]["worker_id"] = "W9"
    data["contracts"][0]["currency"] = "NPR"
    data["fees"][1]["intermediary_id"] = "I9"
    data["fees"][1]["paid_to"] = "intermediary"
    del data["intermediaries"]
    data["workers"] = []
    for problem in _problems(data):
        assert "sheet" not in problem.message.lower(), problem
        assert problem.path is not None


def test_workbook_problems_have_codes_and_no_path(book: Book, write: Any) -> None:
    book["Fees"][0]["amount"] = "two hundred"
    book["Fees"][1]["worker_id"] = "W9"
    report = auditor.validate(write(book))
    assert [(p.where, p.code, p.path) for p in report.errors] == [
        ("Fees!E2", Code.NOT_A_NUMBER, None),
        ("Fees!B3", Code.UNKNOWN_REFERENCE, None),
    ]
    assert "on the Workers sheet" in report.errors[1].message


def test_file_problems_have_codes(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    text = tmp_path / "text.xlsx"
    text.write_text("a,b\n1,2\n")
    codes = [auditor.validate(path).errors[0].code for path in (empty, text)]
    assert codes == [Code.FILE_EMPTY, Code.NOT_A_WORKBOOK]
    with pytest.raises(auditor.InvalidInput) as caught:
        auditor.AuditDataset.from_json("{not json")
    assert [(p.code, p.path) for p in caught.value.problems] == [(Code.INVALID_JSON, "")]


def test_a_record_that_is_not_an_object_is_located_at_its_index(book: Book) -> None:
    data = as_data(book)
    data["fees"][1] = "oops"
    assert [(p.where, p.path, p.code) for p in _problems(data)] == [
        ("fees[1]", "fees[1]", Code.NOT_AN_OBJECT)
    ]
