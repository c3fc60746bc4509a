"""The blank template: every sheet and header, drop-downs, a Guide; filled in, it validates."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import auditor
from auditor.ingest.template import write_template
from auditor.model.plausible import checked_on
from auditor.model.sheets import SHEETS, TABLE_SHEETS


def test_the_template_has_every_sheet_header_and_a_guide(tmp_path: Path) -> None:
    path = write_template(tmp_path / "t.xlsx", jurisdictions=("ilo", "PH"))
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Guide"] + [spec.name for spec in SHEETS]  # the Guide first
    for spec in TABLE_SHEETS:
        header = [cell.value for cell in workbook[spec.name][1]]
        assert header == list(spec.fields)
    assert [row[0].value for row in workbook["Audit"].iter_rows(min_row=2)] == [
        *SHEETS[0].fields,
        "date_order",  # format 1.2: how text dates are written; read, not part of the record
    ]
    guide = [[c.value for c in row] for row in workbook["Guide"].iter_rows()]
    assert ["Fees", "amount", "yes"] in [row[:3] for row in guide]


def test_enumerations_and_booleans_have_drop_down_lists(tmp_path: Path) -> None:
    workbook = load_workbook(write_template(tmp_path / "t.xlsx", jurisdictions=("ilo", "PH")))
    lists = {str(v.sqref): v.formula1 for v in workbook["Workers"].data_validations.dataValidation}
    assert lists["B2:B5000"] == '"female,male,other"'
    assert lists["J2:J5000"] == '"yes,no"'
    audit_lists = {
        str(v.sqref): v.formula1 for v in workbook["Audit"].data_validations.dataValidation
    }
    assert audit_lists["B7"] == '"ilo,PH"'  # jurisdiction


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
    assert load_workbook(out).sheetnames[0] == "Guide"


def test_every_column_has_its_label_and_what_to_type_and_typed_columns_are_checked(
    tmp_path: Path,
) -> None:
    """Format 1.1 template: input messages, validation, code and id drop-downs, one red mark."""
    workbook = load_workbook(write_template(tmp_path / "t.xlsx", jurisdictions=("ilo", "NP")))
    for spec in TABLE_SHEETS:
        sheet = workbook[spec.name]
        assert sheet.freeze_panes == "A2"
        checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
        for column, (name, info) in enumerate(spec.model.model_fields.items(), start=1):
            letter = chr(64 + column) if column <= 26 else None
            assert letter is not None
            header = checks[f"{letter}1"]
            assert header.promptTitle, (spec.name, name)
            assert header.prompt, (spec.name, name)
            body = checks[f"{letter}2:{letter}5000"]
            assert body.prompt.startswith("Required." if info.is_required() else "Optional"), name
            red = sheet[f"{letter}1"].fill.fgColor.rgb.endswith("C00000")
            assert red == info.is_required(), (spec.name, name)
    fees = {str(v.sqref): v for v in workbook["Fees"].data_validations.dataValidation}
    assert fees["E2:E5000"].type == "decimal"  # amount
    assert fees["E2:E5000"].operator == "greaterThanOrEqual"
    assert fees["J2:J5000"].type == "date"  # paid_on
    assert fees["B2:B5000"].formula1 == "'Workers'!$A$2:$A$5000"  # worker ids
    assert fees["F2:F5000"].formula1.startswith("Guide!$I$2:$I$")  # currencies
    workers = {str(v.sqref): v for v in workbook["Workers"].data_validations.dataValidation}
    assert workers["D2:D5000"].formula1.startswith("Guide!$H$2:$H$")  # countries
    assert workers["D2:D5000"].errorStyle == "warning"  # names (Nepal) are accepted too
    assert workers["F2:F5000"].formula1.startswith("Guide!$J$2:$J$")  # languages
    guide = workbook["Guide"]
    assert "NP" in [c.value for c in guide["H"]]
    assert "NPR" in [c.value for c in guide["I"]]
    audit = workbook["Audit"]
    marked = {
        row[0].value
        for row in audit.iter_rows(min_row=2)
        if row[0].fill.fgColor.rgb.endswith("C00000")
    }
    assert marked == {n for n, i in SHEETS[0].model.model_fields.items() if i.is_required()}


def test_the_template_filled_through_openpyxl_round_trips(tmp_path: Path) -> None:
    """Every sheet filled as an inspector would, saved, validated and read back."""
    path = write_template(tmp_path / "t.xlsx", jurisdictions=("ilo", "NP"))
    workbook = load_workbook(path)
    audit = {
        "audit_id": "NP-2026-0007", "agency_name": "Himal Manpower", "origin_country": "Nepal",
        "inspection_date": dt.date(2026, 6, 30), "currency": "USD", "inspector": "S. Sharma",
        "agency_address": "Kathmandu", "case_reference": "DoFE/17",
        "follow_up_due": dt.date(2026, 12, 1), "observations": "Register kept by hand.",
    }  # fmt: skip
    for row in workbook["Audit"].iter_rows(min_row=2):
        if row[0].value in audit:
            row[1].value = audit[row[0].value]
    workbook["Employers"].append(["E1", "Doha Build", "QA", "construction", "yes"])
    workbook["Workers"].append(["W1", "M", dt.date(1990, 1, 1), "NPL", "E1", "Nepali, English",
                                dt.date(2025, 1, 1), "1,200", "QAR"])  # fmt: skip
    workbook["Contracts"].append(["C1", "W1", "origin", dt.date(2024, 12, 1), "ne", "yes",
                                  "1,200", "QAR"])  # fmt: skip
    workbook["Fees"].append(["F1", "W1", "medical", "check-up", "5,000", "NPR", "worker"])
    workbook["Channels"].append(["CH1", "government", "hotline", "ne"])
    workbook["FX"].append(["QAR", 0.2747])
    workbook["FX"].append(["NPR", 0.0075])
    workbook["Sources"].append(["S1", "interview", "Interview at the office", "worker", "W1"])
    workbook.save(path)
    with checked_on(dt.date(2026, 7, 1)):
        report = auditor.validate(path)
        assert report.errors == [], report.lines()
        dataset = auditor.read_workbook(path)
    assert dataset.audit.origin_country == "NP"
    assert dataset.audit.observations == "Register kept by hand."
    assert dataset.workers[0].languages == ("ne", "en")
    assert dataset.fees[0].amount == 5000
    assert dataset.sources[0].subject_id == "W1"


def test_a_nepali_template_gives_nepali_examples_and_the_1_2_reading(tmp_path: Path) -> None:
    """``auditor template --jurisdiction NP``: examples of the office's profile (issue 25)."""
    out = tmp_path / "np.xlsx"
    run = subprocess.run(
        [sys.executable, "-m", "auditor", "template", "--jurisdiction", "np", "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    workbook = load_workbook(out)
    audit = {row[0].value: row[1].value for row in workbook["Audit"].iter_rows(min_row=2)}
    assert audit["jurisdiction"] == "NP"
    assert audit["origin_country"] == "NP"
    assert "date_order" in audit
    prompts = {
        str(v.sqref): (v.prompt or "") for v in workbook["Audit"].data_validations.dataValidation
    }
    origin = prompts[f"B{list(audit).index('origin_country') + 2}"]
    assert "e.g. NP" in origin
    assert "PH" not in origin
    currency = prompts[f"B{list(audit).index('currency') + 2}"]
    assert "NPR" in currency
    assert "e.g. USD" not in currency
    order = prompts[f"B{list(audit).index('date_order') + 2}"]
    assert "day_first" in order
    guide = " ".join(
        str(cell.value) for row in workbook["Guide"].iter_rows(max_col=5) for cell in row
    )
    for words in ("1,50,000", "date_order", "day_first", "UAE", "Nepali", "Bikram Sambat",
                  "looks like a person's name", "worker_id_looks_like_name",
                  "recruitment fee of at most NPR 10,000"):  # fmt: skip
        assert words in guide, words
    assert "two-letter country code" not in guide
    assert "plain numbers (1200.50)" not in guide
    page = workbook["Guide"].page_setup
    assert (page.orientation, page.paperSize) == ("portrait", 9)  # A4
    assert (page.fitToWidth, page.fitToHeight) == (1, 0)
    assert workbook["Guide"].print_title_rows  # the table's header on every page
    workers = workbook["Workers"]
    assert workers.print_options.gridLines
    note = workers["A1"].comment
    assert note is not None
    assert "pseudonym" in note.text
    assert workers.page_setup.cellComments == "asDisplayed"  # LibreOffice prints them
    assert (workers.page_setup.orientation, workers.print_title_rows) == ("landscape", "$1:$1")
    assert workbook["Audit"]["A2"].comment is not None  # the Audit fields print their help


def test_a_nepali_template_filled_the_clerks_way_validates(tmp_path: Path) -> None:
    path = write_template(tmp_path / "np.xlsx", jurisdiction="NP")
    workbook = load_workbook(path)
    values = {
        "audit_id": "DOFE-2026-7",
        "agency_name": "Himal Manpower",
        "inspection_date": "30/06/2026",
        "currency": "NPR",
        "date_order": "day_first",
    }
    for row in workbook["Audit"].iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    workbook["Employers"].append(["E1", "Al Noor", "UAE", "domestic_work"])
    workbook["Workers"].append(["का-०१", "F", "20/04/1994", "Nepal", "E1", "Nepali"])
    workbook.save(path)
    with checked_on(dt.date(2026, 7, 1)):
        report = auditor.validate(path)
    assert report.errors == []


def test_a_template_for_an_unknown_profile_is_refused(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "auditor", "template", "--jurisdiction", "XX",
         "--out", str(tmp_path / "x.xlsx")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 2
    assert "no jurisdiction profile 'XX'" in run.stderr
    assert not (tmp_path / "x.xlsx").exists()


#: What each shipped profile's clerks type: (profile, country, alpha-3, currency, language,
#: language name, a date as their date_order writes it).
_PROFILE_EXAMPLES = [
    ("NP", "NP", "NPL", "NPR", "ne", "Nepali", "30/06/2026"),
    ("PH", "PH", "PHL", "PHP", "tl", "Tagalog", "06/30/2026"),
    ("ID", "ID", "IDN", "IDR", "id", "Indonesian", "30/06/2026"),
    ("ilo", "PH", "PHL", "USD", "tl", "Tagalog", "30/06/2026"),
]
#: What each profile's Guide says of fees, from the profile's own allowances.
_FEES = {
    "NP": "Fees under Nepal (NP): the worker may pay a recruitment fee of at most NPR 10,000 "
    "(to MY, SA, QA, AE, KW, BH, OM); and these costs: insurance, training, medical, "
    "personal_documents (to MY, SA, QA, AE, KW, BH, OM);",
    "PH": "Fees under Philippines (PH): the worker may pay a recruitment fee of at most 1 month "
    "of the origin contract's wage (except to GB, IE, NL, NO; except in domestic_work); and "
    "these costs: personal_documents, medical, skills_test;",
    "ID": "Fees under Indonesia (ID): the worker may pay these costs: personal_documents, "
    "medical, skills_test (except in domestic_work, care, agriculture, fishing);",
    "ilo": "Fees under International baseline (ILO) (ilo): the worker may pay no recruitment "
    "fee and no related cost.",
}


def _shipped_profiles() -> set[str]:
    rules = Path(auditor.__file__).resolve().parent.parent / "rules" / "profiles"
    return {path.stem for path in rules.glob("*.yaml")}


def test_the_examples_cover_every_shipped_profile() -> None:
    assert {row[0] for row in _PROFILE_EXAMPLES} == _shipped_profiles()


@pytest.mark.parametrize(
    ("profile", "country", "alpha3", "currency", "language", "language_name", "date"),
    _PROFILE_EXAMPLES,
)
def test_every_example_follows_the_chosen_profile(  # noqa: PLR0917 - one profile's examples
    tmp_path: Path,
    profile: str,
    country: str,
    alpha3: str,
    currency: str,
    language: str,
    language_name: str,
    date: str,
) -> None:
    """Guide, input messages and notes give the profile's country, currency, language, dates."""
    workbook = load_workbook(write_template(tmp_path / "t.xlsx", jurisdiction=profile))
    guide = " ".join(
        str(cell.value) for row in workbook["Guide"].iter_rows(max_col=5) for cell in row
    )
    prompts = " ".join(
        v.prompt or ""
        for sheet in workbook.worksheets
        for v in sheet.data_validations.dataValidation
    )
    notes = " ".join(
        cell.comment.text
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(max_row=30)
        for cell in row
        if cell.comment is not None
    )
    for text in (guide, prompts, notes):
        assert f"({country}, {alpha3}," in text  # the country example
        assert f"({currency}, USD" in text or currency == "USD"
        assert f"({language}, en)" in text
        assert f"({language_name})" in text
        assert f"({date} when the Audit field date_order is" in text
        foreign = {"NPR", "PHP", "IDR"} - {currency}
        assert not [word for word in foreign if f"({word}," in text], foreign
    assert _FEES[profile] in guide  # fee categories as the profile allows them
    usual = f"Here dates are usually written {'month' if date[:2] == '06' else 'day'}_first"
    assert (usual in guide) == (profile != "ilo")  # the baseline has no clerks of its own
    # the examples read back: a fee typed the profile's way validates
    audit = {row[0].value: row for row in workbook["Audit"].iter_rows(min_row=2)}
    audit["audit_id"][1].value = "X-1"
    audit["agency_name"][1].value = "Agency"
    audit["origin_country"][1].value = alpha3
    audit["inspection_date"][1].value = date
    audit["currency"][1].value = currency
    audit["date_order"][1].value = "month_first" if date.startswith("06") else "day_first"
    workbook["Employers"].append(["E1", "Employer", "UAE", "domestic_work"])
    workbook["Workers"].append(["W-001", "F", date, country, "E1", f"{language_name}, en"])
    workbook.save(tmp_path / "t.xlsx")
    with checked_on(dt.date(2026, 7, 1)):
        report = auditor.validate(tmp_path / "t.xlsx")
    assert [str(p) for p in report.errors if "date_of_birth" not in str(p)] == []


def test_the_template_is_the_same_bytes_twice(tmp_path: Path) -> None:
    first = write_template(tmp_path / "a.xlsx", jurisdiction="NP").read_bytes()
    assert write_template(tmp_path / "b.xlsx", jurisdiction="NP").read_bytes() == first


def _office() -> str:
    found = shutil.which("soffice")
    if found is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice and pdftotext are needed in CI (libreoffice-calc-nogui, poppler)")
        pytest.skip("LibreOffice (soffice) or poppler's pdftotext is not installed")
    return found


def test_the_template_prints_readably_through_libreoffice(tmp_path: Path) -> None:
    """LibreOffice's PDF export: a Guide at >= 9 pt, every sheet with its columns' help."""
    soffice = _office()
    path = write_template(tmp_path / "template.xlsx", jurisdiction="NP")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, check=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / "template.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))[6:])
    # Guide (about 5), Audit, then each of 9 data sheets: its form and its notes
    assert 15 <= pages <= 40, pages
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for words in ("How to fill in this workbook", "lakh grouping (1,50,000)",
                  "worker_id_looks_like_name", "date_order", "NPL", "UAE"):  # fmt: skip
        assert words in flat, words
    for spec in TABLE_SHEETS:  # each sheet's notes print: its first column's help
        first = next(iter(spec.model.model_fields))
        assert f"{first} ({first.replace('_', ' ').capitalize().replace(' id', ' ID')}" in flat
    assert "worker_id (Worker ID): Required." in flat
    # the Guide's text at >= 9 pt: pdftotext's word boxes on its first page are that tall
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-f", "2", "-l", "2", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import re

    heights = sorted(
        float(m[2]) - float(m[1])
        for m in re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"',
                             boxes)
    )  # fmt: skip
    assert heights
    assert heights[len(heights) // 2] >= 9, heights[len(heights) // 2]
