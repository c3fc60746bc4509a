"""``auditor.testing`` used as a licensing system would use it in its own test suite.

A system that exports inspections, or a team that keeps its own rules,
writes hypothesis tests with the kit's strategies and asserts what the
engine promises; these tests are such a suite. They also run the
``auditor`` commands with ``--rules DIR`` on a rule directory copied out
of the package, as such a team keeps its rules.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import auditor
import auditor.testing as kit
from auditor.model.dataset import AuditDataset
from auditor.model.enums import Sector
from auditor.model.records import Worker
from auditor.pipeline import rule_pack
from auditor.testing import (
    Violation,
    cells_that_matter,
    check_rule,
    check_rules,
    compliant_datasets,
    datasets,
    records,
    show_dataset,
    violating,
)
from tests.authoring.tools import ROOT, Output, final_file, run_command

Cli = Callable[..., Output]
FEW = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STOCK = {"examples", "compliant", "violating", "unknowns", "order", "score", "same-result"}
SAMPLE = ROOT / "sample_audits" / "agency-with-problems.xlsx"


def test_the_public_kit_is_sorted_and_each_part_says_what_it_is_for() -> None:
    assert kit.__all__ == sorted(kit.__all__)
    assert kit.__doc__ is not None
    for name in kit.__all__:
        value = getattr(kit, name)
        assert value.__doc__, f"auditor.testing.{name} needs a docstring"
        assert re.search(rf":(func|class):`{name}`", kit.__doc__), f"{name} not in the docstring"


@FEW
@given(compliant_datasets("PH"))
def test_no_finding_on_a_compliant_inspection(dataset: AuditDataset) -> None:
    result = auditor.audit(dataset)
    assert result.findings == (), show_dataset(dataset)
    assert result.score == 100


@FEW
@given(compliant_datasets("NP", unknowns=True, workers=(2, 3)))
def test_unrecorded_values_give_gaps_never_findings(dataset: AuditDataset) -> None:
    assert len(dataset.workers) in (2, 3)
    result = auditor.audit(dataset)
    assert result.findings == (), show_dataset(dataset)


@FEW
@given(violating("FEE-02", others=(1, 2)))
def test_a_violation_is_found_among_other_workers(case: Violation) -> None:
    result = auditor.audit(case.dataset)
    found = {f.subject.id for f in result.findings if f.rule_id == "FEE-02"}
    cells = cells_that_matter(case.dataset, "FEE-02", case.subject)
    assert case.subject in found, show_dataset(case.dataset, cells)
    assert 1 <= case.others <= 2
    assert len(case.dataset.workers) == 1 + case.others


@FEW
@given(
    datasets(
        workers=(2, 2),
        employers=(1, 1),
        sectors=[Sector.DOMESTIC_WORK],
        currencies=("USD", "QAR"),
        profile="PH",
    )
)
def test_datasets_follow_their_knobs(dataset: AuditDataset) -> None:
    """And a claim of the PH profile: the cap is zero for domestic work, so never FEE-06."""
    assert len(dataset.workers) == 2
    assert [e.sector for e in dataset.employers] == [Sector.DOMESTIC_WORK]
    assert dataset.audit.currency == "USD"
    assert [rate.currency for rate in dataset.fx] == ["QAR"]
    result = auditor.audit(dataset)
    assert result.jurisdiction == "PH"
    assert not [f for f in result.findings if f.rule_id == "FEE-06"], show_dataset(dataset)


@FEW
@given(records(Worker))
def test_records_are_valid_records_of_their_sheet(worker: Worker) -> None:
    assert isinstance(worker, Worker)
    assert worker.worker_id == worker.worker_id.strip() != ""


def test_the_printer_shows_the_rows_that_matter() -> None:
    from auditor.testing.baseline import apply_changes, baseline

    data = apply_changes(
        baseline(), add={"fees": [{"fee_id": "F2", "worker_id": "W1", "category": "training",
                                   "amount": 120}]},
    )  # fmt: skip
    dataset = AuditDataset.from_dict(data)
    shown = show_dataset(dataset, cells_that_matter(dataset, "FEE-02", "W1"))
    sheets = [line for line in shown.splitlines() if line and not line.startswith("|")]
    assert sheets == ["Workers", "Fees"]
    assert re.search(r"^\| F2 +\| training +\| 120 +\| worker +\|", shown, re.MULTILINE), shown
    everything = show_dataset(dataset)
    assert "Channels" in everything
    assert "Example Recruitment Ltd" in everything


def test_check_rule_proves_a_shipped_rule() -> None:
    report = check_rule("FEE-02", examples=3)
    assert report.ok, [(r.name, r.detail) for r in report.failures]
    assert {result.name for result in report.results} == STOCK
    assert all(result.status == "passed" for result in report.results)


def test_check_rules_fails_a_wrong_rule_with_a_counterexample(my_rules: Path) -> None:
    path = my_rules / "HOURS-01.yaml"
    path.write_text(path.read_text().replace("gt: 0}", "ge: 0}"), encoding="utf-8")
    wrong, right = check_rules(["HOURS-01", "FEE-04"], rules_dir=my_rules, examples=3)
    assert (wrong.rule_id, wrong.ok, right.rule_id, right.ok) == ("HOURS-01", False, "FEE-04", True)
    failed = {result.name: result.detail for result in wrong.failures}
    assert "examples" in failed
    assert 'example "exactly 60 hours": expected a pass for W1, got a finding' in failed["examples"]
    assert re.search(r"^\| C1 +\| 60 +\|$", failed["examples"], re.MULTILINE), failed


def test_the_commands_take_a_rule_directory_of_ones_own(cli: Cli, my_rules: Path) -> None:
    (my_rules / "PREG-01.yaml").write_text(final_file("my-rules/PREG-01.yaml"), encoding="utf-8")
    listed = cli("rules", "list", "--rules", my_rules)
    assert re.search(r"^PREG-01 +11 +high +worker +A woman worker", listed.out, re.MULTILINE)
    linted = cli("rules", "lint", "--rules", my_rules)
    assert linted.status == 1  # a rule added under the released version (issue 24)
    assert "the pack changed since version 1.3.0 was released (rules added: PREG-01)" in (
        linted.out
    )
    pack = my_rules / "pack.yaml"
    pack.write_text(pack.read_text().replace("version: 1.3.0", "version: 1.4.0"))
    linted = cli("rules", "lint", "--rules", my_rules)
    assert (linted.status, linted.out) == (0, ""), linted
    assert "38 rule files: no problems" in linted.err
    assert "version 1.4.0 is new (recorded: 1.3.0)" in linted.err
    tested = cli("rules", "test", my_rules / "PREG-01.yaml", "--examples", "3")
    assert tested.status == 0, tested.out
    assert tested.out.startswith("ok    PREG-01   5 examples")
    assert f"of {my_rules}" in tested.err
    pages = my_rules.parent / "pages"
    assert cli("rules", "docs", "--rules", my_rules, "--out", pages).status == 0
    assert "[PREG-01](PREG-01.md)" in (pages / "README.md").read_text(encoding="utf-8")


def test_audit_uses_the_rules_it_is_given(my_rules: Path, tmp_path: Path) -> None:
    """The guide's PREG-01 fires for W28 of the sample; a rule removed is not run."""
    (my_rules / "PREG-01.yaml").write_text(final_file("my-rules/PREG-01.yaml"), encoding="utf-8")
    (my_rules / "MOB-03.yaml").unlink()
    out = tmp_path / "reports"
    done = run_command(
        ["audit", str(SAMPLE), "--rules", str(my_rules), "--jurisdiction", "ilo",
         "--out", str(out), "--format", "json"],
    )  # fmt: skip
    assert done.status == 0, done.err
    result = json.loads((out / "PH-2026-0417.json").read_text(encoding="utf-8"))
    assert result["ruleset_version"] == rule_pack(my_rules).version != rule_pack().version
    assert {f["subject"]["id"] for f in result["findings"] if f["rule_id"] == "PREG-01"} == {"W28"}
    ran = {rule["rule_id"] for rule in result["rules"]}
    assert "PREG-01" in ran
    assert "MOB-03" not in ran


