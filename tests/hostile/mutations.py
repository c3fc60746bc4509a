"""Edits of valid inspection workbooks, drawn by the fuzzer of :mod:`tests.hostile.test_fuzz`.

A workbook is held as a :class:`Work`: its sheets in order, each a grid of
cell values, next to the :data:`~tests.builders.Book` it means. Every edit
is a frozen dataclass of small integers that pick their target modulo what
is there when the edit runs, so hypothesis can draw, shrink and print edits
without knowing the workbook, and a failure prints as a list of edits that
rebuilds the file. Three families:

- **same** (:data:`SAME_EDITS`, :data:`SAME_XML`): edits the format says
  change nothing, or change one known thing (an optional value emptied is
  "not recorded"). The Book is kept in step, so the records read from the
  file must equal the records of the Book: this is how the fuzzer finds a
  valid edit refused or a value read wrongly.
- **breaking** (:data:`BREAKING_EDITS`): one edit the format says is an
  error, with where the problem must be reported: this is how it finds an
  invalid edit accepted.
- **chaos** (:data:`CHAOS_EDITS`, :data:`CHAOS_XML`): anything, for the
  answer alone (a result, or located problems; never a traceback, never a
  hang): cell types, edge values, cells, rows, columns and sheets deleted
  or duplicated, names respelled, and the package's raw XML (cell type
  attributes, shared-text indexes, cell references, dropped or cut parts).

Sheets are written by openpyxl under placeholder names, then named in
``xl/workbook.xml``, so that names openpyxl would refuse or silently change
(a duplicate, a colon, 40 characters) reach the reader as drawn.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from auditor.model.columns import Kind, bounds_of, enum_of, kind_of, reference_of
from auditor.model.dataset import AuditDataset
from auditor.model.sheets import AUDIT_SHEET, SHEET_BY_NAME, TABLE_SHEETS
from auditor.model.values import enum_reader, is_empty, normalise_name, to_bool, to_date, to_decimal
from tests.builders import INSPECTION, Book, as_data, base_book

# -- the workbook as a grid ---------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """A formula cell as openpyxl writes it: the formula, never a saved result."""

    text: str


@dataclass(frozen=True)
class Styled:
    """A number or date cell with a number format: 30/06/2026, "14 days", 27.47%."""

    value: Any
    number_format: str


@dataclass(frozen=True)
class Long:
    """A text of ``length`` letters; openpyxl cuts text at 32,767, so it goes in as XML."""

    length: int

    @property
    def placeholder(self) -> str:
        return f"\u27e6long {self.length}\u27e7"


@dataclass
class Grid:
    """One sheet: its name as written, rows of cells, and what it holds.

    ``spec`` is the format's sheet it was made as (``None`` for an extra
    sheet); ``origin`` says, row by row, which record of the Book the row
    holds (its index, or the field of an Audit row; ``None`` for a header or
    an added row), so that an edit of a cell can be mirrored in the Book.
    """

    name: str
    rows: list[list[Any]]
    spec: str | None = None
    origin: list[Any] = field(default_factory=list)
    hidden: bool = False
    merged: list[str] = field(default_factory=list)

    def copy(self) -> Grid:
        return Grid(
            self.name,
            [list(row) for row in self.rows],
            self.spec,
            list(self.origin),
            self.hidden,
            list(self.merged),
        )

    def at(self, row: int, column: int) -> Any:
        if row < len(self.rows) and column < len(self.rows[row]):
            return self.rows[row][column]
        return None

    def put(self, row: int, column: int, value: Any) -> None:
        while len(self.rows) <= row:
            self.rows.append([])
            self.origin.append(None)
        cells = self.rows[row]
        cells.extend([None] * (column + 1 - len(cells)))
        cells[column] = value

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)


@dataclass(frozen=True)
class Expect:
    """A problem a breaking edit must cause: its place (any, if None), words of its message."""

    where: str | None
    fragment: str


@dataclass
class Work:
    """A workbook being edited: its sheets, the Book it means, and what the edits expect."""

    sheets: list[Grid]
    book: Book
    xml: list[Any] = field(default_factory=list)  # edits of the package's parts, in order
    expected: list[Expect] = field(default_factory=list)
    #: False once an edit changed what the audit may find (an optional value emptied).
    same_findings: bool = True
    #: Records taken out of the workbook, as (sheet, index in the Book).
    removed: set[tuple[str, int]] = field(default_factory=set)
    #: Dates counted from 1904, as Excel for the Mac once saved them.
    epoch_1904: bool = False
    #: Dates written as ISO 8601 text cells (``t="d"``), as strict OOXML has them.
    iso_dates: bool = False

    def table(self, spec: str) -> Grid | None:
        return next((sheet for sheet in self.sheets if sheet.spec == spec), None)

    def specs(self, *, audit: bool = True) -> list[Grid]:
        return [s for s in self.sheets if s.spec and (audit or s.spec != AUDIT_SHEET.name)]

    def expected_dataset(self) -> AuditDataset:
        """The records the Book means, read as a licensing system's dicts."""
        book = {
            sheet: [r for i, r in enumerate(rows) if (sheet, i) not in self.removed]
            if isinstance(rows, list)
            else rows
            for sheet, rows in self.book.items()
        }
        return AuditDataset.from_dict(as_data(book))


def expected_warnings(work: Work) -> list[Expect]:
    """Warnings the final grids call for: each unknown column, each unknown sheet.

    Only ``where`` prefixes: the reader's quoting of odd names is its own.
    """
    expected = []
    for grid in work.sheets:
        if grid.spec is None:
            if normalise_name(grid.name) != "guide":
                expected.append(Expect(None, "unknown sheet ignored"))
            continue
        if not grid.rows:
            continue
        if grid.spec == AUDIT_SHEET.name:
            if not audit_layout(grid)[2]:
                continue  # no header row: no column has a name to warn about
            known: set[str] = {"field", "value"}
        else:
            known = set(KINDS[grid.spec])
        for cell in grid.rows[0]:
            name = normalise_name(str(cell)) if cell is not None else ""
            if name and not is_empty(cell) and name not in known:
                expected.append(Expect(f"{grid.spec}!", "unknown column ignored"))
    return expected


def reference(row: int, column: int) -> str:
    """The cell reference of 0-based ``row`` and ``column``: ``reference(1, 4) == "E2"``."""
    return f"{get_column_letter(column + 1)}{row + 1}"


def rich_book() -> Book:
    """The base inspection with everything the base leaves out.

    Three workers (one id a whole number), two employers, an intermediary
    paid for a recruitment fee, complaints with and without a channel,
    unrecorded optional values, a destination contract, Nepali text, the
    NP profile (which needs an NPR rate) and the audit currency listed in FX.
    """
    book = base_book()
    audit = book["Audit"]
    audit.update(origin_country="NP", jurisdiction="np", inspector="Sita Inspector")
    book["Employers"].append(
        {
            "employer_id": "E2",
            "name": "Riyadh Household Services",
            "destination_country": "SA",
            "sector": "domestic_work",
            "permit_tied_to_employer": "yes",
            "job_change_requires_consent": "yes",
            "exit_permit_required": None,
            "independent_residency_route": None,
        }
    )
    for worker in book["Workers"]:
        worker.update(nationality="NP", languages="ne, en")
    book["Workers"].append(
        {
            "worker_id": 1003,
            "sex": "X",
            "date_of_birth": "1999-11-30",
            "nationality": "NP",
            "employer_id": "E2",
            "languages": "ne",
            "deployment_date": dt.date(2025, 9, 1),
            "monthly_wage_paid": 0.5,
            "wage_currency": "NPR",
            "briefing_received": None,
            "briefing_languages": None,
            "passport_held_by": "employer",
            "wages_withheld": True,
        }
    )
    book["Contracts"].append(
        {
            "contract_id": "C3",
            "worker_id": "1003",
            "stage": "destination",
            "signed_on": dt.datetime(2025, 9, 3, 14, 30),
            "languages": "ar",
            "copy_given_to_worker": False,
            "monthly_wage": 900.75,
            "currency": "SAR",
            "weekly_hours": 60,
            "weekly_rest_days": 0.5,
            "worker_may_terminate_for_abuse": None,
            "termination_penalty": 1200,
            "passport_retention_clause": "yes",
        }
    )
    book["Fees"].extend(
        [
            {
                "fee_id": "F3",
                "worker_id": 1003,
                "category": "recruitment_fee",
                "description": "पासपोर्ट र भिसा शुल्क",
                "amount": 25000,
                "currency": "NPR",
                "paid_by": "worker",
                "paid_to": "intermediary",
                "intermediary_id": "I1",
                "paid_on": dt.date(2025, 8, 1),
                "deducted_from_wages": None,
                "receipt_issued": "no",
                "financed_by_loan": "yes",
            },
            {
                "fee_id": "F4",
                "worker_id": "W1",
                "category": "personal_documents",
                "description": None,
                "amount": 0.0033,
                "currency": "USD",
                "paid_by": "agency",
                "paid_to": None,
                "intermediary_id": None,
                "paid_on": None,
                "deducted_from_wages": None,
                "receipt_issued": None,
                "financed_by_loan": None,
            },
        ]
    )
    book["Intermediaries"] = [
        {"intermediary_id": "I1", "name": "Village Broker", "licensed": "no"},
        {"intermediary_id": "I2", "name": "Kathmandu Sub-agent", "licensed": None},
    ]
    book["Channels"].append(
        {
            "channel_id": "CH2",
            "operated_by": "ngo",
            "kind": "in_person",
            "languages": "ne",
            "free_of_charge": "yes",
            "confidential": None,
            "women_staff_available": "no",
            "open_to_domestic_workers": "yes",
            "response_days": None,
        }
    )
    book["Complaints"] = [
        {
            "complaint_id": "K1",
            "worker_id": "W1",
            "channel_id": "CH1",
            "category": "wages",
            "filed_on": dt.date(2026, 1, 10),
            "resolved_on": dt.date(2026, 2, 1),
            "worker_penalised": "no",
        },
        {
            "complaint_id": "K2",
            "worker_id": 1003,
            "channel_id": None,
            "category": "sexual_violence",
            "filed_on": "2026-05-01",
            "resolved_on": None,
            "worker_penalised": None,
        },
    ]
    book["FX"].extend(
        [
            {"currency": "NPR", "rate": 0.0075},
            {"currency": "SAR", "rate": 0.2666},
            {"currency": "usd", "rate": 1},
        ]
    )
    return book


