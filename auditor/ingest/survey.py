"""How far a sheet reaches, read from its XML before anything loads it.

python-calamine builds a sheet as one dense grid from A1 to its last cell,
allocated at once. A workbook of a few hundred bytes with one cell at
``XFD1048576`` asks it for 550 GB, and the process aborts (a failed Rust
allocation is not an exception, so nothing can catch it). The row and
column limits must therefore be checked against the sheet's XML, before
calamine sees it. This module streams a sheet part once and finds the last
row and column any cell occupies, placing cells the way calamine does: by
a cell's ``r`` reference, or one column past the previous cell when it has
none.

Two ways to the same answer:

- **fast**, for the XML every spreadsheet program writes, where each cell
  starts with ``<c r="``: byte searches at C speed. The last cell of each
  megabyte proposes the extent and one regular expression looks for any
  cell beyond it; in an ordinary workbook it finds none. About 0.5 s per
  100 MB of XML.
- **exact**, for anything else (namespace prefixes, cells without
  references, attributes in another order, odd whitespace): an expat parse
  that places every cell. Five to ten times slower, and only for odd files.

Every answer errs on the large side (an empty cell still counts), never on
the small side, which is the side that crashes. The same pass notes whether
the sheet holds formula or error cells, which :func:`unreadable_cells` then
locates (calamine reads both as empty).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import IO
from xml.etree import ElementTree
from xml.parsers import expat

from auditor.model.cellref import column_letters
from auditor.model.messages import Message

_CHUNK = 1 << 20
#: A span this long without a "<" holds no tag start; it is scanned as it is.
_LONG_SPAN = 4 * _CHUNK
_CELL = b'<c r="'
#: A cell start tag not written as ``<c r="``, or a prefixed one: the exact way is needed.
_ODD_CELLS = (re.compile(rb'<c(?! r=")[\s/>]'), re.compile(rb":c[\s/>]"))
#: Formulas, prefixed formulas (with or without attributes) and error cells. "<f" also
#: matches an autoFilter's "<filterColumn>": a needless second look, never a missed formula.
_ERROR_CELL = b' t="e"'
_FORMULA = b"<f"
#: Prefixed formulas: a pattern that starts with a rare byte is found at C speed.
_PREFIXED_FORMULA = re.compile(rb":f[> ]")
_REFERENCE = re.compile(rb"([A-Za-z]*)([0-9]+)")
#: Bytes a reference may take: XFD1048576 takes 10; a longer one is not a position.
_LONGEST_REFERENCE = 24
#: Cells handled one by one in a region before the rest of it is scanned cell by cell.
_SLOW_CELLS = 32


class SurveyProblem(Exception):
    """The sheet's XML cannot be surveyed; the message says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message  # a Message: str(self) would drop its msgid


@dataclass(frozen=True)
class Extent:
    """The grid calamine would build: last row and column numbers (1-based), 0 when empty."""

    rows: int
    columns: int
    formulas_or_errors: bool
    exact: bool

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def survey(archive: zipfile.ZipFile, member: str) -> Extent:
    """Stream one sheet part and return its extent, or raise :class:`SurveyProblem`."""
    try:
        fast = _FastScan()
        with archive.open(member) as stream:
            if all(fast.feed(region) for region in regions(stream)):
                return fast.extent()
        return _exact(archive, member)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise SurveyProblem(
            Message("its data is damaged (%(detail)s)", detail=first_line(error))
        ) from None
    except (NotImplementedError, RuntimeError) as error:  # unknown compression, zip password
        raise SurveyProblem(
            Message("its data cannot be unpacked (%(detail)s)", detail=first_line(error))
        ) from None
    except expat.ExpatError as error:
        raise SurveyProblem(
            Message(
                "its XML is malformed (%(detail)s, line %(line)s)",
                detail=expat.ErrorString(error.code),
                line=error.lineno,
            )
        ) from None


def first_line(error: BaseException) -> str:
    """An error's first line, short enough to quote in a problem (or its type, when silent)."""
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:120]


def regions(stream: IO[bytes]) -> Iterator[bytes]:
    """The part's bytes in pieces that each end just before a "<", so that no tag is split."""
    carry = b""
    while chunk := stream.read(_CHUNK):
        buffer = carry + chunk
        cut = buffer.rfind(b"<")
        if cut <= 0:
            if len(buffer) < _LONG_SPAN:
                carry = buffer
                continue
            yield buffer
            carry = b""
            continue
        yield buffer[:cut]
        carry = buffer[cut:]
    if carry:
        yield carry


