"""Workbook format 1.2, "Reading what clerks type, pseudonyms enforced".

A Nepali clerk writes day-first dates, lakh amounts, ``UAE`` and, now and
then, a Bikram Sambat date; each is read (or explained at its cell), and a
worker id that looks like a person's name is refused at every cell it
appears in. The done-when test: a loosely typed Nepali workbook audits
exactly like its canonical twin. Columns (template order): Fees B worker_id,
E amount, J paid_on; Workers A worker_id, C date_of_birth; Contracts B
worker_id, D signed_on; Employers C destination_country.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import auditor
from auditor.ingest.load import load
from auditor.model.codes import Code
from auditor.model.plausible import checked_on
from tests.builders import Book

Write = Callable[..., Path]
TODAY = dt.date(2026, 7, 1)


def _report(path: Path) -> auditor.ValidationReport:
    with checked_on(TODAY):
        return auditor.validate(path)


def _errors(path: Path) -> list[str]:
    return [str(p) for p in _report(path).errors]


def _codes(path: Path) -> list[tuple[str, str]]:
    return [(p.where, p.code) for p in _report(path).errors]


def _dataset(path: Path) -> auditor.AuditDataset:
    with checked_on(TODAY):
        dataset, report = load(path)
    assert dataset is not None, report.lines()
    return dataset


# -- date_order ----------------------------------------------------------------


def test_day_first_dates_read_in_every_date_column(book: Book, write: Write) -> None:
    book["Audit"]["date_order"] = "day_first"
    book["Audit"]["inspection_date"] = "30/06/2026"
    book["Workers"][0]["date_of_birth"] = "4.3.1995"
    book["Workers"][0]["deployment_date"] = "10-01-2025"
    book["Fees"][0]["paid_on"] = "03/12/2024"
    book["Fees"][1]["paid_on"] = "20 January 2025"  # English month names read under any order
    book["Contracts"][0]["signed_on"] = "2024-12-01"  # ISO is always read
    dataset = _dataset(write(book))
    assert dataset.audit.inspection_date == dt.date(2026, 6, 30)
    assert dataset.workers[0].date_of_birth == dt.date(1995, 3, 4)
    assert dataset.workers[0].deployment_date == dt.date(2025, 1, 10)
    assert [fee.paid_on for fee in dataset.fees] == [dt.date(2024, 12, 3), dt.date(2025, 1, 20)]
    assert dataset.contracts[0].signed_on == dt.date(2024, 12, 1)


def test_month_first_reads_the_other_way(book: Book, write: Write) -> None:
    book["Audit"]["date_order"] = "Month-First"
    book["Fees"][0]["paid_on"] = "12/03/2024"
    assert _dataset(write(book)).fees[0].paid_on == dt.date(2024, 12, 3)


def test_without_date_order_the_1_1_messages_stand(book: Book, write: Write) -> None:
    book["Fees"][0]["paid_on"] = "03/12/2024"
    assert _errors(write(book)) == [
        "Fees!J2: paid_on must be a date written YYYY-MM-DD: it could be 2024-12-03 (day first) "
        'or 2024-03-12 (month first); write the one meant, got "03/12/2024"'
    ]


def test_a_date_that_cannot_be_read_in_the_declared_order_is_an_error_at_its_cell(
    book: Book, write: Write
) -> None:
    book["Audit"]["date_order"] = "month_first"
    book["Fees"][0]["paid_on"] = "20/07/2025"  # day first: there is no month 20
    book["Fees"][1]["paid_on"] = "20/07/25"  # a two-digit year, under any order
    path = write(book)
    assert _errors(path) == [
        'Fees!J2: paid_on "20/07/2025" cannot be a date under date_order month_first; read '
        "day first it would be 2025-07-20: check the cell, or the Audit field date_order",
        'Fees!J3: paid_on "20/07/25" has a two-digit year; write the year with its four digits',
    ]
    assert {code for _, code in _codes(path)} == {Code.DATE_NOT_IN_DATE_ORDER}


def test_a_date_order_that_is_not_one_of_the_three_is_an_error(book: Book, write: Write) -> None:
    book["Audit"]["date_order"] = "dd/mm/yyyy"
    assert _errors(write(book)) == [
        'Audit!B11: date_order must be one of iso, day_first, month_first, got "dd/mm/yyyy"'
    ]


def test_date_order_is_a_reading_instruction_not_part_of_the_record(
    book: Book, write: Write
) -> None:
    book["Audit"]["date_order"] = "day_first"
    dataset = _dataset(write(book))
    assert "date_order" not in dataset.audit.model_dump()
    assert _report(write(book)).warnings == []  # not an unknown field either


# -- amounts -------------------------------------------------------------------


def test_lakh_grouping_is_read(book: Book, write: Write) -> None:
    book["Fees"][0]["amount"] = "1,50,000"
    book["Fees"][1]["amount"] = "12,34,567.50"
    dataset = _dataset(write(book))
    assert [fee.amount for fee in dataset.fees] == [Decimal(150000), Decimal("1234567.50")]


def test_a_misplaced_comma_names_both_groupings(book: Book, write: Write) -> None:
    book["Fees"][0]["amount"] = "1,500,00"
    assert _errors(write(book)) == [
        "Fees!E2: amount must be written with a point for decimals and commas every three "
        "digits (1,234,567.50), in lakh grouping (12,34,567.50) or none (1234567.50), got "
        '"1,500,00"'
    ]


def test_lakh_grouping_in_a_three_decimal_currency_is_refused(book: Book, write: Write) -> None:
    book["Fees"][0]["amount"] = "1,50,000"
    book["Fees"][0]["currency"] = "KWD"
    book["FX"].append({"currency": "KWD", "rate": 3.25})
    assert _errors(write(book)) == [
        'Fees!E2: amount "1,50,000" in KWD, a currency with three decimals, could mean '
        "1.50.000: write the number without commas"
    ]


# -- countries -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [("UAE", "AE"), ("U.A.E.", "AE"), ("ksa", "SA"), ("UK", "GB"), ("U.S.A.", "US"),
     ("Hong Kong", "HK"), ("Macau", "MO"), ("South Korea", "KR"), ("Vietnam", "VN"),
     ("Russia", "RU"), ("Tanzania", "TZ")],
)  # fmt: skip
def test_country_aliases_are_read(book: Book, write: Write, typed: str, code: str) -> None:
    book["Employers"][0]["destination_country"] = typed
    assert _dataset(write(book)).employers[0].destination_country == code


def test_an_unknown_alias_is_an_error(book: Book, write: Write) -> None:
    book["Employers"][0]["destination_country"] = "UEA"
    assert _codes(write(book)) == [("Employers!C2", Code.NOT_A_COUNTRY)]


# -- Bikram Sambat -------------------------------------------------------------


def test_a_bikram_sambat_date_after_the_inspection_gets_its_gregorian_date(
    book: Book, write: Write
) -> None:
    book["Fees"][0]["paid_on"] = dt.date(2081, 8, 18)  # a date cell typed in BS
    book["Workers"][0]["date_of_birth"] = "2051-11-20"  # birth dates too
    assert _errors(write(book)) == [
        "Workers!C2: date_of_birth 2051-11-20 is after the inspection date 2026-06-30 and looks "
        "like a Bikram Sambat date; in the Gregorian calendar it is 1995-03-04",
        "Workers!C2: date_of_birth 2051-11-20 is on or after deployment_date 2025-01-10; a "
        "worker is born before leaving: check both dates",
        "Fees!J2: paid_on 2081-08-18 is after the inspection date 2026-06-30 and looks like a "
        "Bikram Sambat date; in the Gregorian calendar it is 2024-12-03",
    ]


def test_a_bikram_sambat_day_the_gregorian_calendar_lacks_is_recognised(
    book: Book, write: Write
) -> None:
    book["Fees"][0]["paid_on"] = "2082-03-32"
    path = write(book)
    assert _errors(path) == [
        'Fees!J2: paid_on "2082-03-32" is not a date of the Gregorian calendar: it looks like a '
        "Bikram Sambat date; in the Gregorian calendar it is 2025-07-16"
    ]
    assert _codes(path) == [("Fees!J2", Code.BIKRAM_SAMBAT_DATE)]


def test_a_bikram_sambat_date_beyond_the_converter_says_so(book: Book, write: Write) -> None:
    book["Fees"][0]["paid_on"] = "2101-03-10"
    book["Fees"][1]["paid_on"] = "2105-04-32"
    assert _errors(write(book)) == [
        "Fees!J2: paid_on 2101-03-10 is after the inspection date 2026-06-30 and is 75 years "
        "after the inspection: it looks like a Bikram Sambat or other non-Gregorian date (the "
        "converter covers Bikram Sambat years 1975 to 2100); convert it to the Gregorian "
        "calendar and write it as YYYY-MM-DD",
        'Fees!J3: paid_on "2105-04-32" is not a date of the Gregorian calendar: it may be a '
        "Bikram Sambat date, but the converter covers Bikram Sambat years 1975 to 2100: convert "
        "it to the Gregorian calendar and write it as YYYY-MM-DD",
    ]


def test_a_date_just_after_the_inspection_gets_the_bikram_sambat_reading_too(
    book: Book, write: Write
) -> None:
    """The settled rule has no floor: a slip of the pen still hears what it is as BS."""
    book["Fees"][0]["paid_on"] = dt.date(2026, 7, 1)
    assert _errors(write(book)) == [
        "Fees!J2: paid_on 2026-07-01 is after the inspection date 2026-06-30 (correct it if it "
        "is a slip); it also looks like a Bikram Sambat date; in the Gregorian calendar it is "
        "1969-10-17"
    ]


def test_a_bikram_sambat_day_that_month_lacks_is_said_so(book: Book, write: Write) -> None:
    book["Fees"][0]["paid_on"] = "2084-04-32"  # Shrawan 2084 has 31 days
    book["Fees"][1]["paid_on"] = dt.date(2083, 8, 30)  # Mangsir 2083 has 29
    path = write(book)
    assert _errors(path) == [
        'Fees!J2: paid_on "2084-04-32" is not a date of the Gregorian calendar: it may be a '
        "Bikram Sambat date, but month 4 of 2084 has 31 days in that calendar: check the day",
        "Fees!J3: paid_on 2083-08-30 is after the inspection date 2026-06-30; read as a Bikram "
        "Sambat date it is none either: month 8 of 2083 has 29 days in that calendar",
    ]
    assert _codes(path) == [
        ("Fees!J2", Code.BIKRAM_SAMBAT_DATE),
        ("Fees!J3", Code.DATE_AFTER_INSPECTION),
    ]


def test_a_covered_year_that_converts_after_the_inspection_is_not_called_bikram_sambat(
    book: Book, write: Write
) -> None:
    book["Fees"][0]["paid_on"] = dt.date(2090, 1, 1)  # BS 2090 is 2033: after the inspection
    book["Fees"][1]["paid_on"] = dt.date(2030, 5, 5)  # BS 2030 is 1973, but not Gregorian-late
    book["Fees"][1]["paid_on"] = "2024-02-30"  # a slip of the pen, years before the check
    assert _errors(write(book)) == [
        "Fees!J2: paid_on 2090-01-01 is after the inspection date 2026-06-30 and is 64 years "
        "after the inspection: it looks like a date of another calendar (read as Bikram Sambat "
        "it is 2033-04-14, after the inspection too); convert it to the Gregorian calendar and "
        "write it as YYYY-MM-DD",
        'Fees!J3: paid_on must be a real date, got "2024-02-30"',
    ]


def test_a_bikram_sambat_day_typed_day_first_is_recognised(book: Book, write: Write) -> None:
    book["Audit"]["date_order"] = "day_first"
    book["Fees"][0]["paid_on"] = "32/03/2082"
    book["Fees"][1]["paid_on"] = "32/04/2084"
    path = write(book)
    assert _errors(path) == [
        'Fees!J2: paid_on "32/03/2082" is not a date of the Gregorian calendar: it looks like a '
        "Bikram Sambat date; in the Gregorian calendar it is 2025-07-16",
        'Fees!J3: paid_on "32/04/2084" is not a date of the Gregorian calendar: it may be a '
        "Bikram Sambat date, but month 4 of 2084 has 31 days in that calendar: check the day",
    ]
    assert {code for _, code in _codes(path)} == {Code.BIKRAM_SAMBAT_DATE}


#: Every date column that may not be after the inspection, with the row that carries it.
_DATE_COLUMNS = [
    ("Workers", "date_of_birth", "Workers!C2"),
    ("Workers", "deployment_date", "Workers!G2"),
    ("Contracts", "signed_on", "Contracts!D2"),
    ("Fees", "paid_on", "Fees!J2"),
    ("Fees", "refunded_on", "Fees!O2"),
    ("Complaints", "filed_on", "Complaints!E2"),
    ("Complaints", "resolved_on", "Complaints!F2"),
    ("Sources", "collected_on", "Sources!F2"),
]


def test_the_parametrised_date_columns_are_every_date_column() -> None:
    from auditor.model.columns import Kind, kind_of
    from auditor.model.sheets import TABLE_SHEETS

    every = {
        (spec.name, name)
        for spec in TABLE_SHEETS
        for name, info in spec.model.model_fields.items()
        if kind_of(info) is Kind.DATE
    }
    assert every == {(sheet, name) for sheet, name, _ in _DATE_COLUMNS}


@pytest.mark.parametrize("typed", ["cell", "text"])
@pytest.mark.parametrize(("sheet", "name", "where"), _DATE_COLUMNS)
def test_every_date_column_gets_the_bikram_sambat_message_through_validate(  # noqa: PLR0917
    book: Book, write: Write, tmp_path: Path, sheet: str, name: str, where: str, typed: str
) -> None:
    """``auditor validate``: exit 2, the Settled sentence at the cell, nothing written."""
    book["Fees"][0].update(refunded_amount=20, refunded_on=dt.date(2025, 2, 1))
    book["Complaints"] = [
        {"complaint_id": "K1", "worker_id": "W1", "category": "wages",
         "filed_on": dt.date(2026, 3, 1), "resolved_on": dt.date(2026, 4, 1)},
    ]  # fmt: skip
    book["Sources"] = [
        {"source_id": "S1", "kind": "interview", "description": "Interview at the office",
         "subject_type": "worker", "subject_id": "W1", "collected_on": dt.date(2026, 6, 1)},
    ]  # fmt: skip
    bs = dt.date(2081, 8, 18)  # typed in Bikram Sambat: 2024-12-03
    if name == "date_of_birth":
        bs = dt.date(2051, 11, 20)  # 1995-03-04
    if name in {"filed_on", "resolved_on"}:
        bs = dt.date(2082, 12, 1)  # 2026-03-15, after the complaint was filed
    book[sheet][0][name] = bs if typed == "cell" else bs.isoformat()
    path = write(book, "bs.xlsx")
    run = subprocess.run(
        [sys.executable, "-m", "auditor", "validate", "--format", "json", str(path)],
        capture_output=True, text=True, check=False,
        env={**_env(), "AUDITOR_TODAY": TODAY.isoformat()}, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    problems = json.loads(run.stdout)["problems"]
    ours = [p for p in problems if p["code"] == Code.DATE_AFTER_INSPECTION]
    assert [p["location"] for p in ours] == [where], problems
    gregorian = {"date_of_birth": "1995-03-04", "filed_on": "2026-03-15"}.get(
        name, "2026-03-15" if name == "resolved_on" else "2024-12-03"
    )
    assert ours[0]["message"] == (
        f"{name} {bs.isoformat()} is after the inspection date 2026-06-30 and looks like a "
        f"Bikram Sambat date; in the Gregorian calendar it is {gregorian}"
    )
    others = {
        p["code"]
        for p in problems
        if p["code"] != Code.DATE_AFTER_INSPECTION and p["severity"] == "error"
    }
    assert others <= {Code.BIRTH_NOT_BEFORE_DEPLOYMENT, Code.RESOLVED_BEFORE_FILED}, problems
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bs.xlsx"]  # nothing written


# -- every planted mistake at once, nothing written ------------------------------


def test_every_new_mistake_at_once_and_nothing_written(
    book: Book, write: Write, tmp_path: Path
) -> None:
    book["Audit"]["date_order"] = "month_first"
    book["Fees"][0]["paid_on"] = "25/12/2024"  # day first in a month_first workbook
    book["Fees"][1]["amount"] = "15,00,00"  # a lakh number with a misplaced comma
    book["Employers"][0]["destination_country"] = "Emirates"  # no alias of the list
    book["Contracts"][0]["signed_on"] = "2101-01-05"  # Bikram Sambat beyond the converter
    book["Workers"][1]["worker_id"] = "Sita Thapa"
    book["Contracts"][1]["worker_id"] = "Sita Thapa"
    book["Fees"][1]["worker_id"] = "Sita Thapa"
    path = write(book)
    assert _codes(path) == [
        ("Employers!C2", Code.NOT_A_COUNTRY),
        ("Workers!A3", Code.WORKER_ID_LOOKS_LIKE_NAME),
        ("Contracts!D2", Code.DATE_AFTER_INSPECTION),
        ("Contracts!B3", Code.WORKER_ID_LOOKS_LIKE_NAME),
        ("Fees!J2", Code.DATE_NOT_IN_DATE_ORDER),
        ("Fees!B3", Code.WORKER_ID_LOOKS_LIKE_NAME),
        ("Fees!E3", Code.NOT_A_NUMBER),
    ]
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(path), "--out", str(out),
         "--format", "pdf,json,xlsx", "--copy", "inspector,agency", "--in-process"],
        capture_output=True, text=True, check=False,
        env={**_env(), "AUDITOR_TODAY": TODAY.isoformat()},
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "Fees!J2" in run.stderr + run.stdout
    assert not out.exists() or list(out.iterdir()) == []


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


# -- pseudonyms ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Maria Santos", "सीता थापा", "सीता", "فاطمة علي", "فاطمة"],
    ids=["latin", "devanagari-two-words", "devanagari-one-word", "arabic-two-words", "arabic"],
)
def test_a_name_as_worker_id_is_refused_at_every_cell(book: Book, write: Write, name: str) -> None:
    book["Workers"][0]["worker_id"] = name
    book["Contracts"][0]["worker_id"] = name
    book["Fees"][0]["worker_id"] = name
    book["Complaints"] = [
        {"complaint_id": "K1", "worker_id": name, "category": "wages", "filed_on": "2026-01-05"}
    ]
    book["Sources"] = [
        {"source_id": "S1", "kind": "interview", "description": "interview",
         "subject_type": "worker", "subject_id": name}
    ]  # fmt: skip
    path = write(book)
    assert _codes(path) == [
        ("Workers!A2", Code.WORKER_ID_LOOKS_LIKE_NAME),
        ("Contracts!B2", Code.WORKER_ID_LOOKS_LIKE_NAME),
        ("Fees!B2", Code.WORKER_ID_LOOKS_LIKE_NAME),
        ("Complaints!B2", Code.WORKER_ID_LOOKS_LIKE_NAME),
        ("Sources!E2", Code.WORKER_ID_LOOKS_LIKE_NAME),
    ]
    first = _report(path).errors[0].message
    assert "looks like a person's name" in first
    assert "replace it in every sheet with a reference such as W-001" in first


@pytest.mark.parametrize("pseudonym", ["W-001", "Worker A", "का-०१", "ع-٣", "MF 12 B"])
def test_pseudonyms_pass(book: Book, write: Write, pseudonym: str) -> None:
    book["Workers"][0]["worker_id"] = pseudonym
    book["Contracts"][0]["worker_id"] = pseudonym
    book["Fees"][0]["worker_id"] = pseudonym
    report = _report(write(book))
    assert report.valid, report.lines()
    assert report.warnings == []


def test_a_single_latin_word_is_a_warning(book: Book, write: Write) -> None:
    book["Workers"][0]["worker_id"] = "Maria"
    book["Contracts"][0]["worker_id"] = "Maria"
    book["Fees"][0]["worker_id"] = "Maria"
    report = _report(write(book))
    assert report.valid
    assert [(p.where, p.code) for p in report.warnings] == [
        ("Workers!A2", Code.WORKER_ID_MAY_BE_NAME),
        ("Contracts!B2", Code.WORKER_ID_MAY_BE_NAME),
        ("Fees!B2", Code.WORKER_ID_MAY_BE_NAME),
    ]


def test_names_as_ids_are_refused_in_a_dataset_too(book: Book) -> None:
    from tests.builders import as_data

    data = as_data(book)
    for sheet in ("workers", "contracts", "fees"):
        data[sheet][0]["worker_id"] = "Ram Bahadur"
    with checked_on(TODAY):
        report = auditor.validate(data)
    assert [(p.where, p.code) for p in report.errors] == [
        ("workers[0].worker_id", Code.WORKER_ID_LOOKS_LIKE_NAME),
        ("contracts[0].worker_id", Code.WORKER_ID_LOOKS_LIKE_NAME),
        ("fees[0].worker_id", Code.WORKER_ID_LOOKS_LIKE_NAME),
    ]


# -- done when: the loose Nepali workbook audits like its canonical twin -------------


def _nepali_twin(loose: bool) -> Book:
    """A Nepali inspection, typed canonically or as a clerk types it."""

    def day(value: dt.date) -> object:
        return value.strftime("%d/%m/%Y") if loose else value

    def money(value: int) -> object:
        return f"{value:,}".replace(",", "") if not loose else _lakh(value)

    audit = {
        "audit_id": "DOFE-KTM-2026-112",
        "agency_name": "Himal Manpower Pvt. Ltd.",
        "agency_licence_number": "DOFE-1234/2070",
        "licence_valid_until": day(dt.date(2027, 7, 15)),
        "origin_country": "Nepal" if loose else "NP",
        "jurisdiction": "NP",
        "inspection_date": day(dt.date(2026, 6, 30)),
        "inspector": "S. Shrestha",
        "currency": "NPR",
    }
    if loose:
        audit["date_order"] = "day_first"
    workers = []
    contracts = []
    fees = []
    for number, (sex, fee) in enumerate(
        [("female", 150000), ("female", 38000), ("male", 250000)], start=1
    ):
        worker_id = f"का-०{number}"  # noqa: RUF001 - a Devanagari digit, as clerks type it
        workers.append(
            {"worker_id": worker_id, "sex": sex,
             "date_of_birth": day(dt.date(1994, 4, 20 + number)),
             "nationality": "Nepal" if loose else "NP", "employer_id": "E1",
             "languages": "Nepali" if loose else "ne",
             "deployment_date": day(dt.date(2025, 8, 13)), "monthly_wage_paid": None,
             "wage_currency": None, "briefing_received": "yes", "briefing_languages": "ne",
             "passport_held_by": "employer" if number == 3 else "worker",
             "wages_withheld": "no"}
        )  # fmt: skip
        contracts.append(
            {"contract_id": f"C{number}", "worker_id": worker_id, "stage": "origin",
             "signed_on": day(dt.date(2025, 7, 1)), "languages": "ne",
             "copy_given_to_worker": "yes",
             "monthly_wage": money(120000), "currency": "NPR", "weekly_hours": 48,
             "weekly_rest_days": 1, "worker_may_terminate_for_abuse": "yes",
             "termination_penalty": 0, "passport_retention_clause": "no"}
        )  # fmt: skip
        fees.append(
            {"fee_id": f"F{number}", "worker_id": worker_id, "category": "recruitment_fee",
             "description": "service charge", "amount": money(fee), "currency": "NPR",
             "paid_by": "worker", "paid_to": "agency", "intermediary_id": None,
             "paid_on": day(dt.date(2025, 7, 20)), "deducted_from_wages": "no",
             "receipt_issued": "no", "financed_by_loan": "yes" if number == 1 else "no"}
        )  # fmt: skip
    return {
        "Audit": audit,
        "Employers": [
            {
                "employer_id": "E1",
                "name": "Al Noor Facilities LLC",
                "destination_country": "UAE" if loose else "AE",
                "sector": "domestic_work",
                "permit_tied_to_employer": "yes",
                "job_change_requires_consent": "yes",
                "exit_permit_required": "no",
                "independent_residency_route": "no",
            }
        ],
        "Workers": workers,
        "Contracts": contracts,
        "Fees": fees,
        "Intermediaries": [],
        "Channels": [
            {
                "channel_id": "CH1",
                "operated_by": "government",
                "kind": "hotline",
                "languages": "ne",
                "free_of_charge": "yes",
                "confidential": "yes",
                "women_staff_available": "yes",
                "open_to_domestic_workers": "yes",
                "response_days": 14,
            }
        ],
        "Complaints": [],
        "FX": [],
    }


def _lakh(value: int) -> str:
    digits = str(value)
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail])


def test_the_loose_nepali_workbook_audits_like_its_canonical_twin(write: Write) -> None:
    loose, canonical = write(_nepali_twin(loose=True)), write(_nepali_twin(loose=False))
    assert _lakh(150000) == "1,50,000"
    assert _report(loose).valid, _report(loose).lines()
    with checked_on(TODAY):
        first, second = auditor.audit(loose), auditor.audit(canonical)
    one, two = json.loads(first.to_json()), json.loads(second.to_json())
    assert one.pop("input_sha256") != two.pop("input_sha256")
    assert one == two
    assert one["findings"], "the twin has findings to compare"
