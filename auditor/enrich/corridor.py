"""The law at both ends of a worker's corridor (catalogue 1.3), computed once per worker.

The origin's profile decides what she may be charged and what is owed
back; the destination profile of her employer's ``destination_country``
(when one covers her sector) says what the country of work lets her bear.
Here, in exact decimals, are the numbers DEST-01 reads and the report
shows:

- (a) her fee rows of a related-cost category that the origin lets her pay
  and the destination does not: those she certainly bore, and those whose
  payer is unknown (a data gap when nothing else decides);
- (b) where the origin allows her a recruitment fee: her recruitment fee
  total above the destination's cap (zero when the destination allows
  none). When the origin's cap is known and not above the destination's,
  everything above the destination's cap is above the origin's too: that
  is FEE-06's, which DEST-01 does not repeat.

The amount charged against the destination's law is (a) plus
min(her recruitment fee total, the origin's cap) less the destination's cap,
never below zero; undetermined when a cap it needs is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from auditor.enrich.context import Context, contract_order
from auditor.enrich.values import Interval, Number, subtract
from auditor.model.destinations import DestinationCap, DestinationProfile
from auditor.model.enums import ContractStage, FeeCategory
from auditor.model.profiles import NEVER_PAYABLE
from auditor.model.records import Worker

_ZERO = Decimal(0)
#: A cap that exists but whose amount depends on a wage nobody recorded.
_UNKNOWN_CAP = Interval(_ZERO, None)


@dataclass(frozen=True)
class WorkerCorridor:
    """One worker's corridor, where a destination profile covers her."""

    profile: DestinationProfile
    #: Her recruitment fee cap at destination in the audit currency (0: none allowed);
    #: ``None`` when it depends on a wage nobody recorded.
    destination_cap: Decimal | None
    #: Whether her origin profile allows her a recruitment fee (a cap above zero, known or not).
    origin_allows_fee: bool
    #: The origin's cap in the audit currency; ``None`` when unknown or when no fee is allowed.
    origin_cap: Decimal | None
    #: (a): fee rows she certainly bore, and those whose payer is unknown.
    rows: tuple[int, ...]
    possible_rows: tuple[int, ...]
    #: Her recruitment fee rows she certainly bore, and those whose payer is unknown.
    fee_rows: tuple[int, ...]
    possible_fee_rows: tuple[int, ...]

    def costs_against(self, ctx: Context) -> Number:
        """(a) as a number: certain rows at the low end, unknown-payer ones added above."""
        low = sum((_amount(ctx, i) for i in self.rows), _ZERO)
        high = low + sum((_amount(ctx, i) for i in self.possible_rows), _ZERO)
        return low if low == high else Interval(low, high)

    def fee_over_cap(self, ctx: Context) -> Number:
        """(b) as a number: her recruitment fee total above the destination's cap."""
        if not self.origin_allows_fee:
            return _ZERO
        if (
            self.origin_cap is not None
            and self.destination_cap is not None
            and self.origin_cap <= self.destination_cap
        ):
            return _ZERO  # above the destination's cap is above the origin's: FEE-06's
        low = sum((_amount(ctx, i) for i in self.fee_rows), _ZERO)
        high = low + sum((_amount(ctx, i) for i in self.possible_fee_rows), _ZERO)
        total: Number = low if low == high else Interval(low, high)
        cap: Number = _UNKNOWN_CAP if self.destination_cap is None else self.destination_cap
        return subtract(total, cap)

    def amount_charged(self, ctx: Context) -> Decimal | None:
        """What was charged against the destination's law (rows she certainly bore).

        ``None`` (undetermined) when (b) needs a cap that is unknown and she
        bore recruitment fees.
        """
        charged = sum((_amount(ctx, i) for i in self.rows), _ZERO)
        if not self.origin_allows_fee or not self.fee_rows:
            return charged
        total = sum((_amount(ctx, i) for i in self.fee_rows), _ZERO)
        if self.destination_cap is None or self.origin_cap is None:
            if self.destination_cap is not None and total <= self.destination_cap:
                return charged
            return None
        return charged + max(_ZERO, min(total, self.origin_cap) - self.destination_cap)

    def refund_rows(self, ctx: Context) -> tuple[int, ...]:
        """The rows whose refunds are shown beside a DEST-01 finding."""
        return tuple(sorted({*self.rows, *(self.fee_rows if self.origin_allows_fee else ())}))


