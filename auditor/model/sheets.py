"""The sheets of the format, in order, and where each record came from.

:data:`SHEETS` is the one list of sheets every other module walks: the
reader, the template writer, the dict reader and the strategies.
:class:`Provenance` remembers the cell of every value, so that a finding
can cite ``Fees!E31``; input given as dicts or objects is placed where the
template would put it (record ``i`` on row ``i + 2``, columns in template
order), so the same evidence reads the same way whatever the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from auditor.model.cellref import column_letters
from auditor.model.problems import sheet_rank
from auditor.model.records import (
    AuditInfo,
    Channel,
    Complaint,
    Contract,
    Employer,
    Fee,
    FxRate,
    Intermediary,
    Record,
    Source,
    Worker,
)


@dataclass(frozen=True)
class SheetSpec:
    """One sheet: its name, dataset attribute, record model and demands."""

    name: str
    key: str
    model: type[Record]
    required: bool
    min_rows: int = 0

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(n for n, f in self.model.model_fields.items() if f.is_required())


AUDIT_SHEET = SheetSpec("Audit", "audit", AuditInfo, required=True)

#: Table sheets (header row, one record a row), in the format's order.
TABLE_SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("Employers", "employers", Employer, required=True, min_rows=1),
    SheetSpec("Workers", "workers", Worker, required=True, min_rows=1),
    SheetSpec("Contracts", "contracts", Contract, required=True),
    SheetSpec("Fees", "fees", Fee, required=True),
    SheetSpec("Intermediaries", "intermediaries", Intermediary, required=False),
    SheetSpec("Channels", "channels", Channel, required=True),
    SheetSpec("Complaints", "complaints", Complaint, required=False),
    SheetSpec("FX", "fx", FxRate, required=False),
    SheetSpec("Sources", "sources", Source, required=False),
)

SHEETS: tuple[SheetSpec, ...] = (AUDIT_SHEET, *TABLE_SHEETS)
SHEET_BY_NAME: Mapping[str, SheetSpec] = {spec.name: spec for spec in SHEETS}
SHEET_BY_KEY: Mapping[str, SheetSpec] = {spec.key: spec for spec in SHEETS}

#: Sheets the template adds for people, which the reader knows and ignores.
HELPER_SHEETS: frozenset[str] = frozenset({"guide"})

#: The Audit sheet's header: a field column and a value column.
AUDIT_HEADERS = ("field", "value")
#: Format 1.2: the Audit field that says how text dates are written (``iso``, ``day_first``,
#: ``month_first``); read by the workbook reader, never part of the audit's record.
DATE_ORDER_FIELD = "date_order"


@dataclass(frozen=True)
class SheetSource:
    """Where one sheet's records sit: the column of each field, the row of each record."""

    columns: Mapping[str, int]
    rows: tuple[int, ...]
    headers: Mapping[str, str] = field(default_factory=dict)

    def cell(self, index: int, column: str) -> str | None:
        number = self.columns.get(column)
        if number is None or index >= len(self.rows):
            return None
        return f"{column_letters(number)}{self.rows[index]}"


@dataclass(frozen=True)
class Provenance:
    """Cells of every record of a dataset; ``audit_cells`` maps an Audit field to its value cell."""

    sheets: Mapping[str, SheetSource]
    audit_cells: Mapping[str, str]
    from_workbook: bool

    def cell(self, sheet: str, index: int, column: str) -> str | None:
        if sheet == AUDIT_SHEET.name:
            return self.audit_cells.get(column)
        source = self.sheets.get(sheet)
        return source.cell(index, column) if source else None

    def row(self, sheet: str, index: int) -> int:
        source = self.sheets.get(sheet)
        return source.rows[index] if source and index < len(source.rows) else index + 2

    def reordered(self, sheet: str, order: list[int]) -> Provenance:
        """The same cells after the records of ``sheet`` were put in ``order``."""
        source = self.sheets[sheet]
        moved = SheetSource(source.columns, tuple(source.rows[i] for i in order), source.headers)
        return Provenance({**self.sheets, sheet: moved}, self.audit_cells, self.from_workbook)


def canonical_columns(spec: SheetSpec) -> dict[str, int]:
    """Template column numbers of a table sheet: field order, from column A."""
    return {name: number for number, name in enumerate(spec.fields, start=1)}


