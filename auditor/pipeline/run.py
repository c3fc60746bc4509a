"""The whole audit, stage by stage; reading this module shows the flow.

source -> ingest (typed, validated records)
       -> enrich (facts under the jurisdiction profile)
       -> engine (durable-rules, sharded sessions)
       -> outcome (findings, data gaps, money owed, with evidence)
       -> scoring -> AuditResult
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import closing
from decimal import Decimal
from pathlib import Path

from auditor.base.gcpause import paused_gc
from auditor.base.limits import DEFAULT_LIMITS, Limits
from auditor.engine import durable_adapter, shards
from auditor.engine.pack import CompiledPack, RulePack, compile_pack, rule_pack
from auditor.engine.rulefile import Rule
from auditor.enrich.context import Context
from auditor.enrich.facts import Facts, build_facts
from auditor.errors import InvalidInput, LimitExceeded, UsageError
from auditor.ingest.load import Source, load
from auditor.model.codes import Code
from auditor.model.dataset import AuditDataset
from auditor.model.enums import Severity
from auditor.model.problems import Level, Problem, ValidationReport, sheet_rank
from auditor.model.result import (
    AuditResult,
    DataGap,
    MoneyOwed,
    Refunded,
    RuleOutcome,
    Subjects,
)
from auditor.pipeline.logs import StageClock, log_audited, log_refused
from auditor.verdict.inspection import Inspection
from auditor.verdict.money import round_amount
from auditor.verdict.outcome import Decision, Outcome
from auditor.verdict.scoring import METHOD, RuleCount, round_half_up, score_audit
from auditor.version import __version__

#: What other modules import from here; ``Inspection`` and ``rule_pack`` live below the
#: pipeline (:mod:`auditor.verdict.inspection`, :mod:`auditor.engine.pack`).
__all__ = ["Inspection", "audit", "build_result", "inspect_records", "rule_pack", "run_rules"]


def audit(
    source: Source,
    *,
    jurisdiction: str | None = None,
    rules_dir: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> AuditResult:
    """Audit a workbook (path) or dataset (object or dicts) and return the typed result.

    Raises :class:`~auditor.errors.InvalidInput` (every problem, located) when
    the input breaks the format, :class:`~auditor.errors.UsageError` for an
    unknown ``jurisdiction``.
    """
    return inspect_records(
        source, jurisdiction=jurisdiction, rules_dir=rules_dir, limits=limits
    ).result


def inspect_records(
    source: Source,
    *,
    jurisdiction: str | None = None,
    rules_dir: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Inspection:
    """As :func:`audit`, keeping the records, rules and profile the reports are made from."""
    clock = StageClock()
    pack = rule_pack(rules_dir)
    clock.lap("rules")
    if jurisdiction is not None and jurisdiction not in pack.profiles:
        raise UsageError(
            f"there is no jurisdiction profile {jurisdiction!r}; choose one of "
            f"{', '.join(pack.profiles.ids())}"
        )
    try:
        dataset, report = load(
            source, jurisdiction=jurisdiction, rules_dir=pack.directory, limits=limits
        )
    except LimitExceeded as refused:
        clock.lap("ingest")
        log_refused(clock, ValidationReport(refused.problems, refused.warnings), source=source)
        raise
    clock.lap("ingest")
    if dataset is None:
        log_refused(clock, report, source=source)
        raise InvalidInput(report.errors, report.warnings)
    profile = pack.profiles.resolve(
        explicit=jurisdiction or dataset.audit.jurisdiction,
        origin_country=dataset.audit.origin_country,
    )
    assert profile is not None  # validation refused unknown ids
    with paused_gc():
        ctx = Context(dataset, profile, pack.destinations)
        compiled, outcome = decide_audit(ctx, pack, clock)
        result = build_result(ctx, compiled, outcome, [str(w) for w in report.warnings])
        clock.lap("result")
    log_audited(clock, result, dataset)
    warnings = coded_warnings(result, report.warnings, len(outcome.refund_warnings))
    return Inspection(result=result, dataset=dataset, pack=pack, profile=profile, warnings=warnings)


def decide_audit(ctx: Context, pack: RulePack, clock: StageClock) -> tuple[CompiledPack, Outcome]:
    """The facts, the engine's matches, and their outcome.

    On a large audit the engine's later shards run in a copy while this
    process decides the subjects of the shards it has the matches of
    (:func:`shards.rule_parts`), so the engine's and the outcome's times each
    add up over several laps (the engine's later ones are waits for the copy). The facts
    and matches (hundreds of MB on a large audit) are dropped on return, before
    the result is built.
    """
    facts = build_facts(ctx)
    clock.lap("enrich")
    compiled = compile_pack(pack)
    decision = Decision(ctx, facts, compiled)
    with closing(shards.rule_parts(compiled, facts)) as parts:
        for part in parts:
            clock.lap("engine")
            decision.add(part)
            clock.lap("outcome")
    outcome = decision.outcome()
    clock.lap("outcome")
    return compiled, outcome


def coded_warnings(
    result: AuditResult, inputs: Sequence[Problem], refunds: int
) -> tuple[Problem, ...]:
    """The result's warnings as problem documents, one for one (web.md 1.1: "warnings of a
    done audit come with codes and locations, as problems do").

    ``result.warnings`` is the input's warnings, then ``refunds`` refunds not counted, then
    the columns not recorded, each ``"<where>: <message>"``; the input's keep their own
    codes, the others get theirs here. The result's text is unchanged (its bytes too).
    """
    texts = result.warnings[len(inputs) :]

    def coded(text: str, code: Code) -> Problem:
        where, _, message = text.partition(": ")
        return Problem(where, message, Level.WARNING, code=code)

    return (
        *inputs,
        *(coded(text, Code.REFUND_NOT_COUNTED) for text in texts[:refunds]),
        *(coded(text, Code.COLUMN_NOT_RECORDED) for text in texts[refunds:]),
    )


def run_rules(compiled: CompiledPack, facts: Facts) -> list[durable_adapter.Match]:
    """Every match of the compiled pack on these facts (a large audit's on two cores)."""
    return shards.run_rules(compiled, facts)


def build_result(
    ctx: Context, compiled: CompiledPack, outcome: Outcome, input_warnings: list[str]
) -> AuditResult:
    pack = compiled.pack
    counts = [
        RuleCount(
            rule_id=rule.id,
            severity=_severity(ctx, rule, outcome),
            paragraph=rule.data.paragraph,
            applicable=outcome.applicable[rule.id],
            affected=len(outcome.findings.get(rule.id, {})),
            gaps=len(outcome.gaps.get(rule.id, {})),
        )
        for rule in pack.rules
    ]
    scores = score_audit(counts, ctx.profile.weights)
    order = {rule.id: (rule.data.paragraph, rule.id) for rule in pack.rules}
    # By paragraph, rule and subject id: each rule's are keyed by their subject's id, so the
    # rules are put in order and each one's subjects sorted as texts (a tuple key a finding
    # cost 0.3 s of the dense 50,000-worker audit's 190,000).
    ranked = sorted(pack.rules, key=lambda rule: order[rule.id])
    findings = [
        finding
        for rule in ranked
        for _, finding in sorted(outcome.findings.get(rule.id, {}).items())
    ]
    gaps = [gap for rule in ranked for _, gap in sorted(outcome.gaps.get(rule.id, {}).items())]
    outcomes = sorted(
        (
            RuleOutcome(
                rule_id=s.count.rule_id,
                severity=s.count.severity,
                paragraph=s.count.paragraph,
                applicable=s.count.applicable,
                affected=s.count.affected,
                gaps=s.count.gaps,
                prevalence=round_half_up(s.prevalence, 4) if s.prevalence is not None else None,
                points=round_half_up(s.points, 2),
                factor=round_half_up(s.factor, 4),
            )
            for s in scores.rules
        ),
        key=lambda r: order[r.rule_id],
    )
    audit_info = ctx.dataset.audit
    return AuditResult(
        audit_id=audit_info.audit_id,
        agency_name=audit_info.agency_name,
        inspection_date=audit_info.inspection_date,
        jurisdiction=ctx.profile.id,
        currency=audit_info.currency,
        input_sha256=ctx.dataset.input_sha256,
        engine_version=__version__,
        ruleset_version=pack.version,
        score=scores.score,
        scoring=METHOD,
        rating=scores.rating,
        provisional=scores.provisional,
        coverage=scores.coverage,
        paragraph_scores=scores.paragraph_scores,
        findings=tuple(findings),
        rules=tuple(outcomes),
        money_owed=MoneyOwed(
            total=round_amount(
                sum(outcome.owed_by_worker.values(), Decimal(0)), audit_info.currency
            ),
            by_worker=dict(sorted(outcome.owed_by_worker.items())),
            undetermined=tuple(outcome.undetermined),
            refunded=Refunded(
                total=round_amount(
                    sum(outcome.refunded_by_worker.values(), Decimal(0)), audit_info.currency
                ),
                by_worker=dict(sorted(outcome.refunded_by_worker.items())),
            ),
        ),
        data_gaps=tuple(gaps),
        warnings=(*input_warnings, *outcome.refund_warnings, *gap_warnings(gaps)),
        agency_licence=audit_info.agency_licence_number,
        subjects=subjects_of(ctx.dataset),
        corridor=outcome.corridor,
    )


def _severity(ctx: Context, rule: Rule, outcome: Outcome) -> Severity:
    """A rule's severity in force; a corridor rule's is the highest of its findings'
    (they follow each destination profile's status), its file's when none fired."""
    if rule.data.corridor:
        found = [f.severity for f in outcome.findings.get(rule.id, {}).values()]
        return max(found) if found else rule.data.severity
    return ctx.profile.severity_overrides.get(rule.id, rule.data.severity)


def subjects_of(dataset: AuditDataset) -> Subjects:
    """The ids audited, by type, sorted by code point (``W12`` before ``W3``)."""
    return Subjects(
        agency=(dataset.audit.audit_id,),
        employer=tuple(sorted(e.employer_id for e in dataset.employers)),
        worker=tuple(sorted(w.worker_id for w in dataset.workers)),
        channel=tuple(sorted(c.channel_id for c in dataset.channels)),
        complaint=tuple(sorted(c.complaint_id for c in dataset.complaints)),
    )


_CELL = re.compile(r"^(?P<sheet>\w+)!(?P<cell>[A-Z]+(?P<row>\d+)) \((?P<column>\w+)\)$")


def gap_warnings(gaps: list[DataGap]) -> list[str]:
    """One warning per column left empty where a rule needed it (workbook-format "Warnings").

    A required column is never empty, so when a gap cites one (``paid_by``
    of ``other``: who bore the fee is undecided, not unrecorded) it gets no
    "not recorded" warning; the data gap itself still says which cell.
    """
    from auditor.model.sheets import SHEET_BY_NAME

    rows: dict[tuple[str, str], set[int]] = {}
    rules: dict[tuple[str, str], set[str]] = {}
    for gap in gaps:
        for item in gap.missing:
            match = _CELL.match(item)
            if match is None:
                continue
            spec = SHEET_BY_NAME.get(match["sheet"])
            info = spec.model.model_fields.get(match["column"]) if spec else None
            if info is not None and info.is_required():
                continue
            key = (match["sheet"], match["column"])
            rows.setdefault(key, set()).add(int(match["row"]))
            rules.setdefault(key, set()).add(gap.rule_id)
    warnings = []
    for sheet, column in sorted(rows, key=lambda k: (sheet_rank(k[0]), k[1])):
        count = len(rows[(sheet, column)])
        needed = ", ".join(sorted(rules[(sheet, column)]))
        plural = "s" if count != 1 else ""
        warnings.append(
            f"{sheet}!{column}: not recorded in {count} row{plural} where {needed} needed it"
        )
    return warnings
