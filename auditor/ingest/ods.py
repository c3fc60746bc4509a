"""OpenDocument spreadsheets (``.ods``): the same checks as an xlsx before calamine reads it.

Workbook format 1.1 reads an ``.ods`` (LibreOffice, used by many public
offices) like an ``.xlsx``, under the same limits and hostile-file checks.
An ``.ods`` is a zip of XML too, so the zip directory is checked the same
way (:func:`~auditor.ingest.package.check_directory`: sizes, compression
ratios, part names, zip passwords) and every XML part's prolog is refused
a document type declaration (entity bombs). The sheets are all in
``content.xml``: it is surveyed once, as a stream, before calamine builds
anything, for each sheet's extent as calamine would build it (a row or
cell repeated a million times is the sparse-cell bomb of this format) and
for formulas with no saved result. ODF's own encryption (a password set in
LibreOffice) is said as such.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree

from auditor.base.limits import Limits
from auditor.ingest.package import (
    Package,
    PackageLimit,
    PackageProblem,
    SheetPart,
    check_directory,
    check_prolog,
)
from auditor.ingest.survey import Extent, first_line
from auditor.model.cellref import column_letters
from auditor.model.codes import Code
from auditor.model.messages import Message

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CONTENT = "content.xml"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")


def is_ods(data: bytes) -> bool:
    """True for a zip whose first part is the ODF spreadsheet ``mimetype`` (as ODF requires)."""
    return data[30:38] == b"mimetype" and MIMETYPE in data[38:120]


@dataclass
class _Table:
    name: str
    rows: int = 0  # last row with content, 1-based
    columns: int = 0  # last column with content, 1-based
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)


def open_ods(data: bytes, limits: Limits) -> Package:
    """Check the package and survey its sheets; the parts carry their extents for the loader."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise PackageProblem(
            Message(
                "the file is damaged: it is not a readable OpenDocument package (a zip file); it "
                "may be truncated or corrupted"
            ),
            Code.DAMAGED_FILE,
        ) from None
    with archive:
        members = archive.infolist()
        check_directory(members, limits)
        names = {member.filename for member in members}
        if CONTENT not in names:
            raise PackageProblem(
                Message("the file is an OpenDocument package without content.xml; it is damaged"),
                Code.DAMAGED_FILE,
            )
        try:
            for member in sorted(n for n in names if n.lower().endswith((".xml", ".rdf"))):
                check_prolog(archive, member)
            manifest = (
                archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
            )
            if b"encryption-data" in manifest:
                raise PackageProblem(
                    Message(
                        "the spreadsheet is encrypted (protected by a password); save an "
                        "unprotected copy and try again"
                    ),
                    Code.ENCRYPTED,
                )
            tables = _survey(archive, limits)
        except PackageProblem:
            raise
        except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise PackageProblem(
                Message(
                    "the file is damaged: its content cannot be read (%(detail)s)",
                    detail=first_line(error),
                ),
                Code.DAMAGED_FILE,
            ) from None
        except (OSError, NotImplementedError, RuntimeError) as error:
            raise PackageProblem(
                Message(
                    "the file is damaged and cannot be unpacked (%(detail)s)",
                    detail=first_line(error),
                ),
                Code.DAMAGED_FILE,
            ) from None
    return Package(
        sheets=[
            SheetPart(
                name=table.name,
                member=CONTENT,
                hidden=False,
                extent=Extent(table.rows, table.columns, bool(table.formulas), exact=True),
                marks=table.formulas,
            )
            for table in tables
        ]
    )


def _survey(archive: zipfile.ZipFile, limits: Limits) -> list[_Table]:
    """Stream content.xml: each table's extent with repeats counted, and unsaved formulas."""
    tables: list[_Table] = []
    table: _Table | None = None
    row = 0  # rows of the current table before the current row element
    with archive.open(CONTENT) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_TABLE}table" and table is None:
                    table, row = _Table(element.get(f"{_TABLE}name", "")), 0
                continue
            if table is None:
                continue
            if tag == f"{_TABLE}table-row":
                repeat = _repeat(element.get(f"{_TABLE}number-rows-repeated"))
                last = _row_content(element, row, table)
                if last:
                    table.rows = row + repeat
                    table.columns = max(table.columns, last)
                    _check_extent(table, limits)
                row += repeat
                element.clear()
            elif tag == f"{_TABLE}table":
                tables.append(table)
                table = None
                element.clear()
    return tables


def _row_content(row_element: ElementTree.Element, row: int, table: _Table) -> int:
    """The last column with content in this row (0 if none); notes unsaved formulas."""
    column, last = 0, 0
    for cell in row_element:
        if cell.tag not in _CELLS:
            continue
        repeat = _repeat(cell.get(f"{_TABLE}number-columns-repeated"))
        kind = cell.get(f"{_OFFICE}value-type")
        if kind is not None or cell.find(f"{_TEXT}p") is not None:
            last = column + repeat
        formula = cell.get(f"{_TABLE}formula")
        if formula is not None and kind is None:
            table.formulas[(row + 1, column + 1)] = "formula"  # 1-based, as the xlsx survey
            last = column + repeat
        column += repeat
    return last


def _repeat(text: str | None) -> int:
    try:
        return max(1, int(text)) if text else 1
    except ValueError:
        return 1


def _check_extent(table: _Table, limits: Limits) -> None:
    """Refuse a sheet over the limits as soon as the stream shows it, before calamine runs."""
    if table.rows > limits.max_rows_per_sheet:
        raise PackageLimit(
            Message(
                "the sheet %(sheet)s reaches row %(rows)s, over the limit of %(limit)s rows",
                sheet=repr(table.name[:40]),
                rows=f"{table.rows:,}",
                limit=f"{limits.max_rows_per_sheet:,}",
            ),
            Code.TOO_MANY_ROWS,
        )
    if table.columns > limits.max_columns_per_sheet:
        raise PackageLimit(
            Message(
                "the sheet %(sheet)s reaches column %(letters)s (column %(columns)s), over the "
                "limit of %(limit)s columns",
                sheet=repr(table.name[:40]),
                letters=column_letters(table.columns),
                columns=f"{table.columns:,}",
                limit=f"{limits.max_columns_per_sheet:,}",
            ),
            Code.TOO_MANY_COLUMNS,
        )
    if table.rows * table.columns > limits.max_total_cells:
        raise PackageLimit(
            Message(
                "the sheet %(sheet)s spans %(rows)s rows by %(columns)s columns, over the limit "
                "of %(limit)s cells",
                sheet=repr(table.name[:40]),
                rows=f"{table.rows:,}",
                columns=f"{table.columns:,}",
                limit=f"{limits.max_total_cells:,}",
            ),
            Code.TOO_MANY_CELLS,
        )
