"""A clean table sheet read a column at a time: the fast path of reading a workbook.

The exact reader (:func:`.tables._collect_rows`, then pydantic through
:func:`.records.read_table`) handles one row at a time: a dict of raw values
per row, a validator call per cell, a model validation per row. On a sheet
of 200,000 fees that was most of the reading time, spent finding nothing
wrong. This module reads the same sheet a column at a time, and gives the
sheet back to the exact reader at the first cell that is not plainly valid:
a blank required cell, a cell the checks of :mod:`.cells` refuse, a value
its column's reader refuses, or anything else it does not handle. So every
problem is still found and worded by the one exact path, and a sheet read
here is one in which the exact path finds no problem.

What makes it exact is that it applies the same functions to the same
values: :func:`.cells.suspect` and :meth:`.cells.Checks.problem` before,
then the field's own reader (the pydantic "before" validator of
:mod:`auditor.model.columns`), whose result is already of the field's type,
so pydantic's own check of it would keep it as it is. It is applied once
per distinct value of a column (a workbook repeats a few codes, dates and
amounts thousands of times), keyed so that values that are equal but read
differently (``1`` and ``1.0``, ``0.0`` and ``-0.0``) are never merged. An id
or text column of plain text is its text trimmed, as the reader makes it.
Records are then built as validation builds them (``__dict__`` with every
field in field order, the fields given as the set of fields set), without
validating again; records that left out the same fields share that set,
which pydantic only ever copies.
"""

from __future__ import annotations

import datetime as dt
import math
import types
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cache, partial
from itertools import compress, count, repeat
from operator import eq, setitem
from typing import Any, Union, get_args, get_origin

from pydantic import BeforeValidator

from auditor.base.limits import Limits
from auditor.ingest.cells import Checks, guard_of, is_blank_row, suspect
from auditor.model.columns import Bounds, EnumOf, Kind, Ref, kind_of
from auditor.model.consistency import MONEY_COLUMNS
from auditor.model.records import Record
from auditor.model.sheets import SheetSpec
from auditor.model.values import EMPTY_MARKERS, is_empty

#: The model settings this module builds records for; any other could change what
#: validation makes of a value (``str_strip_whitespace``, ``use_enum_values``...).
_KNOWN_CONFIG = frozenset({"frozen", "extra", "validate_default"})
#: Field metadata that says nothing about validation beyond the one before-validator.
_INERT_METADATA = (Kind, Ref, EnumOf, Bounds)
#: Numeric cell types that compare equal across types (``True == 1 == 1.0``).
_NUMERIC = frozenset({bool, int, float, Decimal})
_TEXT_KINDS = frozenset({Kind.ID, Kind.TEXT})

_new_object = object.__new__
_set_attribute = object.__setattr__


class _Unclean(Exception):
    """A cell the fast path does not read; the exact reader takes the sheet."""


@dataclass(frozen=True)
class _Field:
    """How one field's cells are read: as :func:`.tables._collect_rows` and validation do."""

    name: str
    required: bool
    guard: int
    #: An id or text column: a text cell reads as itself, trimmed.
    text: bool
    #: The field's pydantic "before" validator: blanks, markers, then the value's reader.
    before: Callable[[object], object]
    #: True when pydantic's check of the field's type keeps this reader result as it is.
    accepts: Callable[[object], bool]


@dataclass(frozen=True)
class CleanSheet:
    """A sheet read without a problem: row numbers, records and ids, as the exact reader's."""

    numbers: list[int]
    records: list[Record]
    ids: list[tuple[int, str]]
    #: 0-based columns with no header that hold values (reported as warnings).
    ignored_columns: set[int]
    #: Each field of every record, in order (None for a field the sheet has no column for).
    columns: dict[str, list[object]]


