"""JSON Schemas (draft 2020-12) of auditor's documents, shipped as files in this package.

``auditor schema input|result|comparison|problems|issue`` prints them; a Java or
.NET system can check a payload before sending it. The files
(``<name>.schema.json`` here, copied to ``docs/schemas/``) are generated
from the code by ``python -m auditor.schemas`` and a test keeps both
copies equal to what the code generates, so the schemas cannot drift from
the library.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from auditor.errors import AuditorError, UsageError

NAMES: tuple[str, ...] = ("input", "result", "comparison", "problems", "issue")


def file_name(name: str) -> str:
    return f"{name}.schema.json"


def generate(name: str) -> dict[str, Any]:
    """The schema ``name`` as the current code defines it."""
    from auditor.schemas import output
    from auditor.schemas.input import input_schema
    from auditor.schemas.issue import issue_schema

    def _input() -> dict[str, Any]:
        from auditor.model.profiles import default_profiles

        return input_schema(default_profiles().ids())

    makers: dict[str, Callable[[], dict[str, Any]]] = {
        "input": _input,
        "result": output.result_schema,
        "comparison": output.comparison_schema,
        "problems": output.problems_schema,
        "issue": issue_schema,
    }
    if name not in makers:
        raise UsageError(f"no schema named {name!r}; choose one of {', '.join(NAMES)}")
    return makers[name]()


def render(schema: dict[str, Any]) -> str:
    """A schema as its file holds it: two-space indent, UTF-8, trailing newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def shipped(name: str) -> str:
    """The text of the schema file shipped in the package."""
    if name not in NAMES:
        raise UsageError(f"no schema named {name!r}; choose one of {', '.join(NAMES)}")
    try:
        return resources.files(__name__).joinpath(file_name(name)).read_text(encoding="utf-8")
    except OSError as error:
        raise AuditorError(
            f"the schema file {file_name(name)} is missing from the auditor package "
            f"({error.strerror}); reinstall auditor"
        ) from None


def load(name: str) -> dict[str, Any]:
    """The shipped schema ``name`` as a dict, ready for a JSON Schema validator."""
    schema: dict[str, Any] = json.loads(shipped(name))
    return schema


def write_all(*folders: Path) -> list[Path]:
    """Write every schema into each folder; returns the files written."""
    written = []
    for name in NAMES:
        text = render(generate(name))
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / file_name(name)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written
