"""The outcome's fast cell lookups against the plain forms they replaced (issue 26 item 4).

Evidence and data gaps place each cited cell with one look at its sheet
(``_Sheet.place``) instead of asking the provenance for the cell and the row
separately; rounding keeps each currency's quantum. Both must give exactly
what the plain forms give, on any provenance: rows past the end of the sheet,
columns the workbook does not have, a sheet with no provenance at all.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.model.problems import sheet_rank
from auditor.model.sheets import Provenance, SheetSource
from auditor.verdict.money import minor_unit, round_amount
from auditor.verdict.outcome import _Sheet

_COLUMNS = ("amount", "category", "fee_id", "paid_by", "refunded_amount")


def _plain(provenance: Provenance, sheet: str, index: int, column: str) -> tuple[object, ...]:
    """The key and cell as ``Assembler`` made them before: ``Provenance.cell`` and ``.row``."""
    source = provenance.sheets.get(sheet)
    number = source.columns.get(column, 0) if source else 0
    key = (sheet_rank(sheet), provenance.row(sheet, index), number)
    return key, provenance.cell(sheet, index, column)


@settings(max_examples=200, deadline=None)
@given(
    columns=st.dictionaries(st.sampled_from(_COLUMNS), st.integers(1, 60), max_size=4),
    rows=st.lists(st.integers(2, 100_000), max_size=6).map(tuple),
    present=st.booleans(),
    cited=st.lists(st.tuples(st.integers(0, 8), st.sampled_from(_COLUMNS)), max_size=12),
)
def test_a_cell_is_placed_as_the_provenance_says(
    columns: dict[str, int],
    rows: tuple[int, ...],
    present: bool,
    cited: list[tuple[int, str]],
) -> None:
    sources = {"Fees": SheetSource(columns, rows)} if present else {}
    provenance = Provenance(sources, {}, from_workbook=True)
    sheet = _Sheet(
        rank=sheet_rank("Fees"),
        records=[],
        id_field="fee_id",
        columns=columns if present else {},
        rows=rows if present else None,
    )
    for index, column in cited:  # twice each: the second answer comes from the letters kept
        assert sheet.place(index, column) == _plain(provenance, "Fees", index, column)
        assert sheet.place(index, column) == _plain(provenance, "Fees", index, column)


@given(
    amount=st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-10**9,
                       max_value=10**9),
    currency=st.sampled_from(["USD", "KWD", "JPY", "PHP", "XAU", "BHD"]),
)  # fmt: skip
def test_rounding_with_the_kept_quantum_is_the_plain_rounding(
    amount: Decimal, currency: str
) -> None:
    plain = amount.quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_UP)
    assert round_amount(amount, currency) == plain
    assert str(round_amount(amount, currency)) == str(plain)
