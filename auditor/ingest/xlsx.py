"""Reading an inspection workbook (.xlsx) into an :class:`AuditDataset`.

The file is read once into memory and checked as a package before any
part is parsed (:mod:`.package`); each sheet is surveyed from its XML and
held to the limits before calamine builds it (:mod:`.loader`); values come
from python-calamine (fast: about ten times openpyxl's read-only mode).
Headers and sheet names are matched as the format says, every problem is
collected with its cell, and nothing is returned unless the whole workbook
is valid. Size limits raise :class:`LimitExceeded` at once, with whatever
problems were found before.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import python_calamine

from auditor.base.gcpause import paused_gc
from auditor.base.limits import DEFAULT_LIMITS, Limits
from auditor.errors import InvalidInput, LimitExceeded
from auditor.ingest.cells import Checks, is_blank_row, label, place
from auditor.ingest.loader import LoadedSheet, SheetLoader, calamine_problem, is_panic
from auditor.ingest.ods import is_ods, open_ods
from auditor.ingest.package import (
    Package,
    PackageLimit,
    PackageProblem,
    SheetPart,
    open_package,
    read_file,
)
from auditor.ingest.records import read_fields
from auditor.ingest.tables import (
    UNREADABLE_MESSAGES,
    Sheet,
    merged_problems,
    read_table_sheet,
)
from auditor.model.cellref import column_letters
from auditor.model.codes import Code
from auditor.model.consistency import ReadSheets, check_consistency
from auditor.model.dataset import AuditDataset
from auditor.model.enums import DateOrder
from auditor.model.messages import N_, Message
from auditor.model.problems import Level, Problems, ValidationReport
from auditor.model.profiles import ProfileSet
from auditor.model.records import AuditInfo
from auditor.model.sheets import (
    AUDIT_HEADERS,
    AUDIT_SHEET,
    DATE_ORDER_FIELD,
    HELPER_SHEETS,
    SHEET_BY_NAME,
    SHEETS,
    TABLE_SHEETS,
    Provenance,
    SheetSource,
    SheetSpec,
    WorkbookLocator,
)
from auditor.model.values import (
    ValueProblem,
    dates_read_as,
    enum_reader,
    is_empty,
    normalise_name,
    set_date_order,
    shown,
)

_read_date_order = enum_reader(DateOrder)

_KNOWN = {normalise_name(spec.name): spec for spec in SHEETS}


def check_workbook(
    path: str | Path,
    profiles: ProfileSet,
    *,
    jurisdiction: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[AuditDataset | None, ValidationReport]:
    """Read and validate a workbook; the dataset is ``None`` unless there is no error.

    Raises :class:`LimitExceeded` when the workbook is over a size limit.
    """
    with paused_gc(), dates_read_as(DateOrder.ISO):
        # The Audit sheet's date_order, read first, sets how every later text date reads.
        return _check_workbook(Path(path), profiles, jurisdiction, limits)


def _check_workbook(
    path: Path, profiles: ProfileSet, jurisdiction: str | None, limits: Limits
) -> tuple[AuditDataset | None, ValidationReport]:
    sources: dict[str, SheetSource] = {}
    audit_cells: dict[str, str] = {}
    provenance = Provenance(sources, audit_cells, from_workbook=True)
    problems = Problems(WorkbookLocator(provenance))
    try:
        data = read_file(path, limits)
        package = open_ods(data, limits) if is_ods(data) else open_package(data, limits)
        book = _open_book(data, package)
    except PackageLimit as problem:
        problems.file(problem.message, code=problem.code)
        raise LimitExceeded(problems.errors, problems.warnings) from None
    except PackageProblem as problem:
        problems.file(problem.message, code=problem.code)
        return None, _report(problems)
    if package.has_macros:
        problems.file(
            Message("the workbook contains macros; they were not run"),
            Level.WARNING,
            code=Code.MACROS_NOT_RUN,
        )
    # The Audit sheet first: its date_order says how the other sheets' text dates read.
    sheets = sorted(_find_sheets(package, problems), key=lambda found: found[0] is not AUDIT_SHEET)
    read = ReadSheets(audit=None, present={spec.name for spec, _, _ in sheets})
    damaged = False

    def take(loaded: LoadedSheet) -> None:
        nonlocal damaged
        if loaded.over_limit or loaded.over_total:
            if loaded.over_limit:
                problems.sheet(loaded.spec.name, loaded.over_limit, code=loaded.over_code)
            else:
                problems.file(loaded.over_total, code=loaded.over_code)
            raise LimitExceeded(problems.errors, problems.warnings)
        damaged |= _read_loaded(
            loaded,
            sources=sources,
            audit_cells=audit_cells,
            read=read,
            problems=problems,
            limits=limits,
        )

    SheetLoader(data, book, limits).read_in_order(sheets, take)
    if damaged:
        # Cross-sheet checks against a sheet that could not be read would only list
        # every reference to it as broken.
        return None, _report(problems)
    # Cross-sheet checks run on whatever could be read, so every problem is listed at once.
    check_consistency(read, problems, profiles, jurisdiction)
    if problems or read.audit is None:
        return None, _report(problems)
    dataset = _assemble(read.audit, read)
    dataset.with_provenance(provenance, hashlib.sha256(data).hexdigest())
    return dataset, _report(problems)


def _open_book(data: bytes, package: Package) -> python_calamine.CalamineWorkbook:
    """calamine's view of the workbook, which must list the sheets this module listed."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
    except Exception as error:  # calamine's errors have no common base worth naming
        raise PackageProblem(_damaged_book(error), Code.DAMAGED_FILE) from None
    except BaseException as error:
        if not is_panic(error):
            raise
        raise PackageProblem(_damaged_book(error), Code.DAMAGED_FILE) from None
    if names != [part.name for part in package.sheets]:
        # Sheets are loaded by position; both readers must agree on what each position holds.
        raise PackageProblem(
            Message(
                "the file is damaged: its list of sheets reads differently in different places"
            ),
            Code.DAMAGED_FILE,
        )
    return book


