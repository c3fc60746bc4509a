"""Follow-up audits: what was resolved, what persists, what is new, and the money refunded.

:func:`compare` takes an agency's previous audit result and its current one
(typed :class:`~auditor.model.result.AuditResult` objects, result documents
as dicts, or paths to ``.json`` files) and returns a typed
:class:`Comparison`, whose ``to_json()`` is the ``audit-comparison/1``
document of ``audit-output.md``. Both sides are read through their JSON
form, so comparing objects and comparing their JSON files give the same
comparison, exactly.

Choices where the spec is silent, made for an inspector reading the result:

- The agency is one subject whatever its id: its id is the audit's own
  ``audit_id``, which differs from one audit to the next by nature, so an
  agency finding (LIC-01, COMP-01...) of both audits persists. Items from
  the previous audit show its ids, items of the current one the current ids.
- ``due`` is given for every finding of the previous audit (persisting,
  resolved, not reassessed), from the previous severity; a new finding has
  no due date yet (``null``, ``overdue`` false). A persisting finding shows
  the current severity and paragraph.
- A side without ``subjects`` (a result made before version 1.1) counts
  every subject as present, with a note; a side that is an agency's copy
  is compared as it is, with a note that confidential findings are missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict

from auditor.errors import UsageError
from auditor.model.enums import Severity, SubjectType
from auditor.model.result import AuditResult, Subject

FORMAT = "audit-comparison/1"
RESULT_FORMAT = "audit-result/1"
#: Days from an inspection to comply with its order, by severity (low: advice, no limit).
TIME_LIMIT_DAYS = {Severity.CRITICAL: 0, Severity.HIGH: 30, Severity.MEDIUM: 90}

ResultSource = AuditResult | Mapping[str, Any] | str | Path
Key = tuple[str, str, str]  # rule id, subject type, subject id ("" for the agency)


class NotComparable(UsageError):
    """Two audits that cannot be compared: another agency, or given in the wrong order."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class AuditSummary(_Frozen):
    """One side of a comparison, as the spec's ``previous`` and ``current`` show it."""

    audit_id: str
    inspection_date: dt.date
    score: Decimal
    rating: str
    provisional: bool
    ruleset_version: str
    input_sha256: str


class ComparedFinding(_Frozen):
    rule_id: str
    severity: Severity
    paragraph: int
    subject: Subject
    due: dt.date | None = None
    overdue: bool = False
    #: A fee finding whose money owed is refunded in full: its refund order is complied
    #: with (never overdue), on the latest refund date of its fee rows when known.
    refunded_in_full: bool = False
    refunded_on: dt.date | None = None


class FindingChanges(_Frozen):
    persisting: tuple[ComparedFinding, ...] = ()
    new: tuple[ComparedFinding, ...] = ()
    resolved: tuple[ComparedFinding, ...] = ()
    not_reassessed: tuple[ComparedFinding, ...] = ()
    #: Set aside by the inspector in the previous issued report: never persisting or overdue.
    set_aside_previously: tuple[ComparedFinding, ...] = ()


class PreviousAdded(_Frozen):
    """A finding the previous inspector added: listed for reassessment, never matched."""

    rule_id: str
    severity: Severity
    paragraph: int
    subject_type: SubjectType
    subjects: tuple[str, ...]
    finding: str
    confidential: bool = False


class WorkerMoney(_Frozen):
    """One worker's money: owed before, owed now and refunded now (null: not in this audit)."""

    previous: Decimal
    current: Decimal | None
    refunded: Decimal | None


class MoneyChange(_Frozen):
    """The money table; its terms add up (audit-output.md 1.2, "Follow-up money"):

    ``previous_total - refunded_total - not_reassessed_total + over_refunded_total
    + other_changes_total == current_total``, exactly.
    """

    previous_total: Decimal
    current_total: Decimal
    refunded_total: Decimal
    by_worker: dict[str, WorkerMoney]
    not_reassessed_total: Decimal = Decimal(0)  # last owed to workers not audited again
    over_refunded_total: Decimal = Decimal(0)  # refunds beyond what was owed before
    other_changes_total: Decimal = Decimal(0)  # new charges, pack or rate changes


