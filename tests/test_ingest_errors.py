"""Every problem kind of workbook-format.md "Errors", with the exact cell it must name.

Columns (template order): Workers J is briefing_received, Fees E is amount,
Fees J is paid_on, Audit B7 is the jurisdiction value.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import msoffcrypto
import pytest
import xlwt
from openpyxl import Workbook

import auditor
from tests.builders import Book

Write = Callable[..., Path]


def errors_of(path: Path) -> list[str]:
    return [str(problem) for problem in auditor.validate(path).errors]


def test_the_base_book_is_valid(book: Book, write: Write) -> None:
    report = auditor.validate(write(book))
    assert report.valid, report.lines()
    assert report.warnings == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-5, "Fees!E2: amount must be a number >= 0, got -5"),
        ("two hundred", 'Fees!E2: amount must be a number >= 0, got "two hundred"'),
        (  # the lakh grouping 1,00,000 is read since format 1.2; this fits no grouping
            "10,0,000",
            "Fees!E2: amount must be written with a point for decimals and commas every three "
            "digits (1,234,567.50), in lakh grouping (12,34,567.50) or none (1234567.50), got "
            '"10,0,000"',
        ),
        (
            "120 USD",
            "Fees!E2: amount must be the number alone (120), with the currency in its own "
            'column, got "120 USD"',
        ),
        ("1e3", 'Fees!E2: amount must be a number >= 0, got "1e3"'),
        (True, "Fees!E2: amount must be a number >= 0, got TRUE"),
    ],
)
def test_amount_must_be_a_plain_number(
    book: Book, write: Write, value: object, expected: str
) -> None:
    book["Fees"][0]["amount"] = value
    assert errors_of(write(book)) == [expected]


def test_a_required_cell_left_empty(book: Book, write: Write) -> None:
    book["Workers"][1]["sex"] = None
    book["Contracts"][0]["monthly_wage"] = "n/a"
    assert errors_of(write(book)) == [
        "Workers!B3: sex is required, but it is empty",
        "Contracts!G2: monthly_wage is required, but it is empty",
    ]


def test_a_wage_of_zero_is_refused(book: Book, write: Write) -> None:
    book["Contracts"][1]["monthly_wage"] = 0
    assert errors_of(write(book)) == ["Contracts!G3: monthly_wage must be a number > 0, got 0"]


def test_a_value_outside_an_enumeration_names_the_expected_values(book: Book, write: Write) -> None:
    book["Employers"][0]["sector"] = "mining"
    assert errors_of(write(book)) == [
        "Employers!D2: sector must be one of domestic_work, care, construction, agriculture, "
        'manufacturing, hospitality, fishing, other, got "mining"'
    ]


def test_sex_lists_its_letter_forms(book: Book, write: Write) -> None:
    book["Workers"][0]["sex"] = "woman"
    assert errors_of(write(book)) == [
        'Workers!B2: sex must be one of female, male, other (or F, M, X), got "woman"'
    ]


def test_values_outside_the_iso_lists(book: Book, write: Write) -> None:
    book["Workers"][0]["nationality"] = "XX"
    book["Workers"][1]["languages"] = "tagalogue"
    book["Fees"][0]["currency"] = "USX"
    assert errors_of(write(book)) == [
        "Workers!D2: nationality must be a country: its ISO 3166-1 two-letter code (PH, NP, "
        'QA...), three-letter code (PHL) or English name (Nepal), got "XX"',
        "Workers!F3: languages must be languages, as ISO 639-1 codes (en, tl, ne...), ISO 639-2 "
        'codes (eng) or English names (Nepali), separated by commas or semicolons, got "tagalogue"',
        'Fees!F2: currency must be an ISO 4217 currency code (USD, PHP, NPR, QAR...), got "USX"',
    ]


def test_a_wrong_type_in_a_number_column(book: Book, write: Write) -> None:
    book["Contracts"][0]["weekly_hours"] = "many"
    book["Contracts"][1]["weekly_rest_days"] = 9
    assert errors_of(write(book)) == [
        'Contracts!I2: weekly_hours must be a number >= 0 and <= 168, got "many"',
        "Contracts!J3: weekly_rest_days must be a number >= 0 and <= 7, got 9",
    ]


def test_a_duplicate_id(book: Book, write: Write) -> None:
    book["Workers"][1]["worker_id"] = "W1"
    book["Contracts"][1]["worker_id"] = "W1"
    book["Fees"][1]["worker_id"] = "W1"
    assert errors_of(write(book)) == [
        "Workers!A3: worker_id W1 is used twice; ids must be unique (first at Workers!A2)"
    ]


def test_ids_are_case_sensitive_so_w1_and_lowercase_are_different(book: Book, write: Write) -> None:
    book["Workers"][1]["worker_id"] = "w1"
    book["Contracts"][1]["worker_id"] = "w1"
    book["Fees"][1]["worker_id"] = "w1"
    assert errors_of(write(book)) == []


def test_a_duplicate_header(book: Book, write: Write) -> None:
    from auditor.model.sheets import SHEET_BY_NAME

    headers = list(SHEET_BY_NAME["Fees"].fields)
    headers[3] = "Amount"  # description's column now repeats amount's name
    assert errors_of(write(book, headers={"Fees": headers})) == [
        'Fees!E1: the header "amount" repeats column D; each column must appear once'
    ]


def test_a_duplicate_sheet(book: Book, write: Write, tmp_path: Path) -> None:
    path = write(book)
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook.copy_worksheet(workbook["Channels"]).title = "channels "
    workbook.save(path)
    assert errors_of(path) == [
        "Channels: two sheets are named Channels once case, spaces and hyphens are ignored "
        '("Channels" and "channels "); keep one'
    ]


def test_a_duplicate_fx_currency(book: Book, write: Write) -> None:
    book["FX"].append({"currency": "qar", "rate": 0.27})
    assert errors_of(write(book)) == [
        "FX!A3: currency QAR has two rates; give exactly one (first at FX!A2)"
    ]


def test_references_that_do_not_resolve(book: Book, write: Write) -> None:
    book["Fees"][0]["worker_id"] = "W9"
    book["Workers"][0]["employer_id"] = "E7"
    book["Complaints"] = [
        {
            "complaint_id": "K1",
            "worker_id": "W1",
            "channel_id": "CH9",
            "category": "wages",
            "filed_on": dt.date(2026, 1, 1),
        }
    ]
    assert errors_of(write(book)) == [
        "Workers!E2: employer_id E7 does not match any employer_id on the Employers sheet",
        "Fees!B2: worker_id W9 does not match any worker_id on the Workers sheet",
        "Complaints!C2: channel_id CH9 does not match any channel_id on the Channels sheet",
    ]


def test_a_reference_to_a_missing_optional_sheet(book: Book, write: Write) -> None:
    book["Fees"][0]["paid_to"] = "intermediary"
    book["Fees"][0]["intermediary_id"] = "B1"
    assert errors_of(write(book, omit=("Intermediaries",))) == [
        "Fees!I2: intermediary_id B1 refers to the Intermediaries sheet, which is missing"
    ]


def test_values_required_by_other_values(book: Book, write: Write) -> None:
    book["Workers"][0]["wage_currency"] = None
    book["Fees"][1]["paid_to"] = "intermediary"
    assert errors_of(write(book)) == [
        "Workers!I2: wage_currency is required when monthly_wage_paid is given",
        "Fees!I3: intermediary_id is required when paid_to is intermediary",
    ]


def test_a_currency_with_no_fx_rate_is_named_at_its_first_use(book: Book, write: Write) -> None:
    book["FX"] = []
    assert errors_of(write(book)) == [
        "Workers!I3: currency QAR has no rate on the FX sheet (and 2 more cells); add a row "
        "with currency QAR and its rate in USD"
    ]


def test_the_audit_currency_may_only_have_rate_one(book: Book, write: Write) -> None:
    book["FX"].append({"currency": "USD", "rate": 3.64})
    assert errors_of(write(book)) == [
        "FX!B3: USD is the audit currency, so its rate can only be 1, got 3.64"
    ]


def test_the_np_cap_needs_an_npr_rate(book: Book, write: Write) -> None:
    book["Audit"]["jurisdiction"] = "np"
    assert errors_of(write(book)) == [
        "FX: a rate for NPR is needed: the NP profile caps recruitment fees in NPR for workers "
        "of this audit"
    ]
    book["FX"].append({"currency": "NPR", "rate": 0.0075})
    assert errors_of(write(book)) == []


def test_dates_that_are_not_dates(book: Book, write: Write) -> None:
    book["Fees"][0]["paid_on"] = "yesterday"
    book["Fees"][1]["paid_on"] = "2025-02-30"
    book["Workers"][0]["date_of_birth"] = 32000.0  # a serial number without date format
    assert errors_of(write(book)) == [
        "Workers!C2: date_of_birth must be a date (a date cell or YYYY-MM-DD), got 32000",
        'Fees!J2: paid_on must be a date (a date cell or YYYY-MM-DD), got "yesterday"',
        'Fees!J3: paid_on must be a real date, got "2025-02-30"',
    ]


def test_dates_after_the_inspection(book: Book, write: Write) -> None:
    book["Fees"][0]["paid_on"] = dt.date(2026, 7, 1)
    book["Audit"]["licence_valid_until"] = dt.date(2030, 1, 1)  # the one date allowed after it
    book["Complaints"] = [
        {
            "complaint_id": "K1",
            "worker_id": "W1",
            "category": "wages",
            "filed_on": dt.date(2026, 3, 1),
            "resolved_on": dt.date(2026, 2, 1),
        }
    ]
    assert errors_of(write(book)) == [
        "Fees!J2: paid_on 2026-07-01 is after the inspection date 2026-06-30 (correct it if "
        "it is a slip); it also looks like a Bikram Sambat date; in the Gregorian calendar it "
        "is 1969-10-17",
        "Complaints!F2: resolved_on 2026-02-01 is before filed_on 2026-03-01",
    ]


def test_a_formula_with_no_cached_value(book: Book, write: Write) -> None:
    book["Fees"][0]["amount"] = "=100+20"  # openpyxl writes a formula without a result
    book["Fees"][1]["receipt_issued"] = "=TRUE()"
    assert errors_of(write(book)) == [
        "Fees!E2: the formula here has no saved result; open the workbook in a spreadsheet "
        "program, let it calculate, save it and try again",
        "Fees!L3: the formula here has no saved result; open the workbook in a spreadsheet "
        "program, let it calculate, save it and try again",
    ]


def test_a_formula_with_a_cached_value_counts_by_that_value(book: Book, write: Write) -> None:
    path = write(book)
    _replace_in_sheet(path, "xl/worksheets/sheet5.xml", "<v>120</v>", "<f>100+20</f><v>120</v>")
    assert errors_of(path) == []
    assert auditor.read_workbook(path).fees[0].amount == 120


def test_an_error_cell(book: Book, write: Write) -> None:
    path = write(book)
    _replace_in_sheet(
        path,
        "xl/worksheets/sheet5.xml",
        '<c r="E2" t="n"><v>120</v>',
        '<c r="E2" t="e"><v>#DIV/0!</v>',
    )
    assert errors_of(path) == [
        "Fees!E2: the cell holds a spreadsheet error (such as #N/A or #DIV/0!); enter the value "
        "itself"
    ]


def _replace_in_sheet(path: Path, member: str, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    text = parts[member].decode()
    assert old in text, text[:2000]
    parts[member] = text.replace(old, new, 1).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_an_unknown_jurisdiction(book: Book, write: Write) -> None:
    book["Audit"]["jurisdiction"] = "XX"
    assert errors_of(write(book)) == [
        'Audit!B7: jurisdiction must be one of ID, ilo, NP, PH (any case), got "XX"'
    ]


def test_a_missing_required_sheet_and_column(book: Book, write: Write) -> None:
    for worker in book["Workers"]:
        del worker["sex"]
    from auditor.model.sheets import SHEET_BY_NAME

    headers = [f for f in SHEET_BY_NAME["Workers"].fields if f != "sex"]
    assert errors_of(write(book, omit=("Channels",), headers={"Workers": headers})) == [
        "Workers!sex: required column is missing",
        "Channels: required sheet is missing",
    ]


def test_a_missing_audit_field(book: Book, write: Write) -> None:
    del book["Audit"]["inspection_date"]
    assert errors_of(write(book)) == [
        "Audit: field inspection_date is missing: add a row with inspection_date in the field "
        "column and its value beside it"
    ]


def test_no_workers(book: Book, write: Write) -> None:
    book["Workers"] = []
    book["Contracts"] = []
    book["Fees"] = []
    assert errors_of(write(book)) == [
        "Workers: has no data rows; at least one row of workers is needed"
    ]


def test_a_fractional_id(book: Book, write: Write) -> None:
    book["Employers"][0]["employer_id"] = 12.5
    book["Workers"][0]["employer_id"] = 12.5
    book["Workers"][1]["employer_id"] = 12.5
    assert errors_of(write(book)) == [
        "Employers!A2: employer_id must be an identifier (text) or a whole number, got 12.5",
        "Workers!E2: employer_id must be an identifier (text) or a whole number, got 12.5",
        "Workers!E3: employer_id must be an identifier (text) or a whole number, got 12.5",
    ]


def test_every_problem_at_once_in_sheet_and_row_order(book: Book, write: Write) -> None:
    book["FX"][0]["rate"] = 0
    book["Fees"][1]["amount"] = -1
    book["Fees"][0]["category"] = "bribe"
    book["Workers"][1]["passport_held_by"] = "boss"
    book["Audit"]["currency"] = "dollars"
    problems = errors_of(write(book))
    assert problems == [
        "Audit!B10: currency must be an ISO 4217 currency code (USD, PHP, NPR, QAR...), "
        'got "dollars"',
        'Workers!L3: passport_held_by must be one of worker, employer, agency, other, got "boss"',
        "Fees!C2: category must be one of recruitment_fee, medical, insurance, skills_test, "
        "training, equipment, travel, lodging, administrative, personal_documents, deposit, "
        'illegitimate, other, got "bribe"',
        "Fees!E3: amount must be a number >= 0, got -1",
        "FX!B2: rate must be a number > 0, got 0",
    ]


# -- the file as a whole ---------------------------------------------------------------------


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    path.write_text("worker_id,sex\nW1,F\n")
    assert errors_of(path) == [
        "file: the file is not an xlsx workbook (it looks like text, perhaps a CSV file); an "
        "Excel .xlsx or OpenDocument .ods file is needed"
    ]


def test_a_pdf_uploaded_by_mistake_is_called_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    assert errors_of(path) == [
        "file: the file is not an xlsx workbook (it is a PDF document, perhaps a report or a "
        "scan); an Excel .xlsx or OpenDocument .ods file is needed"
    ]


def test_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert errors_of(path) == ["file: the file is empty (0 bytes); it is not a workbook"]


def test_a_damaged_workbook(book: Book, write: Write) -> None:
    path = write(book)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert errors_of(path) == [
        "file: the file is damaged: it is not a readable xlsx package (a zip file); it may be "
        "truncated or corrupted"
    ]


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.txt", "not a workbook")
    assert errors_of(path) == [
        "file: the file is a zip package but not an Excel workbook (no xl/workbook.xml)"
    ]


def test_an_encrypted_workbook(book: Book, write: Write, tmp_path: Path) -> None:
    plain = write(book)
    encrypted = tmp_path / "locked.xlsx"
    office = msoffcrypto.OfficeFile(io.BytesIO(plain.read_bytes()))
    with encrypted.open("wb") as handle:
        office.encrypt("secret", handle)
    assert errors_of(encrypted) == [
        "file: the workbook is encrypted (protected by a password); save an unprotected copy "
        "as .xlsx and try again"
    ]


def test_a_legacy_xls_file(tmp_path: Path) -> None:
    legacy = xlwt.Workbook()
    legacy.add_sheet("Audit").write(0, 0, "field")
    path = tmp_path / "old.xls"
    legacy.save(str(path))
    assert errors_of(path) == [
        "file: this is a legacy Excel 97-2003 file (.xls); save it as an Excel Workbook (.xlsx) "
        "and try again"
    ]


def test_no_file_at_all(tmp_path: Path) -> None:
    assert errors_of(tmp_path / "nowhere.xlsx") == [
        f"file: there is no file at {tmp_path / 'nowhere.xlsx'}"
    ]


def test_read_workbook_raises_with_every_problem(book: Book, write: Write) -> None:
    book["Fees"][0]["amount"] = -5
    book["Fees"][1]["amount"] = -6
    with pytest.raises(auditor.InvalidInput) as caught:
        auditor.read_workbook(write(book))
    assert [str(p) for p in caught.value.problems] == [
        "Fees!E2: amount must be a number >= 0, got -5",
        "Fees!E3: amount must be a number >= 0, got -6",
    ]


def test_a_workbook_with_only_a_default_sheet(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    Workbook().save(path)
    assert errors_of(path) == [
        "Audit: required sheet is missing",
        "Employers: required sheet is missing",
        "Workers: required sheet is missing",
        "Contracts: required sheet is missing",
        "Fees: required sheet is missing",
        "Channels: required sheet is missing",
    ]


def test_a_prefixed_formula_with_attributes_and_no_saved_result_is_found(tmp_path: Path) -> None:
    """Some exporters prefix every element (``x:c``, ``x:f t="shared"``): still no guess."""
    import re

    from tests.hostile.corpus import PART, _book, _parts, _write_parts

    path = tmp_path / "prefixed.xlsx"
    _book(path)
    parts = _parts(path)
    fees = (
        parts[PART["Fees"]]
        .decode()
        .replace(
            '<c r="E2" t="n"><v>120</v></c>',
            '<c r="E2"><f t="shared" ref="E2" si="0">100+20</f></c>',
        )
    )
    parts[PART["Fees"]] = fees.encode()
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        text = re.sub(r"<(/?)([A-Za-z]+)([ >/])", r"<\1x:\2\3", parts[name].decode())
        parts[name] = text.replace('x:worksheet xmlns="', 'x:worksheet xmlns:x="', 1).encode()
    _write_parts(path, parts)
    assert [str(p) for p in auditor.validate(path).errors] == [
        "Fees!E2: the formula here has no saved result; open the workbook in a spreadsheet "
        "program, let it calculate, save it and try again"
    ]
