"""Column types: what a field holds, how it is read, and what the format says of it.

Each annotated type below pairs a Python type with a :class:`Kind` marker
and the reader of :mod:`auditor.model.values`. The marker lets the
template writer, the Guide sheet, the hypothesis strategies and the rule
linter discover the format from the models themselves, so they cannot drift
apart from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic.fields import FieldInfo

from auditor.model import values
from auditor.model.codes import Code
from auditor.model.enums import (
    SEX_ALIASES,
    ChannelKind,
    ChannelOperator,
    ComplaintCategory,
    ContractStage,
    FeeCategory,
    PassportHolder,
    Payee,
    Payer,
    Sector,
    Sex,
    SourceKind,
    SubjectType,
)


class Kind(StrEnum):
    """The value types of ``workbook-format.md``."""

    ID = "id"
    TEXT = "text"
    ENUM = "enum"
    BOOL = "bool"
    AMOUNT = "amount"
    WAGE = "wage"
    NUMBER = "number"
    RATE = "rate"
    DATE = "date"
    COUNTRY = "country"
    CURRENCY = "currency"
    LANGUAGES = "languages"


@dataclass(frozen=True)
class Ref:
    """Marks an id column that refers to another sheet's id."""

    sheet: str


@dataclass(frozen=True)
class EnumOf:
    """Marks an enumeration column with its values and accepted aliases."""

    enum: type[StrEnum]
    aliases: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Bounds:
    """Limits of a number column beyond ``>= 0`` (physical limits catch clerical slips)."""

    maximum: Decimal | None = None


_EMPTY = values.EMPTY_MARKERS
_LONGEST_MARKER = max(len(marker) for marker in _EMPTY)
_MISSING = object()
_FLOAT_LIMIT = float("inf")
_MEMO_LIMIT = 4096


def _blank(value: object) -> bool:
    """:func:`values.is_empty`, inlined for speed: strip only what could be a marker."""
    if value.__class__ is str:
        text: str = value
        if len(text) > _LONGEST_MARKER and not (text[:1].isspace() or text[-1:].isspace()):
            return False
        return text.strip().lower() in _EMPTY
    return value is None


def _reader(
    read: Callable[[object], Any],
    *,
    required: bool,
    text_as_is: bool = False,
    passthrough: type | None = None,
    non_negative_float: bool = False,
) -> Callable[[object], Any]:
    """The pydantic "before" validator of a column: empty handling, then the reader.

    It runs for every cell of a 300,000-row workbook, so it is kept to one
    Python call: the commonest forms are converted here without calling the
    reader (``text_as_is``: a text cell of an id or text column is the
    trimmed text; ``passthrough``: a value already of that type, such as a
    date cell; ``non_negative_float``: a numeric cell >= 0 of an amount
    column is ``Decimal(repr(value))``). Everything else goes to ``read``.
    """

    def before(value: object) -> Any:
        cls = value.__class__
        if cls is str:
            text: str = value  # type: ignore[assignment]
            if (
                len(text) <= _LONGEST_MARKER or text[:1].isspace() or text[-1:].isspace()
            ) and text.strip().lower() in _EMPTY:
                if required:
                    raise values.ValueProblem(
                        "%(field)s is required, but it is empty", Code.REQUIRED_EMPTY
                    )
                return None
            if text_as_is:
                return text.strip()
        elif cls is passthrough:
            return value
        elif non_negative_float and cls is float and 0 <= value < _FLOAT_LIMIT:  # type: ignore[operator]
            return Decimal(repr(value))
        elif value is None:
            if required:
                raise values.ValueProblem(
                    "%(field)s is required, but it is empty", Code.REQUIRED_EMPTY
                )
            return None
        return read(value)

    return before


