"""The issue record ``audit-issue/1`` and the inspector's review, as pydantic models.

An audit's result is a finding of fact; the issue record is the official
act made from it (audit-output.md 1.2): who issued it, when, for which
office, under which verification code, what the inspector set aside or
added, the due date of every order, and the reviewed score and money the
issued report prints. It is attached in the issued PDF beside the result,
and its digest of the result's bytes (one per copy) ties the two together.

The models are strict (unknown keys refused) where they read what a person
typed (the review), lenient (unknown keys ignored) where they read a
document a newer minor version may have written (the record).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field

from auditor.model.enums import Rating, Severity, SubjectType

FORMAT = "audit-issue/1"
#: Crockford's base32 alphabet: no I, L, O, U, so a code read aloud or typed is unambiguous.
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
#: Characters of a verification code, without its hyphens: 16 x 5 bits = 80 random bits.
CODE_LENGTH = 16
#: Shortest reason a set-aside, a supersede or a withdrawal may give (audit-output.md 1.2).
MIN_REASON = 20
#: The paragraphs of UNGA 74/127 an added finding may fall under.
PARAGRAPHS = (11, 16, 26, 30)


class _Strict(BaseModel):
    """What a person typed: unknown keys are refused, not silently dropped."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class _Lenient(BaseModel):
    """A document: keys a newer minor version added are ignored (like ``audit-result/1``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class ReviewSubject(_Strict):
    type: SubjectType
    id: str


class SetAside(_Strict):
    """One finding (rule and subject) the inspector knows to be wrong, with why."""

    rule_id: str
    subject: ReviewSubject
    reason: str


class Added(_Strict):
    """A finding the rules cannot see, in the inspector's words.

    It becomes a rule of its own (``INSP-1``, ``INSP-2``... in the order given),
    weighted by its severity, with prevalence its subjects / the audit's
    subjects of that type, an order and a due date like any finding of its
    severity, and never money.
    """

    paragraph: int
    severity: Severity
    subject_type: SubjectType = SubjectType.AGENCY
    subjects: tuple[str, ...] = ()
    finding: str
    evidence: str
    confidential: bool = False


class Review(_Strict):
    """The inspector's review of one audit before it is issued; empty changes nothing."""

    set_aside: tuple[SetAside, ...] = ()
    added: tuple[Added, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.set_aside and not self.added

    def digest(self) -> str:
        """SHA-256 of the review's canonical JSON: a cached draft's key includes it."""
        import hashlib

        return hashlib.sha256(canonical_json(self.model_dump(mode="json"))).hexdigest()


class IssuedBy(_Lenient):
    name: str
    title: str


class Supersedes(_Lenient):
    """The earlier issued report this one replaces: only the new report names the old."""

    verification_code: str
    audit_id: str
    reason: str


class RecordedSetAside(_Lenient):
    """A set-aside as the record keeps it; the agency's record counts confidential ones."""

    rule_id: str
    subject: ReviewSubject
    reason: str


class RecordedAdded(_Lenient):
    rule_id: str  # INSP-1, INSP-2...
    paragraph: int
    severity: Severity
    subject_type: SubjectType
    subjects: tuple[str, ...]
    finding: str
    evidence: str
    confidential: bool = False


class Due(_Lenient):
    """The due date of one order: a finding (rule and subject) of severity low has none.

    ``basis`` is ``issue`` (this issue date plus the severity's limit) or
    ``previous_issue`` (a persisting order keeps the previous record's date).
    """

    rule_id: str
    subject: ReviewSubject | None  # None in the agency's record for confidential rules
    severity: Severity
    due: dt.date | None
    basis: Literal["issue", "previous_issue"] = "issue"
    count: int = 1  # the agency's record: confidential orders counted, not listed


class ReviewedRule(_Lenient):
    rule_id: str
    severity: Severity
    paragraph: int
    applicable: int
    affected: int
    gaps: int
    prevalence: Decimal | None
    points: Decimal
    set_aside: int = 0  # findings of this rule the inspector set aside
    added: bool = False  # a rule of the inspector's (INSP-n)


class ReviewedMoney(_Lenient):
    total: Decimal
    by_worker: dict[str, Decimal]


class Reviewed(_Lenient):
    """What the issued report says: the engine's result with the review applied."""

    score: Decimal
    rating: Rating
    provisional: bool
    coverage: Decimal
    paragraph_scores: dict[str, Decimal]
    rules: tuple[ReviewedRule, ...]
    money_owed: ReviewedMoney


class WithheldCounts(_Lenient):
    """The agency's record: how many confidential set-asides and added findings it omits."""

    set_aside: int = 0
    added: int = 0


class IssueRecord(_Lenient):
    """``audit-issue/1``: the official act made of one audit's result."""

    format: str = FORMAT
    audit_id: str
    agency_name: str
    inspection_date: dt.date
    input_sha256: str
    ruleset_version: str
    result_sha256: dict[Literal["inspector", "agency"], str]
    issued_on: dt.date
    issued_by: IssuedBy
    office: str
    verification_code: str
    verify_url: str | None = None
    signed: bool = False
    signer_certificate_sha256: str | None = None  # the office certificate that signs it
    supersedes: Supersedes | None = None
    set_aside: tuple[RecordedSetAside, ...] = ()
    added: tuple[RecordedAdded, ...] = ()
    due: tuple[Due, ...] = ()
    reviewed: Reviewed
    for_copy: Literal["inspector", "agency"] = "inspector"  # whose copy attaches it
    withheld: WithheldCounts | None = None  # the agency's record only

    def to_dict(self) -> dict[str, Any]:
        """The document as JSON values, amounts as numbers, keys in a fixed order."""
        document: dict[str, Any] = self.model_dump(mode="json")
        reviewed = document["reviewed"]
        for key in ("score", "coverage"):
            reviewed[key] = float(reviewed[key])
        reviewed["paragraph_scores"] = {
            k: float(v) for k, v in reviewed["paragraph_scores"].items()
        }
        for rule in reviewed["rules"]:
            rule["points"] = float(rule["points"])
            if rule["prevalence"] is not None:
                rule["prevalence"] = float(rule["prevalence"])
        money = reviewed["money_owed"]
        money["total"] = float(money["total"])
        money["by_worker"] = {w: float(a) for w, a in money["by_worker"].items()}
        return document

    def to_json_bytes(self) -> bytes:
        """Two-space indent, UTF-8, trailing newline, like the result document."""
        return orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2) + b"\n"

    def due_of(self, rule_id: str, subject: tuple[str, str] | None = None) -> dt.date | None:
        """The due date of a finding's order (the earliest of its rule without a subject)."""
        dates = [
            d.due
            for d in self.due
            if d.rule_id == rule_id
            and d.due is not None
            and (subject is None or (d.subject and (d.subject.type, d.subject.id) == subject))
        ]
        return min(dates) if dates else None


def canonical_json(value: object) -> bytes:
    """Sorted keys, no spaces, UTF-8: what a digest is taken over."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def new_verification_code() -> str:
    """A fresh code: 16 Crockford base32 characters (80 random bits), ``XXXX-XXXX-XXXX-XXXX``."""
    bits = secrets.randbits(5 * CODE_LENGTH)
    chars = [CROCKFORD[(bits >> (5 * i)) & 31] for i in range(CODE_LENGTH)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, CODE_LENGTH, 4))


_CROCKFORD_READ = {**{c: c for c in CROCKFORD}, "O": "0", "I": "1", "L": "1"}


def normalise_code(text: str) -> str | None:
    """A code as a person typed it (any case, spaces or hyphens, O for 0) in its printed form;
    ``None`` when it cannot be one."""
    chars = [c for c in text.upper() if c not in " -\t"]
    if len(chars) != CODE_LENGTH or any(c not in _CROCKFORD_READ for c in chars):
        return None
    plain = "".join(_CROCKFORD_READ[c] for c in chars)
    return "-".join(plain[i : i + 4] for i in range(0, CODE_LENGTH, 4))


Reason = Annotated[str, Field(min_length=MIN_REASON)]
