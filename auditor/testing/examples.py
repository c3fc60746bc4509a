"""Running a rule file's examples: the inspection they describe, audited for real.

An example is built from the baseline inspection and the changes it lists,
validated like any input, and audited with the whole pipeline (enrichment,
the engine, outcome). Its verdict for the example's subject is "fires"
(a finding), "gap" (a data gap) or "passes" (neither).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from auditor.engine.pack import RulePack
from auditor.engine.rulefile import Example, Rule
from auditor.ingest.data import dataset_from_dict
from auditor.model.dataset import AuditDataset
from auditor.model.profiles import ProfileSet
from auditor.model.result import AuditResult
from auditor.testing.baseline import apply_changes, baseline

Verdict = Literal["fires", "passes", "gap"]


def example_data(example: Example) -> dict[str, Any]:
    """The inspection an example describes, as the dicts of the library input."""
    return apply_changes(
        baseline(),
        change=example.change,
        add=example.add,
        remove=example.remove,
        jurisdiction=example.jurisdiction,
    )


def example_dataset(example: Example, profiles: ProfileSet | None = None) -> AuditDataset:
    """The inspection an example describes, validated (against ``profiles``: a rule
    directory's own, which may name jurisdictions the shipped pack does not have)."""
    return dataset_from_dict(example_data(example), profiles)


def verdict(result: AuditResult, rule_id: str, subject: str) -> Verdict:
    """What ``result`` says of ``rule_id`` for ``subject`` ("agency" means the audit id)."""
    if subject == "agency":
        subject = result.audit_id
    if any(f.rule_id == rule_id and f.subject.id == subject for f in result.findings):
        return "fires"
    if any(g.rule_id == rule_id and g.subject.id == subject for g in result.data_gaps):
        return "gap"
    return "passes"


@dataclass(frozen=True)
class ExampleRun:
    rule_id: str
    example: Example
    got: Verdict
    result: AuditResult

    @property
    def ok(self) -> bool:
        return self.got == self.example.expect


def run_example(pack: RulePack, rule: Rule, example: Example) -> ExampleRun:
    from auditor.pipeline import audit

    result = audit(example_dataset(example, pack.profiles), rules_dir=pack.directory)
    return ExampleRun(rule.id, example, verdict(result, rule.id, example.subject), result)
