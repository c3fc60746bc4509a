"""A small streaming writer of plain-table xlsx files: rows in, deflated XML out, nothing kept.

The findings workbook of a dense 50,000-worker agency has millions of
cells. openpyxl, even write-only, builds an element per cell and styles
each through its registry: about 15 µs a cell, 70 s and gigabytes for that
workbook (issue 26). Its tables need very little of the format: text,
numbers, dates, five fixed cell styles, column widths, a frozen header and
an auto-filter. This module writes exactly that, each row formatted as one
string and deflated into the zip entry as it comes, so time is a few
hundred nanoseconds a cell and memory is the compressed output.

Cell values follow openpyxl's conventions, so a workbook reads back as it
did (``tests/render/test_xlsx_stream.py`` compares every cell against the
openpyxl writer's output): numbers as ``%.16g``, dates as serial days from
1899-12-30, text inline (``t="inlineStr"``) with ``xml:space="preserve"``
where it has outer spaces. Characters XML 1.0 cannot carry (controls other
than tab, newline and carriage return) are written as the format's
``_xHHHH_`` escapes rather than refused, and text that already looks like
such an escape has its underscore escaped, so it reads back as written.

The output is deterministic: fixed zip dates and the document's dates
given by the caller; the same rows give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

#: The zip entries' date: fixed, so the bytes depend on the content only.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: zlib's level: 6 (its default) halves the file against 1 for three times the time, about a
#: fifth of the whole render; a findings workbook is downloaded more than it is made.
_LEVEL = 6
#: Day 0 of spreadsheet dates (the 1900 system, with its leap-year quirk before March 1900).
_EPOCH_ORDINAL = dt.date(1899, 12, 30).toordinal()
#: Cell style indexes (``cellXfs`` in styles.xml below).
HEADER, DATE, MONEY, QUOTED = 1, 2, 3, 4
#: First characters that make a spreadsheet read text as a formula (OWASP CSV injection): such
#: text is written with the quote prefix (style ``QUOTED``), so no spreadsheet evaluates it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: What must be escaped in text: markup, carriage returns (XML readers turn them into line
#: feeds), controls XML cannot carry, and text that reads as an ``_xHHHH_`` escape.
_SPECIAL = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;", "_": "_x005F_"}


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"_x{ord(char):04X}_"


def escape(text: str) -> str:
    """Text as XML character data that reads back as ``text``."""
    return _SPECIAL.sub(_escape_one, text)


def column_letter(index: int) -> str:
    """The letters of the 1-based column ``index``: 1 -> A, 27 -> AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def serial(value: dt.date) -> str:
    """A date (or date and time) as the spreadsheet's serial day number, openpyxl's way."""
    days = value.toordinal() - _EPOCH_ORDINAL
    if 0 < days <= 60:  # the 1900 system counts a 29 February 1900 that never was
        days -= 1
    if isinstance(value, dt.datetime):
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        fraction = (seconds + value.microsecond / 1e6) / 86400
        return "%.16g" % (days + fraction)
    return str(days)


@dataclass
class _Sheet:
    title: str
    columns: int
    rows: int


class TableBook:
    """An xlsx file of tables written one sheet at a time; :meth:`close` gives the bytes."""

    def __init__(self, money_format: str, created: dt.datetime) -> None:
        self.money_format = money_format
        self.created = created
        self.buffer = io.BytesIO()
        self.zip = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=_LEVEL)
        self.sheets: list[_Sheet] = []
        self.strings = _Strings()

    def table(
        self,
        title: str,
        header: Sequence[str],
        widths: Sequence[int],
        rows: Iterable[Sequence[Any]],
        *,
        money_columns: Sequence[int] = (),
    ) -> None:
        """One sheet: a styled, frozen header row, then ``rows``, under an auto-filter."""
        number = len(self.sheets) + 1
        with self._entry(f"xl/worksheets/sheet{number}.xml") as out:
            count = _write_sheet(
                out, self.strings, header, widths, rows, money=frozenset(money_columns)
            )
        self.sheets.append(_Sheet(title, len(header), count))

    def close(self) -> bytes:
        """The remaining parts (workbook, styles, properties) written; the file's bytes."""
        self._put("[Content_Types].xml", self._content_types())
        self._put("_rels/.rels", _ROOT_RELS)
        self._put("docProps/app.xml", _APP)
        self._put("docProps/core.xml", self._core())
        self._put("xl/workbook.xml", self._workbook())
        self._put("xl/_rels/workbook.xml.rels", self._workbook_rels())
        self._put("xl/styles.xml", _styles(self.money_format))
        self._put("xl/sharedStrings.xml", self.strings.xml())
        self.zip.close()
        return self.buffer.getvalue()

    def _entry(self, name: str) -> IO[bytes]:
        info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        info._compresslevel = _LEVEL  # type: ignore[attr-defined]  # ZipFile.open leaves it unset
        return self.zip.open(info, "w", force_zip64=True)

    def _put(self, name: str, text: str) -> None:
        with self._entry(name) as out:
            out.write(text.encode("utf-8"))

    def _content_types(self) -> str:
        kind = "application/vnd.openxmlformats-officedocument"
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
            f'ContentType="{kind}.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(self.sheets) + 1)
        )
        return (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" '
            f'ContentType="{kind}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{kind}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{kind}.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f'<Override PartName="/docProps/app.xml" '
            f'ContentType="{kind}.extended-properties+xml"/>'
            f"{sheets}</Types>"
        )

    def _core(self) -> str:
        when = self.created.strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            f"{_XML}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>auditor</dc:creator>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _workbook(self) -> str:
        sheets = "".join(
            f'<sheet name="{escape(s.title)}" sheetId="{n}" r:id="rId{n}"/>'
            for n, s in enumerate(self.sheets, start=1)
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
            f"'{escape(s.title)}'!$A$1:${column_letter(s.columns)}${s.rows + 1}</definedName>"
            for n, s in enumerate(self.sheets)
        )
        return (
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets><definedNames>{names}</definedNames>"
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
        )

    def _workbook_rels(self) -> str:
        kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        rels = "".join(
            f'<Relationship Id="rId{n}" Type="{kind}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(self.sheets) + 1)
        )
        styles = len(self.sheets) + 1
        return (
            f'{_XML}<Relationships xmlns="{_PKG_REL}">{rels}'
            f'<Relationship Id="rId{styles}" Type="{kind}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{styles + 1}" Type="{kind}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
            "</Relationships>"
        )


