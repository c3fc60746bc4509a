"""The audit result: typed, frozen, and written as the JSON of ``audit-output.md``.

Amounts and scores are exact decimals already rounded as reported (half up,
to the audit currency's minor unit; scores to one decimal, prevalence to
four, points to two). :meth:`AuditResult.to_json` writes them as JSON
numbers in a fixed key order, so the same input gives byte-identical text.
"""

from __future__ import annotations

import datetime as dt
import weakref
from decimal import Decimal
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, model_validator

from auditor.base.gcpause import paused_gc
from auditor.model.enums import Rating, Severity, SubjectType

FORMAT = "audit-result/1"
_Model = TypeVar("_Model", bound=BaseModel)
JsonValue = str | int | float | bool | None | list[Any]


class _Frozen(BaseModel):
    """Frozen, and lenient in what it reads: keys it does not know are ignored.

    Version 1.1 promises that new keys may appear within ``audit-result/1``
    and that readers, this library's included, ignore those they do not
    know, so a document from a newer minor version reads without error.
    Python code that builds a result is held strict by mypy instead (the
    pydantic plugin's ``init_forbid_extra``).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")


_new_object = object.__new__
_set_attribute = object.__setattr__


def trusted(model: type[_Model], **values: Any) -> _Model:
    """A result object built from values this library made and already checked, unvalidated.

    The outcome builds hundreds of thousands of findings, evidence items and
    subjects from validated records; validating them again (or pydantic's own
    ``model_construct``, slower still in pure Python) cost seconds on a large
    audit (issue 15). Every field must be given, already of its declared
    type: the object is then the one validation would have made. Objects of
    one model share one set of field names (validation gives each its own,
    about 700 bytes): the models are frozen, and a copy copies the set.
    """
    made = _new_object(model)
    _set_attribute(made, "__dict__", values)
    names = _ALL_FIELDS.get(model)
    if names is None:
        names = _ALL_FIELDS[model] = set(model.model_fields)
    _set_attribute(made, "__pydantic_fields_set__", names)
    _set_attribute(made, "__pydantic_extra__", None)
    _set_attribute(made, "__pydantic_private__", None)
    return made


#: The field names every object :func:`trusted` makes of a model has set (all of them).
_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}


class Subject(_Frozen):
    type: SubjectType
    id: str


class Evidence(_Frozen):
    """A value a finding rests on, with its value as read (normalised, not converted).

    ``record_id`` is the id of its record (the ``fee_id``; the ``audit_id`` on
    the Audit sheet; the currency on FX). For a dataset given as dicts or JSON,
    ``cell`` is None (the caller never had cells) and ``path`` locates the value
    (``fees[3].amount``); for a workbook ``path`` is None and is not written.
    """

    sheet: str
    cell: str | None
    column: str
    value: JsonValue
    record_id: str | None = None
    path: str | None = None

    @property
    def where(self) -> str:
        return self.path if self.cell is None and self.path else f"{self.sheet}!{self.cell}"


class Finding(_Frozen):
    rule_id: str
    title: str
    severity: Severity
    paragraph: int
    subject: Subject
    evidence: tuple[Evidence, ...]
    amount_owed: Decimal | None = None
    #: Catalogue 1.3: a finding against the law of the worker's destination (DEST-01) owes
    #: nothing (``amount_owed`` 0) and carries what was charged against that law, in the
    #: audit currency; ``amount_charged`` None on such a finding is undetermined.
    corridor: bool = False
    amount_charged: Decimal | None = None

    @model_validator(mode="before")
    @classmethod
    def _corridor_from_json(cls, data: Any) -> Any:
        """A stored result says so by its ``amount_charged`` key (null when undetermined)."""
        if isinstance(data, dict) and "amount_charged" in data and "corridor" not in data:
            return {**data, "corridor": True}
        return data


class CorridorRow(_Frozen):
    """One destination with a destination profile (catalogue 1.3): its workers in the audit,
    those charged against its law (DEST-01 findings) and the amount charged (the sum of the
    rounded amounts of the findings whose amount is determined)."""

    destination: str
    workers: int
    workers_charged: int
    amount_charged: Decimal


class DataGap(_Frozen):
    """A rule that could not be decided for a subject, and the values it lacked."""

    rule_id: str
    subject: Subject
    missing: tuple[str, ...]


class RuleOutcome(_Frozen):
    """How one rule of the pack scored: enough to recompute the score by hand."""

    rule_id: str
    severity: Severity
    paragraph: int
    applicable: int
    affected: int
    gaps: int
    prevalence: Decimal | None
    points: Decimal
    #: 1 - points / 100, rounded half up to 4 decimals (catalogue 1.2); None in results
    #: scored by subtraction (version 1), which had no factors.
    factor: Decimal | None = None


class UndeterminedRow(_Frozen):
    """A fee row whose amount owed could not be decided: its amount cell, or for a dataset
    given as dicts or JSON, ``cell`` None and the ``path`` of its amount; ``record_id`` is
    the ``fee_id`` (version 1.1)."""

    worker_id: str
    cell: str | None
    record_id: str | None = None
    path: str | None = None


class Refunded(_Frozen):
    """Refunds counted against money owed (version 1.1): converted, rounded like amounts owed."""

    total: Decimal = Decimal(0)
    by_worker: dict[str, Decimal] = {}


class MoneyOwed(_Frozen):
    total: Decimal
    by_worker: dict[str, Decimal]
    undetermined: tuple[UndeterminedRow, ...]
    refunded: Refunded = Refunded()


class Subjects(_Frozen):
    """The ids audited, by subject type, each sorted by code point (version 1.1)."""

    agency: tuple[str, ...] = ()
    employer: tuple[str, ...] = ()
    worker: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    complaint: tuple[str, ...] = ()

    def of(self, subject_type: SubjectType) -> tuple[str, ...]:
        ids: tuple[str, ...] = getattr(self, subject_type.value)
        return ids

    def to_dict(self) -> dict[str, list[str]]:
        return {kind.value: list(self.of(kind)) for kind in SubjectType}


#: The last result's JSON bytes, by the result's id, with a weak reference that tells whether
#: that id still names the same result (:meth:`AuditResult.to_json`).
_LAST_JSON: dict[int, tuple[weakref.ReferenceType[AuditResult], bytes]] = {}


class AgencyCopy(_Frozen):
    """Marks a result redacted for the agency: which rules' findings it shows only as counts."""

    withheld_rules: tuple[str, ...]


