"""The changes stock properties make to a dataset, each described in the workbook's terms.

- **A violation the catalogue allows to add** (rule-catalogue "Default
  scoring"): setting one of the listed fields of an existing record to its
  violating value, or adding a worker-paid fee row to an existing worker.
  Only these are promised never to raise the score: new workers, channels
  or complaints change the denominators of prevalence, and changing
  ``stage``, ``category``, ``sector`` or ``paid_by`` moves a record from
  one rule to another. A rule's own violations are read from its examples
  that fire; an example that needs anything else is not one of them.
- **Raising or lowering** a number or date column (a rule's declared
  ``monotone`` property).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from auditor.engine.rulefile import Example, Rule
from auditor.model.columns import Kind, bounds_of, kind_of
from auditor.model.dataset import AuditDataset
from auditor.model.sheets import SHEET_BY_KEY, SHEET_BY_NAME
from auditor.testing.baseline import ROW_DEFAULTS
from auditor.testing.strategies import INSPECTION_DATE

_CHANNEL_FLAGS = (
    "free_of_charge",
    "confidential",
    "women_staff_available",
    "open_to_domestic_workers",
)

#: rule-catalogue "Default scoring": the fields whose violating value never raises the score.
VIOLATING_VALUES: Mapping[tuple[str, str], frozenset[object]] = {
    ("fees", "deducted_from_wages"): frozenset({True}),
    ("fees", "receipt_issued"): frozenset({False}),
    ("fees", "financed_by_loan"): frozenset({True}),
    ("contracts", "copy_given_to_worker"): frozenset({False}),
    ("contracts", "worker_may_terminate_for_abuse"): frozenset({False}),
    ("contracts", "passport_retention_clause"): frozenset({True}),
    ("workers", "briefing_received"): frozenset({False}),
    ("workers", "wages_withheld"): frozenset({True}),
    ("workers", "passport_held_by"): frozenset({"employer", "agency", "other"}),
    ("employers", "job_change_requires_consent"): frozenset({True}),
    ("employers", "exit_permit_required"): frozenset({True}),
    ("employers", "independent_residency_route"): frozenset({False}),
    **{("channels", flag): frozenset({False}) for flag in _CHANNEL_FLAGS},
    ("complaints", "worker_penalised"): frozenset({True}),
    ("intermediaries", "licensed"): frozenset({False}),
}


@cache
def _reader(sheet_key: str, column: str) -> TypeAdapter[Any]:
    info = SHEET_BY_KEY[sheet_key].model.model_fields[column]
    # A type built at run time from the field's own annotation and constraints, so that a
    # move reads a value exactly as ingestion does; mypy cannot follow a runtime-built form.
    return TypeAdapter(Annotated[info.annotation, *info.metadata])  # type: ignore[arg-type]


def read_value(sheet_key: str, column: str, value: object) -> object:
    """A value as the format reads it (``"no"`` is ``False``); the raw value if unreadable."""
    try:
        read = _reader(sheet_key, column).validate_python(value)
    except ValidationError:
        return value
    return getattr(read, "value", read)  # an enumeration member as its text


@dataclass(frozen=True)
class Move:
    """One example's violation, as settings of listed fields and worker-paid fee rows."""

    example: str
    sets: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]  # (sheet key, ((field, value)...))
    fees: tuple[dict[str, Any], ...]
    intermediaries: tuple[dict[str, Any], ...]
    fx: tuple[dict[str, Any], ...]

    def describe(self) -> str:
        parts = [
            f"set {', '.join(f'{name} = {value}' for name, value in fields)} "
            f"on {SHEET_BY_KEY[key].name}"
            for key, fields in self.sets
        ]
        parts += [
            f"add a {row['category']} fee of {row['amount']} {row['currency']}" for row in self.fees
        ]
        return "; ".join(parts)


def moves_of(rule: Rule) -> list[Move]:
    """The violations the catalogue lets one add, in ``rule``'s examples that fire.

    From each such example, the settings of listed fields to their
    violating value and the worker-paid fee rows it adds; anything else it
    changes (a sector, a date, a blank) sets the scene and is left out.
    """
    return [move for example in rule.data.examples if (move := _move(example)) is not None]