def canonical_audit_cells() -> dict[str, str]:
    """Template cells of the Audit sheet's values: field ``i`` on row ``i + 2``, column B."""
    return {name: f"B{row}" for row, name in enumerate(AUDIT_SHEET.fields, start=2)}


def canonical_provenance(counts: Mapping[str, int]) -> Provenance:
    """Provenance of input that did not come from a workbook: the template's cells."""
    sheets = {
        spec.name: SheetSource(
            canonical_columns(spec),
            tuple(range(2, counts.get(spec.name, 0) + 2)),
            {name: name for name in spec.fields},
        )
        for spec in TABLE_SHEETS
    }
    return Provenance(sheets, canonical_audit_cells(), from_workbook=False)


class WorkbookLocator:
    """Renders problem places as ``Sheet!E7``, ``Sheet!column``, ``Sheet`` or ``file``."""

    dataset = False

    def __init__(self, provenance: Provenance) -> None:
        self.provenance = provenance

    def file(self) -> tuple[str, tuple[int, int, int, str]]:
        return "file", (-1, 0, 0, "")

    def sheet(self, sheet: str) -> tuple[str, tuple[int, int, int, str]]:
        return sheet, (sheet_rank(sheet), -1, 0, "")

    def record(self, sheet: str, index: int) -> tuple[str, tuple[int, int, int, str]]:
        row = self.provenance.row(sheet, index)
        return f"{sheet} (row {row})", (sheet_rank(sheet), row, 0, "")

    def column(self, sheet: str, column: str) -> tuple[str, tuple[int, int, int, str]]:
        source = self.provenance.sheets.get(sheet)
        shown = source.headers.get(column, column) if source else column
        number = source.columns.get(column, 0) if source else 0
        return f"{sheet}!{shown}", (sheet_rank(sheet), 0, number, "")

    def cell(self, sheet: str, index: int, column: str) -> tuple[str, tuple[int, int, int, str]]:
        cell = self.provenance.cell(sheet, index, column)
        if sheet == AUDIT_SHEET.name:
            if cell is None:
                return self.sheet(sheet)
            row = int("".join(ch for ch in cell if ch.isdigit()))
            return f"{sheet}!{cell}", (sheet_rank(sheet), row, 2, "")
        row = self.provenance.row(sheet, index)
        if cell is None:
            where, _ = self.column(sheet, column)
            return f"{where} (row {row})", (sheet_rank(sheet), row, 0, "")
        source = self.provenance.sheets[sheet]
        return f"{sheet}!{cell}", (sheet_rank(sheet), row, source.columns[column], "")


class DataLocator:
    """Renders problem places as JSON paths: ``fees[3].amount``, ``audit.currency``, ``workers``."""

    dataset = True

    def file(self) -> tuple[str, tuple[int, int, int, str]]:
        return "input", (-1, 0, 0, "")

    def sheet(self, sheet: str) -> tuple[str, tuple[int, int, int, str]]:
        return SHEET_BY_NAME[sheet].key if sheet in SHEET_BY_NAME else sheet, (
            sheet_rank(sheet),
            -1,
            0,
            "",
        )

    def record(self, sheet: str, index: int) -> tuple[str, tuple[int, int, int, str]]:
        key = SHEET_BY_NAME[sheet].key if sheet in SHEET_BY_NAME else sheet
        return f"{key}[{index}]", (sheet_rank(sheet), index, 0, "")

    def column(self, sheet: str, column: str) -> tuple[str, tuple[int, int, int, str]]:
        key = SHEET_BY_NAME[sheet].key if sheet in SHEET_BY_NAME else sheet
        return f"{key}[*].{column}", (sheet_rank(sheet), 0, field_rank(sheet, column), "")

    def cell(self, sheet: str, index: int, column: str) -> tuple[str, tuple[int, int, int, str]]:
        spec = SHEET_BY_NAME.get(sheet)
        key = spec.key if spec else sheet
        rank = field_rank(sheet, column)
        if spec is AUDIT_SHEET:
            return f"{key}.{column}", (sheet_rank(sheet), rank, 0, "")
        return f"{key}[{index}].{column}", (sheet_rank(sheet), index, rank, "")


def field_rank(sheet: str, column: str) -> int:
    """A field's place in its record (from 1), as the template orders columns; unknown last."""
    spec = SHEET_BY_NAME.get(sheet)
    if spec is None or column not in spec.fields:
        return len(spec.fields) if spec else 0
    return spec.fields.index(column) + 1