def _amount(ctx: Context, index: int) -> Decimal:
    fee = ctx.dataset.fees[index]
    return ctx.convert(fee.amount, fee.currency)


def worker_corridors(ctx: Context) -> dict[str, WorkerCorridor]:
    """Each worker whose destination has a profile covering her sector, by worker id."""
    destinations = ctx.destinations
    if not len(destinations):
        return {}
    found: dict[str, WorkerCorridor] = {}
    for worker in ctx.dataset.workers:
        employer = ctx.employers[worker.employer_id]
        profile = destinations.for_worker(employer.destination_country, employer.sector)
        if profile is not None:
            found[worker.worker_id] = _corridor(ctx, worker, profile)
    return found


def _corridor(ctx: Context, worker: Worker, profile: DestinationProfile) -> WorkerCorridor:
    employer = ctx.employers[worker.employer_id]
    payable = ctx.payable_categories(worker.employer_id)
    fees = ctx.dataset.fees
    rows: list[int] = []
    possible: list[int] = []
    fee_rows: list[int] = []
    possible_fee_rows: list[int] = []
    for index in ctx.fees_of.get(worker.worker_id, ()):
        fee = fees[index]
        bore = ctx.worker_paid(fee)
        if bore is False:
            continue
        if fee.category is FeeCategory.RECRUITMENT_FEE:
            (fee_rows if bore else possible_fee_rows).append(index)
        elif (
            fee.category not in NEVER_PAYABLE
            and payable[fee.category]
            and not profile.may_bear(fee.category, employer.sector, origin_allows=True)
        ):
            (rows if bore else possible).append(index)
    allows, origin_cap = _origin_cap(ctx, worker)
    return WorkerCorridor(
        profile=profile,
        destination_cap=_destination_cap(ctx, worker, profile.fee_cap(employer.sector)),
        origin_allows_fee=allows,
        origin_cap=origin_cap,
        rows=tuple(rows),
        possible_rows=tuple(possible),
        fee_rows=tuple(fee_rows),
        possible_fee_rows=tuple(possible_fee_rows),
    )


def _origin_cap(ctx: Context, worker: Worker) -> tuple[bool, Decimal | None]:
    """Whether the origin allows her a recruitment fee, and its cap when known."""
    allowance = ctx.fee_allowance(worker)
    if allowance is None:
        return False, None
    if allowance.cap.amount is not None:
        assert allowance.cap.currency is not None
        return True, ctx.convert(allowance.cap.amount, allowance.cap.currency)
    assert allowance.cap.months_of_origin_wage is not None
    wage = ctx.reference_wage(worker.worker_id)
    if wage is None:
        return True, None
    cap = allowance.cap.months_of_origin_wage * wage.amount
    return (True, cap) if cap > 0 else (False, None)


def _destination_cap(ctx: Context, worker: Worker, cap: DestinationCap | None) -> Decimal | None:
    if cap is None:
        return _ZERO
    if cap.amount is not None:
        assert cap.currency is not None
        if cap.currency not in ctx.rates:  # no FX rate: the cap is unknown (a data gap)
            return None
        return ctx.convert(cap.amount, cap.currency)
    if cap.months_of_reference_wage is not None:
        wage = ctx.reference_wage(worker.worker_id)
        return None if wage is None else cap.months_of_reference_wage * wage.amount
    assert cap.share_of_destination_wage is not None
    first = destination_wage(ctx, worker)
    return None if first is None else cap.share_of_destination_wage * first


def destination_wage(ctx: Context, worker: Worker) -> Decimal | None:
    """Her first month's wage at destination: ``monthly_wage_paid``, else her latest
    destination contract's wage, else her reference wage (catalogue 1.3, HK)."""
    if worker.monthly_wage_paid is not None and worker.wage_currency is not None:
        return ctx.convert(worker.monthly_wage_paid, worker.wage_currency)
    contracts = ctx.dataset.contracts
    dated = [
        i
        for i in ctx.contracts_of.get(worker.worker_id, ())
        if contracts[i].stage is ContractStage.DESTINATION
    ]
    if dated:
        return ctx.contract_wage(max(dated, key=lambda i: contract_order(contracts[i])))
    wage = ctx.reference_wage(worker.worker_id)
    return None if wage is None else wage.amount