def read_clean(  # noqa: PLR0917  # the parts of a sheet the header map found
    spec: SheetSpec,
    rows: Sequence[Sequence[object]],
    columns: Mapping[str, int],
    unnamed: Sequence[int],
    unreadable: Mapping[tuple[int, int], str],
    limits: Limits,
) -> CleanSheet | None:
    """The sheet's records, or None when any of its cells needs the exact reader.

    ``columns`` maps each field found in the header to its 0-based column and
    must hold every required field; ``unnamed`` are the columns with no header;
    ``unreadable`` the cells calamine could not read (formulas with no saved
    result, error cells), by 1-based row and column.
    """
    plan = _plan(spec.model)
    if plan is None or not _rectangular(rows, columns, unnamed):
        return None
    used = {column + 1 for column in columns.values()}
    if any(column in used for _, column in unreadable):
        return None
    try:
        grid, numbers = _data_columns(spec, rows, columns)
        cells = {name: grid[column] for name, column in columns.items()}
        if _has_commas_in_money(spec, cells):
            return None
        checks = Checks(spec.model, limits, from_workbook=True)
        limit = limits.max_cell_chars
        read = {
            name: _Column(plan[name], checks, limit).read(column) for name, column in cells.items()
        }
    except _Unclean:
        return None
    ignored = {column for column in unnamed if _holds_values(grid[column])}
    records = _build(spec.model, read, len(numbers))
    id_field = spec.model.ID_FIELD
    ids = list(enumerate(read[id_field][0])) if id_field else []
    fields = {
        name: read[name][0] if name in read else [None] * len(numbers)
        for name in spec.model.model_fields
    }
    return CleanSheet(numbers, records, ids, ignored, fields)  # type: ignore[arg-type]  # ids are str


@cache
def _plan(model: type[Record]) -> dict[str, _Field] | None:
    """How each field of ``model`` is read, or None if the model is not one this module knows."""
    if set(model.model_config) - _KNOWN_CONFIG or model.model_config.get("extra") != "forbid":
        return None
    decorators = model.__pydantic_decorators__
    if (
        decorators.validators
        or decorators.field_validators
        or decorators.root_validators
        or decorators.model_validators
    ):
        return None
    plan: dict[str, _Field] = {}
    for name, info in model.model_fields.items():
        befores = [item for item in info.metadata if isinstance(item, BeforeValidator)]
        others = [
            item
            for item in info.metadata
            if not isinstance(item, (BeforeValidator, *_INERT_METADATA))
        ]
        accepts = _acceptor(info.annotation)
        required = info.is_required()
        if (
            len(befores) != 1
            or others
            or accepts is None
            or info.alias is not None
            or info.validation_alias is not None
            or (not required and (info.default is not None or info.default_factory is not None))
        ):
            return None
        kind = kind_of(info)
        plan[name] = _Field(
            name,
            required,
            guard_of(kind),
            kind in _TEXT_KINDS,
            befores[0].func,  # type: ignore[arg-type]  # a one-argument validator
            accepts,
        )
    return plan


def _acceptor(annotation: Any) -> Callable[[object], bool] | None:
    """What pydantic keeps as it is for a field of this type, or None for a type not known here.

    A reader returns exactly one of these (str, bool, a finite Decimal, a date,
    a member of the enumeration, a tuple of str, None for an optional field);
    for each, pydantic's validation returns the value itself or an equal tuple.
    """
    parts = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else ()
    classes: set[type] = set()
    texts = False
    for part in parts or (annotation,):
        if part in (type(None), str, bool, Decimal, dt.date) or (
            isinstance(part, type) and issubclass(part, Enum)
        ):
            classes.add(part)
        elif get_origin(part) is tuple and get_args(part) == (str, ...):
            texts = True
        else:
            return None

    def accepts(value: object) -> bool:
        cls = value.__class__
        if cls in classes:
            return cls is not Decimal or value.is_finite()  # type: ignore[attr-defined]
        return texts and cls is tuple and all(part.__class__ is str for part in value)  # type: ignore[attr-defined]

    return accepts