def column_number(letters: bytes | str) -> int:
    """``A`` is 1, ``Z`` 26, ``AA`` 27, ``XFD`` 16,384 (any case); no letters is column 1."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(letter) - 64
    return max(number, 1)


class _FastScan:
    """The extent of canonical sheet XML, one region at a time."""

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.suspects = False

    def extent(self) -> Extent:
        return Extent(self.rows, self.columns, self.suspects, exact=False)

    def feed(self, region: bytes) -> bool:
        """Take one region; False when it is not canonical and the exact way is needed.

        A region with an odd cell goes the exact way whatever else it holds:
        the odd cells are found by the same pass that looks for cells beyond
        the extent (one pass over every cell, not two), and before any
        problem with a cell's reference is raised.
        """
        if _ODD_CELLS[1].search(region):
            return False
        try:
            return self._feed(region)
        except SurveyProblem:
            if _ODD_CELLS[0].search(region) is not None:
                return False
            raise

    def _feed(self, region: bytes) -> bool:
        if not self.suspects:
            # Every formula pattern holds an "f", a byte most sheet XML lacks: looking for
            # it alone is a memchr, much faster than looking for "<f" after every "<".
            self.suspects = region.find(_ERROR_CELL) >= 0 or (
                b"f" in region
                and (region.find(_FORMULA) >= 0 or _PREFIXED_FORMULA.search(region) is not None)
            )
        last = region.rfind(_CELL)
        if last < 0:
            return _ODD_CELLS[0].search(region) is None
        self._take(_cell_at(region, last))
        pattern = _beyond(self.rows, self.columns)
        position, slow = 0, 0
        while (match := pattern.search(region, position)) is not None:
            if match.group(1) is not None:  # an odd cell
                return False
            position = match.end()
            slow += 1
            if slow > _SLOW_CELLS:
                if _ODD_CELLS[0].search(region, match.start()) is not None:
                    return False
                self._every_cell(region, match.start())
                break
            if self._take(_cell_at(region, match.start())):
                pattern = _beyond(self.rows, self.columns)
        return True

    def _take(self, cell: tuple[int, int] | None) -> bool:
        """Widen the extent to the cell; True when it grew."""
        if cell is None:
            return False
        row, column = cell
        grew = row > self.rows or column > self.columns
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)
        return grew

    def _every_cell(self, region: bytes, start: int) -> None:
        """The slow way through the rest of a region: every cell, one by one."""
        position = region.find(_CELL, start)
        while position >= 0:
            self._take(_cell_at(region, position))
            position = region.find(_CELL, position + len(_CELL))


def _cell_at(region: bytes, start: int) -> tuple[int, int] | None:
    """(row, column) of the ``<c r="...`` tag at ``start``; None when calamine would skip it.

    A self-closing cell holds no value and calamine leaves it out of the
    grid; a reference that is not letters then digits (or row 0) makes
    calamine refuse the sheet, so it places nothing either.
    """
    begin = start + len(_CELL)
    end = region.find(b'"', begin, begin + _LONGEST_REFERENCE + 1)
    if end < 0:
        raise SurveyProblem(
            Message(
                "a cell's reference is longer than any real cell position; the sheet is damaged "
                "or was built to attack"
            )
        )
    match = _REFERENCE.fullmatch(region, begin, end)
    if match is None or int(match[2]) == 0:
        return None
    close = region.find(b">", end)
    if close > 0 and region[close - 1] == ord("/"):
        return None
    return int(match[2]), column_number(match[1])


@lru_cache(maxsize=512)
def _beyond(rows: int, columns: int) -> re.Pattern[bytes]:
    """A cell tag whose row is past ``rows`` or whose column is past ``columns``, or an odd
    cell tag (``_ODD_CELLS[0]``, group 1 set): both are looked for in one pass.

    The letters and leading zeros are taken possessively: the row's digits
    that follow can never start with a letter or a zero, so giving any back
    could not make a match, and every cell of a large sheet is tried.
    """
    return re.compile(
        rb'<c(?:(?! r=")[\s/>]()| r="(?:[A-Za-z]*+0*+(?:'
        + _greater_number(rows)
        + b')"|(?:'
        + _greater_letters(columns)
        + b")[0-9]))"
    )


def _greater_number(number: int) -> bytes:
    """Alternatives matching decimal digits (no leading zeros) of a value above ``number``."""
    digits = str(number) if number > 0 else ""
    options = [f"[1-9][0-9]{{{len(digits)},}}"]
    for index, digit in enumerate(digits):
        if digit != "9":
            rest = len(digits) - index - 1
            options.append(f"{digits[:index]}[{int(digit) + 1}-9][0-9]{{{rest}}}")
    return "|".join(options).encode()


def _greater_letters(number: int) -> bytes:
    """Alternatives matching column letters (any case) of a column past ``number``."""
    letters = column_letters(number)
    options = [f"[A-Za-z]{{{len(letters) + 1},}}"]
    for index, letter in enumerate(letters):
        if letter != "Z":
            after = chr(ord(letter) + 1)
            rest = len(letters) - index - 1
            prefix = "".join(f"[{ch}{ch.lower()}]" for ch in letters[:index])
            options.append(f"{prefix}[{after}-Z{after.lower()}-z][A-Za-z]{{{rest}}}")
    return "|".join(options).encode()


class _Placer:
    """Places cells as calamine does (0-based), from expat or ElementTree start events."""

    def __init__(self) -> None:
        self.row = -1
        self.column = -1
        self.rows = 0
        self.columns = 0
        self.suspects = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(":")[2].rpartition("}")[2]
        if local == "row":
            number = _positive(attributes.get("r"))
            self.row = number - 1 if number else self.row + 1
            self.column = -1
        elif local == "c":
            if attributes.get("t") == "e":
                self.suspects = True
            self.place(attributes.get("r"))
        elif local == "f":
            self.suspects = True

    def place(self, reference: str | None) -> tuple[int, int] | None:
        """The cell's 0-based (row, column), widening the extent; None if calamine refuses it."""
        if reference is None:
            self.column += 1
            row = max(self.row, 0)
        else:
            if len(reference) > _LONGEST_REFERENCE:
                raise SurveyProblem(
                    Message(
                        "a cell's reference is longer than any real cell position; the sheet is "
                        "damaged or was built to attack"
                    )
                )
            match = _REFERENCE.fullmatch(reference.encode())
            if match is None or int(match[2]) == 0:
                return None
            row, self.column = int(match[2]) - 1, column_number(match[1]) - 1
        self.rows = max(self.rows, row + 1)
        self.columns = max(self.columns, self.column + 1)
        return row, self.column


