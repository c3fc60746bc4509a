"""Loading one sheet: survey its XML, check the limits, and only then let calamine build it.

Runs in two threads of the reader: one surveys each sheet in turn, the
other loads each surveyed sheet (python-calamine parses without the GIL,
so the next sheet is surveyed and parsed while the last one is
validated). Whatever goes wrong in here becomes a message on the sheet,
never an exception escaping the reader: calamine raises ``OverflowError`` for a date-formatted
cell far beyond year 9999 and, like any pyo3 extension, ``PanicException``
(a ``BaseException``) if its Rust code panics.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from xml.etree import ElementTree

import python_calamine

from auditor.base.limits import Limits
from auditor.ingest.package import SheetPart
from auditor.ingest.survey import (
    Extent,
    SurveyProblem,
    survey,
    unreadable_cells,
)
from auditor.model.cellref import column_letters
from auditor.model.codes import Code
from auditor.model.messages import Message
from auditor.model.sheets import SheetSpec

#: A merged range as calamine gives it, 0-based: ((first row, first col), (last row, last col)).
MergedRange = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class LoadedSheet:
    """One sheet as the loader thread hands it over: cells, or why there are none.

    ``over_limit`` is a message about the sheet; ``over_total`` one about the
    workbook as a whole (its sheets together have too many cells); ``over_code``
    is the code of either.
    """

    spec: SheetSpec
    part: SheetPart
    rows: Sequence[Sequence[object]] = field(default_factory=list)
    marks: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[MergedRange] = field(default_factory=list)
    over_limit: str = ""
    over_total: str = ""
    over_code: Code = Code.TOO_MANY_CELLS
    damage: str = ""


class SheetLoader:
    """Loads the sheets of one workbook in turn, counting their cells against the limit."""

    def __init__(self, data: bytes, book: python_calamine.CalamineWorkbook, limits: Limits) -> None:
        self.data = data
        self.book = book
        self.limits = limits
        self.cells = 0
        self.stopped = False

    def stop(self) -> None:
        """Load nothing more: a limit was exceeded and the reading is over."""
        self.stopped = True

    def survey(self, part: SheetPart) -> Extent | str:
        """How far a sheet reaches, or why it cannot be read: the first stage of :meth:`load`.

        It runs ahead of the loading, one sheet after another in a thread of
        its own, so that the next sheet is surveyed while this one is parsed.
        """
        if self.stopped or not part.member:
            return ""  # nothing to survey: :meth:`load` says why
        if part.extent is not None:  # .ods: surveyed already
            return part.extent
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            try:
                return survey(archive, part.member)
            except SurveyProblem as problem:
                return Message("the sheet cannot be read: %(why)s", why=problem.message)

    def load(
        self,
        spec: SheetSpec,
        part: SheetPart,
        index: int,
        surveyed: Future[Extent | str] | None = None,
    ) -> LoadedSheet:
        """Check and build one surveyed sheet (``index``: its position in the workbook).

        ``surveyed`` is its :meth:`survey`, run in another thread; without it,
        the sheet is surveyed here.
        """
        loaded = LoadedSheet(spec, part)
        if self.stopped:
            return loaded
        if not part.member:
            loaded.damage = Message(
                "the sheet cannot be read: its data is missing; the file is damaged"
            )
            return loaded
        try:
            extent = surveyed.result() if surveyed is not None else self.survey(part)
        except CancelledError:  # the reading stopped at a limit
            return loaded
        if self.stopped:
            return loaded
        if isinstance(extent, str):
            loaded.damage = extent
            return loaded
        if self._over(extent, loaded):
            return loaded
        self.cells += extent.cells
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            try:
                sheet = self.book.get_sheet_by_index(index)
                loaded.rows = sheet.to_python(skip_empty_area=False)
                loaded.merged = list(sheet.merged_cell_ranges or [])
                if part.marks is not None:
                    loaded.marks = dict(part.marks)
                elif extent.formulas_or_errors:
                    loaded.marks = unreadable_cells(archive, part.member)
            except ElementTree.ParseError as error:
                loaded.rows = []
                loaded.damage = Message(
                    "the sheet cannot be read: its XML is malformed (%(detail)s)", detail=str(error)
                )
            except Exception as error:  # calamine's errors have no common base worth naming
                loaded.rows = []
                loaded.damage = calamine_problem(error)
            except BaseException as error:
                if not is_panic(error):
                    raise
                loaded.rows = []
                loaded.damage = calamine_problem(error)
        return loaded

    def _over(self, extent: Extent, loaded: LoadedSheet) -> bool:
        limits = self.limits
        if extent.rows > limits.max_rows_per_sheet:
            loaded.over_limit = Message(
                "the sheet reaches row %(rows)s, over the limit of %(limit)s rows",
                rows=f"{extent.rows:,}",
                limit=f"{limits.max_rows_per_sheet:,}",
            )
            loaded.over_code = Code.TOO_MANY_ROWS
        elif extent.columns > limits.max_columns_per_sheet:
            loaded.over_limit = Message(
                "the sheet reaches column %(letters)s (column %(columns)s), over the limit of "
                "%(limit)s columns",
                letters=column_letters(extent.columns),
                columns=f"{extent.columns:,}",
                limit=f"{limits.max_columns_per_sheet:,}",
            )
            loaded.over_code = Code.TOO_MANY_COLUMNS
        elif extent.cells > limits.max_total_cells:
            loaded.over_limit = Message(
                "the sheet spans %(rows)s rows by %(columns)s columns, %(cells)s cells, over the "
                "limit of %(limit)s",
                rows=f"{extent.rows:,}",
                columns=f"{extent.columns:,}",
                cells=f"{extent.cells:,}",
                limit=f"{limits.max_total_cells:,}",
            )
        elif self.cells + extent.cells > limits.max_total_cells:
            loaded.over_total = Message(
                "the workbook's sheets span over %(limit)s cells in all, the limit",
                limit=f"{limits.max_total_cells:,}",
            )
        return bool(loaded.over_limit or loaded.over_total)


def is_panic(error: BaseException) -> bool:
    """A pyo3 ``PanicException``: a Rust panic in an extension, raised as a BaseException."""
    return type(error).__name__ == "PanicException"


def calamine_problem(error: BaseException) -> str:
    """A plain sentence for an error calamine raised while reading."""
    if isinstance(error, OverflowError):
        return Message(
            "a cell holds a date or time too far from today to be read (beyond year 9999); "
            "the file is damaged or the cell needs a real date"
        )
    text = str(error).strip()
    detail = (text.splitlines()[0] if text else type(error).__name__)[:120]
    return Message("the sheet is damaged and cannot be read (%(detail)s)", detail=detail)
