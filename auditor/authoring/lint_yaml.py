"""Lint of what YAML accepts silently: each a mistake an author cannot see in the file.

- **A key given twice** in one mapping (a second ``condition:``): YAML keeps
  the last one and drops the first without a word.
- **A list item that runs on**: a ``- `` indented one space less than the
  item above is read as the continuation of that item's text, so three
  ``norms`` become one string ("... principle 12 - ILO indicators ...").
- **A tab**: YAML indents with spaces only; PyYAML's message for a tab is
  often "found character that cannot start any token".
- **A scalar where a list is expected** (``norms: ILO C181``), said in the
  rule file's own words rather than pydantic's.

Each problem has the file, the line and what to write instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from auditor.base import yamltext
from auditor.engine.rulefile import RuleProblem

#: Keys of a rule file that hold a list, and what one item is.
LIST_KEYS = {
    "norms": "one norm per line, each starting with '- '",
    "evidence": "a list of fields, e.g. [amount]",
    "examples": "one example per '- name: ...'",
    "related_paragraphs": "a list of paragraph numbers, e.g. [8]",
    "properties": "one property per '- kind: ...'",
    "norms_by_sector": "one group per '- sectors: [...]'",
}


def yaml_problems(path: Path, text: str, *, rule_file: bool = True) -> list[RuleProblem]:
    """Tabs, keys given twice, list items that run on, and scalars given for lists."""
    problems = _tabs(path, text)
    if problems:
        return problems  # the parser's own message would only repeat it, less plainly
    try:
        root = yamltext.compose(text)
    except yaml.YAMLError:
        return []  # the loader reports it
    if root is None:
        return []
    lines = text.splitlines()
    for node, where in _walk(root, ()):
        if isinstance(node, yaml.MappingNode):
            problems += _duplicates(path, node, where)
        elif isinstance(node, yaml.ScalarNode):
            problems += _run_on(path, node, where, lines)
    if rule_file and isinstance(root, yaml.MappingNode):
        problems += _scalars_for_lists(path, root)
    return problems


def _tabs(path: Path, text: str) -> list[RuleProblem]:
    return [
        RuleProblem(
            path,
            number,
            "a tab; YAML indents with spaces only: replace the tab with spaces "
            "(as many as the lines above use)",
        )
        for number, line in enumerate(text.splitlines(), start=1)
        if "\t" in line
    ]


def _walk(node: yaml.Node, where: tuple[str | int, ...]) -> Iterator[tuple[yaml.Node, str]]:
    dotted = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where).lstrip(".")
    yield node, dotted
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(value, (*where, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, (*where, index))


def _duplicates(path: Path, node: yaml.MappingNode, where: str) -> list[RuleProblem]:
    first: dict[str, int] = {}
    problems = []
    for key, _ in node.value:
        name, line = str(key.value), key.start_mark.line + 1
        if name in first:
            inside = f" in {where}" if where else ""
            problems.append(
                RuleProblem(
                    path,
                    line,
                    f"{name} is given twice{inside} (first on line {first[name]}); YAML keeps "
                    f"only this one and drops the first: keep one {name} (to require both "
                    "conditions, put them under all:)",
                )
            )
        else:
            first[name] = line
    return problems


def _run_on(path: Path, node: yaml.ScalarNode, where: str, lines: list[str]) -> list[RuleProblem]:
    """A plain scalar whose continuation line starts with '- ': a mis-indented list item."""
    if node.style not in (None, "") or node.start_mark.line == node.end_mark.line:
        return []
    for number in range(node.start_mark.line + 1, node.end_mark.line + 1):
        if number < len(lines) and lines[number].lstrip().startswith("- "):
            return [
                RuleProblem(
                    path,
                    number + 1,
                    f"{where}: this '- ' is read as part of the text above it, not as an item "
                    "of its own (its indentation differs from the item above): indent every "
                    "'- ' of the list the same",
                )
            ]
    return []


def _scalars_for_lists(path: Path, root: yaml.MappingNode) -> list[RuleProblem]:
    problems = []
    for key, value in root.value:
        name = str(key.value)
        if name in LIST_KEYS and isinstance(value, yaml.ScalarNode) and value.value != "":
            problems.append(
                RuleProblem(
                    path,
                    key.start_mark.line + 1,
                    f"{name} is one value where a list is expected: write {LIST_KEYS[name]}",
                )
            )
    return problems