def _positive(text: str | None) -> int:
    return int(text) if text is not None and text.isascii() and text.isdigit() else 0


def _exact(archive: zipfile.ZipFile, member: str) -> Extent:
    placer = _Placer()
    parser = expat.ParserCreate()
    parser.StartElementHandler = placer.start

    def refuse(*_: object) -> None:
        raise SurveyProblem(
            Message("it declares XML entities, which a workbook never needs; refused")
        )

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    with archive.open(member) as stream:
        parser.ParseFile(stream)
    return Extent(placer.rows, placer.columns, placer.suspects, exact=True)


def unreadable_cells(archive: zipfile.ZipFile, member: str) -> dict[tuple[int, int], str]:
    """Cells calamine reads as empty that are not: ``{(row, column): "formula"|"error"}``, 1-based.

    A formula counts when it has a cached value (``<v>`` with text, or an
    empty cached string result ``t="str"``); an openpyxl-written formula
    (``<v />``, never calculated) does not. Error cells (``t="e"``) are
    reported too. Called only for sheets the survey saw formulas or errors
    in, after every XML prolog was checked, so expat meets no entity
    declarations.
    """
    placer = _Placer()
    found: dict[tuple[int, int], str] = {}
    here: tuple[int, int] | None = None
    with archive.open(member) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            local = element.tag.rpartition("}")[2]
            if event == "start":
                if local == "row":
                    placer.start(local, dict(element.attrib))
                elif local == "c":
                    here = placer.place(element.get("r"))
                continue
            if local == "row":
                element.clear()
            if local != "c":
                continue
            formula = value = None
            for child in element:
                name = child.tag.rpartition("}")[2]
                if name == "f":
                    formula = child
                elif name == "v":
                    value = child
            kind = element.get("t")
            if here is not None:
                where = (here[0] + 1, here[1] + 1)
                if kind == "e":
                    found[where] = "error"
                elif formula is not None and not _has_cached(value, kind):
                    found[where] = "formula"
            element.clear()
    return found


def _has_cached(value: ElementTree.Element | None, kind: str | None) -> bool:
    if value is None:
        return False
    return bool(value.text) or kind == "str"
