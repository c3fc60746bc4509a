"""Follow-up audits: ``auditor.compare`` and ``audit-comparison/1`` (audit-output.md).

Examples pin each list (resolved, persisting, new, not reassessed), due dates and
overdue orders, the money worker by worker, the refusals and the notes; properties
over generated audits hold the comparison to its definition; the command line writes
the files and refuses with exit 2.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import auditor
from auditor.cli import main
from auditor.engine.pack import rule_pack
from auditor.model.dataset import AuditDataset
from auditor.render.copies import confidential_rules
from auditor.testing.baseline import apply_changes, baseline
from auditor.testing.strategies import datasets
from auditor.verdict.compare import Comparison, NotComparable, compare

EARLIER = "2026-01-15"
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def audit(data: dict[str, Any]) -> dict[str, Any]:
    return auditor.audit(auditor.AuditDataset.from_dict(data)).to_dict()


def earlier(data: dict[str, Any], **audit_fields: Any) -> dict[str, Any]:
    return apply_changes(
        data, change={"audit": {"inspection_date": EARLIER, "audit_id": "EX-0000", **audit_fields}}
    )


def fee(fee_id: str, amount: object, worker: str = "W1", **fields: Any) -> dict[str, Any]:
    return {
        "fee_id": fee_id,
        "worker_id": worker,
        "category": "training",
        "amount": amount,
        "paid_on": "2025-01-10",
        **fields,
    }


def keys(items: Any) -> list[tuple[str, str]]:
    return [(i.rule_id, i.subject.id) for i in items]


# -- the lists --------------------------------------------------------------------------------


def test_resolved_persisting_new_and_not_reassessed() -> None:
    second = {
        "workers": [{"worker_id": "W2", "passport_held_by": "agency"}],
        "contracts": [{"contract_id": "C2", "worker_id": "W2", "stage": "origin"}],
    }
    before = apply_changes(
        baseline(),
        change={"workers": {"W1": {"wages_withheld": "yes", "briefing_received": "no"}}},
        add={**second, "fees": [fee("F2", 100)]},
    )
    after = apply_changes(
        baseline(),  # W2 gone; wages paid; briefing not recorded now; a new missing receipt
        change={"workers": {"W1": {"briefing_received": None, "briefing_languages": None}}},
        add={"fees": [fee("F2", 100), fee("F3", 10, receipt_issued="no")]},
    )
    result = compare(audit(earlier(before)), audit(after))
    assert keys(result.findings.persisting) == [("FEE-02", "W1")]
    assert keys(result.findings.resolved) == [("WAGE-02", "W1")]
    assert keys(result.findings.new) == [("FEE-05", "W1")]
    # INFO-01 is a data gap now; W2 is not in the current audit
    assert keys(result.findings.not_reassessed) == [("INFO-01", "W1"), ("DOC-01", "W2")]
    assert result.repeat_critical == 0


def test_due_dates_and_overdue_orders() -> None:
    before = earlier(apply_changes(baseline(), add={"fees": [fee("F2", 100, receipt_issued="no")]}))
    now = apply_changes(baseline(), add={"fees": [fee("F2", 100, receipt_issued="no")]})
    result = compare(audit(before), audit(now))
    by_rule = {i.rule_id: i for i in result.findings.persisting}
    assert by_rule["FEE-02"].due == dt.date(2026, 2, 14)  # high: 30 days
    assert by_rule["FEE-05"].due == dt.date(2026, 4, 15)  # medium: 90 days
    assert by_rule["FEE-02"].overdue
    assert by_rule["FEE-05"].overdue
    soon = apply_changes(now, change={"audit": {"inspection_date": "2026-03-01"}})
    result = compare(audit(before), audit(soon))
    by_rule = {i.rule_id: i for i in result.findings.persisting}
    assert by_rule["FEE-02"].overdue
    assert not by_rule["FEE-05"].overdue  # due 15 April, inspected 1 March


def test_critical_findings_that_persist_are_repeat_critical_and_due_at_once() -> None:
    held = {"workers": {"W1": {"passport_held_by": "employer"}}}
    result = compare(
        audit(earlier(apply_changes(baseline(), change=held))),
        audit(apply_changes(baseline(), change=held)),
    )
    assert keys(result.findings.persisting) == [("DOC-01", "W1")]
    assert result.findings.persisting[0].due == dt.date(2026, 1, 15)
    assert result.repeat_critical == 1


def test_the_agency_is_one_subject_whatever_its_audit_id() -> None:
    unlicensed = {"audit": {"agency_licence_number": None, "licence_valid_until": None}}
    before = audit(earlier(apply_changes(baseline(), change=unlicensed)))
    result = compare(before, audit(apply_changes(baseline(), change=unlicensed)))
    assert keys(result.findings.persisting) == [("LIC-01", "EX-0001")]
    assert len(result.notes) == 2  # neither audit records a licence: noted, not refused


def test_rules_only_one_pack_has() -> None:
    before = audit(
        earlier(apply_changes(baseline(), change={"workers": {"W1": {"wages_withheld": "yes"}}}))
    )
    now = audit(baseline())
    now["rules"] = [r for r in now["rules"] if r["rule_id"] != "WAGE-02"]
    result = compare(before, now)
    assert keys(result.findings.not_reassessed) == [("WAGE-02", "W1")]
    assert any(
        "rules only in the previous pack" in note and "WAGE-02" in note for note in result.notes
    )


# -- money ------------------------------------------------------------------------------------


def test_money_worker_by_worker_with_refunds_and_a_worker_gone() -> None:
    second = {
        "workers": [{"worker_id": "W2"}],
        "contracts": [{"contract_id": "C2", "worker_id": "W2", "stage": "origin"}],
    }
    before = apply_changes(
        baseline(), add={**second, "fees": [fee("F2", 120), fee("F3", 80, worker="W2")]}
    )
    now = apply_changes(
        baseline(), add={"fees": [fee("F2", 120, refunded_amount=120, refunded_on="2026-05-01")]}
    )
    result = compare(audit(earlier(before)), audit(now))
    assert result.money_owed is not None
    assert result.to_dict()["money_owed"] == {
        "previous_total": 200.0,
        "current_total": 0.0,
        "refunded_total": 120.0,
        "not_reassessed_total": 80.0,  # 200 - 120 - 80 + 0 + 0 = 0 (1.2: the terms add up)
        "over_refunded_total": 0.0,
        "other_changes_total": 0.0,
        "by_worker": {
            "W1": {"previous": 120.0, "current": 0.0, "refunded": 120.0},
            "W2": {"previous": 80.0, "current": None, "refunded": None},
        },
    }
    assert keys(result.findings.persisting) == [("FEE-02", "W1")]  # refunded, still charged
    (persisting,) = result.findings.persisting
    assert persisting.refunded_in_full
    assert not persisting.overdue  # refunded in full: the refund order is complied with


def test_another_currency_leaves_money_uncompared_with_a_note() -> None:
    before = audit(earlier(baseline()))
    before["currency"] = "EUR"
    result = compare(before, audit(baseline()))
    assert result.money_owed is None
    assert result.to_dict()["money_owed"] is None
    assert any("EUR" in note for note in result.notes)


# -- refusals -----------------------------------------------------------------------------------


def test_audits_of_different_agencies_are_refused() -> None:
    before = audit(earlier(baseline(), agency_licence_number="LIC-9999"))
    with pytest.raises(NotComparable, match="different agencies"):
        compare(before, audit(baseline()))


@pytest.mark.parametrize("day", ["2026-06-30", "2026-07-01"])
def test_audits_in_the_wrong_order_are_refused(day: str) -> None:
    later = audit(apply_changes(baseline(), change={"audit": {"inspection_date": day}}))
    with pytest.raises(NotComparable, match="not earlier"):
        compare(later, audit(baseline()))


def test_a_file_that_is_not_a_result_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"format": "something/1"}')
    with pytest.raises(auditor.UsageError, match="not an audit result"):
        compare(path, audit(baseline()))


# -- the document -------------------------------------------------------------------------------


def test_the_document_has_the_spec_shape_and_reads_back() -> None:
    result = compare(audit(earlier(baseline())), audit(baseline()))
    document = json.loads(result.to_json())
    assert list(document) == [
        "format",
        "agency_licence",
        "previous",
        "current",
        "score_change",
        "findings",
        "repeat_critical",
        "due_basis",
        "money_owed",
        "notes",
    ]
    assert document["due_basis"] == "inspection"
    assert document["format"] == "audit-comparison/1"
    assert list(document["previous"]) == [
        "audit_id",
        "inspection_date",
        "score",
        "rating",
        "provisional",
        "ruleset_version",
        "input_sha256",
    ]
    assert list(document["findings"]) == ["persisting", "new", "resolved", "not_reassessed"]
    assert Comparison.from_json(result.to_json()) == result


def test_the_agency_copy_counts_confidential_findings_only() -> None:
    penalised = {
        "complaints": [
            {
                "complaint_id": "K1",
                "worker_id": "W1",
                "category": "wages",
                "channel_id": "CH1",
                "worker_penalised": "yes",
                "resolved_on": "2026-06-10",
            }
        ]
    }
    before = apply_changes(baseline(), add=penalised)
    before["complaints"][0]["filed_on"] = "2025-12-01"
    before["complaints"][0]["resolved_on"] = "2025-12-10"
    result = compare(audit(earlier(before)), audit(apply_changes(baseline(), add=penalised)))
    assert ("COMP-06", "W1") in keys(result.findings.persisting)
    agency = result.for_agency(confidential_rules(rule_pack()))
    assert all(
        i.rule_id not in {"COMP-06", "COMP-07", "COMP-08", "FL-01"}
        for name in ("persisting", "new", "resolved", "not_reassessed")
        for i in getattr(agency.findings, name)
    )
    assert agency.agency_copy is not None
    assert agency.agency_copy.persisting == 1
    assert agency.repeat_critical == result.repeat_critical
    assert agency.money_owed == result.money_owed  # money is not confidential
    assert "W1" not in json.dumps(agency.to_dict()["findings"])


# -- properties ---------------------------------------------------------------------------------


def documents(dataset: AuditDataset) -> tuple[dict[str, Any], dict[str, Any]]:
    """A result and the same result dated earlier, as the previous audit."""
    current = auditor.audit(dataset).to_dict()
    previous = copy.deepcopy(current)
    previous["inspection_date"] = EARLIER
    return previous, current


@given(dataset=datasets(workers=(1, 4)))
@SETTINGS
def test_an_audit_compared_with_itself_only_persists(dataset: AuditDataset) -> None:
    previous, current = documents(dataset)
    result = compare(previous, current)
    assert len(result.findings.persisting) == len(current["findings"])
    assert result.findings.new == result.findings.resolved == result.findings.not_reassessed == ()
    assert result.score_change == 0
    assert result.money_owed is not None
    assert result.money_owed.previous_total == result.money_owed.current_total
    assert all(line.previous == line.current for line in result.money_owed.by_worker.values())


@given(before=datasets(workers=(1, 4)), after=datasets(workers=(1, 4)))
@SETTINGS
def test_resolved_and_persisting_are_the_previous_findings_not_reassessed_aside(
    before: AuditDataset, after: AuditDataset
) -> None:
    previous = auditor.audit(before).to_dict()
    current = auditor.audit(after).to_dict()
    previous["inspection_date"] = EARLIER
    previous["agency_licence"] = current["agency_licence"]
    result = compare(previous, current)
    found = result.findings

    def key(i: Any) -> tuple[str, str, str]:
        kind = i.subject.type.value
        return i.rule_id, kind, "" if kind == "agency" else i.subject.id

    old = {key(_as_item(f)) for f in previous["findings"]}
    assert {key(i) for i in (*found.resolved, *found.persisting)} == old - {
        key(i) for i in found.not_reassessed
    }
    assert not {key(i) for i in found.resolved} & {key(i) for i in found.persisting}
    assert len(found.persisting) + len(found.new) == len(current["findings"])


def _as_item(finding: dict[str, Any]) -> Any:
    from auditor.verdict.compare import ComparedFinding

    return ComparedFinding.model_validate(finding | {"due": None})


@given(before=datasets(workers=(1, 3)), after=datasets(workers=(1, 3)))
@SETTINGS
def test_the_comparison_is_exact_after_a_json_round_trip(
    before: AuditDataset, after: AuditDataset
) -> None:
    current = auditor.audit(after)
    previous = auditor.audit(before).model_copy(
        update={"inspection_date": dt.date(2026, 1, 15), "agency_licence": current.agency_licence}
    )
    direct = compare(previous, current)
    through_json = compare(json.loads(previous.to_json()), json.loads(current.to_json()))
    assert through_json == direct
    assert Comparison.from_json(direct.to_json()) == direct
    assert direct.to_json() == through_json.to_json()


def test_amounts_are_decimals_as_written() -> None:
    before = earlier(apply_changes(baseline(), add={"fees": [fee("F2", "0.1")]}))
    result = compare(audit(before), audit(baseline()))
    assert result.money_owed is not None
    assert result.money_owed.previous_total == Decimal("0.10")


# -- the command line ---------------------------------------------------------------------------


def write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document))
    return path


def test_auditor_compare_writes_the_comparison(tmp_path: Path, capsys: Any) -> None:
    previous = write(tmp_path / "prev.json", audit(earlier(baseline())))
    current = write(tmp_path / "cur.json", audit(baseline()))
    out = tmp_path / "out"
    assert main(["compare", str(previous), str(current), "--out", str(out)]) == 0
    document = json.loads((out / "EX-0001.comparison.json").read_text())
    assert document["format"] == "audit-comparison/1"
    assert "Follow-up EX-0001 of EX-0000" in capsys.readouterr().out


def test_auditor_compare_refuses_the_wrong_order_with_exit_2(tmp_path: Path, capsys: Any) -> None:
    previous = write(tmp_path / "prev.json", audit(earlier(baseline())))
    current = write(tmp_path / "cur.json", audit(baseline()))
    out = tmp_path / "out"
    assert main(["compare", str(current), str(previous), "--out", str(out)]) == 2
    assert "not earlier than" in capsys.readouterr().err
    assert not out.exists()


def test_audit_previous_writes_the_comparison_beside_the_result(
    tmp_path: Path, workbook_of_baseline: Path
) -> None:
    previous = write(tmp_path / "prev.json", audit(earlier(baseline())))
    out = tmp_path / "out"
    code = main(
        [
            "audit",
            str(workbook_of_baseline),
            "--previous",
            str(previous),
            "--out",
            str(out),
            "--format",
            "json",
            "--in-process",
        ]
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["EX-0001.comparison.json", "EX-0001.json"]


def test_audit_previous_of_another_agency_is_exit_2_and_no_file(
    tmp_path: Path, workbook_of_baseline: Path, capsys: Any
) -> None:
    other = audit(earlier(baseline(), agency_licence_number="LIC-9999"))
    previous = write(tmp_path / "prev.json", other)
    out = tmp_path / "out"
    code = main(
        [
            "audit",
            str(workbook_of_baseline),
            "--previous",
            str(previous),
            "--out",
            str(out),
            "--in-process",
        ]
    )
    assert code == 2
    assert "different agencies" in capsys.readouterr().err
    assert not out.exists()


@pytest.fixture
def workbook_of_baseline(tmp_path: Path) -> Path:
    """The baseline inspection as a workbook, written by the library's own writer."""
    from auditor.ingest.template import write_workbook

    return write_workbook(AuditDataset.from_dict(baseline()), tmp_path / "baseline.xlsx")


def test_scores_of_different_methods_are_not_subtracted() -> None:
    """A result without ``scoring`` was scored by subtraction (version 1): no score change."""
    before = audit(earlier(baseline()))
    now = audit(apply_changes(baseline(), add={"fees": [fee("F2", 10)]}))
    assert compare(before, now).score_change == Decimal("-10.0")
    old = {key: value for key, value in before.items() if key != "scoring"}
    comparison = compare(old, now)
    assert comparison.score_change is None
    assert json.loads(comparison.to_json())["score_change"] is None
    assert any("different methods" in note for note in comparison.notes)
