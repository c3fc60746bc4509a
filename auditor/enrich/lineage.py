"""Where a fact's values come from: the cells a finding cites, and why a value is unknown.

Computed on demand, only for the facts a finding or data gap is about:
for 300,000 facts of which a few thousand matter, keeping every field's
sources would cost more than the audit itself.

``cells(fact, path)`` lists the cells a field's value rests on (for a
derived value, the cells it was derived from); ``missing(fact, path)`` lists
what is unrecorded behind an undecided value: an empty cell, or a note such
as "no origin contract".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from auditor.enrich.context import Context
from auditor.enrich.facts import Fact
from auditor.enrich.vocabulary import FactType
from auditor.model.enums import FeeCategory, Payer, Sector

SHEET_OF: dict[FactType, str] = {
    FactType.AGENCY: "Audit",
    FactType.EMPLOYER: "Employers",
    FactType.WORKER: "Workers",
    FactType.CONTRACT: "Contracts",
    FactType.FEE: "Fees",
    FactType.CHANNEL: "Channels",
    FactType.COMPLAINT: "Complaints",
}


class CellRef(NamedTuple):
    """A value's place: sheet, record index on that sheet (0 on Audit), field.

    A named tuple, not a dataclass: an audit hashes and compares hundreds of
    thousands of them while building evidence, and a tuple does it in C.
    """

    sheet: str
    # The record's index: the field shadows tuple.index, which nothing here calls on a CellRef.
    index: int  # type: ignore[assignment]
    column: str


Missing = CellRef | str
Sources = Callable[["Lineage", Fact], list[CellRef]]


class Lineage:
    """Cells behind each field of each fact of one audit."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # -- public -------------------------------------------------------------
    def cells(self, fact: Fact, path: str) -> list[CellRef]:
        if "." in path:
            parent, name = self._parent(fact, path)
            return self.cells(parent, name)
        special = _CELLS.get((fact.type, path))
        if special is not None:
            return special(self, fact)
        return [CellRef(SHEET_OF[fact.type], fact.index, path)]

    def missing(self, fact: Fact, path: str) -> Sequence[Missing]:
        """What is unrecorded behind ``path``'s unknown value on ``fact``."""
        if "." in path:
            parent, name = self._parent(fact, path)
            return self.missing(parent, name)
        special = _MISSING.get((fact.type, path))
        if special is not None:
            return special(self, fact)
        return [CellRef(SHEET_OF[fact.type], fact.index, path)]

    # -- helpers --------------------------------------------------------------
    @staticmethod
    def _parent(fact: Fact, path: str) -> tuple[Fact, str]:
        prefix, name = path.split(".", 1)
        parent = fact.parent
        assert parent is not None, path
        assert parent.type.value == prefix, path
        return parent, name

    def worker_id(self, fact: Fact) -> str:
        return self.ctx.dataset.workers[fact.worker].worker_id

    def own(self, fact: Fact, *columns: str) -> list[CellRef]:
        return [CellRef(SHEET_OF[fact.type], fact.index, column) for column in columns]

    def borne_rows(self, fact: Fact, category: FeeCategory | None = None) -> list[int]:
        """Her fee rows that she bore or may have borne (the ones a total counts)."""
        fees = self.ctx.dataset.fees
        return [
            i
            for i in self.ctx.fees_of.get(self.worker_id(fact), [])
            if (category is None or fees[i].category is category)
            and self.ctx.worker_paid(fees[i]) is not False
        ]

    def undecided_payer(self, index: int) -> Sequence[Missing]:
        """Why it is unknown whether the worker bore fee row ``index``."""
        fee = self.ctx.dataset.fees[index]
        if self.ctx.worker_paid(fee) is not None:
            return []
        found: list[Missing] = []
        if fee.paid_by is Payer.OTHER:
            found.append(CellRef("Fees", index, "paid_by"))
        if fee.deducted_from_wages is None:
            found.append(CellRef("Fees", index, "deducted_from_wages"))
        return found

    def reference_wage(self, fact: Fact) -> list[CellRef]:
        """The cell her reference wage was read from (catalogue, "Reference wage")."""
        wage = self.ctx.reference_wage(self.worker_id(fact))
        return [] if wage is None else [CellRef(wage.sheet, wage.index, wage.column)]

    def no_reference_wage(self, fact: Fact) -> Sequence[Missing]:
        """Why her reference wage is unknown: no contract, and the wage paid not recorded."""
        worker_id = self.worker_id(fact)
        if self.ctx.reference_wage(worker_id) is not None:
            return []
        return [
            CellRef("Workers", fact.worker, "monthly_wage_paid"),
            f"Contracts: no contract for worker {worker_id}",
        ]

    def no_origin(self, fact: Fact) -> Sequence[Missing]:
        if self.ctx.latest_origin(self.worker_id(fact)) is None:
            return [f"Contracts: no origin contract for worker {self.worker_id(fact)}"]
        return []

    def employer_cells(self, fact: Fact, *columns: str) -> list[CellRef]:
        worker = self.ctx.dataset.workers[fact.worker]
        index = next(
            i
            for i, e in enumerate(self.ctx.dataset.employers)
            if e.employer_id == worker.employer_id
        )
        return [CellRef("Employers", index, column) for column in columns]

    def origin_contract(self, fact: Fact) -> int | None:
        contract = self.ctx.dataset.contracts[fact.index]
        return self.ctx.latest_origin(contract.worker_id)