BOOKS: dict[str, Callable[[], Book]] = {"base": base_book, "rich": rich_book}


def work_of(book: Book) -> Work:
    """The grid of a Book as :func:`tests.builders.write_book` lays it out."""
    audit = book["Audit"]
    sheets = [
        Grid(
            AUDIT_SHEET.name,
            [["field", "value"], *([name, value] for name, value in audit.items())],
            AUDIT_SHEET.name,
            [None, *audit],
        )
    ]
    for spec in TABLE_SHEETS:
        if spec.name not in book:
            continue
        records: list[dict[str, Any]] = book[spec.name]
        columns = list(spec.fields)
        for record in records:
            columns.extend(key for key in record if key not in columns)
        rows = [list(columns), *([record.get(name) for name in columns] for record in records)]
        sheets.append(Grid(spec.name, rows, spec.name, [None, *range(len(records))]))
    return Work(sheets, book)


# -- what the format says of each column ---------------------------------------------------------


def _kinds(sheet: str) -> dict[str, Kind]:
    return {name: kind_of(info) for name, info in SHEET_BY_NAME[sheet].model.model_fields.items()}


KINDS = {spec: _kinds(spec) for spec in SHEET_BY_NAME}
REQUIRED = {spec: set(SHEET_BY_NAME[spec].required_fields) for spec in SHEET_BY_NAME}
REFERENCES = {
    spec.name: {
        name for name, info in spec.model.model_fields.items() if reference_of(info) is not None
    }
    for spec in TABLE_SHEETS
}
#: Optional values another value requires: emptying one alone is an error, not "unknown".
_NEEDED_BY_ANOTHER = {("Workers", "wage_currency"), ("Fees", "intermediary_id")}
_REQUIRED_SHEETS = [spec.name for spec in (AUDIT_SHEET, *TABLE_SHEETS) if spec.required]
_CURRENCY_COLUMNS = {("Workers", "wage_currency"), ("Contracts", "currency"), ("Fees", "currency")}
EMPTY_SPELLINGS: tuple[Any, ...] = (
    None,
    "",
    " ",
    "n/a",
    "N/A",
    "na",
    "NA",
    "-",
    " - ",
    "unknown",
    "Unknown",
    "none",
    "NONE",
)


def _pick(items: Sequence[Any], pick: int) -> Any:
    return items[pick % len(items)] if items else None


def audit_layout(grid: Grid) -> tuple[int, int, int]:
    """(field column, value column, first data row) of an Audit grid, 0-based."""
    header = [normalise_name(str(cell)) if isinstance(cell, str) else "" for cell in grid.rows[0]]
    if "field" in header and "value" in header:
        return header.index("field"), header.index("value"), 1
    return 0, 1, 0


def header_fields(grid: Grid) -> dict[str, int]:
    """Field to 0-based column of a table grid, by its header row (first occurrence)."""
    assert grid.spec is not None
    fields = KINDS[grid.spec]
    found: dict[str, int] = {}
    for column, cell in enumerate(grid.rows[0] if grid.rows else []):
        if isinstance(cell, str) and normalise_name(cell) in fields:
            found.setdefault(normalise_name(cell), column)
    return found


def blank(row: Sequence[Any]) -> bool:
    return all(is_empty(cell) for cell in row)


def data_rows(grid: Grid) -> list[int]:
    """Rows holding a record (a field, on the Audit sheet), 0-based."""
    if grid.spec == AUDIT_SHEET.name:
        field_column, _, first = audit_layout(grid)
        return [
            number
            for number in range(first, len(grid.rows))
            if not is_empty(grid.at(number, field_column))
        ]
    return [number for number in range(1, len(grid.rows)) if not blank(grid.rows[number])]


@dataclass(frozen=True)
class Slot:
    """One value cell of a format field: where it is and what it is."""

    grid: Grid
    row: int
    column: int
    field: str

    @property
    def kind(self) -> Kind:
        assert self.grid.spec is not None
        return KINDS[self.grid.spec][self.field]

    @property
    def required(self) -> bool:
        assert self.grid.spec is not None
        return self.field in REQUIRED[self.grid.spec]

    @property
    def where(self) -> str:
        assert self.grid.spec is not None
        return f"{self.grid.spec}!{reference(self.row, self.column)}"

    def meaning(self, work: Work) -> Any:
        """The value the Book gives this cell (``None`` for a row the Book does not know)."""
        assert self.grid.spec is not None
        origin = self.grid.origin[self.row] if self.row < len(self.grid.origin) else None
        if origin is None:
            return None
        if self.grid.spec == AUDIT_SHEET.name:
            return work.book["Audit"].get(origin)
        return work.book[self.grid.spec][origin].get(self.field)

    def set_meaning(self, work: Work, value: Any) -> None:
        assert self.grid.spec is not None
        origin = self.grid.origin[self.row]
        if self.grid.spec == AUDIT_SHEET.name:
            work.book["Audit"][origin] = value
        else:
            work.book[self.grid.spec][origin][self.field] = value


def slots(work: Work, *, audit: bool = True) -> list[Slot]:
    """Every value cell of a format field in a row that holds a record, sheet by sheet."""
    found = []
    for grid in work.specs(audit=audit):
        if grid.spec == AUDIT_SHEET.name:
            field_column, value_column, _ = audit_layout(grid)
            for row in data_rows(grid):
                name = grid.at(row, field_column)
                if isinstance(name, str) and normalise_name(name) in KINDS[AUDIT_SHEET.name]:
                    found.append(Slot(grid, row, value_column, normalise_name(name)))
            continue
        columns = header_fields(grid)
        found.extend(
            Slot(grid, row, column, name)
            for row in data_rows(grid)
            for name, column in columns.items()
        )
    return found


# -- spellings that mean the same, and values that are errors ------------------------------------

_SAME_TIME = dt.time(13, 45, 10)


def _number_spellings(number: Decimal) -> list[Any]:
    text = format(number, "f")
    spellings: list[Any] = [text, f" {text} ", f"+{text}", f"0{text}"]
    spellings.append(f"{text}0" if "." in text else f"{text}.00")
    if number == number.to_integral_value():
        spellings.append(int(number))
    if Decimal(repr(float(number))) == number:
        spellings.append(float(number))
    return spellings


def _enum_spellings(sheet: str, name: str, value: Any) -> list[Any]:
    info = SHEET_BY_NAME[sheet].model.model_fields[name]
    described = enum_of(info)
    assert described is not None
    aliases = dict(described.aliases)
    member = enum_reader(described.enum, aliases)(value)
    text = member.value
    spellings: list[Any] = [
        text.upper(),
        text.replace("_", " ").title(),
        text.replace("_", "-"),
        f"  {text} ",
        text.capitalize().replace("_", " - "),
    ]
    spellings.extend(
        variant
        for alias, target in aliases.items()
        if target == text
        for variant in (alias, alias.lower())
    )
    return spellings


def same_spellings(slot: Slot, meaning: Any) -> list[Any]:
    """Cell values the format reads as ``meaning`` in this slot's column."""
    assert slot.grid.spec is not None
    kind = slot.kind
    if kind is Kind.ID:
        text = str(meaning).strip()
        spellings: list[Any] = [f" {text} ", f"{text}  "]
        if text.isascii() and text.isdigit():
            spellings += [int(text), float(text), f" {int(text)}"]
        return spellings
    if kind is Kind.TEXT:
        text = str(meaning).strip()
        return [f"  {text}", f"{text} ", f" {text}\n"]
    if kind is Kind.BOOL:
        if to_bool(meaning):
            return [True, "yes", "YES", "Y", "y", "true", "TRUE", "True", 1, "1", " yes "]
        return [False, "no", "No", "N", "n", "false", "FALSE", 0, "0", " no "]
    if kind in (Kind.AMOUNT, Kind.WAGE, Kind.NUMBER, Kind.RATE):
        return _number_spellings(to_decimal(meaning))
    if kind is Kind.DATE:
        day = to_date(meaning)
        return [
            day,
            dt.datetime.combine(day, dt.time()),
            dt.datetime.combine(day, _SAME_TIME),
            day.isoformat(),
            f" {day.isoformat()} ",
        ]
    if kind in (Kind.COUNTRY, Kind.CURRENCY):
        code = str(meaning).strip().upper()
        return [code.lower(), f" {code} ", code.capitalize(), f"{code}\t"]
    if kind is Kind.LANGUAGES:
        codes = [part.strip().lower() for part in str(meaning).split(",")]
        return [
            ", ".join(codes).upper(),
            ",".join(codes),
            " , ".join(codes) + " ",
            ", ".join([*codes, codes[0]]),
        ]
    assert kind is Kind.ENUM
    return _enum_spellings(slot.grid.spec, slot.field, meaning)


_BAD_NUMBERS: tuple[Any, ...] = (
    -1,
    -0.01,
    "-5",
    "1,2000",  # 1.1 reads "1,200" (thousands commas), never a comma elsewhere
    "1,00,000",
    "1 200",
    "12 USD",
    "$12",
    "two hundred",
    "1e3",
    "NaN",
    "inf",
    True,
    1e15,
    "1200.50.1",
)
BAD_VALUES: dict[Kind, tuple[Any, ...]] = {
    Kind.ID: (1.5, "W\u200b1", True, "E1\u202e", -2.25),
    Kind.TEXT: (Long(32_768), True),
    Kind.BOOL: ("maybe", 2, "yes please", 0.5, "si", dt.date(2026, 1, 1), "yes/no"),
    Kind.AMOUNT: _BAD_NUMBERS,
    Kind.WAGE: (*_BAD_NUMBERS, 0, "0", "0.00"),
    Kind.NUMBER: (-1, "1,5", 10**6, "many"),
    Kind.RATE: (0, -0.5, "1,5", "rate", "0"),
    Kind.DATE: (
        "30/06/2026",
        "2026/06/30",
        "06-30-2026",
        "2026-6-30",
        "2026-02-30",
        "June 30, 2026",
        "20260630",
        45000,
        True,
        dt.time(12, 0),
        "2026-06-30T10:00",
    ),
    Kind.COUNTRY: ("ZZ", "Philipines", "PHLX", "P H", 12),  # 1.1 reads Philippines and PHL
    Kind.CURRENCY: ("ZZZ", "US$", "dollar", "U S D", 840),
    Kind.LANGUAGES: ("englsh", "fil", "tl;;en", "tl, zz", "tl,,en", 7, "tl en"),
    Kind.ENUM: ("foo", "construction work", 1, "yes"),
}

