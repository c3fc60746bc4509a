"""Records to facts: every value a rule reads, derived once, unknowns kept unknown.

One :class:`Fact` per record (and one for the agency). Each carries its own
fields (see :mod:`.vocabulary`), the subjects it speaks for, and a link to
the record it belongs to, whose fields rules read under a prefix
(``worker.recruitment_fee_allowed`` on a fee). Cross-record values (totals,
ratios, the latest contract) are computed here, in exact arithmetic, so
the rule engine only ever compares one fact's fields with constants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from auditor.enrich.context import Context, age_on
from auditor.enrich.values import (
    UNKNOWN_NUMBER,
    Interval,
    Number,
    Ratio,
    Value,
    kleene_and,
    known,
    subtract,
)
from auditor.enrich.vocabulary import FactType
from auditor.model.enums import FeeCategory, Payee, Sector, SubjectType
from auditor.model.profiles import FeeAllowance
from auditor.model.records import Complaint

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


#: Fact types by value: a dict lookup, where ``FactType(kind)`` costs microseconds a match.
_FACT_TYPES = {kind.value: kind for kind in FactType}


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
        return self.by_type[_FACT_TYPES[kind]][int(index)]


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
    """Derive every fact of the dataset under the profile in force.

    A 50,000-worker audit derives some 300,000 facts, so each kind is built
    in one loop with what it needs looked up once (the worker's subjects,
    her employer's allowance, the contracts' converted wages); the facts of
    one worker share her subjects mapping, which nothing changes.
    """
    dataset = ctx.dataset
    facts = Facts()
    employers = [_employer_fact(ctx, i) for i in range(len(dataset.employers))]
    employer_fact = {dataset.employers[f.index].employer_id: f for f in employers}
    subjects = [{SubjectType.WORKER: worker.worker_id} for worker in dataset.workers]
    # Fee facts first: the workers' totals are sums over them; each is then linked to its worker.
    fees = _fee_facts(ctx, subjects)
    workers = _worker_facts(ctx, fees, employer_fact, subjects)
    for fee in fees:
        fee.parent = workers[fee.worker]
    facts.by_type[FactType.AGENCY] = [_agency_fact(ctx)]
    facts.by_type[FactType.EMPLOYER] = employers
    facts.by_type[FactType.WORKER] = workers
    facts.by_type[FactType.CONTRACT] = _contract_facts(ctx, workers, subjects)
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
    domestic_employers = {
        e.employer_id for e in ctx.dataset.employers if e.sector is Sector.DOMESTIC_WORK
    }
    domestic = sum(1 for worker in ctx.dataset.workers if worker.employer_id in domestic_employers)
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


def _borne(indexes: Sequence[int], fees: list[Fact]) -> tuple[Number, Number, bool | None]:
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


def _worker_facts(
    ctx: Context,
    fee_facts: list[Fact],
    employer_fact: dict[str, Fact],
    subjects: list[dict[SubjectType, str]],
) -> list[Fact]:
    dataset = ctx.dataset
    contracts = dataset.contracts
    wages = ctx.contract_wages
    origins, latests = ctx._latest
    reference_wage = ctx.reference_wage
    fees_of = ctx.fees_of
    channel_languages = ctx.channel_languages
    channels_exist = bool(dataset.channels)
    inspection = dataset.audit.inspection_date
    # The allowance and any fixed cap depend on the employer only: decided once per employer.
    caps = {employer_id: _fixed_cap(ctx, employer_id) for employer_id in employer_fact}
    corridors = ctx.corridors
    made = []
    for index, worker in enumerate(dataset.workers):
        worker_id = worker.worker_id
        origin = origins.get(worker_id)
        latest = latests.get(worker_id)
        reference = reference_wage(worker_id)
        wage = reference.amount if reference is not None else None
        own = set(worker.languages)

        total, recruitment, loan = _borne(fees_of.get(worker_id, ()), fee_facts)
        allowance, cap, allowed = caps[worker.employer_id]
        if allowance is not None and cap is None:
            if wage is not None:
                assert allowance.cap.months_of_origin_wage is not None
                cap = allowance.cap.months_of_origin_wage * wage
                allowed = cap > 0  # months of a wage of zero: a zero cap, which is no allowance
            else:
                # Months of a reference wage nobody recorded: above zero, amount unknown.
                cap, allowed = _CAP_UNKNOWN, None
        assert cap is not None

        wage_ratio: Number = UNKNOWN_NUMBER
        if latest is not None and worker.monthly_wage_paid is not None and worker.wage_currency:
            paid = ctx.convert(worker.monthly_wage_paid, worker.wage_currency)
            wage_ratio = Ratio.of(paid, wages[latest])

        birth = worker.date_of_birth
        age: Number
        if birth is None:
            age = UNKNOWN_NUMBER
        elif worker.deployment_date is not None:
            age = Decimal(age_on(birth, worker.deployment_date))
        else:
            age = Interval(None, Decimal(age_on(birth, inspection)))

        briefing_languages = worker.briefing_languages
        values: dict[str, Value] = {
            "sex": worker.sex,
            "nationality": worker.nationality,
            "age_at_deployment": age,
            "briefing_received": worker.briefing_received,
            "briefing_in_her_language": (
                not own.isdisjoint(briefing_languages) if briefing_languages else None
            ),
            "has_origin_contract": origin is not None,
            "has_contract": latest is not None,
            "origin_contract_in_her_language": (
                not own.isdisjoint(contracts[origin].languages) if origin is not None else None
            ),
            "passport_held_by": worker.passport_held_by,
            "wages_withheld": worker.wages_withheld,
            "wage_paid_to_contract_ratio": wage_ratio,
            "worker_paid_total": total,
            "worker_paid_total_above_reference_wage": (
                subtract(total, wage) if wage is not None else UNKNOWN_NUMBER
            ),
            "has_worker_paid_loan": loan,
            "recruitment_fee_cap_applies": allowance is not None,
            "recruitment_fee_allowed": allowed,
            "recruitment_fee_total": recruitment,
            "recruitment_fee_excess": subtract(recruitment, cap),
            "channels_exist": channels_exist,
            "channel_in_her_language": not channel_languages.isdisjoint(own),
        }
        corridor = corridors.get(worker_id)  # catalogue 1.3: the destination's law
        values["destination_profile_applies"] = corridor is not None
        values["related_costs_against_destination"] = (
            _ZERO if corridor is None else corridor.costs_against(ctx)
        )
        values["recruitment_fee_over_destination_cap"] = (
            _ZERO if corridor is None else corridor.fee_over_cap(ctx)
        )
        made.append(
            Fact(
                FactType.WORKER,
                index,
                subjects[index],
                values,
                index,
                employer_fact[worker.employer_id],
                f"worker:{index}",
            )
        )
    return made


_CAP_UNKNOWN = Interval(_ZERO, None)


def _fixed_cap(
    ctx: Context, employer_id: str
) -> tuple[FeeAllowance | None, Number | None, bool | None]:
    """An employer's workers' recruitment fee allowance, and its cap when no wage decides it.

    No allowance: a cap of zero, no fee allowed. A cap in months of the
    origin wage is left ``None``: each worker's own wage decides it.
    """
    employer = ctx.employers[employer_id]
    allowance = ctx.profile.fee_allowance(employer.sector, employer.destination_country)
    if allowance is None:
        return None, _ZERO, False
    if allowance.cap.amount is not None:
        assert allowance.cap.currency is not None
        return allowance, ctx.convert(allowance.cap.amount, allowance.cap.currency), True
    return allowance, None, True


# -- contracts, fees, complaints ---------------------------------------------------------------


def _difference(value: Decimal | None, reference: Decimal | None) -> Number:
    if value is None or reference is None:
        return UNKNOWN_NUMBER
    return value - reference


def _contract_facts(
    ctx: Context, workers: list[Fact], subjects: list[dict[SubjectType, str]]
) -> list[Fact]:
    contracts = ctx.dataset.contracts
    wages = ctx.contract_wages
    origins = ctx._latest[0]
    worker_index = ctx.worker_index
    rates = ctx.rates
    limit = ctx.profile.weekly_hours_limit
    threshold = ctx.profile.forced_labour_weekly_hours
    made = []
    for index, contract in enumerate(contracts):
        worker = worker_index[contract.worker_id]
        origin = origins.get(contract.worker_id)
        hours = contract.weekly_hours
        rest = contract.weekly_rest_days
        ratio: Number = UNKNOWN_NUMBER
        reference_hours = reference_rest = None
        if origin is not None:
            ratio = Ratio.of(wages[index], wages[origin])
            reference = contracts[origin]
            reference_hours, reference_rest = reference.weekly_hours, reference.weekly_rest_days
        penalty = contract.termination_penalty
        values: dict[str, Value] = {
            "stage": contract.stage,
            "copy_given_to_worker": contract.copy_given_to_worker,
            "worker_may_terminate_for_abuse": contract.worker_may_terminate_for_abuse,
            "termination_penalty": (
                penalty * rates[contract.currency] if penalty is not None else UNKNOWN_NUMBER
            ),
            "passport_retention_clause": contract.passport_retention_clause,
            "weekly_hours": UNKNOWN_NUMBER if hours is None else hours,
            "weekly_rest_days": UNKNOWN_NUMBER if rest is None else rest,
            "weekly_hours_over_limit": _difference(hours, limit),
            "weekly_hours_over_forced_labour_threshold": _difference(hours, threshold),
            "wage_to_latest_origin_ratio": ratio,
            "hours_over_latest_origin": _difference(hours, reference_hours),
            "rest_days_against_latest_origin": _difference(rest, reference_rest),
        }
        made.append(
            Fact(
                FactType.CONTRACT,
                index,
                subjects[worker],
                values,
                worker,
                workers[worker],
                f"contract:{index}",
            )
        )
    return made


def _fee_facts(ctx: Context, subjects: list[dict[SubjectType, str]]) -> list[Fact]:
    """The fee rows' facts; their parents (the workers' facts) are linked once workers are built."""
    dataset = ctx.dataset
    workers = dataset.workers
    worker_index = ctx.worker_index
    rates = ctx.rates
    worker_paid = Context.worker_paid
    # What a worker's employer lets her pay, looked up once per employer rather than per row.
    payable = {employer_id: ctx.payable_categories(employer_id) for employer_id in ctx.employers}
    payable_of = [payable[worker.employer_id] for worker in workers]
    kind = FactType.FEE
    made = []
    for index, fee in enumerate(dataset.fees):
        worker = worker_index[fee.worker_id]
        licensed: bool | None = None
        if fee.paid_to is Payee.INTERMEDIARY and fee.intermediary_id is not None:
            licensed = dataset.intermediaries[ctx.intermediary_index[fee.intermediary_id]].licensed
        values: dict[str, Value] = {
            "category": fee.category,
            "paid_by": fee.paid_by,
            "paid_to": fee.paid_to,
            "amount": fee.amount * rates[fee.currency],
            "worker_paid": worker_paid(fee),
            "deducted_from_wages": fee.deducted_from_wages,
            "receipt_issued": fee.receipt_issued,
            "financed_by_loan": fee.financed_by_loan,
            "category_payable": payable_of[worker][fee.category],
            "intermediary_licensed": licensed,
        }
        made.append(Fact(kind, index, subjects[worker], values, worker, None, f"fee:{index}"))
    return made


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
