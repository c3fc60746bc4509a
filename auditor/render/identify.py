"""What a record is, in the words a person acts on: a fee's category, an employer's name.

An evidence cell alone (``Fees!E5 amount = 38000``) sends the inspector back
to the workbook to learn which payment it was; a subject id alone
(``employer E1``, ``agency DOFE-KTM-2083-112``, the audit id) names nothing
anyone recognises. The PDF and the findings workbook print, beside each
evidence row, its record's identifying columns, and name the agency and the
employers by their names (issue 25). The JSON keeps its evidence as it is.

Only the agency's own records are described (its fees, employers,
intermediaries, channels and licence): settled for format 1.2, the
agency's copy may show them, and a worker's records carry her pseudonym
only, never a free text about her.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from auditor.i18n import gettext as _
from auditor.model.dataset import AuditDataset
from auditor.model.enums import SubjectType
from auditor.model.records import Channel, Employer, Fee, Intermediary, Record
from auditor.model.result import Evidence, Subject
from auditor.model.values import describe
from auditor.render.words import code_word

_LONGEST = 60


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"


def _fee(fee: Fee) -> str:
    parts = [code_word(fee.category.value)]  # the code's words: "medical", as the cell reads
    if fee.description:
        parts.append(f'"{_short(fee.description)}"')
    if fee.paid_to is not None:
        parts.append(_("paid to %(payee)s", payee=code_word(fee.paid_to.value)))
    return ", ".join(parts)


def _employer(employer: Employer) -> str:
    return _short(employer.name)


def _intermediary(intermediary: Intermediary) -> str:
    return _short(intermediary.name)


def _channel(channel: Channel) -> str:
    return _(
        "%(kind)s run by %(operator)s",
        kind=code_word(describe(channel.kind)),
        operator=code_word(describe(channel.operated_by)),
    )


_DESCRIBERS: Mapping[str, tuple[str, Callable[[Any], str]]] = {
    "Fees": ("fees", _fee),
    "Employers": ("employers", _employer),
    "Intermediaries": ("intermediaries", _intermediary),
    "Channels": ("channels", _channel),
}


@dataclass(frozen=True)
class Identities:
    """The identifying words of each of the agency's records, by sheet and record id.

    Records are looked up when a row is printed, never all described up front:
    a 200,000-fee workbook prints the evidence of its findings only.
    """

    records: Mapping[str, Mapping[str, Record]]
    agency: str
    audit_id: str

    @classmethod
    def of(cls, dataset: AuditDataset) -> Identities:
        records: dict[str, dict[str, Record]] = {}
        for sheet, (key, _describer) in _DESCRIBERS.items():
            rows: tuple[Record, ...] = getattr(dataset, key)
            records[sheet] = {getattr(row, row.ID_FIELD or ""): row for row in rows}
        audit = dataset.audit
        licence = (
            _("licence %(licence)s", licence=audit.agency_licence_number)
            if audit.agency_licence_number
            else _("no licence shown")
        )
        return cls(records, f"{_short(audit.agency_name)} ({licence})", audit.audit_id)

    def describe(self, sheet: str, record_id: str) -> str | None:
        """The identifying words of one record, or None for a record of no described sheet."""
        if sheet == "Audit":
            return self.agency if record_id == self.audit_id else None
        record = self.records.get(sheet, {}).get(record_id)
        if record is None:
            return None
        return _DESCRIBERS[sheet][1](record)

    def of_evidence(self, item: Evidence) -> str | None:
        """``recruitment fee, "air ticket", paid to agency`` for a Fees cell, or None."""
        if item.record_id is None:
            return None
        return self.describe(item.sheet, item.record_id)

    def subject(self, subject: Subject) -> str:
        """The subject as a reader knows it: the agency by its name, an employer with its name."""
        if subject.type is SubjectType.AGENCY:
            return self.agency
        if subject.type is SubjectType.EMPLOYER:
            name = self.describe("Employers", subject.id)
            return f"{subject.id} ({name})" if name else subject.id
        return subject.id
