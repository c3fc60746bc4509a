"""``auditor rules lint``: every problem of a rule directory, each with file, line and a hint.

The loader (:func:`~auditor.engine.pack.check_pack`) already refuses what
cannot run: schema errors, unknown condition fields and enumeration
values, duplicate and retired ids, bad profiles. Lint adds what would run
but say the wrong thing, and places every problem at its line:

- text still holding a placeholder of ``auditor rules new`` (``TODO``),
  or left blank, and required texts left out, each with what to write;
- examples that are not inspections the format accepts, or about a
  subject they do not have (:mod:`auditor.authoring.lint_examples`),
  checked even while the rule's condition does not load;
- profile files, at the line of the faulty key
  (:mod:`auditor.authoring.lint_profiles`), and destination profiles
  (:mod:`auditor.authoring.lint_destinations`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import yaml

from auditor.authoring.lint_destinations import destination_problems
from auditor.authoring.lint_examples import WrittenExamples, example_problems
from auditor.authoring.lint_profiles import profile_problems
from auditor.authoring.lint_yaml import yaml_problems
from auditor.base import yamltext
from auditor.engine.pack import check_pack, rule_files
from auditor.engine.rulefile import RuleProblem, line_map, load_rule_file, nearest_line
from auditor.errors import RulePackError
from auditor.model.destinations import DESTINATIONS_DIR
from auditor.model.profiles import ProfileSet, load_profiles

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
_MISSING = re.compile(r"^(?P<key>\w+) is missing; ")
_TOO_SHORT = re.compile(r"should have at least 1 (character|item)")


def lint(directory: Path, files: Sequence[Path] | None = None) -> list[RuleProblem]:
    """Every problem of the rule directory (of ``files`` in it, and of the pack as a whole)."""
    directory = directory.resolve()
    _, problems = check_pack(directory)
    profiles = _profiles(directory)
    in_profiles = profile_problems(directory)
    if in_profiles:  # in place of the loader's one message for the whole folder
        folder = directory / "profiles"
        problems = [p for p in problems if p.file != folder] + in_profiles
    in_destinations = destination_problems(directory)
    if in_destinations:  # likewise for destination profiles (catalogue 1.3)
        folder = directory / DESTINATIONS_DIR
        problems = [p for p in problems if p.file != folder] + in_destinations
    shapes: list[RuleProblem] = []
    for path in [*rule_files(directory), *sorted((directory / "profiles").glob("*.yaml"))]:
        shapes += _shape_problems(path, rule_file="profiles" not in path.parts[-2:-1])
    problems = _without_repeats(problems, shapes) + shapes
    for path in rule_files(directory):
        problems += _text_problems(path)
        rule, _ = load_rule_file(path)  # check_pack keeps rules only when all of them load
        written = WrittenExamples.of_rule(rule) if rule else WrittenExamples.of_file(path)
        if written is not None and profiles is not None:
            problems += example_problems(written, profiles)
    if files is not None:
        chosen = {path.resolve() for path in files}
        every_rule = set(rule_files(directory))
        problems = [p for p in problems if p.file in chosen or p.file not in every_rule]
    problems = _with_hints(problems)
    unique = {(p.file, p.line, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (str(p.file), p.line, p.message))


def _shape_problems(path: Path, *, rule_file: bool) -> list[RuleProblem]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # check_pack reports the file
    return yaml_problems(path, text, rule_file=rule_file)


def _without_repeats(problems: list[RuleProblem], shapes: list[RuleProblem]) -> list[RuleProblem]:
    """The loader's messages that a shape problem says better: the parser's on a file with
    a tab, pydantic's "valid list" where lint said a list was expected."""
    tabs = {p.file for p in shapes if p.message.startswith("a tab;")}
    lists = {(p.file, p.line) for p in shapes if "where a list is expected" in p.message}
    return [
        p
        for p in problems
        if not (p.file in tabs and "is not valid YAML" in p.message)
        and not ((p.file, p.line) in lists and "valid list" in p.message)
    ]


def _with_hints(problems: list[RuleProblem]) -> list[RuleProblem]:
    """The loader's messages for a missing or empty text, said once and with what to write.

    The loader says ``remediation is missing`` or that a string is too
    short; lint knows what each key is for, and has already said "is
    empty" with a hint at the same line.
    """
    said = {(p.file, p.line) for p in problems if " is empty; " in p.message}
    out = []
    for problem in problems:
        match = _MISSING.match(problem.message)
        if match and match["key"] in _HINTS:
            key = match["key"]
            out.append(RuleProblem(problem.file, problem.line, f"{key} is missing; {_HINTS[key]}"))
        elif not ((problem.file, problem.line) in said and _TOO_SHORT.search(problem.message)):
            out.append(problem)
    return out


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
        data = yamltext.load(text)
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
    if data.get("norms") == []:
        line = nearest_line(lines, "norms")
        problems.append(RuleProblem(path, line, f"norms is empty; {_HINTS['norms']}"))
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
