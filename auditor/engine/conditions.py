"""Rule conditions: a small fixed language, compiled to durable-rules for three-valued logic.

A condition is a tree of ``all`` / ``any`` / ``not`` over leaves that test
one field of one fact against constants::

    all:
      - {field: category, in: [deposit, illegitimate]}
      - {field: worker_paid, is: true}

There is no ``eval`` and no Python in rule files: a leaf is one of a fixed
table of operators (``is``; ``in``, ``not_in``; ``eq``, ``ne``, ``lt``,
``le``, ``gt``, ``ge``).

Unknown values are handled here, not by rule authors. A leaf is true,
false or undecided (its field unknown); ``all``/``any``/``not`` combine in
Kleene logic. For the engine, each condition is compiled into two
disjunctions of conjunctions: one matching the facts on which it is
*definitely true* (a finding) and one matching those on which it is
*undecided* (a data gap). Each conjunction becomes one durable-rules rule,
so a match also says which branch held, which is what the evidence cites.

The compiler reasons about each leaf as the set of truth states it may be
in ({T}, {F}, {U} and unions), which makes contradictions exact to prune.
:func:`evaluate` is the same semantics in plain Python, used for
applicability, explanations and to test the compiler against.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal, TypeAlias

from auditor.enrich.values import Value, as_fraction, bounds
from auditor.enrich.vocabulary import FactType, FieldSpec, FieldType, field_spec

#: Numbers reach the engine as integers of 1/SCALE; constants may have 6 decimals.
SCALE = 10**6
SCALE_DIGITS = 6
#: Values beyond +-CLAMP are clamped (order against any allowed constant is kept);
#: unknown bounds are +-UNBOUNDED, beyond every value.
CLAMP = 10**18
UNBOUNDED = 9 * 10**18
MAX_CONSTANT = Decimal(10**12)

NUMBER_OPERATORS = ("eq", "ne", "lt", "le", "gt", "ge")
SET_OPERATORS = ("in", "not_in")
OPERATORS = ("is", *SET_OPERATORS, *NUMBER_OPERATORS)
UNKNOWN_POLICIES = ("gap", "false", "true")
UNKNOWN_TEXT = ""  # how an unknown enumeration or code reaches the engine
BOOL_FALSE, BOOL_TRUE, BOOL_UNKNOWN = 0, 1, 2  # how a yes/no field reaches the engine

Truth = Literal["T", "F", "U"]


# -- the tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """``field`` compared by ``op`` with ``value``; ``when_unknown`` overrides Kleene logic."""

    field: str
    op: str
    value: bool | Decimal | tuple[str, ...]
    when_unknown: str = "gap"


@dataclass(frozen=True)
class All:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Any_:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node: TypeAlias = Leaf | All | Any_ | Not


def leaves(node: Node) -> list[Leaf]:
    """Every leaf of a tree, left to right."""
    if isinstance(node, Leaf):
        return [node]
    if isinstance(node, Not):
        return leaves(node.item)
    return [leaf for item in node.items for leaf in leaves(item)]


# -- parsing and checking ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionProblem:
    """A mistake in a condition: where (``condition.all[1].in``) and what, with a hint."""

    path: str
    message: str


def parse(
    data: object, fact: FactType, path: str = "condition"
) -> tuple[Node | None, list[ConditionProblem]]:
    """Parse and type-check a condition read from YAML, listing every problem."""
    problems: list[ConditionProblem] = []
    node = _parse(data, fact, path, problems)
    return (node if not problems else None), problems


def _parse(
    data: object, fact: FactType, path: str, problems: list[ConditionProblem]
) -> Node | None:
    if not isinstance(data, Mapping):
        problems.append(
            ConditionProblem(path, "must be a mapping: all, any, not, or field with an operator")
        )
        return None
    combinators = [key for key in ("all", "any", "not") if key in data]
    if combinators:
        if len(data) != 1:
            extra = ", ".join(sorted(str(k) for k in data if k != combinators[0]))
            problems.append(
                ConditionProblem(path, f"{combinators[0]} stands alone; move {extra} inside it")
            )
            return None
        key = combinators[0]
        if key == "not":
            inner = _parse(data["not"], fact, f"{path}.not", problems)
            return Not(inner) if inner is not None else None
        items = data[key]
        if not isinstance(items, list) or not items:
            problems.append(ConditionProblem(f"{path}.{key}", "must be a non-empty list"))
            return None
        parsed = [
            _parse(item, fact, f"{path}.{key}[{i}]", problems) for i, item in enumerate(items)
        ]
        if any(item is None for item in parsed):
            return None
        children = tuple(item for item in parsed if item is not None)
        return All(children) if key == "all" else Any_(children)
    return _parse_leaf(data, fact, path, problems)


def _parse_leaf(
    data: Mapping[Any, Any], fact: FactType, path: str, problems: list[ConditionProblem]
) -> Leaf | None:
    name = data.get("field")
    if not isinstance(name, str):
        problems.append(
            ConditionProblem(
                path,
                "a test needs field: <name> and one operator "
                f"({', '.join(OPERATORS)}), or all/any/not",
            )
        )
        return None
    spec = field_spec(fact, name)
    if spec is None:
        problems.append(
            ConditionProblem(
                f"{path}.field",
                f"{name} is not a field of a {fact.value} fact; see docs/rules/vocabulary.md "
                "for the fields rules can read",
            )
        )
        return None
    unknown_keys = sorted(str(k) for k in data if k not in {"field", "when_unknown", *OPERATORS})
    if unknown_keys:
        problems.append(
            ConditionProblem(
                path, f"unknown key {', '.join(unknown_keys)}; operators are {', '.join(OPERATORS)}"
            )
        )
        return None
    ops = [op for op in OPERATORS if op in data]
    if len(ops) != 1:
        problems.append(
            ConditionProblem(path, f"{name}: give exactly one operator of {', '.join(OPERATORS)}")
        )
        return None
    op = ops[0]
    policy = data.get("when_unknown", "gap")
    if isinstance(policy, bool):  # YAML reads when_unknown: false as the boolean
        policy = "true" if policy else "false"
    if policy not in UNKNOWN_POLICIES:
        problems.append(
            ConditionProblem(
                f"{path}.when_unknown",
                f"{policy!r} is not a way to treat an unknown value; write when_unknown: gap "
                "(the default: a data gap), false (an unknown value does not break the "
                "rule) or true (an unknown value breaks it)",
            )
        )
        return None
    value = _check_value(spec, op, data[op], f"{path}.{op}", problems)
    if value is None:
        return None
    return Leaf(name, op, value, str(policy))


def _check_value(
    spec: FieldSpec, op: str, raw: object, path: str, problems: list[ConditionProblem]
) -> bool | Decimal | tuple[str, ...] | None:
    if spec.type is FieldType.BOOL:
        if op != "is":
            problems.append(
                ConditionProblem(path, f"{spec.name} is yes/no: use is: true or is: false")
            )
            return None
        if not isinstance(raw, bool):
            problems.append(
                ConditionProblem(path, f"{spec.name}: is takes true or false, got {raw!r}")
            )
            return None
        return raw
    if spec.type in (FieldType.ENUM, FieldType.CODE):
        if op in ("eq", "ne"):
            op_values: object = [raw]
        elif op in SET_OPERATORS:
            op_values = raw
        else:
            problems.append(
                ConditionProblem(path, f"{spec.name} is a list of values: use in, not_in, eq or ne")
            )
            return None
        if (
            not isinstance(op_values, list)
            or not op_values
            or not all(isinstance(v, str) for v in op_values)
        ):
            problems.append(ConditionProblem(path, f"{spec.name}: {op} takes a list of values"))
            return None
        wrong = [v for v in op_values if spec.values and v not in spec.values]
        if wrong:
            problems.append(
                ConditionProblem(
                    path,
                    f"{spec.name} has no value {', '.join(wrong)}; its values are "
                    f"{', '.join(spec.values)}",
                )
            )
            return None
        return tuple(op_values)
    if op not in NUMBER_OPERATORS:
        problems.append(
            ConditionProblem(path, f"{spec.name} is a number: use {', '.join(NUMBER_OPERATORS)}")
        )
        return None
    if isinstance(raw, str):
        # "30" in quotes is text, not a number: YAML said so, and accepting it would hide
        # a threshold typed where a word was meant (or a word where a number was).
        problems.append(
            ConditionProblem(
                path,
                f"{spec.name}: {op} takes a number, got the text {raw!r} in quotes; "
                f"write it without quotes: {op}: {raw.strip()}",
            )
        )
        return None
    try:
        number = (
            Decimal(str(raw))
            if isinstance(raw, int | float) and not isinstance(raw, bool)
            else None
        )
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        problems.append(ConditionProblem(path, f"{spec.name}: {op} takes a number, got {raw!r}"))
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -SCALE_DIGITS:
        problems.append(ConditionProblem(path, f"{number} has more than {SCALE_DIGITS} decimals"))
        return None
    if abs(number) > MAX_CONSTANT:
        problems.append(
            ConditionProblem(path, f"{number} is beyond the largest constant, {MAX_CONSTANT}")
        )
        return None
    return number


# -- the reference semantics ------------------------------------------------------------------


def _strict(leaf: Leaf, value: Value) -> Truth:
    if leaf.op == "is":
        if value is None:
            return "U"
        return "T" if value == leaf.value else "F"
    if leaf.op in ("in", "not_in", "eq", "ne") and isinstance(leaf.value, tuple):
        if value is None:
            return "U"
        inside = value in leaf.value
        return "T" if inside == (leaf.op in ("in", "eq")) else "F"
    assert isinstance(leaf.value, Decimal), leaf
    low, high = bounds(value)
    lo = None if low is None else as_fraction(low)
    hi = None if high is None else as_fraction(high)
    c = Fraction(leaf.value)
    op = leaf.op
    if op in ("eq", "ne"):
        if lo is not None and lo == hi == c:
            equal: Truth = "T"
        elif (hi is not None and hi < c) or (lo is not None and lo > c):
            equal = "F"
        else:
            equal = "U"
        return equal if op == "eq" else _negate(equal)
    holds = _COMPARE[op]
    # "below" operators are decided by the upper end; "above" ones by the lower end.
    decisive, other = (hi, lo) if op in ("lt", "le") else (lo, hi)
    if decisive is not None and holds(decisive, c):
        return "T"
    if other is not None and not holds(other, c):
        return "F"
    return "U"


_COMPARE: dict[str, Callable[[Fraction, Fraction], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def _negate(truth: Truth) -> Truth:
    return {"T": "F", "F": "T", "U": "U"}[truth]  # type: ignore[return-value]


def evaluate_leaf(leaf: Leaf, value: Value) -> Truth:
    truth = _strict(leaf, value)
    if truth == "U" and leaf.when_unknown != "gap":
        return "T" if leaf.when_unknown == "true" else "F"
    return truth


def evaluate(node: Node, get: Any) -> Truth:
    """Kleene value of ``node``; ``get(path)`` returns a field's value."""
    if isinstance(node, Leaf):
        return evaluate_leaf(node, get(node.field))
    if isinstance(node, Not):
        return _negate(evaluate(node.item, get))
    values = [evaluate(item, get) for item in node.items]
    if isinstance(node, All):
        if "F" in values:
            return "F"
        return "T" if all(v == "T" for v in values) else "U"
    if "T" in values:
        return "T"
    return "F" if all(v == "F" for v in values) else "U"


