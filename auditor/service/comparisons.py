"""Follow-up comparisons through the API: the one chosen when the audit ran, or, with
``?previous=``, one with any earlier done audit of the office, computed on demand
(web.md 1.1). When there is none, a 409 names why, by a code of its own."""

from __future__ import annotations

import datetime as dt
import json

from auditor.service import jobs, signoff
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

    # As when the audit ran (reports.with_previous): the previous audit's issued view when it
    # has one, and the refund dates its workbook recorded.
    record = signoff.record_of(previous)
    issued = (
        json.loads(record.record) if record is not None and record.state != "withdrawn" else None
    )
    refunds = report_path(jobs.CONFIG, str(audit.pk), "refunds", "inspector")
    refunded_on = (
        {fee: dt.date.fromisoformat(day) for fee, day in json.loads(refunds.read_bytes()).items()}
        if refunds.is_file()
        else None
    )
    try:
        made = compare(result(previous), result(audit), issued, refunded_on=refunded_on)
    except NotComparable as error:
        raise NoComparison("wrong_order", str(error)) from None
    return comparison_for(made, Copy.INSPECTOR, rule_pack()).to_json().encode("utf-8")


def _done(audit: Audit, which: str) -> None:
    if audit.status != Status.DONE:
        raise NoComparison("not_done", f"{which} is {audit.status}, not done")
