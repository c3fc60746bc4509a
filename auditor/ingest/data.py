"""Reading an inspection given as plain dicts or JSON (the library path).

A licensing system sends the same records as objects: ``{"audit": {...},
"employers": [...], "workers": [...], ...}`` with the format's field
names. The same models validate them; problems carry JSON-style locations
(``fees[3].amount``). JSON numbers are read as exact decimals.

The limits hold here too: rows per list, values in all, characters per
text, and for JSON text its size; and the value checks of :mod:`.cells`
(invisible characters in ids, numbers no spreadsheet could hold) apply as
they do to cells.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from auditor.base.limits import DEFAULT_LIMITS, Limits
from auditor.errors import InvalidInput, LimitExceeded
from auditor.ingest.cells import Checks, label
from auditor.ingest.records import read_fields, read_table
from auditor.model.canonical import canonical_json
from auditor.model.codes import Code
from auditor.model.consistency import ReadSheets, check_consistency
from auditor.model.dataset import AuditDataset
from auditor.model.messages import Message
from auditor.model.problems import Level, Problems, ValidationReport
from auditor.model.profiles import ProfileSet
from auditor.model.records import AuditInfo, Record
from auditor.model.sheets import AUDIT_SHEET, SHEETS, TABLE_SHEETS, DataLocator
from auditor.model.values import normalise_name

_BY_KEY = {normalise_name(spec.key): spec for spec in SHEETS} | {
    normalise_name(spec.name): spec for spec in SHEETS
}


def check_data(
    data: object,
    profiles: ProfileSet,
    *,
    jurisdiction: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[AuditDataset | None, ValidationReport]:
    """Validate dict input; the dataset is ``None`` unless there is no error.

    Raises :class:`LimitExceeded` when a list or the whole input is over a limit.
    """
    problems = Problems(DataLocator())
    given = data if isinstance(data, Mapping) else None  # an AuditDataset keeps its own digest
    if isinstance(data, AuditDataset):
        data = data.model_dump(mode="python")
    if not isinstance(data, Mapping):
        problems.file(
            Message(
                "must be an object with an audit object and a list of records for each kind "
                "(employers, workers, contracts, fees...)"
            ),
            code=Code.NOT_AN_OBJECT,
        )
        return None, ValidationReport(problems.errors, problems.warnings)
    sections: dict[str, object] = {}
    for key, value in data.items():
        spec = _BY_KEY.get(normalise_name(str(key)))
        if spec is None:
            problems.sheet(
                label(key), Message("unknown key ignored"), Level.WARNING, code=Code.UNKNOWN_SHEET
            )
        elif spec.key in sections:
            problems.sheet(
                spec.name,
                Message('given twice (as "%(key)s" too); give it once', key=label(key)),
                code=Code.DUPLICATE_SHEET,
            )
        else:
            sections[spec.key] = value
    _check_sizes(sections, problems, limits)
    read = ReadSheets(audit=None, present={s.name for s in SHEETS if s.key in sections})
    unknown: set[tuple[str, str]] = set()
    read.audit, read.audit_values = _read_audit(
        sections.get(AUDIT_SHEET.key), problems, unknown, limits
    )
    for spec in TABLE_SHEETS:
        if spec.key not in sections:
            if spec.required:
                problems.sheet(
                    spec.name,
                    Message("required list is missing (give [] if there are none)"),
                    code=Code.MISSING_SHEET,
                )
            continue
        rows = sections[spec.key]
        if not isinstance(rows, list | tuple):
            problems.sheet(spec.name, Message("must be a list of records"), code=Code.NOT_A_LIST)
            continue
        checks = Checks(spec.model, limits, from_workbook=False)
        skip: set[tuple[int, str]] = set()
        prepared = [
            _checked(
                index,
                _prepare(row, spec.fields, spec.name, problems, unknown),
                checks,
                problems,
                skip,
            )
            for index, row in enumerate(rows)
        ]
        records, ids = read_table(
            spec, prepared, problems, skip=skip, partial=read.partial.setdefault(spec.name, [])
        )
        read.records[spec.name] = records
        read.ids[spec.name] = ids
        read.counts[spec.name] = len(rows)
    check_consistency(read, problems, profiles, jurisdiction)
    if problems or read.audit is None:
        return None, ValidationReport(problems.errors, problems.warnings)
    tables = {spec.key: tuple(r for _, r in read.valid(spec.name)) for spec in TABLE_SHEETS}
    dataset = AuditDataset(audit=read.audit, **tables)
    if given is not None:
        dataset.with_provenance(dataset.provenance, _digest_of(given))
    return dataset, ValidationReport(problems.errors, problems.warnings)


def _digest_of(data: Mapping[str, object]) -> str | None:
    """SHA-256 of the input as given, in canonical JSON (audit-output.md, ``input_sha256``).

    Anyone holding the dicts or the JSON a licensing system sent can check
    the digest with any JSON library (sorted keys, no spaces, UTF-8). Input
    holding values JSON has no form for (Python objects other than dates
    and decimals) falls back to the digest of the records read from it.
    """
    try:
        text = canonical_json(data)
    except (TypeError, ValueError, RecursionError):
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_sizes(sections: dict[str, object], problems: Problems, limits: Limits) -> None:
    """Refuse lists with more rows, or input with more values, than the limits allow."""
    total = 0
    for spec in TABLE_SHEETS:
        rows = sections.get(spec.key)
        if not isinstance(rows, list | tuple):
            continue
        if len(rows) > limits.max_rows_per_sheet:
            problems.sheet(
                spec.name,
                Message(
                    "has %(count)s records, over the limit of %(limit)s",
                    count=f"{len(rows):,}",
                    limit=f"{limits.max_rows_per_sheet:,}",
                ),
                code=Code.TOO_MANY_ROWS,
            )
            raise LimitExceeded(problems.errors, problems.warnings)
        total += sum(len(row) if isinstance(row, Mapping) else 1 for row in rows)
    if total > limits.max_total_cells:
        problems.file(
            Message(
                "holds %(count)s values, over the limit of %(limit)s",
                count=f"{total:,}",
                limit=f"{limits.max_total_cells:,}",
            ),
            code=Code.TOO_MANY_CELLS,
        )
        raise LimitExceeded(problems.errors, problems.warnings)


def _checked(
    index: int, row: Any, checks: Checks, problems: Problems, skip: set[tuple[int, str]]
) -> Any:
    """The row with every value :mod:`.cells` refuses reported and set aside."""
    if not isinstance(row, dict):
        return row
    for name, value in row.items():
        refusal = checks.problem(name, value)
        if refusal is not None:
            problems.cell(checks.sheet, index, name, refusal.message, code=refusal.code)
            skip.add((index, name))
            row[name] = None
    return row


def _read_audit(
    value: object, problems: Problems, unknown: set[tuple[str, str]], limits: Limits
) -> tuple[AuditInfo | None, dict[str, object]]:
    if value is None:
        problems.sheet(
            AUDIT_SHEET.name, Message("required object is missing"), code=Code.MISSING_SHEET
        )
        return None, {}
    if isinstance(value, AuditInfo):
        return value, value.model_dump()
    if not isinstance(value, Mapping):
        problems.sheet(
            AUDIT_SHEET.name,
            Message("must be an object with the Audit fields"),
            code=Code.NOT_AN_OBJECT,
        )
        return None, {}
    fields = _prepare(value, AUDIT_SHEET.fields, AUDIT_SHEET.name, problems, unknown)
    checks = Checks(AUDIT_SHEET.model, limits, from_workbook=False)
    refused = set()
    for name in list(fields):
        refusal = checks.problem(name, fields[name])
        if refusal is not None:
            problems.cell(AUDIT_SHEET.name, 0, name, refusal.message, code=refusal.code)
            refused.add(name)
            del fields[name]
    record, readable = read_fields(AUDIT_SHEET, fields, problems, skip=refused)
    return (record if isinstance(record, AuditInfo) else None), readable


def _prepare(
    row: object,
    fields: tuple[str, ...],
    sheet: str,
    problems: Problems,
    unknown: set[tuple[str, str]],
) -> Any:
    """Field names normalised, unknown fields dropped (one warning per field and sheet)."""
    if isinstance(row, Record):
        return row
    if not isinstance(row, Mapping):
        return row  # the model reports "must be an object"
    prepared: dict[str, object] = {}
    for key, value in row.items():
        name = normalise_name(str(key))
        if name in fields:
            prepared[name] = value
        elif (sheet, str(key)) not in unknown:
            unknown.add((sheet, str(key)))
            problems.column(
                sheet,
                label(key),
                Message("unknown field ignored"),
                Level.WARNING,
                code=Code.UNKNOWN_COLUMN,
            )
    return prepared


def dataset_from_dict(
    data: Mapping[str, Any],
    profiles: ProfileSet | None = None,
    *,
    jurisdiction: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> AuditDataset:
    """Build a dataset from dicts or raise :class:`InvalidInput` listing every problem."""
    from auditor.model.profiles import default_profiles

    dataset, report = check_data(
        data, profiles or default_profiles(), jurisdiction=jurisdiction, limits=limits
    )
    if dataset is None:
        raise InvalidInput(report.errors, report.warnings)
    return dataset


def parse_json(text: str | bytes) -> object:
    """JSON with every number as an exact :class:`~decimal.Decimal` (integers stay ints)."""
    return json.loads(text, parse_float=Decimal)


def dataset_from_json(text: str | bytes, *, limits: Limits = DEFAULT_LIMITS) -> AuditDataset:
    """Build a dataset from JSON text or raise :class:`InvalidInput` listing every problem."""
    return dataset_from_dict(_parsed(text, limits), limits=limits)


def check_json_file(
    path: str | Path,
    profiles: ProfileSet,
    *,
    jurisdiction: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[AuditDataset | None, ValidationReport]:
    """Read and validate a dataset saved as a ``.json`` file (the dict form), like a workbook.

    The command line takes such a file wherever it takes a workbook. Its
    problems are located by JSON path; its ``input_sha256`` is the digest of
    its canonical JSON, as for dicts. Raises :class:`LimitExceeded` when the
    file is over ``max_file_bytes``.
    """
    try:
        data = _parsed(_read_json_file(Path(path), limits), limits)
    except LimitExceeded:
        raise
    except InvalidInput as invalid:
        return None, ValidationReport(invalid.problems, invalid.warnings)
    return check_data(data, profiles, jurisdiction=jurisdiction, limits=limits)


def _read_json_file(path: Path, limits: Limits) -> bytes:
    problems = Problems(DataLocator())
    try:
        if not path.exists():
            problems.file(
                Message("there is no file at %(path)s", path=str(path)), code=Code.FILE_UNREADABLE
            )
            raise InvalidInput(problems.errors)
        if not path.is_file():  # a pipe or device would block or never end
            problems.file(
                Message("%(path)s is a folder, not a JSON file", path=str(path))
                if path.is_dir()
                else Message("%(path)s is not a regular file, not a JSON file", path=str(path)),
                code=Code.FILE_UNREADABLE,
            )
            raise InvalidInput(problems.errors)
        if path.stat().st_size > limits.max_file_bytes:
            problems.file(_over_bytes(limits), code=Code.FILE_TOO_LARGE)
            raise LimitExceeded(problems.errors)
        with path.open("rb") as handle:
            return handle.read(limits.max_file_bytes + 1)
    except OSError as error:
        problems.file(
            Message("the file cannot be opened: %(detail)s", detail=error.strerror),
            code=Code.FILE_UNREADABLE,
        )
        raise InvalidInput(problems.errors) from None


def _over_bytes(limits: Limits) -> Message:
    return Message("is over %(limit)s bytes of JSON, the limit", limit=f"{limits.max_file_bytes:,}")


def _parsed(text: str | bytes, limits: Limits) -> Mapping[str, Any]:
    """JSON text as an object, or :class:`InvalidInput` saying in one line why not."""
    if len(text) > limits.max_file_bytes:
        problems = Problems(DataLocator())
        problems.file(_over_bytes(limits), code=Code.FILE_TOO_LARGE)
        raise LimitExceeded(problems.errors)
    try:
        data = parse_json(text)
    except (ValueError, UnicodeDecodeError) as error:
        problems = Problems(DataLocator())
        problems.file(
            Message("is not valid JSON: %(detail)s", detail=str(error)[:200]),
            code=Code.INVALID_JSON,
        )
        raise InvalidInput(problems.errors) from None
    except RecursionError:
        problems = Problems(DataLocator())
        problems.file(
            Message("is not valid JSON for an inspection: it is nested too deeply"),
            code=Code.INVALID_JSON,
        )
        raise InvalidInput(problems.errors) from None
    if not isinstance(data, Mapping):
        problems = Problems(DataLocator())
        problems.file(
            Message(
                "must be a JSON object with an audit object and a list of records for each kind "
                "(employers, workers, contracts, fees...)"
            ),
            code=Code.NOT_AN_OBJECT,
        )
        raise InvalidInput(problems.errors)
    return data