# -- three-valued compilation -----------------------------------------------------------------

States = frozenset[str]
_T, _F, _U = frozenset("T"), frozenset("F"), frozenset("U")
_ALL_STATES = frozenset("TFU")
#: A conjunction: for each leaf (by position), the states it must be in.
Conjunction = frozenset[tuple[int, States]]
DNF = list[Conjunction]


def _two_valued(leaf: Leaf, nullable: bool) -> bool:
    return not nullable or leaf.when_unknown != "gap"


@dataclass
class _Compiler:
    leaves: list[Leaf]
    nullable: list[bool]

    def universe(self, index: int) -> States:
        return (
            frozenset("TF")
            if _two_valued(self.leaves[index], self.nullable[index])
            else _ALL_STATES
        )

    def literal(self, index: int, states: States) -> DNF:
        states = states & self.universe(index)
        if not states:
            return []
        return [frozenset({(index, states)})]

    def conjoin(self, a: Conjunction, b: Conjunction) -> Conjunction | None:
        merged: dict[int, States] = dict(a)
        for index, states in b:
            both = merged.get(index, _ALL_STATES) & states
            if not both:
                return None
            merged[index] = both
        return frozenset(
            (index, states) for index, states in merged.items() if states != self.universe(index)
        )

    def product(self, dnfs: Iterable[DNF]) -> DNF:
        result: DNF = [frozenset()]
        for dnf in dnfs:
            combined = []
            for a, b in itertools.product(result, dnf):
                merged = self.conjoin(a, b)
                if merged is not None:
                    combined.append(merged)
            result = _minimal(combined)
        return result

    def union(self, dnfs: Iterable[DNF]) -> DNF:
        return _minimal([conj for dnf in dnfs for conj in dnf])

    def states(self, node: Node, index: list[int], want: str) -> DNF:
        """DNF of the facts where ``node`` is in state ``want`` (T, F, NT = F|U, NF = T|U)."""
        if isinstance(node, Leaf):
            position = index[0]
            index[0] += 1
            return self.literal(position, {"T": _T, "F": _F, "NT": _F | _U, "NF": _T | _U}[want])
        if isinstance(node, Not):
            flip = {"T": "F", "F": "T", "NT": "NF", "NF": "NT"}[want]
            return self.states(node.item, index, flip)
        parts = [self.states(item, index, want) for item in node.items]
        conjunctive = (want in ("T", "NF")) == isinstance(node, All)
        return self.product(parts) if conjunctive else self.union(parts)