class WithheldCounts(_Frozen):
    """The agency's copy: findings of confidential rules, counted only, per list."""

    withheld_rules: tuple[str, ...]
    persisting: int
    new: int
    resolved: int
    not_reassessed: int


class Comparison(_Frozen):
    """An ``audit-comparison/1`` document, typed; ``to_json()`` writes it."""

    format: str = FORMAT
    agency_licence: str | None
    previous: AuditSummary
    current: AuditSummary
    #: None when the two scores were computed by different methods (subtraction, version 1,
    #: and the product of catalogue 1.2): their difference would mean nothing.
    score_change: Decimal | None
    findings: FindingChanges
    repeat_critical: int
    money_owed: MoneyChange | None
    notes: tuple[str, ...] = ()
    agency_copy: WithheldCounts | None = None
    #: Where persisting orders' due dates come from: ``issue`` (the previous audit's issue
    #: record was given) or ``inspection`` (its inspection date, as in version 1.1).
    due_basis: Literal["issue", "inspection"] = "inspection"
    previous_added: tuple[PreviousAdded, ...] = ()
    previous_issue_code: str | None = None  # the previous report's verification code

    def to_dict(self) -> dict[str, Any]:
        """The document as Python values (amounts as floats), keys in the spec's order."""
        document: dict[str, Any] = {
            "format": self.format,
            "agency_licence": self.agency_licence,
            "previous": _summary(self.previous),
            "current": _summary(self.current),
            "score_change": float(self.score_change) if self.score_change is not None else None,
            "findings": {
                name: [_item(item) for item in getattr(self.findings, name)]
                for name in ("persisting", "new", "resolved", "not_reassessed")
            },
            "repeat_critical": self.repeat_critical,
            "due_basis": self.due_basis,
            "money_owed": _money(self.money_owed) if self.money_owed is not None else None,
            "notes": list(self.notes),
        }
        if self.due_basis == "issue":  # read from the previous issue record
            document["findings"]["set_aside_previously"] = [
                _item(item) for item in self.findings.set_aside_previously
            ]
            document["previous_added"] = [a.model_dump(mode="json") for a in self.previous_added]
            document["previous_issue_code"] = self.previous_issue_code
        if self.agency_copy is not None:  # only in the agency's copy
            document["agency_copy"] = {
                **self.agency_copy.model_dump(mode="json"),
                "note": "findings of these rules are shown only as counts: complainants' "
                "identities are confidential (ILO C81 Art 15(c))",
            }
        return document

    def to_json(self) -> str:
        """Fixed key order, two-space indent, UTF-8, trailing newline: byte-identical reruns."""
        return orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Comparison:
        """Read a comparison document back (unknown keys of a later version are ignored)."""
        return cls.model_validate(orjson.loads(text))

    def for_agency(self, confidential: frozenset[str]) -> Comparison:
        """The agency's copy: findings of ``confidential`` rules only as counts; money stays."""
        kept: dict[str, tuple[ComparedFinding, ...]] = {}
        counts: dict[str, int] = {}
        withheld: set[str] = set()
        for name in ("persisting", "new", "resolved", "not_reassessed"):
            items: tuple[ComparedFinding, ...] = getattr(self.findings, name)
            kept[name] = tuple(i for i in items if i.rule_id not in confidential)
            counts[name] = len(items) - len(kept[name])
            withheld.update(i.rule_id for i in items if i.rule_id in confidential)
        kept["set_aside_previously"] = tuple(
            i for i in self.findings.set_aside_previously if i.rule_id not in confidential
        )
        return self.model_copy(
            update={
                "previous_added": tuple(a for a in self.previous_added if not a.confidential),
                "findings": FindingChanges(**kept),
                "agency_copy": WithheldCounts(withheld_rules=tuple(sorted(withheld)), **counts),
            }
        )

    def overdue_first(self) -> tuple[ComparedFinding, ...]:
        """Persisting findings for the report: overdue ones first, then by due date."""
        return tuple(
            sorted(
                self.findings.persisting,
                key=lambda i: (not i.overdue, i.due or dt.date.max, -i.severity.rank),
            )
        )


