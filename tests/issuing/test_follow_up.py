"""Follow-ups read the previous issued view: one due date per persisting order everywhere."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import orjson
import pytest

from auditor.cli.audit import follow_up
from auditor.cli.main import main
from auditor.issuing import IssuedBy, IssueRecord, Review, make_issue_record, render_draft_pdf
from auditor.render import Copy
from auditor.verdict.inspection import Inspection

from .conftest import SAMPLE

FOLLOW_UP = SAMPLE.parent / "agency-follow-up.xlsx"
PREVIOUS_ISSUED_ON = dt.date(2026, 7, 15)


@pytest.fixture(scope="module")
def previous_record(inspection: Inspection) -> IssueRecord:
    set_aside = next(
        f for f in inspection.result.findings if (f.rule_id, f.subject.id) == ("FEE-02", "W27")
    )
    review = Review.model_validate(
        {
            "set_aside": [
                {
                    "rule_id": set_aside.rule_id,
                    "subject": {"type": "worker", "id": set_aside.subject.id},
                    "reason": "The employer paid this fee back through the agency.",
                }
            ],
            "added": [
                {"paragraph": 30, "severity": "medium", "subject_type": "agency",
                 "finding": "Recruiters were paid per worker placed.", "evidence": "Payroll."}
            ],
        }
    )  # fmt: skip
    return make_issue_record(
        inspection,
        review,
        issued_on=PREVIOUS_ISSUED_ON,
        today=PREVIOUS_ISSUED_ON,
        issued_by=IssuedBy(name="Sita Sharma", title="Inspector"),
        office="KTM",
    )


@pytest.fixture(scope="module")
def followed(inspection: Inspection, previous_record: IssueRecord) -> Inspection:
    from auditor.pipeline import inspect_records

    current = inspect_records(FOLLOW_UP)
    record: dict[str, Any] = orjson.loads(previous_record.to_json_bytes())
    return follow_up(current, inspection.result.to_dict(), record)


def test_persisting_orders_keep_the_previous_records_due_date(
    followed: Inspection, previous_record: IssueRecord
) -> None:
    comparison = followed.comparison
    assert comparison is not None
    assert comparison.due_basis == "issue"
    assert comparison.previous_issue_code == previous_record.verification_code
    for item in comparison.findings.persisting:
        subject = (item.subject.type.value, item.subject.id)
        if item.subject.type.value == "agency":
            continue
        assert item.due == previous_record.due_of(item.rule_id, subject)
        if item.due is not None and not item.refunded_in_full:
            assert item.overdue == (comparison.current.inspection_date > item.due)
    high = [i for i in comparison.findings.persisting if i.severity.value == "high"]
    assert any(i.due == PREVIOUS_ISSUED_ON + dt.timedelta(days=30) for i in high)


def test_a_finding_set_aside_before_is_never_persisting_or_overdue(followed: Inspection) -> None:
    comparison = followed.comparison
    assert comparison is not None
    aside = [(i.rule_id, i.subject.id) for i in comparison.findings.set_aside_previously]
    assert aside == [("FEE-02", "W27")]
    assert ("FEE-02", "W27") not in {
        (i.rule_id, i.subject.id) for i in comparison.findings.persisting
    }
    assert [a.rule_id for a in comparison.previous_added] == ["INSP-1"]


def test_the_draft_says_the_same_due_date_in_both_chapters(followed: Inspection) -> None:
    from pypdf import PdfReader

    comparison = followed.comparison
    assert comparison is not None
    item = next(
        i for i in comparison.findings.persisting
        if i.rule_id == "FEE-02" and i.due is not None and not i.refunded_in_full
    )  # fmt: skip
    assert item.due is not None
    pdf = render_draft_pdf(followed, Copy.INSPECTOR)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    day = f"{item.due.day} {item.due.strftime('%B')} {item.due.year}"
    assert f"{item.subject.id}: due {day} (overdue)" in text  # the findings chapter
    assert "Set aside at the previous audit" in text
    assert "refunded in full on" in text
    assert "equals still owed now" in text


def test_the_command_takes_the_previous_issue_record(
    inspection: Inspection, previous_record: IssueRecord, tmp_path: Path
) -> None:
    previous = tmp_path / "PH-2026-0417.json"
    previous.write_bytes(inspection.result.to_json_bytes())
    record = tmp_path / "PH-2026-0417.issue.json"
    record.write_bytes(previous_record.to_json_bytes())
    out = tmp_path / "out"
    code = main(["audit", str(FOLLOW_UP), "--previous", str(previous), "--previous-issue",
                 str(record), "--format", "json", "--out", str(out), "--in-process"])  # fmt: skip
    assert code == 0
    document = orjson.loads((out / "PH-2026-1102.comparison.json").read_bytes())
    assert document["due_basis"] == "issue"
    assert document["findings"]["set_aside_previously"][0]["subject"]["id"] == "W27"
    current = out / "PH-2026-1102.json"
    code = main(["compare", str(previous), str(current), "--previous-issue", str(record),
                 "--out", str(tmp_path / "cmp")])  # fmt: skip
    assert code == 0
    again = orjson.loads((tmp_path / "cmp" / "PH-2026-1102.comparison.json").read_bytes())
    assert again["due_basis"] == "issue"
    # the same due dates; compare has no workbook, so no refund dates (refunded_on null)
    assert [(i["rule_id"], i["subject"]["id"], i["due"], i["overdue"])
            for i in again["findings"]["persisting"]] == [
        (i["rule_id"], i["subject"]["id"], i["due"], i["overdue"])
        for i in document["findings"]["persisting"]
    ]  # fmt: skip


def test_an_issue_record_of_another_audit_is_refused(
    inspection: Inspection, previous_record: IssueRecord, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    previous = tmp_path / "prev.json"
    previous.write_bytes(inspection.result.to_json_bytes())
    other = orjson.loads(previous_record.to_json_bytes())
    other["audit_id"] = "SOMETHING-ELSE"
    record = tmp_path / "other.issue.json"
    record.write_bytes(orjson.dumps(other))
    out = tmp_path / "o"
    code = main(["audit", str(FOLLOW_UP), "--previous", str(previous), "--previous-issue",
                 str(record), "--format", "json", "--out", str(out), "--in-process"])  # fmt: skip
    assert code == 2
    assert "not of the previous result" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