#: Values for any cell, whatever its column: every type and the edges of each.
EDGE_VALUES: tuple[Any, ...] = (
    None,
    "",
    " ",
    "\t",
    "\n",
    "-",
    "unknown",
    "N/A",
    "none",
    "yes",
    "no",
    "TRUE",
    True,
    False,
    0,
    1,
    -1,
    -0.0,
    1.5,
    1e-30,
    1e15,
    1e16,
    1e300,
    2**53 + 1,
    10**20,
    float("nan"),
    float("inf"),
    float("-inf"),
    "NaN",
    "-inf",
    "Infinity",
    "1,200",
    "1.200,50",
    "1 200",
    "$120",
    "120 USD",
    "1e3",
    "0x10",
    "١٢٠",
    "\uff11\uff12\uff10",  # fullwidth digits
    "-0",
    "+.5",
    ".",
    "W1",
    "w1",
    "E1",
    "1001",
    1001,
    1001.0,
    1001.5,
    "F",
    "female",
    "tl, en",
    "tl,",
    ",",
    "XX",
    "usd ",
    "2026-06-30",
    "2026-6-30",
    "30/06/2026",
    "2026-02-29",
    "2024-02-29",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "2026-06-30T10:00:00",
    dt.date(2026, 6, 30),
    dt.date(2026, 7, 1),
    dt.date(1900, 1, 1),
    dt.date(1900, 3, 1),
    dt.date(9999, 12, 31),
    dt.datetime(2026, 6, 30, 23, 59, 59),
    dt.time(12, 0),
    dt.timedelta(days=2, hours=3),
    "=1+1",
    Formula("1/0"),
    Formula("A1"),
    "#N/A",
    "🙂🙂🙂",
    "e\u0301",
    "\u202eW1",
    "W\u200b1",
    "\u00a0W1\u00a0",
    "ǅungla",
    "x" * 32_767,
    Long(32_768),
    Long(1_000_000),
    "<b>&amp;</b>",
    "{field}",
    "a: b",
)

#: Headers no format field reads as, for columns the reader must ignore with a warning.
UNKNOWN_HEADERS = (
    "notes",
    "Remarks",
    "Comentario del inspector",
    "备注",
    "amount (USD)",
    "ملاحظات",
    "worker id 2",
    "x",
    "remarks: 2026",
    "x!y",
    "'quoted'",
)
UNKNOWN_SHEETS = (
    "Notes",
    "Sheet1",
    "Scratch",
    "Ἀρχεῖο",
    "Workers (old)",
    "Pivot 2",
    "Notes!",
    "Fees!A1",
    "O'Brien's",
)
#: Sheet names for the chaos edits: empty, reserved-looking, too long, with odd characters.
ODD_SHEET_NAMES = (
    "",
    " ",
    "Workers",
    "workers",
    "Work ers",
    "Work-ers",
    "W:orkers",
    "Guide",
    "Audit",
    "FX",
    "'Fees'",
    "x" * 40,
    "Рабочие",
    "Fees\u200b",
    "Fees&<>\"'",
    "Fees!E2",
    "a: b",
)


def _header_spellings(name: str) -> list[str]:
    return [
        name.upper(),
        name.replace("_", " ").title(),
        name.replace("_", "-").upper(),
        f"  {name}  ",
        name.replace("_", " - "),
        name.replace("_", "  "),
        name.capitalize(),
        name.replace("_", "_ "),
    ]


def _sheet_spellings(name: str) -> list[str]:
    return [name.lower(), name.upper(), f" {name}", f"{name} ", name.capitalize()]


# -- meaning-preserving edits ------------------------------------------------------------------


@dataclass(frozen=True)
class RespellHeader:
    """A header in another case, spacing or hyphenation (``Worker ID``, ``WORKER-ID``)."""

    sheet: int
    column: int
    variant: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.specs(), self.sheet)
        if grid is None:
            return
        if grid.spec == AUDIT_SHEET.name:
            field_column, value_column, first = audit_layout(grid)
            if first:
                column = _pick([field_column, value_column], self.column)
                name = "field" if column == field_column else "value"
                grid.rows[0][column] = _pick(_header_spellings(name), self.variant)
            return
        columns = sorted(header_fields(grid).items(), key=lambda item: item[1])
        chosen = _pick(columns, self.column)
        if chosen is not None:
            grid.rows[0][chosen[1]] = _pick(_header_spellings(chosen[0]), self.variant)


@dataclass(frozen=True)
class RespellSheet:
    """A format sheet's name in another case, or with a space before or after."""

    sheet: int
    variant: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.specs(), self.sheet)
        if grid is not None:
            assert grid.spec is not None
            grid.name = _pick(_sheet_spellings(grid.spec), self.variant)


@dataclass(frozen=True)
class ShuffleColumns:
    """A sheet's columns in another order."""

    sheet: int
    seed: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.specs(), self.sheet)
        if grid is None:
            return
        width = grid.width
        if grid.spec == AUDIT_SHEET.name and not audit_layout(grid)[2]:
            return  # without a header, the field is column A and its value column B
        order = list(range(width))
        random.Random(self.seed).shuffle(order)
        grid.rows = [[row[i] if i < len(row) else None for i in order] for row in grid.rows]


@dataclass(frozen=True)
class ShuffleSheets:
    """The sheets in another order."""

    seed: int

    def apply(self, work: Work) -> None:
        random.Random(self.seed).shuffle(work.sheets)


@dataclass(frozen=True)
class ShuffleRows:
    """A sheet's data rows in another order (the header stays first)."""

    sheet: int
    seed: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.specs(), self.sheet)
        if grid is None:
            return
        rows = data_rows(grid)
        order = list(rows)
        random.Random(self.seed).shuffle(order)
        moved = [(grid.rows[i], grid.origin[i]) for i in order]
        for target, (row, origin) in zip(rows, moved, strict=True):
            grid.rows[target], grid.origin[target] = row, origin


@dataclass(frozen=True)
class InsertBlankRow:
    """A fully empty row among the data: no cells, or only empty spellings (``n/a``, ``-``)."""

    sheet: int
    position: int
    filler: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.specs(), self.sheet)
        if grid is None:
            return
        width = max(grid.width, 1)
        fillers: list[list[Any]] = [
            [],
            [None] * width,
            [""] * width,
            ["n/a"] * width,
            [_pick(EMPTY_SPELLINGS, self.filler + i) for i in range(width)],
            [None] * (width - 1) + ["-"],
        ]
        position = 1 + self.position % max(len(grid.rows), 1)
        grid.rows.insert(position, list(_pick(fillers, self.filler)))
        grid.origin.insert(position, None)


@dataclass(frozen=True)
class AddUnknownColumn:
    """A column the format does not know, with values in the rows that hold records."""

    sheet: int
    position: int
    header: int
    values: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.specs(), self.sheet)
        if grid is None or not grid.rows:
            return
        taken = {normalise_name(str(cell)) for cell in grid.rows[0] if cell is not None}
        assert grid.spec is not None
        candidates = [
            h
            for h in UNKNOWN_HEADERS
            if normalise_name(h) not in taken and normalise_name(h) not in KINDS[grid.spec]
        ]
        header = _pick(candidates, self.header)
        if header is None:
            return
        first = 0
        if grid.spec == AUDIT_SHEET.name:
            first = audit_layout(grid)[2]
            if not first:
                position = 2 + self.position % (grid.width - 1)  # after field and value
            else:
                position = self.position % (grid.width + 1)
        else:
            position = self.position % (grid.width + 1)
        keep = set(data_rows(grid))
        values = (f"note {self.values}", self.values, True, "n/a", None, "=not a formula")
        for number, row in enumerate(grid.rows):
            row.extend([None] * (grid.width - len(row)))
            if number == 0 and (grid.spec != AUDIT_SHEET.name or first):
                cell: Any = header
            else:
                cell = _pick(values, self.values + number) if number in keep else None
            row.insert(position, cell)


@dataclass(frozen=True)
class AddUnknownSheet:
    """A sheet the format does not know (or the template's Guide), with a little content."""

    name: int
    rows: int

    def apply(self, work: Work) -> None:
        taken = {normalise_name(grid.name) for grid in work.sheets}
        names = [n for n in (*UNKNOWN_SHEETS, "Guide") if normalise_name(n) not in taken]
        name = _pick(names, self.name)
        if name is None:
            return
        content = [["worker_id", "amount"], ["W1", 120], ["note", dt.date(2026, 1, 1)]]
        rows = content[: self.rows % (len(content) + 1)]
        work.sheets.append(Grid(name, rows, None, [None] * len(rows)))


@dataclass(frozen=True)
class RespellAuditField:
    """An Audit field name in another case, spacing or hyphenation."""

    row: int
    variant: int

    def apply(self, work: Work) -> None:
        grid = work.table(AUDIT_SHEET.name)
        if grid is None:
            return
        field_column, _, _ = audit_layout(grid)
        row = _pick(data_rows(grid), self.row)
        if row is not None:
            name = normalise_name(str(grid.at(row, field_column)))
            grid.rows[row][field_column] = _pick(_header_spellings(name), self.variant)


@dataclass(frozen=True)
class DropAuditHeader:
    """The Audit sheet without its field/value header row (the format is kind to this)."""

    def apply(self, work: Work) -> None:
        grid = work.table(AUDIT_SHEET.name)
        if grid is None or audit_layout(grid)[:3] != (0, 1, 1):
            return
        rows = data_rows(grid)
        if not rows:
            return
        # The first row must then be a field: move blank rows from the top.
        del grid.rows[0], grid.origin[0]
        while grid.rows and blank(grid.rows[0]):
            grid.rows.append(grid.rows.pop(0))
            grid.origin.append(grid.origin.pop(0))