# -- comparing -------------------------------------------------------------------------------


def compare(
    previous: ResultSource,
    current: ResultSource,
    previous_issue: Mapping[str, Any] | None = None,
    *,
    refunded_on: Mapping[str, dt.date] | None = None,
) -> Comparison:
    """Compare an agency's audit with its previous one (``audit-output.md``, follow-ups).

    ``previous_issue`` is the previous audit's issue record (``audit-issue/1``,
    as a dict): then the comparison reads the previous *issued* view (its
    set-asides, added findings, reviewed score and money) and persisting orders
    keep the record's due dates (``due_basis`` ``issue``). ``refunded_on``
    maps fee ids to their refund dates (from the current workbook), for
    "refunded in full on DATE".

    Raises :class:`NotComparable` when both name a licence and they differ,
    or when the previous inspection is not earlier than the current one;
    :class:`~auditor.errors.UsageError` when a file is not an audit result or
    the record is not the previous audit's.
    """
    before, now = _Side(read_result(previous, "previous")), _Side(read_result(current, "current"))
    issue = _IssueView(previous_issue, before.doc) if previous_issue is not None else None
    if issue is not None:
        issue.apply(before)
    notes = _check(before, now)
    rules_before, rules_now = before.rules(), now.rules()
    if rules_before != rules_now:
        gone, added = sorted(rules_before - rules_now), sorted(rules_now - rules_before)
        notes.append(
            "the rule packs differ: rules only in the previous pack (its findings not "
            f"reassessed): {', '.join(gone) or 'none'}; rules only in the current pack (its "
            f"findings new): {', '.join(added) or 'none'}"
        )
    elif before.doc["ruleset_version"] != now.doc["ruleset_version"]:
        notes.append(
            f"the audits were made with rule pack versions {before.doc['ruleset_version']} and "
            f"{now.doc['ruleset_version']}, with the same rules"
        )
    changes = _changes(before, now, rules_now, issue, refunded_on or {})
    money = _money_change(before, now, notes)
    score_change: Decimal | None = now.decimal("score") - before.decimal("score")
    methods = (before.doc.get("scoring"), now.doc.get("scoring"))
    if methods[0] != methods[1]:
        score_change = None
        names = [m or "subtraction (version 1)" for m in methods]
        notes.append(
            f"the scores were computed by different methods ({names[0]} and {names[1]}): "
            "no score change is given; compare the findings and the money"
        )
    return Comparison(
        agency_licence=now.licence or before.licence,
        previous=before.summary(),
        current=now.summary(),
        score_change=score_change,
        findings=changes,
        repeat_critical=sum(1 for i in changes.persisting if i.severity is Severity.CRITICAL),
        money_owed=money,
        notes=tuple(notes),
        due_basis="issue" if issue is not None else "inspection",
        previous_added=issue.added if issue is not None else (),
        previous_issue_code=issue.code if issue is not None else None,
    )


ISSUE_FORMAT = "audit-issue/1"