class _Strings:
    """The shared string table: each distinct text escaped once, its cell's XML kept.

    A findings workbook repeats most of its text (rule ids, titles,
    severities, sheet and column names, worker ids across sheets): a cell
    that refers to the table is a dictionary look-up and a few bytes, where
    inline text would be escaped and compressed again on every row.
    """

    def __init__(self) -> None:
        self.cells: dict[str, str] = {}
        self.items: list[str] = []

    def index(self, text: str) -> int:
        """The text's place in the table, added if new."""
        self.items.append(_text(text))
        return len(self.items) - 1

    def cell(self, value: str) -> str:
        """A new text's cell (quoted if it reads as a formula), remembered for the next time."""
        text = str.__str__(value)  # a str subclass (an enum's value) as plain text
        if not text:
            cell = "<c/>"  # as openpyxl wrote it: an empty cell
        else:
            style = f' s="{QUOTED}"' if text.startswith(FORMULA_STARTS) else ""
            cell = f'<c{style} t="s"><v>{self.index(text)}</v></c>'
        self.cells[text] = cell
        return cell

    def xml(self) -> str:
        items = "".join(f"<si>{item}</si>" for item in self.items)
        return f'{_XML}<sst xmlns="{_MAIN}" uniqueCount="{len(self.items)}">{items}</sst>'


def _write_sheet(
    out: IO[bytes],
    strings: _Strings,
    header: Sequence[str],
    widths: Sequence[int],
    rows: Iterable[Sequence[Any]],
    *,
    money: frozenset[int],
) -> int:
    """The sheet's XML, a row at a time; the number of rows under the header."""
    letters = [column_letter(i) for i in range(1, len(header) + 1)]
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
    )
    heading = "".join(
        f'<c r="{letter}1" s="{HEADER}" t="s"><v>{strings.index(name)}</v></c>'
        for letter, name in zip(letters, header, strict=True)
    )
    out.write(
        f'{_XML}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f'<sheetData><row r="1">{heading}</row>'.encode()
    )
    count = 0
    chunk: list[str] = []
    known = strings.cells.get
    for values in rows:
        count += 1
        cells = [f'<row r="{count + 1}">']
        add = cells.append
        for index, value in enumerate(values):
            kind = type(value)
            if kind is str:
                add(known(value) or strings.cell(value))
            elif kind is int or kind is float or (kind is Decimal and index not in money):
                add(f"<c><v>{'%.16g' % value}</v></c>")  # noqa: UP031  # openpyxl's way
            elif value is None:
                add("<c/>")  # cells carry no reference: an empty one keeps the next in place
            else:
                add(_cell(value, index in money, strings))
        add("</row>")
        chunk.append("".join(cells))
        if len(chunk) >= 1024:
            out.write("".join(chunk).encode())
            chunk.clear()
    out.write("".join(chunk).encode())
    last = f"{letters[-1]}{count + 1}"
    out.write(f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'.encode())
    return count


def _cell(value: Any, money: bool, strings: _Strings) -> str:
    """A cell of any other kind: text of a str subclass, money, a date, a truth value."""
    if isinstance(value, str):
        return strings.cells.get(str.__str__(value)) or strings.cell(value)
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Decimal | int | float):
        style = f' s="{MONEY}"' if money and isinstance(value, Decimal) else ""
        return f"<c{style}><v>{'%.16g' % value}</v></c>"  # noqa: UP031  # openpyxl's way
    if isinstance(value, dt.date):
        return f'<c s="{DATE}"><v>{serial(value)}</v></c>'
    raise TypeError(f"no spreadsheet cell for a {type(value).__name__}")


def _text(text: str) -> str:
    """A string's ``<t>``: escaped, its outer spaces kept."""
    escaped = escape(text)
    if text != text.strip():
        return f'<t xml:space="preserve">{escaped}</t>'
    return f"<t>{escaped}</t>"


def _styles(money_format: str) -> str:
    """Five cell styles: plain, header (bold white on dark blue), date, money, quoted text."""
    return (
        f'{_XML}<styleSheet xmlns="{_MAIN}">'
        f'<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
        f'<numFmt numFmtId="165" formatCode="{escape(money_format)}"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/>'
        "</font></fonts>"
        '<fills count="3"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill>'
        '<fill><patternFill patternType="solid"><fgColor rgb="FF1F3A5F"/></patternFill></fill>'
        "</fills>"
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
        'applyFill="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    f"{_XML}<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>auditor</Application></Properties>"
)
