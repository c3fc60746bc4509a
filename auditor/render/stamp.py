"""Whether a report is a draft or issued, and what its issue says: plain values to print.

:mod:`auditor.issuing` makes a :class:`Stamp` from an issue record (or a
pending review, for a draft); the renderers only print it. ``None`` where
a stamp is expected means a draft with no review: what ``auditor audit``
makes. A draft's orders read "within N days of issue"; an issued report's
carry calendar due dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from auditor.i18n.context import N_
from auditor.model.enums import Severity
from auditor.model.result import AuditResult

#: The running header of every page of a draft (audit-output.md 1.2, "Settled").
DRAFT_HEADER = N_("DRAFT - not issued")  # a msgid: the template prints it translated


@dataclass(frozen=True)
class SetAsideLine:
    rule_id: str
    title: str
    subject: str  # "worker W3"
    reason: str


@dataclass(frozen=True)
class AddedLine:
    """A finding the inspector added: a rule of its own (INSP-1...)."""

    rule_id: str
    paragraph: int
    severity: Severity
    subjects: str  # "workers W3, W7 (2 of 40)"
    finding: str
    evidence: str
    points: str
    due: str  # its order's time limit, as printed


@dataclass(frozen=True)
class Attached:
    name: str
    data: bytes
    description: str


@dataclass(frozen=True)
class Stamp:
    """What a report says about its own standing."""

    issued_on: dt.date | None = None  # None: a draft
    header: str = DRAFT_HEADER  # the running header of every page
    issue_line: str | None = None  # issued: "Issued on ... by ..., ..., ... - verify ..."
    verification_code: str | None = None
    verify_url: str | None = None
    qr_svg: str | None = None  # the cover's QR code of verify_url (SVG markup we made)
    signed: bool = False
    issuer: str | None = None  # "NAME, TITLE, OFFICE"
    supersedes: str | None = None  # "audit X (code ...): reason"
    #: The result the report prints (the reviewed view); None: the engine's own.
    shown: AuditResult | None = None
    set_aside: tuple[SetAsideLine, ...] = ()
    added: tuple[AddedLine, ...] = ()
    withheld_set_aside: int = 0  # the agency's copy: confidential set-asides, counted
    withheld_added: int = 0
    review_pending: bool = False  # a draft that shows a review not yet issued
    review_score: str | None = None  # the engine's score beside the reviewed one
    #: Due dates by (rule id, subject type, subject id), for issued orders.
    dues: Mapping[tuple[str, str, str], dt.date | None] = field(default_factory=dict)
    attachments: tuple[Attached, ...] = ()  # beside the result: the issue record

    @property
    def draft(self) -> bool:
        return self.issued_on is None


#: A draft with no review: what ``auditor audit`` makes.
DRAFT = Stamp()