@dataclass(frozen=True)
class RespellValue:
    """A value written another way that means the same (``yes`` as TRUE, 120 as ``"120.00"``)."""

    cell: int
    variant: int

    def apply(self, work: Work) -> None:
        candidates = [s for s in slots(work) if not is_empty(s.meaning(work))]
        slot = _pick(candidates, self.cell)
        if slot is not None:
            value = _pick(same_spellings(slot, slot.meaning(work)), self.variant)
            slot.grid.put(slot.row, slot.column, value)


@dataclass(frozen=True)
class EmptyOptional:
    """An optional value left empty, in any of its spellings: "not recorded"."""

    cell: int
    spelling: int

    def apply(self, work: Work) -> None:
        candidates = [
            s
            for s in slots(work)
            if not s.required and (s.grid.spec, s.field) not in _NEEDED_BY_ANOTHER
        ]
        slot = _pick(candidates, self.cell)
        if slot is None:
            return
        slot.grid.put(slot.row, slot.column, _pick(EMPTY_SPELLINGS, self.spelling))
        if slot.meaning(work) is not None:
            slot.set_meaning(work, None)
            work.same_findings = False


_VALID_DATES: tuple[Any, ...] = (
    dt.date(1900, 3, 1),
    "1899-12-31",
    "0001-01-01",
    INSPECTION,
    INSPECTION.isoformat(),
    dt.datetime.combine(INSPECTION, dt.time(23, 59, 59)),
    "2024-02-29",
)
_VALID_TEXTS: tuple[Any, ...] = (
    "Ἀθηνᾶ Πάπα",
    "شركة التوظيف",
    "🙂 agency",
    "x" * 32_767,
    "=SUM(A1:A9)",
    "<script>alert(1)</script>",
    "line one\nline two",
    "0",
    1001,
    " trailing  ",
    "e\u0301\u202e",
)
_VALID_NUMBERS: dict[Kind, tuple[Any, ...]] = {
    Kind.AMOUNT: (
        0,
        "0",
        0.0,
        -0.0,
        "-0",
        1e-30,
        "0.000000000000000000000000000001",
        999_999_999_999_999,
        "999999999999999.99",
        0.3,
        "0.30000000000000004",
        123456.789,
        "1200.50",
    ),
    Kind.WAGE: (1e-30, 0.01, 999_999_999_999_999, "0.5", "1200.50", "999999999999999.999999"),
    Kind.RATE: (1e-9, "0.000001", 999_999_999_999_999, 3.75, "0.000000000000000000000000001"),
}
_VALID_CODES: dict[Kind, tuple[Any, ...]] = {
    Kind.COUNTRY: ("AQ", "va", " ZW ", "SS", "QA", "SA", "MY", "GB", "NO", "no"),
    Kind.LANGUAGES: ("ar", "zu, xh", "en, EN, en", " ne ", "tl,en,ar,ne,id"),
}
#: Origin countries that need no currency the workbooks lack (NP caps fees in NPR).
_VALID_ORIGINS = ("AQ", "va", "ID", "ZW", "ph")
#: Columns whose value ties records together, changed only to another existing id.
_ID_TARGETS = {
    ("Workers", "employer_id"): ("Employers", "employer_id"),
    ("Contracts", "worker_id"): ("Workers", "worker_id"),
    ("Fees", "worker_id"): ("Workers", "worker_id"),
    ("Fees", "intermediary_id"): ("Intermediaries", "intermediary_id"),
    ("Complaints", "worker_id"): ("Workers", "worker_id"),
    ("Complaints", "channel_id"): ("Channels", "channel_id"),
}
#: Ids others refer to: changing one would break the references, not test a value.
_REFERRED = {(target, name) for target, name in _ID_TARGETS.values()}
#: Values tied to others in ways a single edit cannot keep (currencies need rates, a
#: resolution follows its filing, the jurisdiction names a profile).
_FIXED = {
    ("Audit", "currency"),
    ("Audit", "jurisdiction"),
    ("FX", "currency"),
    ("Complaints", "filed_on"),
    ("Complaints", "resolved_on"),
}


def _currencies(work: Work) -> list[str]:
    rates = [str(r["currency"]).strip().upper() for r in work.book.get("FX", [])]
    return [str(work.book["Audit"]["currency"]), *rates]


def valid_values(work: Work, slot: Slot) -> list[Any]:
    """Other values the format accepts in this slot, each keeping the workbook valid."""
    sheet, name, kind = str(slot.grid.spec), slot.field, slot.kind
    if (sheet, name) in _FIXED or (sheet, name) in _REFERRED:
        return []
    origin = slot.grid.origin[slot.row] if slot.row < len(slot.grid.origin) else None
    if origin is None:
        return []
    if (sheet, name) in _ID_TARGETS:
        target, key = _ID_TARGETS[(sheet, name)]
        return [r[key] for r in work.book.get(target, []) if r.get(key) is not None]
    if kind is Kind.ID:
        number = 10**14 + (origin if isinstance(origin, int) else 7)
        return [f"Ω-{origin}", number, f" id {origin} "]
    if kind is Kind.TEXT:
        return list(_VALID_TEXTS)
    if kind is Kind.BOOL:
        return [True, False, "Y", "n", 1, 0, "FALSE"]
    if kind is Kind.DATE:
        if name == "inspection_date":
            return ["2026-07-01", dt.date(2030, 1, 1), "9999-12-31"]
        if name == "licence_valid_until":
            return [*_VALID_DATES, "9999-12-31", dt.date(9999, 12, 31)]
        return list(_VALID_DATES)
    if kind is Kind.NUMBER:
        info = SHEET_BY_NAME[sheet].model.model_fields[name]
        bound = bounds_of(info)
        top = bound.maximum if bound is not None and bound.maximum is not None else Decimal(1)
        return [0, int(top), 0.5, format(top - Decimal("0.01"), "f"), 1e-30]
    if kind is Kind.RATE:
        currency = str(work.book["FX"][origin]["currency"]).strip().upper()
        return [] if currency == work.book["Audit"]["currency"] else list(_VALID_NUMBERS[kind])
    if kind in _VALID_NUMBERS:
        return list(_VALID_NUMBERS[kind])
    if kind is Kind.CURRENCY:
        return _currencies(work)
    if kind is Kind.COUNTRY and name == "origin_country":
        return list(_VALID_ORIGINS)
    if kind in _VALID_CODES:
        return list(_VALID_CODES[kind])
    assert kind is Kind.ENUM
    described = enum_of(SHEET_BY_NAME[sheet].model.model_fields[name])
    assert described is not None
    members = [m.value for m in described.enum if m.value != "intermediary"]
    return [*members, *(alias for alias, _ in described.aliases)]


@dataclass(frozen=True)
class SetValid:
    """A value changed to another the format accepts: an edge of its range, other scripts."""

    cell: int
    value: int

    def apply(self, work: Work) -> None:
        candidates = [(s, v) for s in slots(work) if (v := valid_values(work, s))]
        chosen = _pick(candidates, self.cell)
        if chosen is None:
            return
        slot, values = chosen
        value = _pick(values, self.value)
        slot.grid.put(slot.row, slot.column, value)
        slot.set_meaning(work, value)
        work.same_findings = False


@dataclass(frozen=True)
class SetValidColumn:
    """Every value of one column changed to another the format accepts, all at once.

    Edges meet only when they are together: a fee of 999,999,999,999,999 in a
    currency whose rate is as large, a rate of 10**-27 on every row.
    """

    column: int
    value: int

    def apply(self, work: Work) -> None:
        columns: dict[tuple[int, str], list[Slot]] = {}
        for slot in slots(work):
            if valid_values(work, slot):
                columns.setdefault((id(slot.grid), slot.field), []).append(slot)
        chosen = _pick(list(columns.values()), self.column)
        for slot in chosen or []:
            value = _pick(valid_values(work, slot), self.value)
            slot.grid.put(slot.row, slot.column, value)
            slot.set_meaning(work, value)
            work.same_findings = False


@dataclass(frozen=True)
class DeleteOptionalColumn:
    """An optional column taken out: every value in it is then not recorded."""

    column: int

    def apply(self, work: Work) -> None:
        candidates = [
            (grid, name, column)
            for grid in work.specs(audit=False)
            for name, column in header_fields(grid).items()
            if name not in REQUIRED[str(grid.spec)] and (grid.spec, name) not in _NEEDED_BY_ANOTHER
        ]
        chosen = _pick(candidates, self.column)
        if chosen is None:
            return
        grid, name, column = chosen
        for row in grid.rows:
            if column < len(row):
                del row[column]
        for record in work.book[str(grid.spec)]:
            record[name] = None
        work.same_findings = False


@dataclass(frozen=True)
class DeleteRecord:
    """A record nothing refers to taken out (a fee, a contract, a complaint)."""

    row: int

    def apply(self, work: Work) -> None:
        candidates = [
            (grid, row)
            for grid in work.sheets
            if grid.spec in ("Fees", "Contracts", "Complaints")
            for row in data_rows(grid)
            if grid.origin[row] is not None
        ]
        chosen = _pick(candidates, self.row)
        if chosen is None:
            return
        grid, row = chosen
        work.removed.add((str(grid.spec), grid.origin[row]))
        del grid.rows[row], grid.origin[row]
        work.same_findings = False


@dataclass(frozen=True)
class AddRecord:
    """A record copied under a new id: another fee, contract, complaint, channel or broker."""

    row: int

    def apply(self, work: Work) -> None:
        sheets = ("Fees", "Contracts", "Complaints", "Channels", "Intermediaries")
        candidates = [
            (grid, row)
            for grid in work.sheets
            if grid.spec in sheets
            for row in data_rows(grid)
            if grid.origin[row] is not None
        ]
        chosen = _pick(candidates, self.row)
        if chosen is None:
            return
        grid, row = chosen
        spec = str(grid.spec)
        key = SHEET_BY_NAME[spec].model.ID_FIELD
        column = header_fields(grid).get(str(key))
        if key is None or column is None:
            return
        records = work.book[spec]
        record = dict(records[grid.origin[row]])
        record[key] = f"NEW-{len(records)}"
        copied = list(grid.rows[row])
        copied[column] = record[key]
        records.append(record)
        grid.rows.append(copied)
        grid.origin.append(len(records) - 1)
        work.same_findings = False


