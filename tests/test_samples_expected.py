"""End to end: each valid sample audits to exactly its pinned, reviewed result.

The expected files were checked by hand against the facts planted in
``sample_audits/generate.py``. They pin the rule pack's version too, so a
change to any rule file fails here: rerun ``make expected`` and review the
diff of ``sample_audits/expected/`` before committing it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

import auditor

SAMPLES = Path(__file__).resolve().parent.parent / "sample_audits"


@pytest.mark.parametrize(
    ("workbook", "expected"),
    [
        ("compliant-agency.xlsx", "PH-2026-0101.json"),
        ("agency-with-problems.xlsx", "PH-2026-0417.json"),
    ],
)
def test_sample_gives_its_expected_result(workbook: str, expected: str) -> None:
    result = auditor.audit(SAMPLES / workbook).to_json()
    pinned = (SAMPLES / "expected" / expected).read_text(encoding="utf-8")
    assert result == pinned, "the result changed: run make expected and review the diff"


def test_the_follow_up_sample_gives_its_expected_result_and_comparison() -> None:
    """The follow-up of the problem agency, compared with the pinned previous result."""
    from auditor.ingest.load import read_workbook
    from auditor.verdict.compare import compare

    result = auditor.audit(SAMPLES / "agency-follow-up.xlsx")
    assert result.to_json() == (SAMPLES / "expected" / "PH-2026-1102.json").read_text("utf-8")
    fees = read_workbook(SAMPLES / "agency-follow-up.xlsx").fees
    refunded_on = {f.fee_id: f.refunded_on for f in fees if f.refunded_on is not None}
    comparison = compare(
        SAMPLES / "expected" / "PH-2026-0417.json", result, refunded_on=refunded_on
    )
    pinned = (SAMPLES / "expected" / "PH-2026-1102.comparison.json").read_text("utf-8")
    assert comparison.to_json() == pinned, "run make expected and review the diff"
    found = comparison.findings
    assert {(i.rule_id, i.subject.id) for i in found.resolved} == {
        ("LIC-01", "PH-2026-0417"), ("DOC-01", "W15"), ("REST-01", "W10"),
        ("WAGE-01", "W17"), ("WAGE-02", "W16"),
    }  # fmt: skip
    assert ("DOC-01", "W05") in {(i.rule_id, i.subject.id) for i in found.new}
    assert {i.subject.id for i in found.not_reassessed} == {"W18"}  # the worker gone
    assert comparison.money_owed is not None
    assert comparison.money_owed.by_worker["W18"].current is None
    assert comparison.money_owed.refunded_total == Decimal("840")
    assert comparison.money_owed.current_total == Decimal("507.5")
    # 1.2: the money table's terms add up, each shown: 1722.5 - 840 - 525 (W18, not
    # reassessed) + 150 (W22 refunded 350 of 200 owed) + 0 = 507.5
    money = comparison.money_owed
    assert (money.not_reassessed_total, money.over_refunded_total) == (Decimal(525), Decimal(150))
    assert money.other_changes_total == 0
    assert (
        money.previous_total - money.refunded_total - money.not_reassessed_total
        + money.over_refunded_total + money.other_changes_total
    ) == money.current_total  # fmt: skip
    # a fee refunded in full is never overdue; only persisting findings are ever overdue
    full = {(i.rule_id, i.subject.id) for i in found.persisting if i.refunded_in_full}
    assert full == {("FEE-01", "W21"), ("FEE-02", "W24"), ("FEE-06", "W22")}
    assert not any(i.overdue for i in found.persisting if i.refunded_in_full)
    assert not any(i.overdue for i in (*found.resolved, *found.not_reassessed, *found.new))
    assert comparison.due_basis == "inspection"


def test_the_problem_agency_shows_every_paragraph_and_every_rule() -> None:
    document = json.loads((SAMPLES / "expected" / "PH-2026-0417.json").read_text())
    fired = {finding["rule_id"] for finding in document["findings"]}
    # COMP-01 (no channel at all) cannot fire beside the rules about channels that exist
    assert fired == {rule["rule_id"] for rule in document["rules"]} - {"COMP-01"}
    assert {finding["paragraph"] for finding in document["findings"]} == {11, 16, 26, 30}
    assert document["money_owed"]["total"] == 1722.5
    assert document["rating"] == "critical"
    assert document["provisional"] is True


def test_the_compliant_agency_scores_full_marks() -> None:
    document = json.loads((SAMPLES / "expected" / "PH-2026-0101.json").read_text())
    assert (document["score"], document["rating"], document["coverage"]) == (100.0, "A", 1.0)
    assert document["findings"] == []
    assert document["data_gaps"] == []
