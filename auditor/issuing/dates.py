"""Issue dates and due dates: orders fall due after the issue, never before it.

An order's time limit counts from the **issue** date (audit-output.md 1.2):
critical at once (0 days), high 30 days, medium 90 days; low findings are
advice with no due date. The issue date may be earlier than today (paper
issued offline) but never before the inspection nor after today.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from auditor.errors import UsageError
from auditor.model.enums import Severity

#: Days from the issue date to comply, by severity (C81 Art 13: at once where danger is
#: imminent; C81 Art 17: advice instead of proceedings for low findings).
DEADLINE_DAYS = {Severity.CRITICAL: 0, Severity.HIGH: 30, Severity.MEDIUM: 90}


class IssueError(UsageError):
    """An issue that cannot be made: a stable ``code``, a sentence, and located problems."""

    def __init__(self, code: str, message: str, problems: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.problems = problems


def due_date(severity: Severity, issued_on: dt.date) -> dt.date | None:
    """The due date of an order of ``severity`` issued on ``issued_on``; ``None`` for advice."""
    days = DEADLINE_DAYS.get(severity)
    return None if days is None else issued_on + dt.timedelta(days=days)


def check_issue_date(issued_on: dt.date, inspection_date: dt.date, today: dt.date) -> None:
    """Refuse an issue date before the inspection or after ``today`` (the office's today)."""
    if issued_on < inspection_date:
        raise IssueError(
            "issue_before_inspection",
            f"the issue date {issued_on.isoformat()} is before the inspection date "
            f"{inspection_date.isoformat()}; a report is issued after its inspection",
        )
    if issued_on > today:
        raise IssueError(
            "issue_in_future",
            f"the issue date {issued_on.isoformat()} is after today ({today.isoformat()}); "
            "a report cannot be issued in advance",
        )


def today_in(zone: str | None) -> dt.date:
    """Today in the IANA time zone ``zone`` (the system's when ``None``)."""
    if zone is None:
        return dt.date.today()
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise IssueError(
            "unknown_time_zone", f"{zone!r} is not an IANA time zone (e.g. Asia/Kathmandu)"
        ) from None
    return dt.datetime.now(tz).date()
