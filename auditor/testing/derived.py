"""What the rule files say a compliant record looks like, read from their conditions.

A rule's condition compiles to branches (conjunctions of leaves, each with the
truth states it needs, :func:`~auditor.engine.conditions.compile_condition`);
the rule fires where one branch holds. A record column that a leaf reads as
written (``response_days`` of a channel, ``job_change_requires_consent`` of an
employer, ``worker_penalised`` of a complaint) can break every branch that
leaf is in: a value on which the leaf is not in the branch's states keeps the
rule from firing there. :func:`keep_rules` sets such columns, record by
record, to a value that no branch of any rule forbids: the drawn value when
it is allowed, else a comparison's own constant where it is allowed (the
boundary, where an off-by-one threshold shows), else a value just beside it.

The shipped rules' branches count too (:func:`forbidden_values`), so that they
stay an independent account of the law for the columns they judge.

So a rule over any column of the vocabulary is kept by the kit's compliant
datasets from its YAML alone: the analyst's COMP-09 (a channel publishing a
response time over 30 days) gets channels of at most 30 days, with no list
of compliant values written in Python.

Branches that rest on a derived value too (``days_over_limit``,
``recruitment_fee_excess``, an age, ``worker_paid``) are left alone: which of
their leaves to break is a matter of the law (a worker-paid row without a
receipt is broken by the receipt, not by making the employer pay), and the
generator's structure keeps those (a complaint answered within its limit, a
fee up to the cap), see :mod:`auditor.testing.compliant`. A leaf of a rule's
``applies_when`` is never used: keeping a rule by taking every record out of
its scope would hide it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from auditor.engine.conditions import Leaf, States, compile_condition, evaluate_leaf, leaves
from auditor.engine.pack import RulePack
from auditor.enrich.values import UNKNOWN_NUMBER
from auditor.enrich.vocabulary import FactType, FieldType, field_spec
from auditor.model.sheets import SHEET_BY_KEY

#: The sheet (dataset key) whose records a fact type is made from; ``audit`` is one record.
SHEET_OF: Mapping[FactType, str] = {
    FactType.AGENCY: "audit",
    FactType.EMPLOYER: "employers",
    FactType.WORKER: "workers",
    FactType.CONTRACT: "contracts",
    FactType.FEE: "fees",
    FactType.CHANNEL: "channels",
    FactType.COMPLAINT: "complaints",
}
#: What the branches of a pack forbid, by the pack's digest (compiling costs; packs are few).
_BY_DIGEST: dict[str, dict[tuple[str, str], list[Forbidden]]] = {}


@dataclass(frozen=True)
class Forbidden:
    """Values of a column on which ``leaf`` is in ``states``: with them ``rule_id`` may fire."""

    rule_id: str
    leaf: Leaf
    states: States
    field_type: FieldType
    choices: tuple[str, ...]  # an enumeration's values


def column_of(fact: FactType, path: str) -> tuple[str, str] | None:
    """The (sheet key, column) a fact field copies as written, or None when it is derived.

    A field is copied as written when its record has a column of the same name and it is
    not converted to the audit currency (``amount`` is, ``weekly_hours`` is not).
    """
    if "." in path:
        prefix, name = path.split(".", 1)
        return column_of(FactType(prefix), name)
    spec = field_spec(fact, path)
    if spec is None or spec.unit == "audit currency" or spec.type is FieldType.CODE:
        return None
    if (fact, path) in _DERIVED_SETTERS:
        return SHEET_OF[fact], path
    sheet = SHEET_OF[fact]
    model = _model(sheet)
    if path not in model.model_fields:
        return None
    return sheet, path


def _model(sheet: str) -> Any:
    if sheet == "audit":
        from auditor.model.records import AuditInfo

        return AuditInfo
    return SHEET_BY_KEY[sheet].model


def forbidden_values(pack: RulePack) -> dict[tuple[str, str], list[Forbidden]]:
    """For each column some rule reads as written, what its branches forbid: those of
    ``pack`` and those of the shipped pack together.

    The shipped rules stay an account of the law independent of the rules under test:
    a rule turned around (REST-01 firing on a full rest day) or pointed at a field the
    shipped rules judge is caught by the compliant datasets, as no value keeps both.
    A column no shipped rule reads takes its compliant values from ``pack`` alone.
    """
    from auditor.base.resources import default_rules_dir

    merged: dict[tuple[str, str], list[Forbidden]] = {}
    packs = [pack] if pack.directory == default_rules_dir() else [pack, _shipped()]
    for each in packs:
        for column, items in _forbidden(each).items():
            known = merged.setdefault(column, [])
            known += [item for item in items if item not in known]
    return merged


def _shipped() -> RulePack:
    from auditor.engine.pack import rule_pack

    return rule_pack()


def _forbidden(pack: RulePack) -> dict[tuple[str, str], list[Forbidden]]:
    found = _BY_DIGEST.get(pack.digest)
    if found is not None:
        return found
    result: dict[tuple[str, str], list[Forbidden]] = {}
    for rule in pack.rules:
        if rule.condition is None:
            continue
        own = set(leaves(rule.condition))
        true, _ = compile_condition(rule.condition, rule.over, applies_when=rule.applies_when)
        for branch in true:
            body = [(leaf, states) for leaf, states in branch.leaves if leaf in own]
            columns = [column_of(rule.over, leaf.field) for leaf, _ in body]
            if not body or None in columns:
                continue  # rests on a derived value too: the generator's structure keeps it
            # One column that breaks the branch is enough: a yes/no or a number (what the
            # rule judges) before an enumeration (what sorts records into rules).
            order = sorted(range(len(body)), key=lambda i: _RANK[_type(rule.over, body[i][0])])
            leaf, states = body[order[0]]
            columns = [columns[order[0]]]
            spec = field_spec(rule.over, leaf.field)
            assert spec is not None
            assert columns[0] is not None
            result.setdefault(columns[0], []).append(
                Forbidden(rule.id, leaf, states, spec.type, spec.values)
            )
    _BY_DIGEST[pack.digest] = result
    return result


_RANK = {FieldType.BOOL: 0, FieldType.NUMBER: 1, FieldType.ENUM: 2, FieldType.CODE: 3}


def _type(fact: FactType, leaf: Leaf) -> FieldType:
    spec = field_spec(fact, leaf.field)
    assert spec is not None
    return spec.type


def _close_now(record: dict[str, Any]) -> None:
    """A complaint resolved the day it was filed: answered within any limit."""
    record["resolved_on"] = record["filed_on"]


def _open_today(record: dict[str, Any]) -> None:
    """A complaint filed on the inspection day and still open: late for no limit."""
    from auditor.testing.strategies import INSPECTION_DATE

    record["filed_on"], record["resolved_on"] = INSPECTION_DATE, None


@dataclass(frozen=True)
class _Setter:
    """A derived field that a small change of the record's own columns sets."""

    read: Callable[[dict[str, Any]], object]
    make: Mapping[object, Callable[[dict[str, Any]], None]]  # the value wanted: the change


