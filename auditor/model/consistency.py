"""Checks across records and sheets, after each value has been read on its own.

Duplicate ids, references that do not resolve, values required by another
value, dates after the inspection, currencies without a rate, and the
jurisdiction. These run on whatever rows were readable, so that one bad
cell does not hide the problems of every other row; ids are taken from
every row whose id could be read, so that a row with another mistake does
not make all references to it look broken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from operator import attrgetter, itemgetter

from auditor.model import calendars, plausible, pseudonyms
from auditor.model.codes import Code
from auditor.model.columns import Kind, kind_of, reference_of
from auditor.model.enums import Payee, SubjectType
from auditor.model.messages import Message
from auditor.model.problems import Problems
from auditor.model.profiles import ProfileSet
from auditor.model.records import (
    AuditInfo,
    Complaint,
    Employer,
    Fee,
    FxRate,
    Record,
    Source,
    Worker,
)
from auditor.model.sheets import AUDIT_SHEET, SHEET_BY_NAME, TABLE_SHEETS
from auditor.model.values import currency_minor_units, decimal_text

#: Columns that hold a currency code, in sheet order: a code here needs an FX rate.
CURRENCY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Workers", "wage_currency"),
    ("Contracts", "currency"),
    ("Fees", "currency"),
)
#: Money columns with the column of their currency, in sheet order.
MONEY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Workers", "monthly_wage_paid", "wage_currency"),
    ("Contracts", "monthly_wage", "currency"),
    ("Contracts", "termination_penalty", "currency"),
    ("Fees", "amount", "currency"),
    ("Fees", "refunded_amount", "currency"),
)
#: The largest amount, in the audit currency, that the money arithmetic holds exactly.
#: Each number is already refused from 10**15 (no spreadsheet stores one exactly); an
#: amount times its rate can still reach 10**30, where the 28 digits of decimal
#: arithmetic no longer hold the cents and rounding a sum owed fails.
CONVERTED_LIMIT = Decimal(10) ** 15


@dataclass
class ReadSheets:
    """What the readers could read: valid records with their index, and all readable ids."""

    audit: AuditInfo | None
    audit_values: dict[str, object] = field(default_factory=dict)
    records: dict[str, list[tuple[int, Record]]] = field(default_factory=dict)
    ids: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    #: Rows with a bad cell, with the cells that could be read (the others None), so their
    #: references, currencies and dates are still checked (format 1.1, "every problem at once").
    partial: dict[str, list[tuple[int, Record]]] = field(default_factory=dict)
    #: Fields of every readable record of a sheet, by sheet and field, in record order: given
    #: by a reader that read the sheet a column at a time, else made on first use.
    columns: dict[tuple[str, str], list[object]] = field(default_factory=dict)

    def valid(self, sheet: str) -> list[tuple[int, Record]]:
        return self.records.get(sheet, [])

    def readable(self, sheet: str) -> list[tuple[int, Record]]:
        """Valid records and partly read rows, in row order."""
        partial = self.partial.get(sheet)
        if not partial:
            return self.valid(sheet)
        return sorted([*self.valid(sheet), *partial], key=lambda pair: pair[0])

    def column(self, sheet: str, name: str, *, valid: bool = False) -> list[object]:
        """One field of every readable (or every ``valid``) record of a sheet, in order.

        The checks below ask first whether a whole column is fine, at C speed,
        and go record by record only when it is not.
        """
        if valid and self.partial.get(sheet):  # valid and readable records differ
            return _column(self.valid(sheet), name)
        values = self.columns.get((sheet, name))
        if values is None:
            values = self.columns[sheet, name] = _column(self.readable(sheet), name)
        return values


def _column(records: Sequence[tuple[int, Record]], name: str) -> list[object]:
    # A field is its record's __dict__ entry (pydantic keeps every field there), read
    # several times faster than through getattr on a model.
    return list(map(itemgetter(name), map(_FIELDS, map(itemgetter(1), records))))


_FIELDS = attrgetter("__dict__")


def check_consistency(
    read: ReadSheets,
    problems: Problems,
    profiles: ProfileSet,
    jurisdiction_override: str | None = None,
) -> None:
    """Add every cross-record problem of ``read`` to ``problems``."""
    _check_minimum_rows(read, problems)
    _check_duplicate_ids(read, problems)
    _check_references(read, problems)
    _check_sources(read, problems)
    _check_required_together(read, problems)
    pseudonyms.check_worker_ids(read.readable, read.column, problems)
    # The Audit fields that could be read serve even when another of them could not, so a
    # mistyped inspection date does not hide a currency with no rate.
    audit = read.audit.model_dump() if read.audit is not None else read.audit_values
    currency = audit.get("currency")
    inspection = audit.get("inspection_date")
    _check_dates(read, inspection if isinstance(inspection, dt.date) else None, problems)
    plausible.check_inspection_day(inspection, problems)
    plausible.check_workers(
        read.readable("Workers"), problems, column=partial(read.column, "Workers")
    )
    plausible.check_printable_fields(audit, problems)
    for spec in TABLE_SHEETS:
        plausible.check_printable(
            spec.name, read.readable(spec.name), problems, column=partial(read.column, spec.name)
        )
    if isinstance(currency, str):
        _check_audit_currency(currency, problems)
        _check_fx(
            read,
            audit,
            currency,
            problems,
            profiles=profiles,
            jurisdiction_override=jurisdiction_override,
        )
        _check_converted(read, currency, problems)
        plausible.check_fx_rates(read.valid("FX"), currency, problems)
    if jurisdiction_override is None:
        _check_jurisdiction(audit.get("jurisdiction"), problems, profiles)


def _check_minimum_rows(read: ReadSheets, problems: Problems) -> None:
    for spec in TABLE_SHEETS:
        if spec.min_rows and spec.name in read.present and not read.counts.get(spec.name):
            what = spec.name.lower()
            message = (
                Message("has no records; at least one record of %(what)s is needed", what=what)
                if problems.dataset
                else Message("has no data rows; at least one row of %(what)s is needed", what=what)
            )
            problems.sheet(spec.name, message, code=Code.NO_ROWS)


def _check_duplicate_ids(read: ReadSheets, problems: Problems) -> None:
    for spec in TABLE_SHEETS:
        id_field = spec.model.ID_FIELD
        if id_field is None:
            continue
        ids = read.ids.get(spec.name, [])
        if len(set(map(itemgetter(1), ids))) == len(ids):
            continue  # no id given twice
        first: dict[str, int] = {}
        for index, value in ids:
            if value in first:
                where, _ = problems.locator.cell(spec.name, first[value], id_field)
                problems.cell(
                    spec.name,
                    index,
                    id_field,
                    Message(
                        "%(field)s %(value)s is used twice; ids must be unique "
                        "(first at %(where)s)",
                        field=id_field,
                        value=value,
                        where=where,
                    ),
                    code=Code.DUPLICATE_ID,
                )
            else:
                first[value] = index
    seen: dict[str, int] = {}
    for index, record in read.valid("FX"):
        assert isinstance(record, FxRate)
        if record.currency in seen:
            where, _ = problems.locator.cell("FX", seen[record.currency], "currency")
            problems.cell(
                "FX",
                index,
                "currency",
                Message(
                    "currency %(currency)s has two rates; give exactly one (first at %(where)s)",
                    currency=record.currency,
                    where=where,
                ),
                code=Code.DUPLICATE_FX_RATE,
            )
        else:
            seen[record.currency] = index


def _check_references(read: ReadSheets, problems: Problems) -> None:
    known: dict[str, set[str]] = {}
    for spec in TABLE_SHEETS:
        references = {
            name: target
            for name, info in spec.model.model_fields.items()
            if (target := reference_of(info)) is not None
        }
        for target in references.values():
            if target not in known:
                known[target] = {value for _, value in read.ids.get(target, [])}
        if all(
            set(read.column(spec.name, name)) - {None} <= known[target]
            for name, target in references.items()
        ):
            continue  # every reference resolves
        for index, record in read.readable(spec.name):
            for name, target in references.items():
                value = getattr(record, name)
                if value is None or value in known[target]:
                    continue
                problems.cell(
                    spec.name,
                    index,
                    name,
                    _unresolved(name, value, target, read, dataset=problems.dataset),
                    code=Code.UNKNOWN_REFERENCE,
                )


#: What a source's subject_type refers to: the sheet whose ids it names.
_SUBJECT_SHEETS = {
    SubjectType.EMPLOYER: "Employers",
    SubjectType.WORKER: "Workers",
    SubjectType.CHANNEL: "Channels",
    SubjectType.COMPLAINT: "Complaints",
}


def _check_sources(read: ReadSheets, problems: Problems) -> None:
    """A source's subject_id is given with its subject_type and names a record of that type."""
    audit_id = read.audit.audit_id if read.audit is not None else read.audit_values.get("audit_id")
    for index, record in read.readable("Sources"):
        assert isinstance(record, Source)
        kind, value = record.subject_type, record.subject_id
        if kind is None:
            continue
        if value is None:
            problems.cell(
                "Sources",
                index,
                "subject_id",
                Message(
                    "subject_id is required when subject_type is given: the id of the agency "
                    "(its audit_id)"
                )
                if kind is SubjectType.AGENCY
                else Message(
                    "subject_id is required when subject_type is given: the id of the %(kind)s",
                    kind=kind.value,
                ),
                code=Code.REQUIRED_WHEN,
            )
        elif kind is SubjectType.AGENCY:
            if value != audit_id:
                problems.cell(
                    "Sources",
                    index,
                    "subject_id",
                    Message(
                        "subject_id %(value)s is not this audit's audit_id (%(audit_id)s); for "
                        "the agency, give the audit_id",
                        value=value,
                        audit_id=audit_id,
                    ),
                    code=Code.UNKNOWN_REFERENCE,
                )
        else:
            target = _SUBJECT_SHEETS[kind]
            if value not in {known for _, known in read.ids.get(target, [])}:
                problems.cell(
                    "Sources",
                    index,
                    "subject_id",
                    _unresolved("subject_id", value, target, read, dataset=problems.dataset),
                    code=Code.UNKNOWN_REFERENCE,
                )