def _move(example: Example) -> Move | None:
    if example.expect != "fires":
        return None
    sets = []
    for key, records in example.change.items():
        if key == "audit":  # no field of the Audit sheet is on the catalogue's list
            continue
        for fields in records.values():
            read = tuple(
                (name, value)
                for name, raw in fields.items()
                if (value := read_value(key, name, raw)) in VIOLATING_VALUES.get((key, name), ())
            )
            if read:
                sets.append((key, read))
    fees = tuple(
        row
        for added in example.add.get("fees", [])
        if _worker_paid(row := {**ROW_DEFAULTS["fees"], **added})
    )
    if not fees and not sets:
        return None
    return Move(
        example.name,
        tuple(sets),
        fees,
        tuple(example.add.get("intermediaries", [])),
        tuple(example.add.get("fx", [])),
    )


def _worker_paid(row: Mapping[str, Any]) -> bool:
    """A row the worker bore: above zero, paid by her or deducted from her wages."""
    paid_by = read_value("fees", "paid_by", row.get("paid_by"))
    deducted = read_value("fees", "deducted_from_wages", row.get("deducted_from_wages"))
    amount = read_value("fees", "amount", row.get("amount"))
    return isinstance(amount, Decimal) and amount > 0 and (paid_by == "worker" or deducted is True)


def editable(dataset: AuditDataset) -> dict[str, Any]:
    """The dataset as the dicts of the library input, sheets as lists, ready to change."""
    data = dataset.model_dump()
    return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


def apply_move(data: dict[str, Any], move: Move, pick: Any) -> str | None:
    """Make ``move`` on records of ``data`` chosen by ``pick(n)`` (an index below n).

    Returns what was done, or ``None`` when the dataset has no record to change.
    """
    done = []
    for key, fields in move.sets:
        rows = data[key]
        if not rows:
            return None
        row = rows[pick(len(rows))]
        id_field = SHEET_BY_KEY[key].model.ID_FIELD or "currency"
        for name, value in fields:
            done.append(f"{SHEET_BY_KEY[key].name} {row[id_field]} {name}: {row[name]} -> {value}")
            row[name] = value
    renamed = {}
    for number, item in enumerate(move.intermediaries, start=1):
        renamed[item["intermediary_id"]] = new_id = f"MOVE-I{number}"
        data["intermediaries"].append({**item, "intermediary_id": new_id})
    currencies = {data["audit"]["currency"], *(row["currency"] for row in data["fx"])}
    for number, fee in enumerate(move.fees, start=1):
        if not data["workers"]:
            return None
        worker = data["workers"][pick(len(data["workers"]))]["worker_id"]
        row = {**fee, "fee_id": f"MOVE-F{number}", "worker_id": worker}
        if row.get("intermediary_id") is not None:
            row["intermediary_id"] = renamed.get(row["intermediary_id"], row["intermediary_id"])
        if row["currency"] not in currencies:
            rate = next((fx for fx in move.fx if fx["currency"] == row["currency"]), None)
            if rate is None:
                row["currency"] = data["audit"]["currency"]
            else:
                data["fx"].append(dict(rate))
                currencies.add(rate["currency"])
        data["fees"].append(row)
        done.append(
            f"Fees: added {row['fee_id']} for {worker} "
            f"({row['category']}, {row['amount']} {row['currency']})"
        )
    return "; ".join(done)


def orderable(sheet: str, column: str) -> bool:
    """Whether a column holds numbers or dates, which a monotone property can raise."""
    spec = SHEET_BY_NAME.get(sheet)
    if spec is None or column not in spec.model.model_fields:
        return False
    return kind_of(spec.model.model_fields[column]) in _ORDERED


_ORDERED = (Kind.AMOUNT, Kind.WAGE, Kind.NUMBER, Kind.DATE)


def shifted(sheet: str, column: str, value: object, up: bool, step: Decimal) -> object | None:
    """``value`` moved up or down by ``step`` (a fraction of it for numbers, days for dates).

    ``None`` when the move would leave what the format allows (a negative
    amount, a date after the inspection, beyond a column's limit).
    """
    info = SHEET_BY_NAME[sheet].model.model_fields[column]
    if isinstance(value, dt.date):
        day = value + dt.timedelta(days=int(step * 365) + 1) * (1 if up else -1)
        return day if day <= INSPECTION_DATE else None
    if not isinstance(value, Decimal):
        return None
    delta = (abs(value) * step).quantize(Decimal("0.01")) + Decimal("0.01")
    moved = value + delta if up else value - delta
    bounds = bounds_of(info)
    if moved < 0 or (kind_of(info) is Kind.WAGE and moved <= 0):
        return None
    if bounds is not None and bounds.maximum is not None and moved > bounds.maximum:
        return None
    return moved