def _minimal(conjunctions: list[Conjunction]) -> DNF:
    """Drop duplicates and conjunctions implied by a weaker one (subsumption)."""
    unique = sorted(set(conjunctions), key=lambda c: (len(c), sorted((i, sorted(s)) for i, s in c)))
    kept: DNF = []
    for conj in unique:
        if not any(_implies(conj, weaker) for weaker in kept):
            kept.append(conj)
    return kept


def _implies(stronger: Conjunction, weaker: Conjunction) -> bool:
    constraints = dict(stronger)
    return all(index in constraints and constraints[index] <= states for index, states in weaker)


@dataclass(frozen=True)
class Branch:
    """One conjunction: which leaves it constrains and how, and its durable-rules condition."""

    leaves: tuple[tuple[Leaf, States], ...]
    condition: dict[str, Any]


def compile_condition(
    node: Node, fact: FactType, *, applies_when: Node | None = None
) -> tuple[list[Branch], list[Branch]]:
    """Branches where the condition is definitely true, and where it is undecided.

    ``applies_when`` is conjoined in its strict (definitely true) form, so a
    subject outside the rule's scope is neither a finding nor a data gap.
    """
    parts: list[tuple[Node, int]] = []
    all_leaves: list[Leaf] = []
    for tree in (applies_when, node):
        if tree is not None:
            parts.append((tree, len(all_leaves)))
            all_leaves.extend(leaves(tree))
    nullable = []
    for leaf in all_leaves:
        spec = field_spec(fact, leaf.field)
        assert spec is not None, leaf.field
        nullable.append(spec.nullable)
    compiler = _Compiler(all_leaves, nullable)

    def states(tree: Node, start: int, want: str) -> DNF:
        return compiler.states(tree, [start], want)

    scope: DNF = [frozenset()]
    if applies_when is not None:
        scope = states(applies_when, parts[0][1], "T")
    body_start = parts[-1][1]
    true = compiler.product([scope, states(node, body_start, "T")])
    undecided = compiler.product(
        [scope, states(node, body_start, "NT"), states(node, body_start, "NF")]
    )
    return (
        [_branch(conj, all_leaves, nullable, fact) for conj in true],
        [_branch(conj, all_leaves, nullable, fact) for conj in undecided],
    )


