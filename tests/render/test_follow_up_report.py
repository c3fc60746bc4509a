"""The follow-up in the reports: "Since the previous audit", refunds beside their fees.

Rendered to HTML (the PDF is made from it): the inspector's copy lists what was
resolved, what persists with overdue orders first and their due dates, what is new
and the money worker by worker; the agency's copy counts confidential findings but
names none of their subjects; the money section shows each refund beside its fee.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import auditor
from auditor.cli import main
from auditor.render.copies import Copy
from auditor.render.report import report_html
from auditor.render.view import build_view
from auditor.verdict.compare import compare
from auditor.verdict.inspection import Inspection

SAMPLES = Path(__file__).resolve().parents[2] / "sample_audits"
PREVIOUS = SAMPLES / "expected" / "PH-2026-0417.json"


@pytest.fixture(scope="module")
def follow_up() -> Inspection:
    inspection = auditor.inspect_records(SAMPLES / "agency-follow-up.xlsx")
    return dataclasses.replace(inspection, comparison=compare(PREVIOUS, inspection.result))


def html(inspection: Inspection, copy: Copy) -> str:
    return report_html(inspection, auditor.render.result_for(inspection, copy), copy)


def test_the_section_follows_the_summary(follow_up: Inspection) -> None:
    page = html(follow_up, Copy.INSPECTOR)
    assert page.index('id="summary"') < page.index('id="since"') < page.index('id="money"')
    assert "Since the previous audit" in page
    assert "PH-2026-0417" in page


def test_overdue_orders_come_first_with_their_due_dates(follow_up: Inspection) -> None:
    since = build_view(follow_up, follow_up.result, Copy.INSPECTOR).since
    assert since is not None
    assert [g.overdue for g in since.persisting] == sorted(
        (g.overdue for g in since.persisting), reverse=True
    )
    assert since.persisting[0].due == "30 June 2026"  # critical: due at once
    assert {g.rule_id for g in since.resolved} == {"LIC-01", "DOC-01", "REST-01", "WAGE-01",
                                                  "WAGE-02"}  # fmt: skip
    money = {line.worker_id: line for line in since.money}
    assert money["W18"].current == "not in this audit"
    assert money["W21"].refunded == "262.50 USD"
    assert money["W21"].current == "0.00 USD"


def test_the_agency_copy_counts_confidential_findings_without_subjects(
    follow_up: Inspection,
) -> None:
    since = build_view(follow_up, auditor.render.result_for(follow_up, Copy.AGENCY),
                       Copy.AGENCY).since  # fmt: skip
    assert since is not None
    listed = {g.rule_id for groups in (since.persisting, since.new, since.resolved,
                                      since.not_reassessed) for g in groups}  # fmt: skip
    assert not listed & {"COMP-06", "COMP-07", "COMP-08", "FL-01"}
    assert since.withheld_rules
    inspector = build_view(follow_up, follow_up.result, Copy.INSPECTOR).since
    assert inspector is not None
    assert since.counts == inspector.counts  # the counts stay whole
    assert since.money == inspector.money  # money is not confidential
    page = html(follow_up, Copy.AGENCY)
    section = page[page.index('id="since"') : page.index('id="money"')]
    assert "K01" not in section  # the late complaint of COMP-07
    assert "W20" not in section  # the worker penalised for complaining (COMP-06)


def test_each_refund_is_shown_beside_its_fee(follow_up: Inspection) -> None:
    view = build_view(follow_up, follow_up.result, Copy.INSPECTOR)
    by_worker = {line.worker_id: line for line in view.refunds}
    assert by_worker["W26"].fee == "10,000.00 PHP"
    assert by_worker["W26"].refunded == "5,000.00 PHP"
    assert by_worker["W26"].refunded_on == "10 August 2026"
    assert by_worker["W26"].rules == "FEE-03"
    assert by_worker["W26"].counted
    assert view.refunded_total == "840.00 USD"
    assert "Refunds counted against" in html(follow_up, Copy.INSPECTOR)


def test_a_report_without_a_previous_audit_has_no_section() -> None:
    inspection = auditor.inspect_records(SAMPLES / "compliant-agency.xlsx")
    assert 'id="since"' not in html(inspection, Copy.INSPECTOR)


def test_the_template_has_the_refund_columns_with_their_help(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert main(["template", "--out", str(tmp_path / "t.xlsx")]) == 0
    book = load_workbook(tmp_path / "t.xlsx")
    sheet = book["Fees"]
    headers = [cell.value for cell in sheet[1]]
    text = " ".join(str(c.value) for row in book["Guide"].iter_rows() for c in row if c.value)
    assert "refunded_amount" in " ".join(map(str, headers))
    assert "refunded_on" in " ".join(map(str, headers))
    assert "at most the amount" in text
    assert "required when refunded_amount is above 0" in text


def test_a_previous_audit_other_than_follow_up_of_is_noted(tmp_path: Path, capsys: Any) -> None:
    other = json.loads(PREVIOUS.read_text())
    other["audit_id"] = "PH-2026-0001"
    previous = tmp_path / "other.json"
    previous.write_text(json.dumps(other))
    out = tmp_path / "out"
    code = main(["audit", str(SAMPLES / "agency-follow-up.xlsx"), "--previous", str(previous),
                 "--out", str(out), "--format", "json", "--in-process"])  # fmt: skip
    assert code == 0
    document = json.loads((out / "PH-2026-1102.comparison.json").read_text())
    assert any("follows up audit PH-2026-0417" in note for note in document["notes"])
    assert "Follow-up PH-2026-1102 of PH-2026-0001" in capsys.readouterr().out


def test_previous_with_several_workbooks_is_refused(tmp_path: Path, capsys: Any) -> None:
    code = main(["audit", str(SAMPLES / "agency-follow-up.xlsx"),
                 str(SAMPLES / "compliant-agency.xlsx"), "--previous", str(PREVIOUS),
                 "--out", str(tmp_path / "out")])  # fmt: skip
    assert code == 2
    assert "--previous takes one workbook" in capsys.readouterr().err