@FEW
@given(st.sampled_from(["ilo", "PH", "NP", "ID"]), st.data())
def test_compliant_datasets_are_made_for_each_shipped_profile(
    profile: str, data: st.DataObject
) -> None:
    """An unknown profile is refused by name, with the ones there are."""
    assert data.draw(compliant_datasets(profile)).audit.jurisdiction == profile
    with pytest.raises(ValueError, match="no profile 'XX'; choose one of ID, ilo, NP, PH"):
        data.draw(compliant_datasets("XX"))


def test_a_declared_property_holds_for_the_rule_that_means_it(my_rules: Path) -> None:
    """FEE-06 as shipped, declaring that more money over the cap never takes it away."""
    path = my_rules / "FEE-06.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "examples:\n",
            "properties:\n  - {kind: monotone, field: recruitment_fee_excess, direction: up,\n"
            "     sheet: Fees, column: amount, description: more over the cap keeps it}\n"
            "examples:\n",
            1,
        ),
        encoding="utf-8",
    )
    report = check_rule("FEE-06", rules_dir=my_rules, examples=5)
    assert report.ok, [(r.name, r.detail) for r in report.failures]
    declared = [r for r in report.results if r.name == "monotone: more over the cap keeps it"]
    assert [(r.status, r.cases) for r in declared] == [("passed", 5)]