def _unresolved(name: str, value: str, target: str, read: ReadSheets, *, dataset: bool) -> Message:
    """Why a reference does not resolve, in the words of the input: sheets, or lists."""
    noun = SHEET_BY_NAME[target].model.ID_FIELD
    if dataset:
        key = SHEET_BY_NAME[target].key
        if target not in read.present:
            return Message(
                "%(field)s %(value)s refers to the %(key)s list, which is missing",
                field=name,
                value=value,
                key=key,
            )
        return Message(
            "%(field)s %(value)s does not match the %(noun)s of any record in %(key)s",
            field=name,
            value=value,
            noun=noun,
            key=key,
        )
    if target not in read.present:
        return Message(
            "%(field)s %(value)s refers to the %(sheet)s sheet, which is missing",
            field=name,
            value=value,
            sheet=target,
        )
    return Message(
        "%(field)s %(value)s does not match any %(noun)s on the %(sheet)s sheet",
        field=name,
        value=value,
        noun=noun,
        sheet=target,
    )


def _check_required_together(read: ReadSheets, problems: Problems) -> None:
    currencies = read.column("Workers", "wage_currency", valid=True)
    if None in currencies and any(
        wage is not None and currency is None
        for wage, currency in zip(
            read.column("Workers", "monthly_wage_paid", valid=True), currencies, strict=True
        )
    ):
        _check_wage_currency(read.valid("Workers"), problems)
    refunds = read.column("Fees", "refunded_amount", valid=True)
    paid_to = read.column("Fees", "paid_to", valid=True)
    intermediary_missing = Payee.INTERMEDIARY in paid_to and any(
        payee is Payee.INTERMEDIARY and intermediary is None
        for payee, intermediary in zip(
            paid_to, read.column("Fees", "intermediary_id", valid=True), strict=True
        )
    )
    if refunds.count(None) == len(refunds) and not intermediary_missing:
        return  # no refund and no intermediary missing: nothing to report
    _check_fees_together(read.valid("Fees"), problems)