_DERIVED_SETTERS: Mapping[tuple[FactType, str], _Setter] = {
    (FactType.COMPLAINT, "open"): _Setter(
        read=lambda record: record.get("resolved_on") is None,
        make={False: _close_now, True: _open_today},
    ),
}


def _engine_value(value: object, numeric: bool) -> object:
    """A record's value as a fact holds it (enumeration members as their text, an empty
    number as the unbounded range)."""
    if value is None and numeric:
        return UNKNOWN_NUMBER
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def allowed(value: object, rules: Iterable[Forbidden]) -> bool:
    """Whether no branch may fire on ``value``."""
    held = _engine_value(value, any(item.field_type is FieldType.NUMBER for item in rules))
    return all(evaluate_leaf(item.leaf, held) not in item.states for item in rules)  # type: ignore[arg-type]


def _candidates(rules: list[Forbidden]) -> list[object]:
    kinds = {item.field_type for item in rules}
    if FieldType.BOOL in kinds:
        return [False, True]
    if FieldType.ENUM in kinds:
        return [choice for item in rules for choice in item.choices]
    found: list[object] = []
    for item in rules:
        if isinstance(item.leaf.value, Decimal):
            edge = item.leaf.value
            found += [edge, edge - 1, edge + 1, edge - Decimal("0.5"), edge + Decimal("0.5")]
    return [*found, Decimal(0)]


def compliant_value(value: object, rules: list[Forbidden]) -> object:
    """``value`` when every rule allows it, else the first allowed candidate (a boundary
    first); ``value`` again when none is (the rules contradict: no value keeps them all)."""
    if allowed(value, rules):
        return value
    return next((c for c in _candidates(rules) if allowed(c, rules)), value)


def keep_rules(data: dict[str, Any], pack: RulePack) -> None:
    """Set every column a rule reads as written to a value that keeps every rule (in place)."""
    for (sheet, column), rules in sorted(forbidden_values(pack).items()):
        records = [data[sheet]] if sheet == "audit" else data.get(sheet, [])
        setter = next(
            (
                how
                for (fact, name), how in _DERIVED_SETTERS.items()
                if (SHEET_OF[fact], name) == (sheet, column)
            ),
            None,
        )
        for record in records:
            if setter is not None:
                current = setter.read(record)
                wanted = compliant_value(current, rules)
                if wanted != current:
                    setter.make[wanted](record)
            elif column in record:
                record[column] = compliant_value(record[column], rules)
