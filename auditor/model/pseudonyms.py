"""Worker ids are pseudonyms: an id that looks like a person's name is refused (format 1.2).

Both copies of a report print worker ids, and the agency's copy goes to the
agency inspected; an id typed as the worker's name would tell the agency
who said what. The format says ``worker_id`` is "a pseudonymous reference;
never a name", and 1.2 enforces it, as settled:

- an id with a digit (of any script: ``W-001``, ``का-०१``) is never flagged;
- two or more white-space separated words of letters, each of at least two
  letters (combining marks count as letters), is an error
  (``Ram Bahadur Thapa``; ``Worker A`` passes);
- letters of a script other than Latin and no digit is an error
  (``सीता``, ``فاطمة``);
- a single Latin word of letters (``Maria``) is a warning: it may be a
  name or a code.

The check runs in every sheet where a worker id appears (``worker_id``
columns, and a source's ``subject_id`` about a worker), at each cell.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

from auditor.model.codes import Code
from auditor.model.enums import SubjectType
from auditor.model.messages import Message
from auditor.model.problems import Level, Problems
from auditor.model.records import Record
from auditor.model.sheets import TABLE_SHEETS
from auditor.model.values import shown

#: Sheets with a worker_id column, in sheet order.
WORKER_ID_SHEETS: tuple[str, ...] = tuple(
    spec.name for spec in TABLE_SHEETS if "worker_id" in spec.fields
)
_SHORTEST_WORD = 2


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _is_digit(char: str) -> bool:
    return char.isdigit() or unicodedata.category(char) == "Nd"


def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("LATIN", "FULLWIDTH LATIN"))


@lru_cache(maxsize=4096)
def name_code(worker_id: str) -> Code | None:
    """The problem a worker id has as a possible name: an error's code, a warning's, or None."""
    if worker_id.isascii() and not worker_id.isalpha() and len(worker_id.split()) == 1:
        return None  # the common case at once: W-001, MF-12, A7
    if any(_is_digit(char) for char in worker_id):
        return None
    words = worker_id.split()
    named = [w for w in words if len(w) >= _SHORTEST_WORD and all(map(_is_letter, w))]
    if len(named) >= 2:
        return Code.WORKER_ID_LOOKS_LIKE_NAME
    if any(unicodedata.category(c)[0] == "L" and not _is_latin(c) for c in worker_id):
        return Code.WORKER_ID_LOOKS_LIKE_NAME
    if len(words) == 1 and named:
        return Code.WORKER_ID_MAY_BE_NAME
    return None


def _message(name: str, value: str, code: Code) -> str:
    if code is Code.WORKER_ID_LOOKS_LIKE_NAME:
        return Message(
            "%(field)s %(value)s looks like a person's name; worker ids are pseudonyms, "
            "printed in the agency's copy of the report: replace it in every sheet with a "
            "reference such as W-001, and keep the names in the office's own file",
            field=name,
            value=shown(value),
        )
    return Message(
        "%(field)s %(value)s may be a person's name; if it is, replace it in every sheet "
        "with a reference such as W-001",
        field=name,
        value=shown(value),
    )


Readable = Callable[[str], list[tuple[int, Record]]]
Column = Callable[[str, str], list[object]]


def check_worker_ids(readable: Readable, column: Column, problems: Problems) -> None:
    """Report each worker id that looks like a name, at its cell in every sheet."""
    for sheet in WORKER_ID_SHEETS:
        distinct = {value for value in column(sheet, "worker_id") if isinstance(value, str)}
        if not any(name_code(value) for value in distinct):
            continue  # the common case: every id has a digit
        for index, record in readable(sheet):
            _report(sheet, index, "worker_id", getattr(record, "worker_id", None), problems)
    for index, record in readable("Sources"):
        if getattr(record, "subject_type", None) is SubjectType.WORKER:
            _report("Sources", index, "subject_id", getattr(record, "subject_id", None), problems)


def _report(sheet: str, index: int, name: str, value: object, problems: Problems) -> None:
    if not isinstance(value, str):
        return
    code = name_code(value)
    if code is None:
        return
    level = Level.WARNING if code is Code.WORKER_ID_MAY_BE_NAME else Level.ERROR
    problems.cell(sheet, index, name, _message(name, value, code), level, code=code)