@dataclass(frozen=True)
class DeleteOptionalSheet:
    """An optional sheet taken out when nothing needs it (Complaints; unused Intermediaries)."""

    sheet: int

    def apply(self, work: Work) -> None:
        fees = work.book.get("Fees", [])
        used = any(f.get("intermediary_id") is not None for f in fees)
        names = ["Complaints", *([] if used else ["Intermediaries"])]
        grid = _pick([g for g in work.sheets if g.spec in names], self.sheet)
        if grid is not None:
            work.sheets.remove(grid)
            del work.book[str(grid.spec)]
            work.same_findings = False


DATE_FORMATS = (
    "dd/mm/yyyy",
    "d-mmm-yy",
    "[$-409]mmmm d, yyyy;@",
    "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy",
    "yyyy\\-mm\\-dd",
    "dd.mm.yyyy",
    "m/d/yy h:mm",
    'yyyy"年"m"月"d"日"',
    "d/m/yyyy h:mm AM/PM",
)
NUMBER_FORMATS = (
    '0" days"',
    "#,##0.00",
    "0%",
    '"$"#,##0.00_);("$"#,##0.00)',
    "@",
    "General",
    "0.00E+00",
    "[Red]0.00",
    "# ?/?",
    '0.0 "hrs"',
    "[$USD] #,##0.00",
    "0\\d",
    "_(* #,##0_)",
    '"Yes";"Yes";"No"',
)


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _plain_value(value: Any) -> Any:
    return value.value if isinstance(value, Styled) else value


@dataclass(frozen=True)
class Restyle:
    """A number or date cell shown another way: a date format, a currency, a percentage."""

    cell: int
    style: int

    def apply(self, work: Work) -> None:
        candidates = []
        for slot in slots(work):
            value = _plain_value(slot.grid.at(slot.row, slot.column))
            if isinstance(value, dt.date):
                candidates.append((slot, value, DATE_FORMATS))
            elif isinstance(value, int | float) and not isinstance(value, bool):
                candidates.append((slot, value, NUMBER_FORMATS))
        chosen = _pick(candidates, self.cell)
        if chosen is not None:
            slot, value, formats = chosen
            slot.grid.put(slot.row, slot.column, Styled(value, _pick(formats, self.style)))


@dataclass(frozen=True)
class Epoch1904:
    """Dates counted from 1904 (the workbook says so), as Excel for the Mac once saved them."""

    def apply(self, work: Work) -> None:
        work.epoch_1904 = True


@dataclass(frozen=True)
class IsoDates:
    """Date cells written as ISO 8601 date cells (``t="d"``) instead of serial numbers."""

    def apply(self, work: Work) -> None:
        work.iso_dates = True


SameEdit = (
    RespellHeader
    | RespellSheet
    | ShuffleColumns
    | ShuffleSheets
    | ShuffleRows
    | InsertBlankRow
    | AddUnknownColumn
    | AddUnknownSheet
    | RespellAuditField
    | DropAuditHeader
    | RespellValue
    | EmptyOptional
    | SetValid
    | SetValidColumn
    | DeleteOptionalColumn
    | DeleteRecord
    | AddRecord
    | DeleteOptionalSheet
    | Restyle
    | Epoch1904
    | IsoDates
)

_small = st.integers(min_value=0, max_value=60)
SAME_EDITS: st.SearchStrategy[SameEdit] = st.one_of(
    st.builds(RespellHeader, _small, _small, _small),
    st.builds(RespellSheet, _small, _small),
    st.builds(ShuffleColumns, _small, _small),
    st.builds(ShuffleSheets, _small),
    st.builds(ShuffleRows, _small, _small),
    st.builds(InsertBlankRow, _small, _small, _small),
    st.builds(AddUnknownColumn, _small, _small, _small, _small),
    st.builds(AddUnknownSheet, _small, _small),
    st.builds(RespellAuditField, _small, _small),
    st.just(DropAuditHeader()),
    st.builds(RespellValue, st.integers(0, 400), _small),
    st.builds(EmptyOptional, st.integers(0, 400), _small),
    st.builds(SetValid, st.integers(0, 400), _small),
    st.builds(SetValidColumn, _small, _small),
    st.builds(SetValidColumn, _small, _small),
    st.builds(DeleteOptionalColumn, _small),
    st.builds(DeleteRecord, _small),
    st.builds(AddRecord, _small),
    st.builds(DeleteOptionalSheet, _small),
    st.builds(Restyle, st.integers(0, 400), _small),
    st.just(Epoch1904()),
    st.just(IsoDates()),
)


# -- breaking edits --------------------------------------------------------------------------


def _expect(work: Work, where: str | None, fragment: str) -> None:
    work.expected.append(Expect(where, fragment))


@dataclass(frozen=True)
class EmptyRequired:
    """A required value left empty, in any of the spellings of empty."""

    cell: int
    spelling: int

    def apply(self, work: Work) -> None:
        slot = _pick([s for s in slots(work) if s.required], self.cell)
        if slot is not None:
            slot.grid.put(slot.row, slot.column, _pick(EMPTY_SPELLINGS, self.spelling))
            _expect(work, slot.where, "required")


@dataclass(frozen=True)
class BadValue:
    """A value the format refuses in its column: a wrong type, spelling or range."""

    cell: int
    value: int

    def apply(self, work: Work) -> None:
        slot = _pick(slots(work), self.cell)
        if slot is not None:
            slot.grid.put(slot.row, slot.column, _pick(BAD_VALUES[slot.kind], self.value))
            _expect(work, slot.where, slot.field)


@dataclass(frozen=True)
class FutureDate:
    """A date after the inspection, where only the licence may be."""

    cell: int
    days: int

    def apply(self, work: Work) -> None:
        candidates = [s for s in slots(work, audit=False) if s.kind is Kind.DATE]
        slot = _pick(candidates, self.cell)
        if slot is not None:
            later = INSPECTION + dt.timedelta(days=1 + self.days * 40)
            value: Any = later if self.days % 2 else later.isoformat()
            slot.grid.put(slot.row, slot.column, value)
            _expect(work, slot.where, "after the inspection date")


@dataclass(frozen=True)
class DeleteRequiredColumn:
    """A required column taken out."""

    column: int

    def apply(self, work: Work) -> None:
        candidates = [
            (grid, name, column)
            for grid in work.specs(audit=False)
            for name, column in header_fields(grid).items()
            if name in REQUIRED[grid.spec or ""]
        ]
        chosen = _pick(candidates, self.column)
        if chosen is None:
            return
        grid, name, column = chosen
        for row in grid.rows:
            if column < len(row):
                del row[column]
        _expect(work, f"{grid.spec}!{name}", "required column is missing")


@dataclass(frozen=True)
class DeleteRequiredSheet:
    """A required sheet taken out."""

    sheet: int

    def apply(self, work: Work) -> None:
        grid = _pick([g for g in work.sheets if g.spec in _REQUIRED_SHEETS], self.sheet)
        if grid is not None:
            work.sheets.remove(grid)
            _expect(work, str(grid.spec), "required sheet is missing")


@dataclass(frozen=True)
class DuplicateHeader:
    """A second column whose header is a known one respelled (``Amount`` beside ``amount``)."""

    column: int
    variant: int
    position: int

    def apply(self, work: Work) -> None:
        candidates = [
            (grid, name, column)
            for grid in work.specs(audit=False)
            for name, column in header_fields(grid).items()
        ]
        audit = work.table(AUDIT_SHEET.name)
        if audit is not None and audit_layout(audit)[2]:
            field_column, value_column, _ = audit_layout(audit)
            candidates += [(audit, "field", field_column), (audit, "value", value_column)]
        chosen = _pick(candidates, self.column)
        if chosen is None:
            return
        grid, name, column = chosen
        position = self.position % (grid.width + 1)
        for number, row in enumerate(grid.rows):
            row.extend([None] * (grid.width - len(row)))
            copied = _pick(_header_spellings(name), self.variant) if number == 0 else row[column]
            row.insert(position, copied)
        later = column + 1 if position <= column else position
        _expect(work, f"{grid.spec}!{reference(0, later)}", "repeats column")


@dataclass(frozen=True)
class DuplicateSheet:
    """A copy of a format sheet under a name that reads the same."""

    sheet: int
    variant: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.specs(), self.sheet)
        if grid is None:
            return
        assert grid.spec is not None
        names = [n for n in _sheet_spellings(grid.spec) if n != grid.name]
        twin = grid.copy()
        twin.name = _pick(names, self.variant)
        work.sheets.insert(work.sheets.index(grid) + 1, twin)
        _expect(work, grid.spec, "two sheets are named")


@dataclass(frozen=True)
class DuplicateRecord:
    """A record given twice: a row copied, its id (FX currency, Audit field) maybe respelled.

    ``W1`` and `` W1 ``, ``1003`` and ``"1003"``, ``QAR`` and ``qar``,
    ``audit_id`` and ``Audit ID`` are the same key.
    """

    row: int
    variant: int

    def apply(self, work: Work) -> None:
        candidates = []
        for grid in work.specs():
            if grid.spec == AUDIT_SHEET.name:
                key, key_column = "", audit_layout(grid)[0]
            else:
                spec = SHEET_BY_NAME[str(grid.spec)]
                key = spec.model.ID_FIELD or "currency"
                column = header_fields(grid).get(key)
                if column is None:
                    continue
                key_column = column
            candidates += [(grid, row, key, key_column) for row in data_rows(grid)]
        chosen = _pick(candidates, self.row)
        if chosen is None:
            return
        grid, row, key, key_column = chosen
        copied = list(grid.rows[row])
        written = grid.at(row, key_column)
        if self.variant % 3 and not is_empty(written):
            if key:
                meaning = Slot(grid, row, key_column, key).meaning(work) or written
                spellings = same_spellings(Slot(grid, row, key_column, key), meaning)
            else:
                spellings = _header_spellings(normalise_name(str(written)))
            copied[key_column] = _pick(spellings, self.variant)
        grid.rows.append(copied)
        grid.origin.append(None)
        where = f"{grid.spec}!{reference(len(grid.rows) - 1, key_column)}"
        _expect(work, where, "twice" if grid.spec != "FX" else "two rates")


