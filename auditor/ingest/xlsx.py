"""Reading an inspection workbook (.xlsx) into an :class:`AuditDataset`.

Values come from python-calamine (fast: about ten times openpyxl's
read-only mode); the zip and XML checks of :mod:`.package` cover what
calamine cannot see. Headers and sheet names are matched as the format
says, every problem is collected with its cell, and nothing is returned
unless the whole workbook is valid.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

from auditor.errors import InvalidInput, LimitExceeded
from auditor.gcpause import paused_gc
from auditor.ingest.package import PackageProblem, SheetPart, open_package, sniff, unreadable_cells
from auditor.ingest.records import read_fields, read_table
from auditor.limits import DEFAULT_LIMITS, Limits
from auditor.model.columns import Kind, kind_of
from auditor.model.consistency import ReadSheets, check_consistency
from auditor.model.dataset import AuditDataset
from auditor.model.problems import Level, Problems, ValidationReport
from auditor.model.records import AuditInfo
from auditor.model.sheets import (
    AUDIT_HEADERS,
    AUDIT_SHEET,
    HELPER_SHEETS,
    SHEET_BY_NAME,
    SHEETS,
    TABLE_SHEETS,
    Provenance,
    SheetSource,
    SheetSpec,
    WorkbookLocator,
)
from auditor.model.values import is_empty, normalise_name, shown
from auditor.profiles import ProfileSet

_KNOWN = {normalise_name(spec.name): spec for spec in SHEETS}
_TEXTUAL = {Kind.ID, Kind.TEXT, Kind.LANGUAGES}
_UNREADABLE_MESSAGES = {
    "formula": (
        "the formula here has no saved result; open the workbook in a spreadsheet program, "
        "let it calculate, save it and try again"
    ),
    "error": "the cell holds a spreadsheet error (such as #N/A or #DIV/0!); enter the value itself",
}


@dataclass
class _Sheet:
    spec: SheetSpec
    part: SheetPart
    rows: Sequence[Sequence[object]]
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)


def check_workbook(
    path: str | Path,
    profiles: ProfileSet,
    *,
    jurisdiction: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[AuditDataset | None, ValidationReport]:
    """Read and validate a workbook; the dataset is ``None`` unless there is no error."""
    with paused_gc():
        return _check_workbook(Path(path), profiles, jurisdiction, limits)


def _check_workbook(
    path: Path, profiles: ProfileSet, jurisdiction: str | None, limits: Limits
) -> tuple[AuditDataset | None, ValidationReport]:
    sources: dict[str, SheetSource] = {}
    audit_cells: dict[str, str] = {}
    provenance = Provenance(sources, audit_cells, from_workbook=True)
    problems = Problems(WorkbookLocator(provenance))
    try:
        sniff(path, limits)
        package = open_package(path, limits)
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except PackageProblem as problem:
        problems.file(str(problem))
        return None, _report(problems)
    except (python_calamine.CalamineError, OSError, ValueError) as error:
        problems.file(f"the file is damaged and cannot be read as a workbook ({_short(error)})")
        return None, _report(problems)
    if package.has_macros:
        problems.file("the workbook contains macros; they were not run", Level.WARNING)
    sheets = list(_find_sheets(package, problems).values())
    read = ReadSheets(audit=None, present={spec.name for spec, _ in sheets})
    cells = 0
    # python-calamine parses a sheet without holding the GIL, so one thread parses the
    # next sheet while this one validates the last: about a third off a large workbook.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="auditor-sheets") as pool:
        futures = [
            pool.submit(_load_sheet, book, path, spec, part, limits) for spec, part in sheets
        ]
        for future in futures:
            loaded = future.result()
            spec, part = loaded.spec, loaded.part
            cells += loaded.cells
            if loaded.over_limit or cells > limits.max_total_cells:
                for pending in futures:
                    pending.cancel()
                if loaded.over_limit:
                    problems.sheet(spec.name, loaded.over_limit)
                else:
                    problems.file(
                        f"the workbook has over {limits.max_total_cells:,} cells, the limit"
                    )
                raise LimitExceeded(problems.errors, problems.warnings)
            if loaded.damage:
                problems.sheet(
                    spec.name, f"the sheet is damaged and cannot be read ({loaded.damage})"
                )
                continue
            sheet = _Sheet(spec, part, loaded.rows, _cell_marks(loaded.marks))
            if part.hidden:
                problems.sheet(
                    spec.name, "the sheet is hidden; it was read all the same", Level.WARNING
                )
            if spec is AUDIT_SHEET:
                read.audit, read.audit_values = _read_audit_sheet(
                    sheet, audit_cells, problems, limits
                )
            else:
                _read_table_sheet(sheet, sources, read, problems, limits)
            loaded.rows = []  # let the sheet's cells go before the next one is validated
    # Cross-sheet checks run on whatever could be read, so every problem is listed at once.
    check_consistency(read, problems, profiles, jurisdiction)
    if problems or read.audit is None:
        return None, _report(problems)
    dataset = _assemble(read.audit, read)
    dataset.with_provenance(provenance, _sha256(path))
    return dataset, _report(problems)


def _report(problems: Problems) -> ValidationReport:
    return ValidationReport(problems.errors, problems.warnings)


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _find_sheets(package: object, problems: Problems) -> dict[str, tuple[SheetSpec, SheetPart]]:
    from auditor.ingest.package import Package

    assert isinstance(package, Package)
    found: dict[str, tuple[SheetSpec, SheetPart]] = {}
    for part in package.sheets:
        key = normalise_name(part.name)
        spec = _KNOWN.get(key)
        if spec is None:
            if key not in HELPER_SHEETS:
                problems.sheet(part.name, "unknown sheet ignored", Level.WARNING)
            continue
        if spec.name in found:
            first = found[spec.name][1].name
            problems.sheet(
                spec.name,
                f"two sheets are named {spec.name} once case, spaces and hyphens are ignored "
                f'("{first}" and "{part.name}"); keep one',
            )
            continue
        found[spec.name] = (spec, part)
    for spec in SHEETS:
        if spec.required and spec.name not in found:
            problems.sheet(spec.name, "required sheet is missing")
    return found


@dataclass
class _LoadedSheet:
    """One sheet as the loader thread hands it over: cells, or why there are none."""

    spec: SheetSpec
    part: SheetPart
    rows: Sequence[Sequence[object]] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)
    cells: int = 0
    over_limit: str = ""
    damage: str = ""


def _load_sheet(
    book: python_calamine.CalamineWorkbook,
    path: Path,
    spec: SheetSpec,
    part: SheetPart,
    limits: Limits,
) -> _LoadedSheet:
    """Parse one sheet (in the loader thread) and check its size before anyone reads it."""
    loaded = _LoadedSheet(spec, part)
    try:
        sheet = book.get_sheet_by_name(part.name)
        height, width = sheet.total_height, sheet.total_width
        loaded.cells = height * width
        if height > limits.max_rows_per_sheet:
            loaded.over_limit = (
                f"the sheet has {height:,} rows, over the limit of {limits.max_rows_per_sheet:,}"
            )
        elif width > limits.max_columns_per_sheet:
            loaded.over_limit = (
                f"the sheet has {width:,} columns, over the limit of "
                f"{limits.max_columns_per_sheet:,}"
            )
        else:
            loaded.rows = sheet.to_python(skip_empty_area=False)
            loaded.marks = unreadable_cells(path, part.member)
    except (python_calamine.CalamineError, OSError, ValueError, KeyError) as error:
        loaded.damage = _short(error)
    return loaded


def _cell_marks(marks: dict[str, str]) -> dict[tuple[int, int], str]:
    out = {}
    for reference, kind in marks.items():
        letters, row = coordinate_from_string(reference)
        out[(row, column_index_from_string(letters))] = kind
    return out


def _is_blank_row(row: Sequence[object]) -> bool:
    """Every cell empty (blank or an empty marker); the first real value ends the search."""
    if row.count("") == len(row):
        return True
    for cell in row:
        if cell == "":
            continue
        if cell.__class__ is not str or (len(cell) > 16 and not cell[0].isspace()):
            return False
        if not is_empty(cell):
            return False
    return True


@dataclass
class _Header:
    """What row 1 says: field to 0-based column, header as written, unusable columns."""

    columns: dict[str, int] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)
    unnamed: list[int] = field(default_factory=list)
    ambiguous: set[str] = field(default_factory=set)


def _header_map(sheet: _Sheet, problems: Problems) -> _Header:
    """Match row 1 to the sheet's fields; a header given twice makes both columns unusable."""
    header = _Header()
    first_column: dict[str, int] = {}
    spec = sheet.spec
    for index, cell in enumerate(sheet.rows[0] if sheet.rows else []):
        if cell is None or (isinstance(cell, str) and cell.strip() == ""):
            header.unnamed.append(index)
            continue
        text = str(cell).strip()
        name = normalise_name(text)
        if name in first_column:
            # Which of the two columns holds the field is anyone's guess: use neither.
            problems.at_cell(
                spec.name,
                f"{get_column_letter(index + 1)}1",
                f"the header {shown(text)} repeats column "
                f"{get_column_letter(first_column[name] + 1)}; each column must appear once",
            )
            header.ambiguous.add(name)
            continue
        first_column[name] = index
        if name not in spec.fields:
            problems.at_column(spec.name, text, index + 1, "unknown column ignored", Level.WARNING)
            continue
        header.columns[name] = index
        header.written[name] = text
    for name in header.ambiguous:
        header.columns.pop(name, None)
    return header