def _memo_reader(read: Callable[[object], Any], *, required: bool) -> Callable[[object], Any]:
    """Like :func:`_reader`, remembering the result for each distinct text.

    For code-like columns (yes/no, enumerations, countries, currencies,
    languages) a workbook repeats a few texts thousands of times; a dict hit
    replaces the whole reading. The memo is bounded so hostile input cannot
    grow it without end.
    """
    memo: dict[str, Any] = {}

    def before(value: object) -> Any:
        if value.__class__ is str:
            hit = memo.get(value, _MISSING)
            if hit is not _MISSING:
                return hit
        if _blank(value):
            if required:
                raise values.ValueProblem(
                    "%(field)s is required, but it is empty", Code.REQUIRED_EMPTY
                )
            result = None
        else:
            result = read(value)
        if value.__class__ is str and len(memo) < _MEMO_LIMIT:
            memo[value] = result
        return result

    return before


_ZERO = Decimal(0)


def _amount(value: object) -> Decimal:
    return values.to_decimal(value, minimum=_ZERO)


def _positive(value: object) -> Decimal:
    return values.to_decimal(value, above=_ZERO)


def _enum(enum: type[StrEnum], aliases: dict[str, str] | None = None) -> Callable[[object], Any]:
    return values.enum_reader(enum, aliases)


def _bounded(maximum: str) -> Callable[[object], Decimal]:
    limit = Decimal(maximum)

    def read(value: object) -> Decimal:
        return values.to_decimal(value, minimum=_ZERO, maximum=limit)

    return read


# Identifiers and text ------------------------------------------------------
Id = Annotated[str, Kind.ID, BeforeValidator(_reader(values.to_id, required=True, text_as_is=True))]
OptId = Annotated[
    str | None, Kind.ID, BeforeValidator(_reader(values.to_id, required=False, text_as_is=True))
]
Text = Annotated[
    str, Kind.TEXT, BeforeValidator(_reader(values.to_text, required=True, text_as_is=True))
]
OptText = Annotated[
    str | None,
    Kind.TEXT,
    BeforeValidator(_reader(values.to_text, required=False, text_as_is=True)),
]

# Booleans -----------------------------------------------------------------
OptBool = Annotated[
    bool | None, Kind.BOOL, BeforeValidator(_memo_reader(values.to_bool, required=False))
]

# Numbers ------------------------------------------------------------------
Amount = Annotated[
    Decimal,
    Kind.AMOUNT,
    BeforeValidator(_reader(_amount, required=True, non_negative_float=True)),
]
OptAmount = Annotated[
    Decimal | None,
    Kind.AMOUNT,
    BeforeValidator(_reader(_amount, required=False, non_negative_float=True)),
]
Wage = Annotated[Decimal, Kind.WAGE, BeforeValidator(_reader(_positive, required=True))]
Rate = Annotated[Decimal, Kind.RATE, BeforeValidator(_reader(_positive, required=True))]
Hours = Annotated[
    Decimal | None,
    Kind.NUMBER,
    Bounds(Decimal(168)),
    BeforeValidator(_reader(_bounded("168"), required=False)),
]
RestDays = Annotated[
    Decimal | None,
    Kind.NUMBER,
    Bounds(Decimal(7)),
    BeforeValidator(_reader(_bounded("7"), required=False)),
]
Days = Annotated[
    Decimal | None,
    Kind.NUMBER,
    Bounds(Decimal(3650)),
    BeforeValidator(_reader(_bounded("3650"), required=False)),
]

# Dates --------------------------------------------------------------------
Date = Annotated[
    dt.date, Kind.DATE, BeforeValidator(_reader(values.to_date, required=True, passthrough=dt.date))
]
OptDate = Annotated[
    dt.date | None,
    Kind.DATE,
    BeforeValidator(_reader(values.to_date, required=False, passthrough=dt.date)),
]


# Codes --------------------------------------------------------------------
def _country_reader(required: bool) -> Callable[[object], Any]:
    """A country column: ``NA`` is Namibia there, not the empty word (format 1.1)."""
    read = _memo_reader(values.to_country, required=required)

    def before(value: object) -> Any:
        if isinstance(value, str) and value.strip().upper() == "NA":
            return "NA"
        return read(value)

    return before


