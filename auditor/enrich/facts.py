"""Records to facts: every value a rule reads, derived once, unknowns kept unknown.

One :class:`Fact` per record (and one for the agency). Each carries its own
fields (see :mod:`.vocabulary`), the subjects it speaks for, and a link to
the record it belongs to, whose fields rules read under a prefix
(``worker.recruitment_fee_allowed`` on a fee). Cross-record values (totals,
ratios, the latest contract) are computed here, in exact arithmetic, so
the rule engine only ever compares one fact's fields with constants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from auditor.enrich.context import Context, age_on
from auditor.enrich.values import (
    UNKNOWN_NUMBER,
    Interval,
    Number,
    Ratio,
    Value,
    divide,
    kleene_and,
    known,
    subtract,
)
from auditor.enrich.vocabulary import FactType
from auditor.model.enums import FeeCategory, Payee, Sector, SubjectType
from auditor.model.records import Complaint, Contract, Fee, Worker

_ZERO = Decimal(0)


@dataclass(slots=True, eq=False)
class Fact:
    """One record as rules see it (enumerations stay enum members: they are strings)."""

    type: FactType
    index: int
    subjects: dict[SubjectType, str]
    values: dict[str, Value]
    worker: int = -1  # index of the worker it belongs to; -1 for agency-wide facts
    parent: Fact | None = None
    id: str = ""  # "<type>:<index>", unique in the audit (see _made)

    def get(self, path: str) -> Value:
        """A field's value, following a ``worker.`` or ``employer.`` prefix to the parent."""
        if "." in path:
            prefix, name = path.split(".", 1)
            parent = self.parent
            if parent is None or parent.type.value != prefix:
                raise KeyError(path)
            return parent.get(name)
        return self.values[path]


@dataclass
class Facts:
    """Every fact of one audit, by type, in record order."""

    by_type: dict[FactType, list[Fact]] = field(default_factory=dict)

    def of(self, fact_type: FactType) -> list[Fact]:
        return self.by_type.get(fact_type, [])

    def all(self) -> list[Fact]:
        return [fact for facts in self.by_type.values() for fact in facts]

    def by_id(self, fact_id: str) -> Fact:
        """The fact of an id: its type and index say where it is."""
        kind, _, index = fact_id.partition(":")
        return self.by_type[FactType(kind)][int(index)]


def _made(
    fact_type: FactType,
    index: int,
    subjects: dict[SubjectType, str],
    values: dict[str, Value],
    *,
    worker: int = -1,
    parent: Fact | None = None,
) -> Fact:
    """A new fact with its id ("<type>:<index>", unique in the audit)."""
    return Fact(fact_type, index, subjects, values, worker, parent, f"{fact_type.value}:{index}")


def build_facts(ctx: Context) -> Facts:
    """Derive every fact of the dataset under the profile in force."""
    dataset = ctx.dataset
    facts = Facts()
    employers = [_employer_fact(ctx, i) for i in range(len(dataset.employers))]
    employer_fact = {dataset.employers[f.index].employer_id: f for f in employers}
    # Fee facts first: the workers' totals are sums over them; each is then linked to its worker.
    fees = [_fee_fact(ctx, index, fee) for index, fee in enumerate(dataset.fees)]
    workers = [
        _worker_fact(ctx, index, worker, fees, employer_fact[worker.employer_id])
        for index, worker in enumerate(dataset.workers)
    ]
    for fee in fees:
        fee.parent = workers[fee.worker]
    facts.by_type[FactType.AGENCY] = [_agency_fact(ctx)]
    facts.by_type[FactType.EMPLOYER] = employers
    facts.by_type[FactType.WORKER] = workers
    facts.by_type[FactType.CONTRACT] = [
        _contract_fact(ctx, index, contract, workers)
        for index, contract in enumerate(dataset.contracts)
    ]
    facts.by_type[FactType.FEE] = fees
    facts.by_type[FactType.CHANNEL] = [
        _channel_fact(ctx, index) for index in range(len(dataset.channels))
    ]
    facts.by_type[FactType.COMPLAINT] = [
        _complaint_fact(ctx, index, complaint, workers)
        for index, complaint in enumerate(dataset.complaints)
    ]
    return facts


# -- agency, employers, channels -------------------------------------------------------------


def _agency_fact(ctx: Context) -> Fact:
    audit = ctx.dataset.audit
    channels = ctx.dataset.channels
    days_left = (
        Decimal((audit.licence_valid_until - audit.inspection_date).days)
        if audit.licence_valid_until is not None
        else UNKNOWN_NUMBER
    )
    domestic = sum(
        1
        for worker in ctx.dataset.workers
        if ctx.employer_of(worker).sector is Sector.DOMESTIC_WORK
    )
    return _made(
        FactType.AGENCY,
        0,
        {SubjectType.AGENCY: audit.audit_id},
        {
            "licence_number_given": audit.agency_licence_number is not None,
            "licence_days_left": days_left,
            "channels": Decimal(len(channels)),
            "channels_confidential_with_women": _count(
                kleene_and(c.confidential, c.women_staff_available) for c in channels
            ),
            "channels_open_to_domestic_workers": _count(
                c.open_to_domestic_workers for c in channels
            ),
            "domestic_workers": Decimal(domestic),
        },
    )


