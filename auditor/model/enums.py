"""The enumerations of the workbook format and of results.

Values are the spelling of ``workbook-format.md``; they are also the JSON
values, so every enum is a :class:`~enum.StrEnum`.
"""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


#: Single-letter forms the format accepts for ``sex``.
SEX_ALIASES = {"F": "female", "M": "male", "X": "other"}


class DateOrder(StrEnum):
    """How a workbook's text dates are written (Audit field ``date_order``, format 1.2)."""

    ISO = "iso"
    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"


class Sector(StrEnum):
    DOMESTIC_WORK = "domestic_work"
    CARE = "care"
    CONSTRUCTION = "construction"
    AGRICULTURE = "agriculture"
    MANUFACTURING = "manufacturing"
    HOSPITALITY = "hospitality"
    FISHING = "fishing"
    OTHER = "other"


class PassportHolder(StrEnum):
    WORKER = "worker"
    EMPLOYER = "employer"
    AGENCY = "agency"
    OTHER = "other"


class ContractStage(StrEnum):
    ORIGIN = "origin"
    DESTINATION = "destination"


class FeeCategory(StrEnum):
    RECRUITMENT_FEE = "recruitment_fee"
    MEDICAL = "medical"
    INSURANCE = "insurance"
    SKILLS_TEST = "skills_test"
    TRAINING = "training"
    EQUIPMENT = "equipment"
    TRAVEL = "travel"
    LODGING = "lodging"
    ADMINISTRATIVE = "administrative"
    PERSONAL_DOCUMENTS = "personal_documents"
    DEPOSIT = "deposit"
    ILLEGITIMATE = "illegitimate"
    OTHER = "other"


class Payer(StrEnum):
    WORKER = "worker"
    EMPLOYER = "employer"
    AGENCY = "agency"
    GOVERNMENT = "government"
    OTHER = "other"


class Payee(StrEnum):
    AGENCY = "agency"
    INTERMEDIARY = "intermediary"
    EMPLOYER = "employer"
    GOVERNMENT = "government"
    PROVIDER = "provider"
    OTHER = "other"


class ChannelOperator(StrEnum):
    AGENCY = "agency"
    EMPLOYER = "employer"
    GOVERNMENT = "government"
    NGO = "ngo"
    UNION = "union"
    OTHER = "other"


class ChannelKind(StrEnum):
    HOTLINE = "hotline"
    IN_PERSON = "in_person"
    EMAIL = "email"
    APP = "app"
    WEB = "web"
    OTHER = "other"


class SourceKind(StrEnum):
    """What a finding was checked against (sheet ``Sources``, format 1.1)."""

    INTERVIEW = "interview"
    DOCUMENT = "document"
    PHOTO = "photo"
    SITE_VISIT = "site_visit"
    OTHER = "other"


class ComplaintCategory(StrEnum):
    FEES = "fees"
    WAGES = "wages"
    DOCUMENTS = "documents"
    CONTRACT = "contract"
    HOURS = "hours"
    HARASSMENT = "harassment"
    SEXUAL_VIOLENCE = "sexual_violence"
    VIOLENCE = "violence"
    DISCRIMINATION = "discrimination"
    OTHER = "other"


class Severity(StrEnum):
    """Ordered: ``low < medium < high < critical`` (``--fail-on`` compares them)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    # str already orders these values alphabetically; severity needs its own order.
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __hash__(self) -> int:
        return str.__hash__(self)


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class Rating(StrEnum):
    """The rating of an audit: A (score >= 90), B (>= 75), C (>= 50), D, or critical.

    ``critical`` whenever a critical finding exists, whatever the score.
    """

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    CRITICAL = "critical"


class SubjectType(StrEnum):
    """What a finding or data gap is about; ``subject.id`` is that record's id."""

    AGENCY = "agency"
    EMPLOYER = "employer"
    WORKER = "worker"
    CHANNEL = "channel"
    COMPLAINT = "complaint"
