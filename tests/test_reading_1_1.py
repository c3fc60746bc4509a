"""Workbook format 1.1, "Reading what people type": what a clerk writes, read or explained.

Every new kind of bad input is tried here; each message names the cell and
says what to type instead. Columns (template order): Workers C is
date_of_birth, D nationality, F languages, G deployment_date; Fees B is
worker_id, E amount, F currency; FX B is rate; Audit B8 is inspection_date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import auditor
from auditor.ingest.load import load
from auditor.model.codes import Code
from auditor.model.plausible import checked_on, checking_day
from tests.builders import Book

Write = Callable[..., Path]
TODAY = dt.date(2026, 7, 1)


def _report(path: Path, today: dt.date = TODAY) -> auditor.ValidationReport:
    with checked_on(today):
        return auditor.validate(path)


def _errors(path: Path) -> list[str]:
    return [str(p) for p in _report(path).errors]


def _warnings(path: Path) -> list[str]:
    return [str(p) for p in _report(path).warnings]


def test_thousands_commas_countries_and_languages_by_name_are_read(
    book: Book, write: Write
) -> None:
    book["Fees"][0]["amount"] = "5,000"
    book["Fees"][1]["amount"] = "1,234,567.50"
    book["Workers"][0]["nationality"] = "Philippines"
    book["Workers"][1]["nationality"] = "phl"
    book["Workers"][0]["languages"] = "Tagalog; English"
    book["Workers"][1]["languages"] = "tgl, eng"
    book["Employers"][0]["destination_country"] = "Qatar"
    path = write(book)
    report = _report(path)
    assert report.valid, report.lines()
    with checked_on(TODAY):
        dataset, _ = load(path)
    assert dataset is not None
    assert [fee.amount for fee in dataset.fees] == [Decimal(5000), Decimal("1234567.50")]
    assert [w.nationality for w in dataset.workers] == ["PH", "PH"]
    assert [w.languages for w in dataset.workers] == [("tl", "en"), ("tl", "en")]
    assert dataset.employers[0].destination_country == "QA"


def test_na_in_a_country_column_is_namibia(book: Book, write: Write) -> None:
    book["Employers"][0]["destination_country"] = "NA"
    report = _report(write(book))
    assert report.valid, report.lines()
    book["Employers"][0]["destination_country"] = "n/a"
    assert _errors(write(book)) == [
        "Employers!C2: destination_country is required, but it is empty"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (  # format 1.2 reads the lakh grouping 1,00,000; one that fits neither is refused
            "1,0,00,000",
            "amount must be written with a point for decimals and commas every three digits "
            "(1,234,567.50), in lakh grouping (12,34,567.50) or none (1234567.50), got "
            '"1,0,00,000"',
        ),
        (
            "5,5",
            "amount must be written with a point for decimals and commas every three digits "
            '(1,234,567.50), in lakh grouping (12,34,567.50) or none (1234567.50), got "5,5"',
        ),
        (
            "NPR 5,000",
            "amount must be the number alone (5,000), with the currency in its own column, "
            'got "NPR 5,000"',
        ),
        ("$120", "amount must be the number alone (120), with the currency in its own column, "
                 'got "$120"'),
    ],
)  # fmt: skip
def test_numbers_people_type_get_a_message_that_says_how_to_write_them(
    book: Book, write: Write, value: str, expected: str
) -> None:
    book["Fees"][0]["amount"] = value
    assert _errors(write(book)) == [f"Fees!E2: {expected}"]


def test_a_comma_in_a_three_decimal_currency_is_an_error(book: Book, write: Write) -> None:
    book["Fees"][0]["amount"] = "12,500"
    book["Fees"][0]["currency"] = "KWD"
    book["FX"].append({"currency": "KWD", "rate": 3.25})
    problems = _report(write(book)).errors
    assert [str(p) for p in problems] == [
        'Fees!E2: amount "12,500" in KWD, a currency with three decimals, could mean 12.500: '
        "write the number without commas"
    ]
    assert problems[0].code is Code.NOT_A_NUMBER


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("20/07/2025", "write it as 2025-07-20"),
        ("12 Mar 2025", "write it as 2025-03-12"),
        ("2025/07/20", "write it as 2025-07-20"),
        (
            "03/04/2025",
            "it could be 2025-04-03 (day first) or 2025-03-04 (month first); write the one meant",
        ),
    ],
)
def test_dates_in_another_form_say_what_to_write(
    book: Book, write: Write, value: str, hint: str
) -> None:
    book["Fees"][0]["paid_on"] = value
    assert _errors(write(book)) == [
        f'Fees!J2: paid_on must be a date written YYYY-MM-DD: {hint}, got "{value}"'
    ]


def test_languages_without_a_two_letter_code_name_the_one_to_use(book: Book, write: Write) -> None:
    book["Workers"][0]["languages"] = "Bikol, en"
    assert _errors(write(book)) == [
        "Workers!F2: languages: Bikol (bik) has no two-letter ISO 639-1 code; write the closest "
        'language that has one, got "Bikol, en"'
    ]
    # Format 1.2, settled: tl and fil both name Filipino.
    book["Workers"][0]["languages"] = "Filipino, fil, en"
    assert _errors(write(book)) == []


def test_an_inspection_date_after_today_is_an_error(book: Book, write: Write) -> None:
    path = write(book)  # inspected 2026-06-30
    assert _report(path, today=dt.date(2026, 6, 30)).valid
    problems = _report(path, today=dt.date(2026, 6, 29)).errors
    assert [str(p) for p in problems] == [
        "Audit!B8: inspection_date 2026-06-30 is after today (2026-06-29, UTC); give the day "
        "the facts were recorded"
    ]
    assert problems[0].code is Code.INSPECTION_AFTER_TODAY


def test_a_bikram_sambat_inspection_date_is_named_as_such(book: Book, write: Write) -> None:
    book["Audit"]["inspection_date"] = "2082-03-15"
    assert _errors(write(book)) == [
        "Audit!B8: inspection_date 2082-03-15 is 56 years after today (2026-07-01): it looks "
        "like a Bikram Sambat or other non-Gregorian date; convert it to the Gregorian "
        "calendar and write it as YYYY-MM-DD"
    ]


def test_the_day_of_the_check_is_today_in_utc_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITOR_TODAY", raising=False)
    assert checking_day() == dt.datetime.now(dt.UTC).date()
    monkeypatch.setenv("AUDITOR_TODAY", "2030-01-02")
    assert checking_day() == dt.date(2030, 1, 2)
    with checked_on(dt.date(2020, 5, 6)):
        assert checking_day() == dt.date(2020, 5, 6)


def test_birth_on_or_after_deployment_is_an_error_and_odd_ages_a_warning(
    book: Book, write: Write
) -> None:
    book["Workers"][0]["date_of_birth"] = dt.date(2025, 1, 10)  # the day of deployment
    book["Workers"][1]["date_of_birth"] = dt.date(1950, 1, 1)  # 75 at deployment
    report = _report(write(book))
    assert [str(p) for p in report.errors] == [
        "Workers!C2: date_of_birth 2025-01-10 is on or after deployment_date 2025-01-10; a "
        "worker is born before leaving: check both dates"
    ]
    assert report.errors[0].code is Code.BIRTH_NOT_BEFORE_DEPLOYMENT
    assert "Workers!C3: date_of_birth 1950-01-01 makes the worker 75 at deployment " \
        "(2025-02-01): check the date" in [str(p) for p in report.warnings]  # fmt: skip


def test_an_inverted_fx_rate_is_a_warning_that_says_so(book: Book, write: Write) -> None:
    book["FX"][0]["rate"] = 3.64  # QAR per USD: 13 times off, within the tolerance of 20
    book["FX"].append({"currency": "NPR", "rate": 134.1})  # NPR per USD, inverted
    book["Fees"][0]["currency"] = "NPR"
    report = _report(write(book))
    assert report.valid
    (warning,) = [p for p in report.warnings if p.code is Code.IMPLAUSIBLE_FX_RATE]
    assert str(warning) == (
        "FX!B3: rate 134.1 means 1 NPR = 134.1 USD, but the reference (2024 annual average) is "
        "about 0.00746 USD: it looks inverted; the rate is USD for one NPR (about 0.00746, not "
        "134). The rate given is the one used"
    )
    book["FX"][0]["rate"] = 27.47  # a slipped decimal point
    warnings = [p for p in _report(write(book)).warnings if p.code is Code.IMPLAUSIBLE_FX_RATE]
    assert [p.where for p in warnings] == ["FX!B2", "FX!B3"]
    assert "more than 20 times away; check it" in warnings[0].message


def test_every_problem_of_a_bad_row_at_once(book: Book, write: Write) -> None:
    """A fee with a bad amount still has its worker and its currency checked."""
    book["Fees"][0]["amount"] = "two hundred"
    book["Fees"][0]["worker_id"] = "W9"
    book["Fees"][0]["currency"] = "NPR"
    book["Fees"][0]["paid_on"] = dt.date(2027, 1, 1)
    assert _errors(write(book)) == [
        "Fees!B2: worker_id W9 does not match any worker_id on the Workers sheet",
        'Fees!E2: amount must be a number >= 0, got "two hundred"',
        "Fees!F2: currency NPR has no rate on the FX sheet; add a row with currency NPR and its "
        "rate in USD",
        "Fees!J2: paid_on 2027-01-01 is after the inspection date 2026-06-30 (correct it if "
        "it is a slip); it also looks like a Bikram Sambat date; in the Gregorian calendar it "
        "is 1970-04-14",
    ]


def test_a_character_no_shipped_font_has_is_a_warning_naming_the_cell(
    book: Book, write: Write
) -> None:
    book["Audit"]["agency_name"] = "श्री कृष्ण वैदेशिक रोजगार"  # Devanagari: shipped
    book["Employers"][0]["name"] = "ꦱꦸꦏꦂꦤꦺ Homes"  # Javanese: not shipped
    report = _report(write(book))
    assert report.valid
    (warning,) = [p for p in report.warnings if p.code is Code.NO_FONT_FOR_CHARACTER]
    assert str(warning).startswith(
        "Employers!B2: name has characters no font of the report can draw, so they would print "
        'as empty boxes: "ꦱ" (U+A9B1 JAVANESE LETTER SA)'
    )


def test_an_ods_spreadsheet_audits_like_the_same_xlsx(book: Book, write: Write) -> None:
    """Format 1.1: an OpenDocument spreadsheet with the same sheets is read like an .xlsx."""
    from tests.hostile.ods import content, write_ods

    book["Fees"][0]["amount"] = "5,000"
    book["Workers"][0]["nationality"] = "Philippines"
    xlsx = write(book)
    ods = write_ods(xlsx.with_suffix(".ods"), content(book))
    with checked_on(TODAY):
        one, other = auditor.audit(xlsx).to_dict(), auditor.audit(ods).to_dict()
    assert one.pop("input_sha256") != other.pop("input_sha256")
    assert one == other
    book["Fees"][0]["amount"] = "5,00"
    ods = write_ods(xlsx.with_suffix(".bad.ods"), content(book))
    assert _errors(ods)[0].startswith("Fees!E2: amount must be written with a point for decimals")


def test_the_inspectors_record_in_dataset_input_and_dates_it_may_hold(book: Book) -> None:
    """follow_up_due may be after the inspection; Sources resolve by JSON path for dicts."""
    from tests.builders import as_data

    data = as_data(book)
    data["audit"].update(
        follow_up_due="2026-12-01", case_reference="C-17", agency_address="Kathmandu",
        observations="Seen on site.", follow_up_of="T-2025-009",
    )  # fmt: skip
    data["sources"] = [
        {"source_id": "S1", "kind": "site visit", "description": "Office", "subject_type": "agency",
         "subject_id": "T-2026-001"},
        {"source_id": "S2", "kind": "photo", "description": "Receipt", "subject_type": "worker",
         "subject_id": "W7"},
    ]  # fmt: skip
    with checked_on(TODAY):
        dataset, report = load(data)
    assert dataset is None
    assert [(p.path, p.code, p.message) for p in report.errors] == [
        ("sources[1].subject_id", Code.UNKNOWN_REFERENCE,
         "subject_id W7 does not match the worker_id of any record in workers"),
    ]  # fmt: skip
    data["sources"].pop()
    data["audit"]["inspection_date"] = "2026-07-02"
    with checked_on(TODAY):
        _, report = load(data)
    assert [(p.path, p.code) for p in report.errors] == [
        ("audit.inspection_date", Code.INSPECTION_AFTER_TODAY)
    ]


def test_an_isolated_audit_checks_on_the_callers_day(book: Book, write: Write) -> None:
    """A service sets the upload's day; the worker process checks the input on that day too."""
    from auditor.runner.isolation import inspect_isolated

    path = write(book)  # inspected 2026-06-30
    with checked_on(dt.date(2026, 6, 29)), pytest.raises(auditor.InvalidInput) as caught:
        inspect_isolated(path, timeout_s=120)
    assert [p.code for p in caught.value.problems] == [Code.INSPECTION_AFTER_TODAY]
    with checked_on(dt.date(2026, 6, 30)):
        assert inspect_isolated(path, timeout_s=120).result.audit_id == "T-2026-001"


def test_validate_takes_the_day_of_the_check(book: Book, write: Write) -> None:
    path = write(book)  # inspected 2026-06-30
    assert auditor.validate(path, today=dt.date(2026, 6, 30)).valid
    (problem,) = auditor.validate(path, today=dt.date(2026, 6, 1)).errors
    assert problem.code is Code.INSPECTION_AFTER_TODAY