def _branch(
    conj: Conjunction, all_leaves: list[Leaf], nullable: list[bool], fact: FactType
) -> Branch:
    atoms: list[dict[str, Any]] = [{"t": fact.value}]
    constrained = []
    for index, states in sorted(conj, key=lambda item: item[0]):
        leaf = all_leaves[index]
        spec = field_spec(fact, leaf.field)
        assert spec is not None
        atoms.extend(_leaf_atoms(leaf, spec, states, _two_valued(leaf, nullable[index])))
        constrained.append((leaf, states))
    return Branch(tuple(constrained), {"$and": atoms} if len(atoms) > 1 else atoms[0])


def engine_key(path: str) -> str:
    """The fact key of a field path: a short stable code (``k17``).

    The engine parses and hashes every key of every fact; short keys cut
    its work on a 300,000-fact audit by a third. The codes are the
    positions of the paths in the vocabulary's fixed order, so a pack
    compiles the same way in every process.
    """
    return _ENGINE_KEYS[path]


def _engine_keys() -> dict[str, str]:
    from auditor.enrich.vocabulary import FactType, field_names

    paths = sorted({path for fact in FactType for path in field_names(fact)})
    return {path: f"k{number}" for number, path in enumerate(paths)}


_ENGINE_KEYS = _engine_keys()


def _leaf_atoms(
    leaf: Leaf, spec: FieldSpec, states: States, two_valued: bool
) -> list[dict[str, Any]]:
    """durable-rules tests that put ``leaf`` in one of ``states``."""
    strict = _strict_atoms(leaf, spec)
    if two_valued and spec.nullable and leaf.when_unknown != "gap":
        # Unknown counts as the given truth: fold it into that side.
        folded_true = leaf.when_unknown == "true"
        strict = {
            "T": strict["NF"] if folded_true else strict["T"],
            "F": strict["F"] if folded_true else strict["NT"],
        }
    if states == _T:
        return strict["T"]
    if states == _F:
        return strict["F"]
    if states == _U:
        return strict["NT"] + strict["NF"]
    if states == _T | _U:
        return strict["NF"]
    if states == _F | _U:
        return strict["NT"]
    raise AssertionError(f"unconstrained leaf kept: {leaf}, {states}")


