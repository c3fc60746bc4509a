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
            total=format(owed.total, ","),
            currency=result.currency,
            count=len(owed.by_worker),
        )
        + undetermined,
        _(
            "Data gaps: %(count)s (coverage %(coverage)s%%)",
            count=len(result.data_gaps),
            coverage=format(result.coverage * 100, ".2f"),
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
        _("not comparable: scored by different methods")
        if change is None
        else f"{'+' if change > 0 else ''}{change}"
    )
    lines = [
        _(
            "Follow-up %(current)s of %(previous)s: score %(before)s -> %(now)s (%(change)s)",
            current=comparison.current.audit_id,
            previous=comparison.previous.audit_id,
            before=comparison.previous.score,
            now=comparison.current.score,
            change=change_text,
        ),
        _(
            "Findings: %(resolved)s resolved, %(persisting)s persisting (%(overdue)s overdue), "
            "%(new)s new, %(not_reassessed)s not reassessed; %(repeat)s repeat critical",
            resolved=len(found.resolved),
            persisting=len(found.persisting),
            overdue=overdue,
            new=len(found.new),
            not_reassessed=len(found.not_reassessed),
            repeat=comparison.repeat_critical,
        ),
    ]
    money = comparison.money_owed
    if money is not None:
        lines.append(
            _(
                "Money owed: %(before)s -> %(now)s, %(refunded)s refunded",
                before=money.previous_total,
                now=money.current_total,
                refunded=money.refunded_total,
            )
        )
    lines += [_("Note: %(note)s", note=note) for note in comparison.notes]
    lines += [_("Written: %(path)s", path=path) for path in written]
    return "\n".join(lines)