def _damaged_book(error: BaseException) -> str:
    said = calamine_problem(error)
    prefix = "the sheet is damaged and cannot be read "
    # calamine's own words (data) in brackets, or the overflow sentence (a Message) as it is.
    detail = said.removeprefix(prefix) if said.startswith(prefix) else said
    return Message("the file is damaged and cannot be read as a workbook %(detail)s", detail=detail)


def _report(problems: Problems) -> ValidationReport:
    return ValidationReport(problems.errors, problems.warnings)


def _find_sheets(package: Package, problems: Problems) -> list[tuple[SheetSpec, SheetPart, int]]:
    """The format's sheets found in the workbook, with their part and position."""
    found: dict[str, tuple[SheetSpec, SheetPart, int]] = {}
    for index, part in enumerate(package.sheets):
        key = normalise_name(part.name)
        spec = _KNOWN.get(key)
        if spec is None:
            if key not in HELPER_SHEETS:
                problems.sheet(
                    _sheet_label(part.name, index),
                    Message("unknown sheet ignored"),
                    Level.WARNING,
                    code=Code.UNKNOWN_SHEET,
                )
            continue
        if spec.name in found:
            first = found[spec.name][1].name
            problems.sheet(
                spec.name,
                Message(
                    "two sheets are named %(sheet)s once case, spaces and hyphens are ignored "
                    '("%(first)s" and "%(second)s"); keep one',
                    sheet=spec.name,
                    first=label(first),
                    second=label(part.name),
                ),
                code=Code.DUPLICATE_SHEET,
            )
            continue
        found[spec.name] = (spec, part, index)
    for spec in SHEETS:
        if spec.required and spec.name not in found:
            problems.sheet(spec.name, Message("required sheet is missing"), code=Code.MISSING_SHEET)
    return list(found.values())


