"""The streaming findings-workbook writer against openpyxl's, cell by cell (issue 26).

The findings workbook moved from openpyxl's write-only writer to
:mod:`auditor.render.xlsx_stream`; its bytes changed once, on purpose, and
its cells must not have. :class:`OpenpyxlBook` below is the writer as it was
(the same interface as :class:`~auditor.render.xlsx_stream.TableBook`), so
the same tables written by both read back the same: every value, number
format, header style and quote prefix, the frozen header and the filter.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import python_calamine
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from auditor.ingest.template import reproducible_bytes
from auditor.pipeline import inspect_records
from auditor.render import Copy, render_xlsx, xlsx
from auditor.render.xlsx_stream import FORMULA_STARTS, TableBook, column_letter, escape, serial
from tests.render.conftest import COMPLIANT, PROBLEMS, SAMPLES, inspection_of

FOLLOW_UP = SAMPLES / "agency-follow-up.xlsx"


class OpenpyxlBook:
    """The findings workbook's writer before issue 26 (openpyxl, write-only), as a reference."""

    def __init__(self, money_format: str, created: dt.datetime) -> None:
        self.book = Workbook(write_only=True)
        self.money_format, self.created = money_format, created

    def table(
        self,
        title: str,
        header: Sequence[str],
        widths: Sequence[int],
        rows: Iterable[Sequence[Any]],
        *,
        money_columns: Sequence[int] = (),
    ) -> None:
        sheet: Any = self.book.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        heading = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F3A5F")
            heading.append(cell)
        sheet.append(heading)
        count = 0
        for row in rows:
            sheet.append([self._cell(sheet, v, i in money_columns) for i, v in enumerate(row)])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"

    def _cell(self, sheet: Any, value: Any, money: bool) -> Any:
        if isinstance(value, str):
            if value.startswith(FORMULA_STARTS):
                return xlsx.inert_text(sheet, value)
            return value
        if money and isinstance(value, Decimal):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = self.money_format
            return cell
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd"
            return cell
        return value

    def close(self) -> bytes:
        return reproducible_bytes(self.book, self.created)


def _cells(data: bytes) -> dict[str, list[list[tuple[Any, ...]]]]:
    book = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [
            [(c.value, c.number_format, bool(c.font.b), bool(c.quotePrefix)) for c in row]
            for row in sheet.iter_rows()
        ]
        for sheet in book
    }


def _layout(data: bytes) -> list[tuple[str, str | None, str | None, list[float | None]]]:
    book = load_workbook(io.BytesIO(data))
    return [
        (
            sheet.title,
            sheet.freeze_panes,
            sheet.auto_filter.ref,
            [
                sheet.column_dimensions[column_letter(i)].width
                for i in range(1, sheet.max_column + 1)
            ],
        )
        for sheet in book
    ]


def _both(monkeypatch: pytest.MonkeyPatch, path: Path, copy: Copy) -> tuple[bytes, bytes]:
    inspection = inspection_of(path)
    new = render_xlsx(inspection, copy)
    with monkeypatch.context() as patch:
        patch.setattr(xlsx, "TableBook", OpenpyxlBook)
        old = render_xlsx(inspection, copy)
    return old, new


@pytest.mark.parametrize("path", [PROBLEMS, COMPLIANT, FOLLOW_UP], ids=lambda p: p.stem)
@pytest.mark.parametrize("copy", [Copy.INSPECTOR, Copy.AGENCY])
def test_the_streaming_writer_gives_the_cells_openpyxl_gave(
    monkeypatch: pytest.MonkeyPatch, path: Path, copy: Copy
) -> None:
    old, new = _both(monkeypatch, path, copy)
    assert old != new  # the bytes changed once, on purpose (CHANGELOG)
    old_cells, new_cells = _cells(old), _cells(new)
    assert list(new_cells) == list(old_cells)
    for sheet, rows in old_cells.items():
        assert new_cells[sheet] == rows, sheet
    assert _layout(new) == _layout(old)
    assert sum(len(rows) for rows in new_cells.values()) > 8  # not only headers


def test_calamine_reads_what_openpyxl_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader auditor itself uses: the same values, sheet by sheet (cells carry no `r`)."""
    old, new = _both(monkeypatch, PROBLEMS, Copy.INSPECTOR)

    def read(data: bytes) -> dict[str, list[list[Any]]]:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}

    assert read(new) == read(old)


def test_awkward_text_reads_back_as_written() -> None:
    """Markup, controls XML cannot carry, escape look-alikes, outer spaces, formula starts."""
    texts = [
        "a < b & c > d",
        "bell\x07 and nul\x00 and esc\x1b",
        "looks escaped: _x0041_ and _X0041_ and _x00",
        "  padded  ",
        "   ",
        "line\nbreak\r\nand\ttab",
        '=HYPERLINK("x")',
        "\ttabbed",
        "-W2",
        "नेपाली र 中文 😀",
    ]
    book = TableBook("#,##0.00", dt.datetime(2026, 1, 2))
    book.table("Text", ("text",), (40,), [(t,) for t in texts])
    data = book.close()
    calamine = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert [row[0] for row in calamine.get_sheet_by_name("Text").to_python()[1:]] == texts
    # openpyxl leaves the format's escapes of control characters as they are; all else as written
    sheet = load_workbook(io.BytesIO(data))["Text"]
    read = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert read[1] == "bell_x0007_ and nul_x0000_ and esc_x001B_"
    assert read[:1] + read[2:] == texts[:1] + texts[2:]
    assert escape("\x07") == "_x0007_"
    assert escape("_x0041_") == "_x005F_x0041_"


def test_numbers_dates_and_money_keep_their_values_and_formats() -> None:
    book = TableBook("#,##0", dt.datetime(2026, 1, 2))
    rows = [
        (1, Decimal("1722.50"), dt.date(2026, 6, 30), True, None, 0.1),
        (-3, Decimal("0.001"), dt.datetime(2026, 6, 30, 12, 0), False, "", 1e20),
    ]
    book.table("N", ("a", "b", "c", "d", "e", "f"), (8,) * 6, rows, money_columns=(1,))
    sheet = load_workbook(io.BytesIO(book.close()))["N"]
    read = [[(c.value, c.number_format) for c in row] for row in sheet.iter_rows(min_row=2)]
    assert read[0] == [
        (1, "General"), (1722.5, "#,##0"), (dt.datetime(2026, 6, 30), "yyyy-mm-dd"),
        (True, "General"), (None, "General"), (0.1, "General"),
    ]  # fmt: skip
    assert read[1][:3] == [(-3, "General"), (0.001, "#,##0"),
                           (dt.datetime(2026, 6, 30, 12, 0), "yyyy-mm-dd")]  # fmt: skip
    assert read[1][4][0] is None
    assert read[1][5][0] == 1e20
    assert serial(dt.date(1900, 3, 1)) == "61"
    assert serial(dt.date(1900, 2, 28)) == "59"
    assert column_letter(1) == "A"
    assert column_letter(27) == "AA"
    assert column_letter(703) == "AAA"


def test_the_same_tables_give_the_same_bytes() -> None:
    inspection = inspect_records(PROBLEMS)
    first = render_xlsx(inspection)
    assert render_xlsx(inspect_records(PROBLEMS)) == first
    assert render_xlsx(inspection, Copy.AGENCY) != first
