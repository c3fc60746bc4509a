"""Loading the sheets: survey each one's XML, check the limits, and only then let calamine build it.

Three kinds of thread share the work. One surveys each sheet in turn,
in the workbook's order; two load the surveyed sheets, the largest part
first, each with a calamine workbook of its own (python-calamine parses
without the GIL, so two sheets are parsed at once); the caller validates
each loaded sheet, in the workbook's order. The largest sheet (the fees of
a large agency) is the longest chain of survey, parse and validation, so
it is parsed while the smaller ones are parsed and validated beside it,
and a large one is surveyed in a forked copy of the process, where the
survey's Python does not take turns with the validation for the GIL.

The limits are applied as if the sheets were read one after another in
the workbook's order: a sheet is over the total when the sheets before it
and itself span more cells than the limit allows. So a workbook over a
limit gets the same problems whichever sheet a thread happened to finish
first, and no sheet over a limit reaches calamine.

Whatever goes wrong in here becomes a message on the sheet, never an
exception escaping the reader: calamine raises ``OverflowError`` for a
date-formatted cell far beyond year 9999 and, like any pyo3 extension,
``PanicException`` (a ``BaseException``) if its Rust code panics.
"""

from __future__ import annotations

import contextlib
import io
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from xml.etree import ElementTree

import python_calamine

from auditor.base import forked
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


#: What the caller validates: one sheet in the format, its part, and its place in the workbook.
Found = tuple[SheetSpec, SheetPart, int]
#: Threads that parse sheets at once (each with its own calamine workbook).
_PARSERS = 2
#: Unpacked XML from which a sheet's survey is worth a forked process (about 0.1 s of work).
SURVEY_APART_FROM = 16 << 20


class SheetLoader:
    """Loads the sheets of one workbook, holding each to the limits before calamine builds it."""

    def __init__(self, data: bytes, book: python_calamine.CalamineWorkbook, limits: Limits) -> None:
        self.data = data
        self.limits = limits
        self.stopped = False
        self._books = [book]  # one per parsing thread; a second is opened when one is needed
        self._books_lock = threading.Lock()

    def stop(self) -> None:
        """Load nothing more: a limit was exceeded and the reading is over."""
        self.stopped = True

    def read_in_order(self, sheets: Sequence[Found], take: Callable[[LoadedSheet], None]) -> None:
        """Survey, load and hand each sheet to ``take``, in the order of ``sheets``.

        ``take`` may raise (a limit): nothing more is loaded, and what was
        loaded already is let go.
        """
        if not sheets:
            return
        largest = max(range(len(sheets)), key=lambda i: sheets[i][1].size)
        parsers = 1 if any(part.extent is not None for _, part, _ in sheets) else _PARSERS
        with (
            # Forked before any thread of this reading starts (a fork copies no thread).
            self._survey_apart(sheets[largest][1]) as apart,
            ThreadPoolExecutor(1, thread_name_prefix="auditor-survey") as surveyor,
            ThreadPoolExecutor(parsers, thread_name_prefix="auditor-sheets") as pool,
        ):
            here = [i for i in range(len(sheets)) if apart is None or i != largest]
            by_index = {i: surveyor.submit(self.survey, sheets[i][1]) for i in here}
            if apart is not None:  # its answer is awaited once the others are surveyed
                by_index[largest] = surveyor.submit(self._answer, apart, sheets[largest][1])
            surveys = [by_index[i] for i in range(len(sheets))]
            # The largest sheet is parsed at once by a thread of its own; the others follow.
            loads: dict[int, Future[LoadedSheet]] = {
                i: pool.submit(self.load, *sheets[i], surveys[i], surveys[:i])
                for i in [largest, *(i for i in range(len(sheets)) if i != largest)]
            }
            # Its survey is the start of the longest chain: validating meanwhile would slow
            # it down when it runs in a thread (both hold the GIL).
            wait([surveys[largest]])
            try:
                for i in range(len(sheets)):
                    take(loads.pop(i).result())
            finally:
                self.stop()
                for survey_pending in surveys:
                    survey_pending.cancel()
                for load_pending in loads.values():
                    load_pending.cancel()

    def _survey_apart(
        self, part: SheetPart
    ) -> contextlib.AbstractContextManager[forked.Copy[Extent | str] | None]:
        """The survey of a large part, in a forked copy of this process, where one may be had.

        A survey is Python holding the GIL for much of its 0.7 s per 100 MB of XML:
        in a thread it slows the other surveys and the validation as they slow it,
        and it comes before the largest sheet's parse can start.
        """
        if (
            part.size < SURVEY_APART_FROM
            or part.extent is not None
            or not part.member
            or not forked.can_fork()
        ):
            return contextlib.nullcontext()
        return forked.Copy(lambda: self.survey(part))

    def _answer(self, apart: forked.Copy[Extent | str], part: SheetPart) -> Extent | str:
        """The forked survey's answer; should the copy fail (killed, out of memory), the
        survey is made here instead."""
        try:
            return apart.answer()
        except forked.CopyFailed:
            return self.survey(part)

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
        surveyed: Future[Extent | str],
        before: Sequence[Future[Extent | str]],
    ) -> LoadedSheet:
        """Check and build one surveyed sheet (``index``: its position in the workbook).

        ``surveyed`` is its :meth:`survey`, run in another thread (or another
        process); ``before`` are the surveys of the sheets read before it, whose
        cells count towards the total with its own.
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
            extent = surveyed.result()
            cells_before = sum(
                earlier.cells
                for earlier in (future.result() for future in before)
                if isinstance(earlier, Extent)
            )
        except CancelledError:  # the reading stopped at a limit
            return loaded
        if self.stopped:
            return loaded
        if isinstance(extent, str):
            loaded.damage = extent
            return loaded
        if self._over(extent, cells_before, loaded):
            return loaded
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            try:
                with self._book() as book:  # a second one is opened here: its errors too
                    sheet = book.get_sheet_by_index(index)
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

    @contextmanager
    def _book(self) -> Iterator[python_calamine.CalamineWorkbook]:
        """A calamine workbook no other thread is parsing with (calamine's are not shared).

        The second is opened from the same bytes the first was, which read
        without error, so opening it again raises only what a sheet would.
        """
        with self._books_lock:
            book = self._books.pop() if self._books else None
        if book is None:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self.data))
        try:
            yield book
        finally:
            with self._books_lock:
                self._books.append(book)

    def _over(self, extent: Extent, cells_before: int, loaded: LoadedSheet) -> bool:
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
        elif cells_before + extent.cells > limits.max_total_cells:
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