def _check_wage_currency(workers: list[tuple[int, Record]], problems: Problems) -> None:
    for index, record in workers:
        assert isinstance(record, Worker)
        if record.monthly_wage_paid is not None and record.wage_currency is None:
            problems.cell(
                "Workers",
                index,
                "wage_currency",
                Message("wage_currency is required when monthly_wage_paid is given"),
                code=Code.REQUIRED_WHEN,
            )


def _check_fees_together(fees: list[tuple[int, Record]], problems: Problems) -> None:
    for index, record in fees:
        assert isinstance(record, Fee)
        if record.paid_to is Payee.INTERMEDIARY and record.intermediary_id is None:
            problems.cell(
                "Fees",
                index,
                "intermediary_id",
                Message("intermediary_id is required when paid_to is intermediary"),
                code=Code.REQUIRED_WHEN,
            )
        _check_refund(record, index, problems)


def _check_refund(fee: Fee, index: int, problems: Problems) -> None:
    """A refund is at most its row's amount (same currency), and dated when above zero."""
    refunded = fee.refunded_amount
    if refunded is None:
        return
    if refunded > fee.amount:
        params = {
            "refunded": _plain(refunded),
            "amount": _plain(fee.amount),
            "currency": fee.currency,
        }
        problems.cell(
            "Fees",
            index,
            "refunded_amount",
            Message(
                "refunded_amount %(refunded)s is more than the amount %(amount)s %(currency)s of "
                "this record; a refund is at most what was paid, in the record's currency",
                **params,
            )
            if problems.dataset
            else Message(
                "refunded_amount %(refunded)s is more than the amount %(amount)s %(currency)s of "
                "this row; a refund is at most what was paid, in the row's currency",
                **params,
            ),
            code=Code.REFUND_ABOVE_AMOUNT,
        )
    if refunded > 0 and fee.refunded_on is None:
        problems.cell(
            "Fees",
            index,
            "refunded_on",
            Message(
                "refunded_on is required when refunded_amount is above 0: give the date of the "
                "refund"
            ),
            code=Code.REQUIRED_WHEN,
        )