class _IssueView:
    """The previous audit as issued: its record's set-asides, added findings and dates."""

    def __init__(self, record: Mapping[str, Any], previous: Mapping[str, Any]) -> None:
        if not isinstance(record, Mapping) or record.get("format") != ISSUE_FORMAT:
            raise UsageError(
                f"the previous issue record is not an issue record ({ISSUE_FORMAT}); give the "
                ".issue.json file written when the previous report was issued"
            )
        if (
            record.get("audit_id") != previous["audit_id"]
            or record.get("input_sha256") != previous["input_sha256"]
        ):
            raise UsageError(
                f"the previous issue record is of audit {record.get('audit_id')!r}, not of the "
                f"previous result {previous['audit_id']!r} given"
            )
        self.record = record
        self.code: str | None = record.get("verification_code")
        self.set_aside = {_key(item) for item in record.get("set_aside", [])}
        self.due: dict[Key, dt.date | None] = {}
        for item in record.get("due", []):
            if item.get("subject") is None:
                continue
            when = item.get("due")
            self.due[_key(item)] = dt.date.fromisoformat(when) if when else None
        self.added = tuple(PreviousAdded.model_validate(item) for item in record.get("added", []))

    def apply(self, before: _Side) -> None:
        """The previous side's score, rating and money as its issued report said them."""
        reviewed = self.record.get("reviewed")
        if not isinstance(reviewed, Mapping):
            return
        doc = dict(before.doc)
        for key in ("score", "rating", "provisional"):
            if key in reviewed:
                doc[key] = reviewed[key]
        if isinstance(reviewed.get("money_owed"), Mapping):
            doc["money_owed"] = {**doc["money_owed"], **reviewed["money_owed"]}
        before.doc = doc


def read_result(source: ResultSource, which: str = "audit") -> dict[str, Any]:
    """A result document from an object, a dict or a ``.json`` file, checked to be one.

    Raises :class:`~auditor.errors.UsageError` with a plain sentence otherwise.
    """
    if isinstance(source, AuditResult):
        return source.to_dict()
    if isinstance(source, str | Path):
        try:
            loaded = orjson.loads(Path(source).read_bytes())
        except OSError as error:
            raise UsageError(f"cannot read the {which} result {source}: {error.strerror}") from None
        except orjson.JSONDecodeError:
            raise UsageError(f"the {which} result {source} is not JSON") from None
        where = f"{source}"
    else:
        loaded, where = dict(source), f"the {which} result"
    if not isinstance(loaded, dict) or loaded.get("format") != RESULT_FORMAT:
        raise UsageError(
            f"{where} is not an audit result ({RESULT_FORMAT}); give the .json file that "
            "auditor audit wrote"
        )
    missing = [key for key in _NEEDED if key not in loaded]
    if missing:
        raise UsageError(f"{where} lacks {', '.join(missing)}; it is not a complete audit result")
    return loaded


_NEEDED = ("audit_id", "inspection_date", "currency", "score", "rating", "provisional",
           "ruleset_version", "input_sha256", "findings", "money_owed")  # fmt: skip


class _Side:
    """One result document, read for comparing."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.licence: str | None = doc.get("agency_licence")
        self.date = dt.date.fromisoformat(doc["inspection_date"])
        self.findings = {_key(f): f for f in doc["findings"]}
        self.gaps = {_key(g) for g in doc.get("data_gaps", [])}
        self.subjects: dict[str, set[str]] | None = (
            {kind: set(ids) for kind, ids in doc["subjects"].items()}
            if isinstance(doc.get("subjects"), dict)
            else None
        )

    def decimal(self, key: str) -> Decimal:
        return _decimal(self.doc[key])

    def rules(self) -> set[str]:
        listed = self.doc.get("rules")
        if isinstance(listed, list) and listed:
            return {rule["rule_id"] for rule in listed}
        return {key[0] for key in (*self.findings, *self.gaps)}

    def has_subject(self, kind: str, subject_id: str) -> bool:
        if kind == SubjectType.AGENCY.value or self.subjects is None:
            return True
        return subject_id in self.subjects.get(kind, set())

    def workers(self) -> set[str] | None:
        return None if self.subjects is None else self.subjects.get("worker", set())

    def summary(self) -> AuditSummary:
        return AuditSummary.model_validate(
            {key: self.doc[key] for key in AuditSummary.model_fields}
            | {"score": self.decimal("score")}
        )


def _key(item: Mapping[str, Any]) -> Key:
    subject = item["subject"]
    kind = subject["type"]
    return item["rule_id"], kind, "" if kind == SubjectType.AGENCY.value else subject["id"]


def _decimal(value: Any) -> Decimal:
    """A JSON number as the decimal it was written from (floats by their shortest repr)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _check(before: _Side, now: _Side) -> list[str]:
    """Refuse what cannot be compared; the notes for what can, with a caveat."""
    ids = f"{before.doc['audit_id']} and {now.doc['audit_id']}"
    if before.licence and now.licence and before.licence != now.licence:
        raise NotComparable(
            f"the audits {ids} are of different agencies (licence {before.licence} and "
            f"{now.licence}); compare two audits of the same agency"
        )
    if before.date >= now.date:
        raise NotComparable(
            f"the previous audit {before.doc['audit_id']} ({before.date.isoformat()}) is not "
            f"earlier than the current one {now.doc['audit_id']} ({now.date.isoformat()}); "
            "give the earlier audit first"
        )
    notes = []
    for side, name in ((before, "previous"), (now, "current")):
        if not side.licence:
            notes.append(
                f"the {name} audit records no agency licence: the two audits are taken to be "
                "of the same agency without a licence number to confirm it"
            )
        if "agency_copy" in side.doc:
            notes.append(
                f"the {name} result is the agency's copy, without the findings of confidential "
                "rules: compare the inspector's copies for a full account"
            )
    if now.subjects is None:
        notes.append(
            "the current result does not list the subjects audited (a result before version "
            "1.1): every subject is taken as audited again"
        )
    return notes