# -- agency ----------------------------------------------------------------------------------


def _channel_cells(*columns: str) -> Sources:
    def sources(lineage: Lineage, fact: Fact) -> list[CellRef]:
        return [
            CellRef("Channels", i, column)
            for i in range(len(lineage.ctx.dataset.channels))
            for column in columns
        ]

    return sources


def _channel_missing(*columns: str) -> Callable[[Lineage, Fact], Sequence[Missing]]:
    def missing(lineage: Lineage, fact: Fact) -> Sequence[Missing]:
        return [
            CellRef("Channels", i, column)
            for i, channel in enumerate(lineage.ctx.dataset.channels)
            for column in columns
            if getattr(channel, column) is None
        ]

    return missing


def _domestic_employers(lineage: Lineage, fact: Fact) -> list[CellRef]:
    return [
        CellRef("Employers", i, "sector")
        for i, employer in enumerate(lineage.ctx.dataset.employers)
        if employer.sector is Sector.DOMESTIC_WORK
    ]


# -- workers ---------------------------------------------------------------------------------


def _age(lineage: Lineage, fact: Fact) -> list[CellRef]:
    worker = lineage.ctx.dataset.workers[fact.index]
    if worker.deployment_date is None:
        return [*lineage.own(fact, "date_of_birth"), CellRef("Audit", 0, "inspection_date")]
    return lineage.own(fact, "date_of_birth", "deployment_date")


def _age_missing(lineage: Lineage, fact: Fact) -> Sequence[Missing]:
    worker = lineage.ctx.dataset.workers[fact.index]
    return lineage.own(fact, "date_of_birth" if worker.date_of_birth is None else "deployment_date")


def _latest_contract_wage(lineage: Lineage, fact: Fact) -> list[CellRef]:
    latest = lineage.ctx.latest_contract(lineage.worker_id(fact))
    cells = lineage.own(fact, "monthly_wage_paid")
    return cells + ([CellRef("Contracts", latest, "monthly_wage")] if latest is not None else [])


def _origin_language(lineage: Lineage, fact: Fact) -> list[CellRef]:
    origin = lineage.ctx.latest_origin(lineage.worker_id(fact))
    found = [CellRef("Contracts", origin, "languages")] if origin is not None else []
    return found + lineage.own(fact, "languages")


def _has_origin(lineage: Lineage, fact: Fact) -> list[CellRef]:
    # Something missing is shown by the row it is missing for: the worker's id cell.
    return lineage.own(fact, "worker_id")


def _total(category: FeeCategory | None, *, with_wage: bool) -> Sources:
    def sources(lineage: Lineage, fact: Fact) -> list[CellRef]:
        rows = [CellRef("Fees", i, "amount") for i in lineage.borne_rows(fact, category)]
        return rows + (lineage.reference_wage(fact) if with_wage else [])

    return sources


def _total_missing(
    category: FeeCategory | None, with_wage: bool
) -> Callable[[Lineage, Fact], Sequence[Missing]]:
    def missing(lineage: Lineage, fact: Fact) -> Sequence[Missing]:
        found: list[Missing] = [
            m for i in lineage.borne_rows(fact, category) for m in lineage.undecided_payer(i)
        ]
        return found + list(lineage.no_reference_wage(fact) if with_wage else [])

    return missing