def _check_audit_currency(currency: str, problems: Problems) -> None:
    if currency_minor_units().get(currency) is None:
        problems.cell(
            AUDIT_SHEET.name,
            0,
            "currency",
            Message(
                "currency %(currency)s has no minor unit in ISO 4217, so amounts cannot be "
                "stated in it; choose a currency such as USD",
                currency=currency,
            ),
            code=Code.CURRENCY_WITHOUT_MINOR_UNIT,
        )


def _date_fields(model: type[Record]) -> list[str]:
    return [
        name
        for name, info in model.model_fields.items()
        if kind_of(info) is Kind.DATE and name not in _MAY_BE_LATER
    ]


#: Dates that may be after the inspection: the licence's expiry and the next visit.
_MAY_BE_LATER = frozenset({"licence_valid_until", "follow_up_due"})


def _check_dates(read: ReadSheets, inspection: dt.date | None, problems: Problems) -> None:
    for spec in TABLE_SHEETS:
        names = _date_fields(spec.model)
        if not names:
            continue
        if not _dates_wrong(read, spec.name, names, inspection):
            continue
        for index, record in read.readable(spec.name):
            for name in names:
                value = getattr(record, name)
                if value is not None and inspection is not None and value > inspection:
                    bikram = calendars.after_inspection(value, inspection)
                    problems.cell(
                        spec.name,
                        index,
                        name,
                        Message(
                            "%(field)s %(value)s is after the inspection date %(inspection)s"
                            "%(bikram)s",
                            field=name,
                            value=value.isoformat(),
                            inspection=inspection.isoformat(),
                            bikram=bikram or "",
                        ),
                        code=Code.DATE_AFTER_INSPECTION,
                    )
            if (
                isinstance(record, Complaint)
                and record.resolved_on is not None
                and record.filed_on is not None  # None only in a partly read row
                and record.resolved_on < record.filed_on
            ):
                problems.cell(
                    spec.name,
                    index,
                    "resolved_on",
                    Message(
                        "resolved_on %(resolved)s is before filed_on %(filed)s",
                        resolved=record.resolved_on.isoformat(),
                        filed=record.filed_on.isoformat(),
                    ),
                    code=Code.RESOLVED_BEFORE_FILED,
                )


