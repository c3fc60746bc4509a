"""A table sheet (header row, one record a row) to raw rows, every problem with its cell.

The header row is matched to the sheet's fields as the format says; each
data row becomes a dict of field to raw cell value, the hot loop of reading
a workbook. Cells that must not reach validation (a formula with no saved
result, an error cell, anything :mod:`.cells` refuses) are set aside with
their message, so that validation neither sees them nor reports them twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from auditor.base.limits import Limits
from auditor.ingest.cells import (
    Checks,
    Refusal,
    guard_of,
    is_blank_row,
    label,
    place,
    suspect,
    too_long,
)
from auditor.ingest.columnar import CleanSheet, read_clean
from auditor.ingest.loader import MergedRange
from auditor.ingest.records import read_table
from auditor.model.cellref import column_letters
from auditor.model.codes import Code
from auditor.model.consistency import ReadSheets
from auditor.model.messages import Message
from auditor.model.problems import Level, Problems
from auditor.model.sheets import SheetSource, SheetSpec
from auditor.model.values import is_empty, normalise_name, shown

UNREADABLE_MESSAGES = {
    "formula": Refusal(
        Message(
            "the formula here has no saved result; open the workbook in a spreadsheet program, "
            "let it calculate, save it and try again"
        ),
        Code.FORMULA_WITHOUT_RESULT,
    ),
    "error": Refusal(
        Message(
            "the cell holds a spreadsheet error (such as #N/A or #DIV/0!); enter the value itself"
        ),
        Code.ERROR_CELL,
    ),
}


@dataclass
class Sheet:
    """One loaded sheet: its rows of cells, unreadable cells and merged ranges."""

    spec: SheetSpec
    rows: Sequence[Sequence[object]]
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[MergedRange] = field(default_factory=list)


@dataclass
class _Header:
    """What row 1 says: field to 0-based column, header as written, unusable columns."""

    columns: dict[str, int] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    unnamed: list[int] = field(default_factory=list)
    ambiguous: set[str] = field(default_factory=set)


def _header_map(sheet: Sheet, problems: Problems, limits: Limits) -> _Header:
    """Match row 1 to the sheet's fields; a header given twice makes both columns unusable."""
    header = _Header()
    first_column: dict[str, int] = {}
    spec = sheet.spec
    for index, cell in enumerate(sheet.rows[0] if sheet.rows else []):
        if cell is None or (isinstance(cell, str) and cell.strip() == ""):
            header.unnamed.append(index)
            continue
        reference = f"{column_letters(index + 1)}1"
        text = str(cell).strip()
        if len(text) > limits.max_cell_chars:
            problems.at_cell(
                spec.name,
                reference,
                too_long(Message("the header"), len(text), limits.max_cell_chars),
                code=Code.TEXT_TOO_LONG,
            )
            continue
        name = normalise_name(text)
        if name in first_column:
            # Which of the two columns holds the field is anyone's guess: use neither.
            problems.at_cell(
                spec.name,
                reference,
                Message(
                    "the header %(header)s repeats column %(column)s; each column must appear once",
                    header=shown(text),
                    column=column_letters(first_column[name] + 1),
                ),
                code=Code.DUPLICATE_HEADER,
            )
            header.ambiguous.add(name)
            continue
        first_column[name] = index
        if name not in spec.fields:
            problems.at_column(
                spec.name,
                place(text),
                index + 1,
                Message("unknown column ignored"),
                Level.WARNING,
                code=Code.UNKNOWN_COLUMN,
            )
            continue
        header.columns[name] = index
        header.written[name] = label(text)
    for name in header.ambiguous:
        header.columns.pop(name, None)
    return header