def _changes(
    before: _Side,
    now: _Side,
    rules_now: set[str],
    issue: _IssueView | None,
    refunded_on: Mapping[str, dt.date],
) -> FindingChanges:
    """The four lists (five with an issue record); ``overdue`` only on persisting findings,
    and never on a fee finding refunded in full (its refund order is complied with)."""
    lists: dict[str, list[ComparedFinding]] = {
        "persisting": [], "new": [], "resolved": [], "not_reassessed": [],
        "set_aside_previously": [],
    }  # fmt: skip
    for key, old in before.findings.items():
        if issue is not None and key in issue.set_aside:
            lists["set_aside_previously"].append(_compared(old, None, False))
            continue
        if issue is not None:
            due = issue.due.get(key)
        else:
            due = _due(Severity(old["severity"]), before.date)
        found = now.findings.get(key)
        if found is not None:
            full, on = _refunded_in_full(found, now, refunded_on)
            overdue = due is not None and now.date > due and not full
            lists["persisting"].append(_compared(found, due, overdue, full, on))
            continue
        rule_id, kind, subject_id = key
        decided = rule_id in rules_now and now.has_subject(kind, subject_id) and key not in now.gaps
        lists["resolved" if decided else "not_reassessed"].append(_compared(old, due, False))
    for key, found in now.findings.items():
        if key not in before.findings:
            lists["new"].append(_compared(found, None, False))
    ordered = {name: tuple(sorted(items, key=_order)) for name, items in lists.items()}
    return FindingChanges(**ordered)


def _refunded_in_full(
    finding: Mapping[str, Any], now: _Side, refunded_on: Mapping[str, dt.date]
) -> tuple[bool, dt.date | None]:
    """Whether a fee finding's money owed is refunded in full, and on which day (latest)."""
    if "amount_charged" in finding:  # DEST-01 (catalogue 1.3) owes nothing: nothing to refund
        return False, None
    if "amount_owed" not in finding or _decimal(finding["amount_owed"]) != 0:
        return False, None
    refunded = (now.doc["money_owed"].get("refunded") or {}).get("by_worker", {})
    if not _decimal(refunded.get(finding["subject"]["id"], 0)) > 0:
        return False, None
    days = [
        refunded_on[item["record_id"]]
        for item in finding.get("evidence", [])
        if item.get("sheet") == "Fees" and item.get("record_id") in refunded_on
    ]
    return True, max(days) if days else None


def _due(severity: Severity, inspected: dt.date) -> dt.date | None:
    days = TIME_LIMIT_DAYS.get(severity)
    return None if days is None else inspected + dt.timedelta(days=days)


