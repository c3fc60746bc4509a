"""What enrichment needs to know about a dataset, computed once per audit.

Records grouped by worker, currency conversion into the audit currency
(exact decimals: ``amount * rate``, never rounded), the choice of a
worker's latest contracts (independent of row order), ages by calendar,
and the jurisdiction profile's answer for each worker.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from auditor.model.dataset import AuditDataset
from auditor.model.destinations import NO_DESTINATIONS, DestinationSet
from auditor.model.enums import ContractStage, FeeCategory, Payer
from auditor.model.profiles import FeeAllowance, Profile
from auditor.model.records import Complaint, Contract, Employer, Fee, Worker

if TYPE_CHECKING:
    from auditor.enrich.corridor import WorkerCorridor

#: The complaint time limit when the channel states none, or none is named (COMP-07/08).
DEFAULT_RESPONSE_DAYS = Decimal(30)
#: The longest a published response time may stretch a complaint's limit (catalogue 1.2).
MAX_RESPONSE_DAYS = Decimal(90)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Whole years by calendar; a 29 February birthday falls on 1 March in other years."""
    birthday = (birth.month, birth.day)
    if birthday == (2, 29) and not _is_leap(day.year):
        birthday = (3, 1)
    return day.year - birth.year - ((day.month, day.day) < birthday)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def contract_order(contract: Contract) -> tuple[bool, dt.date, str]:
    """Sort key for "latest" among contracts of one stage.

    A contract with no ``signed_on`` is older than every dated one; ties go
    to the greatest ``contract_id`` in plain text (code point) order.
    """
    signed = contract.signed_on
    return (signed is not None, signed or dt.date.min, contract.contract_id)


def any_stage_order(contract: Contract) -> tuple[bool, dt.date, bool, str]:
    """Sort key for "latest" among all contracts: on the same date a destination one is later."""
    signed = contract.signed_on
    return (
        signed is not None,
        signed or dt.date.min,
        contract.stage is ContractStage.DESTINATION,
        contract.contract_id,
    )


@dataclass(frozen=True)
class ReferenceWage:
    """A worker's reference wage in the audit currency, and the cell it was read from."""

    amount: Decimal
    sheet: str
    index: int
    column: str


