"""The short plain-text summary of an audit, as the command line and a batch print it.

It lives below both (the batch writes it into each job's row, the command
line prints it after an audit), so neither reaches up into the other.
"""

from __future__ import annotations

from pathlib import Path

from auditor.i18n import gettext as _
from auditor.model.enums import Severity
from auditor.model.result import AuditResult
from auditor.verdict.compare import Comparison


def _by_severity(result: AuditResult) -> str:
    counts = result.findings_by_severity()
    order = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW]
    return ", ".join(f"{counts[s]} {_(s.value)}" for s in order)


def summary(result: AuditResult, written: list[Path], agency: AuditResult | None = None) -> str:
    """The short human summary printed after an audit.

    ``result`` is the whole audit; when the agency's copy was written,
    ``agency`` is that copy's result, and one more line gives its counts
    exactly as that copy prints them (the findings it lists, and how many
    it shows only as counts), so the two can be checked against each other.
    """
    by_severity = _by_severity(result)
    provisional = (
        _(" (provisional: a critical rule could not be decided)") if result.provisional else ""
    )
    owed = result.money_owed
    undetermined = (
        _("; %(count)s fee row(s) undetermined", count=len(owed.undetermined))
        if owed.undetermined
        else ""
    )
    rating = _(result.rating) if result.rating == "critical" else result.rating
    lines = [
        _(
            "Audit %(audit)s of %(agency)s (profile %(profile)s, %(pack)s)",
            audit=result.audit_id,
            agency=result.agency_name,
            profile=result.jurisdiction,
            pack=result.ruleset_version,
        ),
        _("Score %(score)s / 100, rating %(rating)s", score=result.score, rating=rating)
        + provisional,
        _("Findings: %(count)s (%(counts)s)", count=len(result.findings), counts=by_severity),
        _(
            "Money owed to workers: %(total)s %(currency)s to %(count)s worker(s)",
            total=f"{owed.total:,}",
            currency=result.currency,
            count=len(owed.by_worker),
        )
        + undetermined,
        _(
            "Data gaps: %(count)s (coverage %(coverage)s%%)",
            count=len(result.data_gaps),
            coverage=f"{result.coverage * 100:.2f}",
        ),
    ]
    if agency is not None:
        withheld = len(result.findings) - len(agency.findings)
        lines.append(
            _(
                "Agency's copy: %(count)s finding(s) listed (%(counts)s), "
                "%(withheld)s shown only as counts",
                count=len(agency.findings),
                counts=_by_severity(agency),
                withheld=withheld,
            )
        )
    lines += [_("Written: %(path)s", path=path) for path in written]
    return "\n".join(lines)


def comparison_summary(comparison: Comparison, written: list[Path]) -> str:
    """A few lines: what changed since the previous audit, and where the files went."""
    found = comparison.findings
    overdue = sum(1 for item in found.persisting if item.overdue)
    change = comparison.score_change
    change_text = (
        "not comparable: scored by different methods"
        if change is None
        else f"{'+' if change > 0 else ''}{change}"
    )
    lines = [
        f"Follow-up {comparison.current.audit_id} of {comparison.previous.audit_id}: score "
        f"{comparison.previous.score} -> {comparison.current.score} "
        f"({change_text})",
        f"Findings: {len(found.resolved)} resolved, {len(found.persisting)} persisting "
        f"({overdue} overdue), {len(found.new)} new, {len(found.not_reassessed)} not reassessed; "
        f"{comparison.repeat_critical} repeat critical",
    ]
    money = comparison.money_owed
    if money is not None:
        lines.append(
            f"Money owed: {money.previous_total} -> {money.current_total}, "
            f"{money.refunded_total} refunded"
        )
    lines += [f"Note: {note}" for note in comparison.notes]
    lines += [f"Written: {path}" for path in written]
    return "\n".join(lines)
