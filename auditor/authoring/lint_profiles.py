"""Lint of jurisdiction profiles: each problem at the line of its key, with a hint.

The loader refuses a bad profile with one message for the whole
``profiles/`` folder; a policy analyst editing ``profiles/XX.yaml`` wants
to be sent to the line (``except_sectors: [domestic]``) and told what
would be right (the sectors of the workbook format).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from auditor.base import yamltext
from auditor.engine.rulefile import RuleProblem, line_map, nearest_line
from auditor.model.profiles import Cap, CostAllowance, FeeAllowance, Profile, Source

#: What a missing or mistyped key of a profile should be, in a few words.
_HINTS = {
    "id": "the profile's id, as an audit names it (a country code such as PH)",
    "name": "the jurisdiction's name",
    "summary": "say in a sentence or two what the law lets a worker pay",
    "sources": "list the laws it rests on, each as - title: ...",
    "checked_on": "the date you last checked the sources, as YYYY-MM-DD",
}
_KEYS = ", ".join(Profile.model_fields)
#: The model of each nested part of a profile, by its key path (list indexes left out).
_PARTS: Mapping[tuple[str, ...], type[BaseModel]] = {
    (): Profile,
    ("sources",): Source,
    ("recruitment_fee",): FeeAllowance,
    ("recruitment_fee", "cap"): Cap,
    ("worker_may_pay",): CostAllowance,
}


def profile_problems(directory: Path) -> list[RuleProblem]:
    """Every problem of every profile file of a rule directory."""
    problems: list[RuleProblem] = []
    for path in sorted((directory / "profiles").glob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
            data = yamltext.load(text)
        except (OSError, UnicodeDecodeError) as error:
            problems.append(RuleProblem(path, 1, f"cannot be read: {error}"))
            continue
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            problems.append(RuleProblem(path, line, f"is not valid YAML: {error}"))
            continue
        if not isinstance(data, Mapping):
            problems.append(RuleProblem(path, 1, f"a profile is a mapping of {_KEYS}"))
            continue
        lines = line_map(text)
        try:
            Profile.model_validate(data)
        except ValidationError as failure:
            for item in failure.errors():
                line = nearest_line(lines, *item["loc"])
                problems.append(RuleProblem(path, line, _message(item)))
    return problems


def _message(error: Mapping[str, Any]) -> str:
    loc = error["loc"]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    kind = error.get("type")
    top = str(loc[0]) if loc else ""
    if kind == "missing":
        return f"{where} is missing; {_HINTS.get(top, 'every profile needs it')}"
    if kind == "extra_forbidden":
        part = _PARTS.get(tuple(str(p) for p in loc[:-1] if not isinstance(p, int)), Profile)
        keys = list(part.model_fields)
        close = difflib.get_close_matches(str(loc[-1]), keys, n=1, cutoff=0.6)
        better = f"did you mean {close[0]}? " if close else ""
        return f"{where} is not a key here; {better}the keys here are {', '.join(keys)}"
    if kind == "enum":
        choices = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        close = difflib.get_close_matches(str(error.get("input")), choices, n=1, cutoff=0.5)
        better = f" (did you mean {close[0]}?)" if close else ""
        return f"{where}: {error.get('input')} is not one of {', '.join(choices)}{better}"
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