def _rectangular(
    rows: Sequence[Sequence[object]], columns: Mapping[str, int], unnamed: Sequence[int]
) -> bool:
    """Every row as wide as the first, and every column read within it (calamine's grid is)."""
    if not rows:
        return False
    width = len(rows[0])
    return len(set(map(len, rows))) == 1 and max((*columns.values(), *unnamed), default=-1) < width


def _data_columns(
    spec: SheetSpec, rows: Sequence[Sequence[object]], columns: Mapping[str, int]
) -> tuple[list[Sequence[object]], list[int]]:
    """The columns of the rows that are not blank, and those rows' numbers.

    Blank as :func:`.cells.is_blank_row` says: a row whose first required cell
    holds a value is not blank; only rows where that cell is blank or an empty
    marker are asked, and those that are not blank have a required value
    missing, for the exact reader to report.
    """
    width = len(rows[0])
    data = rows[1:]
    grid: list[Sequence[object]] = list(zip(*data, strict=True)) if data else [()] * width
    pivot = next((name for name in spec.required_fields if name in columns), None)
    if pivot is None:
        raise _Unclean
    cells = grid[columns[pivot]]
    try:
        unsure = not EMPTY_MARKERS.isdisjoint(map(str.lower, map(str.strip, cells)))  # type: ignore[arg-type]
    except TypeError:  # not all text
        unsure = True
    blank: set[int] = set()
    if unsure:
        for index, cell in enumerate(cells):
            if cell.__class__ is str and cell.strip().lower() in EMPTY_MARKERS:
                if not is_blank_row(data[index]):
                    raise _Unclean
                blank.add(index)
    if not blank:
        return grid, list(range(2, len(data) + 2))
    kept = [index for index in range(len(data)) if index not in blank]
    rest = [data[index] for index in kept]
    return (list(zip(*rest, strict=True)) if rest else [()] * width), [i + 2 for i in kept]


def _has_commas_in_money(spec: SheetSpec, cells: Mapping[str, Sequence[object]]) -> bool:
    """A money cell written with commas: :func:`.records.check_three_decimal_commas` looks."""
    for sheet, amount, _ in MONEY_COLUMNS:
        if sheet == spec.name and amount in cells:
            try:
                distinct: Iterable[object] = set(cells[amount])
            except TypeError:
                distinct = cells[amount]
            if any(cell.__class__ is str and "," in cell for cell in distinct):
                return True
    return False


def _holds_values(cells: Sequence[object]) -> bool:
    """A column with no header that holds something other than blanks and empty markers."""
    try:
        distinct: Sequence[object] | set[object] = set(cells)
    except TypeError:
        distinct = cells
    return any(not is_empty(cell) for cell in distinct)


class _Column:
    """One field's cells read to its values, or :class:`_Unclean`."""

    def __init__(self, field: _Field, checks: Checks, limit: int) -> None:
        self.field = field
        self.checks = checks
        self.limit = limit
        self.guard = (field.guard, limit)

    def read(self, cells: Sequence[object]) -> tuple[list[object], Sequence[int] | None]:
        """The values (None where blank), and the rows where the cell is blank (None: none)."""
        if self.field.text:
            texts = self._texts(cells)
            if texts is not None:
                return texts, None
        try:
            distinct = set(cells)
        except TypeError:  # no calamine cell is unhashable; read it cell by cell all the same
            return self._each(cells)
        if not _NUMERIC.isdisjoint(map(type, distinct)):
            # A set keeps one of equal numbers (1, 1.0, True; 0.0, -0.0): read differently.
            kinds = set(map(type, cells))
            if len(kinds & _NUMERIC) > 1 or (0.0 in distinct and _negative_zero(cells)):
                return self._each(cells)
        if "" in distinct and self.field.required:
            raise _Unclean  # "required, but it is empty": the exact reader says so
        if len(distinct) == 1 and "" in distinct:  # left blank throughout
            return [None] * len(cells), range(len(cells))
        table = {cell: self.value(cell) for cell in distinct}
        return list(map(table.__getitem__, cells)), _blanks(cells) if "" in distinct else None

    def _each(self, cells: Sequence[object]) -> tuple[list[object], Sequence[int] | None]:
        return [self.value(cell) for cell in cells], _blanks(cells) if "" in cells else None

    def _texts(self, cells: Sequence[object]) -> list[object] | None:
        """An id or text column of plain text, each cell trimmed; None when one needs a look."""
        try:
            trimmed: list[object] = list(map(str.strip, cells))  # type: ignore[arg-type]
        except TypeError:  # not all text
            return None
        if not EMPTY_MARKERS.isdisjoint(map(str.lower, trimmed)):  # type: ignore[arg-type]
            return None  # blank or an empty marker: read cell by cell
        if max(map(len, cells), default=0) > self.limit or not all(map(str.isprintable, cells)):  # type: ignore[arg-type]
            return None
        return trimmed

    def value(self, cell: object) -> object:
        """One cell read exactly as the exact reader reads it, or :class:`_Unclean`."""
        field = self.field
        if cell == "":
            if field.required:
                raise _Unclean
            return None  # left out of the row: the field keeps its default, None
        refusal = self.checks.problem(field.name, cell) if suspect(cell, *self.guard) else None
        if refusal is not None:
            raise _Unclean
        try:
            value = field.before(cell)
        except Exception:  # a refused value (or anything else): the exact reader decides
            raise _Unclean from None
        if not field.accepts(value):
            raise _Unclean
        return value


