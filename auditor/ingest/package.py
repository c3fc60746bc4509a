"""The xlsx file as a package: is it one at all, is it safe to hand to calamine.

Before anything is parsed this module tells an xlsx workbook from the
files people upload by mistake (a legacy ``.xls``, an encrypted workbook,
a CSV, a damaged or truncated zip) and from files built to hurt the
machine: zip bombs (checked from the zip directory, before inflating
anything), XML entity bombs (a document type declaration in any XML part),
and packages whose parts could be read differently by this module and by
calamine (duplicate or non-canonical part names), which would let a sheet
dodge the size survey of :mod:`.survey`. It resolves every sheet to its
part exactly as calamine does.

"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from auditor.base.limits import Limits
from auditor.ingest.survey import Extent, first_line, regions
from auditor.model.codes import Code
from auditor.model.messages import N_, Message

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_MARKS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
#: The workbook part and its relationships are a few kilobytes in any real workbook.
_METADATA_BYTES = 16 * 1024 * 1024
#: Bytes read from the start of each XML part to find its first element.
_PROLOG_BYTES = 64 * 1024
#: Encodings whose markup bytes are ASCII, so that the byte scans of the survey see the tags.
_ASCII_MARKUP = frozenset(
    {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "cp1252"}
    | {"windows-1252"}
)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]*)["']""")
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


class PackageProblem(Exception):
    """The file as a whole cannot be read; the message says why in plain words.

    ``code`` is the problem's stable code (:class:`~auditor.model.codes.Code`).
    """

    def __init__(self, message: str, code: Code) -> None:
        super().__init__(message)
        self.message = message  # a Message: str(self) would drop its msgid
        self.code = code

    def __reduce__(self) -> tuple[type[PackageProblem], tuple[str, Code]]:
        return (type(self), (self.message, self.code))


class PackageLimit(PackageProblem):
    """The file is over a configured size limit (reported as :class:`LimitExceeded`)."""


@dataclass(frozen=True)
class SheetPart:
    """A sheet as the workbook lists it; ``member`` is "" when its part is missing.

    An OpenDocument sheet (:mod:`.ods`) shares its part with the others, so it
    comes surveyed already: ``extent`` and ``marks`` (unsaved formulas) are set.
    """

    name: str
    member: str
    hidden: bool
    extent: Extent | None = None
    marks: dict[tuple[int, int], str] | None = None
    #: Its part's unpacked size as the zip's directory says it (attacker's word: an order of
    #: work, never a limit); 0 when unknown or shared (.ods).
    size: int = 0


@dataclass
class Package:
    """What the zip holds: the sheets in workbook order and whether there are macros."""

    sheets: list[SheetPart] = field(default_factory=list)
    has_macros: bool = False


def read_file(path: Path, limits: Limits) -> bytes:
    """The file's bytes, or a clear reason why it is not an xlsx workbook within limits.

    The workbook is read once: the checks, calamine and the digest of the
    report all see the same bytes, even if the file changes meanwhile.
    """
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            # A pipe or device would block or never end; only a plain file is a workbook.
            raise PackageProblem(
                Message("%(path)s is a folder, not a workbook file", path=str(path))
                if stat.S_ISDIR(status.st_mode)
                else Message("%(path)s is not a regular file, not a workbook file", path=str(path)),
                Code.FILE_UNREADABLE,
            )
        if status.st_size > limits.max_file_bytes:
            raise PackageLimit(
                Message(
                    "the file is %(size)s bytes, over the limit of %(limit)s bytes",
                    size=f"{status.st_size:,}",
                    limit=f"{limits.max_file_bytes:,}",
                ),
                Code.FILE_TOO_LARGE,
            )
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        raise PackageProblem(
            Message("there is no file at %(path)s", path=str(path)), Code.FILE_UNREADABLE
        ) from None
    except OSError as error:
        raise PackageProblem(
            Message("the file cannot be opened: %(detail)s", detail=error.strerror),
            Code.FILE_UNREADABLE,
        ) from None
    sniff(data, limits)
    return data


