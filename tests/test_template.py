"""The blank template: every sheet and header, drop-downs, a Guide; filled in, it validates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

import auditor
from auditor.model.sheets import SHEETS, TABLE_SHEETS
from auditor.workbook import write_template


def test_the_template_has_every_sheet_header_and_a_guide(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", jurisdictions=("ilo", "PH"))
    workbook = load_workbook(path)
    assert workbook.sheetnames == [spec.name for spec in SHEETS] + ["Guide"]
    for spec in TABLE_SHEETS:
        header = [cell.value for cell in workbook[spec.name][1]]
        assert header == list(spec.fields)
    assert [row[0].value for row in workbook["Audit"].iter_rows(min_row=2)] == list(
        SHEETS[0].fields
    )
    guide = [[c.value for c in row] for row in workbook["Guide"].iter_rows()]
    assert ["Fees", "amount", "yes"] in [row[:3] for row in guide]


def test_enumerations_and_booleans_have_drop_down_lists(tmp_path: Path) -> None:
    workbook = load_workbook(write_template(tmp_path / "t.xlsx", jurisdictions=("ilo", "PH")))
    lists = {str(v.sqref): v.formula1 for v in workbook["Workers"].data_validations.dataValidation}
    assert lists["B2:B5000"] == '"female,male,other"'
    assert lists["J2:J5000"] == '"yes,no"'
    audit_lists = [v.formula1 for v in workbook["Audit"].data_validations.dataValidation]
    assert audit_lists == ['"ilo,PH"']


def test_a_filled_in_template_validates(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx")
    workbook = load_workbook(path)
    audit = workbook["Audit"]
    values = {
        "audit_id": "HC-2026-0001",
        "agency_name": "Filled In Ltd",
        "origin_country": "NP",
        "inspection_date": dt.date(2026, 6, 30),
        "currency": "NPR",
    }
    for row in audit.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    workbook["Employers"].append(["E1", "Doha Build", "QA", "construction", "yes"])
    workbook["Workers"].append(["W1", "M", None, "NP", "E1", "ne"])
    workbook.save(path)
    report = auditor.validate(path)
    assert report.errors == []
    assert report.warnings == []
    dataset = auditor.read_workbook(path)
    assert dataset.workers[0].worker_id == "W1"


def test_template_command(tmp_path: Path) -> None:
    from auditor.cli import main

    out = tmp_path / "blank.xlsx"
    assert main(["template", "--out", str(out)]) == 0
    assert load_workbook(out).sheetnames[-1] == "Guide"