def _negative_zero(cells: Sequence[object]) -> bool:
    """A ``-0.0`` cell, which a set would merge with ``0.0`` (it reads as ``Decimal("-0.0")``).

    Asked only of a column whose only numbers are floats.
    """
    zeros = filter(partial(eq, 0.0), cells)
    return min(map(math.copysign, repeat(1.0), zeros), default=1.0) < 0  # type: ignore[arg-type]


def _blanks(cells: Sequence[object]) -> list[int]:
    """The rows whose cell is blank: left out of the row, so not among the fields set."""
    return list(compress(count(), map(eq, cells, repeat(""))))


def _build(
    model: type[Record], read: Mapping[str, tuple[list[object], Sequence[int] | None]], size: int
) -> list[Record]:
    """The records validation would make of these values, made without validating them again.

    Each record's ``__dict__`` holds every field in field order, as validation
    makes it: a copy of one with every field None (the default of every
    optional field), then each column read written in, a column at a time.
    """
    every_none = dict.fromkeys(model.model_fields)
    dicts = list(map(dict.copy, repeat(every_none, size)))
    for name, (values, absent) in read.items():
        if absent is None or len(absent) < size:  # a column left blank throughout stays None
            deque(map(setitem, dicts, repeat(name), values), 0)
    fields_set = _fields_set(read, size)
    records: list[Record] = list(map(_new_object, repeat(model, size)))
    deque(map(_set_attribute, records, repeat("__dict__"), dicts), 0)
    deque(map(_set_attribute, records, repeat("__pydantic_fields_set__"), fields_set), 0)
    deque(map(_set_attribute, records, repeat("__pydantic_extra__"), repeat(None)), 0)
    deque(map(_set_attribute, records, repeat("__pydantic_private__"), repeat(None)), 0)
    return records


def _fields_set(
    read: Mapping[str, tuple[list[object], Sequence[int] | None]], size: int
) -> list[set[str]]:
    """Each row's fields set: the fields read, less those whose cell was blank in that row.

    Rows that left out the same fields share one set: the records are frozen,
    and pydantic copies the set before any change (``model_copy``).
    """
    given = {name for name, (_, absent) in read.items() if absent is None or len(absent) < size}
    left_out: dict[int, list[str]] = {}
    for name, (_, absent) in read.items():
        if absent is not None and name in given:
            for index in absent:
                left_out.setdefault(index, []).append(name)
    every = [given] * size
    shared: dict[tuple[str, ...], set[str]] = {}
    for index, names in left_out.items():
        key = tuple(names)
        if key not in shared:
            shared[key] = given - set(names)
        every[index] = shared[key]
    return every
