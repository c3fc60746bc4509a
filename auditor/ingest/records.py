"""Rows of raw values to typed records, every problem kept with its place.

Both readers (workbook and dict/JSON) end here: a sheet's rows, as dicts of
field to raw value, are validated in one pass through the sheet's pydantic
model, and each validation error becomes a :class:`Problem` at the cell or
JSON path of the value. Rows with a problem are left out of the records
but not forgotten: their ids still count for the cross-sheet checks.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import cache
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from auditor.model.codes import Code
from auditor.model.consistency import MONEY_COLUMNS
from auditor.model.messages import Message
from auditor.model.problems import Problems
from auditor.model.records import Record
from auditor.model.sheets import SheetSpec
from auditor.model.values import ValueProblem, has_thousands_commas, is_empty, shown, to_id


@cache
def _list_adapter(model: type[Record]) -> TypeAdapter[list[Record]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def error_message(error: Mapping[str, Any], field: str, record_name: str) -> str:
    """One clerk-readable sentence for a pydantic error on ``field``."""
    kind = error.get("type")
    context = error.get("ctx") or {}
    if kind == "value_error" and isinstance(context.get("error"), ValueProblem):
        problem: ValueProblem = context["error"]
        return problem.for_field(field)
    if kind == "missing":
        return Message("%(field)s is required, but it is missing", field=field)
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return Message(
            "must be an object with the fields of a %(record)s record", record=record_name
        )
    return Message("%(field)s: %(detail)s", field=field, detail=error.get("msg", "is not valid"))


def error_code(error: Mapping[str, Any]) -> Code:
    """The problem code of a pydantic error, as :func:`error_message` words it."""
    kind = error.get("type")
    context = error.get("ctx") or {}
    if kind == "value_error" and isinstance(context.get("error"), ValueProblem):
        code: Code = context["error"].code
        return code
    if kind == "missing":
        return Code.REQUIRED_MISSING
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return Code.NOT_AN_OBJECT
    return Code.INVALID_VALUE


def read_table(
    spec: SheetSpec,
    rows: Sequence[Mapping[str, object]],
    problems: Problems,
    *,
    absent_columns: Collection[str] = (),
    skip: Collection[tuple[int, str]] = (),
    partial: list[tuple[int, Record]] | None = None,
) -> tuple[list[tuple[int, Record]], list[tuple[int, str]]]:
    """Validate a sheet's rows; return the valid records and every readable id.

    ``absent_columns`` are required columns already reported as missing, and
    ``skip`` cells already reported (a formula with no cached value): neither
    is reported again row by row. Rows with a problem are added to
    ``partial``, when given, with the cells that could be read (others None),
    so the cross-sheet checks still see their references and currencies.
    """
    adapter = _list_adapter(spec.model)
    id_field = spec.model.ID_FIELD
    check_three_decimal_commas(spec.name, rows, problems)
    try:
        records = adapter.validate_python(list(rows))
    except ValidationError as failure:
        return _read_with_errors(
            spec,
            rows,
            failure,
            problems,
            absent_columns=absent_columns,
            skip=skip,
            partial=partial,
        )
    ids = [(i, getattr(r, id_field)) for i, r in enumerate(records)] if id_field else []
    return list(enumerate(records)), ids


#: ISO 4217 currencies with three decimals: ``12,500`` in one of them could mean 12.5.
THREE_DECIMALS = frozenset({"KWD", "BHD", "OMR", "JOD", "TND", "LYD", "IQD"})


def check_three_decimal_commas(
    sheet: str, rows: Sequence[Mapping[str, object]], problems: Problems
) -> None:
    """An amount with commas in a three-decimal currency is an error (format 1.1)."""
    pairs = [(amount, currency) for name, amount, currency in MONEY_COLUMNS if name == sheet]
    if not pairs:
        return
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            continue
        for amount, currency in pairs:
            raw, code = row.get(amount), row.get(currency)
            if not (has_thousands_commas(raw) and isinstance(code, str)):
                continue
            code = code.strip().upper()
            if code in THREE_DECIMALS:
                problems.cell(
                    sheet,
                    index,
                    amount,
                    Message(
                        "%(field)s %(value)s in %(currency)s, a currency with three decimals, "
                        "could mean %(meant)s: write the number without commas",
                        field=amount,
                        value=shown(raw),
                        currency=code,
                        meant=str(raw).strip().replace(",", "."),
                    ),
                    code=Code.NOT_A_NUMBER,
                )


def _read_with_errors(
    spec: SheetSpec,
    rows: Sequence[Mapping[str, object]],
    failure: ValidationError,
    problems: Problems,
    *,
    absent_columns: Collection[str],
    skip: Collection[tuple[int, str]],
    partial: list[tuple[int, Record]] | None = None,
) -> tuple[list[tuple[int, Record]], list[tuple[int, str]]]:
    """The slow path, only for a sheet with mistakes: report them, keep the good rows."""
    adapter = _list_adapter(spec.model)
    ids = _readable_ids(spec, rows)
    bad: set[int] = set()
    wrong: dict[int, set[str]] = {}
    for error in failure.errors():
        location = error["loc"]
        index = int(location[0])
        bad.add(index)
        field = str(location[1]) if len(location) > 1 else spec.model.ID_FIELD or ""
        wrong.setdefault(index, set()).add(field)
        if error["type"] == "missing" and field in absent_columns:
            continue
        if (index, field) in skip:
            continue
        code = error_code(error)
        if len(location) > 1:
            problems.cell(
                spec.name, index, field, error_message(error, field, spec.name), code=code
            )
        else:
            problems.record(spec.name, index, error_message(error, field, spec.name), code=code)
    keep = [i for i in range(len(rows)) if i not in bad]
    valid = adapter.validate_python([rows[i] for i in keep]) if keep else []
    if partial is not None:
        partial.extend(
            (index, _partly_read(spec.model, rows[index], wrong[index]))
            for index in sorted(bad)
            if isinstance(rows[index], Mapping)
        )
    return list(zip(keep, valid, strict=True)), ids


def _partly_read(model: type[Record], row: Mapping[str, object], wrong: set[str]) -> Record:
    """A row's record with the cells that could be read, the others None (never validated)."""
    values: dict[str, object] = dict.fromkeys(model.model_fields)
    for name, value in row.items():
        if name in wrong or name not in model.model_fields:
            continue
        try:
            values[name] = _field_adapter(model, name).validate_python(value)
        except ValidationError:  # pragma: no cover - the row's error names every bad cell
            continue
    return model.model_construct(None, **values)