class AuditResult(_Frozen):
    """Everything one audit found; ``to_json()`` is the result document."""

    format: str = FORMAT
    audit_id: str
    agency_name: str
    inspection_date: dt.date
    jurisdiction: str
    currency: str
    input_sha256: str
    ruleset_version: str
    score: Decimal
    #: How the score was computed: "multiplicative/1" (catalogue 1.2); None for results
    #: scored by subtraction (version 1), which had no such key.
    scoring: str | None = None
    rating: Rating
    provisional: bool
    coverage: Decimal
    paragraph_scores: dict[str, Decimal]
    findings: tuple[Finding, ...]
    rules: tuple[RuleOutcome, ...]
    money_owed: MoneyOwed
    data_gaps: tuple[DataGap, ...]
    warnings: tuple[str, ...]
    agency_copy: AgencyCopy | None = None
    engine_version: str | None = None  # None in documents made before version 1.1
    agency_licence: str | None = None
    subjects: Subjects = Subjects()
    corridor: tuple[CorridorRow, ...] = ()  # catalogue 1.3; absent from older documents

    def to_dict(self) -> dict[str, Any]:
        """The JSON document as Python values (amounts as floats), keys in the spec's order."""
        document: dict[str, Any] = {
            "format": self.format,
            "audit_id": self.audit_id,
            "agency_name": self.agency_name,
            "inspection_date": self.inspection_date.isoformat(),
            "agency_licence": self.agency_licence,
            "jurisdiction": self.jurisdiction,
            "currency": self.currency,
            "input_sha256": self.input_sha256,
            "engine_version": self.engine_version,
            "ruleset_version": self.ruleset_version,
            "score": float(self.score),
            **({"scoring": self.scoring} if self.scoring is not None else {}),
            "rating": self.rating.value,
            "provisional": self.provisional,
            "coverage": float(self.coverage),
            "paragraph_scores": {key: float(value) for key, value in self.paragraph_scores.items()},
            "subjects": self.subjects.to_dict(),
            "findings": [_finding(f) for f in self.findings],
            "rules": [_rule(r) for r in self.rules],
            "money_owed": {
                "total": float(self.money_owed.total),
                "by_worker": {w: float(a) for w, a in self.money_owed.by_worker.items()},
                "undetermined": [_undetermined(row) for row in self.money_owed.undetermined],
                "refunded": {
                    "total": float(self.money_owed.refunded.total),
                    "by_worker": {
                        w: float(a) for w, a in self.money_owed.refunded.by_worker.items()
                    },
                },
            },
            "data_gaps": [
                {"rule_id": g.rule_id, "subject": _subject(g.subject), "missing": list(g.missing)}
                for g in self.data_gaps
            ],
            "warnings": list(self.warnings),
        }
        if self.corridor:  # catalogue 1.3: only when a worker's destination has a profile
            document["corridor"] = [
                {
                    "destination": row.destination,
                    "workers": row.workers,
                    "workers_charged": row.workers_charged,
                    "amount_charged": float(row.amount_charged),
                }
                for row in self.corridor
            ]
        if self.agency_copy is not None:  # an added key (allowed within version 1)
            document["agency_copy"] = {
                "withheld_rules": list(self.agency_copy.withheld_rules),
                "note": "findings of these rules are shown only as counts in rules[]: "
                "complainants' identities are confidential (ILO C81 Art 15(c))",
            }
        return document

    def to_json(self) -> str:
        """The result document: fixed key order, two-space indent, UTF-8, trailing newline."""
        return self.to_json_bytes().decode("utf-8")

    def to_json_bytes(self) -> bytes:
        """:meth:`to_json` as the UTF-8 bytes of the file.

        The bytes of the last result written are kept while that result
        lives: the JSON file and the PDF's attachment are the same bytes,
        and a large audit's take seconds to write (issue 15). The document's
        dicts are built with the cyclic collector paused: they hold no cycle,
        and a 170,000-finding result makes 700,000 of them, which had the
        collector scan the whole heap again and again (a second or more of
        the 0.9 s it takes paused).
        """
        key = id(self)
        kept = _LAST_JSON.get(key)
        if kept is not None and kept[0]() is self:
            return kept[1]
        with paused_gc():
            data = orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2) + b"\n"
        _LAST_JSON.clear()  # the dropped reference's callback dies with it
        _LAST_JSON[key] = (weakref.ref(self, lambda _: _LAST_JSON.pop(key, None)), data)
        return data

    def findings_by_severity(self) -> dict[Severity, int]:
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


