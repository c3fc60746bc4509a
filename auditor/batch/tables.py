"""Small reproducible workbooks for a batch's tables (the summary, the impact).

One sheet a table, a header row, one record a row; text that a
spreadsheet would take for a formula is written as inert text (as in the
findings workbook); the bytes depend on the content only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from auditor.ingest.template import reproducible_bytes
from auditor.render.xlsx import FORMULA_STARTS, inert_text

#: The time stamped in every batch workbook: a fixed one, so the bytes never vary.
STAMP = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_BOLD = Font(bold=True)


def workbook(tables: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    """``(sheet title, header, rows)`` for each sheet, as a workbook's bytes."""
    book = Workbook(write_only=True)
    for title, header, rows in tables:
        sheet: Any = book.create_sheet(title)
        heading = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = _BOLD
            heading.append(cell)
        sheet.append(heading)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    return reproducible_bytes(book, STAMP)


def _cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return inert_text(sheet, value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value
