"""The condition language: parsing with located problems, and the three-valued compiler.

The compiler is proved against the reference semantics: random conditions
over the fee vocabulary (with the worker's fields through ``worker.``),
compiled to durable-rules and run through the real engine on random facts,
must give exactly the Kleene value :func:`evaluate` gives: a match of a
"true" branch when the condition is true, of an "undecided" branch when it
is undecided, none when it is false.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.engine import conditions as c
from auditor.engine import durable_adapter, encoding
from auditor.engine.encoding import make_encoder, scaled
from auditor.enrich.facts import Fact
from auditor.enrich.values import Interval
from auditor.enrich.vocabulary import FactType, FieldSpec, FieldType, field_names, field_spec
from auditor.model.enums import SubjectType

FACT = FactType.FEE
PATHS = field_names(FACT)
SPECS: dict[str, FieldSpec] = {path: field_spec(FACT, path) for path in PATHS}  # type: ignore[misc]
CONSTANTS = [Decimal(0), Decimal(1), Decimal("0.99"), Decimal("50.5"), Decimal(-1), Decimal(100)]
_runs = itertools.count()


def _number_value(rng: st.DrawFn, nullable: bool) -> Interval:
    points = [
        *CONSTANTS,
        Decimal("0.9899999"),
        Decimal("100.0000001"),
        Fraction(1, 3),
        Fraction(299, 3),
        Decimal("-0.5"),
    ]
    if not nullable:
        value = rng(st.sampled_from(points))
        return Interval(value, value)
    low = rng(st.none() | st.sampled_from(points))
    high = rng(st.none() | st.sampled_from(points))
    if low is not None and high is not None and Fraction(low) > Fraction(high):
        low, high = high, low
    return Interval(low, high)


@st.composite
def field_value(draw: st.DrawFn, spec: FieldSpec) -> Any:
    unknown = st.none() if spec.nullable else st.nothing()
    if spec.type is FieldType.BOOL:
        return draw(st.booleans() | unknown)
    if spec.type is FieldType.NUMBER:
        return _number_value(draw, spec.nullable)
    values = spec.values or ("PH", "QA", "HK")
    return draw(st.sampled_from(values) | unknown)


@st.composite
def leaves(draw: st.DrawFn) -> dict[str, Any]:
    path = draw(st.sampled_from(PATHS))
    spec = SPECS[path]
    leaf: dict[str, Any] = {"field": path}
    if spec.type is FieldType.BOOL:
        leaf["is"] = draw(st.booleans())
    elif spec.type is FieldType.NUMBER:
        # As YAML reads a number written without quotes (catalogue 1.2: "30" in quotes is text).
        number = draw(st.sampled_from(CONSTANTS))
        leaf[draw(st.sampled_from(c.NUMBER_OPERATORS))] = (
            int(number) if number == number.to_integral_value() else float(number)
        )
    else:
        values = list(spec.values or ("PH", "QA", "HK"))
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True))
        leaf[draw(st.sampled_from(["in", "not_in"]))] = chosen
    if spec.nullable and draw(st.integers(0, 5)) == 0:
        leaf["when_unknown"] = draw(st.sampled_from(["false", "true"]))
    return leaf


conditions = st.recursive(
    leaves(),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda items: {"all": items}),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: {"any": items}),
        inner.map(lambda item: {"not": item}),
    ),
    max_leaves=6,
)


@st.composite
def facts(draw: st.DrawFn, count: int) -> list[Fact]:
    made = []
    own = [p for p in PATHS if "." not in p]
    of_worker = [p.split(".", 1)[1] for p in PATHS if p.count(".") == 1]
    of_employer = [p.split(".", 2)[2] for p in PATHS if p.count(".") == 2]
    for index in range(count):
        employer = Fact(
            FactType.EMPLOYER,
            index,
            {SubjectType.EMPLOYER: f"E{index}"},
            {name: draw(field_value(field_spec(FactType.EMPLOYER, name))) for name in of_employer},
            id=f"employer:{index}",
        )
        worker_values = {
            name: draw(field_value(field_spec(FactType.WORKER, name)))  # type: ignore[arg-type]
            for name in of_worker
        }
        worker = Fact(
            FactType.WORKER,
            index,
            {SubjectType.WORKER: f"W{index}"},
            worker_values,
            worker=index,
            parent=employer,
            id=f"worker:{index}",
        )
        values = {name: draw(field_value(SPECS[name])) for name in own}
        made.append(
            Fact(
                FACT,
                index,
                {SubjectType.WORKER: f"W{index}"},
                values,
                worker=index,
                parent=worker,
                id=f"fee:{index}",
            )
        )
    return made


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.lists(conditions, min_size=1, max_size=6), sample=facts(25))
def test_the_engine_decides_exactly_as_kleene_logic(
    raw: list[dict[str, Any]], sample: list[Fact]
) -> None:
    ruleset: dict[str, Any] = {}
    trees = {}
    paths: set[str] = set()
    for number, data in enumerate(raw):
        tree, problems = c.parse(data, FACT)
        assert not problems, problems
        assert tree is not None
        trees[f"C{number}"] = tree
        paths.update(leaf.field for leaf in c.leaves(tree))
        true, undecided = c.compile_condition(tree, FACT)
        for level, branches in (("T", true), ("U", undecided)):
            for index, branch in enumerate(branches):
                ruleset[f"C{number}#{level}{index}"] = {"all": [{"m": branch.condition}]}
    encode = make_encoder(FACT, paths)
    name = f"test-conditions-{next(_runs)}"
    matches = durable_adapter.run(name, ruleset, [[encode(f) for f in sample]], lambda r, m: [])
    got: dict[tuple[str, str], set[str]] = {}
    for rule, matched in matches:
        condition, branch = rule.split("#")
        got.setdefault((condition, matched["m"]), set()).add(branch[0])
    for fact in sample:
        for condition, tree in trees.items():
            expected = {"T": {"T"}, "U": {"U"}, "F": set()}[c.evaluate(tree, fact.get)]
            assert got.get((condition, fact.id), set()) == expected, (condition, raw, fact.values)


def test_scaled_is_exact_at_the_boundary() -> None:
    assert scaled(Decimal("0.99")) == (990000, 990000)
    assert scaled(Decimal("0.9899999")) == (989999, 990000)
    assert scaled(Fraction(1, 3)) == (333333, 333334)
    assert scaled(Decimal("-0.0000001")) == (-1, 0)
    assert scaled(Decimal(10) ** 30) == (c.CLAMP, c.CLAMP)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=8) | st.fractions())
def test_a_number_seen_before_is_scaled_as_the_first_time(value: Decimal | Fraction) -> None:
    """The encoder keeps decimals' scaled bounds by value; equal forms share them exactly."""
    first = encoding._scaled_seen(value)
    assert first == scaled(value)
    assert encoding._scaled_seen(value) == first
    if isinstance(value, Decimal):  # the same value, one more trailing zero: 5.0 and 5.00
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        assert encoding._scaled_seen(Decimal((sign, (*digits, 0), exponent - 1))) == first
    assert len(encoding._SCALED) <= encoding._SCALED_MOST


