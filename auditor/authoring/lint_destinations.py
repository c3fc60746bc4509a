"""Lint of destination profiles (catalogue 1.3): each problem at the line of its key.

As :mod:`auditor.authoring.lint_profiles` does for jurisdiction profiles:
the loader refuses a bad ``destinations/XX.yaml`` with one message for the
folder; lint sends the author to the line, says what would be right, and
checks what the model cannot: that the file is named by its country, and
that a ``to_be_confirmed`` profile says what must be confirmed.
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
from auditor.model.destinations import (
    DestinationCap,
    DestinationCosts,
    DestinationFee,
    DestinationProfile,
    destination_files,
)
from auditor.model.profiles import Source

_HINTS = {
    "country": "the destination's two-letter country code, as in Employers.destination_country",
    "name": "the country's name",
    "law": "the law by name and article, as the report cites it (e.g. Labour Law No. 14 of 2004, "
    "Art. 33)",
    "summary": "say in a sentence or two what the law lets a worker bear for work there",
    "sources": "list the laws it rests on, each as - title: ...",
    "checked_on": "the date you last checked the sources, as YYYY-MM-DD",
    "status": "checked (the official text was read) or to_be_confirmed",
    "claims_to": "where a worker can claim such costs in that country (the authority)",
}
_KEYS = ", ".join(DestinationProfile.model_fields)
_PARTS: Mapping[tuple[str, ...], type[BaseModel]] = {
    (): DestinationProfile,
    ("sources",): Source,
    ("recruitment_fee",): DestinationFee,
    ("recruitment_fee", "cap"): DestinationCap,
    ("worker_may_bear",): DestinationCosts,
}


def destination_problems(directory: Path) -> list[RuleProblem]:
    """Every problem of every destination profile file of a rule directory."""
    problems: list[RuleProblem] = []
    for path in destination_files(directory):
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
            problems.append(RuleProblem(path, 1, f"a destination profile is a mapping of {_KEYS}"))
            continue
        lines = line_map(text)
        try:
            profile = DestinationProfile.model_validate(data)
        except ValidationError as failure:
            for item in failure.errors():
                line = nearest_line(lines, *item["loc"])
                problems.append(RuleProblem(path, line, _message(item)))
            continue
        if path.stem.upper() != profile.country:
            problems.append(
                RuleProblem(
                    path,
                    nearest_line(lines, "country"),
                    f"country is {profile.country}; name the file {profile.country}.yaml",
                )
            )
    return problems


def _message(error: Mapping[str, Any]) -> str:
    loc = error["loc"]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    kind = error.get("type")
    top = str(loc[0]) if loc else ""
    if kind == "missing":
        return f"{where} is missing; {_HINTS.get(top, 'every destination profile needs it')}"
    if kind == "extra_forbidden":
        path = tuple(str(p) for p in loc[:-1] if not isinstance(p, int))
        part = _PARTS.get(path, DestinationProfile)
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
