"""One audit by the real pipeline, with what the properties look at afterwards.

The kit never re-implements the rules: every verdict it checks comes from
:func:`auditor.pipeline.inspect_records` (validation, enrichment, the
durable-rules engine, outcome, scoring) on the pack under test. A
:class:`Run` adds what a property needs beside the result: each rule's
verdict per subject, whether a subject is in a rule's scope
(``applies_when``), and the derived facts that say which cells matter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from auditor.engine.conditions import evaluate
from auditor.engine.pack import RulePack
from auditor.engine.rulefile import Rule
from auditor.enrich.context import Context
from auditor.enrich.facts import Fact, Facts, build_facts
from auditor.enrich.vocabulary import FactType
from auditor.ingest.data import check_data
from auditor.model.dataset import AuditDataset
from auditor.model.enums import SubjectType
from auditor.model.problems import Problem
from auditor.model.profiles import Profile
from auditor.model.result import AuditResult
from auditor.pipeline import Inspection, inspect_records
from auditor.testing.examples import Verdict

#: How rule files name the one agency subject (the result uses the audit id).
AGENCY = "agency"


@dataclass(frozen=True)
class Records:
    """A dataset as rules see it under a pack and profile: its facts, found by subject."""

    dataset: AuditDataset
    profile: Profile
    pack: RulePack

    @cached_property
    def context(self) -> Context:
        return Context(self.dataset, self.profile, self.pack.destinations)

    @cached_property
    def facts(self) -> Facts:
        return build_facts(self.context)

    def subject_facts(
        self, fact_type: FactType, subject_type: SubjectType, subject: str
    ) -> list[Fact]:
        """The facts of ``fact_type`` that speak for one subject (her fees, for a worker)."""
        wanted = self.dataset.audit.audit_id if subject == AGENCY else subject
        return [f for f in self.facts.of(fact_type) if f.subjects.get(subject_type) == wanted]

    def in_scope(self, rule: Rule, subject: str) -> bool:
        """Whether ``applies_when`` definitely holds for the subject (always, without one)."""
        if rule.applies_when is None:
            return True
        own = FactType(rule.data.subject.value)
        facts = self.subject_facts(own, rule.data.subject, subject)
        return any(evaluate(rule.applies_when, fact.get) == "T" for fact in facts)

    @classmethod
    def of(cls, dataset: AuditDataset, pack: RulePack) -> Records:
        """The dataset under the profile it names (or its origin country's, or ``ilo``)."""
        profile = pack.profiles.resolve(
            explicit=dataset.audit.jurisdiction, origin_country=dataset.audit.origin_country
        )
        if profile is None:
            raise ValueError(f"the pack has no profile {dataset.audit.jurisdiction!r}")
        return cls(dataset, profile, pack)


@dataclass(frozen=True)
class Run:
    """The audit of one dataset under one pack."""

    inspection: Inspection

    @property
    def result(self) -> AuditResult:
        return self.inspection.result

    @property
    def dataset(self) -> AuditDataset:
        return self.inspection.dataset

    @cached_property
    def records(self) -> Records:
        """The facts the engine saw (rebuilt: the pipeline does not hand them out)."""
        inspection = self.inspection
        return Records(inspection.dataset, inspection.profile, inspection.pack)

    @cached_property
    def _verdicts(self) -> dict[str, dict[str, Verdict]]:
        verdicts: dict[str, dict[str, Verdict]] = {}
        for gap in self.result.data_gaps:
            subject = AGENCY if gap.subject.type is SubjectType.AGENCY else gap.subject.id
            verdicts.setdefault(gap.rule_id, {})[subject] = "gap"
        for finding in self.result.findings:
            subject = AGENCY if finding.subject.type is SubjectType.AGENCY else finding.subject.id
            verdicts.setdefault(finding.rule_id, {})[subject] = "fires"
        return verdicts

    def verdicts(self, rule_id: str) -> dict[str, Verdict]:
        """Subjects with a finding ("fires") or a data gap ("gap"); every other one passes."""
        return dict(self._verdicts.get(rule_id, {}))

    def verdict(self, rule_id: str, subject: str) -> Verdict:
        return self._verdicts.get(rule_id, {}).get(subject, "passes")

    def findings(self, rule_id: str) -> set[str]:
        return {s for s, v in self._verdicts.get(rule_id, {}).items() if v == "fires"}

    def evidence(self, rule_id: str) -> dict[str, tuple[str, ...]]:
        """The cells each finding of a rule cites, by subject."""
        return {
            (AGENCY if f.subject.type is SubjectType.AGENCY else f.subject.id): tuple(
                e.where for e in f.evidence
            )
            for f in self.result.findings
            if f.rule_id == rule_id
        }

    def in_scope(self, rule: Rule, subject: str) -> bool:
        return self.records.in_scope(rule, subject)


class Runner:
    """Audits datasets with one rule pack (its rules and its profiles)."""

    def __init__(self, pack: RulePack) -> None:
        self.pack = pack

    def run(self, dataset: AuditDataset) -> Run:
        return Run(inspect_records(dataset, rules_dir=self.pack.directory))

    def dataset(self, data: Mapping[str, Any]) -> AuditDataset | list[Problem]:
        """Validate dicts against the format and this pack's profiles: the dataset, or why not."""
        dataset, report = check_data(data, self.pack.profiles)
        return dataset if dataset is not None else list(report.errors)
