"""A small OpenDocument spreadsheet writer for tests: a Book as ``.ods``, byte by byte.

LibreOffice is not needed to make an ``.ods``: it is a zip whose first part
is the uncompressed ``mimetype``, a manifest and ``content.xml`` with one
``table:table`` per sheet. Writing it here lets the hostile cases put
exactly the XML they test (a repeated cell, a document type declaration,
an unsaved formula, ODF encryption) where a spreadsheet program would.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from auditor.model.sheets import AUDIT_HEADERS, AUDIT_SHEET, TABLE_SHEETS
from tests.builders import Book

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.3">'
    "<office:body><office:spreadsheet>"
)
_TAIL = "</office:spreadsheet></office:body></office:document-content>"
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.3">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "{extra}</manifest:manifest>"
)


def cell(value: object) -> str:
    """One ``table:table-cell`` for a Python value, typed as LibreOffice types it."""
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value='
            f'"{text.lower()}"><text:p>{text}</text:p></table:table-cell>'
        )
    if isinstance(value, int | float | Decimal):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def _row(cells: list[str]) -> str:
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


def _table(name: str, rows: list[str]) -> str:
    return f"<table:table table:name={quoteattr(name)}>" + "".join(rows) + "</table:table>"


def content(book: Book, edit: Callable[[str, list[str]], None] | None = None) -> str:
    """``content.xml`` of the book; ``edit(sheet, rows)`` may change a sheet's row XML."""
    tables = []
    audit_rows = [_row([cell(h) for h in AUDIT_HEADERS])] + [
        _row([cell(field), cell(value)]) for field, value in book["Audit"].items()
    ]
    sheets = [(AUDIT_SHEET.name, audit_rows)]
    for spec in TABLE_SHEETS:
        if spec.name not in book:
            continue
        records = book[spec.name]
        columns = list(spec.fields) if not records else list(records[0])
        rows = [_row([cell(c) for c in columns])]
        rows += [_row([cell(record.get(c)) for c in columns]) for record in records]
        sheets.append((spec.name, rows))
    for name, rows in sheets:
        if edit is not None:
            edit(name, rows)
        tables.append(_table(name, rows))
    return _HEAD + "".join(tables) + _TAIL


def write_ods(path: Path, xml: str, *, manifest_extra: str = "") -> Path:
    """The package: ``mimetype`` first and stored, as ODF requires, then the manifest and XML."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST.format(extra=manifest_extra))
        archive.writestr("content.xml", xml)
    return path
