"""A dataset as the few rows that matter, sheet by sheet, the way the workbook shows them.

A rule author reads a counterexample in the terms of the workbook she
knows (``Fees``, ``paid_by``, ``yes``), not as a Python repr of pydantic
models. Tables are Markdown pipe tables, padded to line up, so the same
text reads well in a terminal and renders in the generated rule pages.
Workers appear only under their pseudonymous ids: no free text of a
record is shown unless its column was asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from auditor.enrich.lineage import CellRef
from auditor.model.dataset import AuditDataset
from auditor.model.records import Record
from auditor.model.sheets import AUDIT_SHEET, SHEET_BY_NAME, TABLE_SHEETS
from auditor.model.values import describe

EMPTY = "(empty)"


def cell_text(value: object) -> str:
    """One value as a clerk would type it: ``yes``, ``2026-06-30``, ``tl, en``, ``(empty)``."""
    if value is None:
        return EMPTY
    return describe(value).replace("|", "\\|").replace("\n", " ")


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A padded Markdown pipe table."""
    widths = [max(3, len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return "\n".join(
        [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)]
    )


def show_dataset(dataset: AuditDataset, cells: Iterable[CellRef] | None = None) -> str:
    """The dataset as tables, sheet by sheet in the format's order.

    With ``cells``, only their rows and columns (each row keeps its id
    column, so it can be found in the workbook); without, every record and
    every column that has a value.
    """
    chosen: dict[str, dict[int, set[str]]] = {}
    if cells is not None:
        for ref in cells:
            chosen.setdefault(ref.sheet, {}).setdefault(ref.index, set()).add(ref.column)
    parts: list[str] = []
    audit_columns = (
        chosen.get(AUDIT_SHEET.name, {}).get(0, set())
        if cells is not None
        else {n for n in AUDIT_SHEET.fields if getattr(dataset.audit, n) is not None}
    )
    if audit_columns:
        rows = [
            [name, cell_text(getattr(dataset.audit, name))]
            for name in AUDIT_SHEET.fields
            if name in audit_columns
        ]
        parts.append(f"{AUDIT_SHEET.name}\n{table(['field', 'value'], rows)}")
    for spec in TABLE_SHEETS:
        records: tuple[Record, ...] = getattr(dataset, spec.key)
        if cells is None:
            picked = {i: set(spec.fields) for i in range(len(records))}
        else:
            picked = chosen.get(spec.name, {})
        if not picked:
            continue
        parts.append(f"{spec.name}\n{_sheet_table(spec.name, records, picked, cells is None)}")
    return "\n\n".join(parts) if parts else "(no rows)"


def _sheet_table(
    sheet: str, records: Sequence[Record], picked: dict[int, set[str]], only_filled: bool
) -> str:
    spec = SHEET_BY_NAME[sheet]
    id_field = spec.model.ID_FIELD or spec.fields[0]
    wanted = set().union(*picked.values()) | {id_field}
    indexes = sorted(i for i in picked if i < len(records))
    columns = [
        name
        for name in spec.fields
        if name in wanted
        and (
            name == id_field
            or not only_filled
            or any(getattr(records[i], name) is not None for i in indexes)
        )
    ]
    rows = [[cell_text(getattr(records[i], name)) for name in columns] for i in indexes]
    return table(columns, rows)


def describe_cell(dataset: AuditDataset, ref: CellRef) -> str:
    """``Workers W1 briefing_received`` (the record by its id, as a rule author finds it)."""
    if ref.sheet == AUDIT_SHEET.name:
        return f"Audit {ref.column}"
    spec = SHEET_BY_NAME[ref.sheet]
    record = getattr(dataset, spec.key)[ref.index]
    id_field = spec.model.ID_FIELD or spec.fields[0]
    return f"{ref.sheet} {getattr(record, id_field)} {ref.column}"