@dataclass
class Context:
    """One audit's dataset and profile, with the groupings every derivation uses."""

    dataset: AuditDataset
    profile: Profile
    #: The destination profiles of the pack (catalogue 1.3), found by each worker's destination.
    destinations: DestinationSet = NO_DESTINATIONS
    rates: dict[str, Decimal] = field(init=False)

    def __post_init__(self) -> None:
        self.rates = {rate.currency: rate.rate for rate in self.dataset.fx}
        self.rates[self.dataset.audit.currency] = Decimal(1)

    # -- groupings --------------------------------------------------------
    @cached_property
    def employers(self) -> dict[str, Employer]:
        return {employer.employer_id: employer for employer in self.dataset.employers}

    @cached_property
    def worker_index(self) -> dict[str, int]:
        return {worker.worker_id: index for index, worker in enumerate(self.dataset.workers)}

    @cached_property
    def fees_of(self) -> dict[str, list[int]]:
        grouped: dict[str, list[int]] = defaultdict(list)
        for index, fee in enumerate(self.dataset.fees):
            grouped[fee.worker_id].append(index)
        return grouped

    @cached_property
    def contracts_of(self) -> dict[str, list[int]]:
        grouped: dict[str, list[int]] = defaultdict(list)
        for index, contract in enumerate(self.dataset.contracts):
            grouped[contract.worker_id].append(index)
        return grouped

    @cached_property
    def channel_index(self) -> dict[str, int]:
        return {channel.channel_id: index for index, channel in enumerate(self.dataset.channels)}

    @cached_property
    def intermediary_index(self) -> dict[str, int]:
        return {
            item.intermediary_id: index for index, item in enumerate(self.dataset.intermediaries)
        }

    # -- money ------------------------------------------------------------
    def convert(self, amount: Decimal, currency: str) -> Decimal:
        """``amount`` in the audit currency, exactly (validation guarantees a rate)."""
        return amount * self.rates[currency]

    # -- contracts --------------------------------------------------------
    def latest_origin(self, worker_id: str) -> int | None:
        """Index of the worker's latest origin contract, if she has one."""
        return self._latest[0].get(worker_id)

    def latest_contract(self, worker_id: str) -> int | None:
        """Index of the worker's latest contract of any stage, if any."""
        return self._latest[1].get(worker_id)

    @cached_property
    def _latest(self) -> tuple[dict[str, int], dict[str, int]]:
        """Each worker's latest origin contract and latest contract, chosen once."""
        contracts = self.dataset.contracts
        origin: dict[str, int] = {}
        latest: dict[str, int] = {}
        for worker_id, indexes in self.contracts_of.items():
            if len(indexes) == 1:  # most workers: no choice to make, no sort keys to build
                only = indexes[0]
                latest[worker_id] = only
                if contracts[only].stage is ContractStage.ORIGIN:
                    origin[worker_id] = only
                continue
            latest[worker_id] = max(indexes, key=lambda i: any_stage_order(contracts[i]))
            origins = [i for i in indexes if contracts[i].stage is ContractStage.ORIGIN]
            if origins:
                origin[worker_id] = max(origins, key=lambda i: contract_order(contracts[i]))
        return origin, latest

    @cached_property
    def _latest_destination(self) -> dict[str, int]:
        """Each worker's latest destination contract, for those who have one."""
        contracts = self.dataset.contracts
        latest: dict[str, int] = {}
        for worker_id, indexes in self.contracts_of.items():
            found = [i for i in indexes if contracts[i].stage is ContractStage.DESTINATION]
            if found:
                latest[worker_id] = max(found, key=lambda i: contract_order(contracts[i]))
        return latest

    def reference_wage(self, worker_id: str) -> ReferenceWage | None:
        """The month's wage DEBT-01 and month-based caps measure against, and its cell.

        Her latest origin contract's wage; without one, her latest destination
        contract's; without any contract, her ``monthly_wage_paid`` (in
        ``wage_currency``); ``None`` only when all three are unknown.
        """
        return self._reference_wages.get(worker_id)

    @cached_property
    def _reference_wages(self) -> dict[str, ReferenceWage]:
        wages = self.contract_wages
        origins = self._latest[0]
        destinations = self._latest_destination
        found: dict[str, ReferenceWage] = {}
        for index, worker in enumerate(self.dataset.workers):
            contract = origins.get(worker.worker_id, destinations.get(worker.worker_id))
            if contract is not None:
                found[worker.worker_id] = ReferenceWage(
                    wages[contract], "Contracts", contract, "monthly_wage"
                )
            elif worker.monthly_wage_paid is not None and worker.wage_currency is not None:
                found[worker.worker_id] = ReferenceWage(
                    self.convert(worker.monthly_wage_paid, worker.wage_currency),
                    "Workers",
                    index,
                    "monthly_wage_paid",
                )
        return found

    def contract_wage(self, index: int) -> Decimal:
        return self.contract_wages[index]

    @cached_property
    def contract_wages(self) -> list[Decimal]:
        """Every contract's monthly wage in the audit currency, by index.

        A worker's origin wage is read by her own fact and by each of her
        contracts' facts: converting each wage once saves half the work.
        """
        rates = self.rates
        return [c.monthly_wage * rates[c.currency] for c in self.dataset.contracts]

    @cached_property
    def corridors(self) -> dict[str, WorkerCorridor]:
        """Each worker covered by a destination profile, and her corridor's numbers."""
        from auditor.enrich.corridor import worker_corridors

        return worker_corridors(self)

    # -- the profile, per worker -----------------------------------------------
    def fee_allowance(self, worker: Worker) -> FeeAllowance | None:
        return self._allowances[worker.employer_id]

    @cached_property
    def _allowances(self) -> dict[str, FeeAllowance | None]:
        return {
            e.employer_id: self.profile.fee_allowance(e.sector, e.destination_country)
            for e in self.dataset.employers
        }

    def payable_categories(self, employer_id: str) -> dict[FeeCategory, bool]:
        """For a worker of this employer: may she lawfully pay a related cost, by category."""
        table = self._payable.get(employer_id)
        if table is None:
            employer = self.employers[employer_id]
            table = self._payable[employer_id] = {
                category: self.profile.may_pay(
                    category, employer.sector, employer.destination_country
                )
                for category in FeeCategory
            }
        return table

    @cached_property
    def _payable(self) -> dict[str, dict[FeeCategory, bool]]:
        return {}

    @cached_property
    def channel_languages(self) -> frozenset[str]:
        """Every language some complaint channel offers."""
        return frozenset(code for channel in self.dataset.channels for code in channel.languages)

    # -- complaints -----------------------------------------------------------
    def complaint_limit_channel(self, complaint: Complaint) -> int | None:
        """Index of the channel whose response_days sets the complaint's limit, if one does."""
        if complaint.channel_id is None:
            return None
        index = self.channel_index[complaint.channel_id]
        return index if self.dataset.channels[index].response_days is not None else None

    def complaint_limit(self, complaint: Complaint) -> Decimal:
        """The complaint's time limit: its channel's response_days, at most 90 days
        (catalogue 1.2: a channel that publishes 365 days is still late after 90), else 30."""
        index = self.complaint_limit_channel(complaint)
        if index is None:
            return DEFAULT_RESPONSE_DAYS
        days = self.dataset.channels[index].response_days
        assert days is not None
        return min(days, MAX_RESPONSE_DAYS)

    # -- who bore a fee -----------------------------------------------------
    @staticmethod
    def worker_paid(fee: Fee) -> bool | None:
        """Did the worker bear this row? ``None`` when the records cannot say.

        She bore it when it is above zero and she paid it, or it was deducted
        from her wages whoever paid first. It is unknown when ``paid_by`` is
        ``other`` and no deduction is recorded, or when someone else paid and
        whether it was deducted was not recorded.
        """
        if fee.amount <= 0:
            return False
        if fee.paid_by is Payer.WORKER or fee.deducted_from_wages is True:
            return True
        if fee.paid_by is Payer.OTHER or fee.deducted_from_wages is None:
            return None
        return False