@dataclass
class _Rows:
    """A sheet's data rows as raw values, and the cells already set aside."""

    values: list[dict[str, object]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    skip: set[tuple[int, str]] = field(default_factory=set)
    ignored_columns: set[int] = field(default_factory=set)


def _collect_rows(sheet: _Sheet, header: _Header, limits: Limits) -> _Rows:
    """Raw values of every non-empty row, by field; the hot loop of reading a workbook."""
    spec = sheet.spec
    required = set(spec.required_fields)
    textual = {n for n, info in spec.model.model_fields.items() if kind_of(info) in _TEXTUAL}
    # (field, column, required?, may hold long text?) once, not per cell.
    plan = [
        (name, column, name in required, name in textual) for name, column in header.columns.items()
    ]
    unreadable = sheet.unreadable
    limit = limits.max_cell_chars
    rows = _Rows()
    for offset, row in enumerate(sheet.rows[1:], start=2):
        if _is_blank_row(row):
            continue
        index = len(rows.values)
        values: dict[str, object] = {}
        for name, column, needed, long_text in plan:
            value = row[column]
            if value == "":
                # A blank optional cell is left out: the model's default, None, is
                # "unknown", and the commonest cell costs no validator call.
                if needed:
                    values[name] = value
            elif long_text and value.__class__ is str and len(value) > limit:
                rows.skip.add((index, name))
                values[name] = None
            else:
                values[name] = value
        if unreadable:
            for name, column, _, _ in plan:
                if (offset, column + 1) in unreadable:
                    rows.skip.add((index, name))
                    values[name] = None
        for column in header.unnamed:
            if not is_empty(row[column]):
                rows.ignored_columns.add(column)
        rows.numbers.append(offset)
        rows.values.append(values)
    return rows


def _read_table_sheet(
    sheet: _Sheet,
    sources: dict[str, SheetSource],
    read: ReadSheets,
    problems: Problems,
    limits: Limits,
) -> None:
    spec = sheet.spec
    header = _header_map(sheet, problems)
    rows = _collect_rows(sheet, header, limits)
    columns = header.columns
    sources[spec.name] = SheetSource(
        {name: index + 1 for name, index in columns.items()}, tuple(rows.numbers), header.written
    )
    missing = [
        name
        for name in spec.required_fields
        if name not in columns and name not in header.ambiguous
    ]
    for name in missing:
        problems.column(spec.name, name, "required column is missing")
    for index, name in sorted(rows.skip):
        column = columns[name]
        mark = sheet.unreadable.get((rows.numbers[index], column + 1))
        if mark is not None:
            message = _UNREADABLE_MESSAGES[mark]
        else:
            value = sheet.rows[rows.numbers[index] - 1][column]
            message = (
                f"{name} is {len(str(value)):,} characters long, over the limit of "
                f"{limits.max_cell_chars:,}"
            )
        problems.cell(spec.name, index, name, message)
    for column in sorted(rows.ignored_columns):
        problems.at_column(
            spec.name,
            get_column_letter(column + 1),
            column + 1,
            "values in a column with no header were ignored",
            Level.WARNING,
        )
    raw_rows, skip = rows.values, rows.skip
    records, ids = read_table(
        spec, raw_rows, problems, absent_columns={*missing, *header.ambiguous}, skip=skip
    )
    read.records[spec.name] = records
    read.ids[spec.name] = ids
    read.counts[spec.name] = len(raw_rows)


def _read_audit_sheet(
    sheet: _Sheet, audit_cells: dict[str, str], problems: Problems, limits: Limits
) -> tuple[AuditInfo | None, dict[str, object]]:
    rows = sheet.rows
    header = [normalise_name(str(cell)) for cell in (rows[0] if rows else [])]
    fields = AUDIT_SHEET.fields
    if AUDIT_HEADERS[0] in header and AUDIT_HEADERS[1] in header:
        field_column, value_column = header.index(AUDIT_HEADERS[0]), header.index(AUDIT_HEADERS[1])
        first_data = 2
    elif header and header[0] in fields:
        field_column, value_column, first_data = 0, 1, 1  # no header row: kind to hand-made sheets
    else:
        problems.sheet(
            AUDIT_SHEET.name,
            "row 1 must be the header with the columns field and value, then one field a row",
        )
        return None, {}
    values: dict[str, object] = {}
    first_seen: dict[str, str] = {}
    unknown_seen: dict[str, str] = {}
    for number, row in enumerate(rows[first_data - 1 :], start=first_data):
        if _is_blank_row(row):
            continue
        name_cell = row[field_column] if field_column < len(row) else ""
        value = row[value_column] if value_column < len(row) else ""
        name_ref = f"{get_column_letter(field_column + 1)}{number}"
        value_ref = f"{get_column_letter(value_column + 1)}{number}"
        name = normalise_name(str(name_cell)) if not is_empty(name_cell) else ""
        if not name:
            problems.at_cell(
                AUDIT_SHEET.name,
                value_ref,
                "a value without a field name is ignored",
                Level.WARNING,
            )
            continue
        if name not in fields:
            if name in unknown_seen:
                problems.at_cell(
                    AUDIT_SHEET.name,
                    name_ref,
                    f"field {shown(name_cell)} is given twice (first at {unknown_seen[name]})",
                )
            else:
                unknown_seen[name] = name_ref
                problems.at_cell(
                    AUDIT_SHEET.name,
                    name_ref,
                    f"unknown field {shown(name_cell)} ignored",
                    Level.WARNING,
                )
            continue
        if name in first_seen:
            problems.at_cell(
                AUDIT_SHEET.name,
                name_ref,
                f"field {name} is given twice (first at {first_seen[name]}); give it once",
            )
            continue
        first_seen[name] = name_ref
        audit_cells[name] = value_ref
        mark = sheet.unreadable.get((number, value_column + 1))
        if mark is not None:
            problems.cell(AUDIT_SHEET.name, 0, name, _UNREADABLE_MESSAGES[mark])
            continue
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            problems.cell(
                AUDIT_SHEET.name, 0, name, f"{name} is over {limits.max_cell_chars:,} characters"
            )
            continue
        values[name] = value
    record, readable = read_fields(
        AUDIT_SHEET,
        values,
        problems,
        missing_message=(
            "field {field} is missing: add a row with {field} in the field column and its value "
            "beside it"
        ),
    )
    return (record if isinstance(record, AuditInfo) else None), readable


def _assemble(audit: AuditInfo, read: ReadSheets) -> AuditDataset:
    tables = {
        spec.key: tuple(record for _, record in read.valid(spec.name)) for spec in TABLE_SHEETS
    }
    return AuditDataset(audit=audit, **tables)


def read_workbook(
    path: str | Path,
    profiles: ProfileSet,
    *,
    jurisdiction: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> AuditDataset:
    """Read a valid workbook, or raise :class:`InvalidInput` listing every problem."""
    dataset, report = check_workbook(path, profiles, jurisdiction=jurisdiction, limits=limits)
    if dataset is None:
        raise InvalidInput(report.errors, report.warnings)
    return dataset


__all__ = ["SHEET_BY_NAME", "check_workbook", "read_workbook"]
