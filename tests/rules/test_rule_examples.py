"""Every rule fires, passes and has data gaps exactly where its own examples say.

The examples live in the rule files (``rules/*.yaml``) beside the condition
they prove; each is a small real inspection, validated like any input and
audited by the whole pipeline. This test also fails when a rule has no
example that fires or none that passes, or when the pack lacks a rule of the
catalogue.
"""

from __future__ import annotations

import pytest

from auditor.engine.rulefile import Example, Rule
from auditor.pipeline import rule_pack
from auditor.testing.examples import run_example

#: Every rule id of rule-catalogue.md, version 1.3.
CATALOGUE = {
    "FEE-01", "FEE-02", "FEE-03", "FEE-04", "FEE-05", "FEE-06", "DEBT-01",
    "INFO-01", "INFO-02", "CON-01", "CON-02", "CON-03", "CON-04", "LIC-01",
    "COMP-01", "COMP-02", "COMP-03", "COMP-04", "COMP-05", "COMP-06", "COMP-07", "COMP-08",
    "TERM-01", "TERM-02",
    "LIC-02", "DOC-01", "DOC-02", "WAGE-01", "WAGE-02", "REST-01", "HOURS-01", "AGE-01",
    "MOB-01", "MOB-02", "MOB-03", "FL-01",
    "DEST-01",  # version 1.3: corridor law
}  # fmt: skip

PACK = rule_pack()
CASES = [
    pytest.param(rule, example, id=f"{rule.id}: {example.name}")
    for rule in PACK.rules
    for example in rule.data.examples
]


def test_the_pack_is_exactly_the_catalogue() -> None:
    assert set(PACK.ids) == CATALOGUE


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda rule: rule.id)
def test_every_rule_has_examples_that_fire_and_pass(rule: Rule) -> None:
    expects = [example.expect for example in rule.data.examples]
    assert "fires" in expects
    assert "passes" in expects


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule: Rule, example: Example) -> None:
    run = run_example(PACK, rule, example)
    assert run.got == example.expect, (
        f"{rule.id} {example.name}: expected {example.expect}, got {run.got}\n"
        f"findings: {[(f.rule_id, f.subject.id) for f in run.result.findings]}\n"
        f"gaps: {[(g.rule_id, g.subject.id, g.missing) for g in run.result.data_gaps]}"
    )


@pytest.mark.parametrize(("rule", "example"), [c for c in CASES if c.values[1].expect == "fires"])
def test_a_firing_example_cites_evidence(rule: Rule, example: Example) -> None:
    run = run_example(PACK, rule, example)
    finding = next(
        f
        for f in run.result.findings
        if f.rule_id == rule.id and f.subject.id in (example.subject, run.result.audit_id)
    )
    if rule.id != "COMP-01":  # no channel at all: there is no cell to cite
        assert finding.evidence, f"{rule.id} fired without evidence"


def test_the_baseline_is_compliant_under_every_profile() -> None:
    from auditor import AuditDataset, audit
    from auditor.testing.baseline import apply_changes, baseline

    for profile in PACK.profiles.ids():
        data = apply_changes(baseline(), jurisdiction=profile)
        if profile == "NP":
            data["fx"].append({"currency": "NPR", "rate": 0.0075})
        result = audit(AuditDataset.from_dict(data))
        assert result.findings == ()
        assert result.data_gaps == ()
        assert result.score == 100