def read_fields(
    spec: SheetSpec,
    values: Mapping[str, object],
    problems: Problems,
    *,
    missing_message: str | None = None,
    skip: Collection[str] = (),
) -> tuple[Record | None, dict[str, object]]:
    """Validate the Audit sheet's fields into its record, or report why it cannot be.

    Also returns every field that could be read on its own, so that the
    cross-sheet checks can still use the audit currency when, say, the
    inspection date is mistyped. Fields in ``skip`` were left out after their
    problem was reported, so their absence is not reported again.
    """
    try:
        record = spec.model.model_validate(dict(values))
    except ValidationError as failure:
        wrong: set[str] = set()
        for error in failure.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            wrong.add(field)
            if field in skip:
                continue
            code = error_code(error)
            if error["type"] == "missing" and missing_message is not None:
                problems.sheet(spec.name, Message(missing_message, field=field), code=code)
            else:
                problems.cell(
                    spec.name, 0, field, error_message(error, field, spec.name), code=code
                )
        readable = {
            name: _field_adapter(spec.model, name).validate_python(value)
            for name, value in values.items()
            if name not in wrong and name in spec.model.model_fields
        }
        return None, readable
    return record, record.model_dump()


@cache
def _field_adapter(model: type[Record], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, *info.metadata])  # type: ignore[arg-type]  # built at run time from the field's metadata


def _readable_ids(spec: SheetSpec, rows: Sequence[Mapping[str, object]]) -> list[tuple[int, str]]:
    id_field = spec.model.ID_FIELD
    if id_field is None:
        return []
    ids = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            continue
        raw = row.get(id_field)
        if is_empty(raw):
            continue
        try:
            ids.append((index, to_id(raw)))
        except ValueProblem:
            continue
    return ids