@dataclass(frozen=True)
class DeleteAuditField:
    """A required Audit field's row taken out."""

    row: int

    def apply(self, work: Work) -> None:
        grid = work.table(AUDIT_SHEET.name)
        if grid is None:
            return
        field_column = audit_layout(grid)[0]
        rows = [
            row
            for row in data_rows(grid)
            if normalise_name(str(grid.at(row, field_column))) in REQUIRED[AUDIT_SHEET.name]
        ]
        row = _pick(rows, self.row)
        if row is not None:
            name = normalise_name(str(grid.at(row, field_column)))
            del grid.rows[row], grid.origin[row]
            _expect(work, AUDIT_SHEET.name, f"field {name} is missing")


@dataclass(frozen=True)
class UncachedFormula:
    """A formula with no saved result where a value is read."""

    cell: int

    def apply(self, work: Work) -> None:
        slot = _pick(slots(work), self.cell)
        if slot is not None:
            slot.grid.put(slot.row, slot.column, Formula("1+1"))
            _expect(work, slot.where, "formula")


@dataclass(frozen=True)
class UnknownJurisdiction:
    """A jurisdiction with no profile."""

    spelling: int

    def apply(self, work: Work) -> None:
        slot = next((s for s in slots(work) if s.field == "jurisdiction"), None)
        if slot is not None:
            slot.grid.put(slot.row, slot.column, _pick(("XX", "Narnia", "ILO-2"), self.spelling))
            _expect(work, slot.where, "jurisdiction must be one of")


@dataclass(frozen=True)
class UnratedCurrency:
    """A currency with no FX rate."""

    cell: int

    def apply(self, work: Work) -> None:
        candidates = [s for s in slots(work) if (s.grid.spec, s.field) in _CURRENCY_COLUMNS]
        slot = _pick(candidates, self.cell)
        if slot is not None:
            slot.grid.put(slot.row, slot.column, "EUR")
            _expect(work, slot.where, "has no rate on the FX sheet")


@dataclass(frozen=True)
class DanglingReference:
    """A reference to an id that no row has."""

    cell: int

    def apply(self, work: Work) -> None:
        candidates = [s for s in slots(work) if s.field in REFERENCES.get(str(s.grid.spec), ())]
        slot = _pick(candidates, self.cell)
        if slot is not None:
            slot.grid.put(slot.row, slot.column, "NOBODY-9")
            _expect(work, slot.where, "NOBODY-9")


@dataclass(frozen=True)
class NoDataRows:
    """Workers or Employers with a header and no rows."""

    sheet: int

    def apply(self, work: Work) -> None:
        grids = [g for g in work.sheets if g.spec in ("Workers", "Employers")]
        grid = _pick(grids, self.sheet)
        if grid is not None:
            del grid.rows[1:], grid.origin[1:]
            _expect(work, str(grid.spec), "has no data rows")


@dataclass(frozen=True)
class MergedCells:
    """Two cells merged across a column that is read."""

    cell: int
    down: bool

    def apply(self, work: Work) -> None:
        slot = _pick(slots(work, audit=False), self.cell)
        if slot is None:
            return
        last = (slot.row + 1, slot.column) if self.down else (slot.row, slot.column + 1)
        slot.grid.merged.append(f"{reference(slot.row, slot.column)}:{reference(*last)}")
        _expect(work, slot.where, "are merged")


def _slot_of(work: Work, sheet: str, name: str, row: int) -> Slot | None:
    """The slot of ``name`` on a row of ``sheet`` that holds a record, picked by ``row``."""
    return _pick([s for s in slots(work) if (s.grid.spec, s.field) == (sheet, name)], row)


@dataclass(frozen=True)
class ResolvedBeforeFiled:
    """A complaint resolved before it was filed."""

    row: int

    def apply(self, work: Work) -> None:
        filed = _slot_of(work, "Complaints", "filed_on", self.row)
        if filed is None:
            return
        resolved = next(
            (s for s in slots(work) if s.field == "resolved_on" and s.row == filed.row), None
        )
        if resolved is not None:
            filed.grid.put(filed.row, filed.column, dt.date(2026, 3, 2))
            resolved.grid.put(resolved.row, resolved.column, "2026-03-01")
            _expect(work, resolved.where, "before filed_on")


@dataclass(frozen=True)
class AuditCurrencyRate:
    """The audit currency listed on FX with a rate other than 1."""

    spelling: int

    def apply(self, work: Work) -> None:
        grid = work.table("FX")
        if grid is None:
            return
        columns = header_fields(grid)
        if "currency" not in columns or "rate" not in columns:
            return
        row = len(grid.rows)
        code = str(work.book["Audit"]["currency"])
        grid.put(row, columns["currency"], _pick([code, code.lower(), f" {code}"], self.spelling))
        grid.put(row, columns["rate"], _pick([3.64, "2", 0.5], self.spelling))
        grid.origin.append(None)
        _expect(work, f"FX!{reference(row, columns['rate'])}", "can only be 1")


@dataclass(frozen=True)
class MissingCapRate:
    """The NPR rate taken out while the NP profile caps fees in NPR."""

    def apply(self, work: Work) -> None:
        grid = work.table("FX")
        audit = work.book["Audit"]
        if (
            grid is None
            or str(audit.get("jurisdiction") or audit["origin_country"]).upper() != "NP"
        ):
            return
        column = header_fields(grid).get("currency")
        for row in data_rows(grid):
            if column is not None and str(grid.at(row, column)).strip().upper() == "NPR":
                del grid.rows[row], grid.origin[row]
                _expect(work, None, "NPR")
                return


@dataclass(frozen=True)
class WageWithoutCurrency:
    """A wage paid recorded without its currency."""

    row: int
    spelling: int

    def apply(self, work: Work) -> None:
        wage = _slot_of(work, "Workers", "monthly_wage_paid", self.row)
        if wage is None:
            return
        currency = next(
            (s for s in slots(work) if s.field == "wage_currency" and s.row == wage.row), None
        )
        if currency is not None:
            wage.grid.put(wage.row, wage.column, 450)
            currency.grid.put(currency.row, currency.column, _pick(EMPTY_SPELLINGS, self.spelling))
            _expect(work, currency.where, "wage_currency is required")


@dataclass(frozen=True)
class IntermediaryWithoutId:
    """A fee paid to an intermediary with no intermediary named."""

    row: int

    def apply(self, work: Work) -> None:
        paid_to = _slot_of(work, "Fees", "paid_to", self.row)
        if paid_to is None:
            return
        named = next(
            (s for s in slots(work) if s.field == "intermediary_id" and s.row == paid_to.row), None
        )
        if named is not None:
            paid_to.grid.put(paid_to.row, paid_to.column, "Intermediary")
            named.grid.put(named.row, named.column, None)
            _expect(work, named.where, "intermediary_id is required")


@dataclass(frozen=True)
class NoMinorUnit:
    """An audit currency with no minor unit in ISO 4217 (gold, special drawing rights)."""

    code: int

    def apply(self, work: Work) -> None:
        slot = next(
            (s for s in slots(work) if s.field == "currency" and s.grid.spec == "Audit"), None
        )
        if slot is not None:
            slot.grid.put(slot.row, slot.column, _pick(("XAU", "xdr", "XXX"), self.code))
            _expect(work, slot.where, "no minor unit")


BreakingEdit = (
    EmptyRequired
    | BadValue
    | FutureDate
    | DeleteRequiredColumn
    | DeleteRequiredSheet
    | DuplicateHeader
    | DuplicateSheet
    | DuplicateRecord
    | DeleteAuditField
    | UncachedFormula
    | UnknownJurisdiction
    | UnratedCurrency
    | DanglingReference
    | NoDataRows
    | MergedCells
    | ResolvedBeforeFiled
    | AuditCurrencyRate
    | MissingCapRate
    | WageWithoutCurrency
    | IntermediaryWithoutId
    | NoMinorUnit
)

_cell = st.integers(min_value=0, max_value=400)
BREAKING_EDITS: st.SearchStrategy[BreakingEdit] = st.one_of(
    st.builds(EmptyRequired, _cell, _small),
    st.builds(BadValue, _cell, _small),
    st.builds(FutureDate, _cell, _small),
    st.builds(DeleteRequiredColumn, _small),
    st.builds(DeleteRequiredSheet, _small),
    st.builds(DuplicateHeader, _small, _small, _small),
    st.builds(DuplicateSheet, _small, _small),
    st.builds(DuplicateRecord, _small, _small),
    st.builds(DeleteAuditField, _small),
    st.builds(UncachedFormula, _cell),
    st.builds(UnknownJurisdiction, _small),
    st.builds(UnratedCurrency, _small),
    st.builds(DanglingReference, _small),
    st.builds(NoDataRows, _small),
    st.builds(MergedCells, _cell, st.booleans()),
    st.builds(ResolvedBeforeFiled, _small),
    st.builds(AuditCurrencyRate, _small),
    st.just(MissingCapRate()),
    st.builds(WageWithoutCurrency, _small, _small),
    st.builds(IntermediaryWithoutId, _small),
    st.builds(NoMinorUnit, _small),
)


# -- chaos edits --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetCell:
    """Any cell, inside the sheet or just beyond it, set to any edge value."""

    sheet: int
    row: int
    column: int
    value: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.sheets, self.sheet)
        if grid is not None:
            row = self.row % (len(grid.rows) + 2)
            column = self.column % (grid.width + 2)
            grid.put(row, column, _pick(EDGE_VALUES, self.value))


@dataclass(frozen=True)
class DeleteRow:
    """Any row taken out, header included."""

    sheet: int
    row: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.sheets, self.sheet)
        if grid is not None and grid.rows:
            row = self.row % len(grid.rows)
            del grid.rows[row]
            if row < len(grid.origin):
                del grid.origin[row]