def _loan(lineage: Lineage, fact: Fact) -> list[CellRef]:
    fees = lineage.ctx.dataset.fees
    return [
        CellRef("Fees", i, column)
        for i in lineage.borne_rows(fact)
        if fees[i].financed_by_loan is not False
        for column in ("amount", "financed_by_loan")
    ]


def _loan_missing(lineage: Lineage, fact: Fact) -> Sequence[Missing]:
    fees = lineage.ctx.dataset.fees
    found: list[Missing] = []
    for i in lineage.borne_rows(fact):
        if fees[i].financed_by_loan is None:
            found.append(CellRef("Fees", i, "financed_by_loan"))
        elif fees[i].financed_by_loan:
            found.extend(lineage.undecided_payer(i))
    return found


def _cap(lineage: Lineage, fact: Fact) -> list[CellRef]:
    cells = lineage.employer_cells(fact, "sector", "destination_country")
    allowance = lineage.ctx.fee_allowance(lineage.ctx.dataset.workers[fact.index])
    if allowance is not None and allowance.cap.months_of_origin_wage is not None:
        cells += lineage.reference_wage(fact)
    return cells


def _excess(lineage: Lineage, fact: Fact) -> list[CellRef]:
    return _total(FeeCategory.RECRUITMENT_FEE, with_wage=False)(lineage, fact) + _cap(lineage, fact)


def _excess_missing(lineage: Lineage, fact: Fact) -> Sequence[Missing]:
    return _total_missing(FeeCategory.RECRUITMENT_FEE, with_wage=True)(lineage, fact)


def _channel_languages(lineage: Lineage, fact: Fact) -> list[CellRef]:
    channels = [
        CellRef("Channels", i, "languages") for i in range(len(lineage.ctx.dataset.channels))
    ]
    return lineage.own(fact, "languages") + channels


def _corridor_rows(lineage: Lineage, fact: Fact) -> list[CellRef]:
    """(a) of DEST-01: the rows' amounts and categories, and her employer's destination."""
    corridor = lineage.ctx.corridors.get(lineage.worker_id(fact))
    if corridor is None:
        return []
    rows = sorted({*corridor.rows, *corridor.possible_rows})
    cells = [CellRef("Fees", i, column) for i in rows for column in ("category", "amount")]
    return cells + lineage.employer_cells(fact, "sector", "destination_country")


def _corridor_rows_missing(lineage: Lineage, fact: Fact) -> Sequence[Missing]:
    corridor = lineage.ctx.corridors.get(lineage.worker_id(fact))
    if corridor is None:
        return []
    return [m for i in corridor.possible_rows for m in lineage.undecided_payer(i)]


def _corridor_fee(lineage: Lineage, fact: Fact) -> list[CellRef]:
    """(b) of DEST-01: her recruitment fees, the caps' sources and her destination."""
    corridor = lineage.ctx.corridors.get(lineage.worker_id(fact))
    if corridor is None:
        return []
    rows = sorted({*corridor.fee_rows, *corridor.possible_fee_rows})
    cells = [CellRef("Fees", i, "amount") for i in rows]
    cells += _cap(lineage, fact)
    fee = corridor.profile.recruitment_fee
    if fee is not None and fee.cap.share_of_destination_wage is not None:
        cells += lineage.own(fact, "monthly_wage_paid")
    return cells


def _corridor_fee_missing(lineage: Lineage, fact: Fact) -> Sequence[Missing]:
    corridor = lineage.ctx.corridors.get(lineage.worker_id(fact))
    if corridor is None:
        return []
    found: list[Missing] = [
        m for i in corridor.possible_fee_rows for m in lineage.undecided_payer(i)
    ]
    if corridor.destination_cap is None or corridor.origin_cap is None:
        found += lineage.no_reference_wage(fact)
    fee = corridor.profile.recruitment_fee
    currency = fee.cap.currency if fee is not None else None
    if currency is not None and currency not in lineage.ctx.rates:
        found.append(
            f"FX: no rate for {currency}, the currency of the {corridor.profile.country} "
            "destination profile's recruitment fee cap"
        )
    return found


