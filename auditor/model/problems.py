"""Problems found in an input, each with where it is and one plain sentence.

A :class:`Problem` is located abstractly (sheet, record, field) by the
code that finds it and rendered by a :class:`Locator`: as a cell
(``Fees!E7``) for a workbook, or as a JSON path (``fees[3].amount``) for
dict/JSON input. Problems sort in the order the output spec asks for: the
sheet order of the format, then row, then column.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from auditor.model.codes import Code
from auditor.model.messages import N_, Lookup, said

#: Sheet order of ``workbook-format.md``; problems and evidence sort by it.
SHEET_ORDER: tuple[str, ...] = (
    "Audit",
    "Employers",
    "Workers",
    "Contracts",
    "Fees",
    "Intermediaries",
    "Channels",
    "Complaints",
    "FX",
    "Sources",
)
_SHEET_RANK = {name: rank for rank, name in enumerate(SHEET_ORDER)}


def sheet_rank(sheet: str | None) -> int:
    """Position of a sheet in the format; the file comes first, unknown sheets last."""
    if sheet is None:
        return -1
    return _SHEET_RANK.get(sheet, len(SHEET_ORDER))


#: A problem's line as ``auditor validate`` prints it, for a translated output.
_ERROR_LINE = N_("%(where)s: %(message)s")
_WARNING_LINE = N_("warning: %(where)s: %(message)s")


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem, rendered: ``where`` is ``Fees!E7``, ``Fees!amount``, ``Fees`` or ``file``.

    ``code`` is the stable name of the kind of problem (:mod:`auditor.model.codes`);
    ``path`` is, for dataset (dict/JSON) input only, the JSON path of the place
    (``fees[3].amount``, ``audit.currency``, ``workers``; ``""`` for the input as
    a whole), and ``None`` for a workbook.
    """

    where: str
    message: str
    level: Level = Level.ERROR
    sort_key: tuple[int, int, int, str] = field(default=(0, 0, 0, ""), compare=False)
    code: Code = field(kw_only=True)
    path: str | None = field(default=None, kw_only=True)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def localized(self, lookup: Lookup) -> str:
        """The message in the language of ``lookup`` (the JSON's ``message`` stays English)."""
        return str(said(self.message, lookup))

    def line(self, lookup: Lookup | None = None) -> str:
        """``where: message`` (``warning: `` before a warning), in ``lookup``'s language."""
        if lookup is None:
            text = str(self)
            return f"warning: {text}" if self.level is Level.WARNING else text
        template = _WARNING_LINE if self.level is Level.WARNING else _ERROR_LINE
        return lookup(template) % {"where": self.where, "message": self.localized(lookup)}

    def to_dict(self) -> dict[str, str]:
        """The problem document of ``auditor validate --format json`` and the problems schema."""
        document = {
            "location": self.where,
            "code": self.code.value,
            "severity": self.level.value,
            "message": self.message,
        }
        if self.path is not None:
            document["path"] = self.path
        return document


class Locator(Protocol):
    """Renders abstract places in the input as the user will look them up.

    ``dataset`` is True for dict/JSON input, whose places are JSON paths and
    whose messages speak of records and fields rather than sheets and cells.
    """

    dataset: bool

    def file(self) -> tuple[str, tuple[int, int, int, str]]: ...

    def sheet(self, sheet: str) -> tuple[str, tuple[int, int, int, str]]: ...

    def record(self, sheet: str, index: int) -> tuple[str, tuple[int, int, int, str]]: ...

    def column(self, sheet: str, column: str) -> tuple[str, tuple[int, int, int, str]]: ...

    def cell(
        self, sheet: str, index: int, column: str
    ) -> tuple[str, tuple[int, int, int, str]]: ...