def test_the_scaled_numbers_kept_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoding, "_SCALED_MOST", 10)
    monkeypatch.setattr(encoding, "_SCALED", {})
    for number in range(25):
        assert encoding._scaled_seen(Decimal(number)) == (number * 10**6, number * 10**6)
        assert len(encoding._SCALED) <= 10


def test_a_leaf_on_a_field_that_is_never_unknown_has_no_undecided_branch() -> None:
    tree, _ = c.parse({"field": "category", "in": ["deposit"]}, FACT)
    assert tree is not None
    true, undecided = c.compile_condition(tree, FACT)
    assert len(true) == 1
    assert undecided == []


def test_an_undecided_branch_tests_only_what_can_be_undecided() -> None:
    tree, _ = c.parse(
        {"all": [{"field": "category", "in": ["deposit"]}, {"field": "worker_paid", "is": True}]},
        FACT,
    )
    assert tree is not None
    _, undecided = c.compile_condition(tree, FACT)
    assert [[(leaf.field, sorted(states)) for leaf, states in b.leaves] for b in undecided] == [
        [("category", ["T"]), ("worker_paid", ["U"])]
    ]


def _problems(data: object, fact: FactType = FACT) -> list[str]:
    return [f"{p.path}: {p.message}" for p in c.parse(data, fact)[1]]


def test_parse_problems_are_located_with_a_hint() -> None:
    assert _problems({"field": "ammount", "gt": 5}) == [
        "condition.field: ammount is not a field of a fee fact; see docs/rules/vocabulary.md "
        "for the fields rules can read"
    ]
    assert _problems({"all": [{"field": "worker_paid", "gt": 1}]}) == [
        "condition.all[0].gt: worker_paid is yes/no: use is: true or is: false"
    ]
    assert _problems({"field": "category", "in": ["bribe"]}) == [
        "condition.in: category has no value bribe; its values are recruitment_fee, medical, "
        "insurance, skills_test, training, equipment, travel, lodging, administrative, "
        "personal_documents, deposit, illegitimate, other"
    ]
    assert _problems({"field": "amount", "gt": 0.1234567}) == [
        "condition.gt: 0.1234567 has more than 6 decimals"
    ]
    assert _problems({"any": []}) == ["condition.any: must be a non-empty list"]
    assert _problems({"all": [{"field": "amount", "gt": 1}], "any": []}) == [
        "condition: all stands alone; move any inside it"
    ]
    assert _problems({"field": "amount", "gt": 1, "lt": 5}) == [
        "condition: amount: give exactly one operator of is, in, not_in, eq, ne, lt, le, gt, ge"
    ]
    assert _problems({"field": "worker.sector", "in": ["care"]}) == [
        "condition.field: worker.sector is not a field of a fee fact; see "
        "docs/rules/vocabulary.md for the fields rules can read"
    ]


def test_evaluate_follows_kleene_logic() -> None:
    tree, _ = c.parse(
        {"any": [{"field": "worker_paid", "is": True}, {"field": "amount", "gt": 10}]}, FACT
    )
    assert tree is not None
    values: dict[str, Any] = {"worker_paid": None, "amount": Interval(Decimal(5), Decimal(5))}
    assert c.evaluate(tree, values.__getitem__) == "U"
    values["amount"] = Interval(Decimal(11), Decimal(11))
    assert c.evaluate(tree, values.__getitem__) == "T"
    values.update(worker_paid=False, amount=Interval(Decimal(10), Decimal(10)))
    assert c.evaluate(tree, values.__getitem__) == "F"
