"""Problems of an invalid upload as the API and the pages show them."""

from __future__ import annotations

from collections import Counter
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


#: An invalid upload keeps this many problem documents (web.md 1.1): 400,000 problems made a
#: 72 MB row and a 51 MB page; the counts by code say what the rest were.
MAX_STORED_PROBLEMS = 1000


def capped(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """The row's fields for ``documents``: the first :data:`MAX_STORED_PROBLEMS`, whether
    there were more, and how many there were of each code."""
    counts = Counter(str(document.get("code", "")) for document in documents)
    return {
        "problems": documents[:MAX_STORED_PROBLEMS],
        "problems_truncated": len(documents) > MAX_STORED_PROBLEMS,
        "problem_counts": dict(sorted(counts.items())),
    }


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