def _count(truths: object) -> Number:
    """How many are true: at least the known ones, at most known plus unknown."""
    definite = possible = 0
    for truth in truths:  # type: ignore[attr-defined]
        if truth is True:
            definite += 1
            possible += 1
        elif truth is None:
            possible += 1
    if definite == possible:
        return Decimal(definite)
    return Interval(Decimal(definite), Decimal(possible))


def _employer_fact(ctx: Context, index: int) -> Fact:
    employer = ctx.dataset.employers[index]
    return _made(
        FactType.EMPLOYER,
        index,
        {SubjectType.EMPLOYER: employer.employer_id},
        {
            "sector": employer.sector,
            "destination_country": employer.destination_country,
            "permit_tied_to_employer": employer.permit_tied_to_employer,
            "job_change_requires_consent": employer.job_change_requires_consent,
            "exit_permit_required": employer.exit_permit_required,
            "independent_residency_route": employer.independent_residency_route,
        },
    )


def _channel_fact(ctx: Context, index: int) -> Fact:
    channel = ctx.dataset.channels[index]
    return _made(
        FactType.CHANNEL,
        index,
        {SubjectType.CHANNEL: channel.channel_id},
        {
            "operated_by": channel.operated_by,
            "kind": channel.kind,
            "free_of_charge": channel.free_of_charge,
            "confidential": channel.confidential,
            "women_staff_available": channel.women_staff_available,
            "open_to_domestic_workers": channel.open_to_domestic_workers,
            "response_days": known(channel.response_days),
        },
    )


# -- workers -----------------------------------------------------------------------------------


def _borne(indexes: list[int], fees: list[Fact]) -> tuple[Number, Number, bool | None]:
    """What she bore, in one pass over her fee rows.

    Her total and her recruitment fee total (certain rows make the low end,
    uncertain ones are added above), and whether some row she bore was
    financed by a loan (Kleene: unknown when it might have been).
    """
    low = high = fee_low = fee_high = _ZERO
    loan: bool | None = False
    for i in indexes:
        values = fees[i].values
        paid = values["worker_paid"]
        if paid is False:
            continue
        amount: Decimal = values["amount"]  # type: ignore[assignment]
        recruitment = values["category"] is FeeCategory.RECRUITMENT_FEE
        high += amount
        if recruitment:
            fee_high += amount
        if paid is True:
            low += amount
            if recruitment:
                fee_low += amount
        borrowed = values["financed_by_loan"]
        if borrowed is True and paid is True:
            loan = True
        elif borrowed is not False and loan is False:
            loan = None
    total = low if low == high else Interval(low, high)
    fee_total = fee_low if fee_low == fee_high else Interval(fee_low, fee_high)
    return total, fee_total, loan


def _worker_fact(
    ctx: Context, index: int, worker: Worker, fee_facts: list[Fact], employer: Fact
) -> Fact:
    dataset = ctx.dataset
    fee_indexes = ctx.fees_of.get(worker.worker_id, [])
    origin = ctx.latest_origin(worker.worker_id)
    latest = ctx.latest_contract(worker.worker_id)
    origin_wage = ctx.contract_wage(origin) if origin is not None else None
    own = set(worker.languages)

    total, recruitment, loan = _borne(fee_indexes, fee_facts)
    allowance = ctx.fee_allowance(worker)
    cap: Number
    if allowance is None:
        cap, allowed = _ZERO, False
    elif allowance.cap.amount is not None:
        assert allowance.cap.currency is not None
        cap, allowed = ctx.convert(allowance.cap.amount, allowance.cap.currency), True
    elif origin_wage is not None:
        assert allowance.cap.months_of_origin_wage is not None
        cap, allowed = allowance.cap.months_of_origin_wage * origin_wage, True
    else:
        # One month of a wage she has no origin contract for: above zero, amount unknown.
        cap, allowed = Interval(_ZERO, None), None

    wage_ratio: Number = UNKNOWN_NUMBER
    if latest is not None and worker.monthly_wage_paid is not None and worker.wage_currency:
        paid = ctx.convert(worker.monthly_wage_paid, worker.wage_currency)
        wage_ratio = Ratio.of(paid, ctx.contract_wage(latest))

    inspection = dataset.audit.inspection_date
    age: Number
    if worker.date_of_birth is None:
        age = UNKNOWN_NUMBER
    elif worker.deployment_date is not None:
        age = Decimal(age_on(worker.date_of_birth, worker.deployment_date))
    else:
        age = Interval(None, Decimal(age_on(worker.date_of_birth, inspection)))

    channel_languages = ctx.channel_languages
    briefing = bool(own & set(worker.briefing_languages)) if worker.briefing_languages else None
    values: dict[str, Value] = {
        "sex": worker.sex,
        "nationality": worker.nationality,
        "age_at_deployment": age,
        "briefing_received": worker.briefing_received,
        "briefing_in_her_language": briefing,
        "has_origin_contract": origin is not None,
        "has_contract": latest is not None,
        "origin_contract_in_her_language": (
            bool(own & set(dataset.contracts[origin].languages)) if origin is not None else None
        ),
        "passport_held_by": worker.passport_held_by,
        "wages_withheld": worker.wages_withheld,
        "wage_paid_to_contract_ratio": wage_ratio,
        "worker_paid_total": total,
        "worker_paid_total_in_origin_wages": (
            divide(total, origin_wage) if origin_wage is not None else UNKNOWN_NUMBER
        ),
        "has_worker_paid_loan": loan,
        "recruitment_fee_cap_applies": allowance is not None,
        "recruitment_fee_allowed": allowed,
        "recruitment_fee_total": recruitment,
        "recruitment_fee_excess": subtract(recruitment, cap),
        "channels_exist": bool(dataset.channels),
        "channel_in_her_language": bool(own & channel_languages),
    }
    return _made(
        FactType.WORKER,
        index,
        {SubjectType.WORKER: worker.worker_id},
        values,
        worker=index,
        parent=employer,
    )


