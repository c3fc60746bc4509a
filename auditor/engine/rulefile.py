"""Rule files: one YAML file per rule, metadata beside its condition and examples.

A rule file is data a policy analyst writes. :func:`load_rule_file` reads
it into a :class:`Rule` or a list of :class:`RuleProblem` s, each with the
file, the line and a hint; the condition is parsed and type-checked
against the fact vocabulary at the same time.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from auditor.base import yamltext
from auditor.engine.conditions import ConditionProblem, Node, leaves, parse
from auditor.enrich.vocabulary import (
    DEFAULT_SUBJECT,
    SUBJECTS_OF,
    FactType,
    field_names,
    field_spec,
)
from auditor.model.enums import Sector, Severity, SubjectType

RULE_ID = re.compile(r"[A-Z]{2,6}-\d{2}")
PARAGRAPHS = (11, 16, 26, 30)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Example(_Strict):
    """A small inspection on which the rule must fire, pass or be a data gap for ``subject``.

    It is the kit's baseline inspection (one compliant worker W1 of employer
    E1, contract C1, channel CH1; see :mod:`auditor.testing.baseline`)
    changed as it says: ``change`` sets fields of existing records (by id;
    ``audit`` by field), ``add`` appends records, ``remove`` deletes them.
    """

    name: str = Field(min_length=1)
    expect: Literal["fires", "passes", "gap"]
    subject: str = Field(min_length=1)
    jurisdiction: str | None = None
    change: dict[str, dict[str, Any]] = Field(default_factory=dict)
    add: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    remove: dict[str, list[str]] = Field(default_factory=dict)


class ChainCondition(_Strict):
    """An indicator a chain reads from facts of its own, not from another rule's findings.

    FL-01's "excessive overtime" (catalogue 1.2) is a contract's hours above the profile's
    forced-labour threshold, apart from HOURS-01's legal limit: a profile with a 48-hour
    limit must not make every 49-hour contract a forced-labour indicator.
    """

    over: FactType
    condition: Any


class Chain(_Strict):
    """A rule over other rules' outcomes: ``at_least`` distinct indicators for one worker.

    ``indicators`` name the rules whose findings show each indicator; ``conditions`` give
    indicators read from facts directly (their matches make no finding of their own).
    """

    at_least: int = Field(ge=2, le=6)
    indicators: dict[str, list[str]] = Field(min_length=2)
    conditions: dict[str, ChainCondition] = Field(default_factory=dict)

    @property
    def kinds(self) -> list[str]:
        """Every indicator's name, sorted."""
        return sorted({*self.indicators, *self.conditions})

    @field_validator("indicators")
    @classmethod
    def _source_ids(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for kind, sources in value.items():
            if not re.fullmatch(r"[a-z][a-z_]*", kind):
                raise ValueError(f"indicator name {kind!r} must be lower_case words")
            if not sources:
                raise ValueError(f"indicator {kind} lists no rule")
            for rule_id in sources:
                if not RULE_ID.fullmatch(rule_id):
                    raise ValueError(f"{rule_id!r} is not a rule id like FEE-01")
        return value

    @model_validator(mode="after")
    def _distinct_kinds(self) -> Chain:
        both = sorted(set(self.indicators) & set(self.conditions))
        if both:
            raise ValueError(f"{', '.join(both)}: give an indicator either rules or a condition")
        return self


class SectorNorms(_Strict):
    """The norms a rule cites for workers of these sectors (all others when none are given)."""

    sectors: list[Sector] | None = None
    norms: list[str] = Field(min_length=1)


class Property(_Strict):
    """An extra property the rule must have, checked by ``auditor rules test``.

    ``monotone``: moving ``column`` of ``sheet`` (a number or a date) in
    ``direction`` on any record never removes a finding of the rule; for
    example raising a worker-paid ``Fees`` ``amount`` never takes FEE-06
    away. ``field`` is the fact field of the condition that column feeds
    (``recruitment_fee_excess``), so the claim is tied to what the rule reads.
    """

    kind: Literal["monotone"]
    field: str
    direction: Literal["up", "down"]
    sheet: str
    column: str
    description: str = ""


class RuleData(_Strict):
    """The fields of a rule file, as written."""

    id: str
    title: str = Field(min_length=1)
    paragraph: int
    related_paragraphs: list[int] = Field(default_factory=list)
    severity: Severity
    subject: SubjectType
    over: FactType | None = None
    norms: list[str] = Field(min_length=1)
    #: The report cites the group that fits the sector of the worker's employer (REST-01,
    #: catalogue 1.2); ``norms`` stays the rule's whole legal basis for its documentation.
    norms_by_sector: list[SectorNorms] = Field(default_factory=list)
    #: Findings rest on the jurisdiction profile's law: the report adds the profile's caveat
    #: beside them while the profile's status is ``to_be_confirmed`` (catalogue 1.2).
    profile_dependent: bool = False
    rationale: str = Field(min_length=1)
    finding: str = Field(min_length=1)
    remediation: str = Field(min_length=1)
    referral: str | None = None
    #: Findings tie a complaint or a referral to a worker: outputs for the agency show
    #: them only as counts (C81 Art 15(c); rule-catalogue "Complainant confidentiality").
    confidential: bool = False
    condition: Any = None
    applies_when: Any = None
    chain: Chain | None = None
    evidence: list[str] | None = None
    money_owed: Literal["none", "rows", "excess"] = "none"
    #: Catalogue 1.3: the rule measures against the worker's destination profile. Its
    #: findings owe nothing (amount_owed 0) and carry the amount charged against that law;
    #: their severity is ``severity`` while the profile is to_be_confirmed, and
    #: ``severity_once_checked`` once it is checked.
    corridor: bool = False
    severity_once_checked: Severity | None = None
    properties: list[Property] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not RULE_ID.fullmatch(value):
            raise ValueError("must be letters, a hyphen and two digits, like FEE-01")
        return value

    @field_validator("paragraph")
    @classmethod
    def _paragraph(cls, value: int) -> int:
        if value not in PARAGRAPHS:
            raise ValueError(f"must be one of {', '.join(map(str, PARAGRAPHS))} (74/127)")
        return value

    @field_validator("examples")
    @classmethod
    def _fire_and_pass(cls, value: list[Example]) -> list[Example]:
        expects = {example.expect for example in value}
        if not {"fires", "passes"} <= expects:
            raise ValueError("examples must include at least one that fires and one that passes")
        return value

    @model_validator(mode="after")
    def _shape(self) -> RuleData:
        if (self.condition is None) == (self.chain is None):
            raise ValueError("give either a condition or a chain (a rule over other rules)")
        if self.corridor and (self.subject is not SubjectType.WORKER or self.money_owed != "none"):
            raise ValueError("a corridor rule is about a worker and makes no money owed")
        if self.severity_once_checked is not None and not self.corridor:
            raise ValueError("severity_once_checked is for corridor rules (corridor: true)")
        return self


@dataclass(frozen=True)
class RuleProblem:
    """A mistake in a rule file: file, line, what is wrong and how to fix it."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Rule:
    """A loaded, checked rule; ``lines`` maps YAML paths (``("examples", 2)``) to lines."""

    data: RuleData
    source: Path
    condition: Node | None
    applies_when: Node | None
    lines: Mapping[tuple[str | int, ...], int] = dataclass_field(default_factory=dict)
    #: A chain's own indicator conditions, parsed: indicator -> (fact type, condition).
    chain_conditions: Mapping[str, tuple[FactType, Node]] = dataclass_field(default_factory=dict)

    def norms_for(self, sector: Sector | None) -> list[str]:
        """The norms to cite for a worker of this sector (all of them when it is unknown)."""
        if sector is None or not self.data.norms_by_sector:
            return list(self.data.norms)
        for group in self.data.norms_by_sector:
            if group.sectors is not None and sector in group.sectors:
                return list(group.norms)
        for group in self.data.norms_by_sector:
            if group.sectors is None:
                return list(group.norms)
        return list(self.data.norms)

    def line(self, *path: str | int) -> int:
        """The line of a key or item of the file (of its nearest parent that has one)."""
        return _nearest_line(self.lines, path)

    @property
    def id(self) -> str:
        return self.data.id

    @property
    def over(self) -> FactType:
        """The fact type the condition reads."""
        if self.data.over is not None:
            return self.data.over
        return FactType(self.data.subject.value)

    @property
    def fields(self) -> list[str]:
        """Every field the condition and its scope read."""
        trees = [t for t in (self.condition, self.applies_when) if t is not None]
        return [leaf.field for tree in trees for leaf in leaves(tree)]


# -- reading a file -----------------------------------------------------------------------------


class _Lines:
    """Line numbers of the keys and items of a YAML document, for messages."""

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str | int, ...], int] = {}
        try:
            root = yamltext.compose(text)
        except yaml.YAMLError:
            root = None
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, path: tuple[str | int, ...]) -> None:
        # A key's own line wins over its value's (a block value starts on the next line).
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                self.lines[child] = key.start_mark.line + 1
                self._walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, (*path, index))

    def line(self, path: Sequence[str | int]) -> int:
        return _nearest_line(self.lines, tuple(path))


def _nearest_line(lines: Mapping[tuple[str | int, ...], int], path: tuple[str | int, ...]) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def line_map(text: str) -> Mapping[tuple[str | int, ...], int]:
    """Line numbers of every key and item of a YAML text (empty when it does not parse)."""
    return _Lines(text).lines


def nearest_line(lines: Mapping[tuple[str | int, ...], int], *path: str | int) -> int:
    """The line of ``path``, or of its nearest parent with one (1 at worst)."""
    return _nearest_line(lines, path)


def _condition_path(dotted: str) -> list[str | int]:
    """``condition.all[1].in`` as YAML path parts."""
    parts: list[str | int] = []
    for piece in dotted.split("."):
        for match in re.finditer(r"([^\[\]]+)|\[(\d+)\]", piece):
            parts.append(match[1] if match[1] is not None else int(match[2]))
    return parts


def load_rule_file(path: Path) -> tuple[Rule | None, list[RuleProblem]]:
    """Read and check one rule file; every problem is listed, each with its line."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yamltext.load(text)
    except (OSError, UnicodeDecodeError) as error:
        return None, [RuleProblem(path, 1, f"cannot be read: {error}")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return None, [RuleProblem(path, line, f"is not valid YAML: {error}")]
    lines = _Lines(text)
    if not isinstance(data, Mapping):
        return None, [RuleProblem(path, 1, "a rule file is a mapping of id, title, paragraph...")]
    try:
        rule_data = RuleData.model_validate(data)
    except ValidationError as failure:
        return None, [
            RuleProblem(path, lines.line([str(p) for p in error["loc"]]), _pydantic_message(error))
            for error in failure.errors()
        ]
    problems: list[RuleProblem] = []
    over = rule_data.over or FactType(rule_data.subject.value)
    if rule_data.subject not in SUBJECTS_OF[over]:
        problems.append(
            RuleProblem(
                path,
                lines.line(["subject"]),
                f"a {over.value} fact cannot speak for a {rule_data.subject.value} subject; "
                f"set over: to {DEFAULT_SUBJECT_FACT[rule_data.subject]} or change the subject",
            )
        )
    condition = applies = None
    for key in ("condition", "applies_when"):
        raw = getattr(rule_data, key)
        if raw is None:
            continue
        target = FactType(rule_data.subject.value) if key == "applies_when" else over
        node, found = parse(raw, target, key)
        problems += [_condition_problem(path, lines, problem, data, target) for problem in found]
        if key == "condition":
            condition = node
        else:
            applies = node
    chain_conditions: dict[str, tuple[FactType, Node]] = {}
    for kind, item in (rule_data.chain.conditions if rule_data.chain else {}).items():
        where = f"chain.conditions.{kind}.condition"
        node, found = parse(item.condition, item.over, where)
        problems += [_condition_problem(path, lines, p, data, item.over) for p in found]
        if node is not None:
            chain_conditions[kind] = (item.over, node)
    for index, name in enumerate(rule_data.evidence or []):
        if field_spec(over, name) is None:
            problems.append(
                RuleProblem(
                    path,
                    lines.line(["evidence", index]),
                    f"evidence field {name} is not a field of a {over.value} fact",
                )
            )
    if rule_data.money_owed == "rows" and over is not FactType.FEE:
        problems.append(
            RuleProblem(path, lines.line(["money_owed"]), "money_owed: rows needs over: fee")
        )
    if rule_data.money_owed == "excess" and over is not FactType.WORKER:
        problems.append(
            RuleProblem(path, lines.line(["money_owed"]), "money_owed: excess needs over: worker")
        )
    if condition is not None:
        read = {leaf.field for leaf in leaves(condition)}
        problems += _property_problems(path, lines, rule_data.properties, read)
    if problems:
        return None, problems
    return Rule(rule_data, path, condition, applies, lines.lines, chain_conditions), []


def _property_problems(
    path: Path, lines: _Lines, properties: Sequence[Property], read: set[str]
) -> list[RuleProblem]:
    """A declared property must name a field the condition reads and an orderable column."""
    from auditor.model.columns import Kind, kind_of
    from auditor.model.sheets import SHEET_BY_NAME, TABLE_SHEETS

    problems = []
    orderable = (Kind.AMOUNT, Kind.WAGE, Kind.NUMBER, Kind.DATE)
    for index, item in enumerate(properties):
        where: list[str | int] = ["properties", index]
        if item.field not in read:
            problems.append(
                RuleProblem(
                    path,
                    lines.line([*where, "field"]),
                    (
                        f"properties[{index}].field: the condition does not read {item.field}; "
                        f"name one it reads: {', '.join(sorted(read))}"
                    ),
                )
            )
        spec = SHEET_BY_NAME.get(item.sheet)
        if spec is None or spec not in TABLE_SHEETS:
            sheets = ", ".join(s.name for s in TABLE_SHEETS)
            problems.append(
                RuleProblem(
                    path,
                    lines.line([*where, "sheet"]),
                    (
                        f"properties[{index}].sheet: {item.sheet} is not a sheet of the workbook; "
                        f"use one of {sheets}{_suggest(item.sheet, [s.name for s in TABLE_SHEETS])}"
                    ),
                )
            )
            continue
        columns = [
            name for name, info in spec.model.model_fields.items() if kind_of(info) in orderable
        ]
        if item.column not in columns:
            problems.append(
                RuleProblem(
                    path,
                    lines.line([*where, "column"]),
                    (
                        f"properties[{index}].column: {item.sheet} has no number or date column "
                        f"{item.column}; its columns that can be raised are {', '.join(columns)}"
                        f"{_suggest(item.column, columns)}"
                    ),
                )
            )
    return problems


def _suggest(name: str, known: Sequence[str]) -> str:
    """`` (did you mean X?)`` for a near miss, else nothing."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


#: The fact type that stands for a subject by default.
DEFAULT_SUBJECT_FACT: Mapping[SubjectType, str] = {
    subject: fact.value for fact, subject in DEFAULT_SUBJECT.items() if fact.value == subject.value
}


def _condition_problem(
    path: Path, lines: _Lines, problem: ConditionProblem, data: object, fact: FactType
) -> RuleProblem:
    where = _condition_path(problem.path)
    message = f"{problem.path}: {problem.message}"
    if where and where[-1] == "field":  # an unknown field: suggest the nearest known one
        name = _at(data, where)
        if isinstance(name, str):
            message += _suggest(name, field_names(fact))
    return RuleProblem(path, lines.line(where), message)


def _at(data: object, path: Sequence[str | int]) -> object:
    for part in path:
        if isinstance(data, list):
            if not (isinstance(part, int) and part < len(data)):
                return None
            data = data[part]
        elif isinstance(data, Mapping) and part in data:
            data = data[part]
        else:
            return None
    return data


def _pydantic_message(error: Mapping[str, Any]) -> str:
    where = ".".join(str(p) for p in error["loc"])
    kind = error.get("type")
    if kind == "missing":
        return f"{where} is missing; every rule file needs it (see docs/rule-authoring.md)"
    if kind == "extra_forbidden":
        return f"{where} is not a rule file key (a typo?)"
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