@dataclass
class _Rows:
    """A sheet's data rows as raw values, and the cells set aside with their message."""

    values: list[dict[str, object]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    skip: dict[tuple[int, str], Refusal] = field(default_factory=dict)
    ignored_columns: set[int] = field(default_factory=set)


def _collect_rows(sheet: Sheet, header: _Header, limits: Limits) -> _Rows:
    """Raw values of every non-empty row, by field: the exact reading of a sheet.

    The checks of :mod:`.cells` cost a function call, so each column's guard
    decides with one cheap test (:func:`.cells.suspect`) whether a cell needs
    them at all.
    """
    spec = sheet.spec
    checks = Checks(spec.model, limits, from_workbook=True)
    required = set(spec.required_fields)
    # (field, column, required?, guard) once, not per cell.
    plan = [
        (name, column, name in required, guard_of(checks.kinds[name]))
        for name, column in header.columns.items()
    ]
    unreadable = sheet.unreadable
    limit = limits.max_cell_chars
    rows = _Rows()
    for offset, row in enumerate(sheet.rows[1:], start=2):
        if is_blank_row(row):
            continue
        index = len(rows.values)
        values: dict[str, object] = {}
        for name, column, needed, guard in plan:
            value = row[column]
            if value == "":
                # A blank optional cell is left out: the model's default, None, is
                # "unknown", and the commonest cell costs no validator call.
                if needed:
                    values[name] = value
                continue
            refusal = checks.problem(name, value) if suspect(value, guard, limit) else None
            if refusal is not None:
                rows.skip[(index, name)] = refusal
                values[name] = None
            else:
                values[name] = value
        if unreadable:
            for name, column, _, _ in plan:
                mark = unreadable.get((offset, column + 1))
                if mark is not None:
                    rows.skip[(index, name)] = UNREADABLE_MESSAGES[mark]
                    values[name] = None
        for column in header.unnamed:
            if not is_empty(row[column]):
                rows.ignored_columns.add(column)
        rows.numbers.append(offset)
        rows.values.append(values)
    return rows


def merged_problems(
    sheet: Sheet, columns: set[int], problems: Problems, *, sheet_name: str
) -> None:
    """A merged range over columns that are read is an error: only its first cell has a value.

    The other cells of the range read as empty, so a value merged down four
    rows would count for one record and be "not recorded" for three, which
    no warning could make right.
    """
    for (first_row, first_column), (last_row, last_column) in sheet.merged:
        if not any(first_column <= column <= last_column for column in columns):
            continue
        first = f"{column_letters(first_column + 1)}{first_row + 1}"
        last = f"{column_letters(last_column + 1)}{last_row + 1}"
        problems.at_cell(
            sheet_name,
            first,
            Message(
                "cells %(first)s:%(last)s are merged; only the first of merged cells holds a value "
                "and the others read as empty: unmerge them and fill in every cell",
                first=first,
                last=last,
            ),
            code=Code.MERGED_CELLS,
        )


def read_table_sheet(
    sheet: Sheet,
    sources: dict[str, SheetSource],
    read: ReadSheets,
    problems: Problems,
    limits: Limits,
) -> None:
    """Validate one table sheet into ``read``, adding every problem with its cell."""
    spec = sheet.spec
    header = _header_map(sheet, problems, limits)
    merged_problems(sheet, set(header.columns.values()), problems, sheet_name=spec.name)
    columns = header.columns
    missing = [
        name
        for name in spec.required_fields
        if name not in columns and name not in header.ambiguous
    ]
    if not missing and not header.ambiguous:
        clean = read_clean(spec, sheet.rows, columns, header.unnamed, sheet.unreadable, limits)
        if clean is not None:
            _keep_clean(spec, clean, header, sources=sources, read=read, problems=problems)
            return
    rows = _collect_rows(sheet, header, limits)
    sources[spec.name] = SheetSource(
        {name: index + 1 for name, index in columns.items()}, tuple(rows.numbers), header.written
    )
    for name in missing:
        problems.column(
            spec.name, name, Message("required column is missing"), code=Code.MISSING_COLUMN
        )
    for (index, name), refusal in sorted(rows.skip.items()):
        problems.cell(spec.name, index, name, refusal.message, code=refusal.code)
    _unnamed_columns(spec, rows.ignored_columns, problems)
    records, ids = read_table(
        spec,
        rows.values,
        problems,
        absent_columns={*missing, *header.ambiguous},
        skip=rows.skip.keys(),
        partial=read.partial.setdefault(spec.name, []),
    )
    read.records[spec.name] = records
    read.ids[spec.name] = ids
    read.counts[spec.name] = len(rows.values)


def _keep_clean(
    spec: SheetSpec,
    clean: CleanSheet,
    header: _Header,
    *,
    sources: dict[str, SheetSource],
    read: ReadSheets,
    problems: Problems,
) -> None:
    """A sheet the column reader read: what :func:`read_table_sheet` keeps of any sheet.

    No required column is missing and no cell was set aside, so the only
    problems are the warnings for values under no header, as on the exact path.
    """
    sources[spec.name] = SheetSource(
        {name: index + 1 for name, index in header.columns.items()},
        tuple(clean.numbers),
        header.written,
    )
    _unnamed_columns(spec, clean.ignored_columns, problems)
    read.partial.setdefault(spec.name, [])
    read.records[spec.name] = list(enumerate(clean.records))
    read.ids[spec.name] = clean.ids
    read.counts[spec.name] = len(clean.numbers)
    read.columns.update(((spec.name, name), values) for name, values in clean.columns.items())


def _unnamed_columns(spec: SheetSpec, columns: set[int], problems: Problems) -> None:
    for column in sorted(columns):
        problems.at_column(
            spec.name,
            column_letters(column + 1),
            column + 1,
            Message("values in a column with no header were ignored"),
            Level.WARNING,
            code=Code.UNNAMED_COLUMN,
        )
