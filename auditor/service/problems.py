"""Problems of an invalid upload as the API and the pages show them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from auditor.model.codes import Code
from auditor.model.problems import Problem


def problem_documents(
    errors: Sequence[Problem], warnings: Sequence[Problem]
) -> list[dict[str, Any]]:
    """Errors then warnings, each as the problem document of ``audit-output.md`` 1.1
    (the same as ``auditor validate --format json`` prints)."""
    return [problem.to_dict() for problem in [*errors, *warnings]]


def refusal(message: str) -> list[dict[str, Any]]:
    """One problem about the input as a whole, for a refusal that names no place in it."""
    return [
        {
            "location": "file",
            "code": Code.FILE_UNREADABLE.value,
            "severity": "error",
            "message": message,
        }
    ]