def _dates_wrong(
    read: ReadSheets, sheet: str, names: list[str], inspection: dt.date | None
) -> bool:
    """Whether :func:`_check_dates` has anything to say of a sheet (at C speed)."""
    if inspection is not None:
        for name in names:
            dates = list(filter(None, read.column(sheet, name)))  # dates, not None
            if dates and max(dates) > inspection:  # type: ignore[type-var,operator]
                return True
    if SHEET_BY_NAME[sheet].model is not Complaint:
        return False
    return any(
        resolved is not None and filed is not None and resolved < filed  # type: ignore[operator]
        for resolved, filed in zip(
            read.column(sheet, "resolved_on"), read.column(sheet, "filed_on"), strict=True
        )
    )


def _currency_uses(read: ReadSheets) -> Iterable[tuple[str, int, str, str]]:
    for sheet, column in CURRENCY_COLUMNS:
        for index, record in read.readable(sheet):
            code = getattr(record, column)
            if code is not None:
                yield code, index, sheet, column


def _check_fx(
    read: ReadSheets,
    audit: Mapping[str, object],
    audit_currency: str,
    problems: Problems,
    *,
    profiles: ProfileSet,
    jurisdiction_override: str | None,
) -> None:
    rates: Mapping[str, Decimal] = {
        record.currency: record.rate for _, record in read.valid("FX") if isinstance(record, FxRate)
    }
    for index, record in read.valid("FX"):
        assert isinstance(record, FxRate)
        if record.currency == audit_currency and record.rate != 1:
            problems.cell(
                "FX",
                index,
                "rate",
                Message(
                    "%(currency)s is the audit currency, so its rate can only be 1, got %(rate)s",
                    currency=audit_currency,
                    rate=f"{record.rate.normalize():f}",
                ),
                code=Code.AUDIT_CURRENCY_RATE,
            )
    first_use: dict[str, tuple[int, str, str]] = {}
    uses: dict[str, int] = {}
    # An FX row whose rate is wrong already has its problem: its currency is not missing.
    listed = {getattr(r, "currency", None) for _, r in read.partial.get("FX", [])}
    rated = {None, audit_currency, *rates, *listed}
    every_rated = all(set(read.column(sheet, name)) <= rated for sheet, name in CURRENCY_COLUMNS)
    for code, index, sheet, column_name in [] if every_rated else _currency_uses(read):
        if code == audit_currency or code in rates or code in listed:
            continue
        first_use.setdefault(code, (index, sheet, column_name))
        uses[code] = uses.get(code, 0) + 1
    for code, (index, sheet, column_name) in first_use.items():
        others = uses[code] - 1
        params = {"code": code, "audit_currency": audit_currency, "others": others}
        if problems.dataset:
            message = (
                Message(
                    "currency %(code)s has no rate in fx (and %(others)s more records); add a "
                    "record to fx with currency %(code)s and its rate in %(audit_currency)s",
                    **params,
                )
                if others
                else Message(
                    "currency %(code)s has no rate in fx; add a record to fx with currency "
                    "%(code)s and its rate in %(audit_currency)s",
                    **params,
                )
            )
        else:
            message = (
                Message(
                    "currency %(code)s has no rate on the FX sheet (and %(others)s more cells); "
                    "add a row with currency %(code)s and its rate in %(audit_currency)s",
                    **params,
                )
                if others
                else Message(
                    "currency %(code)s has no rate on the FX sheet; add a row with currency "
                    "%(code)s and its rate in %(audit_currency)s",
                    **params,
                )
            )
        problems.cell(sheet, index, column_name, message, code=Code.MISSING_FX_RATE)
    explicit = jurisdiction_override or audit.get("jurisdiction")
    origin = audit.get("origin_country")
    profile = profiles.resolve(
        explicit=explicit if isinstance(explicit, str) else None,
        origin_country=origin if isinstance(origin, str) else "",
    )
    if profile is None:
        return
    employers = {
        record.employer_id: record
        for _, record in read.valid("Employers")
        if isinstance(record, Employer)
    }
    needed: set[str] = set()
    # What a worker needs depends only on the employer: once for each employer named.
    for employer_id in set(read.column("Workers", "employer_id", valid=True)):
        employer = employers.get(employer_id)  # type: ignore[call-overload]
        if employer is None:
            continue
        allowance = profile.fee_allowance(employer.sector, employer.destination_country)
        if allowance and allowance.cap.currency:
            needed.add(allowance.cap.currency)
    for code in sorted(needed - set(rates) - listed - {audit_currency}):
        problems.sheet(
            "FX",
            Message(
                "a rate for %(code)s is needed: the %(profile)s profile caps recruitment fees in "
                "%(code)s for workers of this audit",
                code=code,
                profile=profile.id,
            ),
            code=Code.MISSING_FX_RATE,
        )