def _sheet_label(name: str, index: int) -> str:
    """An unknown sheet as a problem names it; by position when its name shows nothing.

    No spreadsheet program saves a sheet without a name, but the XML can
    hold one (``name=""`` or spaces), and a problem located at nothing
    would print as ``: unknown sheet ignored``.
    """
    return place(name) if label(name).strip() else f"sheet {index + 1} (no name)"


def _read_loaded(
    loaded: LoadedSheet,
    *,
    sources: dict[str, SheetSource],
    audit_cells: dict[str, str],
    read: ReadSheets,
    problems: Problems,
    limits: Limits,
) -> bool:
    """Validate one loaded sheet into ``read``; True when the sheet could not be read."""
    spec, part = loaded.spec, loaded.part
    if part.hidden:
        problems.sheet(
            spec.name,
            Message("the sheet is hidden; it was read all the same"),
            Level.WARNING,
            code=Code.HIDDEN_SHEET,
        )
    if loaded.damage:
        problems.sheet(spec.name, loaded.damage, code=Code.DAMAGED_SHEET)
        return True
    sheet = Sheet(spec, loaded.rows, loaded.marks, loaded.merged)
    loaded.rows = []  # let the sheet's cells go once it is validated
    if spec is AUDIT_SHEET:
        read.audit, read.audit_values = _read_audit_sheet(sheet, audit_cells, problems, limits)
    else:
        read_table_sheet(sheet, sources, read, problems, limits)
    return False


def _read_audit_sheet(
    sheet: Sheet, audit_cells: dict[str, str], problems: Problems, limits: Limits
) -> tuple[AuditInfo | None, dict[str, object]]:
    rows = sheet.rows
    header = [
        normalise_name(str(cell)[: limits.max_cell_chars]) for cell in (rows[0] if rows else [])
    ]
    fields = AUDIT_SHEET.fields
    if AUDIT_HEADERS[0] in header and AUDIT_HEADERS[1] in header:
        field_column, value_column = header.index(AUDIT_HEADERS[0]), header.index(AUDIT_HEADERS[1])
        first_data = 2
    elif header and header[0] in fields:
        field_column, value_column, first_data = 0, 1, 1  # no header row: kind to hand-made sheets
    else:
        problems.sheet(
            AUDIT_SHEET.name,
            Message(
                "row 1 must be the header with the columns field and value, then one field a row"
            ),
            code=Code.AUDIT_SHEET_LAYOUT,
        )
        return None, {}
    merged_problems(sheet, {field_column, value_column}, problems, sheet_name=AUDIT_SHEET.name)
    _audit_other_columns(
        sheet, header if first_data == 2 else [], (field_column, value_column), problems
    )
    checks = Checks(AUDIT_SHEET.model, limits, from_workbook=True)
    values: dict[str, object] = {}
    refused: set[str] = set()
    first_seen: dict[str, str] = {}
    unknown_seen: dict[str, str] = {}
    for number, row in enumerate(rows[first_data - 1 :], start=first_data):
        if is_blank_row(row):
            continue
        name_cell = row[field_column] if field_column < len(row) else ""
        value = row[value_column] if value_column < len(row) else ""
        name_ref = f"{column_letters(field_column + 1)}{number}"
        value_ref = f"{column_letters(value_column + 1)}{number}"
        name = (
            normalise_name(str(name_cell)[: limits.max_cell_chars])
            if not is_empty(name_cell)
            else ""
        )
        if not name:
            if not is_empty(value):
                problems.at_cell(
                    AUDIT_SHEET.name,
                    value_ref,
                    Message("a value without a field name is ignored"),
                    Level.WARNING,
                    code=Code.VALUE_WITHOUT_FIELD,
                )
            continue
        if name not in fields and name != DATE_ORDER_FIELD:
            _unknown_field(name, name_cell, name_ref, unknown_seen, problems)
            continue
        if name in first_seen:
            problems.at_cell(
                AUDIT_SHEET.name,
                name_ref,
                Message(
                    "field %(field)s is given twice (first at %(where)s); give it once",
                    field=name,
                    where=first_seen[name],
                ),
                code=Code.DUPLICATE_FIELD,
            )
            continue
        first_seen[name] = name_ref
        audit_cells[name] = value_ref
        mark = sheet.unreadable.get((number, value_column + 1))
        if name == DATE_ORDER_FIELD:
            _date_order(value, value_ref, mark, problems)
            continue
        refusal = UNREADABLE_MESSAGES[mark] if mark is not None else checks.problem(name, value)
        if refusal is not None:
            problems.cell(AUDIT_SHEET.name, 0, name, refusal.message, code=refusal.code)
            refused.add(name)
            continue
        values[name] = value
    record, readable = read_fields(
        AUDIT_SHEET,
        values,
        problems,
        missing_message=N_(
            "field %(field)s is missing: add a row with %(field)s in the field column and its "
            "value beside it"
        ),
        skip=refused,
    )
    return (record if isinstance(record, AuditInfo) else None), readable