# -- contracts -------------------------------------------------------------------------------


def _against_origin(column: str) -> Sources:
    def sources(lineage: Lineage, fact: Fact) -> list[CellRef]:
        origin = lineage.origin_contract(fact)
        reference = [CellRef("Contracts", origin, column)] if origin is not None else []
        return reference + lineage.own(fact, column)

    return sources


def _against_origin_missing(column: str) -> Callable[[Lineage, Fact], Sequence[Missing]]:
    def missing(lineage: Lineage, fact: Fact) -> Sequence[Missing]:
        contracts = lineage.ctx.dataset.contracts
        origin = lineage.origin_contract(fact)
        if origin is None:
            return lineage.no_origin(fact.parent) if fact.parent else []
        return [
            CellRef("Contracts", i, column)
            for i in dict.fromkeys((origin, fact.index))
            if getattr(contracts[i], column) is None
        ]

    return missing


# -- fees and complaints ---------------------------------------------------------------------


def _worker_paid(lineage: Lineage, fact: Fact) -> list[CellRef]:
    fee = lineage.ctx.dataset.fees[fact.index]
    if fee.paid_by is Payer.WORKER:
        return lineage.own(fact, "paid_by")
    return lineage.own(fact, "paid_by", "deducted_from_wages")


def _intermediary(lineage: Lineage, fact: Fact) -> list[CellRef]:
    fee = lineage.ctx.dataset.fees[fact.index]
    cells = lineage.own(fact, "intermediary_id")
    if fee.intermediary_id is not None and fee.intermediary_id in lineage.ctx.intermediary_index:
        cells.append(
            CellRef(
                "Intermediaries", lineage.ctx.intermediary_index[fee.intermediary_id], "licensed"
            )
        )
    return cells


def _complaint_time(lineage: Lineage, fact: Fact) -> list[CellRef]:
    complaint = lineage.ctx.dataset.complaints[fact.index]
    cells = lineage.own(fact, "filed_on")
    cells += (
        lineage.own(fact, "resolved_on")
        if complaint.resolved_on
        else [CellRef("Audit", 0, "inspection_date")]
    )
    limit = lineage.ctx.complaint_limit_channel(complaint)
    return cells + ([CellRef("Channels", limit, "response_days")] if limit is not None else [])


_CELLS: dict[tuple[FactType, str], Sources] = {
    (FactType.AGENCY, "licence_number_given"): lambda lin, f: lin.own(f, "agency_licence_number"),
    (FactType.AGENCY, "licence_days_left"): lambda lin, f: lin.own(
        f, "licence_valid_until", "inspection_date"
    ),
    (FactType.AGENCY, "channels"): lambda lin, f: [],
    (FactType.AGENCY, "channels_confidential_with_women"): _channel_cells(
        "confidential", "women_staff_available"
    ),
    (FactType.AGENCY, "channels_open_to_domestic_workers"): _channel_cells(
        "open_to_domestic_workers"
    ),
    (FactType.AGENCY, "domestic_workers"): _domestic_employers,
    (FactType.WORKER, "age_at_deployment"): _age,
    (FactType.WORKER, "briefing_in_her_language"): lambda lin, f: lin.own(
        f, "briefing_languages", "languages"
    ),
    (FactType.WORKER, "has_origin_contract"): _has_origin,
    (FactType.WORKER, "has_contract"): _has_origin,
    (FactType.WORKER, "origin_contract_in_her_language"): _origin_language,
    (FactType.WORKER, "wage_paid_to_contract_ratio"): _latest_contract_wage,
    (FactType.WORKER, "worker_paid_total"): _total(None, with_wage=False),
    (FactType.WORKER, "worker_paid_total_above_reference_wage"): _total(None, with_wage=True),
    (FactType.WORKER, "has_worker_paid_loan"): _loan,
    (FactType.WORKER, "recruitment_fee_cap_applies"): _cap,
    (FactType.WORKER, "recruitment_fee_allowed"): _cap,
    (FactType.WORKER, "recruitment_fee_total"): _total(
        FeeCategory.RECRUITMENT_FEE, with_wage=False
    ),
    (FactType.WORKER, "recruitment_fee_excess"): _excess,
    (FactType.WORKER, "channels_exist"): lambda lin, f: [],
    (FactType.WORKER, "channel_in_her_language"): _channel_languages,
    (FactType.WORKER, "destination_profile_applies"): lambda lin, f: lin.employer_cells(
        f, "sector", "destination_country"
    ),
    (FactType.WORKER, "related_costs_against_destination"): _corridor_rows,
    (FactType.WORKER, "recruitment_fee_over_destination_cap"): _corridor_fee,
    (FactType.CONTRACT, "weekly_hours_over_limit"): lambda lin, f: lin.own(f, "weekly_hours"),
    (FactType.CONTRACT, "weekly_hours_over_forced_labour_threshold"): lambda lin, f: lin.own(
        f, "weekly_hours"
    ),
    (FactType.CONTRACT, "wage_to_latest_origin_ratio"): _against_origin("monthly_wage"),
    (FactType.CONTRACT, "hours_over_latest_origin"): _against_origin("weekly_hours"),
    (FactType.CONTRACT, "rest_days_against_latest_origin"): _against_origin("weekly_rest_days"),
    (FactType.FEE, "worker_paid"): _worker_paid,
    (FactType.FEE, "category_payable"): lambda lin, f: lin.own(f, "category"),
    (FactType.FEE, "intermediary_licensed"): _intermediary,
    (FactType.COMPLAINT, "open"): lambda lin, f: lin.own(f, "resolved_on"),
    (FactType.COMPLAINT, "days_taken"): _complaint_time,
    (FactType.COMPLAINT, "response_limit_days"): _complaint_time,
    (FactType.COMPLAINT, "days_over_limit"): _complaint_time,
}

