"""Lint of a rule file's examples: each must be an inspection the format accepts, about a
subject it has.

An example that the format refuses would make ``auditor rules test``
stop at it, and one about a subject it does not have (W2 when the
example has only W1) would pass silently: a rule cannot fire for a
worker who is not there. The examples are read from the file as written,
so they are checked even while the rule's condition does not load yet:
an author sees every problem at once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from auditor.base import yamltext
from auditor.engine.rulefile import Example, Rule, RuleProblem, line_map, nearest_line
from auditor.ingest.data import check_data
from auditor.model.enums import SubjectType
from auditor.model.problems import Problem
from auditor.model.profiles import ProfileSet
from auditor.model.sheets import SHEET_BY_KEY
from auditor.testing.baseline import ExampleError
from auditor.testing.examples import example_data

_DATA_PATH = re.compile(r"^(?P<key>\w+)(?:\[(?P<index>\d+|\*)\])?(?:\.(?P<column>\w+))?$")
_ID_OF = {
    SubjectType.EMPLOYER: "employers",
    SubjectType.WORKER: "workers",
    SubjectType.CHANNEL: "channels",
    SubjectType.COMPLAINT: "complaints",
}


@dataclass(frozen=True)
class WrittenExamples:
    """A rule file's examples that parse, by their place in the file, and whom they are about."""

    source: Path
    line: Callable[..., int]
    examples: tuple[tuple[int, Example], ...]
    subject: SubjectType | None

    @classmethod
    def of_rule(cls, rule: Rule) -> WrittenExamples:
        return cls(rule.source, rule.line, tuple(enumerate(rule.data.examples)), rule.data.subject)

    @classmethod
    def of_file(cls, path: Path) -> WrittenExamples | None:
        """The examples of a file whose rule does not load (its condition may be wrong)."""
        try:
            text = path.read_text(encoding="utf-8")
            data = yamltext.load(text)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return None  # the loader reports a file that cannot be read
        if not isinstance(data, Mapping) or not isinstance(data.get("examples"), list):
            return None
        parsed = []
        for index, item in enumerate(data["examples"]):
            try:
                parsed.append((index, Example.model_validate(item)))
            except ValidationError:
                continue  # the loader reports a malformed example
        try:
            subject: SubjectType | None = SubjectType(str(data.get("subject")))
        except ValueError:
            subject = None
        lines = line_map(text)
        return cls(path, lambda *where: nearest_line(lines, *where), tuple(parsed), subject)


def example_problems(written: WrittenExamples, profiles: ProfileSet) -> list[RuleProblem]:
    """Examples that are not valid inspections, or are about a subject they do not have."""
    problems = []
    for number, example in written.examples:
        label = f'examples[{number}] "{example.name}"'
        try:
            data = example_data(example)
        except ExampleError as error:
            problems.append(
                RuleProblem(written.source, written.line("examples", number), f"{label}: {error}")
            )
            continue
        dataset, report = check_data(data, profiles)
        for found in [*report.errors, *report.warnings]:
            line = _line_of(written.line, number, example, data, found)
            problems.append(RuleProblem(written.source, line, f"{label}: {_explained(found)}"))
        if dataset is not None and written.subject is not None:
            problem = _subject_problem(written.subject, example.subject, data)
            if problem:
                line = written.line("examples", number, "subject")
                problems.append(RuleProblem(written.source, line, f"{label}: {problem}"))
    return problems


def _explained(problem: Problem) -> str:
    """The format's message, with a suggestion for a column name that is a near miss."""
    message = f"{problem.where}: {problem.message}"
    match = _DATA_PATH.match(problem.where)
    if match and problem.message.startswith("unknown field") and match["key"] in SHEET_BY_KEY:
        spec = SHEET_BY_KEY[match["key"]]
        column = match["column"] or ""
        close = difflib.get_close_matches(column, spec.fields, n=1, cutoff=0.6)
        message += (
            f" (did you mean {close[0]}?)"
            if close
            else (f"; the columns of {spec.name} are {', '.join(spec.fields)}")
        )
    return message


def _line_of(
    line: Callable[..., int],
    number: int,
    example: Example,
    data: Mapping[str, Any],
    problem: Problem,
) -> int:
    """The line of the example's key that put the faulty value there."""
    base: tuple[str | int, ...] = ("examples", number)
    match = _DATA_PATH.match(problem.where)
    if match is None:
        return line(*base)
    key, index, column = match["key"], match["index"], match["column"] or ""
    if key == "audit":
        return line(*base, "change", "audit", column)
    spec = SHEET_BY_KEY.get(key)
    if spec is None:
        return line(*base)
    id_field = spec.model.ID_FIELD or "currency"
    added: Sequence[Mapping[str, Any]] = example.add.get(key, [])
    if index is None or index == "*":
        row_ids = [i for i, row in enumerate(added) if column in row]
        if row_ids:
            return line(*base, "add", key, row_ids[0], column)
        changed = [rid for rid, fields in example.change.get(key, {}).items() if column in fields]
        return line(*base, "change", key, changed[0], column) if changed else line(*base)
    rows = data.get(key, [])
    record_id = str(rows[int(index)].get(id_field)) if int(index) < len(rows) else None
    for position, row in enumerate(added):
        if str(row.get(id_field)) == record_id:
            return line(*base, "add", key, position, column)
    if record_id in example.change.get(key, {}):
        return line(*base, "change", key, record_id, column)
    return line(*base)


def _subject_problem(kind: SubjectType, subject: str, data: Mapping[str, Any]) -> str | None:
    if kind is SubjectType.AGENCY:
        return None if subject == "agency" else "subject: the agency is written subject: agency"
    key = _ID_OF[kind]
    id_field = SHEET_BY_KEY[key].model.ID_FIELD or ""
    ids = [str(row[id_field]) for row in data.get(key, [])]
    if subject in ids:
        return None
    have = f"its {kind.value}s are {', '.join(ids)}" if ids else f"it has no {kind.value}"
    return (
        f"subject: {subject} is not a {kind.value} of this example ({have}); "
        "a rule cannot fire for it"
    )
