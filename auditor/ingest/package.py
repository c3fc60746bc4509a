"""The xlsx file as a package: is it one at all, is it safe, what calamine cannot see.

python-calamine reads cell values fast but hides two things the format
cares about: a formula with no cached value and a spreadsheet error cell
both read as an empty string. This module finds those cells by scanning
the sheet XML (only when the sheet contains a formula or error at all),
and before anything is parsed it tells an xlsx workbook from the files
people upload by mistake: a legacy ``.xls``, an encrypted workbook, a CSV,
a damaged or truncated zip, a zip bomb.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from auditor.limits import Limits

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_MARKS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: Byte patterns that mean a sheet may hold a formula or an error cell (checked with
#: bytes.find, which is far faster than a regular expression over 100 MB of XML).
#: In sheet XML only the formula element starts with "<f" (text is escaped or lives in
#: sharedStrings.xml), so three patterns cover formulas, prefixed formulas and errors.
_SUSPECTS = (b"<f", b":f>", b' t="e"')
_CHUNK = 1 << 20


class PackageProblem(Exception):
    """The file as a whole cannot be read; the message says why in plain words."""


@dataclass(frozen=True)
class SheetPart:
    name: str
    member: str
    hidden: bool


@dataclass
class Package:
    """What the zip holds: the sheets in workbook order and whether there are macros."""

    sheets: list[SheetPart] = field(default_factory=list)
    has_macros: bool = False


def sniff(path: Path, limits: Limits) -> None:
    """Refuse, with a clear reason, anything that is not an xlsx workbook within limits."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise PackageProblem(f"there is no file at {path}") from None
    except IsADirectoryError:
        raise PackageProblem(f"{path} is a folder, not a workbook file") from None
    except OSError as error:
        raise PackageProblem(f"the file cannot be opened: {error.strerror}") from None
    if size == 0:
        raise PackageProblem("the file is empty (0 bytes); it is not a workbook")
    if size > limits.max_file_bytes:
        raise PackageProblem(
            f"the file is {size:,} bytes, over the limit of {limits.max_file_bytes:,} bytes"
        )
    if head.startswith(_OLE_MAGIC):
        if _is_encrypted(path):
            raise PackageProblem(
                "the workbook is encrypted (protected by a password); save an unprotected copy "
                "as .xlsx and try again"
            )
        raise PackageProblem(
            "this is a legacy Excel 97-2003 file (.xls); save it as an Excel Workbook (.xlsx) "
            "and try again"
        )
    if not head.startswith(_ZIP_MAGIC):
        hint = " (it looks like text, perhaps a CSV file)" if _looks_like_text(head) else ""
        raise PackageProblem(
            f"the file is not an xlsx workbook{hint}; an Excel .xlsx file is needed"
        )


def _is_encrypted(path: Path) -> bool:
    with path.open("rb") as handle:
        data = handle.read(1 << 20)
    return any(mark in data for mark in _ENCRYPTION_MARKS)


def _looks_like_text(head: bytes) -> bool:
    return all(byte in b"\t\r\n" or 32 <= byte < 127 or byte >= 0x80 for byte in head)


def open_package(path: Path, limits: Limits) -> Package:
    """Check the zip's directory (before inflating anything) and list its sheets."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackageProblem(
            "the file is damaged: it is not a readable xlsx package (a zip file); it may be "
            "truncated or corrupted"
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_zip_members:
            raise PackageProblem(
                f"the file holds {len(members):,} parts, over the limit of "
                f"{limits.max_zip_members:,}; it is not a plain workbook"
            )
        total = sum(member.file_size for member in members)
        if total > limits.max_uncompressed_bytes:
            raise PackageProblem(
                f"the workbook would expand to {total:,} bytes, over the limit of "
                f"{limits.max_uncompressed_bytes:,} bytes"
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1 << 20 and ratio > limits.max_compression_ratio:
                raise PackageProblem(
                    f"the part {member.filename} expands {ratio:,.0f} times; a workbook this "
                    "compressible is a zip bomb, not an inspection record"
                )
        names = {member.filename for member in members}
        if "xl/workbook.xml" not in names:
            raise PackageProblem(
                "the file is a zip package but not an Excel workbook (no xl/workbook.xml)"
            )
        package = Package(has_macros="xl/vbaProject.bin" in names)
        try:
            package.sheets = list(_sheet_parts(archive))
        except (ElementTree.ParseError, KeyError, zipfile.BadZipFile, OSError) as error:
            raise PackageProblem(
                f"the file is damaged: its workbook part cannot be read ({error})"
            ) from None
        return package


def _read_xml(archive: zipfile.ZipFile, member: str) -> ElementTree.Element:
    data = archive.read(member)
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:65536]:
        raise PackageProblem(
            f"the part {member} declares XML entities, which a workbook never needs; refused"
        )
    return ElementTree.fromstring(data)


def _sheet_parts(archive: zipfile.ZipFile) -> Iterator[SheetPart]:
    workbook = _read_xml(archive, "xl/workbook.xml")
    rels = _read_xml(archive, "xl/_rels/workbook.xml.rels")
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL_NS}Relationship")
    }
    sheets = workbook.find(f"{_MAIN_NS}sheets")
    for sheet in sheets if sheets is not None else []:
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        member = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join("xl", target))
        )
        yield SheetPart(
            name=sheet.get("name", ""),
            member=member,
            hidden=sheet.get("state", "visible") != "visible",
        )


def unreadable_cells(path: Path, member: str) -> dict[str, str]:
    """Cells calamine reads as empty that are not: ``{"E7": "formula"|"error"}``.

    A formula counts when it has a cached value (``<v>`` with text, or an
    empty cached string result ``t="str"``); an openpyxl-written formula
    (``<v />``, never calculated) does not. Error cells (``t="e"``) are
    reported too.
    """
    with zipfile.ZipFile(path) as archive:
        if member not in archive.namelist() or not _has_suspects(archive, member):
            return {}
        found: dict[str, str] = {}
        with archive.open(member) as stream:
            for _, element in ElementTree.iterparse(stream, events=("end",)):
                if element.tag == f"{_MAIN_NS}row":
                    element.clear()
                if element.tag != f"{_MAIN_NS}c":
                    continue
                reference = element.get("r", "")
                kind = element.get("t")
                formula = element.find(f"{_MAIN_NS}f")
                value = element.find(f"{_MAIN_NS}v")
                if kind == "e":
                    found[reference] = "error"
                elif formula is not None and not _has_cached(value, kind):
                    found[reference] = "formula"
                element.clear()
        return found


def _has_cached(value: ElementTree.Element | None, kind: str | None) -> bool:
    if value is None:
        return False
    return bool(value.text) or kind == "str"


def _has_suspects(archive: zipfile.ZipFile, member: str) -> bool:
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            window = tail + chunk
            if any(window.find(pattern) >= 0 for pattern in _SUSPECTS):
                return True
            tail = chunk[-8:]
    return False