_MISSING: dict[tuple[FactType, str], Callable[[Lineage, Fact], Sequence[Missing]]] = {
    (FactType.AGENCY, "licence_days_left"): lambda lin, f: lin.own(f, "licence_valid_until"),
    (FactType.AGENCY, "channels_confidential_with_women"): _channel_missing(
        "confidential", "women_staff_available"
    ),
    (FactType.AGENCY, "channels_open_to_domestic_workers"): _channel_missing(
        "open_to_domestic_workers"
    ),
    (FactType.WORKER, "age_at_deployment"): _age_missing,
    (FactType.WORKER, "briefing_in_her_language"): lambda lin, f: lin.own(f, "briefing_languages"),
    (FactType.WORKER, "origin_contract_in_her_language"): lambda lin, f: lin.no_origin(f),
    (FactType.WORKER, "wage_paid_to_contract_ratio"): lambda lin, f: lin.own(
        f, "monthly_wage_paid"
    ),
    (FactType.WORKER, "worker_paid_total"): _total_missing(None, with_wage=False),
    (FactType.WORKER, "worker_paid_total_above_reference_wage"): _total_missing(
        None, with_wage=True
    ),
    (FactType.WORKER, "has_worker_paid_loan"): _loan_missing,
    (FactType.WORKER, "recruitment_fee_allowed"): lambda lin, f: lin.no_reference_wage(f),
    (FactType.WORKER, "recruitment_fee_total"): _total_missing(
        FeeCategory.RECRUITMENT_FEE, with_wage=False
    ),
    (FactType.WORKER, "recruitment_fee_excess"): _excess_missing,
    (FactType.WORKER, "related_costs_against_destination"): _corridor_rows_missing,
    (FactType.WORKER, "recruitment_fee_over_destination_cap"): _corridor_fee_missing,
    (FactType.CONTRACT, "weekly_hours_over_limit"): lambda lin, f: lin.own(f, "weekly_hours"),
    (FactType.CONTRACT, "weekly_hours_over_forced_labour_threshold"): lambda lin, f: lin.own(
        f, "weekly_hours"
    ),
    (FactType.CONTRACT, "wage_to_latest_origin_ratio"): _against_origin_missing("monthly_wage"),
    (FactType.CONTRACT, "hours_over_latest_origin"): _against_origin_missing("weekly_hours"),
    (FactType.CONTRACT, "rest_days_against_latest_origin"): _against_origin_missing(
        "weekly_rest_days"
    ),
    (FactType.FEE, "worker_paid"): lambda lin, f: lin.undecided_payer(f.index),
    (FactType.FEE, "intermediary_licensed"): _intermediary,
}