def _compared(
    finding: Mapping[str, Any],
    due: dt.date | None,
    overdue: bool,
    refunded_in_full: bool = False,
    refunded_on: dt.date | None = None,
) -> ComparedFinding:
    return ComparedFinding(
        rule_id=finding["rule_id"],
        severity=Severity(finding["severity"]),
        paragraph=finding["paragraph"],
        subject=Subject.model_validate(finding["subject"]),
        due=due,
        overdue=overdue,
        refunded_in_full=refunded_in_full,
        refunded_on=refunded_on,
    )


def _order(item: ComparedFinding) -> tuple[int, str, str]:
    return item.paragraph, item.rule_id, item.subject.id


def _money_change(before: _Side, now: _Side, notes: list[str]) -> MoneyChange | None:
    if before.doc["currency"] != now.doc["currency"]:
        notes.append(
            f"the previous audit states money in {before.doc['currency']} and the current one "
            f"in {now.doc['currency']}: money owed is not compared"
        )
        return None
    owed_before = before.doc["money_owed"]
    owed_now = now.doc["money_owed"]
    refunded = owed_now.get("refunded") or {"total": 0, "by_worker": {}}
    present = now.workers()
    by_worker: dict[str, WorkerMoney] = {}
    for worker_id in sorted(set(owed_before["by_worker"]) | set(owed_now["by_worker"])):
        here = present is None or worker_id in present
        by_worker[worker_id] = WorkerMoney(
            previous=_decimal(owed_before["by_worker"].get(worker_id, 0)),
            current=_decimal(owed_now["by_worker"].get(worker_id, 0)) if here else None,
            refunded=_decimal(refunded["by_worker"].get(worker_id, 0)) if here else None,
        )
    previous_total = _decimal(owed_before["total"])
    current_total = _decimal(owed_now["total"])
    refunded_total = _decimal(refunded["total"])
    not_reassessed = sum(
        (line.previous for line in by_worker.values() if line.current is None), Decimal(0)
    )
    over = Decimal(0)
    for worker_id, amount in refunded["by_worker"].items():
        before_owed = _decimal(owed_before["by_worker"].get(worker_id, 0))
        over += max(Decimal(0), _decimal(amount) - before_owed)
    return MoneyChange(
        previous_total=previous_total,
        current_total=current_total,
        refunded_total=refunded_total,
        by_worker=by_worker,
        not_reassessed_total=not_reassessed,
        over_refunded_total=over,
        other_changes_total=current_total - previous_total + refunded_total + not_reassessed - over,
    )


# -- writing ----------------------------------------------------------------------------------


def _summary(summary: AuditSummary) -> dict[str, Any]:
    return {
        "audit_id": summary.audit_id,
        "inspection_date": summary.inspection_date.isoformat(),
        "score": float(summary.score),
        "rating": summary.rating,
        "provisional": summary.provisional,
        "ruleset_version": summary.ruleset_version,
        "input_sha256": summary.input_sha256,
    }


def _item(item: ComparedFinding) -> dict[str, Any]:
    document: dict[str, Any] = {
        "rule_id": item.rule_id,
        "severity": item.severity.value,
        "paragraph": item.paragraph,
        "subject": {"type": item.subject.type.value, "id": item.subject.id},
        "due": item.due.isoformat() if item.due is not None else None,
        "overdue": item.overdue,
    }
    if item.refunded_in_full:  # fee findings refunded in full only (version 1.2)
        document["refunded_in_full"] = True
        document["refunded_on"] = item.refunded_on.isoformat() if item.refunded_on else None
    return document


def _money(money: MoneyChange) -> dict[str, Any]:
    return {
        "previous_total": float(money.previous_total),
        "current_total": float(money.current_total),
        "refunded_total": float(money.refunded_total),
        "not_reassessed_total": float(money.not_reassessed_total),
        "over_refunded_total": float(money.over_refunded_total),
        "other_changes_total": float(money.other_changes_total),
        "by_worker": {
            worker_id: {
                "previous": float(line.previous),
                "current": _number(line.current),
                "refunded": _number(line.refunded),
            }
            for worker_id, line in money.by_worker.items()
        },
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
