"""Follow-up comparisons through the API: the one chosen when the audit ran, or, with
``?previous=``, one with any earlier done audit of the office, computed on demand
(web.md 1.1). When there is none, a 409 names why, by a code of its own."""

from __future__ import annotations

from auditor.service import jobs
from auditor.service.models import Audit, Status
from auditor.service.storage import report_path


class NoComparison(Exception):
    """Why there is no comparison: ``code`` is ``not_done``, ``no_previous_audit``,
    ``other_licence`` or ``wrong_order``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def chosen(audit: Audit) -> bytes:
    """The comparison kept when the audit ran."""
    _done(audit, "the audit")
    path = report_path(jobs.CONFIG, str(audit.pk), "comparison", "inspector")
    if not path.is_file():
        raise NoComparison(
            "no_previous_audit",
            "the audit had no previous audit of the agency in this office when it ran; ask "
            "for a comparison with one: ?previous=<its id>",
        )
    return path.read_bytes()


def on_demand(audit: Audit, previous: Audit) -> bytes:
    """The comparison of ``audit`` with ``previous`` (both the caller's to see)."""
    from auditor.pipeline import rule_pack
    from auditor.render import Copy
    from auditor.render.comparison import comparison_for
    from auditor.verdict.compare import NotComparable, compare

    _done(audit, "the audit")
    _done(previous, "the previous audit")
    if (
        audit.agency_licence
        and previous.agency_licence
        and audit.agency_licence != previous.agency_licence
    ):
        raise NoComparison(
            "other_licence", "the two audits are of agencies with different licences"
        )
    if (
        audit.inspection_date is not None
        and previous.inspection_date is not None
        and previous.inspection_date >= audit.inspection_date
    ):
        raise NoComparison(
            "wrong_order", "the previous audit's inspection is not earlier than this one's"
        )

    def result(row: Audit) -> str:
        return str(report_path(jobs.CONFIG, str(row.pk), "json", "inspector"))

    try:
        made = compare(result(previous), result(audit))
    except NotComparable as error:
        raise NoComparison("wrong_order", str(error)) from None
    return comparison_for(made, Copy.INSPECTOR, rule_pack()).to_json().encode("utf-8")


def _done(audit: Audit, which: str) -> None:
    if audit.status != Status.DONE:
        raise NoComparison("not_done", f"{which} is {audit.status}, not done")