def _check_converted(read: ReadSheets, audit_currency: str, problems: Problems) -> None:
    """Every amount, converted at its FX rate, within what the audit can add up exactly.

    Each amount is below the limit already, so only a rate above 1 can take
    it over; most workbooks have none and cost nothing here.
    """
    rates = {
        r.currency: r.rate
        for _, r in read.valid("FX")
        if isinstance(r, FxRate) and r.rate > 1 and r.currency != audit_currency
    }
    if not rates:
        return
    for sheet, column, currency_column in MONEY_COLUMNS:
        for index, record in read.valid(sheet):
            amount = getattr(record, column)
            rate = rates.get(getattr(record, currency_column))
            if amount is None or rate is None or amount * rate < CONVERTED_LIMIT:
                continue
            code = getattr(record, currency_column)
            problems.cell(
                sheet,
                index,
                column,
                Message(
                    "%(field)s %(amount)s %(code)s at the FX rate %(rate)s is %(limit)s "
                    "%(audit_currency)s or more, beyond any real amount; check the amount and the "
                    "rate of %(code)s",
                    field=column,
                    amount=_plain(amount),
                    code=code,
                    rate=_plain(rate),
                    limit=f"{CONVERTED_LIMIT:,.0f}",
                    audit_currency=audit_currency,
                ),
                code=Code.AMOUNT_TOO_LARGE,
            )


def _plain(number: Decimal) -> str:
    """A decimal in its shortest plain form: ``1800.0`` as ``1800``, never ``1.8E+3``."""
    return decimal_text(number.normalize())


def _check_jurisdiction(jurisdiction: object, problems: Problems, profiles: ProfileSet) -> None:
    if isinstance(jurisdiction, str) and jurisdiction and jurisdiction not in profiles:
        problems.cell(
            AUDIT_SHEET.name,
            0,
            "jurisdiction",
            Message(
                'jurisdiction must be one of %(listed)s (any case), got "%(value)s"',
                listed=", ".join(profiles.ids()),
                value=jurisdiction,
            ),
            code=Code.UNKNOWN_JURISDICTION,
        )