@dataclass(frozen=True)
class CopyRow:
    """Any row copied to another place."""

    sheet: int
    row: int
    to: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.sheets, self.sheet)
        if grid is not None and grid.rows:
            row = list(grid.rows[self.row % len(grid.rows)])
            position = self.to % (len(grid.rows) + 1)
            grid.rows.insert(position, row)
            grid.origin.insert(position, None)


@dataclass(frozen=True)
class DeleteColumn:
    """Any column taken out."""

    sheet: int
    column: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.sheets, self.sheet)
        if grid is not None and grid.width:
            column = self.column % grid.width
            for row in grid.rows:
                if column < len(row):
                    del row[column]


@dataclass(frozen=True)
class RenameSheet:
    """Any sheet given an odd name: empty, a format name already taken, with a colon..."""

    sheet: int
    name: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.sheets, self.sheet)
        if grid is not None:
            grid.name = _pick(ODD_SHEET_NAMES, self.name)


@dataclass(frozen=True)
class DeleteSheet:
    """Any sheet taken out."""

    sheet: int

    def apply(self, work: Work) -> None:
        if work.sheets:
            del work.sheets[self.sheet % len(work.sheets)]


@dataclass(frozen=True)
class HideSheet:
    """Any sheet hidden."""

    sheet: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.sheets, self.sheet)
        if grid is not None:
            grid.hidden = True


@dataclass(frozen=True)
class MergeAny:
    """Any range merged, over any cells."""

    sheet: int
    row: int
    column: int
    height: int
    width: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.sheets, self.sheet)
        if grid is None:
            return
        top, left = self.row % (len(grid.rows) + 1), self.column % (grid.width + 1)
        bottom, right = top + self.height % 3, left + self.width % 3
        if (bottom, right) != (top, left):
            grid.merged.append(f"{reference(top, left)}:{reference(bottom, right)}")


@dataclass(frozen=True)
class RestyleAny:
    """Any number or date cell given any format: a fee amount shown as a date, a date as %."""

    sheet: int
    row: int
    column: int
    style: int

    def apply(self, work: Work) -> None:
        grid = _pick(work.sheets, self.sheet)
        if grid is None or not grid.rows:
            return
        row = self.row % len(grid.rows)
        column = self.column % max(grid.width, 1)
        value = _plain_value(grid.at(row, column))
        if isinstance(value, int | float | dt.date) and not isinstance(value, bool):
            grid.put(row, column, Styled(value, _pick(DATE_FORMATS + NUMBER_FORMATS, self.style)))


CHAOS_EDITS: st.SearchStrategy[Any] = st.one_of(
    SAME_EDITS,
    BREAKING_EDITS,
    st.builds(SetCell, _small, _small, _small, st.integers(0, len(EDGE_VALUES) - 1)),
    st.builds(SetCell, _small, _small, _small, st.integers(0, len(EDGE_VALUES) - 1)),
    st.builds(DeleteRow, _small, _small),
    st.builds(CopyRow, _small, _small, _small),
    st.builds(DeleteColumn, _small, _small),
    st.builds(RenameSheet, _small, _small),
    st.builds(DeleteSheet, _small),
    st.builds(HideSheet, _small),
    st.builds(MergeAny, _small, _small, _small, _small, _small),
    st.builds(RestyleAny, _small, _small, _small, _small),
)


# -- the package's raw XML -------------------------------------------------------------------

Parts = dict[str, bytes]
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CELL = re.compile(rb"<c\b[^>]*?(?:/>|>.*?</c>)", re.DOTALL)
_INLINE = re.compile(rb'<c\b([^>]*?) t="inlineStr"([^>]*)><is>(.*?)</is></c>', re.DOTALL)
_TEXT = re.compile(rb"<t\b[^>]*>(.*?)</t>|<t\b[^>]*/>", re.DOTALL)
_STRINGS_PART = "xl/sharedStrings.xml"
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def sheet_part(parts: Parts, sheet: int) -> str | None:
    """The part of the ``sheet``-th sheet (modulo their number), as openpyxl names it."""
    names = sorted(
        (name for name in parts if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name)),
        key=lambda name: int(re.sub(r"\D", "", name)),
    )
    return _pick(names, sheet)


def _cells(parts: Parts, sheet: int) -> tuple[str | None, list[re.Match[bytes]]]:
    part = sheet_part(parts, sheet)
    if part is None:
        return None, []
    return part, list(_CELL.finditer(parts[part]))


def _replace_cell(parts: Parts, part: str, match: re.Match[bytes], new: bytes) -> None:
    data = parts[part]
    parts[part] = data[: match.start()] + new + data[match.end() :]


def _set_attribute(tag: bytes, name: bytes, value: bytes | None) -> bytes:
    """``tag`` (a start tag) with attribute ``name`` set to ``value``, or removed (None)."""
    pattern = re.compile(rb"\s" + name + rb'="[^"]*"')
    tag = pattern.sub(b"", tag, count=1)
    if value is None:
        return tag
    return re.sub(rb"^<c\b", b"<c " + name + b'="' + value + b'"', tag, count=1)


def _start_tag(cell: bytes) -> tuple[bytes, bytes]:
    end = cell.index(b">") + 1
    if cell[end - 2 : end] == b"/>":
        return cell[: end - 2] + b">", b"</c>"
    return cell[:end], cell[end:]


@dataclass(frozen=True)
class SharedStrings:
    """Texts moved from inline strings into the shared-text part, as Excel writes them."""

    def apply(self, parts: Parts) -> None:
        # Texts already shared keep their index, so applying this twice changes nothing.
        bodies: list[bytes] = re.findall(
            rb"<si>(.*?)</si>", parts.get(_STRINGS_PART, b""), re.DOTALL
        )
        texts = {body: index for index, body in reversed(list(enumerate(bodies)))}

        def share(match: re.Match[bytes]) -> bytes:
            index = texts.get(match[3])
            if index is None:
                index = texts[match[3]] = len(bodies)
                bodies.append(match[3])
            return b"<c" + match[1] + b' t="s"' + match[2] + b"><v>%d</v></c>" % index

        for name in list(parts):
            if name.startswith("xl/worksheets/"):
                parts[name] = _INLINE.sub(share, parts[name])
        items = b"".join(b"<si>" + body + b"</si>" for body in bodies)
        parts[_STRINGS_PART] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            + f'<sst xmlns="{_MAIN}" count="{len(bodies)}" uniqueCount="{len(bodies)}">'.encode()
            + items
            + b"</sst>"
        )
        types = parts.get("[Content_Types].xml", b"")
        if types and b"sharedStrings" not in types:
            override = f'<Override PartName="/{_STRINGS_PART}" ContentType="{_STRINGS_TYPE}"/>'
            parts["[Content_Types].xml"] = types.replace(
                b"</Types>", override.encode() + b"</Types>"
            )
        rels = parts.get("xl/_rels/workbook.xml.rels", b"")
        if rels and b"sharedStrings" not in rels:
            relation = (
                f'<Relationship Id="rIdS1" Type="{_STRINGS_REL}" Target="sharedStrings.xml"/>'
            )
            parts["xl/_rels/workbook.xml.rels"] = rels.replace(
                b"</Relationships>", relation.encode() + b"</Relationships>"
            )


@dataclass(frozen=True)
class CachedFormula:
    """A value turned into a formula with that value saved as its result (counts as the value)."""

    sheet: int
    cell: int

    def apply(self, parts: Parts) -> None:
        part, cells = _cells(parts, self.sheet)
        usable = [m for m in cells if b"<v>" in m[0] and b"<f" not in m[0] and b't="' not in m[0]]
        usable += [m for m in cells if b't="inlineStr"' in m[0]]
        match = _pick(usable, self.cell)
        if part is None or match is None:
            return
        cell = match[0]
        if b't="inlineStr"' in cell:
            texts = b"".join(t[1] or b"" for t in _TEXT.finditer(cell))
            start = _set_attribute(_start_tag(cell)[0], b"t", b"str")
            literal = texts.replace(b"&quot;", b'"').replace(b'"', b'""')
            new = start + b'<f>"' + literal + b'"</f><v>' + texts + b"</v></c>"
        else:
            value = re.search(rb"<v>(.*?)</v>", cell, re.DOTALL)
            assert value is not None
            new = cell.replace(b"<v>", b"<f>0+" + value[1] + b"</f><v>", 1)
        _replace_cell(parts, part, match, new)


@dataclass(frozen=True)
class NamespacePrefix:
    """A sheet's XML written with a namespace prefix (``x:row``, ``x:c``), as some exporters do."""

    sheet: int

    def apply(self, parts: Parts) -> None:
        part = sheet_part(parts, self.sheet)
        if part is None:
            return
        text = parts[part].decode()
        text = re.sub(r"<(/?)([A-Za-z]+)([ >/])", r"<\1x:\2\3", text)
        parts[part] = text.replace('x:worksheet xmlns="', 'x:worksheet xmlns:x="', 1).encode()


@dataclass(frozen=True)
class DropDimension:
    """A sheet without its ``<dimension>`` and row ``spans`` (both are only hints)."""

    sheet: int

    def apply(self, parts: Parts) -> None:
        part = sheet_part(parts, self.sheet)
        if part is not None:
            data = re.sub(rb"<dimension\b[^>]*/>", b"", parts[part])
            parts[part] = re.sub(rb' spans="[^"]*"', b"", data)


SameXml = SharedStrings | CachedFormula | NamespacePrefix | DropDimension
SAME_XML: st.SearchStrategy[SameXml] = st.one_of(
    st.just(SharedStrings()),
    st.builds(CachedFormula, _small, st.integers(0, 200)),
    st.builds(NamespacePrefix, _small),
    st.builds(DropDimension, _small),
)

CELL_TYPES = (b"s", b"n", b"b", b"str", b"e", b"inlineStr", b"d", b"zz", b"", None)
VALUE_TEXTS = (
    b"-1",
    b"999999",
    b"abc",
    b"",
    b" ",
    b"1.5",
    b"18446744073709551616",
    b"1e999",
    b"nan",
    b"-0",
    b"2",
    b"#N/A",
    b"2026-06-30T00:00:00",
    b"9999999999",
    b"-9999999999",
    b"&#27;[2J",
    b"&lt;",
    b"\xc3\xa9",
)
CELL_REFERENCES = (b"", b"A0", b"ZZZZ1", b"A1048577", b"1A", b"a2", b"B2", b"A1", b"XFD3", None)
STYLE_INDEXES = (b"9999", b"-1", b"x", b"1", b"0")