def sniff(data: bytes, limits: Limits) -> None:
    """Refuse, with a clear reason, bytes that are not an xlsx workbook within limits."""
    if not data:
        raise PackageProblem(
            Message("the file is empty (0 bytes); it is not a workbook"), Code.FILE_EMPTY
        )
    if len(data) > limits.max_file_bytes:
        raise PackageLimit(
            Message(
                "the file is over %(limit)s bytes, the limit", limit=f"{limits.max_file_bytes:,}"
            ),
            Code.FILE_TOO_LARGE,
        )
    if data.startswith(_OLE_MAGIC):
        if any(mark in data[: 1 << 20] for mark in _ENCRYPTION_MARKS):
            raise PackageProblem(
                Message(
                    "the workbook is encrypted (protected by a password); save an unprotected "
                    "copy as .xlsx and try again"
                ),
                Code.ENCRYPTED,
            )
        raise PackageProblem(
            Message(
                "this is a legacy Excel 97-2003 file (.xls); save it as an Excel Workbook (.xlsx) "
                "and try again"
            ),
            Code.NOT_A_WORKBOOK,
        )
    if not data.startswith(_ZIP_MAGIC):
        hint = _what_it_is(data)
        raise PackageProblem(
            Message(
                "the file is not an xlsx workbook (%(what)s); an Excel .xlsx or "
                "OpenDocument .ods file is needed",
                what=hint,
            )
            if hint
            else Message(
                "the file is not an xlsx workbook; an Excel .xlsx or OpenDocument .ods file is "
                "needed"
            ),
            Code.NOT_A_WORKBOOK,
        )


#: Files people upload by mistake, by their first bytes: what the message calls them.
_KNOWN_MAGIC = (
    (b"%PDF-", N_("a PDF document, perhaps a report or a scan")),
    (b"\x89PNG", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"{\\rtf", N_("an RTF document")),
)


def _what_it_is(data: bytes) -> Message | None:
    """``it is a PDF document...``: what a file that is not a workbook seems to be, if anything."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, name in _KNOWN_MAGIC:
        if head.startswith(magic):
            return Message("it is %(name)s", name=Message(name))
    if head[:1] == b"<" and b"<html" in head[:512].lower():
        return Message("it is %(name)s", name=Message("a web page, HTML"))
    if _looks_like_text(data[:8]):
        return Message("it looks like text, perhaps a CSV file")
    return None


def _looks_like_text(head: bytes) -> bool:
    return all(byte in b"\t\r\n" or 32 <= byte < 127 or byte >= 0x80 for byte in head)


def open_package(data: bytes, limits: Limits) -> Package:
    """Check the zip's directory and XML prologs (before inflating any part) and list sheets."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise PackageProblem(
            Message(
                "the file is damaged: it is not a readable xlsx package (a zip file); it may be "
                "truncated or corrupted"
            ),
            Code.DAMAGED_FILE,
        ) from None
    with archive:
        members = archive.infolist()
        _check_directory(members, limits)
        names = {member.filename for member in members}
        if _WORKBOOK not in names:
            raise PackageProblem(
                Message("the file is a zip package but not an Excel workbook (no xl/workbook.xml)"),
                Code.NOT_A_WORKBOOK,
            )
        package = Package(has_macros="xl/vbaProject.bin" in names)
        try:
            package.sheets = _sheet_parts(archive, names)
            xml_parts = {m.filename for m in members if _is_xml_name(m.filename)}
            for member in sorted(xml_parts | {part.member for part in package.sheets} - {""}):
                _check_prolog(archive, member)
            _check_shared_strings(archive, members, limits)
        except PackageProblem:
            raise
        except (ElementTree.ParseError, KeyError, zipfile.BadZipFile, zlib.error) as error:
            raise PackageProblem(
                Message(
                    "the file is damaged: its workbook part cannot be read (%(detail)s)",
                    detail=first_line(error),
                ),
                Code.DAMAGED_FILE,
            ) from None
        except (OSError, EOFError, NotImplementedError, RuntimeError) as error:
            raise PackageProblem(
                Message(
                    "the file is damaged and cannot be unpacked (%(detail)s)",
                    detail=first_line(error),
                ),
                Code.DAMAGED_FILE,
            ) from None
        return package


