"""Column letters of a cell reference (``28`` is ``AB``), without openpyxl.

Every command reads cell references (evidence cites ``Fees!E31``, problems
name their cell), but only the template and the findings workbook write
spreadsheets. Taking openpyxl's ``get_column_letter`` imported the whole of
openpyxl (and Pillow) into every command and every worker process: 0.14 s
of each start, a quarter of ``auditor``'s import time.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def column_letters(number: int) -> str:
    """The letters of column ``number``, counted from 1 (``column_letters(28) == "AB"``)."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