def _unknown_field(
    name: str, cell: object, reference: str, seen: dict[str, str], problems: Problems
) -> None:
    """An Audit field the format does not know: a warning, or an error when given twice."""
    if name in seen:
        problems.at_cell(
            AUDIT_SHEET.name,
            reference,
            Message(
                "field %(field)s is given twice (first at %(where)s)",
                field=shown(cell),
                where=seen[name],
            ),
            code=Code.DUPLICATE_FIELD,
        )
        return
    seen[name] = reference
    problems.at_cell(
        AUDIT_SHEET.name,
        reference,
        Message("unknown field %(field)s ignored", field=shown(cell)),
        Level.WARNING,
        code=Code.UNKNOWN_FIELD,
    )


def _date_order(value: object, reference: str, mark: str | None, problems: Problems) -> None:
    """Read the Audit field date_order and read the workbook's text dates under it."""
    if mark is not None:
        refusal = UNREADABLE_MESSAGES[mark]
        problems.at_cell(AUDIT_SHEET.name, reference, refusal.message, code=refusal.code)
        return
    if is_empty(value):
        return  # not given: iso, the default
    try:
        set_date_order(_read_date_order(value))
    except ValueProblem as problem:
        problems.at_cell(
            AUDIT_SHEET.name, reference, problem.for_field(DATE_ORDER_FIELD), code=problem.code
        )


def _audit_other_columns(
    sheet: Sheet, header: list[str], used: tuple[int, int], problems: Problems
) -> None:
    """The Audit sheet's header given twice (an error), and its other columns (warnings).

    As on every sheet: two columns named ``value`` leave which one holds the
    values to a guess, and a column the format does not read is reported,
    not silently dropped. ``header`` is empty when the sheet has no header row.
    """
    written = sheet.rows[0] if sheet.rows else []
    first_column: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name in first_column:
            problems.at_cell(
                AUDIT_SHEET.name,
                f"{column_letters(index + 1)}1",
                Message(
                    "the header %(header)s repeats column %(column)s; each column must appear once",
                    header=shown(str(written[index]).strip()),
                    column=column_letters(first_column[name] + 1),
                ),
                code=Code.DUPLICATE_HEADER,
            )
        else:
            first_column[name] = index
    data = sheet.rows[1:] if header else sheet.rows
    width = max((len(row) for row in sheet.rows), default=0)
    for index in range(width):
        name = header[index] if index < len(header) else ""
        if index in used or name in AUDIT_HEADERS:
            continue
        if name:
            text = str(written[index]).strip()
            problems.at_column(
                AUDIT_SHEET.name,
                place(text),
                index + 1,
                Message("unknown column ignored"),
                Level.WARNING,
                code=Code.UNKNOWN_COLUMN,
            )
        elif any(index < len(row) and not is_empty(row[index]) for row in data):
            problems.at_column(
                AUDIT_SHEET.name,
                column_letters(index + 1),
                index + 1,
                Message("values in a column with no header were ignored"),
                Level.WARNING,
                code=Code.UNNAMED_COLUMN,
            )


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