def _check_directory(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Everything the zip directory alone can refuse: sizes, names, methods, passwords."""
    if len(members) > limits.max_zip_members:
        raise PackageLimit(
            Message(
                "the file holds %(count)s parts, over the limit of %(limit)s; it is not a plain "
                "workbook",
                count=f"{len(members):,}",
                limit=f"{limits.max_zip_members:,}",
            ),
            Code.TOO_MANY_PARTS,
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise PackageLimit(
            Message(
                "the workbook would expand to %(total)s bytes, over the limit of %(limit)s bytes",
                total=f"{total:,}",
                limit=f"{limits.max_uncompressed_bytes:,}",
            ),
            Code.UNPACKS_TOO_LARGE,
        )
    seen: dict[str, str] = {}
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1 << 20 and ratio > limits.max_compression_ratio:
            raise PackageLimit(
                Message(
                    "the part %(member)s expands %(ratio)s times, over the limit of %(limit)s; a "
                    "workbook this compressible is a zip bomb, not an inspection record",
                    member=member.filename,
                    ratio=f"{ratio:,.0f}",
                    limit=f"{limits.max_compression_ratio:,.0f}",
                ),
                Code.UNPACKS_TOO_LARGE,
            )
        if member.flag_bits & 0x1:
            raise PackageProblem(
                Message(
                    "parts of the file are encrypted with a zip password; save an unprotected "
                    "copy as .xlsx and try again"
                ),
                Code.ENCRYPTED,
            )
        if member.compress_type not in _METHODS:
            raise PackageProblem(
                Message(
                    "the part %(member)s is compressed in a way spreadsheet programs never use; "
                    "the file is damaged",
                    member=member.filename,
                ),
                Code.DAMAGED_FILE,
            )
        name = member.filename
        if not _canonical_name(name):
            raise PackageProblem(
                Message(
                    "the file holds a part with an unusual name (%(name)s); it is damaged or was "
                    "not written by a spreadsheet program",
                    name=repr(name[:80]),
                ),
                Code.UNSAFE_FILE,
            )
        # calamine falls back to a part whose name differs only by case: two such parts
        # could be read differently by the survey and by calamine.
        key = name.lower()
        if key in seen:
            raise PackageProblem(
                Message(
                    "the file holds two parts named %(name)s; it is damaged or was not written by "
                    "a spreadsheet program",
                    name=repr(name[:80]),
                ),
                Code.UNSAFE_FILE,
            )
        seen[key] = name


def check_directory(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """The zip directory checks, for any zip of XML (the OpenDocument reader uses them too)."""
    _check_directory(members, limits)


def check_prolog(archive: zipfile.ZipFile, member: str) -> None:
    """The XML prolog check of :func:`_check_prolog`, for the OpenDocument reader."""
    _check_prolog(archive, member)


def _canonical_name(name: str) -> bool:
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    segments = name.split("/")
    if name.endswith("/"):
        segments = segments[:-1]  # a folder entry
    return all(segment not in ("", ".", "..") for segment in segments)


def _is_xml_name(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _check_prolog(archive: zipfile.ZipFile, member: str) -> None:
    """Refuse a document type declaration (entity bombs) and encodings the scans cannot read.

    A DTD may only come before the first element, so reading up to that
    element is enough; a part whose first element is not within the first
    64 KB is refused.
    """
    try:
        with archive.open(member) as stream:
            head = stream.read(_PROLOG_BYTES)
    except zipfile.BadZipFile as error:
        raise PackageProblem(
            Message(
                "the file is damaged: the part %(member)s does not match the zip directory "
                "(%(detail)s)",
                member=member,
                detail=first_line(error),
            ),
            Code.DAMAGED_FILE,
        ) from None
    problem = _prolog_problem(head, complete=len(head) < _PROLOG_BYTES)
    if problem:
        raise PackageProblem(
            Message("the part %(member)s %(problem)s", member=member, problem=problem),
            Code.UNSAFE_FILE,
        )


_NO_ELEMENT = Message("has no element in its first 64 KB; refused")


def _prolog_problem(head: bytes, *, complete: bool) -> str:
    position = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while position < len(head) and head[position] in b" \t\r\n":
            position += 1
        if position >= len(head):
            return "" if complete else _NO_ELEMENT
        if head.startswith(b"<?", position):
            end = head.find(b"?>", position)
            if end < 0:
                return "" if complete else _NO_ELEMENT
            declared = _ENCODING.search(head, position, end)
            if declared and declared[1].decode().lower() not in _ASCII_MARKUP:
                return Message(
                    "is encoded as %(encoding)s, not UTF-8; the file was not written by a "
                    "spreadsheet program",
                    encoding=declared[1].decode()[:20],
                )
            position = end + 2
        elif head.startswith(b"<!--", position):
            end = head.find(b"-->", position + 4)
            if end < 0:
                return "" if complete else _NO_ELEMENT
            position = end + 3
        elif head.startswith(b"<!", position):
            return Message(
                "declares a document type (XML entities), which a workbook never needs; refused"
            )
        elif head.startswith(b"<", position):
            return ""
        else:
            return Message("is not UTF-8 XML; the file is damaged")


def _check_shared_strings(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits
) -> None:
    """calamine loads every shared text when it opens the file; bound how many there are."""
    for member in members:
        if not member.filename.lower().endswith("sharedstrings.xml"):
            continue
        count = 0
        with archive.open(member) as stream:
            for region in regions(stream):
                count += region.count(b"<si") + region.count(b":si")
                if count > limits.max_total_cells:
                    raise PackageLimit(
                        Message(
                            "the workbook holds over %(limit)s different texts, more than the "
                            "limit of %(limit)s cells",
                            limit=f"{limits.max_total_cells:,}",
                        ),
                        Code.TOO_MANY_CELLS,
                    )


def _read_xml(archive: zipfile.ZipFile, member: str) -> ElementTree.Element:
    size = archive.getinfo(member).file_size
    if size > _METADATA_BYTES:
        raise PackageProblem(
            Message(
                "the part %(member)s is %(size)s bytes; no real workbook has one this large",
                member=member,
                size=f"{size:,}",
            ),
            Code.UNSAFE_FILE,
        )
    _check_prolog(archive, member)
    return ElementTree.fromstring(archive.read(member))


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> list[SheetPart]:
    """Every sheet of the workbook part, with its part resolved as calamine resolves it."""
    workbook = _read_xml(archive, _WORKBOOK)
    rels = _read_xml(archive, _WORKBOOK_RELS)
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL_NS}Relationship")
    }
    by_lower = {name.lower(): name for name in names}
    sheets = workbook.find(f"{_MAIN_NS}sheets")
    parts = []
    for sheet in sheets if sheets is not None else []:
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        member = target[1:] if target.startswith("/") else f"xl/{target}"
        if target and not _canonical_name(member):
            raise PackageProblem(
                Message(
                    "the sheet %(sheet)s points to an unusual part name (%(target)s); the file is "
                    "damaged or was not written by a spreadsheet program",
                    sheet=repr(sheet.get("name", "")[:40]),
                    target=repr(target[:80]),
                ),
                Code.UNSAFE_FILE,
            )
        resolved = member if member in names else by_lower.get(member.lower(), "")
        parts.append(
            SheetPart(
                name=sheet.get("name", ""),
                member=resolved if target else "",
                hidden=sheet.get("state", "visible") != "visible",
                size=archive.getinfo(resolved).file_size if target and resolved else 0,
            )
        )
    return parts
