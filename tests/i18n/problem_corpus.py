"""Bad inputs that between them raise most problem codes, for the problem-message tests.

Each case is an input (a workbook file or a dataset dict) and its problems
document, as ``auditor validate --format json`` prints it. The hostile corpus
(:mod:`tests.hostile.corpus`) gives the file-level refusals; the mutations below,
each applied to the small valid inspection of :mod:`tests.builders` both as a
workbook and as a dataset, give the cell, sheet and cross-sheet problems.

``problems_english.json`` beside this file holds every case's document as the
code printed it before the messages went through the catalogue: the English
must never change (issue 27: the problems document stays English).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import auditor
from auditor.errors import InvalidInput, LimitExceeded
from auditor.model.problems import ValidationReport, problems_json
from tests.builders import Book, as_data, base_book, write_book

ROOT = Path(__file__).resolve().parents[2]
PINNED = Path(__file__).with_name("problems_english.json")


def _set(sheet: str, row: int, **values: Any) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        target = book[sheet] if sheet == "Audit" else book[sheet][row]
        target.update(values)

    return change


def _add(sheet: str, **values: Any) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        book[sheet].append({**book[sheet][0], **values})

    return change


def _empty(sheet: str) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        book[sheet] = []

    return change


def _drop(sheet: str) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        del book[sheet]

    return change


def _compose(*changes: Callable[[Book], None]) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        for each in changes:
            each(book)

    return change


def _rename(sheet: str, old: str, new: str) -> Callable[[Book], None]:
    def change(book: Book) -> None:
        book[sheet] = [{(new if k == old else k): v for k, v in row.items()} for row in book[sheet]]

    return change


#: name -> change of the valid inspection; each makes one or a few problems.
MUTATIONS: dict[str, Callable[[Book], None]] = {
    "not_in_list": _set("Workers", 0, sex="woman"),
    "required_empty": _set("Workers", 0, nationality=None),
    "not_a_number": _set("Fees", 0, amount="two hundred"),
    "number_with_unit": _set("Fees", 0, amount="USD 1,200"),
    "odd_commas": _set("Fees", 0, amount="1,2,00"),
    "out_of_range": _set("Fees", 0, amount=-250),
    "unknown_reference": _set("Fees", 0, worker_id="W9"),
    "duplicate_id": _add("Fees", amount=5),
    "missing_fx_rate": _set("Contracts", 0, currency="NPR"),
    "date_after_inspection": _set("Contracts", 0, signed_on=dt.date(2027, 1, 1)),
    "not_a_date": _set("Contracts", 0, signed_on="soon"),
    "date_hint": _set("Contracts", 0, signed_on="01/02/2025"),
    "date_hint_one": _set("Contracts", 0, signed_on="13/02/2025"),
    "not_a_real_date": _set("Contracts", 0, signed_on="2025-02-30"),
    "not_a_country": _set("Workers", 0, nationality="Atlantis"),
    "not_a_currency": _set("Fees", 0, currency="DOLLARS"),
    "not_a_language": _set("Workers", 0, languages="Klingon and Elvish"),
    "language_without_code": _set("Workers", 0, languages="Cebuano"),
    "not_yes_no": _set("Employers", 0, permit_tied_to_employer="perhaps"),
    "not_an_id": _set("Fees", 0, fee_id=1.5),
    "unknown_jurisdiction": _set("Audit", 0, jurisdiction="atlantis"),
    "audit_currency_rate": _add("FX", currency="USD", rate=2),
    "duplicate_fx_rate": _add("FX", rate=0.3),
    "no_minor_unit": _set("Audit", 0, currency="XAU"),
    "no_rows": _empty("Workers"),
    "missing_sheet": _drop("Employers"),
    "wage_currency": _set("Workers", 0, monthly_wage_paid=400, wage_currency=None),
    "intermediary_required": _set("Fees", 0, paid_to="intermediary", intermediary_id=None),
    "refund_above_amount": _set("Fees", 0, refunded_amount=10**6, refunded_on=None),
    "control_character": _set("Workers", 0, notes="a\x07b"),
    "invisible_id": _set("Workers", 0, worker_id="W\u200b1"),
    "spoofed_agency": _set("Audit", 0, agency_name="Good\u202eLtd"),
    "number_too_long": _set("Fees", 0, amount=12345678901234567890),
    "text_too_long": _set("Workers", 0, notes="x" * 40_000),
    "worker_id_is_a_name": _set("Workers", 0, worker_id="Maria Santos"),
    "implausible_age": _set("Workers", 0, date_of_birth=dt.date(2015, 1, 1)),
    "born_after_leaving": _set("Workers", 0, date_of_birth=dt.date(2030, 1, 1)),
    "implausible_rate": _set("FX", 0, rate=3.64),
    "far_rate": _set("FX", 0, rate=900),
    "unknown_column": _set("Workers", 0, favourite_colour="blue"),
    "amount_too_large": _compose(
        _set("Fees", 0, amount=10**13, currency="QAR"), _set("FX", 0, rate=500)
    ),
    "bikram_sambat_date": _set("Contracts", 0, signed_on="2082-02-30"),
    "date_not_in_date_order": _compose(
        _set("Audit", 0, date_order="day_first"), _set("Contracts", 0, signed_on="02/13/2025")
    ),
    "two_digit_year": _compose(
        _set("Audit", 0, date_order="day_first"), _set("Contracts", 0, signed_on="02/03/25")
    ),
    "inspection_after_today": _set("Audit", 0, inspection_date=dt.date(2027, 3, 1)),
    "inspection_far_ahead": _set("Audit", 0, inspection_date=dt.date(2083, 3, 1)),
    "no_font_for_character": _set("Employers", 0, name="\U00013000 \U00013001"),
    "worker_id_may_be_name": _set("Workers", 0, worker_id="Maria"),
    "unknown_field": _set("Audit", 0, favourite_colour="blue"),
    "value_without_field": _set("Audit", 0, **{"": "stray"}),
    "not_text": _set("Employers", 0, name=True),
    "missing_required_column": _rename("Workers", "nationality", "citizenship"),
}
#: Changes no spreadsheet program can save (openpyxl refuses them): datasets only.
DATASET_ONLY = frozenset({"control_character"})
#: The day the checks take for today, so that "after today" reads the same every day.
TODAY = dt.date(2026, 12, 7)


def _workbook_cases(folder: Path) -> Iterator[tuple[str, Path]]:
    """Workbooks broken in ways :func:`write_book` cannot write, edited with openpyxl."""
    from openpyxl import load_workbook

    def edited(name: str, edit: Callable[[Any], None]) -> tuple[str, Path]:
        path = write_book(folder / f"{name}.xlsx", base_book())
        workbook = load_workbook(path)
        edit(workbook)
        workbook.save(path)
        return name, path

    def audit_layout(workbook: Any) -> None:
        workbook["Audit"]["A1"] = "what"
        workbook["Audit"]["B1"] = "which"
        workbook["Audit"]["A2"] = "nothing"

    def field_twice(workbook: Any) -> None:
        workbook["Audit"].append(["audit_id", "T-2"])
        workbook["Audit"].append(["favourite", "x"])
        workbook["Audit"].append(["favourite", "y"])

    def sheet_twice(workbook: Any) -> None:
        workbook.copy_worksheet(workbook["Workers"]).title = "WORKERS"

    def error_cell(workbook: Any) -> None:
        cell = workbook["Fees"]["E2"]
        cell.value = "#N/A"
        cell.data_type = "e"

    def unnamed_and_repeated(workbook: Any) -> None:
        sheet = workbook["Workers"]
        column = sheet.max_column
        sheet.cell(row=2, column=column + 2, value="stray")
        sheet.cell(row=1, column=column + 3, value="worker_id")
        sheet["A2"].value = "W1"
        workbook["Audit"]["C2"] = "aside"
        workbook["Audit"]["D1"] = "value"

    def merged(workbook: Any) -> None:
        workbook["Fees"].merge_cells("E2:E3")

    for name, edit in {
        "audit_sheet_layout": audit_layout,
        "duplicate_field": field_twice,
        "duplicate_sheet": sheet_twice,
        "error_cell": error_cell,
        "unnamed_and_repeated_columns": unnamed_and_repeated,
        "merged_cells": merged,
    }.items():
        yield edited(name, edit)
    missing = folder / "there-is-no-such-file.xlsx"
    yield "file_unreadable", missing
    empty = folder / "empty.xlsx"
    empty.write_bytes(b"")
    yield "file_empty", empty
    folder_input = folder / "a-folder.xlsx"
    folder_input.mkdir()
    yield "a_folder", folder_input


#: Limits so small that the valid inspection breaks them, one each.
SMALL_LIMITS = {
    "file_too_large": {"max_file_bytes": 1000},
    "too_many_parts": {"max_zip_members": 3},
    "too_many_rows": {"max_rows_per_sheet": 1},
    "too_many_columns": {"max_columns_per_sheet": 3},
    "too_many_cells": {"max_total_cells": 10},
    "text_too_long_header": {"max_cell_chars": 5},
}


def _report_of(run: Callable[[], ValidationReport]) -> ValidationReport:
    try:
        return run()
    except LimitExceeded as refused:
        return ValidationReport(refused.problems, refused.warnings)
    except InvalidInput as invalid:
        return ValidationReport(invalid.problems, invalid.warnings)


def _validate(source: Any, **limits: int) -> ValidationReport:
    from auditor.base.limits import Limits
    from auditor.ingest.load import validate

    return _report_of(lambda: validate(source, limits=Limits(**limits), today=TODAY))


def reports(folder: Path) -> Iterator[tuple[str, ValidationReport]]:
    """Every case's name and report; files are written into ``folder``."""
    from tests.hostile.corpus import write_corpus

    for name, path in write_corpus(folder / "hostile").items():
        yield f"hostile/{name}", _validate(path)
    yield "sample/invalid-workbook", _validate(ROOT / "sample_audits" / "invalid-workbook.xlsx")
    for name, change in MUTATIONS.items():
        book = base_book()
        change(book)
        if name not in DATASET_ONLY:
            yield f"workbook/{name}", _validate(write_book(folder / f"{name}.xlsx", book))
        yield f"dataset/{name}", _validate(as_data(book))
    for name, path in _workbook_cases(folder):
        yield f"workbook/{name}", _validate(path)
    valid = write_book(folder / "valid.xlsx", base_book())
    fixed = folder / "two-thousand-bytes.xlsx"  # a workbook's size varies with its timestamps
    fixed.write_bytes(b"x" * 2000)
    for name, limits in SMALL_LIMITS.items():
        yield f"limits/{name}", _validate(fixed if name == "file_too_large" else valid, **limits)
        yield f"limits/dataset/{name}", _validate(as_data(base_book()), **limits)
    for name, data in {
        "not_an_object": [1, 2],
        "record_not_an_object": {**as_data(base_book()), "fees": ["oops"]},
        "not_a_list": {**as_data(base_book()), "workers": "W1"},
        "unknown_and_twice": {**as_data(base_book()), "Workers ": [], "colour": 1},
        "audit_not_an_object": {**as_data(base_book()), "audit": "x"},
        "no_audit": {k: v for k, v in as_data(base_book()).items() if k != "audit"},
        "no_list": {k: v for k, v in as_data(base_book()).items() if k != "employers"},
    }.items():
        yield f"dataset/{name}", _validate(data)
    for name, text in {"invalid_json": "{not json", "deep_json": "[" * 100_000}.items():
        yield f"json/{name}", _report_of(lambda text=text: _from_json(text))
    yield "json/a_list", _report_of(lambda: _from_json("[1]"))


def _from_json(text: str) -> ValidationReport:
    auditor.AuditDataset.from_json(text)
    return ValidationReport((), ())


def documents(folder: Path) -> dict[str, str]:
    """Every case's problems document (the JSON text), by case name."""
    return {
        name: problems_json(name, report).replace(str(folder), "<folder>")
        for name, report in reports(folder)
    }


if __name__ == "__main__":  # python -m tests.i18n.problem_corpus: rewrite the pinned file
    import json
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        made = documents(Path(folder))
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else PINNED
    out.write_text(json.dumps(made, indent=1, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")
    print(f"{len(made)} cases written to {out}")