# -- contracts, fees, complaints ---------------------------------------------------------------


def _difference(value: Decimal | None, reference: Decimal | None) -> Number:
    if value is None or reference is None:
        return UNKNOWN_NUMBER
    return value - reference


def _contract_fact(ctx: Context, index: int, contract: Contract, workers: list[Fact]) -> Fact:
    worker_index = ctx.worker_index[contract.worker_id]
    origin = ctx.latest_origin(contract.worker_id)
    reference = ctx.dataset.contracts[origin] if origin is not None else None
    ratio: Number = UNKNOWN_NUMBER
    if origin is not None:
        ratio = Ratio.of(ctx.contract_wage(index), ctx.contract_wage(origin))
    limit = ctx.profile.weekly_hours_limit
    penalty = (
        ctx.convert(contract.termination_penalty, contract.currency)
        if contract.termination_penalty is not None
        else UNKNOWN_NUMBER
    )
    return _made(
        FactType.CONTRACT,
        index,
        {SubjectType.WORKER: contract.worker_id},
        {
            "stage": contract.stage,
            "copy_given_to_worker": contract.copy_given_to_worker,
            "worker_may_terminate_for_abuse": contract.worker_may_terminate_for_abuse,
            "termination_penalty": penalty,
            "passport_retention_clause": contract.passport_retention_clause,
            "weekly_hours": known(contract.weekly_hours),
            "weekly_rest_days": known(contract.weekly_rest_days),
            "weekly_hours_over_limit": _difference(contract.weekly_hours, limit),
            "wage_to_latest_origin_ratio": ratio,
            "hours_over_latest_origin": _difference(
                contract.weekly_hours, reference.weekly_hours if reference else None
            ),
            "rest_days_against_latest_origin": _difference(
                contract.weekly_rest_days, reference.weekly_rest_days if reference else None
            ),
        },
        worker=worker_index,
        parent=workers[worker_index],
    )


def _fee_fact(ctx: Context, index: int, fee: Fee) -> Fact:
    """A fee row's fact; its parent (the worker's fact) is linked once workers are built."""
    worker_index = ctx.worker_index[fee.worker_id]
    worker = ctx.dataset.workers[worker_index]
    licensed: bool | None = None
    if fee.paid_to is Payee.INTERMEDIARY and fee.intermediary_id is not None:
        licensed = ctx.dataset.intermediaries[ctx.intermediary_index[fee.intermediary_id]].licensed
    return _made(
        FactType.FEE,
        index,
        {SubjectType.WORKER: fee.worker_id},
        {
            "category": fee.category,
            "paid_by": fee.paid_by,
            "paid_to": fee.paid_to,
            "amount": ctx.convert(fee.amount, fee.currency),
            "worker_paid": Context.worker_paid(fee),
            "deducted_from_wages": fee.deducted_from_wages,
            "receipt_issued": fee.receipt_issued,
            "financed_by_loan": fee.financed_by_loan,
            "category_payable": ctx.category_payable(fee, worker),
            "intermediary_licensed": licensed,
        },
        worker=worker_index,
    )


def _complaint_fact(ctx: Context, index: int, complaint: Complaint, workers: list[Fact]) -> Fact:
    worker_index = ctx.worker_index[complaint.worker_id]
    end = complaint.resolved_on or ctx.dataset.audit.inspection_date
    taken = Decimal((end - complaint.filed_on).days)
    limit = ctx.complaint_limit(complaint)
    return _made(
        FactType.COMPLAINT,
        index,
        {SubjectType.COMPLAINT: complaint.complaint_id, SubjectType.WORKER: complaint.worker_id},
        {
            "category": complaint.category,
            "open": complaint.resolved_on is None,
            "worker_penalised": complaint.worker_penalised,
            "days_taken": taken,
            "response_limit_days": limit,
            "days_over_limit": taken - limit,
        },
        worker=worker_index,
        parent=workers[worker_index],
    )