def _strict_atoms(leaf: Leaf, spec: FieldSpec) -> dict[str, list[dict[str, Any]]]:
    """Tests for T, F, NT (not true) and NF (not false) of a leaf in strict Kleene logic."""
    key = engine_key(leaf.field)
    if spec.type is FieldType.BOOL:
        # one integer: 0 false, 1 true, 2 unknown (see encoding)
        wanted, other = (BOOL_TRUE, BOOL_FALSE) if leaf.value is True else (BOOL_FALSE, BOOL_TRUE)
        return {
            "T": [{key: wanted}],
            "F": [{key: other}],
            "NT": [{"$neq": {key: wanted}}],
            "NF": [{"$neq": {key: other}}],
        }
    if spec.type in (FieldType.ENUM, FieldType.CODE):
        assert isinstance(leaf.value, tuple)
        inside = _one_of(key, leaf.value)
        outside = [{"$neq": {key: v}} for v in leaf.value]
        known_outside = [*outside, {"$neq": {key: UNKNOWN_TEXT}}]
        maybe_inside = _one_of(key, (*leaf.value, UNKNOWN_TEXT))
        atoms = {"T": [inside], "F": known_outside, "NT": outside, "NF": [maybe_inside]}
        if leaf.op in ("not_in", "ne"):
            atoms = {"T": atoms["F"], "F": atoms["T"], "NT": atoms["NF"], "NF": atoms["NT"]}
        return atoms
    assert isinstance(leaf.value, Decimal)
    k = int(leaf.value * SCALE)
    lf, lc, hf, hc = (f"{key}__{s}" for s in ("lf", "lc", "hf", "hc"))
    table: dict[str, dict[str, list[dict[str, Any]]]] = {
        "lt": {
            "T": [{"$lt": {hf: k}}],
            "F": [{"$gte": {lf: k}}],
            "NT": [{"$gte": {hf: k}}],
            "NF": [{"$lt": {lf: k}}],
        },
        "ge": {
            "T": [{"$gte": {lf: k}}],
            "F": [{"$lt": {hf: k}}],
            "NT": [{"$lt": {lf: k}}],
            "NF": [{"$gte": {hf: k}}],
        },
        "gt": {
            "T": [{"$gt": {lc: k}}],
            "F": [{"$lte": {hc: k}}],
            "NT": [{"$lte": {lc: k}}],
            "NF": [{"$gt": {hc: k}}],
        },
        "le": {
            "T": [{"$lte": {hc: k}}],
            "F": [{"$gt": {lc: k}}],
            "NT": [{"$gt": {hc: k}}],
            "NF": [{"$lte": {lc: k}}],
        },
        "eq": {
            "T": [{lf: k}, {lc: k}, {hf: k}, {hc: k}],
            "F": [{"$or": [{"$lt": {hf: k}}, {"$gt": {lc: k}}]}],
            "NT": [
                {
                    "$or": [
                        {"$neq": {lf: k}},
                        {"$neq": {lc: k}},
                        {"$neq": {hf: k}},
                        {"$neq": {hc: k}},
                    ]
                }
            ],
            "NF": [{"$gte": {hf: k}}, {"$lte": {lc: k}}],
        },
    }
    if leaf.op == "ne":
        eq = table["eq"]
        return {"T": eq["F"], "F": eq["T"], "NT": eq["NF"], "NF": eq["NT"]}
    return table[leaf.op]


def keys_read(ruleset: Mapping[str, Any]) -> set[str]:
    """Every fact key the rules of a durable-rules ruleset read."""
    found: set[str] = set()
    for rule in ruleset.values():
        for pattern in rule.get("all", []):
            for condition in pattern.values():  # alias -> condition
                found |= _condition_keys(condition)
    return found


def _condition_keys(condition: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(condition, dict):
        for key, value in condition.items():
            if key.startswith("$"):
                found |= _condition_keys(value)
            else:
                found.add(key)
    elif isinstance(condition, list):
        for item in condition:
            found |= _condition_keys(item)
    return found


def _one_of(key: str, values: Sequence[str]) -> dict[str, Any]:
    tests = [{key: value} for value in values]
    return tests[0] if len(tests) == 1 else {"$or": tests}
