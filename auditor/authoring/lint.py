"""``auditor rules lint``: every problem of a rule directory, each with file, line and a hint.

The loader (:func:`~auditor.engine.pack.check_pack`) already refuses what
cannot run: schema errors, unknown condition fields and enumeration
values, duplicate and retired ids, bad profiles. Lint adds what would run
but say the wrong thing:

- text still holding a placeholder of ``auditor rules new`` (``TODO``),
  or left blank;
- examples that are not inspections the format accepts: a column the
  sheet does not have, a value outside an enumeration, a record that is
  not there (each at the line of the example's key that says it);
- examples about a subject that does not exist (a rule cannot fire for
  W2 when the example has no W2: it would pass silently).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from auditor.engine.pack import check_pack, rule_files
from auditor.engine.rulefile import Rule, RuleProblem, line_map, load_rule_file, nearest_line
from auditor.errors import RulePackError
from auditor.ingest.data import check_data
from auditor.model.enums import SubjectType
from auditor.model.problems import Problem
from auditor.model.sheets import SHEET_BY_KEY
from auditor.profiles import ProfileSet, load_profiles
from auditor.testing.baseline import ExampleError
from auditor.testing.examples import example_data

PLACEHOLDER = "TODO"
#: What to write instead of a placeholder, by the key it stands under.
_HINTS = {
    "title": "write what the agency or employer did, in a few words",
    "norms": "name the instrument and article the rule rests on, e.g. ILO C181 Art 7(1)",
    "rationale": "say in plain words why this matters, for the inspector and the agency",
    "finding": "say what was found, as what the agency or employer did (never the worker)",
    "remediation": "write the order to remedy: what the agency must do, and for whom",
    "referral": "name the authority to refer to, or remove the key",
    "examples": "describe the case in a few words",
}
_TEXTS = ("title", "rationale", "finding", "remediation", "referral")
_DATA_PATH = re.compile(r"^(?P<key>\w+)(?:\[(?P<index>\d+|\*)\])?(?:\.(?P<column>\w+))?$")
_ID_OF = {
    SubjectType.EMPLOYER: "employers",
    SubjectType.WORKER: "workers",
    SubjectType.CHANNEL: "channels",
    SubjectType.COMPLAINT: "complaints",
}


def lint(directory: Path, files: Sequence[Path] | None = None) -> list[RuleProblem]:
    """Every problem of the rule directory (of ``files`` in it, and of the pack as a whole)."""
    directory = directory.resolve()
    _, problems = check_pack(directory)
    profiles = _profiles(directory)
    for path in rule_files(directory):
        problems += _text_problems(path)
        rule, _ = load_rule_file(path)  # check_pack keeps rules only when all of them load
        if rule is not None and profiles is not None:
            problems += example_problems(rule, profiles)
    if files is not None:
        chosen = {path.resolve() for path in files}
        every_rule = set(rule_files(directory))
        problems = [p for p in problems if p.file in chosen or p.file not in every_rule]
    unique = {(p.file, p.line, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (str(p.file), p.line, p.message))


def _profiles(directory: Path) -> ProfileSet | None:
    try:
        return load_profiles(directory)
    except RulePackError:
        return None  # check_pack has said why


# -- text -----------------------------------------------------------------------------------------


def _text_problems(path: Path) -> list[RuleProblem]:
    """Placeholders left in, and texts left blank."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # check_pack reports the file
    if not isinstance(data, Mapping):
        return []
    lines = line_map(text)
    problems = []
    for where, value in _strings(data, ()):
        top = str(where[0])
        if top in ("condition", "applies_when"):
            continue  # the condition's own check names the unknown field, with a suggestion
        dotted = _dotted(where)
        if PLACEHOLDER in value:
            hint = _HINTS.get(top, "replace it")
            problems.append(
                RuleProblem(
                    path, nearest_line(lines, *where), f"{dotted} is still a placeholder; {hint}"
                )
            )
        elif not value.strip() and (top in _TEXTS or top == "norms"):
            problems.append(
                RuleProblem(path, nearest_line(lines, *where), f"{dotted} is empty; {_HINTS[top]}")
            )
    return problems


def _strings(
    data: object, where: tuple[str | int, ...]
) -> Iterable[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield from _strings(value, (*where, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*where, index))


def _dotted(where: Sequence[str | int]) -> str:
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# -- examples ---------------------------------------------------------------------------------


def example_problems(rule: Rule, profiles: ProfileSet) -> list[RuleProblem]:
    """Examples that are not valid inspections, or are about a subject they do not have."""
    problems = []
    for number, example in enumerate(rule.data.examples):
        label = f'examples[{number}] "{example.name}"'
        try:
            data = example_data(example)
        except ExampleError as error:
            problems.append(
                RuleProblem(rule.source, rule.line("examples", number), f"{label}: {error}")
            )
            continue
        dataset, report = check_data(data, profiles)
        for found in [*report.errors, *report.warnings]:
            line = _line_of(rule, number, data, found)
            problems.append(RuleProblem(rule.source, line, f"{label}: {_explained(found)}"))
        if dataset is not None:
            problem = _subject_problem(rule, example.subject, data)
            if problem:
                line = rule.line("examples", number, "subject")
                problems.append(RuleProblem(rule.source, line, f"{label}: {problem}"))
    return problems


def _explained(problem: Problem) -> str:
    """The format's message, with a suggestion for a column name that is a near miss."""
    message = f"{problem.where}: {problem.message}"
    match = _DATA_PATH.match(problem.where)
    if match and problem.message.startswith("unknown field") and match["key"] in SHEET_BY_KEY:
        import difflib

        spec = SHEET_BY_KEY[match["key"]]
        column = match["column"] or ""
        close = difflib.get_close_matches(column, spec.fields, n=1, cutoff=0.6)
        message += (
            f" (did you mean {close[0]}?)"
            if close
            else (f"; the columns of {spec.name} are {', '.join(spec.fields)}")
        )
    return message


def _line_of(rule: Rule, number: int, data: Mapping[str, Any], problem: Problem) -> int:
    """The line of the example's key that put the faulty value there."""
    base: tuple[str | int, ...] = ("examples", number)
    example = rule.data.examples[number]
    match = _DATA_PATH.match(problem.where)
    if match is None:
        return rule.line(*base)
    key, index, column = match["key"], match["index"], match["column"] or ""
    if key == "audit":
        return rule.line(*base, "change", "audit", column)
    spec = SHEET_BY_KEY.get(key)
    if spec is None:
        return rule.line(*base)
    id_field = spec.model.ID_FIELD or "currency"
    added = example.add.get(key, [])
    if index is None or index == "*":
        row_ids = [i for i, row in enumerate(added) if column in row]
        if row_ids:
            return rule.line(*base, "add", key, row_ids[0], column)
        changed = [rid for rid, fields in example.change.get(key, {}).items() if column in fields]
        return rule.line(*base, "change", key, changed[0], column) if changed else rule.line(*base)
    rows = data.get(key, [])
    record_id = str(rows[int(index)].get(id_field)) if int(index) < len(rows) else None
    for position, row in enumerate(added):
        if str(row.get(id_field)) == record_id:
            return rule.line(*base, "add", key, position, column)
    if record_id in example.change.get(key, {}):
        return rule.line(*base, "change", key, record_id, column)
    return rule.line(*base)


def _subject_problem(rule: Rule, subject: str, data: Mapping[str, Any]) -> str | None:
    kind = rule.data.subject
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
