"""Problems of an invalid upload as the API and the pages show them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from auditor.model.problems import Problem


def problem_documents(
    errors: Sequence[Problem], warnings: Sequence[Problem]
) -> list[dict[str, Any]]:
    """Errors then warnings, each as the problem document of ``audit-output.md`` 1.1."""
    return [_document(problem) for problem in [*errors, *warnings]]


def _document(problem: Problem) -> dict[str, Any]:
    document: dict[str, Any] = {
        "location": problem.where,
        "code": getattr(problem, "code", None),
        "message": problem.message,
        "level": str(problem.level),
    }
    path = getattr(problem, "path", None)
    if path:
        document["path"] = path
    return document
