"""The column reader (the fast path of a clean sheet) gives what the exact reader gives.

Each test reads the same cells twice: through :func:`read_table_sheet` as it
is (the column reader first, the exact row-by-row reader when it declines)
and with the column reader switched off. Records (with the fields pydantic
counts as set), ids, row numbers, cells and every problem, in order, must be
the same, for sheets of plain values and for sheets full of the values that
trip readers: blanks, empty markers, ``1`` and ``1.0`` and ``True``, ``-0.0``,
huge numbers, control characters, dates before 1900, times, commas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.base.limits import DEFAULT_LIMITS
from auditor.ingest import columnar, tables
from auditor.ingest.tables import Sheet, read_table_sheet
from auditor.model.consistency import ReadSheets
from auditor.model.problems import Problems
from auditor.model.sheets import (
    SHEET_BY_NAME,
    TABLE_SHEETS,
    Provenance,
    SheetSource,
    WorkbookLocator,
)

#: A plainly valid cell for each field, as calamine would give it.
VALID: dict[str, list[object]] = {
    "employer_id": ["E1", "E2", " E3 "],
    "worker_id": ["W1", "W2", "W3"],
    "contract_id": ["C1", "C2"],
    "fee_id": ["F1", "F2", "F3"],
    "intermediary_id": ["I1", "I2"],
    "channel_id": ["CH1", "CH2"],
    "complaint_id": ["K1", "K2"],
    "source_id": ["S1", "S2"],
    "subject_id": ["W1", "E1"],
    "name": ["Employer One", "Broker"],
    "description": ["ticket", "medical check"],
    "destination_country": ["QA", "sa", "Nepal", "NA"],
    "nationality": ["PH", "NP"],
    "sector": ["care", "construction", "Domestic Work"],
    "sex": ["F", "female", "M"],
    "languages": ["en", "en, tl", "tl; ne"],
    "briefing_languages": ["en", "tl"],
    "date_of_birth": [dt.date(1990, 1, 2), "1991-02-03"],
    "deployment_date": [dt.date(2024, 1, 2), dt.datetime(2024, 3, 1, 0, 0)],
    "signed_on": [dt.date(2023, 1, 2)],
    "paid_on": [dt.date(2023, 5, 6), "2023-05-07"],
    "refunded_on": [dt.date(2024, 1, 1)],
    "filed_on": [dt.date(2025, 1, 1)],
    "resolved_on": [dt.date(2025, 2, 1)],
    "collected_on": [dt.date(2025, 2, 1)],
    "monthly_wage_paid": [400.0, 380.5],
    "monthly_wage": [500.0, 1200.0, 99.99],
    "amount": [120.0, 0.0, 1500.5, 7],
    "refunded_amount": [10.0, 0.0],
    "termination_penalty": [0.0, 200.0],
    "weekly_hours": [48.0, 60.0],
    "weekly_rest_days": [1.0, 0.5],
    "response_days": [30.0, 7],
    "rate": [0.0175, 1.0, 3.64],
    "currency": ["USD", "php", "QAR"],
    "wage_currency": ["USD", "PHP"],
    "stage": ["origin", "destination"],
    "category": ["medical", "recruitment_fee", "Personal Documents"],
    "paid_by": ["worker", "employer"],
    "paid_to": ["agency", "intermediary"],
    "passport_held_by": ["worker", "employer"],
    "operated_by": ["ngo", "government"],
    "kind": ["hotline", "email", "In Person"],
    "subject_type": ["worker", "employer"],
}
#: Where a sheet's field reads other values than the field of that name elsewhere.
VALID_ON: dict[tuple[str, str], list[object]] = {
    ("Complaints", "category"): ["wages", "fees", "Sexual Violence"],
    ("Sources", "kind"): ["interview", "document"],
}
YES_NO: list[object] = ["yes", "no", "Y", True, False, 1.0]
#: Cells that trip one reader or another.
TRICKY: list[object] = [
    "",
    " ",
    "n/a",
    "NA",
    "None",
    "unknown",
    "-",
    True,
    False,
    1,
    1.0,
    0.0,
    -0.0,
    -3.0,
    2.5,
    1e15,
    1e16,
    float("nan"),
    float("inf"),
    "12,500",
    "1,234.5",
    " 5000 ",
    "NPR 5,000",
    "x" * 17,
    "W1\u200b",
    "a\x01b",
    "\tW9",
    "line one\nline two",
    dt.date(1899, 12, 31),
    dt.datetime(2020, 1, 1, 10, 30),
    dt.time(10, 0),
    dt.timedelta(days=1),
    "2020-02-30",
    "01/02/2020",
    "KWD",
    "english",
]


def _valid_cells(sheet: str, name: str) -> list[object]:
    return VALID_ON.get((sheet, name)) or VALID.get(name, YES_NO)


@contextmanager
def _exact_only() -> Iterator[None]:
    original = columnar.read_clean
    setattr(tables, "read_clean", lambda *_, **__: None)  # noqa: B010  # not re-exported
    try:
        yield
    finally:
        setattr(tables, "read_clean", original)  # noqa: B010


def read_records(
    sheet_name: str, rows: list[list[object]], unreadable: dict[tuple[int, int], str]
) -> Any:
    spec = SHEET_BY_NAME[sheet_name]
    sources: dict[str, SheetSource] = {}
    problems = Problems(WorkbookLocator(Provenance(sources, {}, from_workbook=True)))
    read = ReadSheets(audit=None, present={sheet_name})
    read_table_sheet(Sheet(spec, rows, dict(unreadable)), sources, read, problems, DEFAULT_LIMITS)
    return read.readable(sheet_name)


def _read(sheet_name: str, rows: list[list[object]], unreadable: dict[tuple[int, int], str]) -> Any:
    spec = SHEET_BY_NAME[sheet_name]
    sources: dict[str, SheetSource] = {}
    problems = Problems(WorkbookLocator(Provenance(sources, {}, from_workbook=True)))
    read = ReadSheets(audit=None, present={sheet_name})
    read_table_sheet(
        Sheet(spec, [list(row) for row in rows], dict(unreadable)),
        sources,
        read,
        problems,
        DEFAULT_LIMITS,
    )
    return (
        [(problem, problem.sort_key) for problem in problems._items],
        sources,
        [(i, _state(r)) for i, r in read.records.get(sheet_name, [])],
        read.ids.get(sheet_name),
        read.counts.get(sheet_name),
        [(i, _state(r)) for i, r in read.partial.get(sheet_name, [])],
        dict(read.columns),
    )


def _state(record: Any) -> tuple[str, list[str], object, object]:
    """A record as written out: ``Decimal("-0.0")`` equals ``Decimal("0.0")`` but prints apart."""
    state = record.__getstate__()
    return (
        repr(state["__dict__"]),
        sorted(state["__pydantic_fields_set__"]),
        state["__pydantic_extra__"],
        state["__pydantic_private__"],
    )


def _same_both_ways(
    sheet_name: str, rows: list[list[object]], unreadable: dict[tuple[int, int], str] | None = None
) -> bool:
    """Both readers agree; True when the column reader read the sheet itself."""
    spec = SHEET_BY_NAME[sheet_name]
    header = [str(c) for c in rows[0]] if rows else []
    columns = {name: i for i, name in enumerate(header) if name in spec.fields}
    unnamed = [i for i, name in enumerate(header) if not name.strip()]
    fast = columnar.read_clean(spec, rows, columns, unnamed, unreadable or {}, DEFAULT_LIMITS)
    got = _read(sheet_name, rows, unreadable or {})
    with _exact_only():
        expected = _read(sheet_name, rows, unreadable or {})
    columns_given = got[-1]
    records = [record for _, record in read_records(sheet_name, rows, unreadable or {})]
    for (sheet, name), values in columns_given.items():
        assert sheet == sheet_name
        assert values == [getattr(record, name) for record in records]
    assert got[:-1] == expected[:-1]
    return fast is not None


@st.composite
def sheets(draw: st.DrawFn, tricky: float) -> tuple[str, list[list[object]]]:
    spec = draw(st.sampled_from(TABLE_SHEETS))
    fields = list(spec.fields)
    if draw(st.booleans()):
        fields = draw(st.permutations(fields))
    header: list[object] = [*fields, *draw(st.sampled_from([[], [""], ["", "notes"]]))]
    rows: list[list[object]] = [header]
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 9)) == 0:
            rows.append([draw(st.sampled_from(["", " ", "n/a"])) for _ in header])
            continue
        row: list[object] = []
        for name in header:
            pool = _valid_cells(spec.name, str(name)) if name in spec.fields else ["", "x", 3.0]
            if name in spec.fields and not spec.model.model_fields[str(name)].is_required():
                pool = [*pool, ""]
            odd = draw(st.floats(0, 1)) < tricky
            row.append(draw(st.sampled_from(TRICKY if odd else pool)))
        rows.append(row)
    return spec.name, rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets(tricky=0.0))
def test_plain_sheets_read_alike(sheet: tuple[str, list[list[object]]]) -> None:
    _same_both_ways(*sheet)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets(tricky=0.15))
def test_sheets_with_odd_cells_read_alike(sheet: tuple[str, list[list[object]]]) -> None:
    _same_both_ways(*sheet)


@pytest.mark.parametrize("spec", TABLE_SHEETS, ids=lambda spec: spec.name)
def test_plain_values_of_every_sheet_are_read_by_the_column_reader(spec: Any) -> None:
    fields = list(spec.fields)
    rows: list[list[object]] = [fields]
    for index in range(12):
        rows.append([_pick(_valid_cells(spec.name, name), index) for name in fields])
    rows[3] = [
        "" if not spec.model.model_fields[f].is_required() else c
        for f, c in zip(fields, rows[3], strict=True)
    ]
    assert _same_both_ways(spec.name, rows)


def _pick(pool: list[object], index: int) -> object:
    return pool[index % len(pool)]


def _fees(rows: list[list[object]]) -> list[list[object]]:
    return [list(SHEET_BY_NAME["Fees"].fields), *rows]


def _fee(**cells: object) -> list[object]:
    plain: dict[str, object] = {
        "fee_id": "F1",
        "worker_id": "W1",
        "category": "medical",
        "description": "",
        "amount": 120.0,
        "currency": "USD",
        "paid_by": "worker",
        "paid_to": "",
        "intermediary_id": "",
        "paid_on": dt.date(2024, 1, 1),
        "deducted_from_wages": "yes",
        "receipt_issued": "",
        "financed_by_loan": "no",
        "refunded_amount": "",
        "refunded_on": "",
    }
    plain.update(cells)
    return [plain[name] for name in SHEET_BY_NAME["Fees"].fields]


def test_a_plain_sheet_is_read_by_the_column_reader() -> None:
    rows = _fees([_fee(fee_id=f"F{i}", receipt_issued="n/a" if i % 2 else "") for i in range(9)])
    assert _same_both_ways("Fees", rows)


@pytest.mark.parametrize(
    "cells",
    [
        {"amount": -0.0},  # a set would merge it with 0.0
        {"amount": 0},  # an int beside floats equal to it
        {"receipt_issued": True},  # True beside 1.0
        {"worker_id": True},  # True beside 1.0, in an id: 1.0 reads as "1", True is refused
        {"worker_id": 1},  # 1 beside 1.0: both read as "1"
        {"amount": "12,500", "currency": "KWD"},  # commas in a three-decimal currency
        {"fee_id": "F1\u200b"},  # an invisible character in an id
        {"fee_id": ""},  # a required cell left blank in a row that is not blank
        {"description": "a\x01b"},  # a control character
        {"paid_on": dt.date(1899, 12, 31)},  # a date cell before 1900
        {"amount": 1e16},  # more digits than a spreadsheet keeps
    ],
)
@pytest.mark.parametrize("first", [True, False])
def test_odd_cells_beside_plain_ones_read_alike(cells: dict[str, object], first: bool) -> None:
    others = [
        _fee(fee_id=f"F{i}", amount=0.0, receipt_issued=1.0, worker_id=1.0) for i in range(2, 5)
    ]
    odd = _fee(**cells)
    _same_both_ways("Fees", _fees([odd, *others] if first else [*others, odd]))


def test_blank_rows_are_skipped_alike() -> None:
    blank: list[object] = [""] * len(SHEET_BY_NAME["Fees"].fields)
    marker: list[object] = ["n/a", *[""] * (len(blank) - 1)]
    assert _same_both_ways("Fees", _fees([blank, _fee(), marker, _fee(fee_id="F2"), blank]))


def test_unreadable_cells_go_to_the_exact_reader() -> None:
    rows = _fees([_fee(), _fee(fee_id="F2")])
    amount = SHEET_BY_NAME["Fees"].fields.index("amount") + 1
    assert not _same_both_ways("Fees", rows, {(3, amount): "formula"})
    assert _same_both_ways("Fees", rows, {(3, len(rows[0]) + 1): "error"})  # no column read


def test_records_of_the_column_reader_share_only_what_is_immutable() -> None:
    rows = _fees([_fee(fee_id=f"F{i}") for i in range(3)])
    spec = SHEET_BY_NAME["Fees"]
    columns = {name: i for i, name in enumerate(spec.fields)}
    clean = columnar.read_clean(spec, rows, columns, [], {}, DEFAULT_LIMITS)
    assert clean is not None
    first, second = clean.records[0], clean.records[1]
    assert first.__dict__ is not second.__dict__
    changed = first.model_copy(update={"description": "changed"})
    assert "description" in changed.model_fields_set
    assert "description" not in second.model_fields_set  # the shared set was copied