class Problems:
    """Collects problems from every check, then hands them back sorted."""

    def __init__(self, locator: Locator) -> None:
        self.locator = locator
        self._items: list[Problem] = []

    @property
    def dataset(self) -> bool:
        """True for dict/JSON input: messages name records and fields, never sheets."""
        return self.locator.dataset

    def _add(
        self,
        place: tuple[str, tuple[int, int, int, str]],
        message: str,
        level: Level,
        code: Code,
    ) -> None:
        where, key = place
        path = ("" if key[0] < 0 else where) if self.locator.dataset else None
        self._items.append(
            Problem(
                where,
                message,
                level,
                (*key[:3], f"{len(self._items):09d}"),
                code=code,
                path=path,
            )
        )

    def file(self, message: str, level: Level = Level.ERROR, *, code: Code) -> None:
        self._add(self.locator.file(), message, level, code)

    def sheet(self, sheet: str, message: str, level: Level = Level.ERROR, *, code: Code) -> None:
        self._add(self.locator.sheet(sheet), message, level, code)

    def record(
        self, sheet: str, index: int, message: str, level: Level = Level.ERROR, *, code: Code
    ) -> None:
        """A problem with a whole record (one that is not an object), not with one field."""
        self._add(self.locator.record(sheet, index), message, level, code)

    def column(
        self, sheet: str, column: str, message: str, level: Level = Level.ERROR, *, code: Code
    ) -> None:
        self._add(self.locator.column(sheet, column), message, level, code)

    def cell(
        self,
        sheet: str,
        index: int,
        column: str,
        message: str,
        level: Level = Level.ERROR,
        *,
        code: Code,
    ) -> None:
        self._add(self.locator.cell(sheet, index, column), message, level, code)

    def at_cell(
        self, sheet: str, reference: str, message: str, level: Level = Level.ERROR, *, code: Code
    ) -> None:
        """A problem at a cell given by its reference (``D1``), not by record and field."""
        letters = "".join(ch for ch in reference if ch.isalpha())
        digits = "".join(ch for ch in reference if ch.isdigit())
        column = 0
        for letter in letters.upper():
            column = column * 26 + ord(letter) - 64
        key = (sheet_rank(sheet), int(digits or 0), column, "")
        self._add((f"{sheet}!{reference}", key), message, level, code)

    def at_column(
        self,
        sheet: str,
        header: str,
        number: int,
        message: str,
        level: Level = Level.ERROR,
        *,
        code: Code,
    ) -> None:
        """A problem about a whole column named by its header as written (``Workers!notes``)."""
        place = (f"{sheet}!{header}", (sheet_rank(sheet), 0, number, ""))
        self._add(place, message, level, code)

    def extend(self, problems: Iterable[Problem]) -> None:
        self._items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return sorted((p for p in self._items if p.level is Level.ERROR), key=_order)

    @property
    def warnings(self) -> list[Problem]:
        return sorted((p for p in self._items if p.level is Level.WARNING), key=_order)

    def __bool__(self) -> bool:
        return any(p.level is Level.ERROR for p in self._items)


def _order(problem: Problem) -> tuple[int, int, int, str]:
    return problem.sort_key


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of checking an input: every error and warning, in order."""

    errors: Sequence[Problem]
    warnings: Sequence[Problem]

    @property
    def valid(self) -> bool:
        return not self.errors

    def lines(self, lookup: Lookup | None = None) -> list[str]:
        """Errors then warnings, one a line, as the command line prints them.

        ``lookup`` is a catalogue's ``gettext`` (``--lang``); without it, English.
        """
        return [p.line(lookup) for p in (*self.errors, *self.warnings)]

    def to_dict(self, source: str) -> dict[str, Any]:
        """The problems document (``PROBLEMS_FORMAT``) of the input named ``source``."""
        return {
            "format": PROBLEMS_FORMAT,
            "input": source,
            "valid": self.valid,
            "problems": [p.to_dict() for p in (*self.errors, *self.warnings)],
        }


#: The problems document ``auditor validate --format json`` prints (``auditor schema problems``).
PROBLEMS_FORMAT = "audit-problems/1"


def problems_json(source: str, report: ValidationReport) -> str:
    """The problems document as text: fixed key order, two-space indent, trailing newline.

    ``problems`` lists errors then warnings, each in sheet then row order, as
    the text form does; each has its ``code``, ``severity`` (``error``: the
    input is invalid; ``warning``: the audit runs), ``location`` (as the text
    form shows it) and, for dataset input, ``path``.
    """
    return json.dumps(report.to_dict(source), indent=2, ensure_ascii=False) + "\n"