#: The text of each enumeration member a finding carries, by member: a dict lookup, where the
#: enum's ``value`` descriptor costs half a microsecond a read (three reads a finding).
_TEXT: dict[Any, str] = {
    member: member.value for kind in (Severity, SubjectType) for member in kind
}


def _subject(subject: Subject) -> dict[str, str]:
    fields = subject.__dict__
    return {"type": _TEXT[fields["type"]], "id": fields["id"]}


def _finding(finding: Finding) -> dict[str, Any]:
    """A finding's dict, read from the objects' ``__dict__`` (every field is there).

    The plain form (``finding.rule_id``, ``finding.severity.value``...) took
    0.87 s for the 192,000 findings and 369,000 evidence items of a dense
    50,000-worker audit; this one 0.72 s. Sharing one dict among the
    findings that share a subject or an evidence item was slower still (a
    lookup in a table of 270,000 misses the cache more than a small dict costs).
    """
    fields = finding.__dict__
    document: dict[str, Any] = {
        "rule_id": fields["rule_id"],
        "title": fields["title"],
        "severity": _TEXT[fields["severity"]],
        "paragraph": fields["paragraph"],
        "subject": _subject(fields["subject"]),
        "evidence": [_evidence(e) for e in fields["evidence"]],
    }
    if fields["amount_owed"] is not None:  # only on findings that make money owed
        document["amount_owed"] = float(fields["amount_owed"])
    if fields["corridor"]:  # DEST-01 (catalogue 1.3): beside amount_owed 0
        charged = fields["amount_charged"]
        document["amount_charged"] = float(charged) if charged is not None else None
    return document


def _evidence(evidence: Evidence) -> dict[str, Any]:
    fields = evidence.__dict__
    document: dict[str, Any] = {
        "sheet": fields["sheet"],
        "cell": fields["cell"],
        "column": fields["column"],
        "value": fields["value"],
        "record_id": fields["record_id"],
    }
    if fields["path"] is not None:  # dataset input only (version 1.1)
        document["path"] = fields["path"]
    return document


def _undetermined(row: UndeterminedRow) -> dict[str, Any]:
    document: dict[str, Any] = {
        "worker_id": row.worker_id,
        "cell": row.cell,
        "record_id": row.record_id,
    }
    if row.path is not None:  # dataset input only (version 1.1)
        document["path"] = row.path
    return document


def _rule(outcome: RuleOutcome) -> dict[str, Any]:
    document: dict[str, Any] = {
        "rule_id": outcome.rule_id,
        "severity": outcome.severity.value,
        "paragraph": outcome.paragraph,
        "applicable": outcome.applicable,
        "affected": outcome.affected,
        "gaps": outcome.gaps,
        "prevalence": float(outcome.prevalence) if outcome.prevalence is not None else None,
        "points": float(outcome.points),
    }
    if outcome.factor is not None:  # catalogue 1.2
        document["factor"] = float(outcome.factor)
    return document