@dataclass(frozen=True)
class CellAttribute:
    """One attribute of a cell's start tag set to another value, or removed (``None``): its
    type ``t`` ("s", "n", "b", "str", "e"...), its reference ``r`` (row 0, past the last
    row, a duplicate...) or its style ``s`` (past the styles part)."""

    sheet: int
    cell: int
    attribute: bytes
    value: bytes | None

    def apply(self, parts: Parts) -> None:
        part, cells = _cells(parts, self.sheet)
        match = _pick(cells, self.cell)
        if part is not None and match is not None:
            start, rest = _start_tag(match[0])
            new = _set_attribute(start, self.attribute, self.value)
            _replace_cell(parts, part, match, new + rest)


@dataclass(frozen=True)
class ValueText:
    """A cell's ``<v>`` text replaced: a shared-text index out of range, text in a number..."""

    sheet: int
    cell: int
    text: int
    shared_only: bool

    def apply(self, parts: Parts) -> None:
        part, cells = _cells(parts, self.sheet)
        usable = [m for m in cells if b"<v>" in m[0] and (not self.shared_only or b't="s"' in m[0])]
        match = _pick(usable, self.cell)
        if part is not None and match is not None:
            text = _pick(VALUE_TEXTS, self.text)
            new = re.sub(rb"<v>.*?</v>", lambda _: b"<v>" + text + b"</v>", match[0], count=1)
            _replace_cell(parts, part, match, new)


@dataclass(frozen=True)
class ControlText:
    """A text with a control character written as an XML character reference."""

    sheet: int
    cell: int
    character: int

    def apply(self, parts: Parts) -> None:
        part, cells = _cells(parts, self.sheet)
        usable = [m for m in cells if b"<t" in m[0]]
        match = _pick(usable, self.cell)
        if part is not None and match is not None:
            reference_text = _pick(
                (b"&#27;", b"&#1;", b"&#x7f;", b"&#8232;", b"&#65279;"), self.character
            )
            new = re.sub(rb"(<t\b[^>]*>)", lambda m: m[1] + reference_text, match[0], count=1)
            _replace_cell(parts, part, match, new)


@dataclass(frozen=True)
class DropPart:
    """A part of the package taken out (a sheet, the styles, the shared texts, the relations)."""

    part: int

    def apply(self, parts: Parts) -> None:
        name = _pick(sorted(parts), self.part)
        if name is not None:
            del parts[name]


@dataclass(frozen=True)
class CutPart:
    """A part cut short, as a half-written file leaves it."""

    part: int
    keep: int

    def apply(self, parts: Parts) -> None:
        name = _pick(sorted(parts), self.part)
        if name is not None:
            data = parts[name]
            parts[name] = data[: len(data) * (self.keep % 10) // 10]


@dataclass(frozen=True)
class Garble:
    """Stray bytes inserted into a part."""

    part: int
    position: int
    junk: int

    def apply(self, parts: Parts) -> None:
        name = _pick(sorted(parts), self.part)
        if name is None:
            return
        junk = _pick((b"<", b"&", b"\xff\xfe", b"]]>", b"<x>", b"\x00", b"</sheetData>"), self.junk)
        data = parts[name]
        position = self.position * 7919 % (len(data) + 1)
        parts[name] = data[:position] + junk + data[position:]


@dataclass(frozen=True)
class SheetEntry:
    """The workbook's list of sheets edited: an entry repeated, removed, or pointing nowhere."""

    sheet: int
    how: int

    def apply(self, parts: Parts) -> None:
        data = parts.get("xl/workbook.xml")
        if data is None:
            return
        entries = list(re.finditer(rb"<sheet\b[^>]*/>", data))
        match = _pick(entries, self.sheet)
        if match is None:
            return
        entry = match[0]
        how = self.how % 4
        if how == 0:
            new = entry + entry
        elif how == 1:
            new = b""
        elif how == 2:
            new = re.sub(rb'r:id="[^"]*"', b'r:id="rId999"', entry)
        else:
            new = re.sub(rb'sheetId="[^"]*"', b'sheetId="1"', entry)
        parts["xl/workbook.xml"] = data[: match.start()] + new + data[match.end() :]


ROW_NUMBERS = (b"0", b"1", b"2", b"1048577", b"99999999999", b"-3", b"x", b"", None)
DATE_TEXTS = (
    b"2025-01-10T10:11:12Z",
    b"2025-01-10T10:11:12+05:45",
    b"2025-13-01",
    b"not a date",
    b"99999-01-01",
    b"-0001-01-01",
    b"1899-12-31",
    b"1900-02-29",
    b"",
    b"45000",
)


@dataclass(frozen=True)
class RowNumber:
    """A row's ``r`` number changed (row 0, past the limit, repeated, not a number) or removed."""

    sheet: int
    row: int
    number: int

    def apply(self, parts: Parts) -> None:
        part = sheet_part(parts, self.sheet)
        if part is None:
            return
        rows = list(re.finditer(rb"<row\b[^>]*>", parts[part]))
        match = _pick(rows, self.row)
        if match is None:
            return
        tag = re.sub(rb'\sr="[^"]*"', b"", match[0], count=1)
        number = _pick(ROW_NUMBERS, self.number)
        if number is not None:
            tag = tag.replace(b"<row", b'<row r="' + number + b'"', 1)
        data = parts[part]
        parts[part] = data[: match.start()] + tag + data[match.end() :]


@dataclass(frozen=True)
class DateCellText:
    """A cell made an ISO 8601 date cell (``t="d"``) holding odd text."""

    sheet: int
    cell: int
    text: int

    def apply(self, parts: Parts) -> None:
        part, cells = _cells(parts, self.sheet)
        match = _pick(cells, self.cell)
        if part is not None and match is not None:
            start = _set_attribute(_start_tag(match[0])[0], b"t", b"d")
            text = _pick(DATE_TEXTS, self.text)
            _replace_cell(parts, part, match, start + b"<v>" + text + b"</v></c>")


def _cell_attribute(
    attribute: bytes, values: Sequence[bytes | None]
) -> st.SearchStrategy[CellAttribute]:
    return st.builds(
        CellAttribute, _small, st.integers(0, 200), st.just(attribute), st.sampled_from(values)
    )


CHAOS_XML: st.SearchStrategy[Any] = st.one_of(
    SAME_XML,
    _cell_attribute(b"t", CELL_TYPES),
    _cell_attribute(b"t", CELL_TYPES),  # twice: type confusion is the likeliest real damage
    st.builds(ValueText, _small, st.integers(0, 200), _small, st.booleans()),
    st.builds(ValueText, _small, st.integers(0, 200), _small, st.just(True)),
    _cell_attribute(b"r", CELL_REFERENCES),
    _cell_attribute(b"s", STYLE_INDEXES),
    st.builds(ControlText, _small, st.integers(0, 200), _small),
    st.builds(DropPart, _small),
    st.builds(CutPart, _small, _small),
    st.builds(Garble, _small, st.integers(0, 10_000), _small),
    st.builds(SheetEntry, _small, _small),
    st.builds(RowNumber, _small, _small, _small),
    st.builds(DateCellText, _small, st.integers(0, 200), _small),
)


# -- writing ------------------------------------------------------------------------------------


#: The first day a 1904-based workbook can hold as a date cell (earlier serials are negative).
_FIRST_1904 = dt.date(1904, 1, 1)


def _write_cell(sheet: Any, row: int, column: int, value: Any, *, epoch_1904: bool) -> None:
    cell = sheet.cell(row=row + 1, column=column + 1)
    inner = value.value if isinstance(value, Styled) else value
    if epoch_1904 and isinstance(inner, dt.date) and _day(inner) < _FIRST_1904:
        value = inner.isoformat()[:10]  # no 1904-based date cell can hold it; its text can
    if isinstance(value, Styled):
        cell.value = value.value
        cell.number_format = value.number_format
        return
    if isinstance(value, Long):
        cell.value = value.placeholder
        return
    if isinstance(value, Formula):
        cell.value = f"={value.text}"
        return
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a text that looks like a formula, kept as text


def write(work: Work, path: Path) -> Path:
    """Write the grids as a real xlsx (openpyxl), name the sheets, then apply the XML edits."""
    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    if work.epoch_1904:
        workbook.epoch = CALENDAR_MAC_1904
    workbook.iso_dates = work.iso_dates
    for number, grid in enumerate(work.sheets, start=1):
        sheet = workbook.create_sheet(f"S{number}")
        for row_number, row in enumerate(grid.rows):
            for column, value in enumerate(row):
                if value is not None:
                    _write_cell(sheet, row_number, column, value, epoch_1904=work.epoch_1904)
        for merged in grid.merged:
            sheet.merge_cells(merged)
        if grid.hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    names = parts["xl/workbook.xml"]
    for number, grid in enumerate(work.sheets, start=1):
        names = names.replace(f'name="S{number}"'.encode(), f"name={quoteattr(grid.name)}".encode())
    parts["xl/workbook.xml"] = names
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and "\u27e6long ".encode() in data:
            parts[name] = re.sub(
                "\u27e6long (\\d+)\u27e7".encode(), lambda m: b"x" * int(m[1]), data
            )
    for edit in work.xml:
        edit.apply(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def describe(book: str, edits: Sequence[Any], xml: Sequence[Any]) -> str:
    """How to rebuild a drawn workbook, for a failure's report."""
    lines = [f"book: {book}", *(f"  {edit!r}" for edit in edits)]
    lines += [f"  xml {edit!r}" for edit in xml]
    return "\n".join(lines)


def build(book: str, edits: Sequence[Any], xml: Sequence[Any] = ()) -> Work:
    """The Work of a named Book after ``edits``, with the XML edits to apply when written."""
    work = work_of(BOOKS[book]())
    for edit in edits:
        edit.apply(work)
    work.xml = list(xml)
    return work
