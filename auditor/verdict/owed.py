"""Money owed to workers, row by row, net of refunds (rule catalogue, "Money owed").

The outcome stage tells the ledger which fee rows a finding shows to be
unlawful (FEE-01, FEE-02, FEE-03: the whole row), which excess over a cap
a FEE-06 finding shows (her total above the cap, not split across rows),
and which rows could not be decided. The ledger then settles, in exact
decimals:

- a row owed in full is owed its amount less its refund (a refund is at
  most its row's amount, so never below zero);
- under FEE-06 she is owed her certain recruitment fee total less the
  refunds on those rows, above the cap, never below zero;
- a refund on any other row (not borne by her, lawful, or undetermined)
  is not counted, and is a warning naming its cell;
- a row whose amount owed is undecided is listed whatever else the worker
  has, unless it is owed on another finding;
- a worker appears in the amounts only when owed more than zero after
  rounding (half up, to the audit currency's minor unit).

Refunds never change a finding: the fee was charged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from auditor.enrich.context import Context
from auditor.model.enums import FeeCategory
from auditor.model.result import UndeterminedRow
from auditor.model.sheets import Provenance
from auditor.verdict.money import round_amount

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Settlement:
    """What the ledger settled: rounded amounts by worker, undetermined rows, warnings."""

    owed: dict[str, Decimal]
    refunded: dict[str, Decimal]
    undetermined: list[UndeterminedRow]
    warnings: list[str]


@dataclass
class Ledger:
    """The money side of one audit's findings, kept by fee row."""

    ctx: Context
    rows: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    excess: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    excess_rows: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    undecided: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    #: Rows a DEST-01 finding concerns (catalogue 1.3): their refunds are shown beside that
    #: finding, so a refund on one that owes nothing is no warning.
    shown_beside: set[int] = field(default_factory=set)
    #: Each row's refund and net amount in the audit currency, converted once: the findings
    #: and the settling ask for the same rows again (31,829 workers owed in the dense 50,000).
    _refunds: dict[int, Decimal] = field(default_factory=dict, repr=False)
    _nets: dict[int, Decimal] = field(default_factory=dict, repr=False)

    # -- what the findings show ------------------------------------------------------------
    def owe_rows(self, worker_id: str, indexes: Iterable[int]) -> Decimal:
        """Rows owed in full; returns what they make owed, net of their refunds."""
        own = set(indexes)
        self.rows[worker_id].update(own)
        return sum((self.net(i) for i in own), _ZERO)

    def owe_excess(self, worker_id: str, excess: Decimal) -> Decimal:
        """Her certain recruitment fee total above the cap (before refunds); returns it net.

        The refunds counted are those on the rows that make that total: her
        recruitment fee rows she certainly bore.
        """
        rows = self.recruitment_rows(worker_id, certain=True)
        self.excess[worker_id] += excess
        self.excess_rows[worker_id].update(rows)
        return max(_ZERO, excess - sum((self.refund(i) for i in rows), _ZERO))

    def undetermined(self, worker_id: str, indexes: Iterable[int]) -> None:
        self.undecided[worker_id].update(indexes)

    # -- rows -----------------------------------------------------------------------------
    def amount(self, index: int) -> Decimal:
        fee = self.ctx.dataset.fees[index]
        return self.ctx.convert(fee.amount, fee.currency)

    def refund(self, index: int) -> Decimal:
        made = self._refunds.get(index)
        if made is None:
            fee = self.ctx.dataset.fees[index]
            made = self._refunds[index] = (
                self.ctx.convert(fee.refunded_amount, fee.currency)
                if fee.refunded_amount
                else _ZERO
            )
        return made

    def net(self, index: int) -> Decimal:
        """A row's amount less its refund, in the audit currency (never below zero)."""
        made = self._nets.get(index)
        if made is None:
            made = self._nets[index] = max(_ZERO, self.amount(index) - self.refund(index))
        return made

    def recruitment_rows(self, worker_id: str, *, certain: bool) -> set[int]:
        """Her recruitment fee rows she bore (``certain``) or may have borne (else)."""
        fees = self.ctx.dataset.fees
        wanted = (True,) if certain else (True, None)
        return {
            i
            for i in self.ctx.fees_of.get(worker_id, [])
            if fees[i].category is FeeCategory.RECRUITMENT_FEE
            and self.ctx.worker_paid(fees[i]) in wanted
        }

    # -- settling -------------------------------------------------------------------------
    def settle(self, provenance: Provenance) -> Settlement:
        currency = self.ctx.dataset.audit.currency
        owed: dict[str, Decimal] = {}
        refunded: dict[str, Decimal] = {}
        workers = sorted(set(self.rows) | set(self.excess))
        for worker_id in workers:
            rows = self.rows.get(worker_id, set())
            excess_rows = self.excess_rows.get(worker_id, set())
            excess = self.excess.get(worker_id, _ZERO)
            refunds_on_excess = sum((self.refund(i) for i in excess_rows), _ZERO)
            total = sum((self.net(i) for i in rows), _ZERO)
            if worker_id in self.excess:
                total += max(_ZERO, excess - refunds_on_excess)
            amount = round_amount(total, currency)
            if amount > 0:
                owed[worker_id] = amount
            back = round_amount(
                sum((self.refund(i) for i in rows), _ZERO) + refunds_on_excess, currency
            )
            if back > 0:
                refunded[worker_id] = back
        fees = self.ctx.dataset.fees
        ordered = sorted(
            (worker_id, provenance.row("Fees", index), index)
            for worker_id, indexes in self.undecided.items()
            for index in indexes
            if index not in self.rows.get(worker_id, set())
        )
        undetermined = [
            UndeterminedRow(
                worker_id=worker_id,
                cell=amount_cell(provenance, index) if provenance.from_workbook else None,
                record_id=fees[index].fee_id,
                path=None if provenance.from_workbook else f"fees[{row - 2}].amount",
            )
            for worker_id, row, index in ordered
        ]
        return Settlement(owed, refunded, undetermined, self._refund_warnings(provenance))

    def _refund_warnings(self, provenance: Provenance) -> list[str]:
        """One warning per refund that counts nowhere, in row order (not record order: a
        shuffled dataset keeps its cells), naming its cell."""
        counted = {i for rows in (*self.rows.values(), *self.excess_rows.values()) for i in rows}
        undecided = {i for rows in self.undecided.values() for i in rows}
        warnings: list[tuple[int, str]] = []
        for index, fee in enumerate(self.ctx.dataset.fees):
            if not fee.refunded_amount or index in counted or index in self.shown_beside:
                continue
            cell = provenance.cell("Fees", index, "refunded_amount")
            if not provenance.from_workbook:  # dataset input: the record's path and id
                given = provenance.row("Fees", index) - 2
                where = f"fees[{given}].refunded_amount ({fee.fee_id})"
            elif cell:
                where = f"Fees!{cell}"
            else:
                where = f"Fees!refunded_amount (row {provenance.row('Fees', index)})"
            if index in undecided:
                why = "the amount owed on this row is undetermined"
            elif self.ctx.worker_paid(fee) is False:
                why = "the worker did not bear this row"
            else:
                why = "no finding shows this row unlawful"
            text = f"{where}: refund not counted in the money owed: {why}"
            warnings.append((provenance.row("Fees", index), text))
        return [text for _, text in sorted(warnings)]


def amount_cell(provenance: Provenance, index: int) -> str:
    """``Fees!E9``: the amount cell of fee row ``index``."""
    cell = provenance.cell("Fees", index, "amount")
    return f"Fees!{cell}" if cell else f"Fees!amount (row {provenance.row('Fees', index)})"


def cell_order(cell: str) -> tuple[int, str]:
    """Sort key of a cell reference by row number: ``Fees!E9`` before ``Fees!E10``."""
    digits = "".join(ch for ch in cell.rsplit("!", maxsplit=1)[-1] if ch.isdigit())
    return int(digits or 0), cell
