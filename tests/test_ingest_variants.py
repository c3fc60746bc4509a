"""Everything the format accepts: spellings, every boolean form, unknown vs no, dates, ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import auditor
from auditor.model.enums import ChannelKind, FeeCategory, PassportHolder, Sex
from auditor.model.sheets import SHEET_BY_NAME
from tests.builders import Book

Write = Callable[..., Path]


def read(path: Path) -> auditor.AuditDataset:
    return auditor.read_workbook(path)


def test_header_spellings_are_the_same_header(book: Book, write: Write) -> None:
    headers = [name.upper().replace("_", " ") for name in SHEET_BY_NAME["Workers"].fields]
    headers[0] = "  Worker-ID "
    headers[2] = "date  of - birth"
    dataset = read(write(book, headers={"Workers": headers}))
    assert [w.worker_id for w in dataset.workers] == ["W1", "W2"]
    assert dataset.workers[0].date_of_birth == dt.date(1995, 3, 4)
    assert dataset.provenance.cell("Workers", 0, "date_of_birth") == "C2"


def test_sheet_and_audit_field_spellings(book: Book, write: Write) -> None:
    book["Audit"] = {f" {k.upper().replace('_', '-')} ": v for k, v in book["Audit"].items()}
    dataset = read(write(book, sheet_names={"Workers": "WORKERS ", "FX": "fx", "Audit": "audit"}))
    assert dataset.audit.audit_id == "T-2026-001"
    assert len(dataset.workers) == 2


def test_columns_in_any_order(book: Book, write: Write) -> None:
    headers = list(reversed(SHEET_BY_NAME["Fees"].fields))
    dataset = read(write(book, headers={"Fees": headers}))
    assert dataset.fees[0].amount == Decimal(120)
    from openpyxl.utils import get_column_letter

    # The amount's cell is where the reversed header put it (it moves as Fees gains columns).
    column = get_column_letter(headers.index("amount") + 1)
    assert column != get_column_letter(list(SHEET_BY_NAME["Fees"].fields).index("amount") + 1)
    assert dataset.provenance.cell("Fees", 0, "amount") == f"{column}2"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("yes", True),
        ("YES", True),
        ("Y", True),
        ("true", True),
        ("True", True),
        ("1", True),
        (1, True),
        (True, True),
        (" yes ", True),
        ("no", False),
        ("No", False),
        ("n", False),
        ("FALSE", False),
        ("0", False),
        (0, False),
        (False, False),
        (None, None),
        ("", None),
        ("n/a", None),
        ("N/A", None),
        ("na", None),
        ("-", None),
        ("unknown", None),
        ("Unknown", None),
        ("none", None),
    ],
)
def test_booleans_in_every_accepted_form(
    book: Book, write: Write, written: object, expected: bool | None
) -> None:
    book["Workers"][0]["briefing_received"] = written
    assert read(write(book)).workers[0].briefing_received is expected


def test_unknown_is_not_no(book: Book, write: Write) -> None:
    book["Workers"][0]["wages_withheld"] = None
    book["Workers"][1]["wages_withheld"] = "no"
    first, second = read(write(book)).workers
    assert first.wages_withheld is None
    assert second.wages_withheld is False


@pytest.mark.parametrize(
    ("column", "written", "expected"),
    [
        ("sex", "F", Sex.FEMALE),
        ("sex", "m", Sex.MALE),
        ("sex", "X", Sex.OTHER),
        ("sex", "Female", Sex.FEMALE),
        ("passport_held_by", " Employer ", PassportHolder.EMPLOYER),
    ],
)
def test_enumeration_spellings(
    book: Book, write: Write, column: str, written: str, expected: object
) -> None:
    book["Workers"][0][column] = written
    assert getattr(read(write(book)).workers[0], column) == expected


def test_enumeration_separators(book: Book, write: Write) -> None:
    book["Channels"][0]["kind"] = "In-person"
    book["Fees"][0]["category"] = "Recruitment Fee"
    dataset = read(write(book))
    assert dataset.channels[0].kind is ChannelKind.IN_PERSON
    assert dataset.fees[0].category is FeeCategory.RECRUITMENT_FEE


def test_excel_date_cells_and_text_dates(book: Book, write: Write) -> None:
    book["Workers"][0]["date_of_birth"] = dt.datetime(1995, 3, 4, 17, 45)  # time dropped
    book["Workers"][1]["date_of_birth"] = "1990-07-01"
    first, second = read(write(book)).workers
    assert first.date_of_birth == dt.date(1995, 3, 4)
    assert second.date_of_birth == dt.date(1990, 7, 1)


def test_numeric_ids_read_as_their_text(book: Book, write: Write) -> None:
    book["Workers"][0]["worker_id"] = 1001
    book["Workers"][1]["worker_id"] = 1002.0
    book["Contracts"][0]["worker_id"] = "1001"
    book["Contracts"][1]["worker_id"] = 1002
    book["Fees"][0]["worker_id"] = 1001
    book["Fees"][1]["worker_id"] = " 1002 "
    dataset = read(write(book))
    assert [w.worker_id for w in dataset.workers] == ["1001", "1002"]
    assert [f.worker_id for f in dataset.fees] == ["1001", "1002"]


def test_numbers_are_exact_decimals(book: Book, write: Write) -> None:
    book["FX"][0]["rate"] = 0.0033
    book["Fees"][0]["amount"] = "1200.50"
    book["Fees"][1]["amount"] = 0.1
    dataset = read(write(book))
    assert dataset.fx[0].rate == Decimal("0.0033")
    assert dataset.fees[0].amount == Decimal("1200.50")
    assert dataset.fees[1].amount == Decimal("0.1")


def test_codes_in_any_case_and_languages_as_a_list(book: Book, write: Write) -> None:
    book["Workers"][0]["nationality"] = "ph"
    book["Workers"][0]["languages"] = "TL , en,tl"
    book["Fees"][1]["currency"] = "qar"
    dataset = read(write(book))
    assert dataset.workers[0].nationality == "PH"
    assert dataset.workers[0].languages == ("tl", "en")
    assert dataset.fees[1].currency == "QAR"


def test_fully_empty_rows_are_skipped_and_cells_keep_their_rows(book: Book, write: Write) -> None:
    book["Fees"].insert(1, {})
    book["Fees"].insert(1, {"description": "n/a", "amount": "-"})
    dataset = read(write(book))
    assert [f.fee_id for f in dataset.fees] == ["F1", "F2"]
    assert dataset.provenance.cell("Fees", 1, "amount") == "E5"


def test_sheets_that_may_be_empty_or_absent(book: Book, write: Write) -> None:
    book["Fees"] = []
    book["Channels"] = []
    dataset = read(write(book, omit=("Complaints", "Intermediaries")))
    assert dataset.fees == ()
    assert dataset.channels == ()


def test_fx_may_be_absent_when_only_the_audit_currency_is_used(book: Book, write: Write) -> None:
    book["Workers"] = book["Workers"][:1]
    book["Contracts"] = book["Contracts"][:1]
    book["Fees"] = book["Fees"][:1]
    assert read(write(book, omit=("FX",))).fx == ()


def test_unknown_columns_and_sheets_are_warnings(book: Book, write: Write) -> None:
    for worker in book["Workers"]:
        worker["notes"] = "interviewed"
    book["Scratch"] = [["anything"]]
    book["Guide"] = [["the template's own guide is not reported"]]
    report = auditor.validate(write(book))
    assert report.valid
    assert [str(w) for w in report.warnings] == [
        "Workers!notes: unknown column ignored",
        "Scratch: unknown sheet ignored",
    ]


def test_the_audit_sheet_without_a_header_row(book: Book, write: Write, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write(book)
    workbook = load_workbook(path)
    workbook["Audit"].delete_rows(1)
    workbook.save(path)
    assert read(path).audit.audit_id == "T-2026-001"


def test_an_empty_optional_value_is_none(book: Book, write: Write) -> None:
    book["Contracts"][0]["weekly_hours"] = "N/A"
    book["Workers"][0]["passport_held_by"] = None
    dataset = read(write(book))
    assert dataset.contracts[0].weekly_hours is None
    assert dataset.workers[0].passport_held_by is None


def test_ids_are_trimmed_of_tabs_and_no_break_spaces(book: Book, write: Write) -> None:
    """Exports often pad cells; the padding is no part of the id, so references still resolve."""
    book["Workers"][0]["worker_id"] = "W1\t"
    book["Workers"][1]["worker_id"] = "\xa0W2\xa0"
    dataset = auditor.read_workbook(write(book))
    assert [worker.worker_id for worker in dataset.workers] == ["W1", "W2"]