Country = Annotated[str, Kind.COUNTRY, BeforeValidator(_country_reader(required=True))]
Currency = Annotated[
    str, Kind.CURRENCY, BeforeValidator(_memo_reader(values.to_currency, required=True))
]
OptCurrency = Annotated[
    str | None, Kind.CURRENCY, BeforeValidator(_memo_reader(values.to_currency, required=False))
]
Languages = Annotated[
    tuple[str, ...],
    Kind.LANGUAGES,
    BeforeValidator(_memo_reader(values.to_languages, required=True)),
]
OptLanguages = Annotated[
    tuple[str, ...] | None,
    Kind.LANGUAGES,
    BeforeValidator(_memo_reader(values.to_languages, required=False)),
]


# Enumerations -------------------------------------------------------------
SexColumn = Annotated[
    Sex,
    Kind.ENUM,
    EnumOf(Sex, tuple(SEX_ALIASES.items())),
    BeforeValidator(_memo_reader(_enum(Sex, SEX_ALIASES), required=True)),
]
SectorColumn = Annotated[
    Sector, Kind.ENUM, EnumOf(Sector), BeforeValidator(_memo_reader(_enum(Sector), required=True))
]
PassportHolderColumn = Annotated[
    PassportHolder | None,
    Kind.ENUM,
    EnumOf(PassportHolder),
    BeforeValidator(_memo_reader(_enum(PassportHolder), required=False)),
]
StageColumn = Annotated[
    ContractStage,
    Kind.ENUM,
    EnumOf(ContractStage),
    BeforeValidator(_memo_reader(_enum(ContractStage), required=True)),
]
FeeCategoryColumn = Annotated[
    FeeCategory,
    Kind.ENUM,
    EnumOf(FeeCategory),
    BeforeValidator(_memo_reader(_enum(FeeCategory), required=True)),
]
PayerColumn = Annotated[
    Payer, Kind.ENUM, EnumOf(Payer), BeforeValidator(_memo_reader(_enum(Payer), required=True))
]
PayeeColumn = Annotated[
    Payee | None,
    Kind.ENUM,
    EnumOf(Payee),
    BeforeValidator(_memo_reader(_enum(Payee), required=False)),
]
OperatorColumn = Annotated[
    ChannelOperator,
    Kind.ENUM,
    EnumOf(ChannelOperator),
    BeforeValidator(_memo_reader(_enum(ChannelOperator), required=True)),
]
ChannelKindColumn = Annotated[
    ChannelKind,
    Kind.ENUM,
    EnumOf(ChannelKind),
    BeforeValidator(_memo_reader(_enum(ChannelKind), required=True)),
]
ComplaintCategoryColumn = Annotated[
    ComplaintCategory,
    Kind.ENUM,
    EnumOf(ComplaintCategory),
    BeforeValidator(_memo_reader(_enum(ComplaintCategory), required=True)),
]
SourceKindColumn = Annotated[
    SourceKind,
    Kind.ENUM,
    EnumOf(SourceKind),
    BeforeValidator(_memo_reader(_enum(SourceKind), required=True)),
]
OptSubjectTypeColumn = Annotated[
    SubjectType | None,
    Kind.ENUM,
    EnumOf(SubjectType),
    BeforeValidator(_memo_reader(_enum(SubjectType), required=False)),
]


def kind_of(info: FieldInfo) -> Kind:
    """The :class:`Kind` of a model field, from its annotation metadata."""
    for item in info.metadata:
        if isinstance(item, Kind):
            return item
    raise LookupError(f"field has no column kind: {info!r}")


def reference_of(info: FieldInfo) -> str | None:
    """The sheet an id column refers to, if any."""
    for item in info.metadata:
        if isinstance(item, Ref):
            return item.sheet
    return None


def enum_of(info: FieldInfo) -> EnumOf | None:
    for item in info.metadata:
        if isinstance(item, EnumOf):
            return item
    return None


def bounds_of(info: FieldInfo) -> Bounds | None:
    for item in info.metadata:
        if isinstance(item, Bounds):
            return item
    return None
